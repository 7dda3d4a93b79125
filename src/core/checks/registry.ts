import { decodeFragment } from '../scenario/shareLink';
import { MODEL_SIZE_CHECKS } from './modelSizeChecks';
import type { PaperCheck, PaperCheckResult } from './types';

/** Every paper claim the model is checked against; each lab appends its own list as it lands. */
export const PAPER_CHECKS: readonly PaperCheck[] = [...MODEL_SIZE_CHECKS];

export function evaluateCheck(check: PaperCheck): PaperCheckResult {
  const { scenario } = decodeFragment(check.fragment);
  const metric = check.compute(scenario);
  const relativeGap = metric.value / check.paperValue - 1;
  return {
    id: check.id,
    paper: check.paper,
    claim: check.claim,
    source: check.source,
    paperValue: check.paperValue,
    modelValue: metric.value,
    unit: check.unit,
    relativeGap,
    withinTolerance: Math.abs(relativeGap) <= check.tolerance,
    tolerance: check.tolerance,
    fragment: check.fragment,
    ...(check.gapExplanation ? { gapExplanation: check.gapExplanation } : {}),
    metric,
  };
}

export function evaluatePaperChecks(checks: readonly PaperCheck[] = PAPER_CHECKS): PaperCheckResult[] {
  return checks.map(evaluateCheck);
}
