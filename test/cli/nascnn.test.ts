/**
 * `shendu train nascnn --arch FILE`: trains the architecture of a NAS architecture file; the run keeps the
 * architecture, so eval, export and predict restore it without the file; summary reads the file too; bad use is
 * one line.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeSafetensors } from '../../src/index.js';
import { run, workDir } from './helpers.js';

// the committed files, from dist/test/<dir>/ back to the repository root
const PICTURES = new URL('../../../docs/pictures/', import.meta.url).pathname;
const work = workDir('shendu-nascnn-cli-');
const ARCH = join(PICTURES, 'nas-best-evolution.json');

test('train nascnn --arch trains the file\'s architecture; eval restores the run without --arch', () => {
  const out = join(work, 'run');
  // the run must not depend on the file staying where it was
  const arch = join(work, 'arch.json');
  copyFileSync(ARCH, arch);
  const r = run('train', 'nascnn', '--arch', arch, '--dataset', 'fashion-mnist', '--limit', '200', '--epochs', '1', '--test-limit', '50', '--threads', '1', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /training nascnn \(classification\) on fashion-mnist/);
  writeFileSync(arch, 'gone');
  const meta = JSON.parse(decodeSafetensors(readFileSync(join(out, 'last.safetensors'))).metadata.shendu);
  assert.deepEqual([meta.model, meta.modelOptions.head, meta.modelOptions.architecture], ['nascnn', 'flatten', JSON.parse(readFileSync(ARCH, 'utf8')).architecture]);
  const e = run('eval', out);
  assert.equal(e.code, 0, e.err);
  assert.match(e.out, /on fashion-mnist test \(10000 images\): loss \d+\.\d+, accuracy \d+\.\d+%/);
  const s = run('summary', 'nascnn', '--arch', ARCH);
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /26,?586/);
});

test('bad --arch use is one line, and no run directory is made', () => {
  writeFileSync(join(work, 'v2.json'), JSON.stringify({ ...JSON.parse(readFileSync(ARCH, 'utf8')), version: 2 }));
  const cases: [string[], number, RegExp][] = [
    [['nascnn'], 2, /nascnn needs --arch FILE/],
    [['lenet5', '--arch', ARCH], 2, /--arch is for nascnn; lenet5 has a fixed architecture/],
    [['nascnn', '--arch', join(work, 'v2.json')], 1, /parseArchitecture: .*v2\.json: version must be 1/],
  ];
  for (const [args, code, re] of cases) {
    const out = join(work, `bad-${args.join('-').replace(/\W/g, '')}`.slice(0, 60));
    const r = run('train', ...args, '--limit', '20', '--epochs', '1', '--out', out);
    assert.equal(r.code, code, r.err);
    assert.match(r.err, re);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.equal(existsSync(out), false);
  }
});
