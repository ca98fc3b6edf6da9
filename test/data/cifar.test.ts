import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError, ValueError, parseCifar } from '../../src/index.js';

const PIXELS = 3072;

/** One record in the real layout: label byte(s), then 1024 red, 1024 green, 1024 blue bytes (32x32 row-major). */
function record(labels: number[], seed: number): Uint8Array {
  const r = new Uint8Array(labels.length + PIXELS);
  r.set(labels);
  for (let i = 0; i < PIXELS; i++) r[labels.length + i] = (i * 7 + seed * 31) & 0xff;
  return r;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

test('CIFAR-10: labels and CHW pixels of each record', () => {
  const recs = [record([3], 0), record([9], 1), record([0], 2)];
  const d = parseCifar(concat(recs), 'cifar10', 'data_batch_1.bin');
  assert.equal(d.count, 3);
  assert.deepEqual([...d.labels], [3, 9, 0]);
  assert.equal(d.coarseLabels, null);
  assert.equal(d.images.length, 3 * PIXELS);
  recs.forEach((r, i) => assert.deepEqual(d.images.subarray(i * PIXELS, (i + 1) * PIXELS), r.subarray(1)));
  // Red plane first: the green value of pixel (row 0, col 1) of image 1 sits at 1024 + 1.
  assert.equal(d.images[PIXELS + 1024 + 1], ((1024 + 1) * 7 + 31) & 0xff);
});

test('CIFAR-100: coarse label byte, then fine label byte, then pixels', () => {
  const recs = [record([19, 99], 5), record([4, 37], 6)];
  const d = parseCifar(concat(recs), 'cifar100', 'train.bin');
  assert.equal(d.count, 2);
  assert.deepEqual([...d.coarseLabels!], [19, 4]);
  assert.deepEqual([...d.labels], [99, 37]);
  assert.deepEqual(d.images.subarray(PIXELS), recs[1].subarray(2));
});

test('truncated, empty or mislabelled files give a DataError naming the source', () => {
  const two = concat([record([1], 0), record([2], 1)]);
  assert.throws(() => parseCifar(two.subarray(0, two.length - 1), 'cifar10', 'data_batch_2.bin'),
    (e: Error) => e instanceof DataError && /^data_batch_2\.bin: 6145 bytes is not a whole number of cifar10 records of 3073 bytes/.test(e.message));
  // CIFAR-10 bytes read as CIFAR-100: 3073 is not a multiple of 3074.
  assert.throws(() => parseCifar(record([1], 0), 'cifar100', 'test.bin'), (e: Error) => e instanceof DataError && /test\.bin: .*cifar100 records of 3074 bytes/.test(e.message));
  assert.throws(() => parseCifar(new Uint8Array(0), 'cifar10', 'empty.bin'), (e: Error) => e instanceof DataError && /empty\.bin: the file is empty/.test(e.message));
  assert.throws(() => parseCifar(concat([record([1], 0), record([10], 1)]), 'cifar10', 'bad.bin'),
    (e: Error) => e instanceof DataError && /bad\.bin: record 1 has label 10, expected 0\.\.9/.test(e.message));
  assert.throws(() => parseCifar(record([20, 5], 0), 'cifar100', 'c.bin'), (e: Error) => e instanceof DataError && /c\.bin: record 0 has coarse label 20, expected 0\.\.19/.test(e.message));
  assert.throws(() => parseCifar(record([5, 100], 0), 'cifar100', 'f.bin'), (e: Error) => e instanceof DataError && /f\.bin: record 0 has label 100, expected 0\.\.99/.test(e.message));
  assert.throws(() => parseCifar(new Uint8Array(100), 'cifar10'), (e: Error) => e instanceof DataError && /^CIFAR data: 100 bytes/.test(e.message));
  assert.throws(() => parseCifar(record([1], 0), 'cifar1000' as 'cifar10'), (e: Error) => e instanceof ValueError && /variant/.test(e.message));
});
