import { describe, expect, it } from 'vitest';
import {
  MODEL_PRESETS,
  NATIVE_ROUTERS,
  applyEntries,
  defaultScenario,
  linkSources,
  nativeRouterEntries,
  nativeRouterOf,
  routeStep,
  routesNatively,
} from '../../../src/core';

function scenarioFor(model: string) {
  return applyEntries(defaultScenario(), [['model', model]]).scenario;
}

describe('native routers of the model presets', () => {
  it('name only presets that exist', () => {
    const presetIds = new Set(MODEL_PRESETS.map((preset) => preset.id));
    for (const id of Object.keys(NATIVE_ROUTERS)) expect(presetIds, id).toContain(id);
  });

  it('each router is a valid setting for its own model: selecting it needs no fixes and then reads as native', () => {
    for (const [model, router] of Object.entries(NATIVE_ROUTERS)) {
      const before = scenarioFor(model);
      const { scenario, messages } = applyEntries(before, nativeRouterEntries(router));
      expect(messages, model).toEqual([]);
      expect(routesNatively(scenario, router), model).toBe(true);
    }
  });

  it('each source links to where it can be read', () => {
    for (const [model, router] of Object.entries(NATIVE_ROUTERS)) {
      expect(
        linkSources(router.source).some((segment) => segment.href),
        `${model}: ${router.source}`,
      ).toBe(true);
    }
  });

  it('a group-limited router is native only with its own group counts', () => {
    const router = nativeRouterOf('deepseek-v3');
    if (!router) throw new Error('DeepSeek-V3 has a native router');
    const native = applyEntries(scenarioFor('deepseek-v3'), nativeRouterEntries(router)).scenario;
    expect(routesNatively(native, router)).toBe(true);
    const fewerGroups = applyEntries(native, [['routing.topkGroups', 2]]).scenario;
    expect(routesNatively(fewerGroups, router)).toBe(false);
    const softmax = applyEntries(native, [['routing.gating', 'softmax-topk-norm']]).scenario;
    expect(routesNatively(softmax, router)).toBe(false);
  });

  it('DeepSeek-V2’s device limit changes where tokens go, against plain softmax top-k on the same draws', () => {
    const router = nativeRouterOf('deepseek-v2');
    if (!router) throw new Error('DeepSeek-V2 has a native router');
    const base = applyEntries(scenarioFor('deepseek-v2'), [
      ['routing.tokensPerDevice', 256],
      ['ep', 1],
      ['dp', 1],
    ]).scenario;
    const loads = (entries: [string, unknown][]) => {
      const step = routeStep(applyEntries(base, entries).scenario, 0, { layers: [0] });
      const layer = step.layers[0];
      if (!layer) throw new Error('layer 0 routed');
      return { routed: layer.routedPairs, load: Array.from(layer.preDropLoad) };
    };
    const limited = loads(nativeRouterEntries(router));
    const plain = loads([['routing.gating', 'softmax-topk']]);
    expect(limited.routed).toBe(256 * 6);
    expect(plain.routed).toBe(256 * 6);
    expect(limited.load).not.toEqual(plain.load);
  });

  it('says DeepSeek-V2’s routed_scaling_factor multiplies the routed output, not that it renormalises the weights', () => {
    const summary = nativeRouterOf('deepseek-v2')?.summary ?? '';
    expect(summary).not.toMatch(/scales the sum back up/);
    expect(summary).toMatch(/weights sum to less than 1/);
    expect(summary).toMatch(/combined output is then multiplied by a fixed routed_scaling_factor of 16/);
  });
});
