/**
 * `shendu train --init RUN --freeze PREFIXES --replace-head`: fine-tuning from another run, end to end, and its
 * bad input (a prefix matching nothing, --replace-head without --init, a run of another architecture).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeSafetensors } from '../../src/index.js';
import { run, workDir } from './helpers.js';

const work = workDir('shendu-ft-cli-');

const weights = (dir: string) => decodeSafetensors(readFileSync(join(dir, 'last.safetensors'))).tensors;

test('--init loads the other run, --freeze keeps those weights fixed, --replace-head gives a fresh head', () => {
  const src = join(work, 'src');
  assert.equal(run('train', 'lenet5', '--limit', '200', '--epochs', '1', '--test-limit', '50', '--out', src).code, 0);
  const dst = join(work, 'dst');
  const r = run('train', 'lenet5', '--dataset', 'fashion-mnist', '--limit', '200', '--epochs', '1', '--test-limit', '50', '--out', dst, '--init', src, '--freeze', '0,3', '--replace-head');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /initialized from .*src \(lenet5 on mnist\): 10 weights loaded; new head: 11; frozen: 4 parameter tensors under 0, 3 \(6 trainable\)/);
  const a = weights(src);
  const b = weights(dst);
  for (const k of ['0.weight', '0.bias', '3.weight', '3.bias']) assert.deepEqual(Array.from(b[k].toTypedArray()), Array.from(a[k].toTypedArray()), `${k} stayed frozen`);
  for (const k of ['7.weight', '11.weight']) assert.notDeepEqual(Array.from(b[k].toTypedArray()), Array.from(a[k].toTypedArray()), `${k} trained`);
});

test('bad fine-tuning input is one line, and no run directory is made', () => {
  const cases: [string[], number, RegExp][] = [
    [['--freeze', 'features'], 1, /freeze: prefix 'features' matches no parameter of Sequential; its top-level parameter prefixes are 0, 3, 7, 9, 11/],
    [['--freeze', ','], 2, /--freeze needs comma-separated parameter name prefixes, got ','/],
    [['--replace-head'], 2, /--replace-head replaces the head of weights loaded with --init; give --init RUN too/],
    [['--init', join(work, 'nothing')], 1, /train --init: no checkpoint at .*nothing/],
  ];
  for (const [extra, code, re] of cases) {
    const out = join(work, `bad-${code}-${extra[0]}`);
    const r = run('train', 'lenet5', '--limit', '20', '--epochs', '1', '--out', out, ...extra);
    assert.equal(r.code, code, r.err);
    assert.match(r.err, re);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.equal(existsSync(out), false, `${extra.join(' ')} left ${out}`);
  }
  // weights of another architecture: nothing fits by name and shape
  const mlp = join(work, 'mlp');
  assert.equal(run('train', 'mlp', '--limit', '20', '--epochs', '1', '--test-limit', '10', '--out', mlp).code, 0);
  const r = run('train', 'lenet5', '--limit', '20', '--epochs', '1', '--out', join(work, 'x'), '--init', mlp);
  assert.equal(r.code, 1);
  assert.match(r.err, /loadMatching: no key of the state dict fits Sequential by name and shape/);
});
