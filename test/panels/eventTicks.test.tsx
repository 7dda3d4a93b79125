import { describe, expect, it } from 'vitest';
import { placeEventTicks } from '../../src/charts/eventTicks';

describe('placeEventTicks', () => {
  it('keeps labels far apart on the row by the axis, running right of their ticks', () => {
    const placed = placeEventTicks(
      [
        { xPx: 100, label: 'K 1→2' },
        { xPx: 300, label: 'K 2→4' },
      ],
      584,
      8,
    );
    expect(placed).toEqual([
      { xPx: 100, row: 0, anchor: 'start' },
      { xPx: 300, row: 0, anchor: 'start' },
    ]);
  });

  it('stacks nearby labels so each sits above every tick its label runs over, the leftmost tallest', () => {
    // Doublings a few pixels apart, and two at the same iteration (two faults rolling back to one checkpoint).
    const placed = placeEventTicks(
      [
        { xPx: 200, label: 'K 4→8' },
        { xPx: 208, label: 'K_persist 2→4' },
        { xPx: 240, label: 'K_persist 4→8' },
        { xPx: 240, label: 'K 8→16' },
      ],
      584,
      8,
    );
    const rows = placed.map((tick) => tick.row);
    expect(new Set(rows).size).toBe(4);
    expect(rows[0]).toBeGreaterThan(rows[1]!);
    expect(rows[1]).toBeGreaterThan(Math.max(rows[2]!, rows[3]!));
  });

  it('turns a label that would pass the right edge to run left of its tick', () => {
    expect(placeEventTicks([{ xPx: 580, label: 'K 128→256' }], 584, 8)).toEqual([
      { xPx: 580, row: 0, anchor: 'end' },
    ]);
  });

  it('puts labels past the rows that fit on the last row', () => {
    const ticks = Array.from({ length: 6 }, (_, index) => ({ xPx: 100 + index, label: `K ${index}` }));
    const rows = placeEventTicks(ticks, 584, 3).map((tick) => tick.row);
    expect(Math.max(...rows)).toBe(2);
    expect(rows[5]).toBe(0);
  });
});
