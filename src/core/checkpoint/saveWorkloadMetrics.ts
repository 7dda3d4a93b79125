import { input, type Metric } from '../metric';
import type { Scenario } from '../scenario/types';
import type { CheckpointCostBreakdown } from './costs';
import { MOC_SOURCE } from './sizes';
import { evenRankBytes, idealRankBytesEq8 } from './workload';

// Who saves what (MoC §4): the bottleneck rank's bytes under the chosen sharding, and what Eq. 8 and even sharding give.

const STRATEGY_LABEL = {
  baseline: 'baseline',
  equal: 'equal sharding',
  adaptive: 'adaptive sharding',
} as const;

export function bottleneckMetric(scenario: Scenario, detail: CheckpointCostBreakdown): Metric {
  const { snapshot, layout, k, composition } = detail;
  return {
    id: 'checkpoint.bottleneckRankBytes',
    label: 'Bottleneck rank’s save',
    value: snapshot.bottleneckGpuBytes,
    unit: 'B',
    formula: 'C_bottleneck = max_r C_r / TP',
    inputs: [
      input('r*', 'bottleneck DP rank', snapshot.bottleneckRank, ''),
      input('C_r*', 'its bytes', snapshot.bottleneckRankBytes, 'B'),
      input('Σ C_r', 'bytes over all ranks', snapshot.totalBytes, 'B'),
      input('D_dp', 'data-parallel ranks', layout.dataParallel, 'ranks'),
      input('D_ep', 'expert-parallel degree', layout.expertParallel, 'GPUs'),
      input('TP', 'tensor-parallel degree', layout.tensorParallel, 'GPUs'),
      input('K', 'experts saved per MoE layer', k, 'experts'),
      input('N_moe', 'MoE layers', composition.moeLayers, 'layers'),
    ],
    source: `${MOC_SOURCE}, §4 (${STRATEGY_LABEL[scenario.checkpoint.sharding]}) and Eq. 8; ZeRO-${layout.zeroStage} partitions`,
    note: [
      'The heaviest checkpoint of the sequential rotation; optimizer shards are ZeRO-partitioned in every strategy.',
      detail.imbalanceNote,
    ]
      .filter((part) => part !== undefined)
      .join(' '),
  };
}

export function idealRankMetric(detail: CheckpointCostBreakdown): Metric {
  const { composition, layout } = detail;
  const dp = layout.dataParallel;
  const ep = layout.expertParallel;
  const overCounts = dp > ep;
  return {
    id: 'checkpoint.idealRankBytes',
    label: 'Ideal per-rank save (Eq. 8 as printed, full)',
    value: idealRankBytesEq8(composition, dp, ep),
    unit: 'B',
    formula: 'C_rank = (P_ne + P_e)·B_o / D_ep + P_ne·B_w / D_dp + P_e·B_w / D_ep',
    inputs: [
      input('P_ne', 'non-expert parameters', composition.nonExpertParams, 'params'),
      input('P_e', 'routed-expert parameters', composition.expertParams, 'params'),
      input('B_w', 'bytes per weight', composition.weightBytesPerParam, 'B'),
      input('B_o', 'optimizer bytes per parameter', composition.optimizerBytesPerParam, 'B'),
      input('D_dp', 'data-parallel degree', dp, 'ranks'),
      input('D_ep', 'expert-parallel degree', ep, 'GPUs'),
    ],
    source: `${MOC_SOURCE}, Eq. 8 (as printed)`,
    ...(overCounts ? { flag: `over-counts ${dp / ep}× the optimizer (D_dp > D_ep)` } : {}),
    note: overCounts
      ? `The paper divides the optimizer and expert terms by D_ep = ${ep}, but ZeRO partitions the optimizer over ` +
        `all D_dp = ${dp} ranks and equal sharding splits each expert over its ${dp / ep} replicas, so as printed ` +
        `the ranks would save ${dp / ep} times those terms. The even split beside it divides them by D_dp.`
      : 'The paper divides the optimizer term by D_ep; ZeRO partitions it over D_dp, which is the same here (D_dp = D_ep).',
  };
}

export function evenRankMetric(detail: CheckpointCostBreakdown): Metric {
  const { composition, layout } = detail;
  return {
    id: 'checkpoint.evenRankBytes',
    label: 'Even per-rank save (Eq. 8 over D_dp, full)',
    value: evenRankBytes(composition, layout.dataParallel),
    unit: 'B',
    formula: 'C_rank = (P_ne + P_e)·(B_w + B_o) / D_dp = C_full / D_dp',
    inputs: [
      input('C_full', 'full checkpoint', composition.fullBytes, 'B'),
      input('D_dp', 'data-parallel degree', layout.dataParallel, 'ranks'),
    ],
    source: `${MOC_SOURCE}, Eq. 5 and 8 with ZeRO partitioning over D_dp (§4)`,
    note: 'What each rank would save if a full checkpoint were split evenly over the D_dp ranks. The bottleneck rank’s save above is what the chosen strategy and K give (with PEC, less than a full checkpoint).',
  };
}
