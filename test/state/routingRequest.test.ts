import { olmoeReferenceDropFractions } from '../../src/core/routing/dropCalibration';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countParameters, decodeFragment, resolveArchitecture, routeStep } from '../../src/core';
import { routingSummaryMetrics } from '../../src/core/routing/summaryMetrics';
import { createRoutingClient, routingWorkerCount } from '../../src/state/routingClient';
import {
  handleRoutingRequest,
  joinRoutedParts,
  PREVIEW_ABOVE_DRAWS,
  splitLayers,
  transferablesOf,
  worthPreviewing,
} from '../../src/state/routingRequest';

describe('the routing worker handler', () => {
  const { scenario } = decodeFragment('v=1&model=olmoe-1b-7b&routing.tokensPerDevice=64');

  it('returns the routed batch as the core computes it, for every layer or for a worker’s share', () => {
    const response = handleRoutingRequest({ id: 7, scenario, step: 2, customLoads: null });
    expect(response.id).toBe(7);
    const expected = routeStep(scenario, 2);
    // With the accuracy estimate's reference, worked out in the worker so the page need not route it.
    expect(response.result).toEqual({ ...expected, dropReference: olmoeReferenceDropFractions() });
    // Four typed arrays per layer move to the main thread without a copy.
    expect(transferablesOf(response)).toHaveLength(4 * expected.layers.length);
    const share = handleRoutingRequest({ id: 8, scenario, step: 2, customLoads: null, layers: [3, 4] });
    expect(share.result?.layers).toEqual(expected.layers.slice(3, 5));
  });

  it('answers an error as a message instead of throwing', () => {
    const broken = { ...scenario, routing: undefined } as unknown as typeof scenario;
    const response = handleRoutingRequest({ id: 2, scenario: broken, step: 0, customLoads: null });
    expect(response).toEqual({ id: 2, error: expect.any(String) as string });
  });

  it('has nothing to transfer for an error answer', () => {
    expect(transferablesOf({ id: 3, error: 'no routing' })).toEqual([]);
  });
});

describe('routing a batch in a pool of workers', () => {
  it('splits the layers into contiguous, non-empty, near-equal runs that cover each layer once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 8 }), (layers, parts) => {
        const runs = splitLayers(layers, parts);
        expect(runs).toHaveLength(Math.min(layers, parts));
        expect(runs.flat()).toEqual(Array.from({ length: layers }, (_, layer) => layer));
        const lengths = runs.map((run) => run.length);
        expect(Math.min(...lengths)).toBeGreaterThanOrEqual(1);
        expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('joins the workers’ shares into exactly the batch and figures of routing every layer at once', () => {
    for (const fragment of [
      'v=1&model=deepseek-v2-lite&routing.tokensPerDevice=32&routing.batch=3',
      'v=1&model=mixtral-8x7b&routing.tokensPerDevice=48&routing.expandedDrop=true&vision=0.3',
    ]) {
      const { scenario: each } = decodeFragment(fragment);
      const whole = routeStep(each, each.routing.batch);
      const layers = Math.max(1, countParameters(resolveArchitecture(each)).moeLayers);
      for (const workers of [1, 2, 3, 4]) {
        const parts = splitLayers(layers, workers).map((share, id) => {
          const response = handleRoutingRequest({
            id,
            scenario: each,
            step: each.routing.batch,
            customLoads: null,
            layers: share,
          });
          if (!response.result) throw new Error(response.error);
          return response.result;
        });
        const joined = joinRoutedParts(each, parts);
        expect(joined.step).toEqual({ ...whole, dropReference: olmoeReferenceDropFractions() });
        expect(joined.batchMetrics).toEqual(routingSummaryMetrics(each, whole));
      }
    }
  });

  it('has no whole-batch figures for a single MoE layer, where they would repeat the layer', () => {
    const single = decodeFragment('v=1&model=olmoe-1b-7b&model.layers=1&routing.tokensPerDevice=64').scenario;
    const joined = joinRoutedParts(single, [routeStep(single, 0)]);
    expect(joined.step.layers).toHaveLength(1);
    expect(joined.batchMetrics).toEqual([]);
  });

  it('starts one worker per core but one, between one and four, and one where there are no workers', () => {
    expect([undefined, 1, 2, 3, 4, 8, 64].map((cores) => routingWorkerCount(cores, true))).toEqual([
      1, 1, 1, 2, 3, 4, 4,
    ]);
    expect(routingWorkerCount(16, false)).toBe(1);
  });
});

describe('which batches route their layer shown first', () => {
  it('large batches only: DeepSeek-V3 does, Mixtral and a one-layer model do not', () => {
    expect(worthPreviewing(decodeFragment('v=1&model=deepseek-v3').scenario)).toBe(true);
    expect(worthPreviewing(decodeFragment('v=1').scenario)).toBe(false);
    expect(
      worthPreviewing(
        decodeFragment('v=1&model=deepseek-v3&model.layers=4&model.denseLeadingLayers=3').scenario,
      ),
    ).toBe(false);
  });

  it('counts the draws of the simulated devices, tokens, experts and MoE layers against the threshold', () => {
    const scenario = decodeFragment('v=1&model=olmoe-1b-7b&dp=64&routing.tokensPerDevice=512').scenario;
    const { moeLayers } = countParameters(resolveArchitecture(scenario));
    const draws = 64 * 512 * 64 * moeLayers;
    expect(draws > PREVIEW_ABOVE_DRAWS).toBe(worthPreviewing(scenario));
    const half = { ...scenario, routing: { ...scenario.routing, tokensPerDevice: 32 } };
    expect(64 * 32 * 64 * moeLayers).toBeLessThan(PREVIEW_ABOVE_DRAWS);
    expect(worthPreviewing(half)).toBe(false);
  });
});

describe('the routing client without workers (jsdom, or a page that may not start them)', () => {
  it('routes the layer shown alone, as the whole batch routes it', async () => {
    const { scenario } = decodeFragment('v=1&model=olmoe-1b-7b&routing.tokensPerDevice=64');
    const client = createRoutingClient(1);
    const layer = await client.routeLayer!(scenario, 3, null, 5);
    const batch = await client.route(scenario, 3, null);
    expect(layer?.layers).toHaveLength(1);
    expect(layer?.layers[0]).toEqual(batch?.step.layers[5]);
    client.dispose();
  });
});
