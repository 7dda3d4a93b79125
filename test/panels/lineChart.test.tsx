import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LineChart } from '../../src/charts/LineChart';

function pathCorners(steps: boolean): [number, number][] {
  const { container } = render(
    <LineChart
      title="PLT"
      series={[{ id: 'plt', label: 'PLT', steps, points: [0, 1, 3].map((y, x) => ({ x: x * 10, y })) }]}
      xLabel="iteration"
      yLabel="PLT"
      formatX={String}
      formatY={String}
    />,
  );
  const d = container.querySelector('path[stroke]')?.getAttribute('d') ?? '';
  return [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((match) => [Number(match[1]), Number(match[2])]);
}

describe('LineChart', () => {
  it('joins points with straight lines, or holds each value until the next point as a step', () => {
    expect(pathCorners(false)).toHaveLength(3);
    const corners = pathCorners(true);
    // Three points as steps: each value runs flat to the next x, then jumps.
    expect(corners).toHaveLength(5);
    expect(corners[1]?.[1]).toBe(corners[0]?.[1]);
    expect(corners[2]?.[0]).toBe(corners[1]?.[0]);
    expect(corners[3]?.[1]).toBe(corners[2]?.[1]);
  });
});
