import { reconcileCombinations } from './combinations';
import { defaultScenario } from './defaults';
import { readField, writeField, type FieldValue } from './fieldAccess';
import { FIELDS, FIELD_BY_KEY, FIELD_KEYS } from './fields';
import { KEPT_PREVIOUS, parseFieldValue, shown } from './parseValue';
import type { Scenario, ValidatedScenario, ValidationMessage } from './types';

/** Preset choices are applied before the fields that refine them, whatever order the input lists them in. */
const PRESET_KEYS = new Set(['model', 'gpu']);

/**
 * The setting a mistyped key most likely meant: the same letters ignoring case, or the key with its section left off
 * ("topK" for model.topK, "capacityFactor" for routing.capacityFactor), when exactly one field fits.
 */
function likelyKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  const matches = FIELD_KEYS.filter((known) => {
    const name = known.toLowerCase();
    return name === lower || name.endsWith(`.${lower}`);
  });
  return matches.length === 1 ? matches[0] : undefined;
}

export function unknownKeyMessage(key: string): ValidationMessage {
  const meant = key.length > 1 ? likelyKey(key) : undefined;
  return {
    kind: 'unknown-key',
    key: shown(key),
    message: `"${shown(key)}" is not a setting MoE Lab knows; ignored it.${meant ? ` Did you mean "${meant}"?` : ''}`,
  };
}

export interface EntryOptions {
  /**
   * The base is the defaults, not a scenario the user had (a link opened fresh): a value that cannot be read then
   * says it used the default, since there was no previous value to keep.
   */
  fresh?: boolean;
}

/**
 * Writes raw key=value entries (from a link, the command line or the UI) onto a base scenario, without fixing
 * combinations: every value is parsed and bounded, with a message for each it had to change; unknown keys are
 * reported and ignored.
 */
export function writeEntries(
  base: Scenario,
  entries: Iterable<readonly [string, unknown]>,
  options: EntryOptions = {},
): ValidatedScenario {
  const messages: ValidationMessage[] = [];
  const list = [...entries];
  const ordered = [
    ...list.filter(([key]) => PRESET_KEYS.has(key)),
    ...list.filter(([key]) => !PRESET_KEYS.has(key)),
  ];
  let scenario = base;
  for (const [key, raw] of ordered) {
    const field = FIELD_BY_KEY.get(key);
    if (!field) {
      messages.push(unknownKeyMessage(key));
      continue;
    }
    const kept = options.fresh ? `used the default (${String(readField(scenario, field))})` : KEPT_PREVIOUS;
    const parsed = parseFieldValue(field, raw, kept);
    if (parsed.message) messages.push(parsed.message);
    if (parsed.ok) scenario = writeField(scenario, field, parsed.value);
  }
  return { scenario, messages };
}

/**
 * Applies raw key=value entries (from a link, the command line or the UI) to a base scenario, then fixes impossible
 * combinations. Never throws: every value is parsed, bounded and explained; unknown keys are reported and ignored.
 */
export function applyEntries(
  base: Scenario,
  entries: Iterable<readonly [string, unknown]>,
  options: EntryOptions = {},
): ValidatedScenario {
  const written = writeEntries(base, entries, options);
  const reconciled = reconcileCombinations(written.scenario);
  return { scenario: reconciled.scenario, messages: [...written.messages, ...reconciled.messages] };
}

/** The scenario's fields as key → value entries (every field, effective values). */
export function scenarioEntries(scenario: Scenario): [string, FieldValue][] {
  return FIELDS.map((field) => {
    let value: unknown = scenario;
    for (const part of field.path) value = (value as Record<string, unknown> | undefined)?.[part];
    return [field.key, value as FieldValue];
  }).filter(([, value]) => value !== undefined) as [string, FieldValue][];
}

/**
 * Rebuilds a scenario from untrusted structured input (a stored or imported object), field by field from the
 * defaults, like Excalidraw's restoreAppState: nothing is trusted, nothing unknown is kept.
 */
export function validateScenario(input: unknown): ValidatedScenario {
  const entries: [string, unknown][] = [];
  const messages: ValidationMessage[] = [];
  if (input === null || typeof input !== 'object') {
    return {
      scenario: defaultScenario(),
      messages: [{ kind: 'invalid', message: 'The scenario is not an object; opened the default scenario.' }],
    };
  }
  for (const field of FIELDS) {
    let value: unknown = input;
    for (const part of field.path) {
      value =
        value !== null && typeof value === 'object' && Object.hasOwn(value, part)
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    if (value !== undefined) entries.push([field.key, value]);
  }
  const known = new Set(Object.keys(defaultScenario()));
  for (const key of Object.keys(input)) if (!known.has(key)) messages.push(unknownKeyMessage(key));
  const result = applyEntries(defaultScenario(), entries, { fresh: true });
  return { scenario: result.scenario, messages: [...messages, ...result.messages] };
}

export { FIELD_KEYS };
