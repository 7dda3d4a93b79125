import { describe, expect, it } from 'vitest';
import { simulateRun } from '../../../src/core/checkpoint/run';
import { MAX_FAULTS_SHOWN } from '../../../src/core/checkpoint/runEvents';
import { SIMPLE_COSTS, smallScenario, syntheticCosts } from './runSupport';

describe('the timeline’s events', () => {
  it('keep every fault’s time, though only the first faults keep their restart and rollback bars', () => {
    // 1 s iterations, restart 10 s, a checkpoint every 10: each fault 50 s after the last rolls back to the checkpoint
    // 40 iterations on, so the run of 60,000 iterations meets all 1,200 faults, the last 12,000 s before its end.
    const schedule = Array.from({ length: 1200 }, (_, index) => ({ seconds: 25.5 + index * 50, node: 0 }));
    const run = simulateRun(
      smallScenario({ checkpoint: { totalIterations: 60000 } }),
      syntheticCosts(SIMPLE_COSTS),
      { faults: schedule },
    );
    expect(run.completed).toBe(true);
    expect(run.faults).toBe(1200);
    expect(run.faultSeconds).toEqual(schedule.map((fault) => fault.seconds));
    expect(run.events.filter((event) => event.kind === 'fault')).toHaveLength(MAX_FAULTS_SHOWN);
    expect(run.faultSeconds.at(-1)).toBeGreaterThan(0.8 * run.time.totalSeconds);
    expect(run.eventsNote).toMatch(/Every fault is marked on the fault lane/);
  });
});
