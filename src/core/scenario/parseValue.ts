import { unitForCount } from '../format';
import type { Field, NumericField } from './fields';
import type { FieldValue } from './fieldAccess';
import type { ValidationMessage } from './types';

export type ParsedValue =
  { ok: true; value: FieldValue; message?: ValidationMessage } | { ok: false; message: ValidationMessage };

const NUMBER_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A value in the field's display unit, as people read it: "100 %" for a fraction of 1. Fields without a display unit
 * read in their own unit.
 */
export function displayedValue(field: NumericField, value: number): string {
  if (!field.display)
    return `${formatPlain(value)}${field.unit ? ` ${unitForCount(value, field.unit)}` : ''}`;
  return `${formatPlain(value * field.display.scale)} ${field.display.unit}`;
}

/** A raw string written in the field's display unit ("3.75 %"), as a number in the field's own unit; else null. */
function displayNumber(field: NumericField, text: string): number | null {
  const display = field.display;
  if (!display || !text.endsWith(display.unit)) return null;
  const number = text.slice(0, -display.unit.length).trim();
  // To 12 significant digits, so 1.1 % is stored (and linked) as 0.011, not 0.011000000000000001.
  return NUMBER_PATTERN.test(number) ? Number((Number(number) / display.scale).toPrecision(12)) : null;
}
const MAX_SHOWN_LENGTH = 40;

/** A raw value as the user wrote it, shortened so a hostile link cannot flood the notice. */
export function shown(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw));
  return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH)}…` : text;
}

/**
 * A number for a message: integers exactly (a seed's maximum is 4294967295, not 4.29497e9), anything else to six
 * significant digits so float noise such as 0.30000000000000004 does not show.
 */
export function formatPlain(value: number): string {
  if (Number.isSafeInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

/** What a rejected value's message says was used instead. */
export const KEPT_PREVIOUS = 'kept the previous value';

/**
 * Turns a raw value (a string from a link or the command line, or a typed value from the UI) into a valid value
 * for the field: numbers are clamped to bounds and rounded to integers where needed, each change explained. A value
 * that cannot be read at all is rejected; `kept` says in its message what stands instead (writeEntries: the
 * default, for a link opened fresh).
 */
export function parseFieldValue(field: Field, raw: unknown, kept = KEPT_PREVIOUS): ParsedValue {
  const label = `${field.label} (${field.key})`;
  if (field.kind === 'boolean') {
    if (typeof raw === 'boolean') return { ok: true, value: raw };
    if (raw === 'true' || raw === '1') return { ok: true, value: true };
    if (raw === 'false' || raw === '0') return { ok: true, value: false };
    return {
      ok: false,
      message: {
        kind: 'invalid',
        key: field.key,
        message: `${label}: "${shown(raw)}" is not true or false; ${kept}.`,
      },
    };
  }
  if (field.kind === 'enum') {
    const text = typeof raw === 'number' ? String(raw) : raw;
    if (typeof text === 'string' && field.options.some((option) => option.value === text))
      return { ok: true, value: text };
    const valid = field.options.map((option) => option.value);
    const list = valid.length > 12 ? `${valid.slice(0, 12).join(', ')}, …` : valid.join(', ');
    return {
      ok: false,
      message: {
        kind: 'invalid',
        key: field.key,
        message: `${label}: "${shown(raw)}" is not one of ${list}; ${kept}.`,
      },
    };
  }
  let numeric: number;
  const inDisplayUnit = typeof raw === 'string' ? displayNumber(field, raw.trim()) : null;
  if (typeof raw === 'number') numeric = raw;
  else if (inDisplayUnit !== null) numeric = inDisplayUnit;
  else if (typeof raw === 'string' && NUMBER_PATTERN.test(raw.trim())) numeric = Number(raw.trim());
  else numeric = Number.NaN;
  // Digits too large for a double (1e400) are a number above any maximum, not "not a number": clamped below.
  if (typeof raw === 'string' && (numeric === Infinity || numeric === -Infinity))
    numeric = Math.sign(numeric) * Number.MAX_VALUE;
  if (!Number.isFinite(numeric)) {
    return {
      ok: false,
      message: {
        kind: 'invalid',
        key: field.key,
        message: `${label}: "${shown(raw)}" is not a number; ${kept}.`,
      },
    };
  }
  let value = numeric;
  const notes: string[] = [];
  if (field.kind === 'integer' && !Number.isInteger(value)) {
    value = Math.round(value);
    notes.push(`rounded to ${formatPlain(value)}`);
  }
  if (value < field.min || value > field.max) {
    value = Math.min(field.max, Math.max(field.min, value));
    if (field.kind === 'integer') value = Math.round(value);
    notes.length = 0;
    const bound = numeric < field.min ? 'below the minimum' : 'above the maximum';
    const written = typeof raw === 'string' ? shown(raw.trim()) : formatPlain(numeric);
    // A bare number for a field read in another unit says what it meant there: 3.75 for a PLT threshold is 375 %.
    const meaning =
      field.display && inDisplayUnit === null && Number.isFinite(numeric * field.display.scale)
        ? ` (${displayedValue(field, numeric)})`
        : '';
    notes.push(
      // The bound it was set to is the one that matters; the field's static range can mislead where the
      // scenario narrows it (Layer shown allows 0–255 here, the model's MoE layers fewer).
      `${written}${meaning} is ${bound}; set to ${displayedValue(field, value)}`,
    );
  }
  // -0 (typed, or a tiny negative rounded) is stored as 0: String(-0) is "0", so a link could not reproduce it.
  if (value === 0) value = 0;
  if (notes.length === 0) return { ok: true, value };
  return {
    ok: true,
    value,
    message: { kind: 'clamped', key: field.key, message: `${label}: ${notes.join('; ')}.` },
  };
}
