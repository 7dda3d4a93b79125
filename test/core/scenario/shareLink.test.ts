import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summaryMetrics } from '../../../src/core/metrics/summary';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { defaultOf, readField } from '../../../src/core/scenario/fieldAccess';
import { FIELD_KEYS, FIELDS } from '../../../src/core/scenario/fields';
import {
  MAX_FRAGMENT_LENGTH,
  SHARE_LINK_VERSION,
  decodeFragment,
  encodeFragment,
  linkView,
} from '../../../src/core/scenario/shareLink';
import type { Scenario } from '../../../src/core/scenario/types';
import { applyEntries, validateScenario } from '../../../src/core/scenario/validate';
import { scenarioArbitrary } from '../support/scenarioArbitrary';

function scenarioWith(entries: [string, unknown][]): Scenario {
  const { scenario, messages } = applyEntries(defaultScenario(), entries);
  expect(messages).toEqual([]);
  return scenario;
}

function keysOf(fragment: string): string[] {
  return [...new URLSearchParams(fragment).keys()];
}

describe('encodeFragment', () => {
  it('encodes the default scenario as just the version marker', () => {
    expect(encodeFragment(defaultScenario())).toBe('v=1');
    expect(SHARE_LINK_VERSION).toBe(1);
  });

  it('encodes only the fields that differ, in the table order', () => {
    expect(encodeFragment(scenarioWith([['ep', '4']]))).toBe('v=1&ep=4');
    expect(
      encodeFragment(
        scenarioWith([
          ['seed', '7'],
          ['model', 'deepseek-v3'],
          ['dp', '32'],
          ['ep', '32'],
        ]),
      ),
    ).toBe('v=1&model=deepseek-v3&ep=32&dp=32&seed=7');
  });

  it('encodes architecture and GPU fields only as overrides of the chosen preset', () => {
    // DeepSeek-V3 has 61 layers: the preset's own value is not an override and is not encoded.
    expect(encodeFragment(scenarioWith([['model', 'deepseek-v3']]))).toBe('v=1&model=deepseek-v3');
    expect(
      encodeFragment(
        scenarioWith([
          ['model', 'deepseek-v3'],
          ['model.layers', '32'],
        ]),
      ),
    ).toBe('v=1&model=deepseek-v3&model.layers=32');
    expect(encodeFragment(scenarioWith([['model.gatedFfn', 'false']]))).toBe('v=1&model.gatedFfn=false');
    expect(encodeFragment(scenarioWith([['gpu', 'a100']]))).toBe('v=1&gpu=a100');
    expect(encodeFragment(scenarioWith([['gpu.memGB', '96']]))).toBe('v=1&gpu.memGB=96');
  });

  it('for random scenarios, encodes exactly the changed fields', () => {
    const defaults = defaultScenario();
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const keys = keysOf(encodeFragment(scenario));
        const changed = FIELDS.filter((field) =>
          field.presetDefault
            ? readField(scenario, field) !== defaultOf(scenario, field)
            : readField(scenario, field) !== readField(defaults, field),
        ).map((field) => field.key);
        expect(keys).toEqual(['v', ...changed]);
      }),
      { numRuns: 300 },
    );
  });

  it('is readable: plain key=value pairs, no JSON, no base64', () => {
    const fragment = encodeFragment(
      scenarioWith([
        ['model', 'qwen3-30b-a3b'],
        ['mode', 'decode'],
        ['computeEff', '0.25'],
      ]),
    );
    expect(fragment).toBe('v=1&model=qwen3-30b-a3b&computeEff=0.25&mode=decode');
  });
});

describe('decodeFragment', () => {
  it('passes over stray separators without a word, and still names an empty key with a value', () => {
    expect(decodeFragment('#v=1&&&=&=').messages).toEqual([]);
    expect(decodeFragment('#v=1&=3').messages.map((message) => message.kind)).toEqual(['unknown-key']);
  });

  it('round-trips random valid scenarios with no messages', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const fragment = encodeFragment(scenario);
        expect(decodeFragment(fragment)).toEqual({ scenario, messages: [] });
        expect(decodeFragment(`#${fragment}`)).toEqual({ scenario, messages: [] });
        // The link is canonical: encoding the decoded scenario gives the same link.
        expect(encodeFragment(decodeFragment(fragment).scenario)).toBe(fragment);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads an empty fragment as the base scenario without messages', () => {
    expect(decodeFragment('')).toEqual({ scenario: defaultScenario(), messages: [] });
    expect(decodeFragment('#')).toEqual({ scenario: defaultScenario(), messages: [] });
    expect(decodeFragment('   ')).toEqual({ scenario: defaultScenario(), messages: [] });
  });

  it('carries view keys (the lab) after the scenario, apart from it and without messages', () => {
    const scenario = scenarioWith([['seed', 9]]);
    const fragment = encodeFragment(scenario, { lab: 'routing' });
    expect(fragment).toBe('v=1&seed=9&lab=routing');
    expect(decodeFragment(fragment)).toEqual({ scenario, messages: [] });
    expect(linkView(`#${fragment}`)).toEqual({ lab: 'routing' });
    expect(linkView('v=1&seed=9')).toEqual({});
    // The core does not judge the lab's name; the app does (see tabFromLink).
    expect(linkView('v=1&lab=anything&lab=checkpointing')).toEqual({ lab: 'checkpointing' });
    expect(decodeFragment('v=1&lab=anything')).toEqual({ scenario: defaultScenario(), messages: [] });
  });

  it('builds on the given base', () => {
    const base = scenarioWith([['model', 'olmoe-1b-7b']]);
    const { scenario, messages } = decodeFragment('v=1&batch=64', base);
    expect(messages).toEqual([]);
    expect(scenario.model.preset).toBe('olmoe-1b-7b');
    expect(scenario.workload.batchSize).toBe(64);
  });

  it('reports a missing version marker and still reads the link', () => {
    const { scenario, messages } = decodeFragment('ep=4');
    expect(scenario.parallelism.ep).toBe(4);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.kind).toBe('version');
    expect(messages[0]?.message).toContain('no version marker');
  });

  it('reports another version and still reads the link', () => {
    for (const version of ['2', '0', '', 'abc', '1.0']) {
      const { scenario, messages } = decodeFragment(`v=${version}&ep=2`);
      expect(scenario.parallelism.ep).toBe(2);
      expect(messages.map((m) => m.kind)).toEqual(['version']);
      expect(messages[0]?.message).toContain(`"${version}"`);
    }
  });

  it('uses the last of duplicate keys and says so', () => {
    const { scenario, messages } = decodeFragment('v=1&ep=2&ep=4');
    expect(scenario.parallelism.ep).toBe(4);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ kind: 'invalid', key: 'ep' });
    expect(messages[0]?.message).toContain('more than once');
  });

  it('reports unknown keys and bad values without throwing', () => {
    const { scenario, messages } = decodeFragment('v=1&foo=1&ep=abc&batch=0&model=nope');
    expect(scenario.parallelism.ep).toBe(8);
    expect(scenario.workload.batchSize).toBe(1);
    expect(scenario.model.preset).toBe('mixtral-8x7b');
    // The preset key is applied (and reported) first, then the rest in link order.
    expect(messages.map((m) => [m.kind, m.key])).toEqual([
      ['invalid', 'model'],
      ['unknown-key', 'foo'],
      ['invalid', 'ep'],
      ['clamped', 'batch'],
    ]);
  });

  it('says a link’s unreadable value used the default, as nothing previous existed, and counts in the singular', () => {
    const { messages } = decodeFragment('v=1&ep=abc&routing.gating=nope&routing.groups=0');
    expect(messages.map((m) => m.message)).toEqual([
      'Expert parallel (EP) (ep): "abc" is not a number; used the default (8).',
      expect.stringMatching(
        /^Gating \(routing\.gating\): "nope" is not one of .*; used the default \(softmax-topk-norm\)\.$/,
      ),
      'Expert groups (n_group) (routing.groups): 0 is below the minimum; set to 1 group.',
    ]);
    // On a base the user had (the command line's --hash after --preset), the previous value is what was kept.
    const onBase = decodeFragment('v=1&ep=abc', defaultScenario());
    expect(onBase.messages[0]?.message).toMatch(/kept the previous value\.$/);
  });

  it('writes counts of one in the singular in combination fixes', () => {
    const { messages } = decodeFragment('v=1&model.experts=1&ep=2&model.layers=1&routing.layer=3');
    const texts = messages.map((m) => m.message).join(' ');
    expect(texts).toMatch(/Top-k 2 is more than the 1 routed expert; using top-1\./);
    expect(texts).toMatch(/EP=2 does not divide the 1 expert evenly/);
    expect(texts).toMatch(/The model has 1 MoE layer; showing the last one \(0\)\./);
    expect(texts).not.toMatch(/\b1 (experts|groups|layers)\b/);
  });

  it('fixes impossible combinations in a link', () => {
    const { scenario, messages } = decodeFragment('v=1&gpu=a100&precision=fp8&ep=3');
    expect(scenario.workload.precision).toBe('bf16');
    expect(scenario.parallelism.ep).toBe(2);
    expect(messages.map((m) => m.key).sort()).toEqual(['ep', 'precision']);
  });

  it('decodes percent-encoding and plus signs as URLSearchParams does', () => {
    expect(decodeFragment('v=1&model=deepseek%2Dv3').scenario.model.preset).toBe('deepseek-v3');
    expect(decodeFragment('v=1&batch=+64').scenario.workload.batchSize).toBe(64);
  });

  it('cuts over-long fragments and says so', () => {
    const long = `v=1&ep=4&${'x'.repeat(MAX_FRAGMENT_LENGTH * 3)}`;
    const { scenario, messages } = decodeFragment(long);
    expect(scenario.parallelism.ep).toBe(4);
    expect(messages[0]?.kind).toBe('invalid');
    expect(messages[0]?.message).toContain(String(MAX_FRAGMENT_LENGTH));
  });
});

// --- Hostile fragments -------------------------------------------------------------------------------------------

const JUNK_VALUES = [
  '%E0%A4%A',
  '%',
  '%%',
  '%zz',
  '%00',
  '%C0%80',
  '%ED%A0%80',
  '__proto__',
  'constructor',
  '1e308',
  '-1e308',
  '1e309',
  '-1e309',
  '1e-400',
  '9'.repeat(400),
  `0.${'0'.repeat(400)}1`,
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '+0',
  '0x10',
  '0b1',
  '1_000',
  '.5',
  '5.',
  '  4 ',
  '4e',
  'true',
  'false',
  '',
  '=',
  '==',
  '&',
  '#',
  '?',
  'null',
  'undefined',
  '[object Object]',
  '{"a":1}',
  '\u0000',
  '\uD800',
  '💥',
];

const JUNK_KEYS = [
  'v',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  'model.',
  '.',
  'V',
];

const fieldKey = fc.constantFrom(...FIELD_KEYS);
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

const junkValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...JUNK_VALUES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: utf16Unit, maxLength: 6 }) },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -1e7, max: 1e7 }).map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      ...FIELDS.flatMap((field) => (field.kind === 'enum' ? field.options.map((o) => o.value) : [])),
    ),
  },
);

const junkPair: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: fieldKey },
      { weight: 1, arbitrary: fc.constantFrom(...JUNK_KEYS) },
      { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    ),
    junkValue,
    fc.constantFrom('=', '=', '=', '', '==', '=%3D'),
  )
  .map(([key, value, separator]) => `${key}${separator}${value}`);

const pairFragment: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', 'v=1&', 'v=2&', '#v=1&', '#', 'v=1&v=1&', '?'),
    fc.array(junkPair, { maxLength: 12 }),
  )
  .map(([prefix, pairs]) => prefix + pairs.join('&'));

/** A real link, then damaged: cut short, spliced with junk, characters replaced or dropped. */
const mutatedFragment: fc.Arbitrary<string> = fc
  .tuple(
    scenarioArbitrary.map(encodeFragment),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.oneof(junkValue, junkPair, fc.constant(''))), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([fragment, edits]) =>
    edits.reduce((text, [at, cut, insert]) => {
      const index = text.length === 0 ? 0 : at % (text.length + 1);
      return text.slice(0, index) + insert + text.slice(index + cut);
    }, fragment),
  );

const truncatedFragment: fc.Arbitrary<string> = fc
  .tuple(scenarioArbitrary.map(encodeFragment), fc.nat())
  .map(([fragment, at]) => fragment.slice(0, at % (fragment.length + 1)));

const hugeFragment: fc.Arbitrary<string> = fc
  .tuple(junkPair, fc.integer({ min: 200, max: 1500 }))
  .map(([pair, times]) => `v=1&${Array.from({ length: times }, () => pair).join('&')}`);

const anyFragment: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 1, arbitrary: fc.string({ unit: utf16Unit }) },
  { weight: 4, arbitrary: pairFragment },
  { weight: 4, arbitrary: mutatedFragment },
  { weight: 2, arbitrary: truncatedFragment },
  { weight: 1, arbitrary: hugeFragment },
);

/** Everything that must hold for any decoded link; returns the first problem or null (cheap inside 10k runs). */
function problemWith(fragment: string): string | null {
  const { scenario, messages } = decodeFragment(fragment);
  for (const message of messages) {
    if (typeof message.message !== 'string' || message.message.length === 0) return 'empty message';
  }
  const revalidated = validateScenario(scenario);
  if (revalidated.messages.length > 0) return `re-validation says: ${revalidated.messages[0]?.message}`;
  try {
    expect(revalidated.scenario).toStrictEqual(scenario);
    // A link made from the decoded scenario reproduces it exactly.
    expect(decodeFragment(encodeFragment(scenario))).toStrictEqual({ scenario, messages: [] });
  } catch (error) {
    return String(error);
  }
  for (const metric of summaryMetrics(scenario)) {
    if (!Number.isFinite(metric.value) || metric.value < 0) return `${metric.id} = ${metric.value}`;
    for (const item of metric.inputs) {
      if (!Number.isFinite(item.value)) return `${metric.id} input ${item.symbol} = ${item.value}`;
    }
  }
  return null;
}

describe('decodeFragment on hostile input', () => {
  it.each(
    JUNK_VALUES.flatMap((value) =>
      ['ep', 'batch', 'model', 'model.gatedFfn', 'computeEff', 'seed', 'zero', 'vision'].map(
        (key) => `v=1&${key}=${value}`,
      ),
    ),
  )('handles %j', (fragment) => {
    expect(problemWith(fragment)).toBeNull();
  });

  it.each([
    '__proto__=1',
    'v=1&__proto__=1&constructor=1&prototype=1',
    'v=1&__proto__[ep]=1&model.__proto__=1&hasOwnProperty=1',
    'v=1&toString=1&valueOf=2',
    '%E0%A4%A=%E0%A4%A',
    'v=%E0%A4%A',
    'v=1&&&&==&=&ep',
    'v=1&ep=4#&ep=8',
    '##v=1',
    '?v=1&ep=4',
    `v=1&batch=${'9'.repeat(5000)}`,
    'v=1&ep=1e309&dp=-1e309&tp=NaN&seq=Infinity&seed=-0&batch=0x1F',
    'v=1&model=deepseek-v3&model.experts=1&model.topK=64&ep=4096&dp=1&tp=64&model.kvHeads=7&gpu=a30&precision=fp4',
    'v=1&model.layers=1&model.moeEvery=16&model.denseLeadingLayers=255',
  ])('survives the hostile link %j', (fragment) => {
    expect(problemWith(fragment)).toBeNull();
    expect(Object.prototype).not.toHaveProperty('ep');
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('reads -0 as 0 so that the link made from it round-trips', () => {
    for (const fragment of ['v=1&zero=-0', 'v=1&seed=-0', 'v=1&vision=-0', 'v=1&model.kvLoraRank=-0']) {
      const { scenario } = decodeFragment(fragment);
      expect(Object.is(scenario.parallelism.zeroStage, -0)).toBe(false);
      expect(Object.is(scenario.workload.seed, -0)).toBe(false);
      expect(Object.is(scenario.workload.visionFraction, -0)).toBe(false);
      expect(problemWith(fragment)).toBeNull();
    }
  });

  it('never throws and always yields a valid, re-validating scenario with finite metrics (10,000 fragments)', () => {
    fc.assert(
      fc.property(anyFragment, (fragment) => {
        const problem = problemWith(fragment);
        if (problem !== null) throw new Error(problem);
      }),
      { numRuns: 10_000 },
    );
    // The object prototype survives all of it.
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.keys(Object.prototype)).toEqual([]);
  }, 30_000);
});
