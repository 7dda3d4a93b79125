import { applyEntries, encodeFragment, type LinkView } from '../core';
import type { Metric } from '../core/metric';
import { csvField } from '../core/metricsExport';
import type { Scenario, ValidationMessage } from '../core/scenario/types';
import { scenarioFigures } from './scenarioFigures';

/**
 * Sweeps from the command line (product.md: "script sweeps from the command line"): one or two settings over a list
 * of values, every point computed as `npm run sim` computes one scenario, printed as one CSV row (or JSON object) per
 * point with the link that reopens it.
 */

/** One swept setting: a share-link key and the values it takes, as they would be typed after `--set key=`. */
export interface SweepAxis {
  key: string;
  values: string[];
}

/** Enough for a 2-D grid of 20 × 20; a DeepSeek-V3 point takes about a second, so more is a job for a script. */
export const MAX_SWEEP_POINTS = 400;

/** The values of `start:stop:step`, stop included when the steps land on it (to 1e-9 of a step). */
function rangeValues(start: number, stop: number, step: number): string[] | string {
  if (step === 0 || Math.sign(stop - start) * Math.sign(step) < 0)
    return `the step ${step} never goes from ${start} to ${stop}`;
  const count = Math.floor((stop - start) / step + 1e-9) + 1;
  if (count > MAX_SWEEP_POINTS) return `${count} values; at most ${MAX_SWEEP_POINTS}`;
  // toPrecision(12) drops the float residue of repeated steps: 0.1 × 3 prints 0.3, not 0.30000000000000004.
  return Array.from({ length: count }, (_, index) => String(Number((start + index * step).toPrecision(12))));
}

/**
 * `key=v1,v2,…` (any values the key accepts, names included) or `key=start:stop:step` (numbers). Returns the axis,
 * or what is wrong with the text.
 */
export function parseSweepAxis(spec: string): SweepAxis | string {
  const at = spec.indexOf('=');
  if (at <= 0) return `--sweep needs key=v1,v2,… or key=start:stop:step, got "${spec}".`;
  const key = spec.slice(0, at);
  const text = spec.slice(at + 1);
  const range = text.split(':');
  if (range.length === 3) {
    const [start, stop, step] = range.map((part) => (part.trim() === '' ? NaN : Number(part)));
    if (![start, stop, step].every((value) => Number.isFinite(value)))
      return `--sweep ${key}: "${text}" is not start:stop:step with three numbers.`;
    const values = rangeValues(start!, stop!, step!);
    return typeof values === 'string' ? `--sweep ${key}: ${values}.` : { key, values };
  }
  const values = text.split(',').map((value) => value.trim());
  if (values.some((value) => value === ''))
    return `--sweep ${key}: "${text}" has an empty value; give v1,v2,… or start:stop:step.`;
  return { key, values };
}

/** One point of the sweep: the values it set, the scenario they gave, and its figures. */
export interface SweepPoint {
  settings: [string, string][];
  /** The share-link fragment (without '#') that reopens this point. */
  fragment: string;
  /** What the validator changed (a clamp, a combination it fixed): the point ran with the changed value. */
  messages: ValidationMessage[];
  metrics: Metric[];
}

/** Every combination of the axes' values, the first axis outermost. */
function combinations(axes: readonly SweepAxis[]): [string, string][][] {
  let partial: [string, string][][] = [[]];
  for (const axis of axes)
    partial = partial.flatMap((prefix) =>
      axis.values.map((value): [string, string][] => [...prefix, [axis.key, value]]),
    );
  return partial;
}

export function sweepSize(axes: readonly SweepAxis[]): number {
  return axes.reduce((size, axis) => size * axis.values.length, 1);
}

/**
 * Each combination applied on top of `base`, as `--set` would, and computed. Returns the first point's unreadable
 * value instead (an unknown key, a value the key cannot take), so nothing is printed for a half-valid sweep.
 */
export function runSweep(
  base: Scenario,
  axes: readonly SweepAxis[],
  allLayers: boolean,
  view: LinkView,
): { points: SweepPoint[] } | { unreadable: ValidationMessage[] } {
  const points: SweepPoint[] = [];
  for (const settings of combinations(axes)) {
    const { scenario, messages } = applyEntries(base, settings);
    const unreadable = messages.filter(
      (message) => message.kind === 'unknown-key' || message.kind === 'invalid',
    );
    if (unreadable.length > 0) return { unreadable };
    const { metrics } = scenarioFigures(scenario, allLayers);
    points.push({ settings, fragment: encodeFragment(scenario, view), messages, metrics });
  }
  return { points };
}

/** The metric ids the table has: those asked for, or every id the points produced, in first-seen order. */
export function sweepColumns(points: readonly SweepPoint[], wanted: readonly string[] | undefined): string[] {
  if (wanted) return [...wanted];
  const seen = new Set<string>();
  for (const point of points) for (const metric of point.metrics) seen.add(metric.id);
  return [...seen];
}

/** A cell: the value at full precision, or the words shown instead of one ("not estimated"), never a stand-in 0. */
const valueText = (metric: Metric | undefined): string =>
  metric?.shown ?? (metric && Number.isFinite(metric.value) ? String(metric.value) : '');

/**
 * The sweep as CSV (RFC 4180, CRLF): the swept keys, one column per metric id at full precision in the metric's own
 * unit (as the metrics export writes it), the flags raised, the validator's notes, and the point's link.
 */
export function sweepCsv(
  axes: readonly SweepAxis[],
  points: readonly SweepPoint[],
  columns: readonly string[],
) {
  const header = [...axes.map((axis) => axis.key), ...columns, 'flags', 'notes', 'link'];
  const rows = points.map((point) => {
    const byId = new Map(point.metrics.map((metric) => [metric.id, metric]));
    const flags = point.metrics
      .filter((metric) => metric.flag !== undefined && columns.includes(metric.id))
      .map((metric) => `${metric.id}: ${metric.flag}`);
    return [
      ...point.settings.map(([, value]) => value),
      ...columns.map((id) => valueText(byId.get(id))),
      flags.join('; '),
      point.messages.map((message) => message.message).join('; '),
      `#${point.fragment}`,
    ];
  });
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/** The sweep as JSON: the axes, each column's unit, and per point its settings, link, notes and values. */
export function sweepJson(
  axes: readonly SweepAxis[],
  points: readonly SweepPoint[],
  columns: readonly string[],
) {
  const units: Record<string, string> = {};
  for (const point of points)
    for (const metric of point.metrics) if (columns.includes(metric.id)) units[metric.id] ??= metric.unit;
  const document = {
    sweep: axes,
    units,
    points: points.map((point) => {
      const byId = new Map(point.metrics.map((metric) => [metric.id, metric]));
      return {
        settings: Object.fromEntries(point.settings),
        link: `#${point.fragment}`,
        notes: point.messages.map((message) => message.message),
        values: Object.fromEntries(
          columns.map((id) => {
            const metric = byId.get(id);
            const value = metric?.shown === undefined ? metric?.value : undefined;
            return [id, value !== undefined && Number.isFinite(value) ? value : null];
          }),
        ),
        flags: Object.fromEntries(
          point.metrics
            .filter((metric) => metric.flag !== undefined && columns.includes(metric.id))
            .map((metric) => [metric.id, metric.flag]),
        ),
        // The words a figure-less metric shows instead of a value (its value is null above).
        shown: Object.fromEntries(
          point.metrics
            .filter((metric) => metric.shown !== undefined && columns.includes(metric.id))
            .map((metric) => [metric.id, metric.shown]),
        ),
      };
    }),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
