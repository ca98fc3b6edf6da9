import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DataLoader, Generator, RandomSampler, SequentialSampler, ShapeError, TensorDataset, ValueError, arange, defaultCollate, manualSeed, tensor,
  type Dataset, type Tensor,
} from '../../src/index.js';

function range(n: number): Dataset<number> {
  return { length: n, get: (i: number) => i };
}

/** Batches of a loader over range(n) with the identity collate, as plain index arrays. */
function batches(loader: DataLoader<number, number[]>): number[][] {
  return [...loader];
}

const ident = (s: number[]) => s;

test('batch sizes, the last partial batch, dropLast and length', () => {
  const l = new DataLoader(range(10), { batchSize: 4, collate: ident });
  assert.deepEqual(batches(l), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  assert.equal(l.length, 3);
  const d = new DataLoader(range(10), { batchSize: 4, dropLast: true, collate: ident });
  assert.deepEqual(batches(d), [[0, 1, 2, 3], [4, 5, 6, 7]]);
  assert.equal(d.length, 2);
  const exact = new DataLoader(range(8), { batchSize: 4, dropLast: true, collate: ident });
  assert.equal(exact.length, 2);
  assert.equal(batches(exact).length, 2);
  assert.deepEqual(batches(new DataLoader(range(3), { collate: ident })), [[0], [1], [2]]);
  assert.equal(new DataLoader(range(3), { batchSize: 5, dropLast: true }).length, 0);
  assert.deepEqual([...new DataLoader(range(3), { batchSize: 5, dropLast: true })], []);
  assert.deepEqual([...new DataLoader(range(0), { batchSize: 2 })], []);
});

test('shuffle visits every item once per epoch, reshuffles each epoch, reproducible under manualSeed', () => {
  const l = new DataLoader(range(20), { batchSize: 6, shuffle: true, collate: ident });
  manualSeed(123);
  const e1 = batches(l);
  const e2 = batches(l);
  assert.deepEqual(e1.map((b) => b.length), [6, 6, 6, 2]);
  for (const e of [e1, e2]) assert.deepEqual(e.flat().sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  assert.notDeepEqual(e1.flat(), e2.flat());
  assert.notDeepEqual(e1.flat(), Array.from({ length: 20 }, (_, i) => i));
  manualSeed(123);
  assert.deepEqual(batches(l), e1);
  assert.deepEqual(batches(l), e2);
});

test('shuffle with its own generator ignores the global seed', () => {
  const run = (seed: number) => {
    const l = new DataLoader(range(15), { batchSize: 4, shuffle: true, generator: new Generator(5), collate: ident });
    manualSeed(seed);
    return [batches(l), batches(l)];
  };
  const a = run(1);
  assert.deepEqual(run(999), a);
  assert.notDeepEqual(a[0], a[1]);
});

test('a custom sampler sets the order', () => {
  const sampler = { length: 4, *[Symbol.iterator]() { yield* [3, 1, 4, 1]; } };
  assert.deepEqual(batches(new DataLoader(range(5), { batchSize: 3, sampler, collate: ident })), [[3, 1, 4], [1]]);
  assert.equal(new DataLoader(range(5), { batchSize: 3, sampler }).length, 2);
  const rs = new RandomSampler(6, { generator: new Generator(0) });
  assert.deepEqual(batches(new DataLoader(range(6), { batchSize: 6, sampler: rs, collate: ident })).flat().sort(), [0, 1, 2, 3, 4, 5]);
});

test('default collate stacks tensors and collates tuples (TensorDataset)', () => {
  const x = arange(24).reshape([6, 2, 2]);
  const y = tensor(Int32Array.from([0, 1, 2, 3, 4, 5]));
  const l = new DataLoader(new TensorDataset(x, y), { batchSize: 4 });
  const out = [...l] as Tensor[][];
  assert.equal(out.length, 2);
  const [xb, yb] = out[0];
  assert.deepEqual(xb.shape, [4, 2, 2]);
  assert.deepEqual(xb.toArray(), (x.toArray() as number[][][]).slice(0, 4));
  assert.deepEqual(yb.shape, [4]);
  assert.equal(yb.dtype, 'int32');
  assert.deepEqual(yb.toArray(), [0, 1, 2, 3]);
  assert.deepEqual(out[1][0].shape, [2, 2, 2]);
  assert.deepEqual(out[1][1].toArray(), [4, 5]);
});

test('default collate: numbers, booleans, strings, arrays, objects', () => {
  const ints = defaultCollate([1, 2, -3]) as Tensor;
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(ints.toArray(), [1, 2, -3]);
  const floats = defaultCollate([1, 2.5, -3]) as Tensor;
  assert.equal(floats.dtype, 'float32');
  assert.deepEqual(floats.toArray(), [1, 2.5, -3]);
  const big = defaultCollate([1, 2 ** 40]) as Tensor;
  assert.equal(big.dtype, 'float64');
  assert.deepEqual(big.toArray(), [1, 2 ** 40]);
  const bools = defaultCollate([true, false, true]) as Tensor;
  assert.equal(bools.dtype, 'bool');
  assert.deepEqual(bools.toArray(), [true, false, true]);
  assert.deepEqual(defaultCollate(['a', 'b']), ['a', 'b']);
  const tup = defaultCollate([[1, 'x', 0.5], [2, 'y', 1.5]]) as [Tensor, string[], Tensor];
  assert.deepEqual(tup[0].toArray(), [1, 2]);
  assert.equal(tup[0].dtype, 'int32');
  assert.deepEqual(tup[1], ['x', 'y']);
  assert.deepEqual(tup[2].toArray(), [0.5, 1.5]);
  const obj = defaultCollate([{ img: tensor([1, 2]), label: 3, meta: { name: 'a' } }, { img: tensor([3, 4]), label: 4, meta: { name: 'b' } }]) as {
    img: Tensor; label: Tensor; meta: { name: string[] };
  };
  assert.deepEqual(obj.img.shape, [2, 2]);
  assert.deepEqual(obj.img.toArray(), [[1, 2], [3, 4]]);
  assert.deepEqual(obj.label.toArray(), [3, 4]);
  assert.deepEqual(obj.meta, { name: ['a', 'b'] });
  const typed = defaultCollate([Float32Array.from([1, 2, 3]), Float32Array.from([4, 5, 6])]) as Tensor;
  assert.deepEqual(typed.shape, [2, 3]);
  assert.equal(typed.dtype, 'float32');
  assert.deepEqual(typed.toArray(), [[1, 2, 3], [4, 5, 6]]);
});

test('default collate refuses empty batches and samples of different structure', () => {
  assert.throws(() => defaultCollate([]), (e: Error) => e instanceof ValueError && /empty batch/.test(e.message));
  assert.throws(() => defaultCollate([1, 'a']), (e: Error) => e instanceof ValueError && /sample 1 is a string but sample 0 is a number/.test(e.message));
  assert.throws(() => defaultCollate([{ a: 1 }, { b: 1 }]), (e: Error) => e instanceof ValueError && /sample 1 has keys \{b\}, sample 0 has \{a\}/.test(e.message));
  assert.throws(() => defaultCollate([{ a: 1 }, {}]), ValueError);
  assert.throws(() => defaultCollate([[1, 2], [1]]), (e: Error) => e instanceof ValueError && /length 1/.test(e.message));
  assert.throws(() => defaultCollate([null, null]), (e: Error) => e instanceof ValueError && /null; pass a collate function/.test(e.message));
  assert.throws(() => defaultCollate([new Map(), new Map()]), (e: Error) => e instanceof ValueError && /Map/.test(e.message));
  assert.throws(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])]), ShapeError);
});

test('a custom collate receives the samples of each batch', () => {
  const seen: number[][] = [];
  const l = new DataLoader(range(5), { batchSize: 2, collate: (s: number[]) => { seen.push([...s]); return s.reduce((a, b) => a + b, 0); } });
  assert.deepEqual([...l], [1, 5, 4]);
  assert.deepEqual(seen, [[0, 1], [2, 3], [4]]);
});

test('iterable datasets are batched in their own order; a plain array is map-style', () => {
  function* gen() { for (let i = 0; i < 7; i++) yield i * 10; }
  const it = { [Symbol.iterator]: gen };
  const l = new DataLoader(it, { batchSize: 3, collate: ident });
  assert.deepEqual([...l], [[0, 10, 20], [30, 40, 50], [60]]);
  assert.deepEqual([...l], [[0, 10, 20], [30, 40, 50], [60]], 'a second epoch iterates again');
  assert.deepEqual([...new DataLoader(it, { batchSize: 3, dropLast: true, collate: ident })], [[0, 10, 20], [30, 40, 50]]);
  assert.throws(() => l.length, (e: Error) => e instanceof ValueError && /no known length/.test(e.message));
  assert.throws(() => new DataLoader(it, { shuffle: true }), (e: Error) => e instanceof ValueError && /iterable dataset takes neither/.test(e.message));
  assert.throws(() => new DataLoader(it, { sampler: new SequentialSampler(3) }), ValueError);
  const arr = ['a', 'b', 'c', 'd', 'e'];
  const al = new DataLoader(arr, { batchSize: 2, shuffle: true, generator: new Generator(3) });
  assert.equal(al.length, 3);
  const got = ([...al] as string[][]).flat();
  assert.deepEqual([...got].sort(), arr);
});

test('bad options are refused', () => {
  for (const b of [0, -1, 1.5, NaN]) {
    assert.throws(() => new DataLoader(range(3), { batchSize: b }), (e: Error) => e instanceof ValueError && /batchSize must be a positive integer/.test(e.message));
  }
  assert.throws(() => new DataLoader(range(3), { shuffle: true, sampler: new SequentialSampler(3) }), (e: Error) => e instanceof ValueError && /sampler and shuffle/.test(e.message));
  assert.throws(() => new DataLoader(42 as unknown as Dataset<number>), (e: Error) => e instanceof ValueError && /get\(i\) and length, or be iterable/.test(e.message));
});
