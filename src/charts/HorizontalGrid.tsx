import type { ScaleLinear } from 'd3';

/** Horizontal grid lines with their value labels on the left, for SVG charts with a linear y scale. */
export function HorizontalGrid({
  y,
  left,
  right,
  format,
  ticks = 4,
}: {
  y: ScaleLinear<number, number>;
  left: number;
  right: number;
  format: (value: number) => string;
  ticks?: number;
}) {
  return (
    <>
      {y.ticks(ticks).map((tick) => (
        <g key={tick}>
          <line x1={left} x2={right} y1={y(tick)} y2={y(tick)} className="line-chart__grid" />
          <text x={left - 6} y={y(tick) + 4} textAnchor="end" className="line-chart__tick">
            {format(tick)}
          </text>
        </g>
      ))}
    </>
  );
}
