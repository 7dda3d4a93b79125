import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkpointCostBreakdown } from '../../../src/core/checkpoint/costs';
import { checkpointMetrics } from '../../../src/core/checkpoint/metrics';
import type { Metric } from '../../../src/core/metric';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { FIELDS } from '../../../src/core/scenario/fields';
import { applyEntries } from '../../../src/core/scenario/validate';
import { scenarioArbitrary } from '../support/scenarioArbitrary';

const EXPECTED_IDS = [
  'checkpoint.iterationSeconds',
  'checkpoint.fullBytes',
  'checkpoint.pecBytes',
  'checkpoint.bottleneckRankBytes',
  'checkpoint.idealRankBytes',
  'checkpoint.evenRankBytes',
  'checkpoint.snapshotSeconds',
  'checkpoint.persistSeconds',
  'checkpoint.saveStallSeconds',
  'checkpoint.restartSeconds',
  'checkpoint.jobMtbf',
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

describe('the restart time and the load added to it', () => {
  it('the restart-time help does not claim to include the load the metric adds', () => {
    const field = FIELDS.find((candidate) => candidate.key === 'checkpoint.restartMinutes');
    expect(field?.help).not.toMatch(/load the checkpoint/);
    expect(field?.help).toMatch(/added/);
    expect(field?.help).toMatch(/storage/);
  });

  it('shows the bytes the failed node reads: each GPU its own copy of the replicated non-expert weights', () => {
    const scenario = defaultScenario();
    const restart = checkpointMetrics(scenario).find((metric) => metric.id === 'checkpoint.restartSeconds');
    const c = checkpointCostBreakdown(scenario).composition;
    // One node of 8 GPUs, EP = DP = 8, ZeRO-2: each GPU holds all non-expert weights, 1/8 of the experts and 1/8 of
    // the optimizer state, so the node reads the checkpoint plus 7 more copies of the non-expert weights.
    const nodeBytes = c.fullBytes + 7 * c.nonExpertWeightBytes;
    const read = restart?.inputs.find((item) => item.symbol === 'C_load,node');
    expect(read?.value).toBeCloseTo(nodeBytes, -3);
    expect(read?.value).toBeGreaterThan(c.fullBytes);
    expect(restart?.note).toMatch(/its own copy of the non-expert weights/);
    expect(restart?.note).toMatch(/more than the whole checkpoint/);
  });
});

describe('Eq. 8 as printed and the even split beside it', () => {
  const metricsOf = (entries: [string, unknown][]) => {
    const { scenario } = applyEntries(defaultScenario(), entries);
    return Object.fromEntries(checkpointMetrics(scenario).map((metric) => [metric.id, metric]));
  };

  it('flags the printed Eq. 8 when D_dp > D_ep and gives the ZeRO-corrected even split, C_full / D_dp', () => {
    const byId = metricsOf([
      ['model', 'deepseek-v3'],
      ['gpu', 'h800'],
      ['ep', 64],
      ['dp', 256],
    ]);
    const printed = byId['checkpoint.idealRankBytes'];
    const even = byId['checkpoint.evenRankBytes'];
    const full = byId['checkpoint.fullBytes']?.value ?? 0;
    expect(printed?.label).toMatch(/as printed/);
    expect(printed?.flag).toMatch(/D_dp > D_ep/);
    expect(even?.value).toBeCloseTo(full / 256, -2);
    expect(printed?.value ?? 0).toBeGreaterThan(3 * (even?.value ?? 0));
  });

  it('does not flag it when D_dp = D_ep, where the two agree', () => {
    const byId = metricsOf([]);
    expect(byId['checkpoint.idealRankBytes']?.flag).toBeUndefined();
    expect(byId['checkpoint.idealRankBytes']?.value).toBeCloseTo(
      byId['checkpoint.evenRankBytes']?.value ?? 0,
      -2,
    );
  });
});

describe('the analytic overhead outside its first-order model', () => {
  const metricsOf = (entries: [string, unknown][]) => {
    const { scenario } = applyEntries(defaultScenario(), entries);
    return Object.fromEntries(checkpointMetrics(scenario).map((metric) => [metric.id, metric]));
  };
  const OVERHEAD = ['checkpoint.overheadSeconds', 'checkpoint.overheadFraction'];

  it('is flagged, with the reason, when faults come faster than a recovery', () => {
    const byId = metricsOf([
      ['checkpoint.mtbfHours', -5],
      ['checkpoint.expertsPerCheckpoint', 64],
      ['storageWriteGBps', 0],
    ]);
    for (const id of [...OVERHEAD, 'checkpoint.optimalInterval']) {
      expect(byId[id]?.flag, id).toBe('outside the first-order model');
      expect(byId[id]?.note, id).toMatch(/λ·\(O_restart \+ I_ckpt\/2·T_F&B\) = [\d,.]+ faults/);
    }
    // Still shown, not hidden.
    expect(byId['checkpoint.overheadFraction']?.value).toBeGreaterThan(1);
  });

  it('is flagged when the interval is not short against the run', () => {
    const byId = metricsOf([
      ['checkpoint.intervalIterations', 1e12],
      ['checkpoint.mtbfHours', 100000],
    ]);
    for (const id of OVERHEAD) {
      expect(byId[id]?.flag, id).toBe('outside the first-order model');
      expect(byId[id]?.note, id).toMatch(/I_ckpt ≪ I_total/);
      expect(byId[id]?.note, id).not.toMatch(/another fault is likely/);
    }
  });

  it('is not flagged for the default scenario', () => {
    const byId = metricsOf([]);
    for (const id of [...OVERHEAD, 'checkpoint.optimalInterval']) expect(byId[id]?.flag, id).toBeUndefined();
  });
});
