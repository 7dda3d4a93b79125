import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findModelPreset } from '../../../src/core/catalog/models';
import { countParameters } from '../../../src/core/model/params';
import {
  LOAD_MATRIX_LIMITS,
  parseLoadMatrix,
  type LoadMatrixResult,
} from '../../../src/core/routing/loadMatrix';
import { customPopularity } from '../../../src/core/routing/popularity';
import { OLMOE_PEAK_LOAD } from '../../../src/core/routing/measuredProfile';
import { routeStep } from '../../../src/core/routing/routeStep';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { applyEntries } from '../../../src/core/scenario/validate';

/** A copy of /work/shared/data/olmoe-layer-peak-load.json (prettier-formatted), so the tests need no outside file. */
const FIXTURE_PATH = path.resolve('test', 'fixtures', 'olmoe-layer-peak-load.json');
const SHARED_PATH = path.resolve('..', 'shared', 'data', 'olmoe-layer-peak-load.json');
const OLMOE_TEXT = readFileSync(FIXTURE_PATH, 'utf8');
const OLMOE = JSON.parse(OLMOE_TEXT) as { experts: number; normalisedPeakLoad: number[] };

const EIGHT = { experts: 8, moeLayers: 4 };

function ok(result: LoadMatrixResult): { matrix: number[][]; notes: string[] } {
  if (!result.ok) throw new Error(`expected success, got: ${result.error}`);
  return result;
}

function error(result: LoadMatrixResult): string {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.matrix)}`);
  return result.error;
}

function csv(rows: readonly (readonly (number | string)[])[], separator = ','): string {
  return rows.map((row) => row.join(separator)).join('\n');
}

function row(
  values: number,
  fill: (index: number) => number | string = (index) => index + 1,
): (number | string)[] {
  return Array.from({ length: values }, (_, index) => fill(index));
}

/** What every accepted matrix must satisfy for routeStep's custom profile to use it. */
function expectUsable(matrix: number[][], experts: number, moeLayers: number): void {
  expect(matrix.length).toBeGreaterThanOrEqual(1);
  expect(matrix.length).toBeLessThanOrEqual(moeLayers);
  for (const values of matrix) {
    expect(values).toHaveLength(experts);
    for (const value of values) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
    }
    const total = values.reduce((sum, value) => sum + value, 0);
    expect(total).toBeGreaterThan(0);
    expect(Number.isFinite(total)).toBe(true);
  }
}

describe('parseLoadMatrix: CSV and TSV', () => {
  it('reads rows as layers and columns as experts', () => {
    const result = ok(
      parseLoadMatrix('1,2,3,4,5,6,7,8\n8,7,6,5,4,3,2,1\n1,1,1,1,1,1,1,1\n0,0,0,0,0,0,0,9', EIGHT),
    );
    expect(result.matrix).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [8, 7, 6, 5, 4, 3, 2, 1],
      [1, 1, 1, 1, 1, 1, 1, 1],
      [0, 0, 0, 0, 0, 0, 0, 9],
    ]);
    expect(result.notes).toEqual([]);
  });

  it('skips a header row of names and a first column of layer labels, and says so', () => {
    const text = csv([
      ['layer', ...row(8, (index) => `expert ${index}`)],
      ['L0', ...row(8)],
      ['L1', ...row(8, () => 2)],
    ]);
    const result = ok(parseLoadMatrix(text, { experts: 8, moeLayers: 2 }));
    expect(result.matrix).toEqual([row(8), row(8, () => 2)]);
    expect(result.notes).toEqual([
      'Skipped the header row (row 1).',
      'Skipped the first column (layer labels).',
    ]);
  });

  it('skips a numeric layer column when the header names it, or when it counts 0, 1, 2, … beside n experts', () => {
    const named = csv([
      ['layer', ...row(8, (index) => index)],
      [0, ...row(8)],
      [1, ...row(8)],
    ]);
    expect(ok(parseLoadMatrix(named, { experts: 8, moeLayers: 2 })).matrix).toEqual([row(8), row(8)]);
    const pandas = csv([
      ['', ...row(8, (index) => index)],
      [0, ...row(8)],
      [1, ...row(8)],
    ]);
    expect(ok(parseLoadMatrix(pandas, { experts: 8, moeLayers: 2 })).matrix).toEqual([row(8), row(8)]);
    const bare = csv([
      [0, ...row(8)],
      [1, ...row(8)],
      [2, ...row(8)],
    ]);
    const result = ok(parseLoadMatrix(bare, { experts: 8, moeLayers: 3 }));
    expect(result.matrix).toEqual([row(8), row(8), row(8)]);
    expect(result.notes).toContain('Read the first column as layer numbers and skipped it.');
  });

  it('skips a header of expert numbers 0, 1, 2, … above rows of loads', () => {
    const text = csv([row(8, (index) => index), row(8, () => 3), row(8, () => 4)]);
    expect(ok(parseLoadMatrix(text, { experts: 8, moeLayers: 2 })).matrix).toEqual([
      row(8, () => 3),
      row(8, () => 4),
    ]);
  });

  it('accepts ; (with decimal commas), tab and space separators, blank lines, # comments, CRLF and a BOM', () => {
    const semicolon = ok(
      parseLoadMatrix('1,5;2;3;4;5;6;7;8\r\n\r\n1;1;1;1;1;1;1;1', { experts: 8, moeLayers: 2 }),
    );
    expect(semicolon.matrix[0]?.[0]).toBe(1.5);
    expect(semicolon.notes).toContain('Read decimal commas (1,5 as 1.5).');
    expect(
      ok(parseLoadMatrix('\uFEFF# from my profiler\n1\t2\t3\t4\t5\t6\t7\t8\n', { experts: 8, moeLayers: 1 }))
        .matrix,
    ).toEqual([row(8)]);
    expect(ok(parseLoadMatrix('  1 2 3 4   5 6 7 8  ', { experts: 8, moeLayers: 1 })).matrix).toEqual([
      row(8),
    ]);
    expect(ok(parseLoadMatrix('1,2,3,4,5,6,7,8,\n', { experts: 8, moeLayers: 1 })).matrix).toEqual([row(8)]);
  });

  it('reads quoted cells, including labels that hold the separator', () => {
    const text = '"layer, id",a,b,c,d,e,f,g,h\n"first, layer","1",2,3,4,5,6,7,8';
    expect(ok(parseLoadMatrix(text, { experts: 8, moeLayers: 1 })).matrix).toEqual([row(8)]);
  });

  it('reads scientific notation and decimals', () => {
    expect(
      ok(parseLoadMatrix('1e3,2.5E-1,.5,3.,+4,0,0.0,1e0', { experts: 8, moeLayers: 1 })).matrix[0],
    ).toEqual([1000, 0.25, 0.5, 3, 4, 0, 0, 1]);
  });
});

describe('parseLoadMatrix: JSON', () => {
  it('reads a list of rows', () => {
    expect(ok(parseLoadMatrix(JSON.stringify([row(8), row(8, () => 1)]), EIGHT)).matrix).toEqual([
      row(8),
      row(8, () => 1),
    ]);
  });

  it('reads one flat list as one layer for all layers, with a note', () => {
    const result = ok(parseLoadMatrix(JSON.stringify(row(8)), { experts: 8, moeLayers: 32 }));
    expect(result.matrix).toEqual([row(8)]);
    expect(result.notes).toEqual(['One list of loads: used for all 32 MoE layers.']);
  });

  it.each(['loads', 'matrix', 'normalisedPeakLoad', 'layers'])('reads an object with a %s key', (key) => {
    const text = JSON.stringify({ model: 'mine', [key]: [row(8), row(8, () => 2)] });
    expect(ok(parseLoadMatrix(text, { experts: 8, moeLayers: 2 })).matrix).toEqual([row(8), row(8, () => 2)]);
  });

  it('reads layers given as objects with their own loads', () => {
    const text = JSON.stringify({ layers: [{ loads: row(8) }, { matrix: row(8, () => 5) }] });
    expect(ok(parseLoadMatrix(text, { experts: 8, moeLayers: 2 })).matrix).toEqual([row(8), row(8, () => 5)]);
  });

  it('picks the format from the file extension, and sniffs it without one', () => {
    const json = JSON.stringify([row(8)]);
    expect(ok(parseLoadMatrix(json, { experts: 8, moeLayers: 1 })).matrix).toEqual([row(8)]);
    expect(ok(parseLoadMatrix(json, { experts: 8, moeLayers: 1, fileName: 'loads.JSON' })).matrix).toEqual([
      row(8),
    ]);
    expect(ok(parseLoadMatrix(json, { experts: 8, moeLayers: 1, fileName: 'loads.txt' })).matrix).toEqual([
      row(8),
    ]);
    expect(error(parseLoadMatrix(json, { experts: 8, moeLayers: 1, fileName: 'loads.csv' }))).toMatch(
      /looks like JSON, but the file name ends in \.csv/,
    );
    expect(
      error(parseLoadMatrix('1,2,3,4,5,6,7,8', { experts: 8, moeLayers: 1, fileName: 'a.json' })),
    ).toMatch(/^'a\.json' is not valid JSON: /);
    expect(
      ok(parseLoadMatrix('1,2,3,4,5,6,7,8', { experts: 8, moeLayers: 1, fileName: 'a.tsv' })).matrix,
    ).toHaveLength(1);
  });
});

describe('parseLoadMatrix: the real OLMoE file', () => {
  it('reads the shared OLMoE peak-load file as one 64-expert layer used for all 16 OLMoE MoE layers', () => {
    const olmoe = findModelPreset('olmoe-1b-7b');
    if (!olmoe) throw new Error('OLMoE preset missing');
    const moeLayers = countParameters(olmoe.architecture).moeLayers;
    const result = ok(
      parseLoadMatrix(OLMOE_TEXT, {
        experts: olmoe.architecture.experts,
        moeLayers,
        fileName: 'olmoe-layer-peak-load.json',
      }),
    );
    expect(result.matrix).toEqual([OLMOE.normalisedPeakLoad]);
    expect(result.matrix[0]).toEqual([...OLMOE_PEAK_LOAD]);
    expect(result.notes).toEqual([`One list of loads: used for all ${moeLayers} MoE layers.`]);
    expectUsable(result.matrix, 64, moeLayers);
  });

  it('explains that the OLMoE file does not fit an 8-expert model', () => {
    const result = parseLoadMatrix(OLMOE_TEXT, { experts: 8, moeLayers: 32, fileName: 'olmoe.json' });
    expect(result).toEqual({
      ok: false,
      error:
        'The matrix has 64 columns but the model has 8 routed experts: pick a model with 64 experts or upload a matrix with 8 columns.',
      columns: 64,
    });
  });

  it.skipIf(!existsSync(SHARED_PATH))('reads the shared file itself exactly as the fixture copy', () => {
    const options = { experts: 64, moeLayers: 16, fileName: 'olmoe-layer-peak-load.json' };
    expect(parseLoadMatrix(readFileSync(SHARED_PATH, 'utf8'), options)).toEqual(
      parseLoadMatrix(OLMOE_TEXT, options),
    );
  });

  it('reads the same loads written as CSV with a header and layer labels', () => {
    const text = csv([
      ['layer', ...row(64, (index) => `e${index}`)],
      ['0', ...OLMOE.normalisedPeakLoad],
      ['1', ...[...OLMOE.normalisedPeakLoad].reverse()],
    ]);
    const result = ok(parseLoadMatrix(text, { experts: 64, moeLayers: 16, fileName: 'olmoe.csv' }));
    expect(result.matrix).toEqual([OLMOE.normalisedPeakLoad, [...OLMOE.normalisedPeakLoad].reverse()]);
  });

  it('drives routing: the hottest expert of the file is the most loaded expert when routed', () => {
    const base = applyEntries(defaultScenario(), [
      ['model', 'olmoe-1b-7b'],
      ['routing.profile', 'custom'],
      ['routing.noise', 0],
    ]).scenario;
    expect(base.routing.profile).toBe('custom');
    const { matrix } = ok(parseLoadMatrix(OLMOE_TEXT, { experts: 64, moeLayers: 16 }));
    const shares = customPopularity(matrix, 16);
    expect(shares).toHaveLength(16);
    for (const layer of shares) expect(layer.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    const step = routeStep(base, 0, { customLoads: matrix, layers: [0] });
    const load = [...(step.layers[0]?.preDropLoad ?? [])];
    const hottest = OLMOE.normalisedPeakLoad.indexOf(Math.max(...OLMOE.normalisedPeakLoad));
    expect(load.indexOf(Math.max(...load))).toBe(hottest);
  });
});

describe('parseLoadMatrix: refusals name the place', () => {
  it('refuses empty input', () => {
    expect(error(parseLoadMatrix('', EIGHT))).toMatch(/^The input is empty/);
    expect(error(parseLoadMatrix(' \n\t\n', EIGHT))).toMatch(/is empty/);
    expect(error(parseLoadMatrix('', { ...EIGHT, fileName: 'x.csv' }))).toMatch(/^'x\.csv' is empty/);
    expect(error(parseLoadMatrix('# only a comment\n', EIGHT))).toMatch(/no rows of numbers/);
  });

  it('says an image, a PDF or a spreadsheet is not a text file, instead of counting its "values"', () => {
    // How a browser's File.text() decodes the first bytes of each: PNG, PDF with a binary marker, and .xlsx (a zip).
    const png = new TextDecoder().decode(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]),
    );
    const pdf =
      '%PDF-1.7\n%\uFFFD\uFFFD\n1 0 obj\n<< /Length 5 /Filter /FlateDecode >>\nstream\nx\u0001\u0002';
    const xlsx = 'PK\u0003\u0004\u0014\u0000\u0006\u0000[Content_Types].xml';
    for (const [text, fileName] of [
      [png, 'loads.png'],
      [pdf, 'loads.pdf'],
      [xlsx, 'loads.xlsx'],
      [xlsx, 'loads.csv'],
    ] as const)
      expect(error(parseLoadMatrix(text, { ...EIGHT, fileName }))).toBe(
        `'${fileName}' is not a text file (it looks like an image, a PDF or a spreadsheet): save the loads as CSV, TSV or JSON, for instance with "Save as CSV" in a spreadsheet.`,
      );
    // Tabs, carriage returns and form feeds are text.
    expect(ok(parseLoadMatrix('1\t2\t3\t4\t5\t6\t7\t8\r\n\f', EIGHT)).matrix[0]).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });

  it('refuses unparseable JSON with a short reason', () => {
    const message = error(parseLoadMatrix('[[1,2,3,4,5,6,7,8],', EIGHT));
    expect(message).toMatch(/^The input is not valid JSON: \S/);
    // A sentence of its own: the panel goes on with "Nothing was changed."
    expect(message).toMatch(/[.…]$/);
    expect(message.length).toBeLessThan(160);
    expect(error(parseLoadMatrix(`{"loads": [${'1,'.repeat(100_000)}}`, EIGHT)).length).toBeLessThan(160);
  });

  it('refuses JSON that is not a matrix', () => {
    expect(error(parseLoadMatrix('{"weights": [[1]]}', EIGHT))).toBe(
      "The JSON object has no 'loads', 'matrix', 'normalisedPeakLoad' or 'layers' key holding the matrix (it has 'weights').",
    );
    expect(error(parseLoadMatrix('{"loads": 3}', EIGHT))).toMatch(
      /'loads' is the number '3', not a list of rows/,
    );
    expect(error(parseLoadMatrix('[]', EIGHT))).toMatch(/empty list/);
    expect(error(parseLoadMatrix('[[]]', EIGHT))).toBe('Row 1 is empty: it has no loads.');
    expect(error(parseLoadMatrix(`[${JSON.stringify(row(8))}, 3]`, EIGHT))).toMatch(
      /^Row 2 is the number '3'/,
    );
    expect(error(parseLoadMatrix('[[1,2,3,4,5,6,7,null]]', EIGHT))).toBe(
      'Row 1, column 8: null is not a number.',
    );
    expect(error(parseLoadMatrix('[[1,2,3,4,5,6,7,[8]]]', EIGHT))).toMatch(/^Row 1, column 8: a list/);
    expect(error(parseLoadMatrix('{"layers": [{"weights": [1]}]}', EIGHT))).toMatch(
      /^Layer 1 has no 'loads'/,
    );
  });

  it('refuses a non-numeric cell, naming its row and column', () => {
    const text = csv([row(8), row(8), row(8, (index) => (index === 4 ? 'abc' : 1))]);
    expect(error(parseLoadMatrix(text, EIGHT))).toBe("Row 3, column 5: 'abc' is not a number.");
    expect(error(parseLoadMatrix(JSON.stringify([row(8), row(8, (i) => (i ? 1 : 'x'))]), EIGHT))).toBe(
      "Row 2, column 1: 'x' is not a number.",
    );
    expect(error(parseLoadMatrix('1,2,,4,5,6,7,8', EIGHT))).toMatch(/^Row 1, column 3 is empty/);
  });

  it('counts rows as the lines of the file, so the place can be found in an editor', () => {
    const text = `expert a,b,c,d,e,f,g,h\n\n${csv([row(8), row(8, (index) => (index === 7 ? '1.2.3' : 1))])}`;
    expect(error(parseLoadMatrix(text, EIGHT))).toBe("Row 4, column 8: '1.2.3' is not a number.");
  });

  it('refuses negative, NaN and infinite values', () => {
    expect(error(parseLoadMatrix('1,2,3,4,5,6,7,-8', EIGHT))).toBe(
      'Row 1, column 8: -8 is negative; loads count tokens, so they cannot be below 0.',
    );
    expect(error(parseLoadMatrix('1,2,NaN,4,5,6,7,8', EIGHT))).toBe(
      "Row 1, column 3: 'NaN' is not a number.",
    );
    expect(error(parseLoadMatrix('1,2,3,Infinity,5,6,7,8', EIGHT))).toMatch(
      /^Row 1, column 4: .* is infinite/,
    );
    expect(error(parseLoadMatrix('1,2,3,4,-inf,6,7,8', EIGHT))).toMatch(/^Row 1, column 5: .* is infinite/);
    expect(error(parseLoadMatrix('[[1,2,3,4,5,6,7,1e400]]', EIGHT))).toMatch(
      /^Row 1, column 8: .* too large/,
    );
  });

  it('refuses ragged rows', () => {
    const text = csv([row(64), row(63)]);
    expect(error(parseLoadMatrix(text, { experts: 64, moeLayers: 16 }))).toBe(
      'Row 2 has 63 values, row 1 has 64: every row needs one load per expert.',
    );
  });

  it('refuses the wrong expert count and says how to fix it', () => {
    expect(parseLoadMatrix(csv([row(64)]), { experts: 8, moeLayers: 32 })).toEqual({
      ok: false,
      error:
        'The matrix has 64 columns but the model has 8 routed experts: pick a model with 64 experts or upload a matrix with 8 columns.',
      columns: 64,
    });
  });

  it('refuses a row that sums to 0, and one whose sum overflows', () => {
    expect(error(parseLoadMatrix(csv([row(8), row(8, () => 0)]), EIGHT))).toBe(
      'Row 2 sums to 0: every MoE layer needs some load on at least one expert.',
    );
    expect(error(parseLoadMatrix(csv([row(8, () => '1e308')]), EIGHT))).toMatch(/too large to add up/);
  });

  it('uses the first N rows of a taller matrix, and repeats the rows of a shorter one, with notes', () => {
    const tall = ok(parseLoadMatrix(csv(Array.from({ length: 6 }, (_, r) => row(8, () => r + 1))), EIGHT));
    expect(tall.matrix).toEqual([row(8, () => 1), row(8, () => 2), row(8, () => 3), row(8, () => 4)]);
    expect(tall.notes).toEqual(['The matrix has 6 rows but the model has 4 MoE layers: using the first 4.']);
    const short = ok(parseLoadMatrix(csv([row(8), row(8, () => 1)]), { experts: 8, moeLayers: 32 }));
    expect(short.matrix).toHaveLength(2);
    expect(short.notes).toEqual([
      '2 rows for 32 MoE layers: the rows repeat in turn (the 3rd MoE layer uses the first row again).',
    ]);
    expect(ok(parseLoadMatrix(csv([row(8)]), { experts: 8, moeLayers: 32 })).notes).toEqual([
      'One row of loads: used for all 32 MoE layers.',
    ]);
  });

  it('refuses absurd sizes before parsing the values', () => {
    const wide = row(LOAD_MATRIX_LIMITS.maxColumns + 1, () => 1);
    expect(error(parseLoadMatrix(csv([wide]), { experts: 8, moeLayers: 1 }))).toMatch(/at most 4096 experts/);
    expect(error(parseLoadMatrix(JSON.stringify([wide]), { experts: 8, moeLayers: 1 }))).toMatch(
      /at most 4096 experts/,
    );
    const tall = Array.from({ length: LOAD_MATRIX_LIMITS.maxRows + 2 }, () => 'x');
    expect(error(parseLoadMatrix(tall.join('\n'), EIGHT))).toMatch(/1026 rows; at most 1024/);
    expect(error(parseLoadMatrix(JSON.stringify(tall.map(() => [1])), EIGHT))).toMatch(/at most 1024/);
    const huge = `${'1,'.repeat(LOAD_MATRIX_LIMITS.maxChars / 2)}1`;
    expect(error(parseLoadMatrix(huge, EIGHT))).toMatch(/^The input is 5\.0 MB; at most 5 MB is accepted\.$/);
  });

  it('refuses nonsense options rather than throwing', () => {
    expect(error(parseLoadMatrix('1', { experts: 0, moeLayers: 1 }))).toMatch(/expert count/);
    expect(error(parseLoadMatrix('1', { experts: 1, moeLayers: Number.NaN }))).toMatch(/MoE layer count/);
    expect(error(parseLoadMatrix(undefined as unknown as string, EIGHT))).toBe('The input is not text.');
  });
});

describe('parseLoadMatrix: never throws (property tests)', () => {
  const optionsArbitrary = fc.record({
    experts: fc.constantFrom(1, 2, 3, 8, 16, 64),
    moeLayers: fc.constantFrom(1, 2, 3, 16, 32),
    fileName: fc.constantFrom(undefined, 'm.csv', 'm.tsv', 'm.json', 'm.txt', 'm', '.json', 'a.b.CSV'),
  });

  /** Any answer is either a usable matrix or a short, non-empty message. */
  function checkAnswer(
    text: string,
    options: { experts: number; moeLayers: number; fileName?: string | undefined },
  ) {
    let result: LoadMatrixResult | undefined;
    expect(() => {
      result = parseLoadMatrix(text, options);
    }).not.toThrow();
    if (!result) throw new Error('no result');
    if (result.ok) expectUsable(result.matrix, options.experts, options.moeLayers);
    else {
      expect(result.error.length).toBeGreaterThan(0);
      expect(result.error.length).toBeLessThan(400);
    }
  }

  it('answers any random string', () => {
    const textArbitrary = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({
        unit: fc.constantFrom(...'0123456789.,;\t \n-+eE[]{}"nafiNI:#'.split('')),
        maxLength: 200,
      }),
      fc.json(),
    );
    fc.assert(
      fc.property(textArbitrary, optionsArbitrary, (text, options) => checkAnswer(text, options)),
      { numRuns: 2500 },
    );
  });

  const cellArbitrary: fc.Arbitrary<number> = fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: 0, max: 1e6, noNaN: true }) },
    { weight: 2, arbitrary: fc.nat(1000) },
    { weight: 1, arbitrary: fc.constant(0) },
  );
  const validArbitrary = fc
    .record({
      experts: fc.constantFrom(1, 2, 8, 16),
      moeLayers: fc.constantFrom(1, 2, 4, 16),
      rows: fc.integer({ min: 1, max: 6 }),
      format: fc.constantFrom('csv', 'tsv', 'semicolon', 'json', 'json-object', 'spaces'),
      header: fc.boolean(),
      labels: fc.boolean(),
    })
    .chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        matrix: fc.array(
          fc.array(cellArbitrary, { minLength: shape.experts, maxLength: shape.experts }).map((values) => {
            if (!values.some((value) => value > 0)) values[0] = 1;
            return values;
          }),
          { minLength: shape.rows, maxLength: shape.rows },
        ),
      }),
    );

  function render(
    shape: { format: string; header: boolean; labels: boolean; experts: number },
    matrix: number[][],
  ) {
    if (shape.format === 'json') return JSON.stringify(matrix);
    if (shape.format === 'json-object') return JSON.stringify({ loads: matrix });
    const separator =
      shape.format === 'tsv'
        ? '\t'
        : shape.format === 'semicolon'
          ? ';'
          : shape.format === 'spaces'
            ? ' '
            : ',';
    const lines: string[][] = matrix.map((values, index) => [
      ...(shape.labels ? [`L${index}`] : []),
      ...values.map(String),
    ]);
    if (shape.header)
      lines.unshift([
        ...(shape.labels ? ['layer'] : []),
        ...row(shape.experts, (index) => `e${index}`).map(String),
      ]);
    return lines.map((line) => line.join(separator)).join('\n');
  }

  it('reads back any valid matrix written in any supported form', () => {
    fc.assert(
      fc.property(validArbitrary, ({ shape, matrix }) => {
        const result = ok(parseLoadMatrix(render(shape, matrix), shape));
        expect(result.matrix).toEqual(
          matrix.slice(0, shape.moeLayers).map((values) => values.map((v) => v + 0)),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('answers every mutation of a valid input', () => {
    const mutated = validArbitrary.chain(({ shape, matrix }) => {
      const text = render(shape, matrix);
      const edit = fc.record({
        at: fc.nat(Math.max(0, text.length)),
        length: fc.nat(6),
        insert: fc.oneof(
          fc.string({ unit: fc.constantFrom(...'-,;\t\n x.e[]{}"0NaInf'.split('')), maxLength: 4 }),
          fc.string({ unit: 'binary', maxLength: 3 }),
        ),
      });
      return fc.record({
        shape: fc.constant(shape),
        text: fc
          .array(edit, { minLength: 1, maxLength: 4 })
          .map((edits) =>
            edits.reduce(
              (current, { at, length, insert }) => current.slice(0, at) + insert + current.slice(at + length),
              text,
            ),
          ),
      });
    });
    fc.assert(
      fc.property(mutated, ({ shape, text }) => checkAnswer(text, shape)),
      { numRuns: 2500 },
    );
  });
});
