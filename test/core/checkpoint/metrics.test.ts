import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkpointCostBreakdown } from '../../../src/core/checkpoint/costs';
import { checkpointMetrics } from '../../../src/core/checkpoint/metrics';
import type { Metric } from '../../../src/core/metric';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { applyEntries } from '../../../src/core/scenario/validate';
import { scenarioArbitrary } from '../support/scenarioArbitrary';

const EXPECTED_IDS = [
  'checkpoint.iterationSeconds',
  'checkpoint.fullBytes',
  'checkpoint.pecBytes',
  'checkpoint.bottleneckRankBytes',
  'checkpoint.idealRankBytes',
  'checkpoint.snapshotSeconds',
  'checkpoint.persistSeconds',
  'checkpoint.saveStallSeconds',
  'checkpoint.restartSeconds',
  'checkpoint.overheadSeconds',
  'checkpoint.overheadFraction',
  'checkpoint.optimalInterval',
  'checkpoint.minInterval',
];

function expectShowsItsWork(metric: Metric): void {
  expect(metric.id.startsWith('checkpoint.'), metric.id).toBe(true);
  expect(metric.label.length, metric.id).toBeGreaterThan(3);
  expect(metric.formula.length, metric.id).toBeGreaterThan(3);
  expect(metric.source.length, metric.id).toBeGreaterThan(10);
  expect(metric.unit, metric.id).not.toBe('%');
  expect(metric.inputs.length, metric.id).toBeGreaterThan(0);
  expect(Number.isFinite(metric.value), metric.id).toBe(true);
  expect(metric.value, metric.id).toBeGreaterThanOrEqual(0);
  for (const item of metric.inputs) {
    expect(Number.isFinite(item.value), `${metric.id}.${item.symbol}`).toBe(true);
  }
}

describe('checkpoint metrics show their work', () => {
  it('lists the expected metrics once each', () => {
    expect(checkpointMetrics(defaultScenario()).map((metric) => metric.id)).toEqual(EXPECTED_IDS);
  });

  it('every metric is finite, ≥ 0, with formula, inputs and source, over random valid scenarios', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const metrics = checkpointMetrics(scenario);
        expect(metrics.map((metric) => metric.id)).toEqual(EXPECTED_IDS);
        for (const metric of metrics) expectShowsItsWork(metric);
      }),
      { numRuns: 150 },
    );
  });

  it('agrees with the cost model it summarises', () => {
    const scenario = defaultScenario();
    const byId = new Map(checkpointMetrics(scenario).map((metric) => [metric.id, metric.value]));
    const { costs, snapshot } = checkpointCostBreakdown(scenario);
    expect(byId.get('checkpoint.iterationSeconds')).toBe(costs.iterationSeconds);
    expect(byId.get('checkpoint.snapshotSeconds')).toBe(costs.snapshotSeconds);
    expect(byId.get('checkpoint.persistSeconds')).toBe(costs.persistSeconds);
    expect(byId.get('checkpoint.saveStallSeconds')).toBe(costs.saveStallSeconds);
    expect(byId.get('checkpoint.restartSeconds')).toBe(costs.restartSeconds);
    expect(byId.get('checkpoint.bottleneckRankBytes')).toBe(snapshot.bottleneckGpuBytes);
    expect(byId.get('checkpoint.pecBytes')).toBeCloseTo(snapshot.totalBytes, -2);
    expect(byId.get('checkpoint.pecBytes') ?? 0).toBeLessThan(byId.get('checkpoint.fullBytes') ?? 0);
  });

  it('cites the paper’s equations', () => {
    const sources = new Map(checkpointMetrics(defaultScenario()).map((metric) => [metric.id, metric.source]));
    expect(sources.get('checkpoint.fullBytes')).toMatch(/Eq\. 5/);
    expect(sources.get('checkpoint.pecBytes')).toMatch(/Eq\. 6/);
    expect(sources.get('checkpoint.saveStallSeconds')).toMatch(/Eq\. 10/);
    expect(sources.get('checkpoint.overheadSeconds')).toMatch(/Eq\. 4, 11–13/);
    expect(sources.get('checkpoint.optimalInterval')).toMatch(/does not state it/);
  });
});

describe('checkpoint figures that have no value to give say so', () => {
  const byId = (entries: [string, unknown][]) => {
    const { scenario } = applyEntries(defaultScenario(), entries);
    return Object.fromEntries(checkpointMetrics(scenario).map((metric) => [metric.id, metric]));
  };

  it('single-level saving has no persist step, and a blocking save leaves no bound on the interval', () => {
    const single = byId([
      ['checkpoint.twoLevel', false],
      ['checkpoint.asynchronous', false],
    ]);
    expect(single['checkpoint.persistSeconds']?.shown).toBe('none (single-level)');
    expect(single['checkpoint.minInterval']?.value).toBe(0);
    expect(single['checkpoint.minInterval']?.shown).toBe('no limit');
    const twoLevel = byId([]);
    expect(twoLevel['checkpoint.persistSeconds']?.shown).toBeUndefined();
    expect(twoLevel['checkpoint.minInterval']?.value).toBeGreaterThan(0);
    expect(twoLevel['checkpoint.minInterval']?.value).toBeLessThan(1);
    expect(twoLevel['checkpoint.minInterval']?.note).toMatch(/a checkpoint every iteration keeps up/);
    expect(twoLevel['checkpoint.minInterval']?.flag).toBeUndefined();
  });

  it('snapshot and persist pipeline across checkpoints: each must fit an interval, not both in turn (MoC §5.2)', () => {
    // Snapshot 42.3 s and persist 20.3 s against a 53.6 s iteration: together longer than one iteration, each shorter.
    const metrics = byId([
      ['hostLinkGBps', 1],
      ['checkpoint.intervalIterations', 1],
    ]);
    const snapshot = metrics['checkpoint.snapshotSeconds']!.value;
    const persist = metrics['checkpoint.persistSeconds']!.value;
    const iteration = metrics['checkpoint.iterationSeconds']!.value;
    expect(snapshot + persist).toBeGreaterThan(iteration);
    const minInterval = metrics['checkpoint.minInterval'];
    expect(minInterval?.value).toBeCloseTo(Math.max(snapshot, persist) / iteration, 12);
    expect(minInterval?.flag).toBeUndefined();
    expect(minInterval?.note).toMatch(/a checkpoint every iteration keeps up/);
    expect(minInterval?.note).toContain(
      `Snapshot and persist together take ${((snapshot + persist) / iteration).toPrecision(3)} iterations`,
    );
  });

  it('an interval shorter than I_min is flagged beside the figure, and the note says what happens', () => {
    const slowStorage = byId([['storageWriteGBps', 0.01]]);
    const minInterval = slowStorage['checkpoint.minInterval'];
    expect(minInterval?.value).toBeGreaterThan(100);
    expect(minInterval?.flag).toBe('longer than I_ckpt = 100');
    expect(minInterval?.note).toMatch(/persists skip checkpoints/);
  });
});
