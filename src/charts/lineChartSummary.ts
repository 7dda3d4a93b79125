import type { ChartTable } from './ChartData';
import type { LineSeries, ReferenceLine, XEvents } from './LineChart';

/** Rows per series in the table: a curve's shape, or a step series' first steps. */
export const POINTS_LISTED = 8;

interface LineFacts {
  series: readonly LineSeries[];
  xLabel: string;
  /** x's name in a sentence ("iteration 1,200"). */
  xName: string;
  yLabel: string;
  formatX: (value: number) => string;
  formatY: (value: number) => string;
  references: readonly ReferenceLine[];
  marks: readonly { x: number; y: number; label: string }[];
  xEvents?: XEvents;
}

/** Up to `count` of the points, evenly spread, the first and last always among them. */
function spread<T>(points: readonly T[], count: number): T[] {
  if (points.length <= count) return [...points];
  return Array.from(
    { length: count },
    (_, index) => points[Math.round((index * (points.length - 1)) / (count - 1))] as T,
  );
}

/**
 * What a line chart shows, in words and a short table per series: where each series starts, ends and peaks, the
 * marked points, every event on the x axis and the reference lines, and a few points. A step series (a quantity that
 * jumps at events, such as PLT at faults) lists its first steps, the points where it changes, rather than evenly
 * spread ones.
 */
export function lineChartSummary(facts: LineFacts): { summary: string; tables: ChartTable[] } {
  const { xLabel, xName, yLabel, formatX, formatY } = facts;
  const at = (point: { x: number; y: number }) => `${formatY(point.y)} at ${xName} ${formatX(point.x)}`;
  const parts: string[] = [];
  const tables: ChartTable[] = [];
  for (const series of facts.series) {
    const points = series.points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y));
    const first = points[0];
    const last = points.at(-1);
    if (!first || !last) continue;
    const peak = points.reduce((best, point) => (point.y > best.y ? point : best), first);
    const steps = series.steps
      ? points.filter((point, index) => index > 0 && point.y !== points[index - 1]?.y)
      : [];
    parts.push(
      series.steps
        ? `${series.label} changes ${steps.length} time${steps.length === 1 ? '' : 's'}, from ${at(first)} to ${at(last)}.`
        : `${series.label} goes from ${at(first)} to ${at(last)}${peak !== first && peak !== last ? `, peaking at ${at(peak)}` : ''}.`,
    );
    const rows = series.steps ? steps.slice(0, POINTS_LISTED) : spread(points, POINTS_LISTED);
    tables.push({
      caption: series.steps
        ? `${series.label}: ${steps.length > rows.length ? `the first ${rows.length} of ${steps.length} changes` : 'every change'}`
        : `${series.label}: ${rows.length < points.length ? `${rows.length} of ${points.length} points` : 'every point'}`,
      columns: [xLabel, yLabel],
      rows: rows.map((point) => [formatX(point.x), formatY(point.y)]),
    });
  }
  for (const mark of facts.marks) parts.push(`Marked: ${mark.label}, ${at(mark)}.`);
  if (facts.xEvents) {
    const { name, column, items } = facts.xEvents;
    const said = items.map((event) => `${event.description ?? event.label} at ${xName} ${formatX(event.x)}`);
    parts.push(`${name}: ${said.length > 0 ? said.join('; ') : 'none'}.`);
    // Every event: callers mark few (dynamic K doubles K, and K_persist, at most log₂ N times each).
    tables.push({
      caption: name,
      columns: [xLabel, column],
      rows: items.map((event) => [formatX(event.x), event.description ?? event.label]),
    });
  }
  for (const reference of facts.references)
    parts.push(
      `Reference line: ${reference.label}${reference.axis === 'y' ? '' : ` at ${xName} ${formatX(reference.value)}`}.`,
    );
  return { summary: parts.join(' '), tables };
}
