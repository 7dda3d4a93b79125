import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findGpuPreset } from '../../../src/core/catalog/hardware';
import { findModelPreset } from '../../../src/core/catalog/models';
import { countParameters } from '../../../src/core/model/params';
import { largestDivisorAtMost, reconcileCombinations } from '../../../src/core/scenario/combinations';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { FIELD_BY_KEY, FIELDS } from '../../../src/core/scenario/fields';
import { readField } from '../../../src/core/scenario/fieldAccess';
import { resolveArchitecture, resolveGpu } from '../../../src/core/scenario/resolve';
import type { Scenario, ValidationMessage } from '../../../src/core/scenario/types';
import { applyEntries, scenarioEntries, validateScenario } from '../../../src/core/scenario/validate';
import { entriesArbitrary, scenarioArbitrary } from '../support/scenarioArbitrary';

function apply(entries: [string, unknown][], base: Scenario = defaultScenario()) {
  return applyEntries(base, entries);
}

function messagesOf(messages: readonly ValidationMessage[], kind: ValidationMessage['kind']) {
  return messages.filter((message) => message.kind === kind);
}

/** The invariants every reconciled scenario holds. */
function expectRunnable(scenario: Scenario): void {
  const arch = resolveArchitecture(scenario);
  const gpu = resolveGpu(scenario);
  const { ep, dp, tp } = scenario.parallelism;
  expect(arch.topK).toBeLessThanOrEqual(arch.experts);
  expect(arch.attentionHeads % arch.kvHeads).toBe(0);
  expect(countParameters(arch).moeLayers).toBeGreaterThan(0);
  expect(arch.experts % ep).toBe(0);
  expect(dp % ep).toBe(0);
  expect(arch.attentionHeads % tp).toBe(0);
  if (scenario.workload.precision === 'fp8') expect(gpu.fp8Tflops).toBeGreaterThan(0);
  if (scenario.workload.precision === 'fp4') expect(gpu.fp4Tflops).toBeGreaterThan(0);
  for (const field of FIELDS) {
    const value = readField(scenario, field);
    if (field.kind === 'integer' || field.kind === 'number') {
      expect(typeof value, field.key).toBe('number');
      expect(value as number, field.key).toBeGreaterThanOrEqual(field.min);
      expect(value as number, field.key).toBeLessThanOrEqual(field.max);
      if (field.kind === 'integer') expect(Number.isInteger(value), field.key).toBe(true);
    } else if (field.kind === 'enum') {
      expect(
        field.options.map((option) => option.value),
        field.key,
      ).toContain(value);
    } else {
      expect(typeof value, field.key).toBe('boolean');
    }
  }
}

/** A message a user can read: a sentence, no leaked `undefined`/`NaN`/`[object Object]`. */
function expectHumanSentence(message: ValidationMessage): void {
  expect(message.message.length).toBeGreaterThan(15);
  expect(message.message).toMatch(/^\S/);
  expect(message.message).toMatch(/\.$/);
  expect(message.message.split(/\s+/).length).toBeGreaterThanOrEqual(4);
  // The user's own text is echoed between the first and last quote; outside it nothing may leak.
  const first = message.message.indexOf('"');
  const last = message.message.lastIndexOf('"');
  const ours =
    first >= 0 && last > first
      ? message.message.slice(0, first) + message.message.slice(last + 1)
      : message.message;
  expect(ours).not.toMatch(/undefined|\bNaN\b|\[object Object\]/);
  expect(message.key === undefined || typeof message.key === 'string').toBe(true);
}

describe('applyEntries: bounds', () => {
  it('clamps a value above the maximum and says so', () => {
    const { scenario, messages } = apply([['layers', '1']]);
    expect(messages.map((m) => m.kind)).toEqual(['unknown-key']);
    const result = apply([['model.layers', '1000']]);
    expect(resolveArchitecture(result.scenario).layers).toBe(256);
    const [clamped] = messagesOf(result.messages, 'clamped');
    expect(clamped?.key).toBe('model.layers');
    expect(clamped?.message).toContain('above the maximum');
    expect(clamped?.message).toContain('256');
    expect(scenario).toEqual(defaultScenario());
  });

  it('states large integer bounds exactly and echoes what the link said', () => {
    const seed = apply([['seed', '99999999999999999999']]);
    expect(seed.scenario.workload.seed).toBe(4294967295);
    expect(seed.messages[0]?.message).toBe(
      'Seed (seed): 99999999999999999999 is above the maximum; set to 4294967295.',
    );
    const view = apply([['checkpoint.viewIteration', '999999999']]);
    expect(view.messages[0]?.message).toContain('999999999 is above the maximum; set to 10000000');
    const batch = apply([['batch', '2e6']]);
    expect(batch.messages[0]?.message).toContain(
      `2e6 is above the maximum; set to ${batch.scenario.workload.batchSize}`,
    );
  });

  it('suggests the setting an unknown key most likely meant', () => {
    const message = (key: string) => apply([[key, '1']]).messages[0]?.message;
    expect(message('topK')).toBe(
      '"topK" is not a setting MoE Lab knows; ignored it. Did you mean "model.topK"?',
    );
    expect(message('CAPACITYFACTOR')).toMatch(/Did you mean "routing\.capacityFactor"\?$/);
    expect(message('EP')).toMatch(/Did you mean "ep"\?$/);
    expect(message('nonsense')).toBe('"nonsense" is not a setting MoE Lab knows; ignored it.');
  });

  it('clamps a value below the minimum', () => {
    const { scenario, messages } = apply([['batch', '0']]);
    expect(scenario.workload.batchSize).toBe(1);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.kind).toBe('clamped');
    expect(messages[0]?.key).toBe('batch');
    expect(messages[0]?.message).toContain('below the minimum');
  });

  it('clamps fractional fields to their range', () => {
    const { scenario, messages } = apply([
      ['computeEff', '5'],
      ['vision', '-0.5'],
    ]);
    expect(scenario.hardware.computeEfficiency).toBe(1);
    expect(scenario.workload.visionFraction).toBe(0);
    expect(messagesOf(messages, 'clamped').map((m) => m.key)).toEqual(['computeEff', 'vision']);
  });

  it('rounds integers and reports the rounding', () => {
    const { scenario, messages } = apply([['batch', '2.5']]);
    expect(scenario.workload.batchSize).toBe(3);
    expect(messages[0]?.kind).toBe('clamped');
    expect(messages[0]?.message).toContain('rounded to 3');
  });

  it('accepts in-range values silently, typed or as strings', () => {
    const { scenario, messages } = apply([
      ['batch', 64],
      ['seq', ' 2048 '],
      ['networkEff', '0.5'],
      ['model.gatedFfn', 'false'],
      ['mode', 'decode'],
    ]);
    expect(messages).toEqual([]);
    expect(scenario.workload.batchSize).toBe(64);
    expect(scenario.workload.seqLen).toBe(2048);
    expect(scenario.hardware.networkEfficiency).toBe(0.5);
    expect(scenario.model.overrides.gatedFfn).toBe(false);
    expect(scenario.workload.mode).toBe('decode');
  });
});

describe('applyEntries: digits too large for a double', () => {
  it('are above the maximum, not "not a number"', () => {
    const { scenario, messages } = applyEntries(defaultScenario(), [
      ['routing.capacityFactor', '1e400'],
      ['checkpoint.pltThreshold', '-1e999'],
    ]);
    const bound = (key: string, side: 'min' | 'max') => {
      const field = FIELD_BY_KEY.get(key);
      return field && field.kind !== 'enum' && field.kind !== 'boolean' ? field[side] : NaN;
    };
    expect(scenario.routing.capacityFactor).toBe(bound('routing.capacityFactor', 'max'));
    expect(scenario.checkpoint.pltThreshold).toBe(bound('checkpoint.pltThreshold', 'min'));
    expect(messages.map((message) => message.kind)).toEqual(['clamped', 'clamped']);
    expect(messages[0]!.message).toContain('1e400 is above the maximum');
    expect(messages[1]!.message).toContain('-1e999 is below the minimum');
    expect(messages[1]!.message).not.toContain('Infinity');
  });
});

describe('applyEntries: a field read in percent', () => {
  it('a PLT threshold written "3.75 %" is the fraction 0.0375; a bare number in a link keeps meaning a fraction', () => {
    const typed = apply([['checkpoint.pltThreshold', '3.75 %']]);
    expect(typed.messages).toEqual([]);
    expect(typed.scenario.checkpoint.pltThreshold).toBe(0.0375);
    expect(apply([['checkpoint.pltThreshold', '1.1%']]).scenario.checkpoint.pltThreshold).toBe(0.011);
    const linked = apply([['checkpoint.pltThreshold', '0.05']]);
    expect(linked.messages).toEqual([]);
    expect(linked.scenario.checkpoint.pltThreshold).toBe(0.05);
  });

  it('says in percent what a clamped value was and became', () => {
    const typed = apply([['checkpoint.pltThreshold', '150 %']]);
    expect(typed.scenario.checkpoint.pltThreshold).toBe(1);
    expect(typed.messages[0]?.message).toMatch(/150 % is above the maximum; set to 100 %/);
    const linked = apply([['checkpoint.pltThreshold', '3.75']]);
    expect(linked.messages[0]?.message).toMatch(/3\.75 \(375 %\) is above the maximum; set to 100 %/);
  });
});

describe('applyEntries: unreadable input', () => {
  it.each([
    ['batch', 'abc'],
    ['batch', ''],
    ['batch', '12abc'],
    ['batch', '0x10'],
    ['batch', 'NaN'],
    ['batch', 'Infinity'],
    ['batch', null],
    ['batch', {}],
    ['batch', [3]],
    ['model.gatedFfn', 'yes'],
    ['model', 'gpt-5'],
    ['precision', 'fp16'],
    ['gpu', 42],
  ])('%s=%j is invalid and the previous value is kept', (key, raw) => {
    const base = apply([
      ['batch', '64'],
      ['model.gatedFfn', 'false'],
      ['model', 'olmoe-1b-7b'],
    ]).scenario;
    const { scenario, messages } = applyEntries(base, [[key, raw]]);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.kind).toBe('invalid');
    expect(messages[0]?.key).toBe(key);
    expect(messages[0]?.message).toContain('kept the previous value');
    expect(scenario).toEqual(base);
  });

  it('reports unknown keys and ignores them', () => {
    const { scenario, messages } = apply([
      ['flux', '3'],
      ['__proto__', '1'],
      ['constructor', 'x'],
    ]);
    expect(scenario).toEqual(defaultScenario());
    expect(messages.map((m) => m.kind)).toEqual(['unknown-key', 'unknown-key', 'unknown-key']);
    expect(messages.map((m) => m.key)).toEqual(['flux', '__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['1']).toBeUndefined();
  });

  it('shortens a hostile value in its message', () => {
    const { messages } = apply([['batch', 'x'.repeat(10_000)]]);
    expect(messages[0]?.message.length).toBeLessThan(200);
  });
});

describe('applyEntries: impossible combinations', () => {
  function combination(entries: [string, unknown][], key: string) {
    const result = apply(entries);
    const found = messagesOf(result.messages, 'combination').filter((m) => m.key === key);
    expect(found, `combination message for ${key}`).toHaveLength(1);
    expectRunnable(result.scenario);
    return result;
  }

  it('top-k above the expert count becomes the expert count', () => {
    const { scenario } = combination(
      [
        ['model.experts', '4'],
        ['model.topK', '6'],
      ],
      'model.topK',
    );
    expect(resolveArchitecture(scenario).topK).toBe(4);
    expect(scenario.parallelism.ep).toBe(4);
  });

  it('EP that does not divide the experts becomes the largest divisor below it', () => {
    expect(combination([['ep', '6']], 'ep').scenario.parallelism.ep).toBe(4);
    expect(combination([['ep', '7']], 'ep').scenario.parallelism.ep).toBe(4);
    expect(combination([['ep', '4096']], 'ep').scenario.parallelism.ep).toBe(8);
    const qwen = combination(
      [
        ['model', 'qwen1.5-moe-a2.7b'],
        ['ep', '16'],
      ],
      'ep',
    );
    expect(qwen.scenario.parallelism.ep).toBe(15);
  });

  it('prefers an EP that also divides DP, so the cluster keeps its size, unless that halves EP', () => {
    // 60 experts on EP=8, DP=8: EP=4 keeps DP=8 (EP=6 would need DP=12, four more GPUs).
    const qwen = combination([['model', 'qwen1.5-moe-a2.7b']], 'ep').scenario.parallelism;
    expect([qwen.ep, qwen.dp]).toEqual([4, 8]);
    // 256 experts on EP=7, DP=7: only EP=1 divides both; EP=4 with DP=8 keeps the expert parallelism.
    const v3 = combination(
      [
        ['model', 'deepseek-v3'],
        ['ep', '7'],
        ['dp', '7'],
      ],
      'ep',
    ).scenario.parallelism;
    expect([v3.ep, v3.dp]).toEqual([4, 8]);
  });

  it('DP that is not a multiple of EP is raised to the next multiple', () => {
    expect(combination([['dp', '12']], 'dp').scenario.parallelism.dp).toBe(16);
    expect(combination([['dp', '3']], 'dp').scenario.parallelism.dp).toBe(8);
  });

  it('DP near its maximum stays a multiple of EP and within bounds', () => {
    const { scenario } = combination(
      [
        ['model', 'qwen1.5-moe-a2.7b'],
        ['ep', '3'],
        ['dp', '65536'],
      ],
      'dp',
    );
    expect(scenario.parallelism.dp).toBe(65535);
  });

  it('TP that does not divide the attention heads becomes the largest divisor', () => {
    expect(combination([['tp', '3']], 'tp').scenario.parallelism.tp).toBe(2);
    expect(combination([['tp', '64']], 'tp').scenario.parallelism.tp).toBe(32);
  });

  it('FP8 on a GPU without FP8 tensor cores falls back to BF16', () => {
    const { scenario } = combination(
      [
        ['gpu', 'a100'],
        ['precision', 'fp8'],
      ],
      'precision',
    );
    expect(scenario.workload.precision).toBe('bf16');
    const overridden = combination(
      [
        ['gpu.fp8Tflops', '0'],
        ['precision', 'fp8'],
      ],
      'precision',
    );
    expect(overridden.scenario.workload.precision).toBe('bf16');
  });

  it('FP4 falls back to FP8 where the GPU has it, else BF16', () => {
    expect(combination([['precision', 'fp4']], 'precision').scenario.workload.precision).toBe('fp8');
    const a100 = combination(
      [
        ['precision', 'fp4'],
        ['gpu', 'a100'],
      ],
      'precision',
    );
    expect(a100.scenario.workload.precision).toBe('bf16');
    const b200 = apply([
      ['gpu', 'b200'],
      ['precision', 'fp4'],
    ]);
    expect(b200.messages).toEqual([]);
    expect(b200.scenario.workload.precision).toBe('fp4');
  });

  it('KV heads that do not divide the attention heads become the largest divisor', () => {
    expect(resolveArchitecture(combination([['model.kvHeads', '5']], 'model.kvHeads').scenario).kvHeads).toBe(
      4,
    );
    expect(
      resolveArchitecture(combination([['model.kvHeads', '48']], 'model.kvHeads').scenario).kvHeads,
    ).toBe(32);
  });

  it('MoE every more layers than the model has becomes every layer', () => {
    const { scenario } = combination(
      [
        ['model.layers', '4'],
        ['model.moeEvery', '8'],
      ],
      'model.moeEvery',
    );
    expect(resolveArchitecture(scenario).moeEvery).toBe(1);
  });

  it('dense leading layers that leave no MoE layer are reduced', () => {
    const { scenario } = combination(
      [
        ['model.layers', '4'],
        ['model.denseLeadingLayers', '10'],
      ],
      'model.denseLeadingLayers',
    );
    expect(resolveArchitecture(scenario).denseLeadingLayers).toBe(3);
  });

  it('a valid scenario needs no reconciliation', () => {
    expect(reconcileCombinations(defaultScenario())).toEqual({ scenario: defaultScenario(), messages: [] });
  });
});

describe('largestDivisorAtMost', () => {
  it('is the largest divisor of n not above the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 6000 }), (n, limit) => {
        const d = largestDivisorAtMost(n, limit);
        expect(n % d).toBe(0);
        expect(d).toBeLessThanOrEqual(Math.max(1, limit));
        for (let bigger = d + 1; bigger <= Math.min(n, limit); bigger += 1) expect(n % bigger).not.toBe(0);
      }),
      { numRuns: 300 },
    );
    expect(largestDivisorAtMost(60, 16)).toBe(15);
    expect(largestDivisorAtMost(7, 6)).toBe(1);
  });
});

describe('applyEntries: presets and overrides', () => {
  it('applies preset keys before the fields that refine them, whatever the order', () => {
    const overrideFirst = apply([
      ['model.layers', '10'],
      ['gpu.memGB', '100'],
      ['model', 'deepseek-v3'],
      ['gpu', 'a100'],
    ]);
    const presetFirst = apply([
      ['model', 'deepseek-v3'],
      ['gpu', 'a100'],
      ['model.layers', '10'],
      ['gpu.memGB', '100'],
    ]);
    expect(overrideFirst).toEqual(presetFirst);
    expect(overrideFirst.scenario.model).toEqual({ preset: 'deepseek-v3', overrides: { layers: 10 } });
    expect(overrideFirst.scenario.hardware.gpu).toBe('a100');
    expect(overrideFirst.scenario.hardware.gpuOverrides).toEqual({ memGB: 100 });
    expect(resolveArchitecture(overrideFirst.scenario).hiddenSize).toBe(7168);
  });

  it('does not store an override equal to the preset value', () => {
    expect(apply([['model.layers', '32']]).scenario.model.overrides).toEqual({});
    expect(apply([['gpu.memGB', '80']]).scenario.hardware.gpuOverrides).toEqual({});
    const v3 = apply([
      ['model', 'deepseek-v3'],
      ['model.layers', '61'],
      ['model.experts', 256],
    ]);
    expect(v3.scenario.model.overrides).toEqual({});
    // Setting a field back to the preset's value removes the override.
    const changed = apply([['model.layers', '20']]).scenario;
    expect(changed.model.overrides).toEqual({ layers: 20 });
    expect(applyEntries(changed, [['model.layers', '32']]).scenario.model.overrides).toEqual({});
  });

  it('choosing another model or GPU preset clears the overrides made against the old one', () => {
    const custom = apply([
      ['model.layers', '20'],
      ['model.topK', '1'],
      ['gpu.memGB', '100'],
    ]).scenario;
    expect(custom.model.overrides).toEqual({ layers: 20, topK: 1 });
    const switched = applyEntries(custom, [
      ['model', 'olmoe-1b-7b'],
      ['gpu', 'h200'],
    ]).scenario;
    expect(switched.model).toEqual({ preset: 'olmoe-1b-7b', overrides: {} });
    expect(switched.hardware.gpuOverrides).toEqual({});
    expect(resolveArchitecture(switched)).toEqual(findModelPreset('olmoe-1b-7b')?.architecture);
    expect(resolveGpu(switched)).toEqual(findGpuPreset('h200')?.spec);
  });

  it('does not mutate its base scenario', () => {
    const base = defaultScenario();
    const frozen = structuredClone(base);
    applyEntries(base, [
      ['model.layers', '3'],
      ['ep', '1'],
      ['gpu', 'a100'],
    ]);
    expect(base).toEqual(frozen);
  });
});

describe('every message is a human sentence', () => {
  it('for a gallery of bad input', () => {
    const { messages } = apply([
      ['batch', '0'],
      ['batch', '2.5'],
      ['seq', 'abc'],
      ['model.gatedFfn', 'maybe'],
      ['model', 'nope'],
      ['nope', '1'],
      ['model.experts', '4'],
      ['model.topK', '6'],
      ['model.kvHeads', '5'],
      ['model.layers', '4'],
      ['model.moeEvery', '8'],
      ['ep', '3'],
      ['dp', '5'],
      ['tp', '5'],
      ['gpu', 'a100'],
      ['precision', 'fp8'],
    ]);
    const kinds = new Set(messages.map((m) => m.kind));
    expect([...kinds].sort()).toEqual(['clamped', 'combination', 'invalid', 'unknown-key']);
    expect(messages.length).toBeGreaterThanOrEqual(12);
    for (const message of messages) expectHumanSentence(message);
  });

  it('for random entries with garbage values', () => {
    const garbage = fc.oneof(
      fc.string(),
      fc.double(),
      fc.integer({ min: -1e9, max: 1e9 }).map(String),
      fc.constantFrom('NaN', '-0', '1e309', 'true', '', ' ', null, undefined, {}, []),
    );
    const key = fc.oneof(fc.constantFrom(...FIELDS.map((field) => field.key)), fc.string());
    fc.assert(
      fc.property(fc.array(fc.tuple(key, garbage), { maxLength: 12 }), (entries) => {
        const { scenario, messages } = applyEntries(defaultScenario(), entries);
        for (const message of messages) expectHumanSentence(message);
        expectRunnable(scenario);
      }),
      { numRuns: 500 },
    );
  });
});

describe('reconciled scenarios', () => {
  it('random in-bounds entries always give a runnable scenario that is a fixed point of validation', () => {
    fc.assert(
      fc.property(entriesArbitrary, (entries) => {
        const { scenario, messages } = applyEntries(defaultScenario(), entries);
        for (const message of messages) expect(message.kind).toBe('combination');
        expectRunnable(scenario);
        expect(reconcileCombinations(scenario)).toEqual({ scenario, messages: [] });
        expect(validateScenario(scenario)).toEqual({ scenario, messages: [] });
        // JSON (how the UI stores it) does not change it either.
        expect(validateScenario(JSON.parse(JSON.stringify(scenario)))).toEqual({ scenario, messages: [] });
      }),
      { numRuns: 1000 },
    );
  });

  it('scenarioEntries lists what applyEntries rebuilds the scenario from', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const entries = scenarioEntries(scenario);
        for (const [key] of entries) expect(FIELD_BY_KEY.has(key)).toBe(true);
        expect(applyEntries(defaultScenario(), entries)).toEqual({ scenario, messages: [] });
      }),
      { numRuns: 300 },
    );
  });
});

describe('validateScenario on untrusted input', () => {
  const hostile: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'x'],
    ['a boolean', true],
    ['a function', () => 1],
    ['an array', [1, 2, 3]],
    ['an empty object', {}],
    ['a null-prototype object', Object.create(null) as unknown],
    ['JSON __proto__ at the top', JSON.parse('{"__proto__": {"polluted": 1, "parallelism": {"ep": 1}}}')],
    ['JSON __proto__ inside a section', JSON.parse('{"model": {"__proto__": {"preset": "deepseek-v3"}}}')],
    [
      'JSON __proto__ in overrides',
      JSON.parse('{"model": {"preset": "olmoe-1b-7b", "overrides": {"__proto__": {"layers": 3}}}}'),
    ],
    ['inherited fields', Object.create({ parallelism: { ep: 4, dp: 4, tp: 1, zeroStage: 0 } }) as unknown],
    ['constructor keys', { constructor: { prototype: { polluted: 1 } }, model: { constructor: 1 } }],
    ['sections of the wrong type', { model: 'deepseek-v3', hardware: null, parallelism: [8], workload: 3 }],
    [
      'fields of the wrong type',
      { parallelism: { ep: [4], dp: { n: 8 } }, workload: { precision: 8, mode: null } },
    ],
  ];

  it.each(hostile)('never throws on %s and returns a valid scenario', (_name, input) => {
    const { scenario, messages } = validateScenario(input);
    expectRunnable(scenario);
    expect(validateScenario(scenario)).toEqual({ scenario, messages: [] });
    for (const message of messages) expectHumanSentence(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('non-objects give the default scenario with one message', () => {
    for (const input of [null, 42, 'x', undefined]) {
      const { scenario, messages } = validateScenario(input);
      expect(scenario).toEqual(defaultScenario());
      expect(messages).toHaveLength(1);
      expect(messages[0]?.kind).toBe('invalid');
    }
  });

  it('only own properties are read', () => {
    const inherited = Object.create({ parallelism: { ep: 4, dp: 4 } }) as unknown;
    expect(validateScenario(inherited).scenario).toEqual(defaultScenario());
    const protoInOverrides = JSON.parse(
      '{"model": {"preset": "olmoe-1b-7b", "overrides": {"__proto__": {"layers": 3}}}}',
    );
    expect(validateScenario(protoInOverrides).scenario.model).toEqual({
      preset: 'olmoe-1b-7b',
      overrides: {},
    });
  });

  it('reports unknown top-level keys, including __proto__', () => {
    const { messages } = validateScenario(JSON.parse('{"__proto__": {}, "extra": 1}'));
    expect(messagesOf(messages, 'unknown-key').map((m) => m.key)).toEqual(['__proto__', 'extra']);
  });

  it('reads stored values from strings as a link would', () => {
    const { scenario, messages } = validateScenario({
      parallelism: { ep: '4' },
      workload: { mode: 'prefill' },
    });
    expect(messages).toEqual([]);
    expect(scenario.parallelism.ep).toBe(4);
    expect(scenario.workload.mode).toBe('prefill');
  });

  it('drops unknown nested properties (nothing unknown is kept)', () => {
    const { scenario } = validateScenario({
      ...defaultScenario(),
      parallelism: { ...defaultScenario().parallelism, pp: 4 },
    });
    expect(scenario).toEqual(defaultScenario());
    expect(Object.keys(scenario.parallelism)).not.toContain('pp');
  });

  it('never throws on random JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const { scenario, messages } = validateScenario(value);
        expectRunnable(scenario);
        for (const message of messages) expectHumanSentence(message);
      }),
      { numRuns: 300 },
    );
  });
});
