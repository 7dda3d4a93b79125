import type { Field } from './fields';
import type { Scenario } from './types';

export type FieldValue = number | string | boolean;

function readPath(root: unknown, path: readonly string[]): unknown {
  let value: unknown = root;
  for (const part of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The value the scenario has for a field: an override or the preset's value for preset fields. */
export function readField(scenario: Scenario, field: Field): FieldValue {
  const stored = readPath(scenario, field.path);
  if (stored !== undefined) return stored as FieldValue;
  if (field.presetDefault) return field.presetDefault(scenario);
  return field.default;
}

/** The value a field has when the user has not touched it (for preset fields: the chosen preset's). */
export function defaultOf(scenario: Scenario, field: Field): FieldValue {
  return field.presetDefault ? field.presetDefault(scenario) : field.default;
}

export function isChanged(scenario: Scenario, field: Field): boolean {
  return readField(scenario, field) !== defaultOf(scenario, field);
}

/**
 * A copy of the scenario with one field set. Preset fields store an override only when the value differs from the
 * preset; choosing another model or GPU preset clears the overrides made against the old one.
 */
export function writeField(scenario: Scenario, field: Field, value: FieldValue): Scenario {
  const next = structuredClone(scenario);
  const parentPath = field.path.slice(0, -1);
  const leaf = field.path[field.path.length - 1];
  if (leaf === undefined) return next;
  let parent = next as unknown as Record<string, unknown>;
  for (const part of parentPath) parent = parent[part] as Record<string, unknown>;
  if (field.presetDefault && value === field.presetDefault(next)) {
    delete parent[leaf];
  } else {
    parent[leaf] = value;
  }
  if (field.key === 'model') next.model.overrides = {};
  if (field.key === 'gpu') next.hardware.gpuOverrides = {};
  return next;
}
