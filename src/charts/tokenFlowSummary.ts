import { formatInput, formatValue } from '../core/format';
import type { ChartTable } from './ChartData';

/** Flows listed in the table: the busiest device→expert pairs. */
export const BUSIEST_FLOWS_LISTED = 8;

const pairs = (value: number) => formatInput(value, 'pairs');

/**
 * What the token flow shows, in words and a short table: the pairs routed and dropped, and the busiest
 * device→expert flows with what the capacity gate let through.
 */
export function tokenFlowSummary(
  preDropFlow: Int32Array,
  keptFlow: Int32Array,
  devices: number,
  experts: number,
): { summary: string; tables: ChartTable[] } {
  let routed = 0;
  let dropped = 0;
  const flows: number[] = [];
  for (let index = 0; index < devices * experts; index += 1) {
    const flow = preDropFlow[index] ?? 0;
    routed += flow;
    dropped += Math.max(0, flow - (keptFlow[index] ?? 0));
    if (flow > 0) flows.push(index);
  }
  flows.sort((a, b) => (preDropFlow[b] ?? 0) - (preDropFlow[a] ?? 0) || a - b);
  const busiest = flows.slice(0, BUSIEST_FLOWS_LISTED);
  const meanFlow = routed / Math.max(1, devices * experts);
  const top = busiest[0];
  const parts = [
    `${pairs(routed)} from ${devices} device${devices === 1 ? '' : 's'} to ${experts} experts, ${pairs(dropped)} of them dropped at the capacity gate (${formatValue(routed > 0 ? dropped / routed : 0, 'fraction')}).`,
  ];
  if (top !== undefined)
    parts.push(
      `Busiest flow: device ${Math.floor(top / experts)} to expert ${top % experts}, ${pairs(preDropFlow[top] ?? 0)}, against a mean of ${formatValue(meanFlow, '')} per flow.`,
    );
  return {
    summary: parts.join(' '),
    tables: [
      {
        caption:
          flows.length > busiest.length
            ? `The ${busiest.length} busiest of ${flows.length} device→expert flows`
            : `All ${flows.length} device→expert flows, busiest first`,
        columns: ['Flow', 'Pairs routed', 'Computed', 'Dropped at the gate'],
        rows: busiest.map((index) => {
          const flow = preDropFlow[index] ?? 0;
          const kept = Math.min(flow, keptFlow[index] ?? 0);
          return [
            `device ${Math.floor(index / experts)} → expert ${index % experts}`,
            pairs(flow),
            pairs(kept),
            pairs(flow - kept),
          ];
        }),
      },
    ],
  };
}
