/**
 * dropout1d, dropout3d, alphaDropout and featureAlphaDropout (src/ops/dropout-variants.ts) and their layers.
 * Random, so no golden values: properties every mask satisfies (kept values are x scaled, whole channels go
 * together, dropped values are exactly alpha dropout's constant, gradients follow the mask), statistics over
 * 10^4..10^6 draws within 5 standard deviations, and reproducibility under a seed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import * as F from '../../src/nn/functional.js';
import { DTypeError, Generator, ShapeError, ValueError, nn, type Tensor } from '../../src/index.js';

const randn = (shape: number[]) => sd.randn(shape, { dtype: 'float64' });
const arr = (t: Tensor) => t.toTypedArray();
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

function assertBernoulli(kept: number, n: number, q: number, what: string): void {
  const sigma = Math.sqrt(n * q * (1 - q));
  assert.ok(Math.abs(kept - n * q) <= 5 * sigma, `${what}: kept ${kept} of ${n}, expected ${n * q} ± ${5 * sigma}`);
}

const ALPHA = 1.7580993408473766;
const alphaA = (p: number) => 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));

/** Checks channel dropout on x of shape [planes..., inner]: each of `planes` channels kept whole (x / (1 - p)) or zeroed. */
function checkChannels(xs: ArrayLike<number>, ys: ArrayLike<number>, planes: number, inner: number, p: number): number {
  let kept = 0;
  for (let c = 0; c < planes; c++) {
    const on = ys[c * inner] !== 0;
    if (on) kept++;
    for (let i = 0; i < inner; i++) {
      const want = on ? xs[c * inner + i] * (1 / (1 - p)) : 0;
      assert.ok(ys[c * inner + i] === want, `channel ${c} element ${i}: got ${ys[c * inner + i]}, expected ${want}`);
    }
  }
  return kept;
}

const channelCases: [string, typeof F.dropout1d, number[], number[]][] = [
  ['dropout1d', F.dropout1d, [100, 100, 6], [300, 7]],
  ['dropout3d', F.dropout3d, [50, 200, 2, 2, 3], [400, 2, 1, 3]],
];
for (const [name, fn, batched, unbatched] of channelCases) {
  describe(name, () => {
    test('zeroes whole channels, a fraction p (5 sigma), scales the rest by 1 / (1 - p); unbatched input too', () => {
      sd.manualSeed(31);
      const p = 0.3;
      for (const shape of [batched, unbatched]) {
        const x = randn(shape);
        const inner = shape.slice(shape.length === batched.length ? 2 : 1).reduce((a, b) => a * b, 1);
        const planes = x.numel() / inner;
        const kept = checkChannels(arr(x), arr(fn(x, p)), planes, inner, p);
        assertBernoulli(kept, planes, 1 - p, `${name} ${JSON.stringify(shape)}`);
      }
    });
    test('gradient is the channel mask / (1 - p); eval and p = 0 are the identity; p = 1 gives zeros; seeded', () => {
      sd.manualSeed(32);
      const x = randn(batched).requiresGrad_();
      const y = fn(x, 0.5);
      const g = arr(sd.grad(y.sum(), [x])[0]);
      const ys = arr(y);
      for (let i = 0; i < ys.length; i++) assert.equal(g[i], ys[i] === 0 ? 0 : 2, `element ${i}`);
      assert.equal(fn(x, 0.5, { training: false }), x);
      assert.equal(fn(x, 0), x);
      assert.ok(arr(fn(x, 1)).every((v) => v === 0));
      sd.manualSeed(5);
      const a = arr(fn(x, 0.5));
      sd.manualSeed(5);
      assert.deepEqual(arr(fn(x, 0.5)), a);
      assert.deepEqual(arr(fn(x, 0.5, { generator: new Generator(9) })), arr(fn(x, 0.5, { generator: new Generator(9) })));
      assert.notDeepEqual(arr(fn(x, 0.5, { generator: new Generator(9) })), arr(fn(x, 0.5, { generator: new Generator(10) })));
    });
  });
}

describe('dropout1d / dropout3d bad inputs', () => {
  test('rank, dtype and p are checked', () => {
    assert.throws(() => F.dropout1d(randn([2, 3, 4, 5])), isErr(ShapeError, /^dropout1d: input must be 2-D \(C, L\) or 3-D \(N, C, L\), got shape \[2, 3, 4, 5\]$/));
    assert.throws(() => F.dropout1d(randn([5])), isErr(ShapeError, /^dropout1d: input must be 2-D/));
    assert.throws(() => F.dropout3d(randn([2, 3, 4])), isErr(ShapeError, /^dropout3d: input must be 4-D \(C, D, H, W\) or 5-D \(N, C, D, H, W\), got shape \[2, 3, 4\]$/));
    assert.throws(() => F.dropout3d(randn([1, 2, 2, 2, 2]), 1.5), isErr(ValueError, /^dropout3d: probability p must be in \[0, 1\], got 1\.5$/));
    assert.throws(() => F.dropout1d(sd.ones([2, 3], { dtype: 'int32' })), isErr(DTypeError, /^dropout1d: input must be floating point, got int32$/));
  });
});

describe('alphaDropout', () => {
  test('kept values are a x + ALPHA a p, dropped ones -ALPHA a (1 - p), a fraction p dropped (5 sigma over 10^6)', () => {
    sd.manualSeed(41);
    const p = 0.2;
    const a = alphaA(p);
    const x = randn([1000, 1000]);
    const xs = arr(x);
    const ys = arr(F.alphaDropout(x, p));
    const dropped = ALPHA * a * (p - 1);
    let kept = 0;
    for (let i = 0; i < xs.length; i++) {
      const want = xs[i] * a + ALPHA * a * p;
      if (Math.abs(ys[i] - want) <= 1e-12 * (1 + Math.abs(want))) kept++;
      else assert.ok(Math.abs(ys[i] - dropped) <= 1e-12, `element ${i}: got ${ys[i]}, neither kept ${want} nor dropped ${dropped}`);
    }
    assertBernoulli(kept, xs.length, 1 - p, 'alphaDropout');
  });
  test('keeps the mean and variance of a standard normal input (SELU fixed point) within 5 sigma', () => {
    sd.manualSeed(42);
    for (const p of [0.1, 0.5]) {
      const ys = arr(F.alphaDropout(randn([1000, 1000]), p));
      const n = ys.length;
      let m = 0;
      for (let i = 0; i < n; i++) m += ys[i];
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (ys[i] - m) ** 2;
      v /= n;
      // the output's fourth moment is a few times 1 for these p, so var's standard error is about sqrt(3 / n)
      assert.ok(Math.abs(m) < 5 / Math.sqrt(n), `p = ${p}: mean ${m}`);
      assert.ok(Math.abs(v - 1) < 5 * Math.sqrt(4 / n), `p = ${p}: variance ${v}`);
    }
  });
  test('gradient is a where kept, 0 where dropped; float32; eval / p = 0 identity; p = 1 zeros; seeded', () => {
    sd.manualSeed(43);
    const p = 0.4;
    const x = randn([200, 300]).requiresGrad_();
    const y = F.alphaDropout(x, p);
    const g = arr(sd.grad(y.sum(), [x])[0]);
    const ys = arr(y);
    const a = alphaA(p);
    const dropped = ALPHA * a * (p - 1);
    for (let i = 0; i < ys.length; i++) assert.ok(Math.abs(g[i] - (Math.abs(ys[i] - dropped) <= 1e-12 ? 0 : a)) <= 1e-15, `element ${i}: ${g[i]}`);
    const x32 = sd.randn([10, 10]);
    assert.equal(F.alphaDropout(x32, 0.3).dtype, 'float32');
    assert.equal(F.alphaDropout(x, p, { training: false }), x);
    assert.equal(F.alphaDropout(x, 0), x);
    assert.ok(arr(F.alphaDropout(x, 1)).every((v) => v === 0));
    sd.manualSeed(6);
    const r1 = arr(F.alphaDropout(x, 0.5));
    sd.manualSeed(6);
    assert.deepEqual(arr(F.alphaDropout(x, 0.5)), r1);
    assert.deepEqual(arr(F.alphaDropout(x, 0.5, { generator: new Generator(3) })), arr(F.alphaDropout(x, 0.5, { generator: new Generator(3) })));
  });
  test('bad p and integer input', () => {
    assert.throws(() => F.alphaDropout(randn([2]), -1), isErr(ValueError, /^alphaDropout: probability p must be in \[0, 1\], got -1$/));
    assert.throws(() => F.alphaDropout(sd.ones([2], { dtype: 'int32' })), isErr(DTypeError, /^alphaDropout: input must be floating point, got int32$/));
  });
});

describe('featureAlphaDropout', () => {
  test('whole channels are kept (a x + ALPHA a p) or dropped (-ALPHA a (1 - p)), a fraction p (5 sigma over 10^4)', () => {
    sd.manualSeed(51);
    const p = 0.3;
    const a = alphaA(p);
    const [N, C, L] = [100, 100, 5];
    const x = randn([N, C, L]);
    const xs = arr(x);
    const ys = arr(F.featureAlphaDropout(x, p));
    let kept = 0;
    for (let c = 0; c < N * C; c++) {
      const on = Math.abs(ys[c * L] - (xs[c * L] * a + ALPHA * a * p)) <= 1e-12;
      if (on) kept++;
      for (let i = 0; i < L; i++) {
        const want = on ? xs[c * L + i] * a + ALPHA * a * p : ALPHA * a * (p - 1);
        assert.ok(Math.abs(ys[c * L + i] - want) <= 1e-12, `channel ${c} element ${i}: got ${ys[c * L + i]}, expected ${want}`);
      }
    }
    assertBernoulli(kept, N * C, 1 - p, 'channels');
  });
  test('2-D input is element-wise; eval identity; seeded; needs at least 2 dims', () => {
    const x = randn([30, 40]);
    assert.equal(F.featureAlphaDropout(x, 0.5, { training: false }), x);
    sd.manualSeed(8);
    const r1 = arr(F.featureAlphaDropout(x, 0.5));
    sd.manualSeed(8);
    assert.deepEqual(arr(F.featureAlphaDropout(x, 0.5)), r1);
    assert.throws(() => F.featureAlphaDropout(randn([5])), isErr(ShapeError, /^featureAlphaDropout: input must be at least 2-D \(N, C, \.\.\.\), got shape \[5\]$/));
  });
});

describe('Dropout1d, Dropout3d, AlphaDropout, FeatureAlphaDropout layers', () => {
  test('apply their function in training, the identity in eval, with their own generator; check p', () => {
    const cases = [
      [new nn.Dropout1d(0.5, { generator: new Generator(1) }), F.dropout1d, [4, 5, 6]],
      [new nn.Dropout3d(0.5, { generator: new Generator(1) }), F.dropout3d, [2, 3, 2, 2, 2]],
      [new nn.AlphaDropout(0.5, { generator: new Generator(1) }), F.alphaDropout, [4, 5]],
      [new nn.FeatureAlphaDropout(0.5, { generator: new Generator(1) }), F.featureAlphaDropout, [4, 5, 3]],
    ] as const;
    for (const [layer, fn, shape] of cases) {
      const x = randn(shape as unknown as number[]);
      assert.deepEqual(arr(layer.forward(x)), arr(fn(x, 0.5, { generator: new Generator(1) })), layer.constructor.name);
      layer.eval();
      assert.equal(layer.forward(x), x);
      assert.match(String(layer), /p=0\.5/);
    }
    assert.throws(() => new nn.Dropout1d(2), isErr(ValueError, /^Dropout1d: dropout probability p must be in \[0, 1\], got 2$/));
    assert.throws(() => new nn.AlphaDropout(-0.5), isErr(ValueError, /^AlphaDropout: dropout probability p must be in \[0, 1\], got -0\.5$/));
  });
});
