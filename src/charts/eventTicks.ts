/** Pixels per character of an 11 px label, a little generous (the chart measures no text). */
export const CHAR_WIDTH_PX = 6.6;
/** Clear space kept around a label. */
const GAP_PX = 4;

export interface PlacedEventTick {
  /** The tick's x in pixels. */
  xPx: number;
  /** 0 = the row nearest the axis; the tick rises from the axis to its label's row. */
  row: number;
  /** Where the label runs from the tick: right of it, or left when it would pass the right edge. */
  anchor: 'start' | 'end';
}

/**
 * Rows for the labels of ticks rising from the x axis ('K 4→8'), so that labels of nearby events (doublings a few
 * iterations apart, or at the same iteration) neither overprint each other nor are crossed by a neighbour's tick.
 * Placed from right to left, each label goes one row above every tick already placed under it: the leftmost of a
 * cluster stands tallest, and each tick ends below the labels that run over it.
 */
export function placeEventTicks(
  ticks: readonly { xPx: number; label: string }[],
  rightEdgePx: number,
  /** Rows that fit in the plot; past the last, labels share it and may overlap. */
  maxRows: number,
): PlacedEventTick[] {
  const placed: (PlacedEventTick & { fromPx: number; toPx: number })[] = [];
  const result = new Array<PlacedEventTick>(ticks.length);
  const order = ticks.map((_, index) => index).sort((a, b) => (ticks[b]?.xPx ?? 0) - (ticks[a]?.xPx ?? 0));
  for (const index of order) {
    const tick = ticks[index];
    if (!tick) continue;
    const widthPx = 3 + tick.label.length * CHAR_WIDTH_PX;
    const anchor = tick.xPx + widthPx > rightEdgePx ? 'end' : 'start';
    const fromPx = (anchor === 'start' ? tick.xPx : tick.xPx - widthPx) - GAP_PX;
    const toPx = (anchor === 'start' ? tick.xPx + widthPx : tick.xPx) + GAP_PX;
    let row = 0;
    for (const other of placed) {
      const underLabel = other.xPx >= fromPx && other.xPx <= toPx;
      const labelsMeet = other.fromPx < toPx && fromPx < other.toPx;
      if (underLabel || labelsMeet) row = Math.max(row, other.row + 1);
    }
    const entry = {
      xPx: tick.xPx,
      row: Math.max(0, Math.min(row, maxRows - 1)),
      anchor,
      fromPx,
      toPx,
    } as const;
    placed.push(entry);
    result[index] = { xPx: entry.xPx, row: entry.row, anchor };
  }
  return result;
}
