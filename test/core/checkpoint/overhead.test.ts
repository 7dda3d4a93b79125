import { describe, expect, it } from 'vitest';
import {
  faultOverhead,
  faultsPerIteration,
  minIntervalIterations,
  checkpointLatencySeconds,
  youngDalyIterations,
} from '../../../src/core/checkpoint/overhead';
import type { CheckpointCosts } from '../../../src/core/checkpoint/types';

const costs: CheckpointCosts = {
  iterationSeconds: 2,
  snapshotSeconds: 3,
  persistSeconds: 1.6,
  saveStallSeconds: 1,
  restartSeconds: 600,
  checkpointBytes: 1e9,
  bottleneckRankBytes: 1e8,
};

describe('fault-tolerance overhead (MoC Eq. 4, 11–13)', () => {
  it('λ turns a job MTBF into faults per iteration', () => {
    expect(faultsPerIteration(2, 1)).toBeCloseTo(2 / 3600, 15);
  });

  it('O_ckpt = O_save·I_total/I_ckpt + λ·I_total·(O_restart + I_ckpt/2 · T_F&B)', () => {
    const settings = { intervalIterations: 50, totalIterations: 36000, mtbfHours: 10, asynchronous: true };
    const overhead = faultOverhead(costs, settings);
    const lambda = 2 / 36000;
    expect(overhead.faultsPerIteration).toBeCloseTo(lambda, 15);
    expect(overhead.expectedFaults).toBeCloseTo(2, 12);
    expect(overhead.saveSeconds).toBeCloseTo((1 * 36000) / 50, 9);
    expect(overhead.restartSeconds).toBeCloseTo(2 * 600, 9);
    expect(overhead.lostSeconds).toBeCloseTo(2 * 25 * 2, 9);
    expect(overhead.overheadSeconds).toBeCloseTo(720 + 1200 + 100, 9);
    expect(overhead.overheadFraction).toBeCloseTo(2020 / (36000 * 2), 12);
  });

  it('I* = √(2·O_save/λ) minimises O_save/I + λ·I/2 (derived from Eq. 16)', () => {
    const lambda = 1e-4;
    const saveIterations = 0.5;
    const best = youngDalyIterations(1, 2, lambda);
    expect(best).toBeCloseTo(Math.sqrt((2 * saveIterations) / lambda), 9);
    const cost = (interval: number) => saveIterations / interval + (lambda * interval) / 2;
    expect(cost(best)).toBeLessThan(cost(best * 0.9));
    expect(cost(best)).toBeLessThan(cost(best * 1.1));
    expect(youngDalyIterations(0, 2, lambda)).toBe(0);
  });

  it('the shortest interval is max(T_snapshot, T_persist) / T_F&B (pipelined), the persist only when the snapshot blocks', () => {
    expect(minIntervalIterations(costs, true)).toBeCloseTo(3 / 2, 12);
    expect(minIntervalIterations({ ...costs, persistSeconds: 5 }, true)).toBeCloseTo(5 / 2, 12);
    expect(minIntervalIterations(costs, false)).toBeCloseTo(0.8, 12);
    // A checkpoint serves recovery only once persisted: snapshot, then persist.
    expect(checkpointLatencySeconds(costs, true)).toBeCloseTo(4.6, 12);
    expect(checkpointLatencySeconds(costs, false)).toBeCloseTo(1.6, 12);
  });

  it('the interval to use is I* raised to ⌈I_min⌉ and at least 1', () => {
    const free = faultOverhead(
      { ...costs, saveStallSeconds: 0 },
      { intervalIterations: 10, totalIterations: 1000, mtbfHours: 24, asynchronous: true },
    );
    expect(free.youngDalyIterations).toBe(0);
    expect(free.optimalIntervalIterations).toBe(2); // ⌈max(3, 1.6) / 2⌉
    const long = faultOverhead(costs, {
      intervalIterations: 10,
      totalIterations: 1000,
      mtbfHours: 24,
      asynchronous: true,
    });
    expect(long.optimalIntervalIterations).toBeCloseTo(long.youngDalyIterations, 12);
    expect(long.optimalIntervalIterations).toBeGreaterThan(100);
  });
});
