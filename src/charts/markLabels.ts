import { CHAR_WIDTH_PX } from './eventTicks';

/** A label's height and the clear space kept between two labels, pixels (11 px text). */
const LABEL_HEIGHT_PX = 12;
const GAP_PX = 3;
/** Where a label sits by default: right of its dot and above it. */
const OFFSET_X_PX = 8;
const OFFSET_Y_PX = 8;

export interface PlacedMarkLabel {
  /** The text's anchor point, pixels. */
  xPx: number;
  /** The text's baseline, pixels. */
  yPx: number;
  anchor: 'start' | 'end';
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function overlaps(a: Box, b: Box): boolean {
  return (
    a.left < b.right + GAP_PX &&
    b.left < a.right + GAP_PX &&
    a.top < b.bottom + GAP_PX &&
    b.top < a.bottom + GAP_PX
  );
}

/**
 * Places the labels of marked points (an optimum, the current setting) so that none overprints another: each goes
 * right of and above its dot, or left of it where it would pass the right edge; a label that would meet one already
 * placed moves up a row at a time, and below its dot when the top of the plot stops it. Labels are placed in the
 * order given, so the first keeps its usual place. The chart measures no text: widths are estimated per character.
 */
export function placeMarkLabels(
  marks: readonly { xPx: number; yPx: number; label: string }[],
  bounds: { rightPx: number; topPx: number; bottomPx: number },
): PlacedMarkLabel[] {
  const placed: Box[] = [];
  return marks.map((mark) => {
    const widthPx = mark.label.length * CHAR_WIDTH_PX;
    const anchor = mark.xPx + OFFSET_X_PX + widthPx > bounds.rightPx ? 'end' : 'start';
    const xPx = anchor === 'start' ? mark.xPx + OFFSET_X_PX : mark.xPx - OFFSET_X_PX;
    const left = anchor === 'start' ? xPx : xPx - widthPx;
    const boxAt = (baseline: number): Box => ({
      left,
      right: left + widthPx,
      top: baseline - LABEL_HEIGHT_PX + 2,
      bottom: baseline + 2,
    });
    const clear = (baseline: number) => {
      const box = boxAt(baseline);
      return (
        box.top >= bounds.topPx &&
        box.bottom <= bounds.bottomPx &&
        !placed.some((other) => overlaps(box, other))
      );
    };
    const step = LABEL_HEIGHT_PX + GAP_PX;
    // Above the dot, rising a row at a time to the top of the plot; then below it, falling; else the usual place.
    const above = mark.yPx - OFFSET_Y_PX;
    const below = mark.yPx + OFFSET_Y_PX + LABEL_HEIGHT_PX;
    const rows = Array.from({ length: 8 }, (_, row) => row * step);
    const candidates = [...rows.map((rise) => above - rise), ...rows.map((fall) => below + fall)];
    const baseline = candidates.find(clear) ?? above;
    placed.push(boxAt(baseline));
    return { xPx, yPx: baseline, anchor };
  });
}
