import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DataError } from '../../../src/index.js';
import { FASHION_MNIST_CLASSES, fashionMnist, fashionMnistLocation, packageDir, parseClothesJson } from '../../../src/node/datasets/index.js';
import { tempDir, writeMnistFiles } from './fixtures.js';

const tmp = tempDir();
after(() => tmp.cleanup());
const enc = (s: string) => new TextEncoder().encode(s);
const img = (v: number) => Array<number>(784).fill(v);

test('parseClothesJson reads the package layout and skips empty entries', () => {
  const text = JSON.stringify({ data: [img(1), [], img(255), []] });
  const { pixels, count } = parseClothesJson(enc(text), 'x.json');
  assert.equal(count, 2);
  assert.equal(pixels.length, 2 * 784);
  assert.equal(pixels[0], 1);
  assert.equal(pixels[784 + 783], 255);
  const spaced = `{ "data" : [ [${img(7).join(', ')}] ,\n [${img(8).join(',')}] ] }\n`;
  const r = parseClothesJson(enc(spaced), 'y.json');
  assert.equal(r.count, 2);
  assert.equal(r.pixels[784], 8);
  assert.equal(parseClothesJson(enc('{"data":[]}'), 'z.json').count, 0);
});

test('parseClothesJson refuses corrupt and truncated files with the file name', () => {
  const good = JSON.stringify({ data: [img(3), img(4)] });
  const bad = (text: string, ...parts: string[]) =>
    assert.throws(() => parseClothesJson(enc(text), 'clothes/3.json'), (e: unknown) => {
      assert.ok(e instanceof DataError);
      for (const p of ['clothes/3.json', ...parts]) assert.ok(e.message.includes(p), `'${e.message}' lacks '${p}'`);
      return true;
    });
  bad(good.slice(0, good.length - 500), 'unexpected end of file');
  bad(good.slice(0, 2000), 'truncated');
  bad(JSON.stringify({ pixels: [img(1)] }), 'key "data"');
  bad(JSON.stringify({ data: [img(1).slice(0, 783)] }), 'entry 0 has 783 values, expected 784');
  bad(JSON.stringify({ data: [img(1), [...img(1), 5]] }), 'entry 1 has 785 values');
  bad(JSON.stringify({ data: [[...img(1).slice(1), 256]] }), 'pixel 783 is not an integer 0..255');
  bad(JSON.stringify({ data: [[0.5, ...img(1).slice(1)]] }), 'pixel 0 is not an integer');
  bad(good + 'x', 'unexpected data after the closing brace');
  bad('', 'unexpected end of file');
});

test('Fashion-MNIST from the fashion-mnist package: 60,000 / 10,000, balanced, disjoint, interleaved', () => {
  const train = fashionMnist({ source: 'package' });
  const test_ = fashionMnist({ source: 'package', train: false });
  assert.equal(train.length, 60000);
  assert.equal(test_.length, 10000);
  assert.deepEqual(train.classes, FASHION_MNIST_CLASSES);
  assert.equal(train.classes[0], 'T-shirt/top');
  assert.equal(train.classes[9], 'Ankle boot');
  assert.deepEqual(train.classCounts(), Array(10).fill(6000));
  assert.deepEqual(test_.classCounts(), Array(10).fill(1000));
  assert.deepEqual([...train.rawLabels.subarray(0, 12)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  const [x, y] = train.get(9);
  assert.deepEqual(x.shape, [1, 28, 28]);
  assert.equal(y, 9);

  // item 10 * j + c is image j of class c (train) or image 6000 + j (test), as in the package's file
  const file = join(packageDir('fashion-mnist')!, 'src', 'clothes', '9.json');
  const raw = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[][] }).data.filter((a) => a.length > 0);
  assert.deepEqual([...train.rawPixels.subarray(9 * 784, 10 * 784)], raw[0]);
  assert.deepEqual([...train.rawPixels.subarray((10 * 5999 + 9) * 784, (10 * 5999 + 10) * 784)], raw[5999]);
  assert.deepEqual([...test_.rawPixels.subarray((10 * 999 + 9) * 784, (10 * 999 + 10) * 784)], raw[6999]);
  assert.deepEqual([...test_.rawPixels.subarray(9 * 784, 10 * 784)], raw[6000]);
});

test('Fashion-MNIST prefers IDX files in <dataDir>/fashion-mnist', () => {
  const dataDir = join(tmp.dir, 'fm');
  writeMnistFiles(join(dataDir, 'fashion-mnist'), { nTrain: 6, nTest: 4, gz: true });
  assert.equal(fashionMnistLocation({ dataDir }).kind, 'data-dir');
  const ds = fashionMnist({ dataDir });
  assert.equal(ds.length, 6);
  assert.equal(ds.classes[1], 'Trouser');
  assert.equal(fashionMnist({ dataDir, train: false }).length, 4);
  assert.equal(fashionMnist({ dataDir, source: 'package', train: false }).length, 10000);
  // MNIST files do not count as Fashion-MNIST
  const other = join(tmp.dir, 'only-mnist');
  writeMnistFiles(join(other, 'mnist'));
  assert.equal(fashionMnistLocation({ dataDir: other }).kind, 'package');
});
