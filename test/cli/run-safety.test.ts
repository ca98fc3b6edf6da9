/**
 * Nothing lost, nothing silently wrong (issue 11), as a user meets it on the command line: every case runs the
 * real `shendu` command in a subprocess and checks its exit code and its one-line message.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { encode } from 'fast-png';
import { decodeSafetensors, encodeSafetensors, zeros, full } from '../../src/index.js';
import { mnist } from '../../src/node/index.js';
import { cli, run, workDir } from './helpers.js';

const work = workDir('shendu-safety-');

/** A failure as the issue asks: exit code 1, one line on stderr, no stack trace. */
function assertOneLine(r: { code: number; err: string }, re: RegExp): void {
  assert.equal(r.code, 1, r.err);
  assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
  assert.doesNotMatch(r.err, /\n\s+at /);
  assert.match(r.err, re);
}

const quick = ['--epochs', '1', '--limit', '256', '--val-split', '64', '--test-limit', '200', '--batch-size', '64', '--seed', '1'];
const runDir = join(work, 'run');
const digit = join(work, 'digit.png');

let first = { code: -1, out: '', err: '' };

before(() => {
  first = run('train', 'logistic', '--out', runDir, '--threads', '1000', '--augment', 'flip-crop', ...quick);
  assert.equal(first.code, 0, first.err);
  const [x] = mnist({ train: false }).batch([0]);
  writeFileSync(digit, encode({ width: 28, height: 28, channels: 1, data: Uint8Array.from(x.toTypedArray(), (v) => Math.round(v * 255)) }));
});

describe('work is not lost or mixed up', () => {
  test('the first run noted the capped thread count and warned about flipping digits', () => {
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    assert.match(first.err, /--threads 1000 is more than this machine's \d+ cores; using \d+/);
    assert.match(first.err, /warning: --augment flip-crop mirrors images/);
    assert.match(first.out, /held out for validation/);
    assert.equal(first.out.match(/test accuracy/g)?.length, 1, 'the test set is used once, at the end');
    assert.ok(typeof summary.valAccuracy === 'number', 'the validation split picked best.safetensors');
  });

  test('training again into a finished run is refused, naming --resume and --overwrite, and the run is untouched', () => {
    const before = readFileSync(join(runDir, 'best.safetensors'));
    const r = run('train', 'logistic', '--out', runDir, ...quick);
    assertOneLine(r, /already holds a training run; pass --resume to continue it or --overwrite to replace it/);
    assert.deepEqual(readFileSync(join(runDir, 'best.safetensors')), before);
  });

  test('a run directory in use by a live process is refused; a lock left by a dead one is taken over', () => {
    const dir = join(work, 'locked');
    cpSync(runDir, dir, { recursive: true });
    writeFileSync(join(dir, '.lock'), `${process.pid}\n`);
    assertOneLine(run('train', 'logistic', '--out', dir, '--overwrite', ...quick), new RegExp(`in use by another training \\(process ${process.pid}`));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(dir, '.lock'), `${dead}\n`);
    const r = run('train', 'logistic', '--out', dir, '--overwrite', ...quick);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`taking over .*\\.lock: the process that held it \\(pid ${dead}\\) is gone`));
  });

  test('--resume with another dataset, model or split is refused with what differs', () => {
    assertOneLine(run('train', 'logistic', '--out', runDir, '--resume', ...quick, '--dataset', 'fashion-mnist'), /cannot resume .* \(dataset: the run has mnist, this command fashion-mnist\)/);
    assertOneLine(run('train', 'mlp', '--out', runDir, '--resume', ...quick), /model: the run has logistic, this command mlp/);
    assertOneLine(run('train', 'logistic', '--out', runDir, '--resume', ...quick.slice(0, 4), '--val-split', '32'), /validation split: the run has 64, this command 32/);
  });

  test('eval reads the file named: weights put in place of last.safetensors are the weights evaluated', () => {
    const dir = join(work, 'replaced');
    cpSync(runDir, dir, { recursive: true });
    const file = join(dir, 'last.safetensors');
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync(file)));
    const zeroed = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, zeros(t.shape)]));
    writeFileSync(file, encodeSafetensors(zeroed, metadata));
    const r = run('eval', file);
    assert.equal(r.code, 0, r.err);
    // all-zero weights give equal logits, so every image is class 0: 980 of the 10,000 test digits
    assert.match(r.out, /accuracy 9\.80%/);
  });
});

describe('no silently wrong answers', () => {
  test('non-finite outputs are an error in predict and eval', () => {
    const dir = join(work, 'nan');
    cpSync(runDir, dir, { recursive: true });
    const file = join(dir, 'last.safetensors');
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync(file)));
    const nan = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, full(t.shape, NaN)]));
    writeFileSync(file, encodeSafetensors(nan, metadata));
    assertOneLine(run('predict', file, digit), /non-finite outputs .*digit\.png.*damaged or come from a run that diverged/);
    assertOneLine(run('eval', file), /outputs are not finite/);
  });
});

describe('errors are messages', () => {
  test('file-system errors name the path and the cause', () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    assertOneLine(run('train', 'logistic', '--out', join(file, 'run'), ...quick), /cannot mkdir .*a-file\/run: a part of the path is a file, not a directory \(ENOTDIR\)/);
    assertOneLine(run('train', 'logistic', '--out', file, ...quick), /a-file exists and is not a directory/);
  });

  test('a reader that goes away ends the command without a stack trace', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" eval "${runDir}" | head -1`], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 1);
    assert.equal(r.stderr, '');
  });

  test('a missing data directory, a bad --limit, and an image over the pixel limit', () => {
    assertOneLine(run('train', 'logistic', '--data-dir', join(work, 'nonexistent'), '--out', join(work, 'x'), ...quick), /data directory .*nonexistent does not exist/);
    assertOneLine(run('datasets', '--data-dir', join(work, 'nonexistent')), /nonexistent does not exist/);
    for (const bad of ['0', '-5']) {
      const r = run('train', 'logistic', '--out', join(work, 'y'), '--limit', bad);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, new RegExp(`^shendu train: --limit must be at least 1, got ${bad}\\n$`));
    }
    const big = join(work, 'big.png');
    writeFileSync(big, encode({ width: 2000, height: 1000, channels: 1, data: new Uint8Array(2000 * 1000) }));
    assertOneLine(run('predict', runDir, big, '--max-pixels', '1000000'), /big\.png: the image is 2000x1000 \(2\.0 megapixels\), over the limit of 1\.0 megapixels/);
  });
});
