import type { Metric } from '../metric';
import type { Scenario } from '../scenario/types';

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
  /** The figure the paper reports, in `unit`. */
  paperValue: number;
  unit: string;
  /** Share-link fragment of the scenario reproducing the paper's setup. */
  fragment: string;
  /**
   * 'approx' (the default): the claim is reproduced when |model/paper − 1| ≤ tolerance. 'at-most': the claim is
   * a bound, reproduced when model ≤ paper · (1 + tolerance), e.g. "the load never exceeds C".
   */
  comparison?: CheckComparison;
  /** Relative gap within which the model is said to reproduce the claim (see `comparison`). */
  tolerance: number;
  /** Why the model may differ from the paper, where we know. */
  gapExplanation?: string;
  /** Computes the model's figure from the scenario; never reads `paperValue`. */
  compute: (scenario: Scenario) => Metric;
}

export type CheckComparison = 'approx' | 'at-most';

export interface PaperCheckResult {
  id: string;
  paper: string;
  group: CheckGroup;
  claim: string;
  source: string;
  paperValue: number;
  modelValue: number;
  unit: string;
  /** model / paper − 1; when the paper's figure is 0 (an identity that must hold exactly), model − paper. */
  relativeGap: number;
  comparison: CheckComparison;
  withinTolerance: boolean;
  tolerance: number;
  fragment: string;
  gapExplanation?: string;
  metric: Metric;
}
