/**
 * A figure as the paper prints it, so a check compares with what was printed and not with a number derived from it
 * (a range's midpoint, a bound read as a value):
 * - 'value': one figure, "46.7B"; it holds to its last printed digit (46.7B stands for 46.65–46.75B);
 *   `printed` keeps the paper's own wording where ours would differ ("~0.2B" is not "200M": it holds to 0.1B);
 * - 'range': "3.25–5.12×" over several setups, met anywhere inside it;
 * - 'more-than': "more than 7×", met above the bound;
 * - 'at-most': "never more than C", met at or below the bound;
 * - 'identity': an equation that must hold exactly; the model's figure is the largest deviation found, met at 0.
 */
export type PaperFigure =
  | {
      kind: 'value';
      value: number;
      /** As printed, where the unit's own formatting would read differently ("0.2B", not "200M"). */ printed?: string;
    }
  | { kind: 'range'; low: number; high: number }
  | { kind: 'more-than'; bound: number }
  | { kind: 'at-most'; bound: number }
  | { kind: 'identity' };

/**
 * The unit of a printed figure's last significant digit: 1e8 for 46.7e9 ("46.7B"), 1e9 for 7e9 ("7B"), 0.01 for
 * 7.22. Trailing zeros are read as not printed, as "46.7B" and "7B" are written.
 */
export function printedStepOf(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return 0;
  // 12 significant digits drop the binary noise of decimals such as 0.1 + 0.2 before the trailing zeros are cut.
  const [mantissa = '', exponent = '0'] = Math.abs(value).toExponential(11).split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  return 10 ** (Number(exponent) - Math.max(digits.length, 1) + 1);
}
