/**
 * What the server tests share: a tiny LeNet-5 run trained by `shendu train` on a slice of real MNIST (a few
 * seconds), real test digits as PNG and JPEG bytes, and a server on that run closed after the file's tests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { mnist } from '../../src/node/index.js';
import { createServer, type ModelServer, type ServeOptions } from '../../src/serve/index.js';
import { run, workDir } from '../cli/helpers.js';

/** Trains LeNet-5 for one epoch on 128 MNIST digits into a fresh directory under a scratch folder; returns the run directory. */
export function tinyRun(prefix: string): { work: string; dir: string } {
  const work = workDir(prefix);
  const dir = join(work, 'run');
  const r = run('train', 'lenet5', '--limit', '128', '--epochs', '1', '--test-limit', '20', '--batch-size', '32', '--seed', '1', '--out', dir);
  assert.equal(r.code, 0, r.err);
  return { work, dir };
}

/** Test digit `i` of MNIST: its label, gray levels as 28x28 bytes, and PNG and JPEG encodings of them. */
export function digit(i: number): { label: number; png: Uint8Array; jpeg: Uint8Array; gray: Uint8Array } {
  const [x, y] = mnist({ train: false }).batch([i]);
  const gray = Uint8Array.from(x.select(0, 0).toTypedArray(), (v) => Math.round(v * 255));
  const png = encodePng({ width: 28, height: 28, channels: 1, data: gray });
  const rgba = new Uint8Array(28 * 28 * 4);
  for (let p = 0; p < 28 * 28; p++) rgba.set([gray[p], gray[p], gray[p], 255], p * 4);
  const jpeg = new Uint8Array(encodeJpeg({ width: 28, height: 28, data: rgba }, 95).data);
  return { label: y.toTypedArray()[0], png, jpeg, gray };
}

/** Writes `bytes` to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, bytes: Uint8Array): string {
  const f = join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

/** A server on `runDir`, closed after the file's tests. */
export function serverOn(runDir: string, opts: ServeOptions = {}): ModelServer {
  const s = createServer(runDir, opts);
  after(() => s.close());
  return s;
}
