import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readField } from '../../../src/core/scenario/fieldAccess';
import { FIELD_BY_KEY } from '../../../src/core/scenario/fields';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { applyEdit, type RequestedValues } from '../../../src/core/scenario/requestedValues';
import type { Scenario } from '../../../src/core/scenario/types';
import { withGroupLayoutForGating } from '../../../src/core/scenario/groupLayout';
import { applyEntries, writeEntries } from '../../../src/core/scenario/validate';
import { entriesArbitrary, scenarioArbitrary } from '../support/scenarioArbitrary';

/** Applies a list of edits in turn, as the store does, returning the state after each. */
function edits(steps: [string, unknown][][], scenario: Scenario = defaultScenario()) {
  let requested: RequestedValues = {};
  return steps.map((entries) => {
    const result = applyEdit(scenario, requested, entries);
    scenario = result.scenario;
    requested = result.requested;
    return result;
  });
}

const messageTexts = (result: { messages: { message: string }[] }) => result.messages.map((m) => m.message);

describe('applyEdit: values given up for a combination come back when they fit again', () => {
  it('EP=8 runs as EP=4 on 60 experts and is back to 8 on a model with 256', () => {
    const [qwen, deepseek] = edits([[['model', 'qwen1.5-moe-a2.7b']], [['model', 'deepseek-v3']]]);
    expect(qwen!.scenario.parallelism.ep).toBe(4);
    expect(qwen!.requested).toEqual({ ep: 8 });
    expect(messageTexts(qwen!)).toEqual(['EP=8 does not divide the 60 experts evenly; using EP=4.']);
    expect(deepseek!.scenario.parallelism.ep).toBe(8);
    expect(deepseek!.requested).toEqual({});
    expect(messageTexts(deepseek!)).toEqual([
      'Expert parallel (EP) is back to 8, the value you chose before it had to be adjusted.',
    ]);
  });

  it('FP8 given up on an A100 is back on an H100, named as the control names it', () => {
    const [fp8, a100, h100] = edits([[['precision', 'fp8']], [['gpu', 'a100']], [['gpu', 'h100']]]);
    expect(fp8!.scenario.workload.precision).toBe('fp8');
    expect(a100!.scenario.workload.precision).toBe('bf16');
    expect(a100!.requested).toEqual({ precision: 'fp8' });
    expect(h100!.scenario.workload.precision).toBe('fp8');
    expect(messageTexts(h100!)).toEqual([
      'Precision is back to FP8, the value you chose before it had to be adjusted.',
    ]);
  });

  it('a DP raised only to fit a larger EP goes back down with it', () => {
    const [larger, smaller] = edits(
      [[['ep', 16]], [['ep', 8]]],
      applyEntries(defaultScenario(), [['model', 'deepseek-v3']]).scenario,
    );
    expect(larger!.scenario.parallelism).toMatchObject({ ep: 16, dp: 16 });
    expect(larger!.requested).toEqual({ dp: 8 });
    expect(smaller!.scenario.parallelism).toMatchObject({ ep: 8, dp: 8 });
    expect(smaller!.requested).toEqual({});
  });

  it('a request that still cannot hold is kept quietly while other things change', () => {
    const [, seed, batch] = edits([[['model', 'qwen1.5-moe-a2.7b']], [['seed', 7]], [['batch', 64]]]);
    for (const step of [seed!, batch!]) {
      expect(step.scenario.parallelism.ep).toBe(4);
      expect(step.requested).toEqual({ ep: 8 });
      expect(step.messages).toEqual([]);
    }
  });

  it('setting the field itself forgets the request', () => {
    const [, chosen, back] = edits([
      [['model', 'qwen1.5-moe-a2.7b']],
      [['ep', 2]],
      [['model', 'deepseek-v3']],
    ]);
    expect(chosen!.requested).toEqual({});
    expect(back!.scenario.parallelism.ep).toBe(2);
    expect(back!.messages).toEqual([]);
  });

  it('a new model preset forgets requests made against the old one (its overrides are cleared)', () => {
    const [fewer, other] = edits([[['model.experts', 1]], [['model', 'deepseek-v3']]]);
    expect(fewer!.scenario.model.overrides.topK).toBe(1);
    expect(fewer!.requested['model.topK']).toBe(2);
    expect(Object.keys(other!.requested)).not.toContain('model.topK');
    expect(other!.scenario.model.overrides).toEqual({});
  });

  it('a top-k given up for fewer experts comes back when the experts do', () => {
    const [fewer, more] = edits([[['model.experts', 1]], [['model.experts', 16]]]);
    expect(fewer!.scenario.model.overrides.topK).toBe(1);
    expect(more!.scenario.model.overrides.topK).toBeUndefined();
    expect(messageTexts(more!)).toContain(
      'Top-k is back to 2, the value you chose before it had to be adjusted.',
    );
  });

  it('with nothing requested it is applyEntries, but for the group layout a group-limited gating brings', () => {
    fc.assert(
      fc.property(scenarioArbitrary, entriesArbitrary, (base, entries) => {
        // An edit (not a link) choosing group-limited gating on one group also sets n_group (groupLayout.test.ts).
        const keys = new Set(entries.map(([key]) => key));
        fc.pre(withGroupLayoutForGating(writeEntries(base, entries).scenario, keys).messages.length === 0);
        const edit = applyEdit(base, {}, entries);
        const plain = applyEntries(base, entries);
        expect(edit.scenario).toEqual(plain.scenario);
        expect(edit.messages).toEqual(plain.messages);
      }),
      { numRuns: 300 },
    );
  });

  it('whatever was requested: the result is reconciled, and a request is dropped only when it holds or is overruled', () => {
    fc.assert(
      fc.property(scenarioArbitrary, entriesArbitrary, entriesArbitrary, (base, earlier, entries) => {
        const first = applyEdit(base, {}, earlier);
        const second = applyEdit(first.scenario, first.requested, entries);
        expect(applyEntries(second.scenario, []).scenario).toEqual(second.scenario);
        const edited = new Set(entries.map(([key]) => key));
        for (const [key, value] of Object.entries(first.requested)) {
          if (key in second.requested || edited.has(key)) continue;
          const overruledByPreset =
            (edited.has('model') && key.startsWith('model.')) ||
            (edited.has('gpu') && key.startsWith('gpu.'));
          if (!overruledByPreset) expect(readField(second.scenario, FIELD_BY_KEY.get(key)!), key).toBe(value);
        }
        for (const message of second.messages) expect(message.message).not.toMatch(/NaN|undefined/);
      }),
      { numRuns: 300 },
    );
  });
});
