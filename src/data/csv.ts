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
}

/** Splits CSV text into a header and rows; `source` names the file in errors. Ragged rows are refused. */
export function parseCsv(text: string, opts: { source?: string; delimiter?: string; header?: boolean } = {}): CsvTable {
  const source = opts.source ?? 'CSV data';
  const delim = opts.delimiter ?? ',';
  const records: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === delim) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (!(row.length === 1 && row[0] === '')) records.push(row);
      row = [];
      line++;
    } else {
      field += ch;
    }
  }
  if (quoted) throw new DataError(`${source}: unterminated quoted field starting before line ${line}`);
  if (field !== '' || row.length > 0) {
    row.push(field);
    records.push(row);
  }
  if (records.length === 0) throw new DataError(`${source}: no rows`);
  const hasHeader = opts.header ?? true;
  const columns = hasHeader ? records[0] : records[0].map((_, i) => `column${i}`);
  const rows = hasHeader ? records.slice(1) : records;
  rows.forEach((r, i) => {
    if (r.length !== columns.length) {
      throw new DataError(`${source}: row ${i + (hasHeader ? 2 : 1)} has ${r.length} fields, the header has ${columns.length}`);
    }
  });
  return { columns, rows };
}

/** Converts the named (or all) columns to numbers, refusing empty or non-numeric cells with their row and column. */
export function numericColumns(table: CsvTable, names: readonly string[] = table.columns, source = 'CSV data'): Float64Array[] {
  return names.map((name) => {
    const c = table.columns.indexOf(name);
    if (c < 0) throw new DataError(`${source}: no column '${name}'; columns are ${table.columns.join(', ')}`);
    return Float64Array.from(table.rows, (r, i) => {
      const cell = r[c].trim();
      const v = Number(cell);
      if (cell === '' || !Number.isFinite(v)) throw new DataError(`${source}: row ${i + 2}, column '${name}': '${r[c]}' is not a number`);
      return v;
    });
  });
}
