import type { Metric } from '../metric';
import type { Scenario } from '../scenario/types';
import type { PaperFigure } from './paperFigure';
import type { CheckVerdict } from './verdict';

/** Checks that share one paper setup: shown together, with the setup said once. */
export interface CheckGroup {
  title: string;
  /** The setup every check of the group reproduces, and what in it the paper does not print. */
  setup: string;
}

/** A claim a paper makes, the scenario that reproduces its setup, and the model's own computation of it. */
export interface PaperCheck {
  id: string;
  /** Short paper name, e.g. "MoE survey". */
  paper: string;
  group: CheckGroup;
  claim: string;
  /** Paper, table or equation the figure is taken from. */
  source: string;
  /** The figure as the paper prints it (a value, a range, a bound or an identity), in `unit`. */
  paperFigure: PaperFigure;
  unit: string;
  /** Share-link fragment of the scenario reproducing the paper's setup. */
  fragment: string;
  /**
   * How far the model may miss the claim and still be called close: a relative gap to the nearest printed figure
   * (the value, the range's nearer end, the bound), or for an identity the deviation itself. Meeting the claim as
   * printed needs no tolerance; see verdictOf.
   */
  tolerance: number;
  /** Why the model may differ from the paper, where we know. */
  gapExplanation?: string;
  /** Computes the model's figure from the scenario; never reads `paperFigure`. */
  compute: (scenario: Scenario) => Metric;
}

export interface PaperCheckResult {
  id: string;
  paper: string;
  group: CheckGroup;
  claim: string;
  source: string;
  paperFigure: PaperFigure;
  modelValue: number;
  unit: string;
  /** The gap to the claim (see Verdict.gap): 0 inside a range or on the right side of a bound. */
  gap: number;
  verdict: CheckVerdict;
  /** 'meets' or 'close': what "within tolerance" counts. */
  withinTolerance: boolean;
  tolerance: number;
  fragment: string;
  gapExplanation?: string;
  metric: Metric;
}
