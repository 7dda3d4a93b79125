import { describe, expect, it } from 'vitest';
import { simulateRun } from '../../../src/core/checkpoint/run';
import { pltFlag, runMetrics, unfinishedRunWarning } from '../../../src/core/checkpoint/runMetrics';
import { runNotes } from '../../../src/core/checkpoint/runNotes';
import { FIELDS } from '../../../src/core/scenario/fields';
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

  it('label doubling K_persist as the lab’s own rule: MoC §5.3 says only that K_pec is doubled', () => {
    const finalK = byId(runMetrics(run, scenario.checkpoint), 'checkpoint.run.finalK');
    expect(finalK?.formula).toMatch(/K ← min\(N, 2K\)/);
    expect(finalK?.formula).toMatch(/K_persist ← min\(K, 2·K_persist\) \(derived\)/);
    expect(finalK?.source).toMatch(/§5\.3, Fig\. 15\(b\) \(K_pec doubles\)/);
    expect(finalK?.source).toMatch(/K_persist is the lab's own rule \(derived\)/);
    const why =
      /derived: MoC §5\.3 says only that K_pec is doubled\)\. A failed node restores its experts from storage/;
    expect(finalK?.note).toMatch(why);
    expect(runNotes({ twoLevel: true, dynamicK: true }, true).join(' ')).toMatch(why);
    expect(runNotes({ twoLevel: false, dynamicK: true }, true).join(' ')).not.toMatch(/K_persist/);
    const help = FIELDS.find((field) => field.key === 'checkpoint.dynamicK');
    expect(help?.help).toMatch(/doubles K_persist \(derived, not in the paper\)/);
    expect(help?.source).toMatch(/doubling K_persist is derived/);
  });

  it('give the simulated overhead’s formula as the code computes it: over the useful time T_useful', () => {
    const overhead = byId(runMetrics(run, scenario.checkpoint), 'checkpoint.run.overheadFraction');
    const time = run.time;
    expect(overhead?.value).toBeCloseTo(
      (time.stallSeconds + time.restartSeconds + time.lostSeconds) / time.usefulSeconds,
      12,
    );
    expect(overhead?.formula).toBe('O_ckpt / T_useful = (O_save + O_restart + O_lost) / T_useful');
    expect(overhead?.formula).not.toMatch(/I_total · T_F&B/);
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
