/**
 * `shendu train` with the zoo's CIFAR-sized models, end to end: CIFAR-10 from a data directory (small files in the
 * real binary format) and Fashion-MNIST padded from 28x28 to resnet20's 32x32 — the padding is recorded in the run,
 * so eval and predict prepare their images the same way.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { encode } from 'fast-png';
import { decodeSafetensors } from '../../src/index.js';
import { fashionMnist } from '../../src/node/index.js';
import { cifar10Records, writeBytes } from '../node/datasets/fixtures.js';
import { run, workDir } from './helpers.js';

const work = workDir('shendu-zoo-cli-');

function runInfo(dir: string): Record<string, unknown> {
  const { metadata } = decodeSafetensors(readFileSync(join(dir, 'last.safetensors')));
  return JSON.parse(metadata.shendu);
}

test('resnet20 trains on CIFAR-10 files in the data directory, then evaluates', () => {
  const dataDir = join(work, 'data');
  const c10 = join(dataDir, 'cifar-10-batches-bin');
  for (let b = 1; b <= 5; b++) writeBytes(join(c10, `data_batch_${b}.bin`), cifar10Records([b, b + 1, b + 2]));
  writeBytes(join(c10, 'test_batch.bin'), cifar10Records([0, 3]));
  const out = join(work, 'r20-cifar');
  const r = run('train', 'resnet20', '--dataset', 'cifar10', '--data-dir', dataDir, '--epochs', '1', '--batch-size', '8', '--val-split', '3', '--augment', 'flip-crop-color', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /training resnet20 \(classification\) on cifar10 \(12 images, 3 held out/);
  const info = runInfo(out);
  assert.deepEqual(info.modelOptions, { inChannels: 3, inputSize: 32, numClasses: 10 });
  assert.equal(info.prep, null);
  const e = run('eval', out, '--data-dir', dataDir);
  assert.equal(e.code, 0, e.err);
  assert.match(e.out, /on cifar10 test \(2 images\)/);
});

test('resnet20 on Fashion-MNIST pads 28x28 to 32x32, and eval and predict pad the same way', () => {
  const out = join(work, 'r20-fashion');
  const r = run('train', 'resnet20', '--dataset', 'fashion-mnist', '--epochs', '1', '--limit', '40', '--batch-size', '20', '--test-limit', '20', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /on fashion-mnist \(28x28 padded to 32x32\)/);
  const info = runInfo(out);
  assert.deepEqual(info.prep, { kind: 'pad', pad: 2 });
  assert.equal(info.imageSize, 28);
  assert.equal(info.task, 'classification');
  assert.deepEqual(info.modelOptions, { inChannels: 1, inputSize: 32, numClasses: 10 });
  const [x] = fashionMnist({ train: false }).batch([0]);
  const png = join(work, 'coat.png');
  writeFileSync(png, encode({ width: 28, height: 28, channels: 1, data: Uint8Array.from(x.toTypedArray(), (v) => Math.round(v * 255)) }));
  const p = run('predict', out, png);
  assert.equal(p.code, 0, p.err);
  assert.match(p.out, /coat\.png: \S.* \d+\.\d%, .* \d+\.\d%, .* \d+\.\d%\n$/);
  // an explicit --input-size resizes instead (28 -> 40 is beyond the padding rule)
  const big = join(work, 'r20-40');
  const b = run('train', 'resnet20', '--dataset', 'fashion-mnist', '--epochs', '1', '--limit', '20', '--batch-size', '20', '--test-limit', '10', '--input-size', '40', '--val-split', '0', '--out', big);
  assert.equal(b.code, 0, b.err);
  assert.deepEqual(runInfo(big).prep, { kind: 'resize', size: 40 });
  const bad = run('train', 'resnet20', '--dataset', 'fashion-mnist', '--input-size', '0', '--out', join(work, 'x'));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--input-size must be at least 1, got 0/);
});
