import { format } from 'd3';
import type { Metric } from './metric';

const SI = format('.3~s');
const PLAIN_THREE_SIGNIFICANT = format('.3~r');
const WHOLE = format(',d');

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/**
 * Beyond these magnitudes a number rounded to three figures is a run of zeros nobody can read (2950000000000000 days,
 * 272000000%, 0.00000000432 iterations): it is written in scientific notation instead, as 2.95 × 10¹⁵. Exact whole
 * counts keep their digits, with separators, up to a billion (42,277 iterations).
 */
const ROUNDED_PLAIN_BELOW = 1e6;
const WHOLE_PLAIN_BELOW = 1e9;
const PLAIN_BELOW = 1e-4;

/** `value` to `digits` significant figures as m × 10ⁿ, with the mantissa's trailing zeros dropped: 2.95 × 10¹⁵. */
export function scientific(value: number, digits: number): string {
  const [mantissa = '0', exponent = '0'] = value.toExponential(digits - 1).split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  const power = Number(exponent);
  const superscript = [...String(Math.abs(power))].map((digit) => SUPERSCRIPT_DIGITS[Number(digit)]).join('');
  return `${trimmed.replace('-', '−')} × 10${power < 0 ? '⁻' : ''}${superscript}`;
}

/** Whether a number reads better in scientific notation than written out (above `plainBelow`, or below 10⁻⁴). */
function needsScientific(value: number, plainBelow = ROUNDED_PLAIN_BELOW): boolean {
  const magnitude = Math.abs(value);
  return magnitude >= plainBelow || (magnitude > 0 && magnitude < PLAIN_BELOW);
}

/** Three significant figures: 0.0123, 42.7, 512; scientific from a million or below 10⁻⁴. */
function THREE_SIGNIFICANT(value: number): string {
  return needsScientific(value) ? scientific(value, 3) : PLAIN_THREE_SIGNIFICANT(value);
}

const SCALES: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** Counts (parameters, tokens) in the words people use: 46.7B, 1.3M, 512. */
function formatCount(value: number): string {
  const magnitude = Math.abs(value);
  for (const [scale, suffix] of SCALES) {
    if (magnitude >= scale) return `${THREE_SIGNIFICANT(value / scale)}${suffix}`;
  }
  return THREE_SIGNIFICANT(value);
}

/** Durations in the unit a person would say: 175 s, 42.7 min, 12.5 h, 5.31 days (seconds below 1,000). */
function formatSeconds(seconds: number): string {
  const magnitude = Math.abs(seconds);
  if (magnitude < 1000) return `${THREE_SIGNIFICANT(seconds)} s`;
  if (magnitude < 100 * 60) return `${THREE_SIGNIFICANT(seconds / 60)} min`;
  if (magnitude < 48 * 3600) return `${THREE_SIGNIFICANT(seconds / 3600)} h`;
  return `${THREE_SIGNIFICANT(seconds / 86_400)} days`;
}

/** "1 group", "8 groups": a count with its noun, singular for exactly one. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A field's plural count unit ("groups", "GPUs", "hours") for a value: singular for exactly one; others as they are. */
export function unitForCount(value: number, unit: string): string {
  return value === 1 && /^[a-zA-Z]+s$/.test(unit) && unit !== 'params' ? unit.slice(0, -1) : unit;
}

/** A metric value with its unit, the same in the browser and on the command line. */
export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '—';
  switch (unit) {
    case 'params':
    case 'tokens':
      return `${formatCount(value)}${unit === 'tokens' ? (value === 1 ? ' token' : ' tokens') : ''}`;
    case 'B': {
      // "0 B", "512 B", "42.3 GB", "1.2 PB": a space before the (prefixed) unit, as SI style writes it.
      // Past yotta SI has no prefix; below a byte (FP4's 0.5 B per weight) a milli-byte prefix would mislead.
      if (Math.abs(value) >= 1e27 || Math.abs(value) < 1) return `${THREE_SIGNIFICANT(value)} B`;
      const scaled = /^(-?[\d.]+)(\D?)$/.exec(SI(value));
      return scaled ? `${scaled[1]} ${scaled[2]}B` : `${SI(value)} B`;
    }
    case 'FLOP':
      return `${SI(value)}FLOP`.replace(/([a-zA-Z])FLOP$/, ' $1FLOP');
    case 's':
      return formatSeconds(value);
    case 'fraction':
      return `${THREE_SIGNIFICANT(value * 100)}%`;
    case '':
      return THREE_SIGNIFICANT(value);
    case '×':
      // "how many times as much" (a speedup, a load over the mean), written as the papers print it: 5.12×.
      return `${THREE_SIGNIFICANT(value)}×`;
    default: {
      // "1 node", "8 nodes": count units are plural words. A whole count is exact, with separators (42,277
      // iterations, as the timeline says it, not 42300); a fraction of one keeps three significant digits.
      const number =
        Number.isInteger(value) && Math.abs(value) >= 1000 && !needsScientific(value, WHOLE_PLAIN_BELOW)
          ? WHOLE(value)
          : THREE_SIGNIFICANT(value);
      return `${number} ${value === 1 && unit.endsWith('s') ? unit.slice(0, -1) : unit}`;
    }
  }
}

/** Whole numbers of countable things, in a plural unit ("pairs", "tokens", "experts"; not "params" or bytes). */
const COUNT_UNIT = /^(?!params$)[a-zA-Z]+s$/;

/** Four significant digits, trailing zeros dropped: 0.1388, 2.5. */
const FOUR_SIGNIFICANT = format(',.4~r');
/** Two decimals at most, with thousands separators: 8,192, 1,234.57. */
const TWO_DECIMALS = format(',.2~f');

/**
 * A value substituted into a formula, as show-your-work lists them, with enough digits to redo the arithmetic: whole
 * counts and sizes exactly, with thousands separators (16,384 pairs, a hidden size of 4,096, not 16.4K or 4.1K); other
 * plain numbers and counts to four significant digits below 1,000 (Σ f·P = 0.1388, so N · Σ f·P = 1.11 checks) and to
 * two decimals above it (a sum of weights that is 8,191.9999 in floating point reads 8,192, not 8190); anything with
 * a scaled unit (bytes, seconds, fractions, params) as formatValue gives it.
 */
export function formatInput(value: number, unit: string): string {
  const plain = unit === '' || COUNT_UNIT.test(unit);
  if (!plain || !Number.isFinite(value) || Math.abs(value) >= 1e12) return formatValue(value, unit);
  const magnitude = Math.abs(value);
  if (magnitude > 0 && magnitude < PLAIN_BELOW) {
    const number = scientific(value, 4);
    return unit === '' ? number : `${number} ${unit}`;
  }
  const digits = Number.isSafeInteger(value)
    ? TWO_DECIMALS(magnitude)
    : magnitude >= 1000
      ? TWO_DECIMALS(magnitude)
      : FOUR_SIGNIFICANT(magnitude);
  const sign = value < 0 ? '−' : '';
  if (unit === '') return `${sign}${digits}`; // sizes such as the hidden size: 4,096, not 4.1K
  return `${sign}${digits} ${magnitude === 1 ? unit.slice(0, -1) : unit}`;
}

/** A metric's value as the app and the command line show it: its words when it has no figure ("not estimated"). */
export function formatMetric(metric: Pick<Metric, 'value' | 'unit' | 'shown'>): string {
  return metric.shown ?? formatValue(metric.value, metric.unit);
}

/** A metric's value followed by its warning, if it has one: "6.06% — above the 3.75% threshold". */
export function formatMetricFlagged(metric: Pick<Metric, 'value' | 'unit' | 'shown' | 'flag'>): string {
  const value = formatMetric(metric);
  return metric.flag ? `${value} — ${metric.flag}` : value;
}
