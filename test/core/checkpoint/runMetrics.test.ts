import { describe, expect, it } from 'vitest';
import { simulateRun } from '../../../src/core/checkpoint/run';
import { pltFlag, runMetrics, unfinishedRunWarning } from '../../../src/core/checkpoint/runMetrics';
import type { Metric } from '../../../src/core/metric';
import { formatMetricFlagged, formatValue } from '../../../src/core/format';
import { SIMPLE_COSTS, smallScenario, syntheticCosts } from './runSupport';

const byId = (metrics: Metric[], id: string) => metrics.find((metric) => metric.id === id);

describe('the run’s figures', () => {
  const scenario = smallScenario({ experts: 8, checkpoint: { pltThreshold: 0, totalIterations: 1000 } });
  const run = simulateRun(scenario, syntheticCosts(SIMPLE_COSTS), { faults: [{ seconds: 115.5, node: 0 }] });

  it('mention dynamic K above the threshold only when it is on', () => {
    const on = runMetrics(run, { ...scenario.checkpoint, dynamicK: true });
    const off = runMetrics(run, { ...scenario.checkpoint, dynamicK: false });
    expect(byId(on, 'checkpoint.run.plt')?.note).toMatch(/dynamic K raises K/);
    expect(byId(off, 'checkpoint.run.plt')?.note).toMatch(/dynamic K is off/);
  });

  it('flag a PLT above the threshold beside the value, in words, and only then', () => {
    const plt = run.plt;
    expect(plt).toBeGreaterThan(0);
    const above = byId(
      runMetrics(run, { ...scenario.checkpoint, pltThreshold: plt / 2 }),
      'checkpoint.run.plt',
    );
    expect(above?.flag).toBe(`above the ${formatValue(plt / 2, 'fraction')} threshold`);
    expect(above && formatMetricFlagged(above)).toMatch(/^[\d.]+% — above the [\d.]+% threshold$/);
    for (const pltThreshold of [plt, plt * 2]) {
      const safe = byId(runMetrics(run, { ...scenario.checkpoint, pltThreshold }), 'checkpoint.run.plt');
      expect(safe).toBeDefined();
      expect(safe).not.toHaveProperty('flag');
      expect(safe && formatMetricFlagged(safe)).toMatch(/^[\d.]+%$/);
    }
  });

  it('say “just above” when PLT and the threshold round to the same percentage', () => {
    expect(pltFlag(0.0606, 0.0375)).toBe('above the 3.75% threshold');
    expect(pltFlag(0.03751, 0.0375)).toBe('just above the 3.75% threshold');
    expect(pltFlag(0.0375, 0.0375)).toBeUndefined();
    expect(pltFlag(0, 0)).toBeUndefined();
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
