import { cumsum, scaleLinear } from 'd3';

export interface StackedRect {
  xPercent: number;
  widthPercent: number;
}

/** Positions of stacked segments along a 0–100 axis; negative values count as zero. */
export function stackLayout(values: readonly number[], total?: number): StackedRect[] {
  const clean = values.map((value) => (Number.isFinite(value) ? Math.max(0, value) : 0));
  const ends = Array.from(cumsum(clean));
  const sum = ends[ends.length - 1] ?? 0;
  const x = scaleLinear()
    .domain([0, Math.max(total ?? sum, sum, Number.MIN_VALUE)])
    .range([0, 100]);
  return clean.map((value, index) => {
    const end = ends[index] ?? 0;
    return { xPercent: x(end - value), widthPercent: x(end) - x(end - value) };
  });
}
