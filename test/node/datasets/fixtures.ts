/**
 * Writers of small dataset files in the real formats (IDX, CIFAR binary records), and temp directories,
 * for the dataset loader tests.
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A fresh temp directory; remove it with `cleanup()`. */
export function tempDir(prefix = 'shendu-datasets-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes bytes to `path`, creating its folders; gzipped when `gz` is true. Returns the path. */
export function writeBytes(path: string, bytes: Uint8Array, gz = false): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, gz ? gzipSync(bytes) : bytes);
  return path;
}

/** IDX bytes of unsigned bytes (type 0x08) with the given shape, laid out as the MNIST files are. */
export function idxU8(shape: readonly number[], values: ArrayLike<number>): Uint8Array {
  const head = 4 + 4 * shape.length;
  const out = new Uint8Array(head + values.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((s, i) => view.setInt32(4 + 4 * i, s, false));
  out.set(Array.from(values), head);
  return out;
}

/** `n` deterministic 28x28 images: pixel (i, r, c) = (i * 31 + r * 7 + c * 3) % 256. */
export function fakeDigits(n: number, h = 28, w = 28): Uint8Array {
  const out = new Uint8Array(n * h * w);
  for (let i = 0; i < n; i++) for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) out[(i * h + r) * w + c] = (i * 31 + r * 7 + c * 3) % 256;
  return out;
}

/**
 * Writes the four MNIST IDX files into `dir` (plain, or `.gz` when `gz`), with `nTrain`/`nTest` images and
 * labels i % 10 (test: (i + 3) % 10). Returns the train pixels and test pixels written.
 */
export function writeMnistFiles(dir: string, opts: { nTrain?: number; nTest?: number; gz?: boolean } = {}): { train: Uint8Array; test: Uint8Array } {
  const nTrain = opts.nTrain ?? 12;
  const nTest = opts.nTest ?? 5;
  const gz = opts.gz ?? false;
  const sfx = gz ? '.gz' : '';
  const train = fakeDigits(nTrain);
  const test = fakeDigits(nTest).map((v) => 255 - v);
  writeBytes(join(dir, `train-images-idx3-ubyte${sfx}`), idxU8([nTrain, 28, 28], train), gz);
  writeBytes(join(dir, `train-labels-idx1-ubyte${sfx}`), idxU8([nTrain], Array.from({ length: nTrain }, (_, i) => i % 10)), gz);
  writeBytes(join(dir, `t10k-images-idx3-ubyte${sfx}`), idxU8([nTest, 28, 28], test), gz);
  writeBytes(join(dir, `t10k-labels-idx1-ubyte${sfx}`), idxU8([nTest], Array.from({ length: nTest }, (_, i) => (i + 3) % 10)), gz);
  return { train, test };
}

/** The pixel bytes of CIFAR image `seed`: channel c, row r, column x = (seed * 13 + c * 80 + r * 5 + x) % 256. */
export function cifarPixels(seed: number): Uint8Array {
  const out = new Uint8Array(3072);
  for (let c = 0; c < 3; c++) for (let r = 0; r < 32; r++) for (let x = 0; x < 32; x++) out[c * 1024 + r * 32 + x] = (seed * 13 + c * 80 + r * 5 + x) % 256;
  return out;
}

/** CIFAR-10 records (label byte + 3072 pixel bytes) for the given labels; image j uses cifarPixels(seed0 + j). */
export function cifar10Records(labels: readonly number[], seed0 = 0): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((l, j) => {
    out[j * 3073] = l;
    out.set(cifarPixels(seed0 + j), j * 3073 + 1);
  });
  return out;
}

/** CIFAR-100 records (coarse byte, fine byte, 3072 pixel bytes); image j uses cifarPixels(seed0 + j). */
export function cifar100Records(labels: readonly (readonly [number, number])[], seed0 = 0): Uint8Array {
  const out = new Uint8Array(labels.length * 3074);
  labels.forEach(([coarse, fine], j) => {
    out[j * 3074] = coarse;
    out[j * 3074 + 1] = fine;
    out.set(cifarPixels(seed0 + j), j * 3074 + 2);
  });
  return out;
}
