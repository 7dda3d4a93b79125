import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkpointMetrics } from '../../src/core/checkpoint/metrics';
import type { Metric } from '../../src/core/metric';
import {
  METRICS_CSV_COLUMNS,
  csvField,
  metricsCsv,
  metricsDocument,
  metricsFileName,
  metricsJson,
} from '../../src/core/metricsExport';
import { defaultScenario } from '../../src/core/scenario/defaults';
import { parseCsv } from './support/csv';

const METRIC: Metric = {
  id: 'routing.example',
  label: 'Dropped tokens, "DT"',
  value: 0.123456789012345,
  unit: 'fraction',
  formula: 'DT = Σ max(0, load − C),\nover experts',
  inputs: [
    { symbol: 't', label: 'tokens', value: 4096, unit: 'tokens' },
    { symbol: 'γ', label: 'capacity factor', value: 1.25, unit: '' },
    { symbol: 'TP', label: 'tensor-parallel degree', value: 1, unit: 'GPUs' },
  ],
  source: 'Capacity-Aware Inference, Eq. 6',
  note: 'An estimate',
  flag: 'above the threshold',
};

describe('csvField (RFC 4180 §2)', () => {
  it('leaves plain text alone and quotes commas, quotes, CR and LF, doubling the quotes', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('')).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
  });
});

describe('metricsCsv', () => {
  const csv = metricsCsv([METRIC], 'v=1&ep=8&lab=routing');

  it('has the header, CRLF line ends and one row per metric', () => {
    expect(csv.startsWith('id,label,value,unit,formula,source,note,flag,shown,inputs,link\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parseCsv(csv)).toHaveLength(2);
  });

  it('writes the value at full precision and the inputs and link in their own cells', () => {
    const [header, row] = parseCsv(csv);
    const cells = Object.fromEntries((header ?? []).map((name, index) => [name, row?.[index]]));
    expect(cells).toEqual({
      id: 'routing.example',
      label: 'Dropped tokens, "DT"',
      value: '0.123456789012345',
      unit: 'fraction',
      formula: 'DT = Σ max(0, load − C),\nover experts',
      source: 'Capacity-Aware Inference, Eq. 6',
      note: 'An estimate',
      flag: 'above the threshold',
      shown: '',
      inputs: 't = 4096 tokens; γ = 1.25; TP = 1 GPU',
      link: '#v=1&ep=8&lab=routing',
    });
  });

  it('leaves a value that is not a finite number empty, never "NaN"', () => {
    const [, row] = parseCsv(metricsCsv([{ ...METRIC, value: Number.NaN }], 'v=1'));
    expect(row?.[2]).toBe('');
  });

  it('round-trips any text and any finite value', () => {
    const text = fc.string({ unit: 'binary', maxLength: 30 });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: text,
            label: text,
            value: fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => value + 0),
            formula: text,
            source: text,
          }),
          { maxLength: 6 },
        ),
        text,
        (drawn, link) => {
          const metrics: Metric[] = drawn.map((each) => ({ ...each, unit: 's', inputs: [] }));
          const records = parseCsv(metricsCsv(metrics, link));
          expect(records[0]).toEqual([...METRICS_CSV_COLUMNS]);
          expect(
            records.slice(1).map((row) => [row[0], row[1], Number(row[2]), row[4], row[5], row[10]]),
          ).toEqual(
            metrics.map((metric) => [
              metric.id,
              metric.label,
              metric.value,
              metric.formula,
              metric.source,
              `#${link}`,
            ]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('metricsJson', () => {
  it('holds every field of each metric, inputs included, and the link it came from', () => {
    const document = JSON.parse(metricsJson([METRIC], 'Routing', 'v=1&lab=routing')) as unknown;
    expect(document).toEqual({
      source: 'MoE Lab',
      lab: 'Routing',
      link: '#v=1&lab=routing',
      metrics: [METRIC],
    });
  });

  it('writes null where a value is not finite, and round-trips real figures exactly', () => {
    const metrics = checkpointMetrics(defaultScenario());
    expect(metrics.length).toBeGreaterThan(5);
    expect(JSON.parse(metricsJson(metrics, 'Checkpointing', 'v=1'))).toEqual(
      metricsDocument(metrics, 'Checkpointing', 'v=1'),
    );
    const parsed = JSON.parse(
      metricsJson([{ ...METRIC, value: Number.POSITIVE_INFINITY }], 'Routing', 'v=1'),
    ) as {
      metrics: { value: unknown }[];
    };
    expect(parsed.metrics[0]?.value).toBeNull();
    // The document keeps the figures exactly as computed: every value and every input.
    const document = metricsDocument(metrics, 'Checkpointing', 'v=1');
    document.metrics.forEach((exported, index) => {
      expect(exported.value).toBe(metrics[index]?.value);
      expect(exported.inputs.map((input) => input.value)).toEqual(
        metrics[index]?.inputs.map((input) => input.value),
      );
    });
  });

  it('names the files after the lab', () => {
    expect(metricsFileName('routing', 'csv')).toBe('moe-lab-routing-metrics.csv');
    expect(metricsFileName('checkpointing', 'json')).toBe('moe-lab-checkpointing-metrics.json');
  });
});
