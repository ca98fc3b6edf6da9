/**
 * `shendu train charlm` and `shendu sample`, end to end on the first characters of Moby Dick: the run directory,
 * bits per character in the logs, the sample written at the end, exact resume, sampling from the run, and bad input.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeSafetensors } from '../../src/index.js';
import { run, workDir } from './helpers.js';

const work = workDir('shendu-lm-cli-');
const small = ['--limit', '12000', '--hidden-size', '16', '--num-layers', '1', '--embed-dim', '8', '--seq-len', '40', '--batch-size', '8', '--lr', '0.01', '--scheduler', 'none'];
const weights = (dir: string) => decodeSafetensors(readFileSync(join(dir, 'last.safetensors'))).tensors;

test('trains a char LM with held-out bits per character, writes a sample, resumes exactly, and samples', () => {
  const out = join(work, 'lm');
  const r = run('train', 'charlm', '--epochs', '2', '--cell', 'gru', '--out', out, ...small);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /training charlm \(gru, 1 layers of 16\) on moby-dick: 12000 characters, \d+ symbols, last 1200 held out/);
  assert.match(r.out, /held-out \d\.\d{4} bits per character/);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.task, 'language-model');
  assert.ok(summary.heldOutBpc > 0 && summary.heldOutBpc < 6, String(summary.heldOutBpc));
  assert.match(readFileSync(join(out, 'sample.txt'), 'utf8'), /^Call me .{100,}/s);
  for (const f of ['best.safetensors', 'metrics.csv', 'curves.png']) assert.ok(existsSync(join(out, f)), f);

  const half = join(work, 'half');
  assert.equal(run('train', 'charlm', '--epochs', '1', '--cell', 'gru', '--out', half, ...small).code, 0);
  const resumed = run('train', 'charlm', '--epochs', '2', '--cell', 'gru', '--out', half, '--resume', ...small);
  assert.equal(resumed.code, 0, resumed.err);
  const a = weights(out);
  const b = weights(half);
  for (const k of Object.keys(a)) assert.deepEqual(Array.from(b[k].toTypedArray()), Array.from(a[k].toTypedArray()), k);

  const s1 = run('sample', out, '--prompt', 'The whale', '--length', '50', '--temperature', '0.8', '--top-k', '5', '--seed', '4');
  assert.equal(s1.code, 0, s1.err);
  assert.match(s1.out, /^The whale[^]{50}\n$/u);
  assert.equal(run('sample', out, '--prompt', 'The whale', '--length', '50', '--temperature', '0.8', '--top-k', '5', '--seed', '4').out, s1.out);

  const other = run('train', 'charlm', '--epochs', '2', '--cell', 'lstm', '--out', half, '--resume', ...small);
  assert.equal(other.code, 1);
  assert.match(other.err, /cannot resume .* with different settings \(model options: the run has .*"cell":"gru".*this command .*"cell":"lstm"/);
});

test('bad input: image data for a language model, text for an image model, sampling a classifier', () => {
  const cases: [string[], number, RegExp][] = [
    [['train', 'charlm', '--dataset', 'mnist', '--out', join(work, 'x1')], 2, /charlm is a language model and trains on a text corpus \(--dataset moby-dick\), got 'mnist'/],
    [['train', 'lenet5', '--dataset', 'moby-dick', '--out', join(work, 'x2')], 2, /'moby-dick' is a text corpus, for language models \(charlm\); lenet5 trains on images/],
    [['train', 'lenet5', '--cell', 'gru', '--out', join(work, 'x3')], 2, /--cell is for language models; lenet5 is an image model/],
    [['train', 'charlm', '--augment', 'affine', '--out', join(work, 'x4')], 2, /--augment is for image models; charlm trains on text/],
    [['train', 'charlm', '--limit', '30', '--out', join(work, 'x5')], 1, /corpus 'moby-dick' \(30 characters used\) is too short for 64 training rows/],
  ];
  for (const [args, code, re] of cases) {
    const r = run(...args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
  }
  const cls = join(work, 'cls');
  assert.equal(run('train', 'logistic', '--limit', '100', '--epochs', '1', '--test-limit', '20', '--out', cls).code, 0);
  const s = run('sample', cls);
  assert.equal(s.code, 1);
  assert.match(s.err, /sample: .* holds a classification model \(logistic\); sample draws from language models/);
});
