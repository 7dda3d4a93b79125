import { input, type Metric } from '../metric';
import type { Scenario } from '../scenario/types';
import type { CheckpointCostBreakdown } from './costs';
import { MOC_SOURCE } from './sizes';

// How long a checkpoint takes: snapshot (GPU → CPU), persist (CPU → storage), the training stall, and a restart.

export function snapshotMetric(scenario: Scenario, detail: CheckpointCostBreakdown): Metric {
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

export function persistMetric(scenario: Scenario, detail: CheckpointCostBreakdown): Metric {
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

export function stallMetric(scenario: Scenario, detail: CheckpointCostBreakdown): Metric {
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

export function restartMetric(scenario: Scenario, detail: CheckpointCostBreakdown): Metric {
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
