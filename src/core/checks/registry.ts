import { decodeFragment } from '../scenario/shareLink';
import { CHECKPOINT_CHECKS } from './checkpointChecks';
import { ITERATION_TIME_CHECKS } from './iterationTimeChecks';
import { MODEL_SIZE_CHECKS } from './modelSizeChecks';
import { RELATIVE_SIZE_CHECKS } from './relativeSizeChecks';
import { ROUTING_CHECKS } from './routingChecks';
import { SNAPSHOT_STALL_CHECKS } from './snapshotStallChecks';
import type { PaperCheck, PaperCheckResult } from './types';
import { verdictOf } from './verdict';

/** Every paper claim the model is checked against; each lab appends its own list as it lands. */
export const PAPER_CHECKS: readonly PaperCheck[] = [
  ...MODEL_SIZE_CHECKS,
  ...ROUTING_CHECKS,
  ...CHECKPOINT_CHECKS,
  ...RELATIVE_SIZE_CHECKS,
  ...SNAPSHOT_STALL_CHECKS,
  ...ITERATION_TIME_CHECKS,
];

export function evaluateCheck(check: PaperCheck): PaperCheckResult {
  const { scenario } = decodeFragment(check.fragment);
  const metric = check.compute(scenario);
  const { verdict, gap } = verdictOf(metric.value, check.paperFigure, check.tolerance);
  return {
    id: check.id,
    paper: check.paper,
    group: check.group,
    claim: check.claim,
    source: check.source,
    paperFigure: check.paperFigure,
    modelValue: metric.value,
    unit: check.unit,
    gap,
    verdict,
    withinTolerance: verdict !== 'outside',
    tolerance: check.tolerance,
    fragment: check.fragment,
    ...(check.gapExplanation ? { gapExplanation: check.gapExplanation } : {}),
    metric,
  };
}

export function evaluatePaperChecks(checks: readonly PaperCheck[] = PAPER_CHECKS): PaperCheckResult[] {
  return checks.map(evaluateCheck);
}
