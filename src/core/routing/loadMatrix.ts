/**
 * "Bring your own loads": reads a per-layer expert-load matrix a user pasted or uploaded (CSV, TSV or JSON) into a
 * validated matrix — rows are MoE layers, columns routed experts, every value a finite count or share ≥ 0, every row
 * with some load — or into one plain-language error that names the place. Pure, and never throws.
 */

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

/** Inputs beyond these are refused before any parsing work. */
export const LOAD_MATRIX_LIMITS = {
  /** Characters of text (about 5 MB). */
  maxChars: 5 * 1024 * 1024,
  maxRows: 1024,
  maxColumns: 4096,
} as const;

/** The JSON object keys that may hold the matrix, in the order they are looked for. */
const MATRIX_KEYS = ['loads', 'matrix', 'normalisedPeakLoad', 'normalizedPeakLoad', 'layers'] as const;

/** A refusal raised deep in the parser and turned into `{ ok: false }` at the top. */
class Refusal extends Error {
  constructor(
    message: string,
    readonly columns?: number,
  ) {
    super(message);
  }
}

/** One value as read, with where it was found (1-based, as the user sees it). */
interface RawCell {
  value: unknown;
  column: number;
}

interface RawRow {
  /** 1-based: the line in the text for delimited input, the position in the list for JSON. */
  row: number;
  cells: RawCell[];
}

interface RawMatrix {
  rows: RawRow[];
  notes: string[];
  /** True when the input was one flat list rather than a list of rows. */
  singleList: boolean;
  /** Whether text cells may use a decimal comma (when `,` does not separate values). */
  decimalComma: boolean;
}

const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const NAN_PATTERN = /^[+-]?nan$/i;
const INFINITY_PATTERN = /^[+-]?(?:inf|infinity|∞)$/i;
const DECIMAL_COMMA_PATTERN = /^[+-]?\d+,\d+(?:e[+-]?\d+)?$/i;
/** Header cells that name a column of layer numbers rather than an expert. */
const LAYER_HEADER_PATTERN =
  /^(?:#|l|id|idx|index|no\.?|layers?(?:[ _-]?(?:id|idx|index|no\.?|number|#))?)$/i;

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A cell quoted for a message, shortened so one huge cell cannot flood the screen. */
function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return `'${flat.length > 24 ? `${flat.slice(0, 21)}…` : flat}'`;
}

function place(row: number, column: number): string {
  return `Row ${row}, column ${column}`;
}

function ordinal(value: number): string {
  const tens = value % 100;
  const suffix =
    tens >= 11 && tens <= 13
      ? 'th'
      : value % 10 === 1
        ? 'st'
        : value % 10 === 2
          ? 'nd'
          : value % 10 === 3
            ? 'rd'
            : 'th';
  return `${value}${suffix}`;
}

/** Reads a number written as text; `decimalComma` also accepts "1,5" for 1.5. */
function numberFromText(text: string, decimalComma: boolean): number | null {
  const trimmed = text.trim();
  if (NUMBER_PATTERN.test(trimmed)) return Number(trimmed);
  if (decimalComma && DECIMAL_COMMA_PATTERN.test(trimmed)) return Number(trimmed.replace(',', '.'));
  return null;
}

/** Whether a delimited cell reads as a number (including NaN and infinities, which are numbers in the wrong place). */
function looksNumeric(text: string, decimalComma: boolean): boolean {
  const trimmed = text.trim();
  return (
    numberFromText(trimmed, decimalComma) !== null ||
    NAN_PATTERN.test(trimmed) ||
    INFINITY_PATTERN.test(trimmed)
  );
}

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

/** Splits one delimited line; double-quoted cells may hold the separator ("" inside quotes is a quote). */
function splitLine(line: string, separator: string | null): string[] {
  if (separator === null) return line.trim().split(/\s+/);
  if (!line.includes('"')) return line.split(separator);
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index] ?? '';
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (char === separator) {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

/** Consecutive whole numbers starting at 0 or 1 (layer or expert numbering). */
function isNumbering(texts: readonly string[]): boolean {
  if (texts.length === 0) return false;
  const values = texts.map((text) => numberFromText(text, false));
  const start = values[0];
  if (start !== 0 && start !== 1) return false;
  return values.every((value, index) => value === start + index);
}

function readDelimited(text: string, options: LoadMatrixOptions): RawMatrix {
  const notes: string[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  const content: { row: number; line: string }[] = [];
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) content.push({ row: index + 1, line });
  });
  if (content.length === 0)
    throw new Refusal('The input has no rows of numbers (only blank or # comment lines).');
  // One row may be a header: refuse absurd sizes before splitting anything.
  if (content.length > LOAD_MATRIX_LIMITS.maxRows + 1)
    throw new Refusal(
      `The matrix has ${content.length} rows; at most ${LOAD_MATRIX_LIMITS.maxRows} are accepted (one per MoE layer).`,
    );
  const first = content[0]?.line ?? '';
  // Tab, then `;` (whose files may write decimal commas), then `,`; with none of them, runs of spaces.
  const separator = first.includes('\t')
    ? '\t'
    : first.includes(';')
      ? ';'
      : first.includes(',')
        ? ','
        : null;
  const decimalComma = separator !== ',';
  let split = content.map(({ row, line }) => {
    const cells = splitLine(line, separator).map((cell) => cell.trim());
    while (cells.length > 1 && cells[cells.length - 1] === '') cells.pop();
    if (cells.length > LOAD_MATRIX_LIMITS.maxColumns + 1)
      throw new Refusal(
        `Row ${row} has ${cells.length} values; at most ${LOAD_MATRIX_LIMITS.maxColumns} experts are accepted.`,
      );
    return { row, cells };
  });

  // An optional header: a first row of names, or a layer label followed by expert numbers (layer,0,1,2,…).
  const head = split[0];
  let header: string[] | null = null;
  if (head) {
    const named = head.cells.every((cell) => cell === '' || !looksNumeric(cell, decimalComma));
    const labelledNumbers =
      split.length > 1 &&
      head.cells.length > 1 &&
      (head.cells[0] === '' || LAYER_HEADER_PATTERN.test(head.cells[0] ?? '')) &&
      isNumbering(head.cells.slice(1));
    // A first row 0,1,2,… above rows that are not is a row of expert numbers (pandas writes one), not loads.
    const expertNumbers =
      split.length > 1 &&
      head.cells.length >= 4 &&
      head.cells.length === options.experts &&
      head.cells[0] === '0' &&
      isNumbering(head.cells) &&
      !isNumbering(split[1]?.cells ?? []);
    if (named || labelledNumbers || expertNumbers) {
      header = head.cells;
      split = split.slice(1);
      notes.push(`Skipped the header row (row ${head.row}).`);
    }
  }
  if (split.length === 0)
    throw new Refusal(
      header && header.length > 0
        ? `Row ${head?.row ?? 1} holds no numbers (${quote(header.join(' '))}) and no rows of numbers follow it.`
        : 'The input has no rows of numbers.',
    );

  // An optional first column of layer labels or layer numbers.
  const labelled = split.every(
    ({ cells }) => cells.length > 1 && !looksNumeric(cells[0] ?? '', decimalComma),
  );
  const headerNamesLayers =
    header !== null &&
    header.length > 1 &&
    (header[0] === '' || LAYER_HEADER_PATTERN.test(header[0] ?? '')) &&
    split.every(({ cells }) => cells.length > 1);
  const numberedLayers =
    split.length > 1 &&
    split.every(({ cells }) => cells.length === options.experts + 1) &&
    isNumbering(split.map(({ cells }) => cells[0] ?? ''));
  let firstColumn = 1;
  if (labelled) {
    notes.push('Skipped the first column (layer labels).');
    firstColumn = 2;
  } else if (headerNamesLayers || numberedLayers) {
    notes.push('Read the first column as layer numbers and skipped it.');
    firstColumn = 2;
  }
  if (
    decimalComma &&
    split.some(({ cells }) =>
      cells.some((cell) => DECIMAL_COMMA_PATTERN.test(cell) && !NUMBER_PATTERN.test(cell)),
    )
  )
    notes.push('Read decimal commas (1,5 as 1.5).');

  const rows = split.map(({ row, cells }) => ({
    row,
    cells: cells.slice(firstColumn - 1).map((value, index) => ({ value, column: index + firstColumn })),
  }));
  if (rows.length > LOAD_MATRIX_LIMITS.maxRows)
    throw new Refusal(
      `The matrix has ${rows.length} rows; at most ${LOAD_MATRIX_LIMITS.maxRows} are accepted (one per MoE layer).`,
    );
  return { rows, notes, singleList: false, decimalComma };
}

function shortJsonReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}…` : flat || 'it could not be parsed';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the text ${quote(value)}`;
  return `the ${typeof value} ${quote(String(value))}`;
}

/** The list that holds the matrix inside a JSON object, or a refusal saying which keys were looked for. */
function listInObject(object: Record<string, unknown>, keys: readonly string[], what: string): unknown[] {
  const key = keys.find((candidate) => Object.prototype.hasOwnProperty.call(object, candidate));
  if (key === undefined) {
    const found = Object.keys(object).slice(0, 6);
    const named = keys
      .filter((candidate) => candidate !== 'normalizedPeakLoad')
      .map((candidate) => `'${candidate}'`);
    const listed =
      named.length > 1
        ? `${named.slice(0, -1).join(', ')} or ${named[named.length - 1] ?? ''}`
        : (named[0] ?? '');
    throw new Refusal(
      `${what} has no ${listed} key holding the matrix${
        found.length > 0 ? ` (it has ${found.map((name) => quote(name)).join(', ')})` : ''
      }.`,
    );
  }
  const value = object[key];
  if (!Array.isArray(value))
    throw new Refusal(`${what}: '${key}' is ${describe(value)}, not a list of rows.`);
  if (key === 'layers') {
    // `layers` may hold rows directly, or one object per layer with its own loads.
    return value.map((layer: unknown, index) =>
      layer !== null && typeof layer === 'object' && !Array.isArray(layer)
        ? listInObject(
            layer as Record<string, unknown>,
            keys.filter((candidate) => candidate !== 'layers'),
            `Layer ${index + 1}`,
          )
        : layer,
    );
  }
  return value;
}

function readJson(text: string, source: string): RawMatrix {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Refusal(`${source} is not valid JSON: ${shortJsonReason(error)}`);
  }
  let list: unknown[];
  if (Array.isArray(parsed)) list = parsed;
  else if (parsed !== null && typeof parsed === 'object')
    list = listInObject(parsed as Record<string, unknown>, MATRIX_KEYS, 'The JSON object');
  else
    throw new Refusal(
      `${source} holds ${describe(parsed)}, not a load matrix: give a list of rows (one per MoE layer) or an object with a 'loads' list.`,
    );
  if (list.length === 0) throw new Refusal('The matrix is an empty list: it has no rows.');
  const arrays = list.filter((item) => Array.isArray(item)).length;
  const singleList = arrays === 0;
  if (!singleList && arrays !== list.length) {
    const index = list.findIndex((item) => !Array.isArray(item));
    throw new Refusal(
      `Row ${index + 1} is ${describe(list[index])}, not a list of numbers: give either one list of loads or a list of rows.`,
    );
  }
  const rows = singleList ? [list] : (list as unknown[][]);
  if (rows.length > LOAD_MATRIX_LIMITS.maxRows)
    throw new Refusal(
      `The matrix has ${rows.length} rows; at most ${LOAD_MATRIX_LIMITS.maxRows} are accepted (one per MoE layer).`,
    );
  rows.forEach((values, index) => {
    if (values.length > LOAD_MATRIX_LIMITS.maxColumns)
      throw new Refusal(
        `Row ${index + 1} has ${values.length} values; at most ${LOAD_MATRIX_LIMITS.maxColumns} experts are accepted.`,
      );
  });
  return {
    rows: rows.map((values, index) => ({
      row: index + 1,
      cells: values.map((value, column) => ({ value, column: column + 1 })),
    })),
    notes: [],
    singleList,
    decimalComma: false,
  };
}

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

  const extension = fileExtension(options.fileName);
  const sniffedJson = /^\s*[[{]/.test(body);
  const json = extension === 'json' || (extension !== 'csv' && extension !== 'tsv' && sniffedJson);
  try {
    return checkedMatrix(json ? readJson(body, source) : readDelimited(body, options), options);
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
    return { ok: false, error: `The matrix could not be read: ${shortJsonReason(error)}` };
  }
}
