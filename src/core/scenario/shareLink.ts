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
 * Keys a link may carry about the view rather than the scenario: `lab` is the lab it opens on. The core passes them
 * through unvalidated (it knows no labs); the app checks them. They never change a number.
 */
export const VIEW_KEYS = ['lab'] as const;
export type ViewKey = (typeof VIEW_KEYS)[number];
export type LinkView = Partial<Record<ViewKey, string>>;

function isViewKey(key: string): key is ViewKey {
  return (VIEW_KEYS as readonly string[]).includes(key);
}

/** The view keys a fragment carries (decodeFragment reads the scenario and skips them). The last of duplicates wins. */
export function linkView(fragment: string): LinkView {
  const view: LinkView = {};
  const text = (fragment.startsWith('#') ? fragment.slice(1) : fragment).slice(0, MAX_FRAGMENT_LENGTH);
  for (const [key, value] of new URLSearchParams(text)) if (isViewKey(key)) view[key] = value;
  return view;
}

/**
 * The scenario as a readable fragment: `v=1&model=deepseek-v3&ep=32`, only the fields that differ from the
 * defaults (preset fields: only the overrides), in the table's order so the same scenario gives the same link;
 * then the view keys given (`&lab=routing`).
 */
export function encodeFragment(scenario: Scenario, view: LinkView = {}): string {
  const defaults = defaultScenario();
  const params = new URLSearchParams();
  params.set('v', String(SHARE_LINK_VERSION));
  for (const field of FIELDS) {
    const value = readField(scenario, field);
    const changed = field.presetDefault ? isChanged(scenario, field) : value !== readField(defaults, field);
    if (changed) params.set(field.key, String(value));
  }
  for (const key of VIEW_KEYS) {
    const value = view[key];
    if (value !== undefined) params.set(key, value);
  }
  return params.toString();
}

/**
 * Reads a fragment (with or without the leading '#') into a valid scenario. Starts from `base` (the defaults) and validates
 * every field; malformed, truncated, hostile or other-version input never throws, it yields messages.
 */
export function decodeFragment(fragment: string, base?: Scenario): ValidatedScenario {
  // Without a base the link opens fresh on the defaults, so a value it gets wrong falls back to the default.
  const fresh = base === undefined;
  const start = base ?? defaultScenario();
  const messages: ValidationMessage[] = [];
  let text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (text.length > MAX_FRAGMENT_LENGTH) {
    messages.push({
      kind: 'invalid',
      message: `The link is ${text.length} characters long; read only the first ${MAX_FRAGMENT_LENGTH}.`,
    });
    text = text.slice(0, MAX_FRAGMENT_LENGTH);
  }
  if (text.trim() === '') return { scenario: start, messages };
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
    if (isViewKey(key)) continue;
    // "&=&" is stray punctuation (a pasted link's extra separators), not a setting: nothing to say about it.
    if (key === '' && value === '') continue;
    if (latest.has(key))
      messages.push({
        kind: 'invalid',
        key: shown(key),
        message: `"${shown(key)}" appears more than once; used the last value.`,
      });
    latest.set(key, value);
  }
  const result = applyEntries(start, latest, { fresh });
  return { scenario: result.scenario, messages: [...messages, ...result.messages] };
}
