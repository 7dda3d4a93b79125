import { max, scaleBand, scaleLinear } from 'd3';
import { useId } from 'react';
import { ChartData } from './ChartData';
import { HorizontalGrid } from './HorizontalGrid';
import { OKABE_ITO } from './palette';
import { rankBarsSummary } from './rankBarsSummary';

interface Props {
  title: string;
  /** One value per rank. */
  values: ArrayLike<number>;
  bottleneckRank: number;
  formatValue: (value: number) => string;
  /** Ranks drawn at most; beyond, the note says how many are not shown (they repeat the pattern of the first). */
  maxRanks?: number;
}

const WIDTH = 600;
const HEIGHT = 190;
const MARGIN = { top: 10, right: 8, bottom: 30, left: 64 };

/** Per-rank bars with the bottleneck rank highlighted and labelled; SVG, d3 scales, React renders. */
export function RankBars({ title, values, bottleneckRank, formatValue, maxRanks = 64 }: Props) {
  const shown = Array.from({ length: Math.min(values.length, maxRanks) }, (_, rank) => values[rank] ?? 0);
  const x = scaleBand<number>()
    .domain(shown.map((_, rank) => rank))
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .paddingInner(shown.length > 32 ? 0.1 : 0.2);
  const top = Math.max(max(shown) ?? 0, values[bottleneckRank] ?? 0, 1e-9);
  const y = scaleLinear()
    .domain([0, top])
    .nice(4) // the same tick count as the grid, so the top of the scale is a grid line
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const bottleneck = values[bottleneckRank] ?? 0;
  const summaryId = useId();
  const data = rankBarsSummary(values, bottleneckRank, formatValue);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        className="line-chart"
        role="img"
        aria-label={`${title}: rank ${bottleneckRank} is the bottleneck with ${formatValue(bottleneck)}.`}
        aria-describedby={summaryId}
      >
        <HorizontalGrid y={y} left={MARGIN.left} right={WIDTH - MARGIN.right} format={formatValue} />
        {shown.map((value, rank) => (
          <rect
            key={rank}
            x={x(rank)}
            y={y(value)}
            width={x.bandwidth()}
            height={Math.max(0, y(0) - y(value))}
            fill={rank === bottleneckRank ? OKABE_ITO[5] : OKABE_ITO[0]}
          />
        ))}
        <text x={MARGIN.left} y={HEIGHT - 8} className="line-chart__tick">
          ranks 0–{shown.length - 1}
          {values.length > shown.length ? ` (of ${values.length})` : ''} · vermilion: bottleneck rank{' '}
          {bottleneckRank}, {formatValue(bottleneck)}
        </text>
      </svg>
      <ChartData summaryId={summaryId} summary={data.summary} tables={data.tables} />
    </figure>
  );
}
