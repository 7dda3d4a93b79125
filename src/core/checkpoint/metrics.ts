import type { Metric } from '../metric';
import type { Scenario } from '../scenario/types';
import { checkpointCostBreakdown } from './costs';
import { iterationTimeMetric } from './iterationTime';
import { jobMtbfMetric } from './jobMtbfMetric';
import { overheadMetrics } from './overheadMetrics';
import { persistMetric, restartMetric, snapshotMetric, stallMetric } from './saveTimeMetrics';
import { bottleneckMetric, evenRankMetric, idealRankMetric } from './saveWorkloadMetrics';
import { fullCheckpointBytesMetric, pecCheckpointBytesMetric } from './sizes';

/** Every Checkpointing-lab figure of the scenario, each with its formula, inputs and source; ids 'checkpoint.*'. */
export function checkpointMetrics(scenario: Scenario): Metric[] {
  const detail = checkpointCostBreakdown(scenario);
  return [
    iterationTimeMetric(scenario),
    fullCheckpointBytesMetric(scenario),
    pecCheckpointBytesMetric(scenario),
    bottleneckMetric(scenario, detail),
    idealRankMetric(detail),
    evenRankMetric(detail),
    snapshotMetric(scenario, detail),
    persistMetric(scenario, detail),
    stallMetric(scenario, detail),
    restartMetric(scenario, detail),
    jobMtbfMetric(scenario, detail),
    ...overheadMetrics(scenario, detail),
  ];
}
