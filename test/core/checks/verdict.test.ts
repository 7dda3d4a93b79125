import { evaluatePaperChecks } from '../../../src/core/checks/registry';
import { describe, expect, it } from 'vitest';
import { printedStepOf } from '../../../src/core/checks/paperFigure';
import { formatPaperFigure } from '../../../src/core/checks/paperFigureText';
import { verdictOf } from '../../../src/core/checks/verdict';
import { verdictDetail, verdictSummary } from '../../../src/core/checks/verdictText';

describe('the verdict on a model figure against the figure as printed', () => {
  it('a range is met anywhere inside it; outside, the gap is to its nearer end', () => {
    const speedup = { kind: 'range', low: 3.25, high: 5.12 } as const;
    expect(verdictOf(4.95, speedup, 0.15)).toEqual({ verdict: 'meets', gap: 0 });
    expect(verdictOf(3.25, speedup, 0.15).verdict).toBe('meets');
    // The reviewer's case: 5.69× is outside 3.25–5.12×, so it cannot be a tick, only close.
    const case3 = verdictOf(5.69, speedup, 0.15);
    expect(case3.verdict).toBe('close');
    expect(case3.gap).toBeCloseTo(5.69 / 5.12 - 1, 12);
    expect(verdictOf(3, speedup, 0.15).gap).toBeCloseTo(3 / 3.25 - 1, 12);
    expect(verdictOf(6, speedup, 0.15).verdict).toBe('outside');
  });

  it('a reduction above the printed range and the residual it implies get the same kind of verdict: neither is met', () => {
    // MoC §6.2.3: "98.2–98.9%" less overhead, so 1.1–1.8% left. The model's 100% and 0% are the same cause.
    const reduction = verdictOf(1, { kind: 'range', low: 0.982, high: 0.989 }, 0.02);
    const residual = verdictOf(0, { kind: 'range', low: 0.011, high: 0.018 }, 0.6);
    expect(reduction.verdict).toBe('close');
    expect(reduction.gap).toBeCloseTo(1 / 0.989 - 1, 12);
    expect(residual).toEqual({ verdict: 'outside', gap: -1 });
  });

  it('"more than" is met only above the bound', () => {
    const peak = { kind: 'more-than', bound: 7 } as const;
    expect(verdictOf(7.2, peak, 0.25)).toEqual({ verdict: 'meets', gap: 0 });
    expect(verdictOf(7, peak, 0.25).verdict).toBe('close');
    // The reviewer's case: 5.74 is not "more than 7×".
    const olmoe = verdictOf(5.74, peak, 0.25);
    expect(olmoe.verdict).toBe('close');
    expect(olmoe.gap).toBeCloseTo(5.74 / 7 - 1, 12);
    expect(verdictOf(5, peak, 0.25).verdict).toBe('outside');
  });

  it('"at most" is met at or below the bound, however far below', () => {
    const bound = { kind: 'at-most', bound: 1 } as const;
    expect(verdictOf(1, bound, 0)).toEqual({ verdict: 'meets', gap: 0 });
    expect(verdictOf(0.01, bound, 0).verdict).toBe('meets');
    expect(verdictOf(1.0000001, bound, 0).verdict).toBe('outside');
    expect(verdictOf(1.05, bound, 0.1).verdict).toBe('close');
  });

  it('an identity is met only with no deviation; the gap is the deviation itself', () => {
    expect(verdictOf(0, { kind: 'identity' }, 0)).toEqual({ verdict: 'meets', gap: 0 });
    expect(verdictOf(1e-9, { kind: 'identity' }, 0)).toEqual({ verdict: 'outside', gap: 1e-9 });
  });

  it('a single figure is met when the model equals it to its last printed digit, and within tolerance', () => {
    const mixtral = { kind: 'value', value: 46.7e9 } as const;
    expect(verdictOf(46.703e9, mixtral, 0.03).verdict).toBe('meets');
    // 37.55B prints as 37.6B, not the paper's 37B: within 3%, but not the printed figure.
    expect(verdictOf(37.551e9, { kind: 'value', value: 37e9 }, 0.03).verdict).toBe('close');
    // "7B" printed to one digit holds 6.5–7.5B, but a tick never lies outside the tolerance.
    expect(verdictOf(7.387e9, { kind: 'value', value: 7e9 }, 0.03).verdict).toBe('outside');
    expect(verdictOf(1.2, { kind: 'value', value: 1 }, 0.1)).toEqual({
      verdict: 'outside',
      gap: 0.19999999999999996,
    });
  });

  it('reads the printed digits of a figure, trailing zeros not printed', () => {
    expect(printedStepOf(46.7e9)).toBeCloseTo(1e8, 0);
    expect(printedStepOf(7e9)).toBeCloseTo(1e9, 0);
    expect(printedStepOf(323e6)).toBeCloseTo(1e6, 0);
    expect(printedStepOf(7.22)).toBeCloseTo(0.01, 12);
    expect(printedStepOf(0.2e9)).toBeCloseTo(1e8, 0);
    expect(printedStepOf(0)).toBe(0);
  });
});

describe('the verdict and the printed figure in words', () => {
  it('prints a range as the paper does, with its unit once, and bounds with their words', () => {
    expect(formatPaperFigure({ kind: 'range', low: 3.25, high: 5.12 }, '×')).toBe('3.25–5.12×');
    expect(formatPaperFigure({ kind: 'range', low: 0.982, high: 0.989 }, 'fraction')).toBe('98.2–98.9%');
    expect(formatPaperFigure({ kind: 'range', low: 0.011, high: 0.018 }, 'fraction')).toBe('1.1–1.8%');
    expect(formatPaperFigure({ kind: 'more-than', bound: 7 }, '×')).toBe('more than 7×');
    expect(formatPaperFigure({ kind: 'at-most', bound: 1 }, '')).toBe('at most 1');
    expect(formatPaperFigure({ kind: 'value', value: 46.7e9 }, 'params')).toBe('46.7B');
    expect(formatPaperFigure({ kind: 'identity' }, 'fraction')).toBe('holds exactly');
  });

  it('keeps a value as the paper prints it where our formatting would read differently', () => {
    const printed = { kind: 'value', value: 0.2e9, printed: '0.2B' } as const;
    expect(formatPaperFigure(printed, 'params')).toBe('0.2B');
    // 196M holds to "0.2B"'s last digit (0.15–0.25B), which "200M" would not say.
    const meets = {
      paperFigure: printed,
      tolerance: 0.03,
      unit: 'params',
      ...verdictOf(195.7e6, printed, 0.03),
    };
    expect(verdictDetail(meets)).toBe('equals the printed 0.2B to its last digit (−2.1%)');
    const switchActive = evaluatePaperChecks().find((r) => r.id === 'size.switch-base-128.active');
    expect(switchActive?.claim).toMatch(/activates 0\.2B parameters/);
  });

  it('says where a gap is measured from and which tolerance applies', () => {
    const figure = { kind: 'range', low: 3.25, high: 5.12 } as const;
    const close = { paperFigure: figure, tolerance: 0.15, unit: '×', ...verdictOf(5.69, figure, 0.15) };
    expect(verdictDetail(close)).toBe("+11.1% above the range's top (5.12×), within the ±15% tolerance");
    expect(verdictSummary(close)).toMatch(/^≈ Close, misses the claim: /);
    const meets = { paperFigure: figure, tolerance: 0.15, unit: '×', ...verdictOf(4.37, figure, 0.15) };
    expect(verdictSummary(meets)).toBe('✓ Meets the claim: inside the printed range');
    const residualFigure = { kind: 'range', low: 0.011, high: 0.018 } as const;
    const outside = {
      paperFigure: residualFigure,
      tolerance: 0.6,
      unit: 'fraction',
      ...verdictOf(0, residualFigure, 0.6),
    };
    expect(verdictDetail(outside)).toBe(
      "−100.0% below the range's bottom (1.1%), outside the ±60% tolerance",
    );
  });
});
