import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError, numericColumns, parseCsv } from '../../src/index.js';

test('plain CSV: header and rows', () => {
  const t = parseCsv('a,b,c\n1,2,3\n4,5,6\n');
  assert.deepEqual(t.columns, ['a', 'b', 'c']);
  assert.deepEqual(t.rows, [['1', '2', '3'], ['4', '5', '6']]);
  assert.deepEqual(t.lines, [2, 3]);
  assert.deepEqual(parseCsv('a,b\n1,2').rows, [['1', '2']], 'no final newline');
  assert.deepEqual(parseCsv('x;y\n1;2\n', { delimiter: ';' }).rows, [['1', '2']]);
  const noHeader = parseCsv('1,2\n3,4\n', { header: false });
  assert.deepEqual(noHeader.columns, ['column0', 'column1']);
  assert.deepEqual(noHeader.rows, [['1', '2'], ['3', '4']]);
});

test('quoted fields hold delimiters, doubled quotes and line breaks (RFC 4180)', () => {
  const text = 'name,note,n\n"Smith, J","said ""hi""",1\n"multi\nline","",2\n"a\r\nb",plain,3\n';
  const t = parseCsv(text);
  assert.deepEqual(t.rows, [
    ['Smith, J', 'said "hi"', '1'],
    ['multi\nline', '', '2'],
    ['a\r\nb', 'plain', '3'],
  ]);
  assert.deepEqual(t.lines, [2, 3, 5], 'a row after a quoted line break starts on a later line');
  assert.deepEqual(parseCsv('a\n""\n').rows, [['']], 'a single quoted empty field is a row, not a blank line');
  assert.deepEqual(parseCsv('a\n""').rows, [['']]);
  assert.deepEqual(parseCsv('a,b\n"""",x\n').rows, [['"', 'x']]);
});

test('CRLF and CR line ends, blank lines and a byte-order mark', () => {
  const t = parseCsv('\uFEFFa,b\r\n1,2\r\n\r\n3,4\r\n');
  assert.deepEqual(t.columns, ['a', 'b']);
  assert.deepEqual(t.rows, [['1', '2'], ['3', '4']]);
  assert.deepEqual(t.lines, [2, 4]);
  assert.deepEqual(parseCsv('a,b\r1,2\r3,4').rows, [['1', '2'], ['3', '4']]);
  assert.deepEqual(parseCsv('a,b\n\n\n1,2\n\n').rows, [['1', '2']]);
});

test('ragged rows, unterminated quotes and empty input give a DataError naming the file, row and line', () => {
  assert.throws(() => parseCsv('a,b,c\n1,2,3\n4,5\n', { source: 'house.csv' }),
    (e: Error) => e instanceof DataError && /^house\.csv: row 2 \(line 3\) has 2 fields, the header has 3$/.test(e.message));
  assert.throws(() => parseCsv('a,b\n1,2,3\n', { source: 'x.csv' }), (e: Error) => e instanceof DataError && /x\.csv: row 1 \(line 2\) has 3 fields/.test(e.message));
  assert.throws(() => parseCsv('1,2\n3\n', { header: false }), (e: Error) => e instanceof DataError && /row 2 \(line 2\) has 1 fields, the first row has 2/.test(e.message));
  assert.throws(() => parseCsv('a,b\n1,"open\n2,3\n', { source: 'q.csv' }), (e: Error) => e instanceof DataError && /q\.csv: unterminated quoted field starting on line 2/.test(e.message));
  assert.throws(() => parseCsv('', { source: 'e.csv' }), (e: Error) => e instanceof DataError && /e\.csv: no rows/.test(e.message));
  assert.throws(() => parseCsv('\n\r\n'), (e: Error) => e instanceof DataError && /^CSV data: no rows/.test(e.message));
  assert.throws(() => parseCsv('a', { delimiter: '"' }), DataError);
  assert.throws(() => parseCsv('a', { delimiter: ',,' }), DataError);
});

test('numericColumns converts columns and names the row, line and column of a bad cell', () => {
  const t = parseCsv('crim,zn,chas\n0.00632,18,0\n 2.5e-2 ,-1.5,1\n.5,+3,1\n');
  const [crim, chas] = numericColumns(t, ['crim', 'chas'], 'boston.csv');
  assert.ok(crim instanceof Float64Array);
  assert.deepEqual([...crim], [0.00632, 0.025, 0.5]);
  assert.deepEqual([...chas], [0, 1, 1]);
  assert.deepEqual(numericColumns(t).map((c) => [...c]), [[0.00632, 0.025, 0.5], [18, -1.5, 3], [0, 1, 1]]);
  const bad = parseCsv('a,b\n1,2\n3,x\n');
  assert.throws(() => numericColumns(bad, undefined, 'bad.csv'), (e: Error) => e instanceof DataError && /^bad\.csv: row 2 \(line 3\), column 'b': "x" is not a number$/.test(e.message));
  for (const cell of ['', ' ', 'NaN', 'Infinity', '0x1f', '1,5', '1.2.3', 'e5', '--1']) {
    const tb = parseCsv(`a\n"${cell}"\n`);
    assert.throws(() => numericColumns(tb, ['a'], 'c.csv'), (e: Error) => e instanceof DataError && /c\.csv: row 1 \(line 2\), column 'a'/.test(e.message), JSON.stringify(cell));
  }
  const multi = parseCsv('a,b\n"x\ny",1\n2,oops\n');
  assert.throws(() => numericColumns(multi, ['b']), (e: Error) => e instanceof DataError && /row 2 \(line 4\), column 'b'/.test(e.message));
  assert.throws(() => numericColumns(t, ['medv'], 'boston.csv'), (e: Error) => e instanceof DataError && /boston\.csv: no column 'medv'; columns are crim, zn, chas/.test(e.message));
  assert.throws(() => numericColumns({ columns: ['a'], rows: [['q']] }), (e: Error) => e instanceof DataError && /row 1, column 'a'/.test(e.message));
});
