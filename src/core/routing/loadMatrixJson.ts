import { LOAD_MATRIX_LIMITS, Refusal, quote, shortReason, type RawMatrix } from './loadMatrixShared';

/** The JSON object keys that may hold the matrix, in the order they are looked for. */
const MATRIX_KEYS = ['loads', 'matrix', 'normalisedPeakLoad', 'normalizedPeakLoad', 'layers'] as const;

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

/** Reads JSON: a list of rows, one flat list for every layer, or an object holding the list (MATRIX_KEYS). */
export function readJson(text: string, source: string): RawMatrix {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Refusal(`${source} is not valid JSON: ${shortReason(error)}`);
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
