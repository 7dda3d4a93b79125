import { describe, expect, it } from 'vitest';
import { decodeFragment, routeStep } from '../../src/core';
import { routingSummaryMetrics } from '../../src/core/routing/summaryMetrics';
import { handleRoutingRequest, transferablesOf } from '../../src/state/routingRequest';

describe('the routing worker handler', () => {
  const { scenario } = decodeFragment('v=1&model=olmoe-1b-7b&routing.tokensPerDevice=64');

  it('returns the routed batch with its figures over every MoE layer, as the core computes them', () => {
    const response = handleRoutingRequest({ id: 7, scenario, step: 2, customLoads: null });
    expect(response.id).toBe(7);
    const expected = routeStep(scenario, 2);
    expect(response.result?.step).toEqual(expected);
    expect(response.result?.batchMetrics).toEqual(routingSummaryMetrics(scenario, expected));
    expect(response.result?.batchMetrics.length).toBeGreaterThan(5);
    // Four typed arrays per layer move to the main thread without a copy.
    expect(transferablesOf(response)).toHaveLength(4 * expected.layers.length);
  });

  it('has no whole-batch figures for a single MoE layer, where they would repeat the layer', () => {
    const single = decodeFragment('v=1&model=olmoe-1b-7b&model.layers=1&routing.tokensPerDevice=64').scenario;
    const response = handleRoutingRequest({ id: 1, scenario: single, step: 0, customLoads: null });
    expect(response.result?.step.layers).toHaveLength(1);
    expect(response.result?.batchMetrics).toEqual([]);
  });

  it('has nothing to transfer for an error answer', () => {
    expect(transferablesOf({ id: 3, error: 'no routing' })).toEqual([]);
  });
});
