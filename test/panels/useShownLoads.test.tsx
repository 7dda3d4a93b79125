import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ExpertLoads } from '../../src/charts/ExpertLoadBars';
import { useShownLoads } from '../../src/panels/routing/useShownLoads';

const loads = (preDrop: number[], kept: number[]): ExpertLoads => ({
  preDrop: Int32Array.from(preDrop),
  kept: Int32Array.from(kept),
});

describe('useShownLoads', () => {
  it('tweens from the bars on screen, and not again when the same loads arrive a second time', () => {
    const first = loads([4, 2], [3, 2]);
    const second = loads([1, 5], [1, 3]);
    const { result, rerender } = renderHook(({ incoming }) => useShownLoads(incoming), {
      initialProps: { incoming: first as ExpertLoads | null },
    });
    expect(result.current).toEqual({ loads: first, previous: null });
    rerender({ incoming: second });
    expect(result.current.loads).toBe(second);
    expect(result.current.previous).toBe(first);
    // The layer shown first on its own, then with its batch: equal counts in new arrays keep what is on screen.
    rerender({ incoming: loads([1, 5], [1, 3]) });
    expect(result.current.loads).toBe(second);
    expect(result.current.previous).toBe(first);
  });

  it('has nothing to tween from when the expert count changes, and keeps the bars while none arrive', () => {
    const { result, rerender } = renderHook(({ incoming }) => useShownLoads(incoming), {
      initialProps: { incoming: loads([1, 2], [1, 2]) as ExpertLoads | null },
    });
    const three = loads([1, 2, 3], [1, 2, 3]);
    rerender({ incoming: three });
    expect(result.current).toEqual({ loads: three, previous: null });
    rerender({ incoming: null });
    expect(result.current.loads).toBe(three);
  });
});
