import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DataError, DataLoader, ValueError } from '../../../src/index.js';
import { BOSTON_FEATURES, bostonHousing, csvDataset } from '../../../src/node/datasets/index.js';
import { tempDir } from './fixtures.js';

const tmp = tempDir();
after(() => tmp.cleanup());

function csv(name: string, text: string): string {
  const p = join(tmp.dir, name);
  writeFileSync(p, text);
  return p;
}

const isDataError = (...parts: string[]) => (e: unknown) => {
  assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
  for (const p of parts) assert.ok(e.message.includes(p), `message '${e.message}' should contain '${p}'`);
  return true;
};

test('csvDataset: regression target, default and chosen features, bulk tensors', () => {
  const p = csv('houses.csv', 'rooms,"area, m2",age,price\r\n3,70.5,10,200.25\r\n4,90,5,310\r\n2,45,40,99.5\r\n');
  const ds = csvDataset(p, { target: 'price' });
  assert.equal(ds.length, 3);
  assert.equal(ds.task, 'regression');
  assert.equal(ds.numClasses, 0);
  assert.deepEqual(ds.featureNames, ['rooms', 'area, m2', 'age']);
  assert.deepEqual(ds.inputShape, [3]);
  const [x, y] = ds.get(1);
  assert.deepEqual([...x.toTypedArray()], [4, 90, 5]);
  assert.equal(y, 310);
  const f = ds.features();
  assert.deepEqual(f.shape, [3, 3]);
  assert.equal(f.dtype, 'float32');
  const t = ds.targets();
  assert.equal(t.dtype, 'float32');
  assert.deepEqual([...t.toTypedArray()], [200.25, 310, 99.5]);
  const only = csvDataset(p, { target: 'price', features: ['age', 'rooms'] });
  assert.deepEqual([...only.features().toTypedArray()], [10, 3, 5, 4, 40, 2]);
  const [bx, by] = ds.batch([2, 0]);
  assert.deepEqual(bx.shape, [2, 3]);
  assert.deepEqual([...by.toTypedArray()], [99.5, 200.25]);
  const batches = [...new DataLoader(ds, { batchSize: 2 })] as { shape: number[] }[][];
  assert.deepEqual(batches[0][0].shape, [2, 3]);
});

test('csvDataset: classification targets, named or integer classes', () => {
  const p = csv('iris.csv', 'a,b,species\n1,2,virginica\n3,4,setosa\n5,6,versicolor\n7,8,setosa\n');
  const ds = csvDataset(p, { target: 'species', task: 'classification' });
  assert.equal(ds.task, 'classification');
  assert.deepEqual(ds.classes, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual([...ds.rawTargets], [2, 0, 1, 0]);
  assert.equal(ds.targets().dtype, 'int32');
  const q = csv('ints.csv', 'x,label\n0.5,2\n1.5,0\n');
  const di = csvDataset(q, { target: 'label', task: 'classification' });
  assert.deepEqual(di.classes, ['0', '1', '2']);
  assert.deepEqual([...di.rawTargets], [2, 0]);
});

test('corrupt and truncated CSV files are DataErrors naming the file, row and column', () => {
  const ragged = csv('ragged.csv', 'a,b,y\n1,2,3\n4,5\n');
  assert.throws(() => csvDataset(ragged, { target: 'y' }), isDataError(ragged, 'has 2 fields, the header has 3', 'line 3'));
  const truncated = csv('truncated.csv', 'a,b,y\n1,2,3\n4,"5');
  assert.throws(() => csvDataset(truncated, { target: 'y' }), isDataError(truncated, 'unterminated quoted field'));
  const text = csv('text.csv', 'a,b,y\n1,2,3\n4,five,6\n');
  assert.throws(() => csvDataset(text, { target: 'y' }), isDataError(text, "column 'b'", 'five', 'is not a number', 'line 3'));
  const empty = csv('blank.csv', 'a,b,y\n1,,3\n');
  assert.throws(() => csvDataset(empty, { target: 'y' }), isDataError(empty, "column 'b'"));
  const noTarget = csv('notarget.csv', 'a,b\n1,2\n');
  assert.throws(() => csvDataset(noTarget, { target: 'y' }), isDataError(noTarget, "no target column 'y'", 'columns are a, b'));
  assert.throws(() => csvDataset(noTarget, { target: 'b', features: ['a', 'c'] }), isDataError(noTarget, "no column 'c'"));
  const header = csv('header.csv', 'a,b,y\n');
  assert.throws(() => csvDataset(header, { target: 'y' }), isDataError(header, 'no data rows'));
  const nothing = csv('nothing.csv', '');
  assert.throws(() => csvDataset(nothing, { target: 'y' }), isDataError(nothing, 'no rows'));
  assert.throws(() => csvDataset(join(tmp.dir, 'absent.csv'), { target: 'y' }), isDataError(join(tmp.dir, 'absent.csv'), 'no such file'));
  assert.throws(() => csvDataset(ragged, { target: 'y', features: ['a', 'y'] }), ValueError);
});

test('Boston house prices from the stdlib package: 506 rows, 13 features, medv target', () => {
  const ds = bostonHousing();
  assert.equal(ds.length, 506);
  assert.equal(ds.numFeatures, 13);
  assert.deepEqual(ds.featureNames, BOSTON_FEATURES);
  assert.equal(ds.targetName, 'medv');
  assert.deepEqual(ds.features().shape, [506, 13]);
  const [x, y] = ds.get(0);
  assert.deepEqual([...x.toTypedArray()], [0.00632, 18, 2.31, 0, 0.538, 6.575, 65.2, 4.09, 1, 296, 15.3, 396.9, 4.98].map(Math.fround));
  assert.equal(y, 24);
  const t = ds.targets().toTypedArray();
  assert.ok(Math.min(...t) >= 5 && Math.max(...t) <= 50);
});
