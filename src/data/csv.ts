/**
 * A small CSV reader for tabular datasets: RFC 4180 quoting, a header row, numeric columns.
 * @module
 */
import { DataError } from '../errors.js';

/** A parsed CSV table. */
export interface CsvTable {
  /** Column names from the header row. */
  columns: string[];
  /** Rows of cell strings (without the header). */
  rows: string[][];
  /** The 1-based line of the text where each row starts (quoted newlines and blank lines make it differ from the row number). */
  lines?: number[];
}

/**
 * Splits CSV text into a header and rows, RFC 4180 style: fields in double quotes may hold the delimiter, `""`
 * for a quote, and line breaks; lines end in LF, CRLF or CR; blank lines and a leading byte-order mark are
 * skipped. Ragged rows are refused with a DataError naming `source`, the row and its line.
 */
export function parseCsv(text: string, opts: { source?: string; delimiter?: string; header?: boolean } = {}): CsvTable {
  const source = opts.source ?? 'CSV data';
  const delim = opts.delimiter ?? ',';
  if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r') {
    throw new DataError(`${source}: the delimiter must be one character other than a quote or line break, got ${JSON.stringify(delim)}`);
  }
  const records: string[][] = [];
  const starts: number[] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let wasQuoted = false; // the current field was quoted, so even an empty one makes the row non-blank
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  const endRow = () => {
    row.push(field);
    if (!(row.length === 1 && row[0] === '' && !wasQuoted)) {
      records.push(row);
      starts.push(rowLine);
    }
    row = [];
    field = '';
    wasQuoted = false;
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        field += ch;
      }
    } else if (ch === '"' && field === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
      quoteLine = line;
    } else if (ch === delim) {
      row.push(field);
      field = '';
      wasQuoted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += ch;
    }
  }
  if (quoted) throw new DataError(`${source}: unterminated quoted field starting on line ${quoteLine}`);
  if (field !== '' || row.length > 0 || wasQuoted) endRow();
  if (records.length === 0) throw new DataError(`${source}: no rows`);
  const hasHeader = opts.header ?? true;
  const columns = hasHeader ? records[0] : records[0].map((_, i) => `column${i}`);
  const rows = hasHeader ? records.slice(1) : records;
  const lines = hasHeader ? starts.slice(1) : starts;
  rows.forEach((r, i) => {
    if (r.length !== columns.length) {
      throw new DataError(`${source}: row ${i + 1} (line ${lines[i]}) has ${r.length} fields, ${hasHeader ? 'the header has' : 'the first row has'} ${columns.length}`);
    }
  });
  return { columns, rows, lines };
}

// Plain decimal numbers only: Number() would also take '0x1f', '0b1' and ''.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Converts the named (or all) columns to numbers, refusing empty or non-numeric cells with a DataError naming
 * `source`, the row (1-based, not counting the header), its line and the column.
 */
export function numericColumns(table: CsvTable, names: readonly string[] = table.columns, source = 'CSV data'): Float64Array[] {
  return names.map((name) => {
    const c = table.columns.indexOf(name);
    if (c < 0) throw new DataError(`${source}: no column '${name}'; columns are ${table.columns.join(', ')}`);
    return Float64Array.from(table.rows, (r, i) => {
      const cell = (r[c] ?? '').trim();
      const v = DECIMAL.test(cell) ? Number(cell) : NaN;
      if (!Number.isFinite(v)) {
        const where = table.lines ? `row ${i + 1} (line ${table.lines[i]})` : `row ${i + 1}`;
        throw new DataError(`${source}: ${where}, column '${name}': ${JSON.stringify(r[c] ?? '')} is not a number`);
      }
      return v;
    });
  });
}
