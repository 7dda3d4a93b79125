import { describe, expect, it } from 'vitest';
import { simulateRun } from '../../../src/core/checkpoint/run';
import { runMetrics, unfinishedRunWarning } from '../../../src/core/checkpoint/runMetrics';
import { SIMPLE_COSTS, smallScenario, syntheticCosts } from './runSupport';

const byId = (metrics: { id: string; note?: string }[], id: string) =>
  metrics.find((metric) => metric.id === id);

describe('the run’s figures', () => {
  const scenario = smallScenario({ experts: 8, checkpoint: { pltThreshold: 0, totalIterations: 1000 } });
  const run = simulateRun(scenario, syntheticCosts(SIMPLE_COSTS), { faults: [{ seconds: 115.5, node: 0 }] });

  it('mention dynamic K above the threshold only when it is on', () => {
    const on = runMetrics(run, { ...scenario.checkpoint, dynamicK: true });
    const off = runMetrics(run, { ...scenario.checkpoint, dynamicK: false });
    expect(byId(on, 'checkpoint.run.plt')?.note).toMatch(/dynamic K raises K/);
    expect(byId(off, 'checkpoint.run.plt')?.note).toMatch(/dynamic K is off/);
  });

  it('give the interval as I_ckpt in the working of the recomputed iterations, beside the checkpoint count', () => {
    const recomputed = runMetrics(run, scenario.checkpoint).find(
      (metric) => metric.id === 'checkpoint.run.lostIterations',
    );
    const symbols = Object.fromEntries(recomputed?.inputs.map((item) => [item.symbol, item.value]) ?? []);
    expect(symbols['I_ckpt']).toBe(scenario.checkpoint.intervalIterations);
    expect(symbols['checkpoints']).toBe(run.checkpoints);
  });

  it('warn when the run stopped early, and only then', () => {
    expect(unfinishedRunWarning(run)).toBeUndefined();
    const hopeless = simulateRun(
      smallScenario({ checkpoint: { mtbfHours: 0.0001 } }),
      syntheticCosts({ ...SIMPLE_COSTS, restartSeconds: 600 }),
    );
    expect(hopeless.completed).toBe(false);
    expect(unfinishedRunWarning(hopeless)).toMatch(/never finishes/);
  });
});
