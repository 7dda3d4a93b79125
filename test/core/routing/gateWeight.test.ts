import { describe, expect, it } from 'vitest';
import { droppedGateWeightMetric } from '../../../src/core/routing/gateWeightMetrics';
import { routeStep } from '../../../src/core/routing/routeStep';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { applyEntries } from '../../../src/core/scenario/validate';

/** OLMoE with its measured skew on one source device, one MoE layer. */
function olmoeLayer(entries: [string, unknown][]) {
  const scenario = applyEntries(defaultScenario(), [
    ['model', 'olmoe-1b-7b'],
    ['ep', 1],
    ['dp', 1],
    ['routing.profile', 'olmoe'],
    ['routing.tokensPerDevice', 2048],
    ...entries,
  ]).scenario;
  const layer = routeStep(scenario, 0, { layers: [3] }).layers[0];
  if (!layer) throw new Error('layer routed');
  return {
    droppedPairShare: layer.droppedPairs / layer.routedPairs,
    droppedWeightShare: layer.droppedGateWeight / layer.routedGateWeight,
    keptWeightPerToken: layer.keptGateWeight / layer.tokens,
  };
}

describe('gate weight', () => {
  it('score-based dropping loses less weight than it drops pairs, and less than dropping by order', () => {
    const score = olmoeLayer([
      ['routing.capacityFactor', 1],
      ['routing.dropPolicy', 'score'],
    ]);
    const order = olmoeLayer([
      ['routing.capacityFactor', 1],
      ['routing.dropPolicy', 'order'],
    ]);
    expect(score.droppedPairShare).toBeGreaterThan(0.05);
    // The same pairs overflow under either policy; score drop picks the lightest of them.
    expect(order.droppedPairShare).toBeCloseTo(score.droppedPairShare, 12);
    expect(score.droppedWeightShare).toBeLessThan(score.droppedPairShare);
    expect(score.droppedWeightShare).toBeLessThan(0.8 * order.droppedWeightShare);
  });

  it('renormalising makes each token’s weights sum to 1; unnormalised top-k carries only its share of probability', () => {
    const renormalised = olmoeLayer([
      ['routing.capacity', 'off'],
      ['routing.gating', 'softmax-topk-norm'],
    ]);
    const unnormalised = olmoeLayer([
      ['routing.capacity', 'off'],
      ['routing.gating', 'softmax-topk'],
    ]);
    expect(renormalised.keptWeightPerToken).toBeCloseTo(1, 6);
    expect(unnormalised.keptWeightPerToken).toBeGreaterThan(0.1);
    expect(unnormalised.keptWeightPerToken).toBeLessThan(0.95);
  });
});

describe('the gate-weight-dropped note', () => {
  function zipfLayer(exponent: number) {
    const scenario = applyEntries(defaultScenario(), [
      ['routing.zipfExponent', exponent],
      ['routing.dropPolicy', 'score'],
    ]).scenario;
    const layer = routeStep(scenario, 0, { layers: [0] }).layers[0];
    if (!layer) throw new Error('layer routed');
    return {
      metric: droppedGateWeightMetric(scenario, layer),
      pairShare: layer.droppedPairs / layer.routedPairs,
    };
  }

  it('says the weight dropped can exceed the pairs dropped, and does where a steep skew makes it so', () => {
    // Zipf s = 1.2 (the outside review's case): the overflowing experts are the popular, heavily weighted ones.
    const { metric, pairShare } = zipfLayer(1.2);
    expect(metric.value).toBeGreaterThan(pairShare);
    expect(metric.note).not.toMatch(/loses less/);
    expect(metric.note).toMatch(/compares scores only within that expert/);
    expect(metric.note).toMatch(/the dropped pairs weighed more than the average routed pair/);
  });

  it('says the weight dropped was the smaller share where it was', () => {
    const { metric, pairShare } = zipfLayer(0.5);
    expect(metric.value).toBeLessThan(pairShare);
    expect(metric.note).toMatch(/the dropped pairs weighed less than the average routed pair/);
  });
});
