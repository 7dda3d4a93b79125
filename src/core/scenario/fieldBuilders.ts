import { defaultScenario } from './defaults';
import type { BooleanField, EnumField, NumericField, SectionId } from './fieldTypes';

/** The defaults every field builder reads its default from, so the table and defaultScenario() cannot disagree. */
export const DEFAULTS = defaultScenario();

function defaultAt(path: readonly string[]): unknown {
  let value: unknown = DEFAULTS;
  for (const part of path) value = (value as Record<string, unknown>)[part];
  return value;
}

export function numeric(
  key: string,
  section: SectionId,
  path: readonly string[],
  kind: 'number' | 'integer',
  label: string,
  bounds: { min: number; max: number; step: number; unit: string },
  help: string,
): NumericField {
  return { key, section, path, kind, label, help, default: defaultAt(path) as number, ...bounds };
}

/** An enum field of a lab section, stored at scenario[section][name] and keyed `section.name` in links. */
export function sectionEnum(
  section: SectionId,
  name: string,
  label: string,
  options: readonly { value: string; label: string }[],
  help: string,
  source: string,
): EnumField {
  const path = [section, name];
  return {
    key: `${section}.${name}`,
    section,
    kind: 'enum',
    label,
    help,
    source,
    path,
    default: String(defaultAt(path)),
    options,
  };
}

/** A numeric field of a lab section. */
export function sectionNumber(
  section: SectionId,
  name: string,
  label: string,
  kind: 'number' | 'integer',
  bounds: { min: number; max: number; step: number; unit: string },
  help: string,
  source: string,
  display?: NumericField['display'],
): NumericField {
  return {
    ...numeric(`${section}.${name}`, section, [section, name], kind, label, bounds, help),
    source,
    ...(display ? { display } : {}),
  };
}

/** A boolean field of a lab section. */
export function sectionFlag(
  section: SectionId,
  name: string,
  label: string,
  help: string,
  source: string,
): BooleanField {
  const path = [section, name];
  return {
    key: `${section}.${name}`,
    section,
    kind: 'boolean',
    label,
    help,
    source,
    path,
    default: defaultAt(path) === true,
  };
}
