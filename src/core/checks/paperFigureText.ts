import { formatValue } from '../format';
import type { PaperFigure } from './paperFigure';

/** "98.2%" → ["98.2", "%"]: a formatted figure's number and the unit after it. */
function splitUnit(text: string): [string, string] {
  const match = /^(.*\d)(\D*)$/.exec(text);
  return match ? [match[1] ?? text, match[2] ?? ''] : [text, ''];
}

/** Two ends of a range, the unit said once when they share it: "3.25–5.12×", "98.2–98.9%". */
function formatRange(low: number, high: number, unit: string): string {
  const [lowNumber, lowUnit] = splitUnit(formatValue(low, unit));
  const highText = formatValue(high, unit);
  const [, highUnit] = splitUnit(highText);
  return lowUnit === highUnit ? `${lowNumber}–${highText}` : `${lowNumber}${lowUnit}–${highText}`;
}

/** The paper's figure as it prints it: "46.7B", "3.25–5.12×", "more than 7×", "at most 1", "holds exactly". */
export function formatPaperFigure(figure: PaperFigure, unit: string): string {
  switch (figure.kind) {
    case 'value':
      return figure.printed ?? formatValue(figure.value, unit);
    case 'range':
      return formatRange(figure.low, figure.high, unit);
    case 'more-than':
      return `more than ${formatValue(figure.bound, unit)}`;
    case 'at-most':
      return `at most ${formatValue(figure.bound, unit)}`;
    case 'identity':
      return 'holds exactly';
  }
}
