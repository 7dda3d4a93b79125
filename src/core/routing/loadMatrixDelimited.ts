import {
  DECIMAL_COMMA_PATTERN,
  LAYER_HEADER_PATTERN,
  LOAD_MATRIX_LIMITS,
  NUMBER_PATTERN,
  Refusal,
  looksNumeric,
  numberFromText,
  quote,
  type RawMatrix,
} from './loadMatrixShared';

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

/**
 * Reads CSV, TSV, `;`-separated or space-separated text into a raw matrix: skips blank and # lines, an optional
 * header row and an optional first column of layer labels or numbers. `experts` is the model's routed experts
 * (it tells a row of expert numbers from a row of loads).
 */
export function readDelimited(text: string, experts: number): RawMatrix {
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
      head.cells.length === experts &&
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
    split.every(({ cells }) => cells.length === experts + 1) &&
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
