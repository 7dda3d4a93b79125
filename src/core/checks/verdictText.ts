import { formatValue } from '../format';
import type { PaperFigure } from './paperFigure';
import type { CheckVerdict } from './verdict';

/** A symbol and words for each verdict: the symbol is never the only sign (nor the colour the UI adds). */
export const VERDICT_WORDS: Record<CheckVerdict, { symbol: string; label: string }> = {
  meets: { symbol: '✓', label: 'Meets the claim' },
  close: { symbol: '≈', label: 'Close, misses the claim' },
  outside: { symbol: '✗', label: 'Misses the claim' },
};

/** What a verdict is worded from: a check's result or the check with its computed figure. */
export interface VerdictFacts {
  verdict: CheckVerdict;
  gap: number;
  paperFigure: PaperFigure;
  tolerance: number;
  unit: string;
}

function signedPercent(fraction: number): string {
  const percent = fraction * 100;
  return `${percent >= 0 ? '+' : '−'}${Math.abs(percent).toFixed(1)}%`;
}

/** The tolerance in the units the gap is in: "±25%", or for an identity the deviation allowed ("0%"). */
export function toleranceText({ paperFigure, tolerance, unit }: VerdictFacts): string {
  if (paperFigure.kind === 'identity') return formatValue(tolerance, unit);
  return `±${Number((tolerance * 100).toFixed(1))}%`;
}

/** Where the gap is measured from: "the printed 37B", "the range's top (5.12×)", "the bound (7×)". */
function gapReference(figure: PaperFigure, gap: number, unit: string): string {
  switch (figure.kind) {
    case 'value':
      return `from the printed ${figure.printed ?? formatValue(figure.value, unit)}`;
    case 'range':
      return gap > 0
        ? `above the range's top (${formatValue(figure.high, unit)})`
        : `below the range's bottom (${formatValue(figure.low, unit)})`;
    case 'more-than':
      return `short of the bound (${formatValue(figure.bound, unit)})`;
    case 'at-most':
      return `over the bound (${formatValue(figure.bound, unit)})`;
    case 'identity':
      return 'deviation';
  }
}

/** Why a figure meets its claim, in the claim's terms. */
function meetsDetail({ paperFigure, gap, unit }: VerdictFacts): string {
  switch (paperFigure.kind) {
    case 'value':
      return `equals the printed ${paperFigure.printed ?? formatValue(paperFigure.value, unit)} to its last digit (${signedPercent(gap)})`;
    case 'range':
      return 'inside the printed range';
    case 'more-than':
      return 'above the bound';
    case 'at-most':
      return 'at or below the bound';
    case 'identity':
      return 'no deviation found';
  }
}

/**
 * The verdict's reason in a phrase: "inside the printed range"; "+11.1% above the range's top (5.12×), within the
 * ±15% tolerance"; "−100.0% below the range's bottom (1.1%), outside the ±60% tolerance".
 */
export function verdictDetail(facts: VerdictFacts): string {
  if (facts.verdict === 'meets') return meetsDetail(facts);
  const { paperFigure, gap, unit } = facts;
  const size =
    paperFigure.kind === 'identity'
      ? `${gapReference(paperFigure, gap, unit)} ${formatValue(gap, unit)}`
      : `${signedPercent(gap)} ${gapReference(paperFigure, gap, unit)}`;
  const where = facts.verdict === 'close' ? 'within' : 'outside';
  return `${size}, ${where} the ${toleranceText(facts)} tolerance`;
}

/** One line for a verdict: "≈ Close, misses the claim: +11.1% above the range's top (5.12×), within …". */
export function verdictSummary(facts: VerdictFacts): string {
  const words = VERDICT_WORDS[facts.verdict];
  return `${words.symbol} ${words.label}: ${verdictDetail(facts)}`;
}
