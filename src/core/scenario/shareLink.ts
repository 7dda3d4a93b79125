import { defaultScenario } from './defaults';
import { isChanged, readField } from './fieldAccess';
import { FIELDS } from './fields';
import { shown } from './parseValue';
import { applyEntries } from './validate';
import type { Scenario, ValidatedScenario, ValidationMessage } from './types';

/** Share-link format version; bump it when a key's meaning changes and keep reading the old one. */
export const SHARE_LINK_VERSION = 1;
/** Longer fragments are cut before parsing: a real scenario needs a few hundred characters. */
export const MAX_FRAGMENT_LENGTH = 4096;

/**
 * The scenario as a readable fragment: `v=1&model=deepseek-v3&ep=32`, only the fields that differ from the
 * defaults (preset fields: only the overrides), in the table's order so the same scenario gives the same link.
 */
export function encodeFragment(scenario: Scenario): string {
  const defaults = defaultScenario();
  const params = new URLSearchParams();
  params.set('v', String(SHARE_LINK_VERSION));
  for (const field of FIELDS) {
    const value = readField(scenario, field);
    const changed = field.presetDefault ? isChanged(scenario, field) : value !== readField(defaults, field);
    if (changed) params.set(field.key, String(value));
  }
  return params.toString();
}

/**
 * Reads a fragment (with or without the leading '#') into a valid scenario. Starts from `base` (the defaults) and validates
 * every field; malformed, truncated, hostile or other-version input never throws, it yields messages.
 */
export function decodeFragment(fragment: string, base: Scenario = defaultScenario()): ValidatedScenario {
  const messages: ValidationMessage[] = [];
  let text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (text.length > MAX_FRAGMENT_LENGTH) {
    messages.push({
      kind: 'invalid',
      message: `The link is ${text.length} characters long; read only the first ${MAX_FRAGMENT_LENGTH}.`,
    });
    text = text.slice(0, MAX_FRAGMENT_LENGTH);
  }
  if (text.trim() === '') return { scenario: base, messages };
  const params = new URLSearchParams(text);
  const version = params.get('v');
  if (version === null) {
    messages.push({
      kind: 'version',
      message: `The link has no version marker (v=${SHARE_LINK_VERSION}); read it as version ${SHARE_LINK_VERSION}.`,
    });
  } else if (version !== String(SHARE_LINK_VERSION)) {
    messages.push({
      kind: 'version',
      message: `The link says version "${shown(version)}"; this MoE Lab reads version ${SHARE_LINK_VERSION}, so some settings may not mean the same.`,
    });
  }
  const latest = new Map<string, string>();
  for (const [key, value] of params) {
    if (key === 'v') continue;
    if (latest.has(key))
      messages.push({
        kind: 'invalid',
        key: shown(key),
        message: `"${shown(key)}" appears more than once; used the last value.`,
      });
    latest.set(key, value);
  }
  const result = applyEntries(base, latest);
  return { scenario: result.scenario, messages: [...messages, ...result.messages] };
}
