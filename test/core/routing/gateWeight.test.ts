import { describe, expect, it } from 'vitest';
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
