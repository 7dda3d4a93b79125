import { estimateQualityCost } from '../../../src/core/routing/qualityCost';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../../src/core/metric';
import { routingMetrics } from '../../../src/core/routing/metrics';
import { routingSummaryMetrics } from '../../../src/core/routing/summaryMetrics';
import { routeStep } from '../../../src/core/routing/routeStep';
import type { LayerRouting, RoutingStep } from '../../../src/core/routing/types';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import type { Scenario } from '../../../src/core/scenario/types';
import { applyEntries } from '../../../src/core/scenario/validate';

/** 4 experts, top-2, 2 source devices × 8 tokens: t = 16, N̄ = 16·2/4 = 8. */
function layer(overrides: Partial<LayerRouting> = {}): LayerRouting {
  return {
    preDropLoad: Int32Array.from([16, 8, 4, 4]),
    keptLoad: Int32Array.from([10, 8, 5, 4]),
    preDropFlow: Int32Array.from([8, 4, 2, 2, 8, 4, 2, 2]),
    keptFlow: Int32Array.from([5, 4, 3, 2, 5, 4, 2, 2]),
    maxDeviceExpertLoadBefore: 8,
    maxDeviceExpertLoadAfter: 5,
    overflowPairs: 6,
    routedPairs: 32,
    keptPairs: 27,
    droppedPairs: 8,
    addedPairs: 3,
    tokensWithNoExpert: 2,
    tokens: 16,
    auxLoss: 1.3,
    zLoss: 4,
    // 32 top-k pairs of 16 tokens, renormalised: weight 1 per token; the 8 dropped pairs carried 2 of it.
    routedGateWeight: 16,
    keptGateWeight: 14.5,
    droppedGateWeight: 2,
    capacity: 5,
    ...overrides,
  };
}

function step(layers: LayerRouting[]): RoutingStep {
  return {
    step: 0,
    experts: 4,
    topK: 2,
    devices: 2,
    devicesInScenario: 2,
    tokensPerDevice: 8,
    localExperts: 2,
    layers,
  };
}

function scenario(routing: Partial<Scenario['routing']> = {}): Scenario {
  const base = defaultScenario();
  return {
    ...base,
    routing: { ...base.routing, capacity: 'expert', capacityFactor: 1.25, expandedDrop: false, ...routing },
  };
}

function byId(metrics: readonly Metric[]): Record<string, Metric> {
  return Object.fromEntries(metrics.map((metric) => [metric.id, metric]));
}

describe('routingMetrics for one layer', () => {
  const metrics = byId(routingMetrics(scenario(), step([layer()]), 0));

  it('computes each figure from the layer’s counts', () => {
    expect(metrics['routing.meanLoad']?.value).toBe(8); // N̄ = t·k/n = 16·2/4
    expect(metrics['routing.capacity']?.value).toBe(5);
    expect(metrics['routing.maxOverMean']?.value).toBe(2); // 16 / 8
    // 2 is n/k = 4/2: every token picks the busiest expert, which the figure says beside it.
    expect(metrics['routing.maxOverMean']?.flag).toBe('at its ceiling n/k = 2');
    expect(metrics['routing.maxOverMean']?.note).toMatch(/more skew changes nothing here/);
    // Before the cap 8 > C = 5; after it 5 ≤ C (Eq. 6), both shown as inputs.
    expect(metrics['routing.maxDeviceLoadOverCapacity']?.value).toBe(8 / 5);
    expect(metrics['routing.maxDeviceLoadOverCapacity']?.inputs.map((item) => item.value)).toEqual([8, 5, 5]);
    expect(metrics['routing.cv']?.value).toBeCloseTo(Math.sqrt(24) / 8, 12); // σ² = (64 + 0 + 16 + 16)/4
    expect(metrics['routing.droppedFraction']?.value).toBe(6 / 32); // Eq. 11
    expect(metrics['routing.tokensWithNoExpert']?.value).toBe(2 / 16);
    expect(metrics['routing.addedPairs']?.value).toBe(3 / 32);
    expect(metrics['routing.droppedGateWeight']?.value).toBe(2 / 16);
    expect(metrics['routing.keptGateWeight']?.value).toBe(14.5 / 16);
    expect(metrics['routing.keptGateWeight']?.note).toMatch(/Renormalised/);
    expect(metrics['routing.auxLoss']?.value).toBe(1.3);
    expect(metrics['routing.zLoss']?.value).toBe(4);
    expect(metrics['routing.qualityCost']?.label.toLowerCase()).toContain('estimate');
    expect(metrics['routing.droppedPairsFraction']).toBeUndefined();
  });

  it('shows its work: formula symbols, substituted inputs and the paper equation', () => {
    expect(metrics['routing.meanLoad']?.formula).toContain('N̄ = t · k / n');
    expect(metrics['routing.meanLoad']?.source).toMatch(/Eq\. 3/);
    expect(metrics['routing.capacity']?.formula).toContain('⌈γ · k · T / E⌉');
    expect(metrics['routing.capacity']?.inputs.map((item) => item.value)).toEqual([1.25, 2, 8, 4]);
    expect(metrics['routing.maxOverMean']?.source).toMatch(/Eq\. 4–5/);
    expect(metrics['routing.maxDeviceLoadOverCapacity']?.source).toMatch(/Eq\. 6/);
    expect(metrics['routing.droppedFraction']?.source).toMatch(/Eq\. 11/);
    expect(metrics['routing.droppedFraction']?.inputs.map((item) => item.value)).toEqual([6, 32]);
    expect(metrics['routing.auxLoss']?.formula).toBe('L_aux = N · Σ_i f_i · P_i');
    expect(metrics['routing.auxLoss']?.note).toMatch(/1 under balanced routing/);
    expect(metrics['routing.zLoss']?.source).toMatch(/ST-MoE/);
    for (const metric of Object.values(metrics)) {
      expect(metric.inputs.length, metric.id).toBeGreaterThan(0);
      expect(metric.source.length, metric.id).toBeGreaterThan(0);
    }
  });

  it('Expanded Drop adds the dropped-pairs fraction, which can exceed DT', () => {
    const expanded = byId(routingMetrics(scenario({ expandedDrop: true }), step([layer()]), 0));
    expect(expanded['routing.droppedPairsFraction']?.value).toBe(8 / 32);
    expect(expanded['routing.droppedFraction']?.value).toBe(6 / 32);
    expect(expanded['routing.keptGateWeight']?.note).toMatch(/added local experts bring their own weight/);
  });

  it('capacity off: C is "off", nothing is dropped, and the load is compared with the C γ would set', () => {
    const off = byId(
      routingMetrics(
        scenario({ capacity: 'off', capacityFactor: 1 }),
        step([
          layer({
            capacity: 0,
            overflowPairs: 0,
            droppedPairs: 0,
            addedPairs: 0,
            maxDeviceExpertLoadAfter: 8,
          }),
        ]),
        0,
      ),
    );
    // Not 0 (read as "a capacity of 0"): the C γ would set, labelled as not enforced.
    expect(off['routing.capacity']?.value).toBe(4);
    expect(off['routing.capacity']?.label).toMatch(/off: dropless/);
    expect(off['routing.capacity']?.formula).toMatch(/not enforced/);
    expect(off['routing.capacity']?.note).toMatch(/dropless/);
    expect(off['routing.maxDeviceLoadOverCapacity']?.value).toBe(8 / 4); // C_γ = ⌈1·2·8/4⌉ = 4
    expect(off['routing.droppedFraction']?.value).toBe(0);
    expect(off['routing.qualityCost']?.value).toBe(0);
  });

  it('guards every division: an empty layer gives zeros, not NaN; out-of-range layers are clamped', () => {
    const empty = layer({
      preDropLoad: new Int32Array(4),
      keptLoad: new Int32Array(4),
      maxDeviceExpertLoadAfter: 0,
      routedPairs: 0,
      keptPairs: 0,
      overflowPairs: 0,
      droppedPairs: 0,
      addedPairs: 0,
      tokensWithNoExpert: 0,
      tokens: 0,
      capacity: 0,
    });
    for (const metric of routingMetrics(scenario(), step([empty]), 0))
      expect(Number.isFinite(metric.value), metric.id).toBe(true);
    const noLayers = routingMetrics(scenario(), step([]), 0);
    for (const metric of noLayers) expect(Number.isFinite(metric.value), metric.id).toBe(true);
    expect(routingMetrics(scenario(), step([layer()]), 7)).toEqual(
      routingMetrics(scenario(), step([layer()]), 0),
    );
  });
});

describe('routingSummaryMetrics over every routed layer', () => {
  const second = layer({
    preDropLoad: Int32Array.from([8, 8, 8, 8]),
    overflowPairs: 2,
    droppedPairs: 2,
    addedPairs: 0,
    keptPairs: 30,
    tokensWithNoExpert: 0,
    auxLoss: 1,
    zLoss: 2,
    keptGateWeight: 15.5,
    droppedGateWeight: 0.5,
    maxDeviceExpertLoadAfter: 4,
  });
  const summary = byId(routingSummaryMetrics(scenario(), step([layer(), second])));

  it('pools pair fractions, averages imbalance and losses, and keeps the worst capacity ratio', () => {
    expect(summary['routing.batch.droppedFraction']?.value).toBe((6 + 2) / 64);
    expect(summary['routing.batch.tokensWithNoExpert']?.value).toBe(2 / 32);
    expect(summary['routing.batch.addedPairs']?.value).toBe(3 / 64);
    expect(summary['routing.batch.droppedGateWeight']?.value).toBe((2 + 0.5) / 32);
    expect(summary['routing.batch.keptGateWeight']?.value).toBe((14.5 + 15.5) / 32);
    expect(summary['routing.batch.maxOverMean']?.value).toBe((2 + 1) / 2);
    expect(summary['routing.batch.cv']?.value).toBeCloseTo(Math.sqrt(24) / 8 / 2, 12);
    expect(summary['routing.batch.auxLoss']?.value).toBeCloseTo(1.15, 12);
    expect(summary['routing.batch.zLoss']?.value).toBe(3);
    expect(summary['routing.batch.maxDeviceLoadOverCapacity']?.value).toBe(8 / 5);
    expect(summary['routing.batch.maxDeviceLoadOverCapacity']?.label).toMatch(/worst of 2 layers/);
    expect(summary['routing.batch.cv']?.label).toMatch(/mean of 2 layers/);
    expect(summary['routing.batch.meanLoad']?.value).toBe(8);
  });

  it('has the per-layer list’s ids under routing.batch, in the same order', () => {
    for (const expandedDrop of [false, true]) {
      const s = scenario({ expandedDrop });
      expect(routingSummaryMetrics(s, step([layer(), second])).map((metric) => metric.id)).toEqual(
        routingMetrics(s, step([layer(), second]), 0).map((metric) =>
          metric.id.replace('routing.', 'routing.batch.'),
        ),
      );
    }
  });
});

describe('routing metrics on the paper’s OLMoE setup', () => {
  it('Score Token Drop at γ = 1.5: N̄ = t·k/n, C = 1.5·N̄_device, DT = Eq. 11, load capped at C', () => {
    const { scenario: olmoe } = applyEntries(defaultScenario(), [
      ['model', 'olmoe-1b-7b'],
      ['mode', 'prefill'],
      ['routing.profile', 'olmoe'],
      ['routing.capacityFactor', 1.5],
      ['routing.tokensPerDevice', 512],
    ]);
    const routed = routeStep(olmoe, 0, { layers: [0, 1] });
    const metrics = byId(routingMetrics(olmoe, routed, 0));
    expect(metrics['routing.meanLoad']?.value).toBe((8 * 512 * 8) / 64);
    expect(metrics['routing.capacity']?.value).toBe(96); // 1.5 · 8 · 512 / 64
    // The busiest expert overshot C on some device; after the cap it takes exactly C (Eq. 6).
    const [before, after, capacity] =
      metrics['routing.maxDeviceLoadOverCapacity']?.inputs.map((item) => item.value) ?? [];
    expect(metrics['routing.maxDeviceLoadOverCapacity']?.value).toBe((before ?? 0) / 96);
    expect(before).toBeGreaterThan(96);
    expect([after, capacity]).toEqual([96, 96]);
    expect(metrics['routing.maxOverMean']?.value).toBeGreaterThan(4);
    // After the cap the busiest expert takes C from every device: D·C / N̄ = γ (Eq. 6), the straggler the cap leaves.
    expect(metrics['routing.keptMaxOverMean']?.value).toBe((8 * 96) / ((8 * 512 * 8) / 64));
    expect(metrics['routing.keptMaxOverMean']?.value).toBe(1.5);
    const dt = metrics['routing.droppedFraction']?.value ?? 0;
    expect(dt).toBeGreaterThan(0.05);
    expect(dt).toBe((routed.layers[0]?.droppedPairs ?? 0) / (routed.layers[0]?.routedPairs ?? 1));
    // Read at this layer's DT on the reference curve: near Table 1's 0.9 points, as the setup is the paper's.
    const cost = metrics['routing.qualityCost']?.value ?? Number.NaN;
    expect(cost).toBe(estimateQualityCost(olmoe.routing, routed.layers[0]!, 'prefill').value);
    expect(Math.abs(cost - 0.9)).toBeLessThan(0.1);
  });

  it('expert choice: every expert takes C from each device, so N̄ = D·C and the peak over the mean is exactly 1', () => {
    const { scenario: choice } = applyEntries(defaultScenario(), [
      ['routing.gating', 'expert-choice'],
      ['routing.tokensPerDevice', 256],
    ]);
    const routed = routeStep(choice, 0, { layers: [0] });
    const metrics = byId(routingMetrics(choice, routed, 0));
    const capacity = routed.layers[0]?.capacity ?? 0;
    expect(capacity).toBe(80); // ⌈1.25 · 2 · 256 / 8⌉
    expect(metrics['routing.meanLoad']?.value).toBe(routed.devices * capacity);
    expect(metrics['routing.maxOverMean']?.value).toBe(1);
    expect(metrics['routing.maxOverMean']?.flag).toBeUndefined();
    expect(metrics['routing.keptMaxOverMean']?.value).toBe(1);
    expect(metrics['routing.cv']?.value).toBe(0);
  });
});

describe('the load-balancing loss note', () => {
  it('does not call 1 a minimum: a uniform router that sends every token to the same k experts scores 1', () => {
    const { scenario } = applyEntries(defaultScenario(), [
      ['routing.profile', 'uniform'],
      ['routing.noise', 0],
      ['routing.tokensPerDevice', 64],
    ]);
    const metrics = byId(routingMetrics(scenario, routeStep(scenario, 0, { layers: [0] }), 0));
    // Equal logits: every token's ties go the same way, so the peak is at its ceiling n/k …
    expect(metrics['routing.maxOverMean']?.value).toBeCloseTo(8 / 2, 12);
    // … yet the Switch loss is 1, as P is uniform and Σ f_i = 1.
    expect(metrics['routing.auxLoss']?.value).toBeCloseTo(1, 12);
    const note = metrics['routing.auxLoss']?.note ?? '';
    expect(note).not.toMatch(/Minimum 1/);
    expect(note).toMatch(/not a lower bound/);
    expect(note).toMatch(/scores N · Σ f_i \/ N = 1 however unbalanced its top-k choices/);
  });
});

describe('the peak load after the limit', () => {
  it('never exceeds D·C/N̄ under a per-expert limit, nor the pre-drop peak without Expanded Drop; dropless it is the peak', () => {
    for (const gamma of [0.5, 1, 1.25, 2]) {
      for (const profile of ['uniform', 'zipf', 'olmoe']) {
        const { scenario: routed } = applyEntries(defaultScenario(), [
          ['model', 'olmoe-1b-7b'],
          ['routing.profile', profile],
          ['routing.capacityFactor', gamma],
          ['routing.tokensPerDevice', 128],
        ]);
        const result = routeStep(routed, 0, { layers: [0] });
        const metrics = byId(routingMetrics(routed, result, 0));
        const kept = metrics['routing.keptMaxOverMean']!;
        const capOverMean =
          (result.devices * result.layers[0]!.capacity) / (metrics['routing.meanLoad']?.value ?? NaN);
        expect(kept.value).toBeLessThanOrEqual(capOverMean + 1e-12);
        expect(kept.value).toBeLessThanOrEqual(metrics['routing.maxOverMean']!.value);
        const dropless = { ...routed, routing: { ...routed.routing, capacity: 'off' as const } };
        const open = byId(routingMetrics(dropless, routeStep(dropless, 0, { layers: [0] }), 0));
        expect(open['routing.keptMaxOverMean']?.value).toBe(open['routing.maxOverMean']?.value);
      }
    }
  });
});
