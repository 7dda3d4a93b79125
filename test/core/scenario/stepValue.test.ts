import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readField } from '../../../src/core/scenario/fieldAccess';
import { numericField } from '../../../src/core/scenario/fields';
import type { NumericField } from '../../../src/core/scenario/fieldTypes';
import { decodeFragment } from '../../../src/core/scenario/shareLink';
import { steppedValue } from '../../../src/core/scenario/stepValue';
import { applyEntries } from '../../../src/core/scenario/validate';
import { scenarioArbitrary } from '../support/scenarioArbitrary';

function field(key: string): NumericField {
  const found = numericField(key);
  if (!found) throw new Error(`no numeric field ${key}`);
  return found;
}

function at(fragment: string) {
  return decodeFragment(fragment).scenario;
}

describe('steppedValue', () => {
  it('steps EP over the values that do not divide the experts', () => {
    const scenario = at('v=1&model=deepseek-v3&dp=64');
    expect(scenario.parallelism.ep).toBe(8);
    expect(steppedValue(scenario, field('ep'), 8, 1)).toBe(16);
    expect(steppedValue(scenario, field('ep'), 8, -1)).toBe(4);
    // Above DP is kept (DP is raised to match, with a message), so EP can still grow to the expert count, not past it.
    expect(steppedValue(scenario, field('ep'), 64, 1)).toBe(128);
    expect(steppedValue(scenario, field('ep'), 256, 1)).toBeUndefined();
    expect(steppedValue(scenario, field('ep'), 1, -1)).toBeUndefined();
  });

  it('steps DP by multiples of EP and TP by divisors of the attention heads', () => {
    const scenario = at('v=1&model=deepseek-v3&dp=64');
    expect(steppedValue(scenario, field('dp'), 64, 1)).toBe(72);
    expect(steppedValue(scenario, field('dp'), 64, -1)).toBe(56);
    expect(steppedValue(scenario, field('dp'), 8, -1)).toBeUndefined();
    // DeepSeek-V3 has 128 attention heads; TP's own maximum is 64.
    expect(steppedValue(scenario, field('tp'), 1, 1)).toBe(2);
    expect(steppedValue(scenario, field('tp'), 2, 1)).toBe(4);
    expect(steppedValue(scenario, field('tp'), 64, 1)).toBeUndefined();
  });

  it('stops top-k and K_persist at the values they are bounded by', () => {
    const mixtral = at('v=1');
    expect(steppedValue(mixtral, field('model.topK'), 8, 1)).toBeUndefined();
    expect(steppedValue(mixtral, field('model.topK'), 2, 1)).toBe(3);
    const checkpointing = at('v=1&checkpoint.expertsPerCheckpoint=4&checkpoint.expertsPersisted=4');
    expect(steppedValue(checkpointing, field('checkpoint.expertsPersisted'), 4, 1)).toBeUndefined();
    expect(steppedValue(checkpointing, field('checkpoint.expertsPersisted'), 4, -1)).toBe(3);
  });

  it('steps an unconstrained field by its step, without float noise, and lands on a bound from outside it', () => {
    const scenario = at('v=1');
    expect(steppedValue(scenario, field('vision'), 0.3, 1)).toBe(0.31);
    expect(steppedValue(scenario, field('vision'), 0.07, -1)).toBe(0.06);
    expect(steppedValue(scenario, field('vision'), 1, 1)).toBeUndefined();
    expect(steppedValue(scenario, field('seed'), 41, 1)).toBe(42);
    expect(steppedValue(scenario, field('model.hiddenSize'), 10, 1)).toBe(16);
    expect(steppedValue(scenario, field('tp'), 100, -1)).toBe(32);
  });

  it('only ever lands on a value the scenario keeps as set', () => {
    const keys = [
      'ep',
      'dp',
      'tp',
      'model.topK',
      'model.kvHeads',
      'routing.layer',
      'checkpoint.expertsPersisted',
    ];
    fc.assert(
      fc.property(
        scenarioArbitrary,
        fc.constantFrom(...keys),
        fc.constantFrom(1, -1),
        (scenario, key, dir) => {
          const numeric = field(key);
          const from = Number(readField(scenario, numeric));
          const next = steppedValue(scenario, numeric, from, dir as 1 | -1);
          if (next === undefined) return;
          expect(Math.sign(next - from)).toBe(dir);
          expect(readField(applyEntries(scenario, [[key, next]]).scenario, numeric)).toBe(next);
        },
      ),
      { numRuns: 100 },
    );
  });
});
