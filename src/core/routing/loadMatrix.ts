/**
 * "Bring your own loads": reads a per-layer expert-load matrix a user pasted or uploaded (CSV, TSV or JSON) into a
 * validated matrix — rows are MoE layers, columns routed experts, every value a finite count or share ≥ 0, every row
 * with some load — or into one plain-language error that names the place. Pure, and never throws.
 */

import { readDelimited } from './loadMatrixDelimited';
import { readJson } from './loadMatrixJson';
import {
  INFINITY_PATTERN,
  LOAD_MATRIX_LIMITS,
  NAN_PATTERN,
  Refusal,
  numberFromText,
  ordinal,
  place,
  plural,
  quote,
  shortReason,
  type RawCell,
  type RawMatrix,
} from './loadMatrixShared';

export { LOAD_MATRIX_LIMITS };

export interface LoadMatrixOptions {
  /** The uploaded file's name: its extension picks the format (.json → JSON, .csv/.tsv → delimited). */
  fileName?: string | undefined;
  /** Routed experts in the model: every row must have exactly this many values. */
  experts: number;
  /** MoE layers in the model: extra rows are dropped, missing rows are filled by repeating the rows given. */
  moeLayers: number;
}

export type LoadMatrixResult =
  | { ok: true; matrix: number[][]; notes: string[] }
  | {
      ok: false;
      error: string;
      /** When the matrix only failed on its expert count: how many experts it has (so a UI can suggest models). */
      columns?: number;
    };

/** One load value, checked: a finite number ≥ 0. */
function checkedValue(cell: RawCell, row: number, decimalComma: boolean): number {
  const where = place(row, cell.column);
  const { value } = cell;
  let number: number;
  let written: string;
  if (typeof value === 'number') {
    number = value;
    written = String(value);
  } else if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') throw new Refusal(`${where} is empty: every expert needs a load (write 0 for none).`);
    if (NAN_PATTERN.test(trimmed)) throw new Refusal(`${where}: ${quote(trimmed)} is not a number.`);
    if (INFINITY_PATTERN.test(trimmed))
      throw new Refusal(`${where}: ${quote(trimmed)} is infinite; loads must be finite.`);
    const parsed = numberFromText(trimmed, decimalComma);
    if (parsed === null) throw new Refusal(`${where}: ${quote(trimmed)} is not a number.`);
    number = parsed;
    written = trimmed;
  } else if (value === null) {
    throw new Refusal(`${where}: null is not a number.`);
  } else if (Array.isArray(value)) {
    throw new Refusal(`${where}: a list is not a number (rows must be flat lists of numbers).`);
  } else if (typeof value === 'object') {
    throw new Refusal(`${where}: an object is not a number.`);
  } else {
    throw new Refusal(`${where}: ${quote(String(value))} is not a number.`);
  }
  if (Number.isNaN(number)) throw new Refusal(`${where}: ${quote(written)} is not a number.`);
  if (!Number.isFinite(number))
    throw new Refusal(`${where}: ${quote(written)} is too large; loads must be finite.`);
  if (number < 0)
    throw new Refusal(`${where}: ${number} is negative; loads count tokens, so they cannot be below 0.`);
  return number === 0 ? 0 : number;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const BINARY_PATTERN = /[\u0000-\u0008\u000E-\u001F\u007F]/;

function fileExtension(fileName: string | undefined): string {
  const match = /\.([^./\\]+)$/.exec(fileName ?? '');
  return match?.[1]?.toLowerCase() ?? '';
}

function parseOrRefuse(text: string, options: LoadMatrixOptions): { matrix: number[][]; notes: string[] } {
  const { experts, moeLayers } = options;
  if (!Number.isInteger(experts) || experts < 1)
    throw new Refusal(`The model's expert count (${String(experts)}) is not a positive whole number.`);
  if (!Number.isInteger(moeLayers) || moeLayers < 1)
    throw new Refusal(`The model's MoE layer count (${String(moeLayers)}) is not a positive whole number.`);
  const source = options.fileName ? `'${options.fileName}'` : 'The input';
  if (text.length > LOAD_MATRIX_LIMITS.maxChars)
    throw new Refusal(
      `${source} is ${(text.length / (1024 * 1024)).toFixed(1)} MB; at most ${LOAD_MATRIX_LIMITS.maxChars / (1024 * 1024)} MB is accepted.`,
    );
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '')
    throw new Refusal(
      `${source} is empty: give one row per MoE layer with one load per expert (${plural(experts, 'column')}).`,
    );

  // Text never holds C0 control characters other than whitespace; images, PDFs and spreadsheets (.xlsx is a zip,
  // starting "PK\x03\x04") do, within their first bytes.
  if (BINARY_PATTERN.test(body.slice(0, 8192)))
    throw new Refusal(
      `${source} is not a text file (it looks like an image, a PDF or a spreadsheet): save the loads as CSV, TSV or JSON, for instance with "Save as CSV" in a spreadsheet.`,
    );

  const extension = fileExtension(options.fileName);
  const sniffedJson = /^\s*[[{]/.test(body);
  const json = extension === 'json' || (extension !== 'csv' && extension !== 'tsv' && sniffedJson);
  try {
    return checkedMatrix(json ? readJson(body, source) : readDelimited(body, options.experts), options);
  } catch (error) {
    if (error instanceof Refusal && !json && sniffedJson)
      throw new Refusal(
        `${error.message} (The text looks like JSON, but the file name ends in .${extension}: rename it to .json.)`,
        error.columns,
      );
    throw error;
  }
}

/** The matrix as the model will use it: shape, values and row sums checked; rows fitted to the MoE layers. */
function checkedMatrix(raw: RawMatrix, options: LoadMatrixOptions): { matrix: number[][]; notes: string[] } {
  const { experts, moeLayers } = options;
  // Shape: every row as long as the first, and as long as the model has experts.
  const [firstRow] = raw.rows;
  if (!firstRow) throw new Refusal('The matrix has no rows.');
  const width = firstRow.cells.length;
  if (width === 0) throw new Refusal(`Row ${firstRow.row} is empty: it has no loads.`);
  if (width > LOAD_MATRIX_LIMITS.maxColumns)
    throw new Refusal(
      `Row ${firstRow.row} has ${width} values; at most ${LOAD_MATRIX_LIMITS.maxColumns} experts are accepted.`,
    );
  for (const { row, cells } of raw.rows) {
    if (cells.length !== width)
      throw new Refusal(
        `Row ${row} has ${plural(cells.length, 'value')}, row ${firstRow.row} has ${width}: every row needs one load per expert.`,
      );
  }
  const matrix = raw.rows.map(({ row, cells }) =>
    cells.map((cell) => checkedValue(cell, row, raw.decimalComma)),
  );
  if (width !== experts)
    throw new Refusal(
      `The matrix has ${plural(width, 'column')} but the model has ${plural(experts, 'routed expert')}: pick a model with ${plural(width, 'expert')} or upload a matrix with ${plural(experts, 'column')}.`,
      width,
    );
  matrix.forEach((values, index) => {
    const row = raw.rows[index]?.row ?? index + 1;
    const total = values.reduce((sum, value) => sum + value, 0);
    if (total === 0)
      throw new Refusal(`Row ${row} sums to 0: every MoE layer needs some load on at least one expert.`);
    if (!Number.isFinite(total))
      throw new Refusal(`Row ${row}: its values are too large to add up; scale them down.`);
  });

  const notes = [...raw.notes];
  let used = matrix;
  if (raw.singleList) {
    if (moeLayers > 1) notes.push(`One list of loads: used for all ${moeLayers} MoE layers.`);
  } else if (matrix.length > moeLayers) {
    used = matrix.slice(0, moeLayers);
    notes.push(
      `The matrix has ${matrix.length} rows but the model has ${plural(moeLayers, 'MoE layer')}: using the first ${moeLayers}.`,
    );
  } else if (matrix.length < moeLayers) {
    notes.push(
      matrix.length === 1
        ? `One row of loads: used for all ${moeLayers} MoE layers.`
        : `${matrix.length} rows for ${moeLayers} MoE layers: the rows repeat in turn (the ${ordinal(matrix.length + 1)} MoE layer uses the first row again).`,
    );
  }
  return { matrix: used, notes };
}

/**
 * Parses a per-layer expert-load matrix from CSV/TSV (rows: MoE layers, columns: experts; an optional header row and
 * an optional first column of layer labels are skipped; `,`, `;`, tab or spaces separate values) or JSON (a list of
 * rows, one list for every layer, or an object with `loads`, `matrix`, `normalisedPeakLoad` or `layers`). The file
 * extension picks the format when there is one; otherwise text starting with `[` or `{` is JSON.
 */
export function parseLoadMatrix(text: string, options: LoadMatrixOptions): LoadMatrixResult {
  try {
    if (typeof text !== 'string') return { ok: false, error: 'The input is not text.' };
    const { matrix, notes } = parseOrRefuse(text, options);
    return { ok: true, matrix, notes };
  } catch (error) {
    if (error instanceof Refusal)
      return error.columns === undefined
        ? { ok: false, error: error.message }
        : { ok: false, error: error.message, columns: error.columns };
    return { ok: false, error: `The matrix could not be read: ${shortReason(error)}` };
  }
}
