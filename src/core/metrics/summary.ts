import type { Metric } from '../metric';
import type { Scenario } from '../scenario/types';
import { expertsPerGpuMetric, nodesMetric, worldSizeMetric } from './cluster';
import {
  activeParamsMetric,
  attentionParamsMetric,
  flopsPerTokenMetric,
  paramsPerExpertMetric,
  totalParamsMetric,
  weightMemoryFractionMetric,
  weightMemoryPerGpuMetric,
} from './model';
import { meanTokensPerExpert, tokensPerDevice, tokensPerStep } from './tokens';
import { trainingStateMemoryFractionMetric, trainingStateMemoryMetric } from './trainingMemory';

/** The Scenario summary: the model and hardware figures every lab builds on, each showing its work. */
export function summaryMetrics(scenario: Scenario): Metric[] {
  return [
    totalParamsMetric(scenario),
    activeParamsMetric(scenario),
    paramsPerExpertMetric(scenario),
    attentionParamsMetric(scenario),
    flopsPerTokenMetric(scenario),
    weightMemoryPerGpuMetric(scenario),
    weightMemoryFractionMetric(scenario),
    // Training holds gradients and optimizer states too; inference holds the weights above.
    ...(scenario.workload.mode === 'training'
      ? [trainingStateMemoryMetric(scenario), trainingStateMemoryFractionMetric(scenario)]
      : []),
    tokensPerStep(scenario),
    tokensPerDevice(scenario),
    meanTokensPerExpert(scenario),
    worldSizeMetric(scenario),
    nodesMetric(scenario),
    expertsPerGpuMetric(scenario),
  ];
}
