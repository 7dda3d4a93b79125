import type { ChartTable } from './ChartData';

/** Cells listed in the table of the highest values. */
export const HIGHEST_CELLS_LISTED = 8;

export interface GridFacts {
  rows: number;
  columns: number;
  values: ArrayLike<number>;
  /** Singular nouns for a row and a column ("layer", "expert"). */
  rowName: string;
  columnName: string;
  /** What a value is, for the sentence ("load", "staleness"). */
  valueName: string;
  formatValue: (value: number) => string;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The `count` cells with the highest values, highest first (ties: lower cell first), by insertion into a short list:
 * one pass over the cells instead of sorting all of them (15,616 for DeepSeek-V3, redone every batch while playing).
 */
export function highestCells(values: ArrayLike<number>, cells: number, count: number): number[] {
  const highest: number[] = [];
  const valueAt = (cell: number) => values[cell] ?? 0;
  for (let cell = 0; cell < cells; cell += 1) {
    const cellValue = valueAt(cell);
    if (highest.length === count && cellValue <= valueAt(highest[count - 1]!)) continue;
    // After every listed cell that is at least as high: an equal value keeps the lower cell first.
    let position = highest.length;
    while (position > 0 && valueAt(highest[position - 1]!) < cellValue) position -= 1;
    highest.splice(position, 0, cell);
    if (highest.length > count) highest.pop();
  }
  return highest;
}

/**
 * What a rows × columns heatmap shows, in words and two short tables: the highest cells, and each row's peak with
 * the column it is in. The sentence names the column that peaks in the most rows (an expert hot in layer after
 * layer) and how many cells share the highest value.
 */
export function gridSummary(facts: GridFacts): { summary: string; tables: ChartTable[] } {
  const { rows, columns, values, rowName, columnName, valueName, formatValue } = facts;
  const cells = rows * columns;
  const value = (cell: number) => values[cell] ?? 0;
  const highest = highestCells(values, cells, HIGHEST_CELLS_LISTED);
  const peaks = Array.from({ length: rows }, (_, row) => {
    let peak = row * columns;
    let ties = 0;
    for (let cell = row * columns; cell < (row + 1) * columns; cell += 1) {
      if (value(cell) > value(peak)) [peak, ties] = [cell, 1];
      else if (value(cell) === value(peak)) ties += 1;
    }
    return { cell: peak, ties };
  });
  // Only a row's single peak says a column is hot there; a tie (every expert equally stale) names none.
  const peakCounts = new Map<number, number>();
  for (const { cell, ties } of peaks)
    if (ties === 1) peakCounts.set(cell % columns, (peakCounts.get(cell % columns) ?? 0) + 1);
  const common = [...peakCounts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
  const top = highest[0];
  const parts: string[] = [];
  if (top !== undefined) {
    let tied = 0;
    for (let cell = 0; cell < cells; cell += 1) if (value(cell) === value(top)) tied += 1;
    if (tied === cells) parts.push(`Every cell: ${formatValue(value(top))}.`);
    else
      parts.push(
        `Highest ${valueName}: ${rowName} ${Math.floor(top / columns)}, ${columnName} ${top % columns}, ${formatValue(value(top))}${tied > 1 ? ` (shared by ${tied} of ${cells} cells)` : ''}.`,
      );
    if (rows > 1 && common)
      parts.push(
        `${capitalised(columnName)} ${common[0]} has the ${rowName}’s highest ${valueName} in ${common[1]} of ${rows} ${rowName}s.`,
      );
  }
  const place = (cell: number) => [String(Math.floor(cell / columns)), String(cell % columns)];
  return {
    summary: parts.join(' '),
    tables: [
      {
        caption: `The ${highest.length} highest of ${cells} cells`,
        columns: [capitalised(rowName), capitalised(columnName), capitalised(valueName)],
        rows: highest.map((cell) => [...place(cell), formatValue(value(cell))]),
      },
      {
        caption: `Each ${rowName}’s peak`,
        columns: [capitalised(rowName), `${capitalised(columnName)} at the peak`, capitalised(valueName)],
        rows: peaks.map(({ cell, ties }) => {
          const [row = '', column = ''] = place(cell);
          return [row, ties > 1 ? `${column} and ${ties - 1} more` : column, formatValue(value(cell))];
        }),
      },
    ],
  };
}
