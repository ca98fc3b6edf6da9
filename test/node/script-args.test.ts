/**
 * The examples' and bench scripts' option reader: defaults, flags, --help from the script's own module comment,
 * and a ValueError naming the bad option and the ones the script takes.
 * @module
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { moduleComment, readScriptArgs } from '../../src/node/script-args.js';

const OPTIONS = { epochs: { type: 'string', default: '10' }, out: { type: 'string' }, quick: { type: 'boolean' } } as const;

test('values: given, defaulted, absent; flags are booleans', () => {
  const r = readScriptArgs(import.meta.url, OPTIONS, ['--out', 'x.json', '--quick']);
  assert.equal(r.help, false);
  if (!r.help) assert.deepEqual(r.values, { epochs: '10', out: 'x.json', quick: true });
  const r2 = readScriptArgs(import.meta.url, OPTIONS, ['--epochs=3']);
  if (!r2.help) assert.deepEqual(r2.values, { epochs: '3', out: undefined, quick: false });
});

test('an unknown option or a missing value is a ValueError naming it and the options', () => {
  assert.throws(() => readScriptArgs(import.meta.url, OPTIONS, ['--epoch', '5']), (e: unknown) =>
    e instanceof ValueError && /'--epoch'/.test(e.message) && /--epochs, --out, --quick/.test(e.message) && /script-args\.test\.js/.test(e.message));
  assert.throws(() => readScriptArgs(import.meta.url, OPTIONS, ['--out']), (e: unknown) => e instanceof ValueError && /--out/.test(e.message));
  assert.throws(() => readScriptArgs(import.meta.url, OPTIONS, ['stray']), ValueError);
});

test('positional arguments only where the script names them', () => {
  const r = readScriptArgs(import.meta.url, OPTIONS, ['a.json', '--quick', 'b.json'], 'RESULT.json ...');
  if (!r.help) assert.deepEqual([r.positionals, r.values.quick], [['a.json', 'b.json'], true]);
  const h = readScriptArgs(import.meta.url, OPTIONS, ['-h'], 'RESULT.json ...');
  if (h.help) assert.match(h.text, /script-args\.test\.js \[options\] RESULT\.json \.\.\.; options:/);
});

test('--help gives the module comment and the options with their defaults', () => {
  const r = readScriptArgs(import.meta.url, OPTIONS, ['--epochs', '3', '--help']);
  assert.equal(r.help, true);
  if (r.help) {
    assert.match(r.text, /^The examples' and bench scripts' option reader/);
    assert.doesNotMatch(r.text, /@module/);
    assert.match(r.text, /--epochs VALUE \(default 10\)\n {2}--out VALUE\n {2}--quick$/);
  }
  assert.equal(moduleComment('const x = 1;'), '');
  assert.equal(moduleComment('/**\n * Two\n * lines.\n * @module\n */'), 'Two\nlines.');
});
