import { decodeFragment } from '../scenario/shareLink';
import { CHECKPOINT_CHECKS } from './checkpointChecks';
import { MODEL_SIZE_CHECKS } from './modelSizeChecks';
import { ROUTING_CHECKS } from './routingChecks';
import type { CheckComparison, PaperCheck, PaperCheckResult } from './types';

/** Every paper claim the model is checked against; each lab appends its own list as it lands. */
export const PAPER_CHECKS: readonly PaperCheck[] = [
  ...MODEL_SIZE_CHECKS,
  ...ROUTING_CHECKS,
  ...CHECKPOINT_CHECKS,
];

/** model / paper − 1, or the absolute gap when the paper's figure is 0 (no scale to be relative to). */
export function relativeGapOf(modelValue: number, paperValue: number): number {
  return paperValue === 0 ? modelValue - paperValue : modelValue / paperValue - 1;
}

/** Whether a model figure reproduces a paper figure: approximately, or (for bounds) by staying at most it. */
export function isWithinTolerance(
  modelValue: number,
  paperValue: number,
  tolerance: number,
  comparison: CheckComparison,
): boolean {
  if (comparison === 'at-most') return modelValue <= paperValue * (1 + tolerance);
  return Math.abs(relativeGapOf(modelValue, paperValue)) <= tolerance;
}

export function evaluateCheck(check: PaperCheck): PaperCheckResult {
  const { scenario } = decodeFragment(check.fragment);
  const metric = check.compute(scenario);
  const comparison = check.comparison ?? 'approx';
  const relativeGap = relativeGapOf(metric.value, check.paperValue);
  return {
    id: check.id,
    paper: check.paper,
    group: check.group,
    claim: check.claim,
    source: check.source,
    paperValue: check.paperValue,
    modelValue: metric.value,
    unit: check.unit,
    relativeGap,
    comparison,
    withinTolerance: isWithinTolerance(metric.value, check.paperValue, check.tolerance, comparison),
    tolerance: check.tolerance,
    fragment: check.fragment,
    ...(check.gapExplanation ? { gapExplanation: check.gapExplanation } : {}),
    metric,
  };
}

export function evaluatePaperChecks(checks: readonly PaperCheck[] = PAPER_CHECKS): PaperCheckResult[] {
  return checks.map(evaluateCheck);
}
