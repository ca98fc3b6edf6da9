import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DataError, ValueError } from '../../../src/index.js';
import { CIFAR100_CLASSES, CIFAR100_COARSE_CLASSES, CIFAR10_CLASSES, cifar10, cifar100, cifar100Location, cifar10Location } from '../../../src/node/datasets/index.js';
import { cifar100Records, cifar10Records, cifarPixels, tempDir, writeBytes } from './fixtures.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const isDataError = (...parts: string[]) => (e: unknown) => {
  assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
  for (const p of parts) assert.ok(e.message.includes(p), `message '${e.message}' should contain '${p}'`);
  return true;
};

function writeCifar10(dataDir: string): string {
  const dir = join(dataDir, 'cifar-10-batches-bin');
  for (let b = 1; b <= 5; b++) writeBytes(join(dir, `data_batch_${b}.bin`), cifar10Records([b % 10, (b + 1) % 10], 2 * (b - 1)));
  writeBytes(join(dir, 'test_batch.bin'), cifar10Records([3, 8, 9], 100));
  return dir;
}

test('CIFAR-10 binary batches: 5 train files concatenated, CHW pixels, labels, class names', () => {
  const dataDir = join(tmp.dir, 'c10');
  const dir = writeCifar10(dataDir);
  assert.equal(cifar10Location({ dataDir }).kind, 'data-dir');
  const train = cifar10({ dataDir });
  assert.equal(train.length, 10);
  assert.deepEqual(train.classes, CIFAR10_CLASSES);
  assert.deepEqual(train.inputShape, [3, 32, 32]);
  assert.deepEqual([...train.rawLabels], [1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
  const [img, label] = train.get(4);
  assert.equal(label, 3);
  assert.deepEqual(img.shape, [3, 32, 32]);
  const want = cifarPixels(4);
  const got = img.toTypedArray();
  // red plane first, then green, then blue; rows top to bottom
  for (const k of [0, 31, 32, 1023, 1024, 2047, 2048, 3071]) assert.equal(got[k], Math.fround(want[k] / 255), `pixel ${k}`);
  assert.deepEqual(train.images().shape, [10, 3, 32, 32]);

  const test_ = cifar10({ dataDir, train: false, transform: (x) => x.sub(0.5) });
  assert.equal(test_.length, 3);
  assert.equal(test_.get(2)[1], 9);
  assert.ok(Math.abs(test_.get(0)[0].toTypedArray()[0] - (cifarPixels(100)[0] / 255 - 0.5)) < 1e-6);

  writeFileSync(join(dir, 'batches.meta.txt'), 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n');
  assert.deepEqual(cifar10({ dataDir, train: false }).classes, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
  writeFileSync(join(dir, 'batches.meta.txt'), 'a\nb\n');
  assert.throws(() => cifar10({ dataDir, train: false }), isDataError(join(dir, 'batches.meta.txt'), '2 class names, expected 10'));
});

test('CIFAR-10 errors: missing file (where to download), truncated file, label out of range', () => {
  const dataDir = join(tmp.dir, 'c10bad');
  const dir = writeCifar10(dataDir);
  rmSync(join(dir, 'data_batch_3.bin'));
  assert.throws(() => cifar10({ dataDir }), isDataError(join(dir, 'data_batch_3.bin'), `looked in ${dir}`, 'https://www.cs.toronto.edu/~kriz/cifar.html', 'binary version'));
  assert.equal(cifar10Location({ dataDir }).kind, 'missing');
  assert.ok(cifar10Location({ dataDir }).description.includes('data_batch_3.bin'));
  assert.throws(() => cifar10({ dataDir: join(tmp.dir, 'nowhere') }), isDataError(join(tmp.dir, 'nowhere'), 'does not exist'));
  mkdirSync(join(tmp.dir, 'empty-dir'), { recursive: true });
  assert.throws(() => cifar10({ dataDir: join(tmp.dir, 'empty-dir') }), isDataError('cifar-10-batches-bin', 'cifar.html'));

  const test = join(dir, 'test_batch.bin');
  writeFileSync(test, cifar10Records([1, 2]).subarray(0, 3073 + 1000));
  assert.throws(() => cifar10({ dataDir, train: false }), isDataError(test, '4073 bytes is not a whole number', 'truncated'));
  writeFileSync(test, new Uint8Array(0));
  assert.throws(() => cifar10({ dataDir, train: false }), isDataError(test, 'empty'));
  writeFileSync(test, cifar10Records([1, 10, 2]));
  assert.throws(() => cifar10({ dataDir, train: false }), isDataError(test, 'record 1 has label 10', '0..9'));
});

test('CIFAR-100 binary: fine and coarse labels, names files, errors', () => {
  const dataDir = join(tmp.dir, 'c100');
  const dir = join(dataDir, 'cifar-100-binary');
  writeBytes(join(dir, 'train.bin'), cifar100Records([[4, 30], [19, 99], [0, 0]]));
  writeBytes(join(dir, 'test.bin'), cifar100Records([[11, 58]], 7));
  assert.equal(cifar100Location({ dataDir }).kind, 'data-dir');
  const fine = cifar100({ dataDir });
  assert.equal(fine.length, 3);
  assert.equal(fine.numClasses, 100);
  assert.deepEqual(fine.classes, CIFAR100_CLASSES);
  assert.deepEqual([...fine.rawLabels], [30, 99, 0]);
  assert.equal(fine.classes[30], 'dolphin');
  assert.deepEqual([...fine.get(1)[0].toTypedArray().subarray(0, 3)], [...cifarPixels(1).subarray(0, 3)].map((v) => Math.fround(v / 255)));
  const coarse = cifar100({ dataDir, labels: 'coarse' });
  assert.equal(coarse.numClasses, 20);
  assert.deepEqual(coarse.classes, CIFAR100_COARSE_CLASSES);
  assert.deepEqual([...coarse.rawLabels], [4, 19, 0]);
  const test_ = cifar100({ dataDir, train: false });
  assert.equal(test_.get(0)[1], 58);
  assert.throws(() => cifar100({ dataDir, labels: 'medium' as 'fine' }), ValueError);

  writeFileSync(join(dir, 'coarse_label_names.txt'), CIFAR100_COARSE_CLASSES.map((c) => c.toUpperCase()).join('\n'));
  assert.equal(cifar100({ dataDir, labels: 'coarse', train: false }).classes[0], 'AQUATIC_MAMMALS');

  writeFileSync(join(dir, 'test.bin'), cifar100Records([[11, 58], [20, 3]]));
  assert.throws(() => cifar100({ dataDir, train: false }), isDataError(join(dir, 'test.bin'), 'record 1 has coarse label 20'));
  writeFileSync(join(dir, 'test.bin'), cifar100Records([[1, 100]]));
  assert.throws(() => cifar100({ dataDir, train: false }), isDataError(join(dir, 'test.bin'), 'record 0 has label 100', '0..99'));
  writeFileSync(join(dir, 'test.bin'), cifar10Records([1, 2, 3]));
  assert.throws(() => cifar100({ dataDir, train: false }), isDataError(join(dir, 'test.bin'), 'not a whole number of cifar100 records'));
  rmSync(join(dir, 'train.bin'));
  assert.throws(() => cifar100({ dataDir }), isDataError(join(dir, 'train.bin'), 'cifar-100-binary.tar.gz'));
});

test('what to download and where: the archive, the tar command, the folder and files; an unextracted archive or the Python version is named', () => {
  const saved = process.env.SHENDU_DATA_DIR;
  delete process.env.SHENDU_DATA_DIR;
  try {
    const none = cifar10Location().description;
    for (const part of ['no data directory is set', '--data-dir', 'SHENDU_DATA_DIR', 'CIFAR-10 binary version (suitable for C programs)', 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz', "tar xzf cifar-10-binary.tar.gz -C <dataDir>", join('<dataDir>', 'cifar-10-batches-bin'), 'data_batch_5.bin', 'test_batch.bin', 'batches.meta.txt']) {
      assert.ok(none.includes(part), `'${none}' should say '${part}'`);
    }
  } finally {
    if (saved !== undefined) process.env.SHENDU_DATA_DIR = saved;
  }
  const dataDir = join(tmp.dir, 'hints');
  mkdirSync(join(dataDir, 'cifar-100-python'), { recursive: true });
  writeFileSync(join(dataDir, 'cifar-10-binary.tar.gz'), new Uint8Array([0x1f, 0x8b]));
  const c10 = cifar10Location({ dataDir }).description;
  assert.ok(c10.includes(`found ${join(dataDir, 'cifar-10-binary.tar.gz')} not yet extracted`), c10);
  assert.ok(c10.includes(`tar xzf ${join(dataDir, 'cifar-10-binary.tar.gz')} -C ${dataDir}`), c10);
  const c100 = cifar100Location({ dataDir }).description;
  assert.ok(c100.includes(`found ${join(dataDir, 'cifar-100-python')}, the Python (pickle) version`), c100);
  assert.ok(c100.includes('https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz') && c100.includes('fine_label_names.txt'), c100);
  assert.throws(() => cifar100({ dataDir }), isDataError(join(dataDir, 'cifar-100-binary', 'train.bin'), 'Python (pickle) version'));
});
