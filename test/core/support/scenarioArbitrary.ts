import fc from 'fast-check';
import { FIELDS, type Field } from '../../../src/core/scenario/fields';
import { applyEntries } from '../../../src/core/scenario/validate';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import type { Scenario } from '../../../src/core/scenario/types';

/** A value inside a field's bounds or options, typed as the UI would send it or as a string as a link would. */
export function fieldValueArbitrary(field: Field): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'enum':
      return fc.constantFrom(...field.options.map((option) => option.value));
    case 'boolean':
      return fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', '1', '0'));
    case 'integer': {
      const value = fc.integer({ min: field.min, max: field.max });
      return fc.oneof(value, value.map(String));
    }
    case 'number': {
      const value = fc.double({ min: field.min, max: field.max, noNaN: true, noDefaultInfinity: true });
      return fc.oneof(value, value.map(String));
    }
  }
}

/** One key=value entry for any field of the table. */
export const entryArbitrary: fc.Arbitrary<readonly [string, unknown]> = fc.oneof(
  ...FIELDS.map((field) => fieldValueArbitrary(field).map((value) => [field.key, value] as const)),
);

/** Entries for a random subset of the fields, each key at most once. */
export const entriesArbitrary: fc.Arbitrary<(readonly [string, unknown])[]> = fc.uniqueArray(entryArbitrary, {
  selector: (entry) => entry[0],
  maxLength: FIELDS.length,
});

/** A valid scenario: random in-bounds entries applied to the defaults (so combinations are reconciled). */
export const scenarioArbitrary: fc.Arbitrary<Scenario> = entriesArbitrary.map(
  (entries) => applyEntries(defaultScenario(), entries).scenario,
);
