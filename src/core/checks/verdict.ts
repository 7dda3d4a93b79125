import type { PaperFigure } from './paperFigure';
import { printedStepOf } from './paperFigure';

/**
 * How a model figure stands against a paper's claim:
 * - 'meets': it meets the claim as the paper states it (inside the printed range, above a "more than" bound, equal to
 *   a single figure to its printed digits, an identity holding exactly);
 * - 'close': it misses the claim, but by no more than the check's tolerance;
 * - 'outside': it misses by more than the tolerance.
 * 'meets' and 'close' together are the checks "within tolerance".
 */
export type CheckVerdict = 'meets' | 'close' | 'outside';

export interface Verdict {
  verdict: CheckVerdict;
  /**
   * How far the model is from the claim: relative to the nearest printed figure (model / figure − 1), 0 when the
   * model is inside a range or on the right side of a bound; for an identity, the deviation itself (no scale).
   */
  gap: number;
}

/** model / reference − 1, or model − reference when the reference is 0 (there is no scale to be relative to). */
export function relativeGapOf(modelValue: number, reference: number): number {
  return reference === 0 ? modelValue - reference : modelValue / reference - 1;
}

/** The relative gap to the claim, 0 where the model satisfies a range or a bound. */
function gapToClaim(modelValue: number, figure: PaperFigure): number {
  switch (figure.kind) {
    case 'value':
      return relativeGapOf(modelValue, figure.value);
    case 'range':
      if (modelValue < figure.low) return relativeGapOf(modelValue, figure.low);
      if (modelValue > figure.high) return relativeGapOf(modelValue, figure.high);
      return 0;
    case 'more-than':
      return modelValue > figure.bound ? 0 : relativeGapOf(modelValue, figure.bound);
    case 'at-most':
      return modelValue <= figure.bound ? 0 : relativeGapOf(modelValue, figure.bound);
    case 'identity':
      return modelValue;
  }
}

/** Whether the model meets the claim as printed, before any tolerance. */
function meetsAsPrinted(modelValue: number, figure: PaperFigure): boolean {
  switch (figure.kind) {
    case 'value':
      // A printed "46.7B" is every value that prints as 46.7B: within half its last digit.
      return Math.abs(modelValue - figure.value) <= printedStepOf(figure.value) / 2;
    case 'range':
      return modelValue >= figure.low && modelValue <= figure.high;
    case 'more-than':
      return modelValue > figure.bound;
    case 'at-most':
      return modelValue <= figure.bound;
    case 'identity':
      return modelValue === 0;
  }
}

/**
 * The verdict on a model figure against a paper figure, with `tolerance` the relative gap (absolute for an identity)
 * still called close. A figure that meets the printed claim but lies outside the tolerance (a one-digit "7B" met by
 * 7.39B, 5.5% off) is not a tick: 'meets' is always within tolerance, so ticks are a subset of "within tolerance".
 */
export function verdictOf(modelValue: number, figure: PaperFigure, tolerance: number): Verdict {
  const gap = gapToClaim(modelValue, figure);
  const withinTolerance = Math.abs(gap) <= tolerance;
  if (!withinTolerance) return { verdict: 'outside', gap };
  return { verdict: meetsAsPrinted(modelValue, figure) ? 'meets' : 'close', gap };
}
