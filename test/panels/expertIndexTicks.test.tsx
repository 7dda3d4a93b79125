import { describe, expect, it } from 'vitest';
import { expertIndexTicks } from '../../src/charts/expertIndexTicks';

describe('expertIndexTicks', () => {
  it('numbers every expert when the bars are wide enough', () => {
    expect(expertIndexTicks(8, 110)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('numbers every 2nd, 4th, … expert, the first step whose numbers do not touch', () => {
    // 64 experts over 860 px: 13.4 px apart, so every 2nd; at 420 px wide, 5.9 px apart, so every 8th.
    expect(expertIndexTicks(64, 13.4)).toEqual(Array.from({ length: 32 }, (_, index) => index * 2));
    expect(expertIndexTicks(64, 5.9)).toEqual([0, 8, 16, 24, 32, 40, 48, 56]);
    expect(expertIndexTicks(256, 3.4)).toHaveLength(32);
  });

  it('numbers none when even every 128th expert would not fit', () => {
    expect(expertIndexTicks(256, 0.1)).toEqual([]);
  });
});
