import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../../src/core/metric';
import { expertCapacity } from '../../../src/core/routing/capacity';
import { routingInForce, simulatedTokensPerDevice } from '../../../src/core/routing/inForce';
import { routingMetrics } from '../../../src/core/routing/metrics';
import { batchMetricId, routingSummaryMetrics } from '../../../src/core/routing/summaryMetrics';
import { routeStep } from '../../../src/core/routing/routeStep';
import type { LayerRouting, RoutingStep } from '../../../src/core/routing/types';
import { resolveArchitecture } from '../../../src/core/scenario/resolve';
import type { Scenario } from '../../../src/core/scenario/types';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { applyEntries } from '../../../src/core/scenario/validate';
import { decodeFragment } from '../../../src/core/scenario/shareLink';
import { renormalisesTopK } from '../../../src/core/routing/gatingKinds';
import { routingScenarioArbitrary, scenarioWithLayersArbitrary } from './scenarioArbitrary';

const LAYER_METRIC_IDS = [
  'routing.meanLoad',
  'routing.capacity',
  'routing.maxOverMean',
  'routing.keptMaxOverMean',
  'routing.maxDeviceLoadOverCapacity',
  'routing.cv',
  'routing.droppedFraction',
  'routing.droppedGateWeight',
  'routing.keptGateWeight',
  'routing.tokensWithNoExpert',
  'routing.addedPairs',
  'routing.auxLoss',
  'routing.zLoss',
  'routing.qualityCost',
];

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let index = 0; index < values.length; index += 1) total += values[index] ?? 0;
  return total;
}

function max(values: ArrayLike<number>): number {
  let best = 0;
  for (let index = 0; index < values.length; index += 1) best = Math.max(best, values[index] ?? 0);
  return best;
}

/** Per-expert column sums of a devices × experts flow matrix. */
function columnSums(flow: Int32Array, experts: number): number[] {
  const sums = new Array<number>(experts).fill(0);
  for (let cell = 0; cell < flow.length; cell += 1)
    sums[cell % experts] = (sums[cell % experts] ?? 0) + (flow[cell] ?? 0);
  return sums;
}

/** Gate weights are finite and non-negative, conserved between kept and dropped, and sum as the gating says. */
function checkGateWeights(scenario: Scenario, layer: LayerRouting): void {
  const { routedGateWeight, keptGateWeight, droppedGateWeight, tokens } = layer;
  const gating = scenario.routing.gating;
  for (const weight of [routedGateWeight, keptGateWeight, droppedGateWeight])
    expect(Number.isFinite(weight) && weight >= 0).toBe(true);
  // Weights are stored as float32: a token's weights may sum to 1 ± a few float32 ulps.
  const tolerance = 1e-6 * Math.max(1, routedGateWeight);
  expect(droppedGateWeight).toBeLessThanOrEqual(routedGateWeight + tolerance);
  if (gating === 'expert-choice') {
    expect(droppedGateWeight).toBe(0);
    expect(keptGateWeight).toBe(routedGateWeight);
    return;
  }
  if (!(scenario.routing.expandedDrop && scenario.routing.capacity !== 'off'))
    expect(Math.abs(keptGateWeight + droppedGateWeight - routedGateWeight)).toBeLessThanOrEqual(tolerance);
  if (scenario.routing.capacity === 'off') expect(droppedGateWeight).toBe(0);
  // Renormalised top-k and hash routing give every token weights summing to 1; unnormalised softmax at most 1.
  if (renormalisesTopK(gating) || gating === 'hash')
    expect(Math.abs(routedGateWeight - tokens)).toBeLessThanOrEqual(tolerance);
  else expect(routedGateWeight).toBeLessThanOrEqual(tokens + tolerance);
}

function checkLayer(scenario: Scenario, step: RoutingStep, layer: LayerRouting): void {
  const settings = scenario.routing;
  const { experts, topK, devices, tokensPerDevice, localExperts } = step;
  const expertChoice = settings.gating === 'expert-choice';
  const arch = resolveArchitecture(scenario);
  expect(experts).toBe(arch.experts);
  expect(topK).toBe(Math.min(arch.topK, arch.experts));
  expect(devices).toBe(Math.min(scenario.parallelism.dp, 64));
  expect(layer.tokens).toBe(devices * tokensPerDevice);
  expect(layer.preDropFlow.length).toBe(devices * experts);
  expect(layer.keptFlow.length).toBe(devices * experts);

  const expectedCapacity = expertChoice
    ? expertCapacity(
        settings.capacity === 'off' ? 1 : settings.capacityFactor,
        topK,
        tokensPerDevice,
        experts,
      )
    : settings.capacity === 'off'
      ? 0
      : expertCapacity(settings.capacityFactor, topK, tokensPerDevice, experts);
  expect(layer.capacity).toBe(expectedCapacity);

  // Pre-drop counts sum to the routed pairs: t·k for token choice, min(C, T) per expert per device for expert choice.
  expect(sum(layer.preDropLoad)).toBe(layer.routedPairs);
  expect(layer.routedPairs).toBe(
    expertChoice
      ? devices * experts * Math.min(layer.capacity, tokensPerDevice)
      : devices * tokensPerDevice * topK,
  );
  // Per-expert kept counts sum to the kept pairs; flows are the per-device breakdown of both.
  expect(sum(layer.keptLoad)).toBe(layer.keptPairs);
  expect(columnSums(layer.preDropFlow, experts)).toEqual(Array.from(layer.preDropLoad));
  expect(columnSums(layer.keptFlow, experts)).toEqual(Array.from(layer.keptLoad));
  expect(layer.maxDeviceExpertLoadBefore).toBe(max(layer.preDropFlow));
  expect(layer.maxDeviceExpertLoadAfter).toBe(max(layer.keptFlow));
  // Kept or dropped, never both or lost: kept top-k pairs + dropped = routed.
  expect(layer.keptPairs - layer.addedPairs + layer.droppedPairs).toBe(layer.routedPairs);
  expect(layer.droppedPairs).toBeGreaterThanOrEqual(0);
  expect(layer.addedPairs).toBeGreaterThanOrEqual(0);
  expect(layer.tokensWithNoExpert).toBeGreaterThanOrEqual(0);
  expect(layer.tokensWithNoExpert).toBeLessThanOrEqual(layer.tokens);
  expect(Number.isFinite(layer.auxLoss) && layer.auxLoss >= 0).toBe(true);
  expect(Number.isFinite(layer.zLoss) && layer.zLoss >= 0).toBe(true);
  checkGateWeights(scenario, layer);

  if (expertChoice) {
    for (const load of layer.keptFlow) expect(load).toBe(Math.min(layer.capacity, tokensPerDevice));
    expect(layer.droppedPairs).toBe(0);
    return;
  }
  const expansion = settings.expandedDrop && settings.capacity !== 'off';
  if (settings.capacity === 'off') {
    expect(layer.droppedPairs).toBe(0);
    expect(layer.overflowPairs).toBe(0);
    expect(layer.addedPairs).toBe(0);
    expect(Array.from(layer.keptFlow)).toEqual(Array.from(layer.preDropFlow));
    return;
  }
  // Capacity-Aware Eq. 11's numerator from the pre-drop flows, per source device.
  let overflow = 0;
  for (let device = 0; device < devices; device += 1) {
    if (settings.capacity === 'expert') {
      for (let expert = 0; expert < experts; expert += 1)
        overflow += Math.max(0, (layer.preDropFlow[device * experts + expert] ?? 0) - layer.capacity);
    } else {
      for (let target = 0; target < experts / localExperts; target += 1) {
        let load = 0;
        for (let expert = target * localExperts; expert < (target + 1) * localExperts; expert += 1)
          load += layer.preDropFlow[device * experts + expert] ?? 0;
        overflow += Math.max(0, load - layer.capacity * localExperts);
      }
    }
  }
  expect(layer.overflowPairs).toBe(overflow);
  if (settings.capacity === 'expert') {
    // Capacity-Aware Eq. 6: no source device sends an expert more than C.
    expect(layer.maxDeviceExpertLoadAfter).toBeLessThanOrEqual(layer.capacity);
  } else {
    for (let device = 0; device < devices; device += 1)
      for (let target = 0; target < experts / localExperts; target += 1) {
        let load = 0;
        for (let expert = target * localExperts; expert < (target + 1) * localExperts; expert += 1)
          load += layer.keptFlow[device * experts + expert] ?? 0;
        expect(load).toBeLessThanOrEqual(layer.capacity * localExperts);
      }
  }
  if (expansion) expect(layer.droppedPairs).toBeGreaterThanOrEqual(layer.overflowPairs);
  else expect(layer.droppedPairs, 'Token Drop: DT equals Eq. 11').toBe(layer.overflowPairs);
}

function checkMetrics(scenario: Scenario, metrics: readonly Metric[], wholeBatch = false): void {
  const settings = scenario.routing;
  const expanded =
    settings.expandedDrop && settings.capacity !== 'off' && settings.gating !== 'expert-choice';
  const expected = [...LAYER_METRIC_IDS];
  // The chance overflow of a balanced router: only under a per-expert limit on token choice.
  const chance = settings.capacity === 'expert' && settings.gating !== 'expert-choice';
  if (expanded)
    expected.splice(expected.indexOf('routing.droppedFraction') + 1, 0, 'routing.droppedPairsFraction');
  if (chance) expected.splice(expected.indexOf('routing.droppedFraction') + 1, 0, 'routing.chanceOverflow');
  expect(metrics.map((metric) => metric.id)).toEqual(wholeBatch ? expected.map(batchMetricId) : expected);
  for (const metric of metrics) {
    expect(Number.isFinite(metric.value), `${metric.id} = ${metric.value}`).toBe(true);
    expect(metric.label.length, metric.id).toBeGreaterThan(0);
    expect(metric.formula.length, metric.id).toBeGreaterThan(0);
    expect(metric.source.length, metric.id).toBeGreaterThan(0);
    expect(metric.inputs.length, metric.id).toBeGreaterThan(0);
    for (const item of metric.inputs)
      expect(Number.isFinite(item.value), `${metric.id}.${item.symbol}`).toBe(true);
    if (metric.unit === 'fraction' && !metric.id.endsWith('.addedPairs')) {
      expect(metric.value, metric.id).toBeGreaterThanOrEqual(0);
      expect(metric.value, metric.id).toBeLessThanOrEqual(1);
    }
    expect(metric.value, metric.id).toBeGreaterThanOrEqual(0);
  }
  const quality = metrics.find((metric) => metric.id.endsWith('.qualityCost'));
  expect(quality?.label.toLowerCase()).toContain('estimate');
  expect(quality?.unit).toBe('points');
}

describe('routeStep over random scenarios', () => {
  it('keeps every count consistent, honours capacity and Eq. 11, and gives finite metrics', () => {
    fc.assert(
      fc.property(scenarioWithLayersArbitrary, ({ scenario, layers, step }) => {
        const routed = routeStep(scenario, step, { layers });
        expect(routed.layers.length).toBe(layers.length);
        // The invariants hold for the settings in force (a decode step is routed dropless).
        const inForce = routingInForce(scenario);
        expect(routed.tokensPerDevice).toBe(simulatedTokensPerDevice(scenario));
        routed.layers.forEach((layer, index) => {
          checkLayer(inForce, routed, layer);
          checkMetrics(inForce, routingMetrics(scenario, routed, index));
        });
        checkMetrics(inForce, routingSummaryMetrics(scenario, routed), true);
      }),
      { numRuns: 500 },
    );
  }, 30_000);

  it('is deterministic, and a layer routed alone equals the same layer routed with others, in any order', () => {
    fc.assert(
      fc.property(scenarioWithLayersArbitrary, ({ scenario, layers, step }) => {
        const first = routeStep(scenario, step, { layers });
        expect(routeStep(scenario, step, { layers })).toEqual(first);
        const reversed = routeStep(scenario, step, { layers: [...layers].reverse() });
        expect(reversed.layers).toEqual([...first.layers].reverse());
        const last = layers[layers.length - 1] ?? 0;
        expect(routeStep(scenario, step, { layers: [last] }).layers[0]).toEqual(
          first.layers[layers.length - 1],
        );
      }),
      { numRuns: 150 },
    );
  }, 30_000);

  it('the layers option gives the same layer as routing every layer', () => {
    fc.assert(
      fc.property(
        routingScenarioArbitrary(64),
        fc.integer({ min: 0, max: 2 }),
        fc.nat(),
        (scenario, step, pick) => {
          const full = routeStep(scenario, step);
          const layer = pick % full.layers.length;
          const alone = routeStep(scenario, step, { layers: [layer] });
          expect(alone.layers[0]).toEqual(full.layers[layer]);
          expect({ ...alone, layers: [] }).toEqual({ ...full, layers: [] });
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);

  it('a decode step routes its own tokens dropless: Capacity-Aware caps only prefill (sequence length 1 is uncapped)', () => {
    const decode = applyEntries(defaultScenario(), [
      ['mode', 'decode'],
      ['batch', 64],
      ['routing.capacityFactor', 0.5],
    ]).scenario;
    const routed = routeStep(decode, 0, { layers: [0] });
    expect(routed.tokensPerDevice).toBe(64 / 8); // ⌈b/DP⌉ · 1 token, below the 1,024-token sample
    expect(routed.layers[0]?.droppedPairs).toBe(0);
    expect(routed.layers[0]?.capacity).toBe(0);
    const metrics = routingMetrics(decode, routed, 0);
    expect(metrics.find((metric) => metric.id === 'routing.droppedFraction')?.value).toBe(0);
    // The same step in prefill is capped at γ = 0.5 and drops.
    const prefill = { ...decode, workload: { ...decode.workload, mode: 'prefill' as const } };
    expect(routeStep(prefill, 0, { layers: [0] }).layers[0]?.droppedPairs).toBeGreaterThan(0);
  });
});

describe('shared experts', () => {
  it('are not routed: the loads cover the routed experts only, k pairs per token', () => {
    const scenario = applyEntries(defaultScenario(), [
      ['model', 'deepseek-v2-lite'],
      ['routing.tokensPerDevice', 64],
      ['routing.capacity', 'off'],
    ]).scenario;
    expect(resolveArchitecture(scenario).sharedExperts).toBe(2);
    const step = routeStep(scenario, 0, { layers: [0] });
    const layer = step.layers[0]!;
    expect(layer.preDropLoad).toHaveLength(64);
    const pairs = layer.preDropLoad.reduce((sum, load) => sum + load, 0);
    expect(pairs).toBe(step.devices * step.tokensPerDevice * 6);
  });
});

describe('router logit spread σ', () => {
  it('scales every logit alike, so which experts tokens pick (every load) is the same at any σ > 0, vision tokens included', () => {
    const base = applyEntries(defaultScenario(), [
      ['vision', 0.5],
      ['routing.visionExpertFraction', 0.25],
      ['routing.visionBias', 1.5],
      ['routing.tokensPerDevice', 256],
    ]).scenario;
    const loadsAt = (noise: number) => {
      const scenario = applyEntries(base, [['routing.noise', noise]]).scenario;
      return routeStep(scenario, 0, { layers: [0] }).layers[0]!;
    };
    const reference = loadsAt(1);
    for (const noise of [0.25, 4]) {
      const layer = loadsAt(noise);
      expect([...layer.preDropLoad]).toEqual([...reference.preDropLoad]);
      expect([...layer.keptLoad]).toEqual([...reference.keptLoad]);
      // The gates themselves are more or less peaked: the balancing loss moves.
      expect(layer.auxLoss).not.toBe(reference.auxLoss);
    }
  });
});

describe('a sample of source devices', () => {
  it('spreads over every EP rank, so Expanded Drop adds local experts of all ranks, not only the first 64', () => {
    const { scenario, messages } = decodeFragment(
      'v=1&model=deepseek-v3&ep=256&dp=256&mode=prefill&routing.tokensPerDevice=32&routing.expandedDrop=true',
    );
    expect(messages).toEqual([]);
    const step = routeStep(scenario, 0, { layers: [0] });
    expect([step.devices, step.devicesInScenario]).toEqual([64, 256]);
    const layer = step.layers[0]!;
    // A device's kept pairs can exceed what it routed to an expert only through Expanded Drop's local additions.
    const added = new Set<number>();
    for (let device = 0; device < step.devices; device += 1)
      for (let expert = 0; expert < step.experts; expert += 1) {
        const at = device * step.experts + expert;
        if ((layer.keptFlow[at] ?? 0) > (layer.preDropFlow[at] ?? 0)) added.add(expert);
      }
    expect(added.size).toBeGreaterThan(32);
    expect(Math.max(...added)).toBeGreaterThanOrEqual(192);
    expect([...added].every((expert) => expert % 4 === 0)).toBe(true);
  });
});
