import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateRun } from '../../../src/core/checkpoint/run';
import type { CheckpointRun, ScheduledFault } from '../../../src/core/checkpoint/runTypes';
import type { Scenario } from '../../../src/core/scenario/types';
import { smallScenario, syntheticCosts, type SyntheticCosts } from './runSupport';

interface Case {
  scenario: Scenario;
  costs: SyntheticCosts;
}

const costsArbitrary: fc.Arbitrary<SyntheticCosts> = fc.record({
  iterationSeconds: fc.double({ min: 0.1, max: 10, noNaN: true }),
  snapshotBase: fc.double({ min: 0, max: 5, noNaN: true }),
  snapshotPerExpert: fc.double({ min: 0, max: 2, noNaN: true }),
  persistSeconds: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2000, noNaN: true })),
  restartSeconds: fc.double({ min: 0, max: 600, noNaN: true }),
  asynchronous: fc.boolean(),
});

/**
 * Random checkpoint settings on a small model (1–6 MoE layers, 2–32 experts, 1–4 nodes), any routing skew. An
 * interval is at most ≈ 2000 s and a restart 600 s against an MTBF of at least 30 min, so runs finish (the fault
 * cap has its own test in run.test.ts).
 */
const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    layers: fc.integer({ min: 1, max: 6 }),
    experts: fc.constantFrom(2, 4, 8, 16, 32),
    nodes: fc.constantFrom(1, 2, 4),
    profile: fc.constantFrom('uniform', 'zipf', 'olmoe') as fc.Arbitrary<'uniform' | 'zipf' | 'olmoe'>,
    k: fc.integer({ min: 1, max: 32 }),
    kPersist: fc.integer({ min: 1, max: 32 }),
    pec: fc.boolean(),
    twoLevel: fc.boolean(),
    loadAware: fc.boolean(),
    interval: fc.integer({ min: 1, max: 200 }),
    total: fc.integer({ min: 1, max: 6000 }),
    mtbfHours: fc.double({ min: 0.5, max: 20, noNaN: true }),
    dynamicK: fc.boolean(),
    pltThreshold: fc.double({ min: 0, max: 0.1, noNaN: true }),
    viewFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.integer({ min: 0, max: 1000 }),
    costs: costsArbitrary,
  })
  .map((draw) => {
    const k = Math.min(draw.k, draw.experts);
    return {
      scenario: smallScenario({
        layers: draw.layers,
        experts: draw.experts,
        nodes: draw.nodes,
        profile: draw.profile,
        seed: draw.seed,
        checkpoint: {
          pec: draw.pec,
          expertsPerCheckpoint: k,
          expertsPersisted: Math.min(draw.kPersist, k),
          twoLevel: draw.twoLevel,
          selection: draw.loadAware ? 'load-aware' : 'sequential',
          intervalIterations: draw.interval,
          totalIterations: draw.total,
          mtbfHours: draw.mtbfHours,
          dynamicK: draw.dynamicK,
          pltThreshold: draw.pltThreshold,
          viewIteration: Math.floor(draw.viewFraction * draw.total),
        },
      }),
      costs: draw.costs,
    };
  });

function run(testCase: Case, faults?: readonly ScheduledFault[]): CheckpointRun {
  return simulateRun(testCase.scenario, syntheticCosts(testCase.costs), faults ? { faults } : {});
}

const RUNS = 150;

describe('simulateRun: invariants over random settings', () => {
  it('PLT never negative and never falls; goodput in (0, 1]; staleness in [0, viewIteration]', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const result = run(testCase);
        expect(result.plt).toBeGreaterThanOrEqual(0);
        for (let index = 1; index < result.pltSeries.length; index += 1)
          expect(result.pltSeries[index]!.plt).toBeGreaterThanOrEqual(result.pltSeries[index - 1]!.plt);
        expect(result.pltSeries.at(-1)!.plt).toBe(result.plt);
        // What the PLT card shows as its working: the numerator over N_moe · I_total.
        expect(result.plt).toBeCloseTo(
          result.lostShareIterations / (result.moeLayers * result.totalIterations),
          12,
        );
        expect(result.time.goodput).toBeGreaterThan(0);
        expect(result.time.goodput).toBeLessThanOrEqual(1);
        const view = result.grid.viewIteration;
        for (let index = 0; index < result.grid.staleness.length; index += 1) {
          const staleness = result.grid.staleness[index]!;
          const persistStaleness = result.grid.persistStaleness[index]!;
          if (staleness < 0 || staleness > view || persistStaleness < staleness || persistStaleness > view)
            throw new Error(`staleness ${staleness}/${persistStaleness} out of [0, ${view}] at ${index}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('time accounting adds up: total = useful + stalls + restarts + lost work, and matches the wall clock', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const result = run(testCase);
        const { usefulSeconds, stallSeconds, restartSeconds, lostSeconds, totalSeconds } = result.time;
        expect(totalSeconds).toBe(usefulSeconds + stallSeconds + restartSeconds + lostSeconds);
        for (const part of [usefulSeconds, stallSeconds, restartSeconds, lostSeconds])
          expect(part).toBeGreaterThanOrEqual(0);
        const tolerance = 1e-9 * Math.max(1, totalSeconds);
        // The wall clock the events ran on ends where the accounting says.
        expect(Math.abs(result.pltSeries.at(-1)!.seconds - totalSeconds)).toBeLessThan(tolerance);
        // Useful time is the surviving iterations' time (costs here do not depend on K).
        const useful = result.iterationsCompleted * testCase.costs.iterationSeconds;
        expect(Math.abs(usefulSeconds - useful)).toBeLessThan(tolerance);
        expect(result.overhead.seconds).toBeCloseTo(stallSeconds + restartSeconds + lostSeconds, 6);
        if (result.completed) expect(result.iterationsCompleted).toBe(result.totalIterations);
      }),
      { numRuns: RUNS },
    );
  });

  it('events are sorted; single-level, a fault loses fewer than 2·I_ckpt iterations; checkpoints count the begun saves', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const result = run(testCase);
        for (let index = 1; index < result.events.length; index += 1)
          expect(result.events[index]!.startSeconds).toBeGreaterThanOrEqual(
            result.events[index - 1]!.startSeconds,
          );
        const interval = testCase.scenario.checkpoint.intervalIterations;
        // Two-level, the rollback point is the last finished persist, which slow storage can leave far behind.
        const singleLevel = !testCase.scenario.checkpoint.twoLevel;
        expect(result.lostIterations).toBeGreaterThanOrEqual(0);
        if (singleLevel)
          expect(result.lostIterations).toBeLessThanOrEqual(result.faults * (2 * interval - 1));
        for (const event of result.events) {
          if (event.kind === 'rollback') {
            expect(event.endIteration).toBeLessThanOrEqual(event.startIteration);
            if (singleLevel) expect(event.startIteration - event.endIteration).toBeLessThan(2 * interval);
            expect(event.endIteration % interval).toBe(0);
          }
        }
        const firstPass = Math.floor(result.iterationsCompleted / interval);
        expect(result.checkpoints).toBeGreaterThanOrEqual(result.completed ? firstPass : 0);
      }),
      { numRuns: RUNS },
    );
  });

  it('dynamic K only grows, by doubling after recoveries, and never exceeds N', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const result = run(testCase);
        const settings = testCase.scenario.checkpoint;
        const { kSeries } = result;
        expect(kSeries[0]!.k).toBe(settings.pec ? settings.expertsPerCheckpoint : result.experts);
        if (!settings.dynamicK || !settings.pec) expect(kSeries).toHaveLength(1);
        expect(kSeries.length - 1).toBeLessThanOrEqual(result.faults);
        for (const point of kSeries) {
          expect(point.kPersist).toBeGreaterThanOrEqual(1);
          expect(point.kPersist).toBeLessThanOrEqual(point.k);
          if (!settings.twoLevel) expect(point.kPersist).toBe(point.k);
        }
        for (let index = 1; index < kSeries.length; index += 1) {
          expect(kSeries[index]!.k).toBe(Math.min(result.experts, 2 * kSeries[index - 1]!.k));
          if (settings.twoLevel)
            expect(kSeries[index]!.kPersist).toBe(
              Math.min(kSeries[index]!.k, 2 * kSeries[index - 1]!.kPersist),
            );
          expect(kSeries[index]!.seconds).toBeGreaterThanOrEqual(kSeries[index - 1]!.seconds);
          // From the checkpoint a recovery rolled back to: never before the previous doubling's (two faults rolling
          // back to the same checkpoint double K twice there), and within the iterations the run reached.
          expect(kSeries[index]!.iteration).toBeGreaterThanOrEqual(kSeries[index - 1]!.iteration);
          expect(kSeries[index]!.iteration % settings.intervalIterations).toBe(0);
          expect(kSeries[index]!.iteration).toBeLessThanOrEqual(result.iterationsCompleted);
        }
        expect(result.finalK).toBe(kSeries.at(-1)!.k);
        expect(result.finalKPersist).toBe(kSeries.at(-1)!.kPersist);
        expect(result.finalK).toBeLessThanOrEqual(result.experts);
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic: the same scenario gives the same run', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        expect(run(testCase)).toEqual(run(testCase));
      }),
      { numRuns: 40 },
    );
  });
});

describe('simulateRun: faults', () => {
  it('without faults nothing is lost: PLT 0, goodput = useful / (useful + stalls)', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const result = run(testCase, []);
        expect(result.faults).toBe(0);
        expect(result.lostIterations).toBe(0);
        expect(result.plt).toBe(0);
        expect(result.time.lostSeconds).toBe(0);
        expect(result.time.restartSeconds).toBe(0);
        const { usefulSeconds, stallSeconds } = result.time;
        expect(result.time.goodput).toBe(usefulSeconds / (usefulSeconds + stallSeconds));
        // A huge MTBF is the same as no faults for these short runs.
        const calm = {
          ...testCase.scenario,
          checkpoint: { ...testCase.scenario.checkpoint, mtbfHours: 1e9 },
        };
        const seeded = simulateRun(calm, syntheticCosts(testCase.costs));
        expect(seeded.faults).toBe(0);
        expect(seeded.time).toEqual(result.time);
      }),
      { numRuns: RUNS },
    );
  });

  it('with K = N (PEC off), single- or two-level, every expert comes back at t_c: PLT stays 0', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const scenario = {
          ...testCase.scenario,
          checkpoint: { ...testCase.scenario.checkpoint, pec: false, twoLevel: false },
        };
        const result = simulateRun(scenario, syntheticCosts(testCase.costs));
        expect(result.plt).toBe(0);
        // Two-level, however slow the persists: the run rolls back to the last persisted full checkpoint.
        const twoLevel = { ...scenario, checkpoint: { ...scenario.checkpoint, twoLevel: true } };
        expect(simulateRun(twoLevel, syntheticCosts(testCase.costs)).plt).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('more faults never lose less: a fault schedule loses at least what any earlier part of it loses', () => {
    const scheduleArbitrary = fc.array(
      fc.record({ seconds: fc.double({ min: 0, max: 20000, noNaN: true }), node: fc.nat(7) }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(caseArbitrary, scheduleArbitrary, fc.nat(12), (testCase, schedule, cut) => {
        const sorted = [...schedule].sort((a, b) => a.seconds - b.seconds);
        const full = run(testCase, sorted);
        const prefix = run(testCase, sorted.slice(0, cut));
        expect(full.faults).toBeGreaterThanOrEqual(prefix.faults);
        expect(full.lostIterations).toBeGreaterThanOrEqual(prefix.lostIterations);
        expect(full.plt).toBeGreaterThanOrEqual(prefix.plt);
        expect(full.time.totalSeconds).toBeGreaterThanOrEqual(prefix.time.totalSeconds);
      }),
      { numRuns: RUNS },
    );
  });
});
