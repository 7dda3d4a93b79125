import { defaultScenario } from '../../../src/core/scenario/defaults';
import type { Scenario } from '../../../src/core/scenario/types';
import type { CheckpointSettings, CostsForK } from '../../../src/core/checkpoint/types';

export interface SyntheticCosts {
  iterationSeconds: number;
  /** Snapshot seconds per expert saved per layer (T_snapshot = base + perExpert · K). */
  snapshotBase: number;
  snapshotPerExpert: number;
  persistSeconds: number;
  restartSeconds: number;
  asynchronous: boolean;
}

/** A CostsForK with the stall of MoC Eq. 10: max(0, T_snapshot − T_F&B) asynchronous, T_snapshot blocking. */
export function syntheticCosts(costs: SyntheticCosts): CostsForK {
  return (k) => {
    const snapshotSeconds = costs.snapshotBase + costs.snapshotPerExpert * k;
    return {
      iterationSeconds: costs.iterationSeconds,
      snapshotSeconds,
      persistSeconds: costs.persistSeconds,
      saveStallSeconds: costs.asynchronous
        ? Math.max(0, snapshotSeconds - costs.iterationSeconds)
        : snapshotSeconds,
      restartSeconds: costs.restartSeconds,
      checkpointBytes: 0,
      bottleneckRankBytes: 0,
    };
  };
}

/** 1 s iterations, instant snapshots and persists, a 10 s restart: easy to follow by hand. */
export const SIMPLE_COSTS: SyntheticCosts = {
  iterationSeconds: 1,
  snapshotBase: 0,
  snapshotPerExpert: 0,
  persistSeconds: 0,
  restartSeconds: 10,
  asynchronous: true,
};

/**
 * A small model (Mixtral's shape with `layers` MoE layers of `experts` experts, top-1, uniform routing) on
 * `nodes` nodes of one GPU each (DP = EP = nodes), with the given checkpoint settings.
 */
export function smallScenario(args: {
  layers?: number;
  experts?: number;
  nodes?: number;
  profile?: 'uniform' | 'zipf' | 'olmoe';
  checkpoint?: Partial<CheckpointSettings>;
  seed?: number;
}): Scenario {
  const base = defaultScenario();
  const nodes = args.nodes ?? 1;
  return {
    ...base,
    model: {
      preset: 'mixtral-8x7b',
      overrides: { layers: args.layers ?? 2, experts: args.experts ?? 4, topK: 1 },
    },
    hardware: { ...base.hardware, gpusPerNode: 1 },
    parallelism: { ...base.parallelism, dp: nodes, ep: nodes, tp: 1 },
    workload: { ...base.workload, seed: args.seed ?? 1 },
    routing: { ...base.routing, profile: args.profile ?? 'uniform' },
    checkpoint: {
      ...base.checkpoint,
      pec: true,
      expertsPerCheckpoint: 1,
      expertsPersisted: 1,
      selection: 'sequential',
      twoLevel: false,
      intervalIterations: 10,
      totalIterations: 100,
      mtbfHours: 1e5,
      dynamicK: false,
      viewIteration: 0,
      ...args.checkpoint,
    },
  };
}
