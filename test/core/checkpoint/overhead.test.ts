import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkpointCostBreakdown, checkpointCosts } from '../../../src/core/checkpoint/costs';
import { checkpointMetrics } from '../../../src/core/checkpoint/metrics';
import {
  faultOverhead,
  faultsPerIteration,
  minIntervalIterations,
  checkpointLatencySeconds,
  youngDalyIterations,
} from '../../../src/core/checkpoint/overhead';
import { simulateRun } from '../../../src/core/checkpoint/run';
import type { CheckpointCosts } from '../../../src/core/checkpoint/types';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { decodeFragment } from '../../../src/core/scenario/shareLink';
import { smallScenario, syntheticCosts } from './runSupport';

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
    const settings = { intervalIterations: 50, totalIterations: 36000, asynchronous: true };
    const overhead = faultOverhead(costs, settings, 10);
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

  it('the shortest interval pipelines snapshot and persist, each stage in an interval and its stall (Eq. 10, §5.2–5.3)', () => {
    // A hidden snapshot (1.5 s against a 2 s pass, O_save = 0): each stage must fit an interval.
    const hidden = { ...costs, snapshotSeconds: 1.5, saveStallSeconds: 0 };
    expect(minIntervalIterations(hidden, true)).toBeCloseTo(1.6 / 2, 12);
    expect(minIntervalIterations({ ...hidden, persistSeconds: 1 }, true)).toBeCloseTo(1.5 / 2, 12);
    expect(minIntervalIterations({ ...hidden, persistSeconds: 5 }, true)).toBeCloseTo(5 / 2, 12);
    // A stalled snapshot (3 s against a 2 s pass, O_save = 1 s) holds the update until it is done, so it never
    // overlaps the next one: one iteration is enough for it, and the persist has I·T_F&B + O_save.
    expect(minIntervalIterations(costs, true)).toBe(1);
    expect(minIntervalIterations({ ...costs, persistSeconds: 5 }, true)).toBeCloseTo((5 - 1) / 2, 12);
    // Blocking: the snapshot is the stall (O_save = T_snapshot = 3 s), and the persist has I·T_F&B + 3 s.
    const blocking = { ...costs, saveStallSeconds: 3 };
    expect(minIntervalIterations(blocking, false)).toBe(0);
    expect(minIntervalIterations({ ...blocking, persistSeconds: 5 }, false)).toBeCloseTo((5 - 3) / 2, 12);
    // A checkpoint serves recovery only once persisted: snapshot, then persist.
    expect(checkpointLatencySeconds(costs, true)).toBeCloseTo(4.6, 12);
    expect(checkpointLatencySeconds(costs, false)).toBeCloseTo(1.6, 12);
  });

  it('I_min is where the simulated run starts to skip persists: none at or above it, some below it', () => {
    fc.assert(
      fc.property(
        fc.record({
          iterationSeconds: fc.double({ min: 0.5, max: 5, noNaN: true }),
          snapshotShare: fc.double({ min: 0, max: 3, noNaN: true }),
          persistShare: fc.double({ min: 0, max: 10, noNaN: true }),
          asynchronous: fc.boolean(),
          interval: fc.integer({ min: 1, max: 8 }),
        }),
        (draw) => {
          const synthetic = {
            iterationSeconds: draw.iterationSeconds,
            snapshotBase: draw.snapshotShare * draw.iterationSeconds,
            snapshotPerExpert: 0,
            persistSeconds: draw.persistShare * draw.iterationSeconds,
            restartSeconds: 10,
            asynchronous: draw.asynchronous,
          };
          const costsFor = syntheticCosts(synthetic);
          const minInterval = minIntervalIterations(costsFor(1), draw.asynchronous);
          // Close to the bound, a backlog takes longer to build than a short run lasts.
          fc.pre(Math.abs(draw.interval - minInterval) > 0.02);
          const scenario = smallScenario({
            checkpoint: {
              twoLevel: true,
              asynchronous: draw.asynchronous,
              intervalIterations: draw.interval,
              totalIterations: draw.interval * 1000,
            },
          });
          const run = simulateRun(scenario, costsFor, { faults: [] });
          expect(run.persistsDropped > 0, `I_min = ${minInterval}`).toBe(draw.interval < minInterval);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a snapshot that stalls does not bound the interval: the review’s link keeps up at I = 1, as its run does', () => {
    // T_snapshot 3.30 s, T_F&B 2.26 s, O_save 1.04 s, T_persist 0.52 s: I_min was max(3.30, 0.52) / 2.26 = 1.46.
    const { scenario } = decodeFragment(
      'v=1&model=gpt-350m-16e&gpu=a800&interLink=roce-100g&hostLinkGBps=1&computeEff=0.2&batch=256&seq=2048' +
        '&lab=checkpointing&checkpoint.pec=false&checkpoint.intervalIterations=1&storageWriteGBps=50',
    );
    const metrics = new Map(checkpointMetrics(scenario).map((metric) => [metric.id, metric]));
    const { costs } = checkpointCostBreakdown(scenario);
    expect(costs.snapshotSeconds).toBeGreaterThan(costs.iterationSeconds);
    expect(costs.persistSeconds).toBeLessThan(costs.saveStallSeconds);
    const minInterval = metrics.get('checkpoint.minInterval');
    expect(minInterval?.value).toBe(1);
    expect(minInterval?.flag).toBeUndefined();
    expect(minInterval?.note).not.toMatch(/cannot keep up|skip checkpoints/);
    expect(minInterval?.note).toMatch(/a checkpoint every iteration keeps up/);
    const run = simulateRun(scenario, checkpointCosts(scenario));
    expect(run.persistsDropped).toBe(0);
    expect(run.persistsCompleted).toBeGreaterThan(19000);
  });

  it('the I* note says O_save = 0 only when the snapshot hides', () => {
    const note = (fragment: string) =>
      checkpointMetrics(decodeFragment(fragment).scenario).find(
        (metric) => metric.id === 'checkpoint.optimalInterval',
      )?.note ?? '';
    const stalls = note(
      'v=1&model=gpt-350m-16e&gpu=a800&hostLinkGBps=1&computeEff=0.2&batch=256&seq=2048&checkpoint.pec=false',
    );
    expect(stalls).not.toMatch(/hides completely|\(O_save = 0\)/);
    expect(stalls).toMatch(/stalls training by O_save = 0\.463 iterations/);
    const hides = note('v=1');
    expect(checkpointCostBreakdown(defaultScenario()).costs.saveStallSeconds).toBe(0);
    expect(hides).toMatch(/hides completely \(O_save = 0\)/);
  });

  it('with O_save = 0, I* is the shortest stall-free interval, and the note says what the model leaves unpriced', () => {
    const scenario = defaultScenario();
    const optimal = checkpointMetrics(scenario).find((metric) => metric.id === 'checkpoint.optimalInterval');
    expect(optimal?.value).toBe(1);
    const note = optimal?.note ?? '';
    expect(note).toMatch(/Any interval of at least I_min is stall-free/);
    expect(note).toMatch(/optimum is the shortest/);
    expect(note).toMatch(/no per-checkpoint cost other than the stall/);
    expect(note).toMatch(/storage traffic and wear .* not priced/);
    expect(note).toMatch(/1\.1–1\.8% of the blocking baseline’s stall/);
    expect(note).toMatch(/Eq\. 10 prices at zero/);
  });

  it('the interval to use is I* raised to ⌈I_min⌉ and at least 1', () => {
    const free = faultOverhead(
      { ...costs, snapshotSeconds: 1.5, persistSeconds: 3, saveStallSeconds: 0 },
      { intervalIterations: 10, totalIterations: 1000, asynchronous: true },
      24,
    );
    expect(free.youngDalyIterations).toBe(0);
    expect(free.optimalIntervalIterations).toBe(2); // ⌈max(1.5, 3) / 2⌉
    const long = faultOverhead(
      costs,
      { intervalIterations: 10, totalIterations: 1000, asynchronous: true },
      24,
    );
    expect(long.optimalIntervalIterations).toBeCloseTo(long.youngDalyIterations, 12);
    expect(long.optimalIntervalIterations).toBeGreaterThan(100);
  });
});
