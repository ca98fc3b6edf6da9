/**
 * Tests of src/tensor/random.ts: seeding, independent generators, state round-trips, and the
 * distribution of rand/randn (bounds of 5 standard errors or more, so they cannot flake).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Generator, ValueError, defaultGenerator, manualSeed, rand, randint, randn, randperm } from '../../src/index.js';

const arr = (t: { toTypedArray(): ArrayLike<number> }) => Array.from(t.toTypedArray());

describe('manualSeed', () => {
  test('makes rand, randn, randint and randperm reproducible', () => {
    const draw = () => [arr(rand([7])), arr(randn([5])), arr(randint(0, 100, [9])), arr(randperm(12))];
    manualSeed(1234);
    const a = draw();
    manualSeed(1234);
    const b = draw();
    assert.deepEqual(a, b);
    manualSeed(1235);
    const c = draw();
    for (let i = 0; i < a.length; i++) assert.notDeepEqual(a[i], c[i], `draw ${i} should change with the seed`);
  });

  test('the same seed gives the same stream whatever was drawn before', () => {
    manualSeed(9);
    const first = arr(randn([3]));
    randn([1]); // leaves a spare normal behind
    manualSeed(9);
    assert.deepEqual(arr(randn([3])), first);
  });

  test('drawing in pieces gives the same stream as drawing at once', () => {
    manualSeed(5);
    const whole = [arr(randn([5])), arr(rand([3]))];
    manualSeed(5);
    const pieces = [[...arr(randn([1])), ...arr(randn([3])), ...arr(randn([1]))], [...arr(rand([2])), ...arr(rand([1]))]];
    assert.deepEqual(pieces, whole);
  });

  test('returns the default generator; initialSeed reports the seed', () => {
    const g = manualSeed(77);
    assert.equal(g, defaultGenerator);
    assert.equal(g.initialSeed(), 77);
  });

  test('large and negative safe integers are accepted and distinct', () => {
    const first = (seed: number) => new Generator(seed).nextUint32();
    const seeds = [0, 1, -1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    const values = seeds.map(first);
    assert.equal(new Set(values).size, seeds.length, `first draws ${values}`);
  });

  test('rejects non-integer and unsafe seeds', () => {
    assert.throws(() => manualSeed(1.5), (e: unknown) => e instanceof ValueError && /seed/.test(e.message));
    assert.throws(() => manualSeed(2 ** 60), ValueError);
    assert.throws(() => manualSeed(NaN), ValueError);
  });
});

describe('Generator', () => {
  test('the same seed gives the same stream', () => {
    const a = new Generator(5);
    const b = new Generator(5);
    for (let i = 0; i < 100; i++) assert.equal(a.nextUint32(), b.nextUint32());
  });

  test('a separate generator is independent of the global one', () => {
    manualSeed(10);
    const expected = arr(rand([6]));
    manualSeed(10);
    const g = new Generator(10);
    const fromG = arr(rand([4], { generator: g }));
    // drawing from g did not advance the global stream
    assert.deepEqual(arr(rand([6])), expected);
    // and the global draws did not advance g: same seed, same numbers
    assert.deepEqual(fromG, expected.slice(0, 4));
    assert.deepEqual(arr(rand([2], { generator: g })), expected.slice(4, 6));
  });

  test('every random op takes a generator', () => {
    const run = (g: Generator) => [arr(rand([3], { generator: g })), arr(randn([3], { generator: g })), arr(randint(0, 9, [3], { generator: g })), arr(randperm(6, { generator: g }))];
    assert.deepEqual(run(new Generator(3)), run(new Generator(3)));
  });

  test('manualSeed on a generator restarts its stream', () => {
    const g = new Generator(8);
    const a = [g.random(), g.normal(), g.randint(0, 1000)];
    g.manualSeed(8);
    assert.deepEqual([g.random(), g.normal(), g.randint(0, 1000)], a);
  });

  test('getState / setState round-trip, including the spare normal', () => {
    const g = new Generator(21);
    g.normal(); // the pair's second value is now kept as a spare
    const state = g.getState();
    assert.equal(state.length, 6);
    const a = [g.normal(), g.normal(), g.random(), g.nextUint32()];
    g.setState(state);
    assert.deepEqual([g.normal(), g.normal(), g.random(), g.nextUint32()], a);
    // another generator takes the state over
    const h = new Generator(0);
    h.setState(state);
    assert.deepEqual([h.normal(), h.normal(), h.random(), h.nextUint32()], a);
    assert.equal(h.initialSeed(), 21);
  });

  test('the state survives JSON (for checkpoints)', () => {
    const g = new Generator(4);
    g.random();
    const state = g.getState(); // no spare: a NaN slot, which JSON writes as null
    const restored = JSON.parse(JSON.stringify(state)) as number[];
    const h = new Generator(0);
    h.setState(restored);
    assert.equal(h.random(), g.random());
  });

  test('setState refuses a malformed state', () => {
    assert.throws(() => new Generator(1).setState([1, 2]), (e: unknown) => e instanceof ValueError && /setState/.test(e.message));
  });

  test('rand (fillRandom) draws exactly the numbers random() gives one at a time, and leaves the stream where they would', () => {
    const a = new Generator(7);
    const b = new Generator(7);
    const x64 = rand([3, 67], { generator: a, dtype: 'float64' }).toTypedArray();
    const x32 = rand([129], { generator: a }).toTypedArray();
    assert.deepEqual(x64, Float64Array.from({ length: 201 }, () => b.random()));
    assert.deepEqual(x32, Float32Array.from({ length: 129 }, () => b.random()));
    assert.equal(a.nextUint32(), b.nextUint32());
  });

  test('randn (fillNormal) draws exactly the numbers normal() gives one at a time, in float64 and float32', () => {
    const a = new Generator(5);
    const b = new Generator(5);
    assert.deepEqual(randn([3, 67], { generator: a, dtype: 'float64' }).toTypedArray(), Float64Array.from({ length: 201 }, () => b.normal()));
    assert.deepEqual(randn([129], { generator: a }).toTypedArray(), Float32Array.from({ length: 129 }, () => b.normal()));
    assert.equal(a.normal(), b.normal());
  });

  test('fillNormal draws exactly the numbers normal() gives one at a time: spare first, odd tails kept as the spare', () => {
    const a = new Generator(11);
    const b = new Generator(11);
    a.normal(); b.normal(); // both hold a spare now
    for (const n of [0, 1, 6, 7, 1, 33, 140001]) {
      const got = new Float64Array(n);
      a.fillNormal(got);
      assert.deepEqual(got, Float64Array.from({ length: n }, () => b.normal()), `length ${n}`);
    }
    assert.equal(a.normal(), b.normal());
    assert.equal(a.nextUint32(), b.nextUint32());
    const f32 = new Float32Array(5);
    a.fillNormal(f32);
    assert.deepEqual(f32, Float32Array.from({ length: 5 }, () => b.normal()));
  });

  test('nextUint32 gives 32-bit unsigned integers; random is in [0, 1)', () => {
    const g = new Generator(99);
    let top = 0;
    for (let i = 0; i < 10000; i++) {
      const u = g.nextUint32();
      assert.ok(Number.isInteger(u) && u >= 0 && u < 2 ** 32);
      if (u >= 2 ** 31) top++;
      const r = g.random();
      assert.ok(r >= 0 && r < 1);
    }
    // the top bit is set in half the draws: sd = 50; allow 6 sd
    assert.ok(Math.abs(top - 5000) < 300, `top bit set ${top} times in 10000`);
  });

  test('randint covers [low, high) uniformly', () => {
    const g = new Generator(12);
    const counts = new Array(10).fill(0);
    const n = 100000;
    for (let i = 0; i < n; i++) counts[g.randint(0, 10)]++;
    // each count is Binomial(1e5, 0.1): sd ~ 94.9; 6 sd ~ 570
    for (const c of counts) assert.ok(Math.abs(c - n / 10) < 570, `counts ${counts}`);
  });
});

describe('distributions', () => {
  const n = 100000;

  test('randn: mean near 0 and std near 1 over 100k samples', () => {
    manualSeed(2024);
    const x = Float64Array.from(randn([n]).toTypedArray());
    let mean = 0;
    for (const v of x) mean += v;
    mean /= n;
    let m2 = 0;
    let m4 = 0;
    for (const v of x) {
      m2 += (v - mean) ** 2;
      m4 += (v - mean) ** 4;
    }
    const variance = m2 / (n - 1);
    // standard error of the mean is 1/sqrt(n) ~ 0.00316; of the variance sqrt(2/n) ~ 0.00447
    assert.ok(Math.abs(mean) < 5 / Math.sqrt(n), `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 5 * Math.sqrt(2 / n), `variance ${variance}`);
    // kurtosis 3 (standard error ~ sqrt(24/n) ~ 0.0155) tells a normal from, say, a uniform rescaled
    const kurtosis = m4 / n / (m2 / n) ** 2;
    assert.ok(Math.abs(kurtosis - 3) < 6 * Math.sqrt(24 / n), `kurtosis ${kurtosis}`);
    // about 68.27% within one sd: standard error ~ 0.00147
    const within = x.reduce((c, v) => c + (Math.abs(v) < 1 ? 1 : 0), 0) / n;
    assert.ok(Math.abs(within - 0.682689) < 0.008, `fraction within 1 sd: ${within}`);
  });

  test('rand: within [0, 1), mean near 0.5, uniform by decile', () => {
    manualSeed(7);
    const x = rand([n]).toTypedArray();
    let sum = 0;
    const deciles = new Array(10).fill(0);
    for (const v of x) {
      assert.ok(v >= 0 && v < 1);
      sum += v;
      deciles[Math.floor(v * 10)]++;
    }
    const mean = sum / n;
    // sd of a uniform is 1/sqrt(12); standard error of the mean ~ 0.000913
    assert.ok(Math.abs(mean - 0.5) < 5 / Math.sqrt(12 * n), `mean ${mean}`);
    for (const c of deciles) assert.ok(Math.abs(c - n / 10) < 570, `deciles ${deciles}`);
  });

  test('randperm puts every value in every position about equally often', () => {
    const g = new Generator(31);
    const k = 5;
    const trials = 20000;
    const counts = Array.from({ length: k }, () => new Array(k).fill(0));
    for (let t = 0; t < trials; t++) {
      const p = randperm(k, { generator: g }).toTypedArray();
      for (let i = 0; i < k; i++) counts[i][p[i]]++;
    }
    // each count is Binomial(2e4, 0.2): sd ~ 56.6; 6 sd ~ 340
    for (const row of counts) for (const c of row) assert.ok(Math.abs(c - trials / k) < 340, `counts ${JSON.stringify(counts)}`);
  });
});
