import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { LoadHeatmap } from '../../src/charts/LoadHeatmap';

describe('LoadHeatmap', () => {
  const layers = [
    new Int32Array([1, 2, 3]),
    new Int32Array([3, 2, 1]),
    new Int32Array([0, 0, 6]),
    new Int32Array(3),
  ];

  it('describes its grid for screen readers', () => {
    render(
      <LoadHeatmap layers={layers} meanLoad={2} focusLayer={0} onSelectLayer={() => {}} label="Loads" />,
    );
    expect(screen.getByRole('img', { name: /Loads: 4 layers by 3 experts/ })).toBeTruthy();
  });

  it('selects the layer whose row is clicked', () => {
    const onSelectLayer = vi.fn();
    render(
      <LoadHeatmap layers={layers} meanLoad={2} focusLayer={0} onSelectLayer={onSelectLayer} label="Loads" />,
    );
    // Four layers get 12 px rows (at most 12, and 240 px over the layers); jsdom puts the canvas at y = 0.
    fireEvent.click(screen.getByRole('img'), { clientY: 30 });
    expect(onSelectLayer).toHaveBeenCalledWith(2);
    // The legend strip below the rows selects nothing.
    fireEvent.click(screen.getByRole('img'), { clientY: 4 * 12 + 5 });
    expect(onSelectLayer).toHaveBeenCalledTimes(1);
  });
});
