import { describe, expect, it } from 'vitest';
import { simulateRun } from '../../../src/core/checkpoint/run';
import { describeKDoubling, kDoublings } from '../../../src/core/checkpoint/runKChanges';
import { SIMPLE_COSTS, smallScenario, syntheticCosts } from './runSupport';

const simple = syntheticCosts(SIMPLE_COSTS);
// 2 MoE layers × 8 experts, K = 1, 1 s iterations, I_ckpt = 10, a 10 s restart; every fault loses tokens, so with a
// threshold of 0 each recovery doubles K.
const scenario = smallScenario({
  experts: 8,
  checkpoint: { dynamicK: true, pltThreshold: 0, totalIterations: 1000 },
});
const faultsAt = (...seconds: number[]) => ({ faults: seconds.map((at) => ({ seconds: at, node: 0 })) });

describe('dynamic K’s doublings, as the run records them', () => {
  it('one per recovery while above the threshold, from the checkpoint rolled back to, doubling K each time up to N', () => {
    const run = simulateRun(scenario, simple, faultsAt(115.5, 231, 352, 477, 590));
    const doublings = kDoublings(run.kSeries);
    // The fault at 115.5 s (iteration 115) rolls back to 110 and the restart ends at 125.5 s: K = 2 from there.
    expect(doublings).toEqual([
      { iteration: 110, seconds: 125.5, kFrom: 1, kTo: 2, kPersistFrom: 1, kPersistTo: 2 },
      { iteration: 210, seconds: 241, kFrom: 2, kTo: 4, kPersistFrom: 2, kPersistTo: 4 },
      { iteration: 320, seconds: 362, kFrom: 4, kTo: 8, kPersistFrom: 4, kPersistTo: 8 },
    ]);
    // Each at a recovery: where a rollback took training back to, when its restart ended.
    const rollbacks = run.events.filter((event) => event.kind === 'rollback');
    const restarts = run.events.filter((event) => event.kind === 'restart');
    for (const doubling of doublings) {
      expect(rollbacks.map((event) => event.endIteration)).toContain(doubling.iteration);
      expect(restarts.map((event) => event.startSeconds + event.durationSeconds)).toContain(doubling.seconds);
    }
    // K reached N = 8 at the third: the fourth and fifth faults double nothing.
    expect(run.faults).toBe(5);
    expect(run.finalK).toBe(8);
  });

  it('two faults rolling back to the same checkpoint: the second loses nothing at the new K, so K doubles once', () => {
    // 55.5 s: rollback 55 → 50, training resumes at 65.5 s with K = 2; 67.5 s (iteration 52): rollback to 50 again,
    // where every expert was restored, so the current K has lost nothing (MoC §5.3: the PLT of the current K_pec).
    const run = simulateRun(scenario, simple, faultsAt(55.5, 67.5));
    expect(run.faults).toBe(2);
    expect(kDoublings(run.kSeries).map(({ iteration, seconds, kTo }) => [iteration, seconds, kTo])).toEqual([
      [50, 65.5, 2],
    ]);
  });

  it('a fault during a restart: one recovery, so one doubling', () => {
    const run = simulateRun(scenario, simple, faultsAt(55.5, 62.5));
    expect(run.faults).toBe(2);
    expect(kDoublings(run.kSeries).map(({ iteration, seconds, kTo }) => [iteration, seconds, kTo])).toEqual([
      [50, 72.5, 2],
    ]);
  });

  it('none when dynamic K is off, or PEC already saves every expert', () => {
    const faults = faultsAt(115.5, 231, 352);
    const off = simulateRun(
      { ...scenario, checkpoint: { ...scenario.checkpoint, dynamicK: false } },
      simple,
      faults,
    );
    expect(off.plt).toBeGreaterThan(0);
    expect(kDoublings(off.kSeries)).toEqual([]);
    const full = simulateRun(
      { ...scenario, checkpoint: { ...scenario.checkpoint, pec: false } },
      simple,
      faults,
    );
    expect(kDoublings(full.kSeries)).toEqual([]);
  });

  it('with two-level saving, K_persist doubles too, and on its own once K is at N', () => {
    const twoLevel = smallScenario({
      experts: 8,
      checkpoint: {
        twoLevel: true,
        expertsPerCheckpoint: 2,
        expertsPersisted: 1,
        dynamicK: true,
        pltThreshold: 0,
        totalIterations: 1000,
      },
    });
    const run = simulateRun(twoLevel, simple, faultsAt(115.5, 231, 352, 477, 590, 702));
    const doublings = kDoublings(run.kSeries);
    expect(doublings.map((doubling) => describeKDoubling(doubling, true))).toEqual([
      'K 2→4 and K_persist 1→2',
      'K 4→8 and K_persist 2→4',
      'K_persist 4→8',
    ]);
    expect(doublings.map((doubling) => describeKDoubling(doubling, true, true))).toEqual([
      'K 2→4, K_persist 1→2',
      'K 4→8, K_persist 2→4',
      'K_persist 4→8',
    ]);
  });

  it('in words without two-level saving, where K_persist is K', () => {
    const doubling = { iteration: 5900, seconds: 1, kFrom: 4, kTo: 8, kPersistFrom: 4, kPersistTo: 8 };
    expect(describeKDoubling(doubling, false)).toBe('K 4→8');
    expect(describeKDoubling(doubling, false, true)).toBe('K 4→8');
  });
});
