import { describe, expect, it } from 'vitest';
import { runSim } from '../../src/cli/runSim';
import { MAX_SWEEP_POINTS, parseSweepAxis } from '../../src/cli/sweep';
import type { Metric } from '../../src/core/metric';

/** RFC 4180 rows, enough for these files: quoted fields may hold commas and doubled quotes. */
function parseCsv(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((line) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let index = 0; index < line.length; index += 1) {
        const char = line[index]!;
        if (quoted && char === '"' && line[index + 1] === '"') {
          cell += '"';
          index += 1;
        } else if (char === '"') quoted = !quoted;
        else if (char === ',' && !quoted) {
          cells.push(cell);
          cell = '';
        } else cell += char;
      }
      cells.push(cell);
      return cells;
    });
}

function singleRun(args: string[]): Map<string, Metric> {
  const result = runSim([...args, '--json']);
  expect(result.exitCode).toBe(0);
  const document = JSON.parse(result.stdout) as { metrics: Metric[]; fragment: string };
  return new Map(document.metrics.map((metric) => [metric.id, metric]));
}

describe('parseSweepAxis', () => {
  it('reads a list of values as typed, names included', () => {
    expect(parseSweepAxis('routing.dropPolicy=order,score')).toEqual({
      key: 'routing.dropPolicy',
      values: ['order', 'score'],
    });
  });

  it('reads start:stop:step with the stop included and no floating-point residue', () => {
    expect(parseSweepAxis('routing.capacityFactor=0.1:0.5:0.1')).toEqual({
      key: 'routing.capacityFactor',
      values: ['0.1', '0.2', '0.3', '0.4', '0.5'],
    });
    expect(parseSweepAxis('ep=8:2:-2')).toEqual({ key: 'ep', values: ['8', '6', '4', '2'] });
    expect(parseSweepAxis('batch=1:10:4')).toEqual({ key: 'batch', values: ['1', '5', '9'] });
  });

  it('says what is wrong with text it cannot read', () => {
    expect(parseSweepAxis('ep')).toMatch(/key=v1,v2/);
    expect(parseSweepAxis('=1,2')).toMatch(/key=v1,v2/);
    expect(parseSweepAxis('ep=1,,2')).toMatch(/empty value/);
    expect(parseSweepAxis('ep=1:a:1')).toMatch(/three numbers/);
    expect(parseSweepAxis('ep=1:8:0')).toMatch(/never goes/);
    expect(parseSweepAxis('ep=8:1:1')).toMatch(/never goes/);
    expect(parseSweepAxis(`seed=1:${MAX_SWEEP_POINTS + 1}:1`)).toMatch(/at most/);
  });
});

describe('npm run sim -- --sweep', () => {
  it('prints one CSV row per value, each equal to that value run on its own, with the link that reopens it', () => {
    const metrics = ['routing.droppedFraction', 'checkpoint.optimalInterval'];
    const result = runSim(['--sweep', 'routing.capacityFactor=1,1.5,2', '--metrics', metrics.join(',')]);
    expect(result.exitCode).toBe(0);
    const [header, ...rows] = parseCsv(result.stdout);
    expect(header).toEqual(['routing.capacityFactor', ...metrics, 'flags', 'notes', 'link']);
    expect(rows.map((row) => row[0])).toEqual(['1', '1.5', '2']);
    for (const row of rows) {
      const alone = singleRun(['--set', `routing.capacityFactor=${row[0]}`]);
      metrics.forEach((id, column) => expect(Number(row[column + 1])).toBe(alone.get(id)?.value));
      const reopened = singleRun(['--hash', row.at(-1)!.slice(1)]);
      metrics.forEach((id, column) => expect(Number(row[column + 1])).toBe(reopened.get(id)?.value));
    }
    // Dropping falls as the capacity factor rises: the sweep is not one scenario printed three times.
    const dropped = rows.map((row) => Number(row[1]));
    expect(dropped[0]).toBeGreaterThan(dropped[2]!);
  });

  it('makes a grid from two sweeps, the first key outermost', () => {
    const result = runSim([
      '--sweep',
      'checkpoint.intervalIterations=10,100',
      '--sweep',
      'checkpoint.pec=false,true',
      '--metrics',
      'checkpoint.optimalInterval',
    ]);
    const rows = parseCsv(result.stdout).slice(1);
    expect(rows.map((row) => row.slice(0, 2))).toEqual([
      ['10', 'false'],
      ['10', 'true'],
      ['100', 'false'],
      ['100', 'true'],
    ]);
  });

  it('notes a value the validator changed, and the link holds the value that ran', () => {
    const rows = parseCsv(runSim(['--sweep', 'ep=3,8', '--metrics', 'expertsPerGpu']).stdout).slice(1);
    expect(rows[0]![3]).toContain('does not divide');
    expect(rows[0]![4]).toContain('ep=2');
    expect(rows[1]![3]).toBe('');
  });

  it('gives JSON with units, settings, links and values', () => {
    const result = runSim([
      '--sweep',
      'routing.capacityFactor=1,2',
      '--metrics',
      'routing.droppedFraction',
      '--json',
    ]);
    const document = JSON.parse(result.stdout) as {
      units: Record<string, string>;
      points: { settings: Record<string, string>; link: string; values: Record<string, number> }[];
    };
    expect(document.units).toEqual({ 'routing.droppedFraction': 'fraction' });
    expect(document.points).toHaveLength(2);
    expect(document.points[1]!.settings).toEqual({ 'routing.capacityFactor': '2' });
    expect(document.points[1]!.link).toContain('routing.capacityFactor=2');
    expect(Number.isFinite(document.points[0]!.values['routing.droppedFraction'])).toBe(true);
  });

  it('writes "not estimated" where a metric has no figure, never a stand-in 0 (CSV and JSON)', () => {
    // Training: the accuracy-cost estimate is calibrated on inference only; prefill gives a figure.
    const args = [
      '--preset',
      'olmoe-1b-7b',
      '--sweep',
      'mode=training,prefill',
      '--metrics',
      'routing.qualityCost',
    ];
    const rows = parseCsv(runSim(args).stdout);
    expect(rows[1]!.slice(0, 2)).toEqual(['training', 'not estimated']);
    expect(Number(rows[2]![1])).toBeGreaterThan(0);
    const document = JSON.parse(runSim([...args, '--json']).stdout) as {
      points: { values: Record<string, number | null>; shown: Record<string, string> }[];
    };
    expect(document.points[0]!.values['routing.qualityCost']).toBeNull();
    expect(document.points[0]!.shown).toEqual({ 'routing.qualityCost': 'not estimated' });
    expect(document.points[1]!.shown).toEqual({});
  });

  it('refuses what it cannot do, saying why, before computing anything', () => {
    const cases: [string[], RegExp][] = [
      [['--sweep', 'nosuchkey=1,2'], /not a setting/],
      [['--sweep', 'ep=1,x'], /not a number/],
      [['--sweep', 'ep=1,2', '--trace', 'out.json'], /--trace writes one run/],
      [['--sweep', 'ep=1,2', '--sweep', 'ep=4,8'], /given twice/],
      [['--sweep', 'ep=1,2', '--sweep', 'dp=1,2', '--sweep', 'tp=1,2'], /At most two/],
      [['--sweep', 'seed=1:300:1', '--sweep', 'ep=1,2'], /600 runs; at most 400/],
      [['--metrics', 'nope'], /Unknown metric "nope"/],
      [['--metrics', 'a,,b'], /separated by commas/],
    ];
    for (const [args, message] of cases) {
      const result = runSim(args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
    }
  });
});

describe('npm run sim -- --metrics', () => {
  it('prints only the metrics asked for, in the table and in JSON', () => {
    const json = JSON.parse(
      runSim(['--metrics', 'totalParams,checkpoint.overheadFraction', '--json']).stdout,
    ) as { metrics: Metric[] };
    expect(json.metrics.map((metric) => metric.id)).toEqual(['totalParams', 'checkpoint.overheadFraction']);
    const table = runSim(['--metrics', 'totalParams']).stdout;
    expect(table).toContain('Total parameters');
    expect(table).not.toContain('Active parameters');
  });
});
