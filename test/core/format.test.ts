import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInput, formatValue, scientific } from '../../src/core/format';

describe('formatValue', () => {
  it.each([
    [0, '0 s'],
    [1, '1 s'],
    [3.27, '3.27 s'],
    [99.4, '99.4 s'],
    [999, '999 s'],
    [175, '175 s'],
    [2560, '42.7 min'],
    [45_000, '12.5 h'],
    [459_000, '5.31 days'],
  ])('writes %f seconds as %s', (seconds, shown) => {
    expect(formatValue(seconds, 's')).toBe(shown);
  });

  it('writes counts, bytes, fractions and plural units as people read them', () => {
    expect(formatValue(46.7e9, 'params')).toBe('46.7B');
    expect(formatValue(524_288, 'tokens')).toBe('524K tokens');
    expect(formatValue(9.39e12, 'B')).toBe('9.39 TB');
    expect([0, 512, 1536, 4.2e7, 1.2e15].map((bytes) => formatValue(bytes, 'B'))).toEqual([
      '0 B',
      '512 B',
      '1.54 kB',
      '42 MB',
      '1.2 PB',
    ]);
    expect(formatValue(0.176, 'fraction')).toBe('17.6%');
    expect(formatValue(1, 'nodes')).toBe('1 node');
    expect(formatValue(8, 'GPUs')).toBe('8 GPUs');
  });

  it('gives a whole count of things exactly, with separators, and a fraction of one to three digits', () => {
    expect(formatValue(42277, 'iterations')).toBe('42,277 iterations');
    expect(formatValue(842, 'iterations')).toBe('842 iterations');
    expect(formatValue(0.403, 'iterations')).toBe('0.403 iterations');
    expect(formatValue(1, 'faults')).toBe('1 fault');
  });

  it('never shows NaN or Infinity', () => {
    expect(formatValue(Number.NaN, 's')).toBe('—');
    expect(formatValue(Number.POSITIVE_INFINITY, 'B')).toBe('—');
  });

  it('gives whole counts exactly in show-your-work inputs, and everything else as formatValue does', () => {
    expect(formatInput(16384, 'pairs')).toBe('16,384 pairs');
    expect(formatInput(8192, 'tokens')).toBe('8,192 tokens');
    expect(formatInput(1, 'experts')).toBe('1 expert');
    expect(formatInput(20000, 'iterations')).toBe('20,000 iterations');
    expect(formatInput(671025397760, 'params')).toBe(formatValue(671025397760, 'params'));
    expect(formatInput(2.5, 'tokens')).toBe('2.5 tokens');
    expect(formatInput(4.2e7, 'B')).toBe('42 MB');
    expect(formatInput(32, 'GB/s')).toBe(formatValue(32, 'GB/s'));
    expect(formatInput(4096, '')).toBe('4,096');
    expect(formatInput(14336, '')).toBe('14,336');
    expect(formatInput(0.5, '')).toBe('0.5');
  });

  it('keeps enough digits in show-your-work inputs to redo the arithmetic', () => {
    // A float sum of renormalised gate weights over 8,192 tokens; formatValue would give 8190.
    expect(formatInput(8191.999999997, '')).toBe('8,192');
    expect(formatInput(262143.99999, 'tokens')).toBe('262,144 tokens');
    expect(formatInput(1234.5678, '')).toBe('1,234.57');
    // Σ f·P of a Switch loss of 1.11 over 8 experts: 0.13875, not 0.139, so 8 × 0.1388 = 1.11.
    expect(formatInput(0.13875, '')).toBe('0.1388');
    expect(formatInput(-0.25, '')).toBe('−0.25');
  });
});

describe('numbers too large or too small to write out', () => {
  it('are written as m × 10ⁿ instead of a run of zeros', () => {
    expect(formatValue(2.95e15 * 86_400, 's')).toBe('2.95 × 10¹⁵ days');
    expect(formatValue(2.72e6, 'fraction')).toBe('2.72 × 10⁸%');
    expect(formatValue(4.32e-9, 'iterations')).toBe('4.32 × 10⁻⁹ iterations');
    expect(formatValue(1.5e10, 'iterations')).toBe('1.5 × 10¹⁰ iterations');
    expect(formatValue(1e30, 'B')).toBe('1 × 10³⁰ B');
    expect(formatInput(-3.2e-7, '')).toBe('−3.2 × 10⁻⁷');
    expect(scientific(-0.000123456, 4)).toBe('−1.235 × 10⁻⁴');
  });

  it('leave everyday magnitudes and exact counts as they were', () => {
    expect(formatValue(42_277, 'iterations')).toBe('42,277 iterations');
    expect(formatValue(123_456_789, 'iterations')).toBe('123,456,789 iterations');
    expect(formatValue(0.5, 'fraction')).toBe('50%');
    expect(formatValue(0, '')).toBe('0');
    expect(formatValue(999_000, '')).toBe('999000');
    expect(formatValue(0.000123, '')).toBe('0.000123');
  });

  it('never write more than a handful of digits, whatever the magnitude', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }),
        fc.constantFrom('', 's', 'fraction', 'iterations', '×', 'B'),
        (value, unit) => {
          const digits = formatValue(value, unit)
            .replace(/[^0-9]/g, '')
            .replace(/^0+/, '');
          expect(digits.length).toBeLessThanOrEqual(9);
        },
      ),
    );
  });
});

describe('bytes below one', () => {
  it('are fractions of a byte, never milli-bytes', () => {
    expect(formatValue(0.5, 'B')).toBe('0.5 B');
    expect(formatInput(0.5, 'B')).toBe('0.5 B');
  });
});
