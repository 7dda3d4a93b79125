import { formatInput, formatValue } from '../core/format';
import type { ChartTable } from './ChartData';

/** Experts listed in the table: the busiest, where the capacity limit bites. */
export const BUSIEST_EXPERTS_LISTED = 8;

export interface ExpertLoadFacts {
  preDrop: Int32Array;
  kept: Int32Array;
  /** Aggregate capacity line (devices × C), or 0 when capacity is off. */
  capacityLine: number;
  capacityLabel: string;
  meanLoad: number;
  /** Under device-level capacity, the experts each device holds; undefined under a per-expert limit. */
  expertsPerDevice?: number | undefined;
}

const pairs = (value: number) => formatInput(Math.round(value), 'pairs');
const timesMean = (value: number, mean: number) => (mean > 0 ? `${formatValue(value / mean, '')}× N̄` : '—');

/**
 * What the per-expert bars show, in words and a short table: the mean, how many experts cross the capacity line
 * and what is dropped, and the busiest experts with their load before the limit, kept and dropped pairs.
 */
export function expertLoadSummary(facts: ExpertLoadFacts): { summary: string; tables: ChartTable[] } {
  const { preDrop, kept, capacityLine, capacityLabel, meanLoad } = facts;
  const experts = preDrop.length;
  const perDevice =
    facts.expertsPerDevice && facts.expertsPerDevice < experts ? facts.expertsPerDevice : undefined;
  let droppedTotal = 0;
  let addedTotal = 0;
  let overCapacity = 0;
  for (let expert = 0; expert < experts; expert += 1) {
    const difference = (preDrop[expert] ?? 0) - (kept[expert] ?? 0);
    if (difference > 0) droppedTotal += difference;
    else addedTotal -= difference;
    if (capacityLine > 0 && (preDrop[expert] ?? 0) > capacityLine) overCapacity += 1;
  }
  const busiest = Array.from({ length: experts }, (_, expert) => expert)
    .sort((a, b) => (preDrop[b] ?? 0) - (preDrop[a] ?? 0) || a - b)
    .slice(0, BUSIEST_EXPERTS_LISTED);
  const top = busiest[0] ?? 0;
  const parts = [`Mean N̄ = ${pairs(meanLoad)} per expert.`];
  parts.push(
    `Busiest: expert ${top} with ${pairs(preDrop[top] ?? 0)} before the limit (${timesMean(preDrop[top] ?? 0, meanLoad)}).`,
  );
  if (capacityLine > 0) {
    parts.push(
      `${overCapacity} of ${experts} experts are above the capacity line ${capacityLabel} = ${pairs(capacityLine)}; ${pairs(droppedTotal)} dropped in all.`,
    );
  } else {
    parts.push('No capacity limit, so nothing is dropped.');
  }
  if (perDevice && capacityLine > 0) {
    const devices = Math.floor(experts / perDevice);
    let devicesOver = 0;
    for (let device = 0; device < devices; device += 1) {
      let total = 0;
      for (let expert = device * perDevice; expert < (device + 1) * perDevice; expert += 1)
        total += preDrop[expert] ?? 0;
      if (total / perDevice > capacityLine) devicesOver += 1;
    }
    parts.push(
      `The limit caps each GPU’s ${perDevice} experts together: ${devicesOver} of ${devices} GPUs ${devicesOver === 1 ? 'has' : 'have'} a mean load per expert above the line.`,
    );
  }
  if (addedTotal > 0) parts.push(`Expanded Drop adds ${pairs(addedTotal)}.`);
  const columns = ['Expert', ...(perDevice ? ['GPU'] : []), 'Before the limit', 'Computed', 'Dropped'];
  if (addedTotal > 0) columns.push('Added');
  const rows = busiest.map((expert) => {
    const pre = preDrop[expert] ?? 0;
    const computed = kept[expert] ?? 0;
    return [
      String(expert),
      ...(perDevice ? [String(Math.floor(expert / perDevice))] : []),
      `${pairs(pre)} (${timesMean(pre, meanLoad)})`,
      pairs(computed),
      pairs(Math.max(0, pre - computed)),
      ...(addedTotal > 0 ? [pairs(Math.max(0, computed - pre))] : []),
    ];
  });
  return {
    summary: parts.join(' '),
    tables: [
      {
        caption:
          experts > BUSIEST_EXPERTS_LISTED
            ? `The ${BUSIEST_EXPERTS_LISTED} busiest of ${experts} experts`
            : `All ${experts} experts, busiest first`,
        columns,
        rows,
      },
    ],
  };
}
