/**
 * What both readers of a load matrix (delimited text and JSON) share: the raw matrix they produce, the refusal they
 * raise, the size limits, and how numbers are recognised and places named in messages.
 */

/** Inputs beyond these are refused before any parsing work. */
export const LOAD_MATRIX_LIMITS = {
  /** Characters of text (about 5 MB). */
  maxChars: 5 * 1024 * 1024,
  maxRows: 1024,
  maxColumns: 4096,
} as const;

/** A refusal raised deep in the parser and turned into `{ ok: false }` at the top. */
export class Refusal extends Error {
  constructor(
    message: string,
    readonly columns?: number,
  ) {
    super(message);
  }
}

/** One value as read, with where it was found (1-based, as the user sees it). */
export interface RawCell {
  value: unknown;
  column: number;
}

export interface RawRow {
  /** 1-based: the line in the text for delimited input, the position in the list for JSON. */
  row: number;
  cells: RawCell[];
}

export interface RawMatrix {
  rows: RawRow[];
  notes: string[];
  /** True when the input was one flat list rather than a list of rows. */
  singleList: boolean;
  /** Whether text cells may use a decimal comma (when `,` does not separate values). */
  decimalComma: boolean;
}

export const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
export const NAN_PATTERN = /^[+-]?nan$/i;
export const INFINITY_PATTERN = /^[+-]?(?:inf|infinity|∞)$/i;
export const DECIMAL_COMMA_PATTERN = /^[+-]?\d+,\d+(?:e[+-]?\d+)?$/i;
/** Header cells that name a column of layer numbers rather than an expert. */
export const LAYER_HEADER_PATTERN =
  /^(?:#|l|id|idx|index|no\.?|layers?(?:[ _-]?(?:id|idx|index|no\.?|number|#))?)$/i;

export { plural } from '../format';

/** A cell quoted for a message, shortened so one huge cell cannot flood the screen. */
export function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return `'${flat.length > 24 ? `${flat.slice(0, 21)}…` : flat}'`;
}

export function place(row: number, column: number): string {
  return `Row ${row}, column ${column}`;
}

export function ordinal(value: number): string {
  const tens = value % 100;
  const suffix =
    tens >= 11 && tens <= 13
      ? 'th'
      : value % 10 === 1
        ? 'st'
        : value % 10 === 2
          ? 'nd'
          : value % 10 === 3
            ? 'rd'
            : 'th';
  return `${value}${suffix}`;
}

/** Reads a number written as text; `decimalComma` also accepts "1,5" for 1.5. */
export function numberFromText(text: string, decimalComma: boolean): number | null {
  const trimmed = text.trim();
  if (NUMBER_PATTERN.test(trimmed)) return Number(trimmed);
  if (decimalComma && DECIMAL_COMMA_PATTERN.test(trimmed)) return Number(trimmed.replace(',', '.'));
  return null;
}

/** Whether a delimited cell reads as a number (including NaN and infinities, which are numbers in the wrong place). */
export function looksNumeric(text: string, decimalComma: boolean): boolean {
  const trimmed = text.trim();
  return (
    numberFromText(trimmed, decimalComma) !== null ||
    NAN_PATTERN.test(trimmed) ||
    INFINITY_PATTERN.test(trimmed)
  );
}

/** An error's message on one line, shortened for the screen. */
export function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const flat = message.replace(/\s+/g, ' ').trim();
  const short = flat.length > 120 ? `${flat.slice(0, 117)}…` : flat || 'it could not be parsed';
  // A sentence of its own, since the panel goes on with "Nothing was changed."
  return /[.!?…]$/.test(short) ? short : `${short}.`;
}
