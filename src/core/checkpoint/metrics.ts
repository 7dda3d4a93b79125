import { input, type Metric } from '../metric';
import { formatValue } from '../format';
import type { Scenario } from '../scenario/types';
import { checkpointCostBreakdown, type CheckpointCostBreakdown } from './costs';
import { iterationTimeMetric } from './iterationTime';
import { firstOrderLimits } from './firstOrder';
import { checkpointLatencySeconds, faultOverhead, type FaultOverhead } from './overhead';
import { MOC_SOURCE, fullCheckpointBytesMetric, pecCheckpointBytesMetric } from './sizes';
import { evenRankBytes, idealRankBytesEq8 } from './workload';

const STRATEGY_LABEL = {
  baseline: 'baseline',
  equal: 'equal sharding',
  adaptive: 'adaptive sharding',
} as const;

function bottleneckMetric(scenario: Scenario, detail: CheckpointCostBreakdown): Metric {
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

function idealRankMetric(detail: CheckpointCostBreakdown): Metric {
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

function evenRankMetric(detail: CheckpointCostBreakdown): Metric {
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

function snapshotMetric(scenario: Scenario, detail: CheckpointCostBreakdown): Metric {
  const { costs, snapshot, snapshotNodes } = detail;
  const twoLevel = scenario.checkpoint.twoLevel;
  const maxNode = snapshotNodes.nodeBytes.reduce((max, bytes) => Math.max(max, bytes), 0);
  return {
    id: 'checkpoint.snapshotSeconds',
    label: twoLevel ? 'Snapshot T_snapshot (GPU→CPU)' : 'Write to storage',
    value: costs.snapshotSeconds,
    unit: 's',
    formula: twoLevel
      ? 'T_snapshot = C_bottleneck / BW_host'
      : 'T_write = max_node (C_gpu,max / BW_host + C_node / BW_storage)',
    inputs: [
      input('C_bottleneck', 'bottleneck GPU’s bytes', snapshot.bottleneckGpuBytes, 'B'),
      input('BW_host', 'GPU→host bandwidth', scenario.hardware.hostLinkGBps, 'GB/s'),
      ...(twoLevel
        ? []
        : [
            input('C_node', 'largest node’s bytes', maxNode, 'B'),
            input(
              'BW_storage',
              'storage write bandwidth per node',
              scenario.hardware.storageWriteGBps,
              'GB/s',
            ),
          ]),
    ],
    source: twoLevel
      ? `${MOC_SOURCE}, §2.3.1 and §5 (GPU→CPU snapshot over PCIe)`
      : `${MOC_SOURCE}, §2.3.1 (snapshot then persist, in sequence when saved directly)`,
  };
}

function persistMetric(scenario: Scenario, detail: CheckpointCostBreakdown): Metric {
  const maxNode = (detail.persistNodes?.nodeBytes ?? new Float64Array(0)).reduce(
    (max, bytes) => Math.max(max, bytes),
    0,
  );
  return {
    id: 'checkpoint.persistSeconds',
    label: 'Persist T_persist (CPU→storage)',
    value: detail.costs.persistSeconds,
    unit: 's',
    formula: 'T_persist = max_node C_persist,node / BW_storage',
    inputs: [
      input('C_persist,node', 'largest node’s persisted bytes', maxNode, 'B'),
      input('K_persist', 'experts persisted per MoE layer', detail.kPersist, 'experts'),
      input('BW_storage', 'storage write bandwidth per node', scenario.hardware.storageWriteGBps, 'GB/s'),
    ],
    source: `${MOC_SOURCE}, §5.1–5.2 (persist-PEC, one agent per node)`,
    ...(scenario.checkpoint.twoLevel
      ? {}
      : {
          note: 'Two-level saving is off: the checkpoint is written straight to storage, timed as the snapshot.',
          shown: 'none (single-level)',
        }),
  };
}

function stallMetric(scenario: Scenario, detail: CheckpointCostBreakdown): Metric {
  const { costs } = detail;
  const asynchronous = scenario.checkpoint.asynchronous;
  return {
    id: 'checkpoint.saveStallSeconds',
    label: 'Save stall O_save',
    value: costs.saveStallSeconds,
    unit: 's',
    formula: asynchronous ? 'O_save = max(0, T_snapshot − T_F&B)' : 'O_save = T_snapshot (blocking)',
    inputs: [
      input('T_snapshot', 'snapshot (or write) time', costs.snapshotSeconds, 's'),
      input('T_F&B', 'iteration time', costs.iterationSeconds, 's'),
    ],
    source: asynchronous ? `${MOC_SOURCE}, Eq. 10` : `${MOC_SOURCE}, §2.3.1 (blocking checkpoint)`,
  };
}

function restartMetric(scenario: Scenario, detail: CheckpointCostBreakdown): Metric {
  const { composition } = detail;
  const exceeds = detail.loadNodeBytes > composition.fullBytes;
  return {
    id: 'checkpoint.restartSeconds',
    label: 'Restart O_restart',
    value: detail.costs.restartSeconds,
    unit: 's',
    formula: 'O_restart = t_restart + T_load, T_load = C_load,node / BW_storage + C_load,gpu / BW_host',
    inputs: [
      input('t_restart', 'detect and restart', scenario.checkpoint.restartMinutes * 60, 's'),
      input('T_load', 'read the state back (failed node, from storage)', detail.loadSeconds, 's'),
      input('C_load,node', 'bytes the failed node reads (each GPU its own copy)', detail.loadNodeBytes, 'B'),
      input('C_load,gpu', 'bytes one GPU copies from the host', detail.loadGpuBytes, 'B'),
      input('BW_storage', 'storage bandwidth per node', scenario.hardware.storageWriteGBps, 'GB/s'),
      input('BW_host', 'GPU↔host bandwidth', scenario.hardware.hostLinkGBps, 'GB/s'),
    ],
    source: `${MOC_SOURCE}, Eq. 3 (O_restart), §5.1 (failed nodes load from storage)`,
    note: [
      'The restart time is the detection and relaunch alone; reading the checkpoint back (T_load) is added from the ' +
        'storage and host-link bandwidths, storage reads taken at the write bandwidth.',
      detail.layout.zeroStage < 3
        ? 'Each GPU of the failed node reads its own copy of the non-expert weights that data parallelism replicates' +
          (exceeds ? ', so the node reads more than the whole checkpoint.' : '.')
        : undefined,
    ]
      .filter((part) => part !== undefined)
      .join(' '),
  };
}

function overheadInputs(scenario: Scenario, detail: CheckpointCostBreakdown, overhead: FaultOverhead) {
  const settings = scenario.checkpoint;
  return [
    input('O_save', 'save stall per checkpoint', detail.costs.saveStallSeconds, 's'),
    input('I_total', 'iterations in the run', settings.totalIterations, 'iterations'),
    input('I_ckpt', 'checkpoint interval', settings.intervalIterations, 'iterations'),
    input('λ', 'faults per iteration (T_F&B / MTBF)', overhead.faultsPerIteration, '1/iteration'),
    input('O_restart', 'restart time', detail.costs.restartSeconds, 's'),
    input('T_F&B', 'iteration time', detail.costs.iterationSeconds, 's'),
  ];
}

/**
 * When snapshot and persist together outlast an interval, checkpoints overlap: each still completes, later than the
 * next one starts. MoC §6.2.3 reads this time ("I_ckpt from 2.3 to 1.2 in Case 2") as the shortest interval; with
 * triple buffering it is how long a checkpoint takes to serve recovery, not how often one can be taken.
 */
function latencyNote(detail: CheckpointCostBreakdown, settings: Scenario['checkpoint']): string {
  if (!settings.asynchronous || !settings.twoLevel) return '';
  const latencyIterations =
    checkpointLatencySeconds(detail.costs, settings.asynchronous) / detail.costs.iterationSeconds;
  if (!(latencyIterations > settings.intervalIterations)) return '';
  return ` Snapshot and persist together take ${formatValue(latencyIterations, 'iterations')}, longer than the interval: the next snapshot starts while this checkpoint is still being persisted (triple buffering, MoC §5.2), so each checkpoint serves recovery that long after its iteration.`;
}

function overheadMetrics(scenario: Scenario, detail: CheckpointCostBreakdown): Metric[] {
  const settings = scenario.checkpoint;
  const overhead = faultOverhead(detail.costs, settings);
  const inputs = overheadInputs(scenario, detail, overhead);
  const source = `${MOC_SOURCE}, Eq. 4, 11–13`;
  const belowMinimum = settings.intervalIterations < overhead.minIntervalIterations;
  const limits = firstOrderLimits(detail.costs, settings, settings.intervalIterations);
  const outside = limits.flag ? { flag: limits.flag } : {};
  const optimalLimits = firstOrderLimits(detail.costs, settings, overhead.optimalIntervalIterations);
  return [
    {
      id: 'checkpoint.overheadSeconds',
      label: 'Fault-tolerance overhead O_ckpt',
      value: overhead.overheadSeconds,
      unit: 's',
      formula: 'O_ckpt = O_save · I_total / I_ckpt + λ · I_total · (O_restart + I_ckpt/2 · T_F&B)',
      inputs,
      source,
      note: [
        `Saving ${overhead.saveSeconds.toFixed(0)} s, restarts ${overhead.restartSeconds.toFixed(0)} s, lost work ${overhead.lostSeconds.toFixed(0)} s over ${overhead.expectedFaults.toFixed(2)} expected faults.`,
        limits.note,
      ]
        .filter((part) => part !== undefined)
        .join(' '),
      ...outside,
    },
    {
      id: 'checkpoint.overheadFraction',
      label: 'Overhead / run length',
      value: overhead.overheadFraction,
      unit: 'fraction',
      formula: 'O_ckpt / (I_total · T_F&B)',
      inputs: [...inputs, input('O_ckpt', 'fault-tolerance overhead', overhead.overheadSeconds, 's')],
      source,
      ...(limits.note ? { note: limits.note } : {}),
      ...outside,
    },
    {
      id: 'checkpoint.optimalInterval',
      label: 'Best interval I*',
      value: overhead.optimalIntervalIterations,
      unit: 'iterations',
      formula: 'I* = max(√(2 · O_save / λ), ⌈I_min⌉, 1), O_save in iterations',
      inputs: [
        input(
          'O_save',
          'save stall per checkpoint',
          detail.costs.saveStallSeconds / detail.costs.iterationSeconds,
          'iterations',
        ),
        input('λ', 'faults per iteration', overhead.faultsPerIteration, '1/iteration'),
        input('√(2·O_save/λ)', 'Young/Daly optimum', overhead.youngDalyIterations, 'iterations'),
        input('I_min', 'shortest sustainable interval', overhead.minIntervalIterations, 'iterations'),
      ],
      source: `Derived from ${MOC_SOURCE} Eq. 16 (minimise O_save/I + λ·I/2); the paper does not state it (papers.md §1.3)`,
      note: [
        'When the snapshot hides completely (O_save = 0), any interval the persist allows is free of saving cost.',
        optimalLimits.note,
      ]
        .filter((part) => part !== undefined)
        .join(' '),
      ...(optimalLimits.flag ? { flag: optimalLimits.flag } : {}),
    },
    {
      id: 'checkpoint.minInterval',
      label: 'Shortest interval I_min',
      value: overhead.minIntervalIterations,
      unit: 'iterations',
      formula: settings.asynchronous
        ? 'I_min = max(T_snapshot, T_persist) / T_F&B (snapshot n + 1 overlaps persist n)'
        : 'I_min = T_persist / T_F&B (the blocking snapshot is done in the stall)',
      inputs: [
        input('T_snapshot', 'snapshot time', detail.costs.snapshotSeconds, 's'),
        input('T_persist', 'persist time', detail.costs.persistSeconds, 's'),
        input('T_F&B', 'iteration time', detail.costs.iterationSeconds, 's'),
      ],
      source: `${MOC_SOURCE}, §5.2 (triple buffering) and §5.3 (persist bounds I_ckpt)`,
      ...(overhead.minIntervalIterations === 0 ? { shown: 'no limit' } : {}),
      ...(belowMinimum ? { flag: `longer than I_ckpt = ${settings.intervalIterations}` } : {}),
      note: `${
        belowMinimum
          ? `The checkpoint interval, ${settings.intervalIterations} iterations, is shorter: saving cannot keep up. ${
              settings.twoLevel
                ? 'A newer snapshot replaces the one waiting to be persisted, so persists skip checkpoints and a fault rolls back further than the interval suggests.'
                : 'Each checkpoint would queue behind the previous save.'
            } Lengthen the interval, save fewer experts or use faster storage.`
          : overhead.minIntervalIterations === 0
            ? 'The blocking save finishes inside its stall, so nothing bounds how often to checkpoint.'
            : overhead.minIntervalIterations < 1
              ? 'Below one iteration: each stage of saving lasts less than an iteration, so a checkpoint every iteration keeps up.'
              : 'Checkpoints closer than this would queue behind the previous save.'
      }${latencyNote(detail, settings)}`,
    },
  ];
}

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
    ...overheadMetrics(scenario, detail),
  ];
}
