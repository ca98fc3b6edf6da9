import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Generator, RandomSampler, SequentialSampler, SubsetRandomSampler, ValueError, WeightedRandomSampler, manualSeed } from '../../src/index.js';

const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

test('SequentialSampler yields 0..n-1', () => {
  assert.deepEqual([...new SequentialSampler(5)], [0, 1, 2, 3, 4]);
  assert.equal(new SequentialSampler(5).length, 5);
  assert.deepEqual([...new SequentialSampler(0)], []);
});

test('RandomSampler yields a permutation, a new one each pass, reproducibly', () => {
  const s = new RandomSampler(30, { generator: new Generator(3) });
  assert.equal(s.length, 30);
  const p1 = [...s];
  const p2 = [...s];
  assert.deepEqual(sorted(p1), iota(30));
  assert.deepEqual(sorted(p2), iota(30));
  assert.notDeepEqual(p1, p2);
  assert.notDeepEqual(p1, iota(30));
  assert.deepEqual([...new RandomSampler(30, { generator: new Generator(3) })], p1);
  manualSeed(11);
  const a = [...new RandomSampler(30)];
  manualSeed(11);
  assert.deepEqual([...new RandomSampler(30)], a);
});

test('RandomSampler: every permutation of 3 items shows up, about equally often', () => {
  const g = new Generator(5);
  const counts = new Map<string, number>();
  const N = 6000;
  for (let i = 0; i < N; i++) {
    const k = [...new RandomSampler(3, { generator: g })].join('');
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  assert.equal(counts.size, 6);
  const sd = Math.sqrt(N * (1 / 6) * (5 / 6));
  for (const c of counts.values()) assert.ok(Math.abs(c - N / 6) < 6 * sd, `count ${c}`);
});

test('RandomSampler with replacement and numSamples', () => {
  const s = new RandomSampler(4, { replacement: true, numSamples: 2000, generator: new Generator(9) });
  assert.equal(s.length, 2000);
  const draws = [...s];
  assert.equal(draws.length, 2000);
  assert.ok(draws.every((i) => Number.isInteger(i) && i >= 0 && i < 4));
  // With replacement repeats are certain among 2000 draws of 4 values; each value near 500 (6 sigma).
  const sd = Math.sqrt(2000 * 0.25 * 0.75);
  for (let v = 0; v < 4; v++) assert.ok(Math.abs(draws.filter((d) => d === v).length - 500) < 6 * sd);
  // Fewer draws than items with replacement.
  assert.equal([...new RandomSampler(10, { replacement: true, numSamples: 3 })].length, 3);
});

test('RandomSampler without replacement: numSamples below n gives distinct indices, above n chains permutations (PyTorch)', () => {
  const few = [...new RandomSampler(10, { numSamples: 4, generator: new Generator(1) })];
  assert.equal(few.length, 4);
  assert.equal(new Set(few).size, 4);
  const many = [...new RandomSampler(4, { numSamples: 10, generator: new Generator(1) })];
  assert.equal(many.length, 10);
  assert.deepEqual(sorted(many.slice(0, 4)), iota(4));
  assert.deepEqual(sorted(many.slice(4, 8)), iota(4));
  assert.equal(new Set(many.slice(8)).size, 2);
});

test('RandomSampler refuses bad sizes', () => {
  assert.throws(() => new RandomSampler(-1), ValueError);
  assert.throws(() => new RandomSampler(2.5), ValueError);
  assert.throws(() => new RandomSampler(3, { numSamples: -2 }), (e: Error) => e instanceof ValueError && /numSamples/.test(e.message));
  assert.throws(() => new RandomSampler(0, { numSamples: 3, replacement: true }), ValueError);
  assert.deepEqual([...new RandomSampler(0)], []);
});

test('SubsetRandomSampler permutes exactly the given indices, reproducibly', () => {
  const idx = [3, 17, 5, 40, 41];
  const s = new SubsetRandomSampler(idx, { generator: new Generator(2) });
  assert.equal(s.length, 5);
  const seen = new Set<string>();
  for (let e = 0; e < 20; e++) {
    const p = [...s];
    assert.deepEqual(sorted(p), sorted(idx));
    seen.add(p.join(','));
  }
  assert.ok(seen.size > 1, 'the order changes between passes');
  assert.deepEqual([...new SubsetRandomSampler(idx, { generator: new Generator(2) })], [...new SubsetRandomSampler(idx, { generator: new Generator(2) })]);
});

test('WeightedRandomSampler draws in proportion to the weights (6 sigma bounds)', () => {
  const weights = [1, 0, 3, 6, 0];
  const N = 60000;
  const draws = [...new WeightedRandomSampler(weights, N, { generator: new Generator(4) })];
  assert.equal(draws.length, N);
  const total = 10;
  weights.forEach((w, i) => {
    const c = draws.filter((d) => d === i).length;
    const p = w / total;
    if (w === 0) assert.equal(c, 0, `zero-weight item ${i} drawn`);
    else assert.ok(Math.abs(c - N * p) < 6 * Math.sqrt(N * p * (1 - p)), `item ${i}: ${c} vs ${N * p}`);
  });
});

test('WeightedRandomSampler never draws trailing zero-weight items, whatever the rounding of the weights sum', () => {
  // 0.1/0.6 + 0.2/0.6 + 0.3/0.6 rounds to 0.9999999999999999; the largest uniform draw, 1 - 2^-53, lies above it
  // and must still land on item 2, not on the zero-weight item 3.
  const top = { random: () => 1 - 2 ** -53 } as unknown as Generator;
  assert.deepEqual([...new WeightedRandomSampler([0.1, 0.2, 0.3, 0], 3, { generator: top })], [2, 2, 2]);
  const bottom = { random: () => 0 } as unknown as Generator;
  assert.deepEqual([...new WeightedRandomSampler([0, 0, 1, 1], 2, { generator: bottom })], [2, 2]);
});

test('WeightedRandomSampler without replacement draws distinct indices with nonzero weight', () => {
  const weights = [5, 0, 1, 1, 2, 0, 3];
  for (let seed = 0; seed < 50; seed++) {
    const d = [...new WeightedRandomSampler(weights, 5, { replacement: false, generator: new Generator(seed) })];
    assert.equal(d.length, 5);
    assert.equal(new Set(d).size, 5);
    assert.ok(d.every((i) => weights[i] > 0));
  }
  // The heaviest item comes first most often: P(first = 0) = 5/12.
  const N = 6000;
  let first0 = 0;
  const g = new Generator(1);
  for (let i = 0; i < N; i++) if ([...new WeightedRandomSampler(weights, 1, { replacement: false, generator: g })][0] === 0) first0++;
  const p = 5 / 12;
  assert.ok(Math.abs(first0 - N * p) < 6 * Math.sqrt(N * p * (1 - p)), `${first0}`);
  assert.throws(() => new WeightedRandomSampler(weights, 6, { replacement: false }), (e: Error) => e instanceof ValueError && /5 items with nonzero weight/.test(e.message));
});

test('WeightedRandomSampler is reproducible and refuses bad weights', () => {
  const w = [1, 2, 3];
  assert.deepEqual([...new WeightedRandomSampler(w, 50, { generator: new Generator(6) })], [...new WeightedRandomSampler(w, 50, { generator: new Generator(6) })]);
  manualSeed(12);
  const a = [...new WeightedRandomSampler(w, 50)];
  manualSeed(12);
  assert.deepEqual([...new WeightedRandomSampler(w, 50)], a);
  assert.throws(() => new WeightedRandomSampler([1, -1, 2], 3), (e: Error) => e instanceof ValueError && /non-negative/.test(e.message));
  assert.throws(() => new WeightedRandomSampler([0, 0], 3), (e: Error) => e instanceof ValueError && /positive sum/.test(e.message));
  assert.throws(() => new WeightedRandomSampler([], 3), ValueError);
  assert.throws(() => new WeightedRandomSampler([1, NaN], 3), ValueError);
  assert.throws(() => new WeightedRandomSampler([1, Infinity], 3), ValueError);
  assert.throws(() => new WeightedRandomSampler([1, 2], -1), (e: Error) => e instanceof ValueError && /numSamples/.test(e.message));
  assert.throws(() => new WeightedRandomSampler([1, 2], 1.5), ValueError);
});
