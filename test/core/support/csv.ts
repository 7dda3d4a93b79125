/**
 * A strict RFC 4180 reader for the tests: CRLF-terminated records, fields quoted when they hold a comma, a quote or
 * a line break, quotes doubled inside. Independent of the writer, so a round trip checks the writer's quoting.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let index = 0;
  while (index < text.length) {
    if (text[index] === '"' && field === '') {
      index += 1;
      for (;;) {
        const at = text.indexOf('"', index);
        if (at < 0) throw new Error('unterminated quoted field');
        field += text.slice(index, at);
        if (text[at + 1] === '"') {
          field += '"';
          index = at + 2;
        } else {
          index = at + 1;
          break;
        }
      }
      if (text[index] !== ',' && text[index] !== '\r')
        throw new Error(`text after a quoted field at ${index}`);
      continue;
    }
    const char = text[index];
    if (char === ',') {
      record.push(field);
      field = '';
      index += 1;
    } else if (char === '\r') {
      if (text[index + 1] !== '\n') throw new Error(`a CR without LF at ${index}`);
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index += 2;
    } else if (char === '"' || char === '\n') {
      throw new Error(`unquoted ${JSON.stringify(char)} at ${index}`);
    } else {
      field += char;
      index += 1;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the last record has no CRLF');
  return records;
}
