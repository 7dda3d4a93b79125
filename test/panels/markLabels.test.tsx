import { describe, expect, it } from 'vitest';
import { placeMarkLabels } from '../../src/charts/markLabels';

const BOUNDS = { rightPx: 584, topPx: 26, bottomPx: 202 };

/** A placed label's box, as the helper estimates it (6.6 px a character, 12 px tall). */
function box(place: { xPx: number; yPx: number; anchor: 'start' | 'end' }, label: string) {
  const width = label.length * 6.6;
  const left = place.anchor === 'start' ? place.xPx : place.xPx - width;
  return { left, right: left + width, top: place.yPx - 10, bottom: place.yPx + 2 };
}

function overlap(a: ReturnType<typeof box>, b: ReturnType<typeof box>): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

describe('placeMarkLabels', () => {
  it('leaves a lone label right of and above its dot', () => {
    expect(placeMarkLabels([{ xPx: 100, yPx: 100, label: 'now' }], BOUNDS)).toEqual([
      { xPx: 108, yPx: 92, anchor: 'start' },
    ]);
  });

  it('stacks "now" above "optimum ≈ 64" when their dots are a few pixels apart', () => {
    const marks = [
      { xPx: 300, yPx: 150, label: 'optimum ≈ 64' },
      { xPx: 306, yPx: 151, label: 'now' },
    ];
    const [optimum, now] = placeMarkLabels(marks, BOUNDS);
    if (!optimum || !now) throw new Error('two places expected');
    expect(optimum).toEqual({ xPx: 308, yPx: 142, anchor: 'start' });
    expect(overlap(box(optimum, 'optimum ≈ 64'), box(now, 'now'))).toBe(false);
    expect(now.yPx).toBeLessThan(optimum.yPx);
  });

  it('goes below the dot when the top of the plot leaves no room above, and never collides', () => {
    const marks = [
      { xPx: 300, yPx: 40, label: 'optimum ≈ 64' },
      { xPx: 302, yPx: 40, label: 'now' },
    ];
    const [optimum, now] = placeMarkLabels(marks, BOUNDS);
    if (!optimum || !now) throw new Error('two places expected');
    expect(overlap(box(optimum, 'optimum ≈ 64'), box(now, 'now'))).toBe(false);
    expect(now.yPx - 10).toBeGreaterThanOrEqual(BOUNDS.topPx);
    expect(now.yPx).toBeGreaterThan(40);
  });

  it('ends a label at its dot where it would pass the right edge', () => {
    const [place] = placeMarkLabels([{ xPx: 580, yPx: 100, label: 'optimum ≈ 64' }], BOUNDS);
    expect(place?.anchor).toBe('end');
    expect(place?.xPx).toBe(572);
  });
});
