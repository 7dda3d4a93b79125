import fc from 'fast-check';
import { MODEL_PRESETS } from '../../../src/core/catalog/models';
import { countParameters } from '../../../src/core/model/params';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { resolveArchitecture } from '../../../src/core/scenario/resolve';
import type { Scenario } from '../../../src/core/scenario/types';
import { applyEntries } from '../../../src/core/scenario/validate';

export function moeLayersOf(scenario: Scenario): number {
  return Math.max(1, countParameters(resolveArchitecture(scenario)).moeLayers);
}

/**
 * A valid routing scenario, small enough to route in milliseconds: any preset (optionally with random expert count
 * and top-k), EP up to 8 and DP up to 16, 16–`maxTokens` simulated tokens per device, and every routing setting at random.
 * Built through the validator, so the combination is one the app would run.
 */
export function routingScenarioArbitrary(maxTokens = 256): fc.Arbitrary<Scenario> {
  return fc
    .record({
      model: fc.constantFrom(...MODEL_PRESETS.map((preset) => preset.id)),
      experts: fc.option(fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(8, 16, 64, 128, 256)), {
        nil: undefined,
      }),
      topK: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
      ep: fc.constantFrom(1, 2, 4, 8),
      dpMultiple: fc.constantFrom(1, 2),
      mode: fc.constantFrom('training', 'prefill', 'decode'),
      visionFraction: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      profile: fc.constantFrom('uniform', 'zipf', 'olmoe'),
      zipfExponent: fc.double({ min: 0, max: 3, noNaN: true }),
      noise: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5, noNaN: true })),
      layerCorrelation: fc.double({ min: 0, max: 1, noNaN: true }),
      drift: fc.double({ min: 0, max: 1, noNaN: true }),
      visionExpertFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      visionBias: fc.double({ min: 0, max: 5, noNaN: true }),
      gating: fc.constantFrom(
        'softmax-topk',
        'softmax-topk-norm',
        'sigmoid-topk-norm',
        'group-limited',
        'softmax-group-limited',
        'expert-choice',
        'hash',
      ),
      groups: fc.integer({ min: 1, max: 32 }),
      topkGroups: fc.integer({ min: 1, max: 32 }),
      capacity: fc.constantFrom('off', 'expert', 'device'),
      capacityFactor: fc.oneof(fc.constantFrom(0.5, 1, 1.5, 2), fc.double({ min: 0.1, max: 8, noNaN: true })),
      dropPolicy: fc.constantFrom('order', 'reverse', 'random', 'score'),
      expandedDrop: fc.boolean(),
      tokensPerDevice: fc.integer({ min: 1, max: Math.floor(maxTokens / 16) }).map((units) => units * 16),
    })
    .map((draw) => {
      const entries: [string, unknown][] = [
        ['model', draw.model],
        ['ep', draw.ep],
        ['dp', draw.ep * draw.dpMultiple],
        ['mode', draw.mode],
        ['visionFraction', draw.visionFraction],
        ['seed', draw.seed],
      ];
      if (draw.experts !== undefined) entries.push(['model.experts', draw.experts]);
      if (draw.topK !== undefined) entries.push(['model.topK', draw.topK]);
      for (const key of [
        'profile',
        'zipfExponent',
        'noise',
        'layerCorrelation',
        'drift',
        'visionExpertFraction',
        'visionBias',
        'gating',
        'groups',
        'topkGroups',
        'capacity',
        'capacityFactor',
        'dropPolicy',
        'expandedDrop',
        'tokensPerDevice',
      ] as const)
        entries.push([`routing.${key}`, draw[key]]);
      return applyEntries(defaultScenario(), entries).scenario;
    });
}

/** A scenario with one or two of its MoE layers to route (routing every layer of a 61-layer model is slow). */
export const scenarioWithLayersArbitrary: fc.Arbitrary<{
  scenario: Scenario;
  layers: number[];
  step: number;
}> = routingScenarioArbitrary().chain((scenario) => {
  const layers = moeLayersOf(scenario);
  return fc.record({
    scenario: fc.constant(scenario),
    layers: fc.uniqueArray(fc.integer({ min: 0, max: layers - 1 }), { minLength: 1, maxLength: 2 }),
    step: fc.integer({ min: 0, max: 3 }),
  });
});
