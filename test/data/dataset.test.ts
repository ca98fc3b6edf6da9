import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConcatDataset, Generator, ShapeError, Subset, TensorDataset, ValueError, arange, manualSeed, randomSplit, tensor, type Dataset } from '../../src/index.js';

/** A map-style dataset whose item i is i itself. */
function range(n: number): Dataset<number> {
  return { length: n, get: (i: number) => i };
}

const items = <T>(d: Dataset<T>): T[] => Array.from({ length: d.length }, (_, i) => d.get(i));

test('TensorDataset yields the i-th slice of every tensor', () => {
  const x = arange(12).reshape([4, 3]);
  const y = tensor(Int32Array.from([7, 8, 9, 10]));
  const ds = new TensorDataset(x, y);
  assert.equal(ds.length, 4);
  const [xi, yi] = ds.get(2);
  assert.deepEqual(xi.shape, [3]);
  assert.deepEqual(xi.toArray(), [6, 7, 8]);
  assert.deepEqual(yi.shape, []);
  assert.equal(yi.item(), 9);
  assert.equal(yi.dtype, 'int32');
  assert.deepEqual(ds.get(0)[0].toArray(), [0, 1, 2]);
  assert.deepEqual(ds.get(3)[0].toArray(), [9, 10, 11]);
});

test('TensorDataset refuses mismatched, scalar or no tensors and bad indices', () => {
  assert.throws(() => new TensorDataset(), ValueError);
  assert.throws(() => new TensorDataset(arange(4), arange(5)), (e: Error) => e instanceof ShapeError && /tensors\[1\] has shape \[5\]/.test(e.message));
  assert.throws(() => new TensorDataset(tensor(3)), ShapeError);
  const ds = new TensorDataset(arange(3));
  for (const bad of [-1, 3, 1.5, NaN]) assert.throws(() => ds.get(bad), (e: Error) => e instanceof ValueError && /TensorDataset: index/.test(e.message));
});

test('Subset maps its indices in order, repeats allowed, and checks them', () => {
  const s = new Subset(range(10), [7, 2, 2, 9]);
  assert.equal(s.length, 4);
  assert.deepEqual(items(s), [7, 2, 2, 9]);
  assert.throws(() => s.get(4), ValueError);
  assert.throws(() => new Subset(range(3), [0, 3]), (e: Error) => e instanceof ValueError && /index 3 is out of range for 3 items/.test(e.message));
  assert.throws(() => new Subset(range(3), [-1]), ValueError);
  assert.equal(new Subset(range(3), []).length, 0);
});

test('ConcatDataset chains datasets, empty ones included', () => {
  const a: Dataset<string> = { length: 2, get: (i) => `a${i}` };
  const empty: Dataset<string> = { length: 0, get: () => { throw new Error('never'); } };
  const b: Dataset<string> = { length: 3, get: (i) => `b${i}` };
  const c = new ConcatDataset([a, empty, b, empty]);
  assert.equal(c.length, 5);
  assert.deepEqual(items(c), ['a0', 'a1', 'b0', 'b1', 'b2']);
  assert.throws(() => c.get(5), ValueError);
  assert.throws(() => c.get(-1), ValueError);
  assert.equal(new ConcatDataset([]).length, 0);
  assert.throws(() => new ConcatDataset([a, [1, 2] as unknown as Dataset<string>]), (e: Error) => e instanceof ValueError && /datasets\[1\]/.test(e.message));
});

test('randomSplit with counts: sizes, disjoint cover of the dataset', () => {
  const parts = randomSplit(range(20), [5, 0, 15], { generator: new Generator(1) });
  assert.deepEqual(parts.map((p) => p.length), [5, 0, 15]);
  const all = parts.flatMap((p) => items(p));
  assert.deepEqual([...all].sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i));
  // Not the identity order (a shuffled split): probability 1/20! of failing by chance.
  assert.notDeepEqual(all, Array.from({ length: 20 }, (_, i) => i));
});

test('randomSplit with fractions matches PyTorch lengths (floor, remainder round-robin)', () => {
  // Expected values from torch.utils.data.random_split (PyTorch 1.13).
  const cases: [number, number[], number[]][] = [
    [10, [0.33, 0.33, 0.34], [4, 3, 3]],
    [7, [0.5, 0.5], [4, 3]],
    [1, [0.5, 0.5], [1, 0]],
    [11, [0.1, 0.2, 0.3, 0.4], [2, 2, 3, 4]],
    [5, [1.0], [5]],
    [5, [0, 1], [0, 5]],
    [100, [0.29, 0.71], [29, 71]],
    [3, [0.25, 0.25, 0.25, 0.25], [1, 1, 1, 0]],
  ];
  for (const [n, fr, want] of cases) {
    const parts = randomSplit(range(n), fr, { generator: new Generator(0) });
    assert.deepEqual(parts.map((p) => p.length), want, `n=${n} fractions ${fr}`);
    assert.equal(new Set(parts.flatMap((p) => items(p))).size, n);
  }
});

test('randomSplit is reproducible with a Generator and with manualSeed', () => {
  const split = (g?: Generator) => randomSplit(range(50), [0.6, 0.4], g ? { generator: g } : {}).map((p) => items(p));
  assert.deepEqual(split(new Generator(42)), split(new Generator(42)));
  assert.notDeepEqual(split(new Generator(42)), split(new Generator(43)));
  manualSeed(7);
  const a = split();
  manualSeed(7);
  assert.deepEqual(split(), a);
});

test('randomSplit refuses lengths that do not fit', () => {
  const bad: number[][] = [[3, 3], [11], [-1, 11], [2.5, 7.5], [0.5, 0.6], [0.5, 0.4], [], [NaN, 10]];
  for (const l of bad) {
    assert.throws(() => randomSplit(range(10), l), (e: Error) => e instanceof ValueError && /randomSplit: lengths/.test(e.message), JSON.stringify(l));
  }
});
