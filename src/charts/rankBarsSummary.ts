import { formatValue } from '../core/format';
import type { ChartTable } from './ChartData';

/** Ranks listed in the table: the busiest, which set how long a checkpoint takes. */
export const BUSIEST_RANKS_LISTED = 8;

/**
 * What the per-rank bars show, in words and a short table: the bottleneck rank against the mean and the lightest
 * rank (how even the sharding is), then the busiest ranks.
 */
export function rankBarsSummary(
  values: ArrayLike<number>,
  bottleneckRank: number,
  format: (value: number) => string,
): { summary: string; tables: ChartTable[] } {
  const ranks = values.length;
  if (ranks === 0) return { summary: 'No ranks.', tables: [] };
  let total = 0;
  let lightest = 0;
  for (let rank = 0; rank < ranks; rank += 1) {
    total += values[rank] ?? 0;
    if ((values[rank] ?? 0) < (values[lightest] ?? 0)) lightest = rank;
  }
  const mean = total / ranks;
  const bottleneck = values[bottleneckRank] ?? 0;
  const timesMean = (value: number) => (mean > 0 ? `${formatValue(value / mean, '')}× the mean` : '—');
  const even = bottleneck === (values[lightest] ?? 0);
  const summary =
    `${ranks} ranks. ` +
    (even
      ? `Every rank has ${format(bottleneck)}: the work is even.`
      : `Rank ${bottleneckRank} is the bottleneck with ${format(bottleneck)}, ${timesMean(bottleneck)} ` +
        `(${format(mean)}); the lightest, rank ${lightest}, has ${format(values[lightest] ?? 0)}.`);
  const busiest = Array.from({ length: ranks }, (_, rank) => rank)
    .sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || a - b)
    .slice(0, BUSIEST_RANKS_LISTED);
  return {
    summary,
    tables: [
      {
        caption: `The ${Math.min(ranks, BUSIEST_RANKS_LISTED)} busiest of ${ranks} ranks`,
        columns: ['Rank', 'Bytes', 'Against the mean'],
        rows: busiest.map((rank) => [String(rank), format(values[rank] ?? 0), timesMean(values[rank] ?? 0)]),
      },
    ],
  };
}
