import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridSummary, HIGHEST_CELLS_LISTED, highestCells } from '../../src/charts/gridSummary';

/** The definition: every cell sorted by value, highest first, ties to the lower cell. */
function sortedCells(values: number[]): number[] {
  return values
    .map((_, cell) => cell)
    .sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || a - b)
    .slice(0, HIGHEST_CELLS_LISTED);
}

describe('gridSummary', () => {
  it('lists the highest cells as sorting every cell would, ties to the lower cell (2,000 grids)', () => {
    // Few distinct values, so ties are common; lengths on both sides of the list's 8.
    const grid = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 0, maxLength: 60 });
    fc.assert(
      fc.property(grid, (values) => {
        expect(highestCells(values, values.length, HIGHEST_CELLS_LISTED)).toEqual(sortedCells(values));
      }),
      { numRuns: 2000 },
    );
  });

  it('names the highest cell and how many cells share its value', () => {
    const { summary, tables } = gridSummary({
      rows: 2,
      columns: 3,
      values: new Int32Array([5, 1, 5, 0, 5, 2]),
      rowName: 'layer',
      columnName: 'expert',
      valueName: 'load',
      formatValue: String,
    });
    expect(summary).toContain('Highest load: layer 0, expert 0, 5 (shared by 3 of 6 cells).');
    expect(tables[0]!.rows.map((row) => row.join(' '))).toEqual([
      '0 0 5',
      '0 2 5',
      '1 1 5',
      '1 2 2',
      '0 1 1',
      '1 0 0',
    ]);
  });
});
