/** One value substituted into a formula, with its unit. */
export interface MetricInput {
  symbol: string;
  label: string;
  value: number;
  unit: string;
}

/**
 * A number that shows its work: every figure the app displays is one of these, so a reader can open it and see
 * the formula, the values substituted and where the formula comes from.
 */
export interface Metric {
  id: string;
  label: string;
  value: number;
  /**
   * Unit of `value`: 'params', 'FLOP', 'B' (bytes), 'tokens', 's', '' for dimensionless, '×' for a ratio read as
   * "times as much" (a speedup), '%' never (use fractions).
   */
  unit: string;
  /** Symbolic formula, e.g. "N̄ = t · k / n". */
  formula: string;
  inputs: MetricInput[];
  /** Paper and equation, datasheet or config the formula or value comes from. */
  source: string;
  /** Extra context, e.g. an approximation made. */
  note?: string;
  /**
   * A warning about the value, in a few words, shown with it wherever the value is shown ("above the 3.75%
   * threshold"); `note` says what it means and what to do. Absent when there is nothing to warn about.
   */
  flag?: string;
  /** Words shown instead of the value when there is no figure to give ("not estimated"); `value` is then 0. */
  shown?: string;
}

export function input(symbol: string, label: string, value: number, unit: string): MetricInput {
  return { symbol, label, value, unit };
}
