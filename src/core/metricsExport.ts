import { unitForCount } from './format';
import type { Metric, MetricInput } from './metric';

/**
 * A lab's figures as files: CSV for a spreadsheet, JSON for a script. Values are written at full precision (the
 * shortest text that reads back as the same number), never the display's three significant figures, and every
 * export names the share link that reproduces it.
 */

/** The CSV's columns: the first six are the figure itself; `link` repeats on each row so any row says its origin. */
export const METRICS_CSV_COLUMNS = [
  'id',
  'label',
  'value',
  'unit',
  'formula',
  'source',
  'note',
  'flag',
  'shown',
  'inputs',
  'link',
] as const;

/** A number as the shortest text that parses back to it; empty for NaN or ±Infinity, which have no CSV form. */
function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

/**
 * One CSV field (RFC 4180 §2): quoted when it holds a comma, a double quote, a CR or an LF, with each double quote
 * doubled inside the quotes; as it is otherwise.
 */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The inputs in one cell, as the working shows them: "t = 4096 tokens; k = 2". */
function inputsText(inputs: readonly MetricInput[]): string {
  return inputs
    .map(
      (input) =>
        `${input.symbol} = ${numberText(input.value)}${input.unit ? ` ${unitForCount(input.value, input.unit)}` : ''}`,
    )
    .join('; ');
}

/**
 * The metrics as CSV (RFC 4180: a header row, CRLF line ends, quoted fields where needed), one row per metric.
 * `link` is the share-link fragment (what follows '#') that reproduces them.
 */
export function metricsCsv(metrics: readonly Metric[], link: string): string {
  const rows = metrics.map((metric) =>
    [
      metric.id,
      metric.label,
      numberText(metric.value),
      metric.unit,
      metric.formula,
      metric.source,
      metric.note ?? '',
      metric.flag ?? '',
      metric.shown ?? '',
      inputsText(metric.inputs),
      `#${link}`,
    ]
      .map(csvField)
      .join(','),
  );
  return [METRICS_CSV_COLUMNS.join(','), ...rows].map((row) => `${row}\r\n`).join('');
}

/** One metric in the JSON export: every field of the show-your-work card, in a fixed order. */
export interface ExportedMetric {
  id: string;
  label: string;
  /** Null where the value is not a finite number (JSON has no NaN or Infinity). */
  value: number | null;
  unit: string;
  formula: string;
  inputs: { symbol: string; label: string; value: number | null; unit: string }[];
  source: string;
  note?: string;
  flag?: string;
  shown?: string;
}

/** The JSON export: where the figures came from, then the figures. */
export interface MetricsDocument {
  source: 'MoE Lab';
  /** The lab the figures are from, as its tab names it. */
  lab: string;
  /** The share link's fragment, with its '#': open it in MoE Lab to see these figures. */
  link: string;
  metrics: ExportedMetric[];
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

function exportedMetric(metric: Metric): ExportedMetric {
  return {
    id: metric.id,
    label: metric.label,
    value: finiteOrNull(metric.value),
    unit: metric.unit,
    formula: metric.formula,
    inputs: metric.inputs.map((input) => ({
      symbol: input.symbol,
      label: input.label,
      value: finiteOrNull(input.value),
      unit: input.unit,
    })),
    source: metric.source,
    ...(metric.note !== undefined ? { note: metric.note } : {}),
    ...(metric.flag !== undefined ? { flag: metric.flag } : {}),
    ...(metric.shown !== undefined ? { shown: metric.shown } : {}),
  };
}

export function metricsDocument(metrics: readonly Metric[], lab: string, link: string): MetricsDocument {
  return { source: 'MoE Lab', lab, link: `#${link}`, metrics: metrics.map(exportedMetric) };
}

/** The JSON export's text, indented for reading, with a final newline. */
export function metricsJson(metrics: readonly Metric[], lab: string, link: string): string {
  return `${JSON.stringify(metricsDocument(metrics, lab, link), null, 2)}\n`;
}

/** The download's name: moe-lab-routing-metrics.csv. */
export function metricsFileName(labId: string, format: 'csv' | 'json'): string {
  return `moe-lab-${labId}-metrics.${format}`;
}
