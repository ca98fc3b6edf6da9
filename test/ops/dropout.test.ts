/**
 * Dropout is random, so there are no golden values: these tests check properties that hold for every mask
 * (kept values are exactly x scaled, whole channels or whole squares go together, gradients follow the mask)
 * and statistics on 10^5..10^6 draws against bounds of 5 standard deviations, which a correct sampler misses
 * with probability below 1e-6 (and, under a fixed seed, deterministically).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, Generator, ShapeError, ValueError, type Tensor } from '../../src/index.js';
import { onBackend } from '../helpers/backends.js';
import { dropFactors } from '../../src/backend/cpu/drop-hash.js';

const randn = (shape: number[]) => sd.randn(shape, { dtype: 'float64' });
const ones = (shape: number[]) => sd.ones(shape, { dtype: 'float64' });
const arr = (t: Tensor) => t.toTypedArray();
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

/** Asserts a Bernoulli(q) count over n independent draws lies within 5 sigma of n * q. */
function assertBernoulli(kept: number, n: number, q: number, what: string): void {
  const sigma = Math.sqrt(n * q * (1 - q));
  assert.ok(Math.abs(kept - n * q) <= 5 * sigma, `${what}: kept ${kept} of ${n}, expected ${n * q} ± ${5 * sigma}`);
}

/** d sum(y) / dx. */
function gradOfSum(fn: (x: Tensor) => Tensor, x: Tensor): Tensor {
  return sd.grad(fn(x).sum(), [x])[0];
}

describe('dropout', () => {
  test('keeps a fraction 1 - p (within 5 sigma over 10^6 elements); kept values are exactly x / (1 - p)', () => {
    sd.manualSeed(1);
    for (const p of [0.5, 0.75]) {
      const x = randn([1000, 1000]);
      const y = sd.dropout(x, p);
      const xs = arr(x);
      const ys = arr(y);
      let kept = 0;
      for (let i = 0; i < xs.length; i++) {
        if (ys[i] === 0) continue;
        kept++;
        // 1 - p and 1/(1 - p) are exact for these p, so x * (1/(1-p)) (PyTorch's formula) is x / (1 - p) bit for bit
        assert.equal(ys[i], xs[i] / (1 - p), `element ${i}`);
      }
      assertBernoulli(kept, xs.length, 1 - p, `p = ${p}`);
    }
  });
  test('scales by 1 / (1 - p) as PyTorch (x times the reciprocal) for any p, float32 too', () => {
    sd.manualSeed(2);
    const p = 0.3;
    for (const dtype of ['float64', 'float32'] as const) {
      const x = sd.randn([200, 500], { dtype });
      const y = sd.dropout(x, p);
      assert.equal(y.dtype, dtype);
      const scale = dtype === 'float32' ? Math.fround(1 / (1 - p)) : 1 / (1 - p);
      const xs = arr(x);
      const ys = arr(y);
      let kept = 0;
      for (let i = 0; i < xs.length; i++) {
        if (ys[i] === 0) continue;
        kept++;
        assert.equal(ys[i], dtype === 'float32' ? Math.fround(xs[i] * scale) : xs[i] * scale, `${dtype} element ${i}`);
      }
      assertBernoulli(kept, xs.length, 1 - p, dtype);
    }
  });
  test('training false, p = 0: the input itself; p = 1: all zeros with zero gradient', () => {
    const x = randn([3, 4]).requiresGrad_();
    assert.equal(sd.dropout(x, 0.5, { training: false }), x);
    assert.equal(sd.dropout(x, 0), x);
    const y = sd.dropout(x, 1);
    assert.ok(arr(y).every((v) => v === 0));
    assert.ok(arr(gradOfSum((t) => sd.dropout(t, 1), x)).every((v) => v === 0));
  });
  test('the gradient is the mask / (1 - p): 1 / (1 - p) where kept, 0 where dropped', () => {
    sd.manualSeed(3);
    const p = 0.4;
    const x = randn([100, 100]).requiresGrad_();
    const y = sd.dropout(x, p);
    const g = arr(sd.grad(y.sum(), [x], undefined, { retainGraph: true })[0]);
    const ys = arr(y);
    for (let i = 0; i < ys.length; i++) assert.equal(g[i], ys[i] === 0 ? 0 : 1 / (1 - p), `element ${i}`);
    // and for an arbitrary upstream gradient: g_in = g_out * mask / (1 - p)
    const up = randn([100, 100]);
    const g2 = arr(sd.grad(y, [x], [up])[0]);
    const ups = arr(up);
    for (let i = 0; i < ys.length; i++) assert.ok(g2[i] === (ys[i] === 0 ? 0 : ups[i] * (1 / (1 - p))), `element ${i}: got ${g2[i]}`);
  });
  test('the same manualSeed gives the same mask; a Generator is a stream of its own', () => {
    const x = randn([50, 50]);
    sd.manualSeed(7);
    const a = arr(sd.dropout(x, 0.5));
    const a2 = arr(sd.dropout(x, 0.5));
    sd.manualSeed(7);
    assert.deepEqual(arr(sd.dropout(x, 0.5)), a);
    assert.notDeepEqual(a2, a);
    // a generator gives the same masks for the same seed and does not advance the global one
    sd.manualSeed(7);
    const g1 = arr(sd.dropout(x, 0.5, { generator: new Generator(99) }));
    assert.deepEqual(arr(sd.dropout(x, 0.5)), a);
    assert.deepEqual(arr(sd.dropout(x, 0.5, { generator: new Generator(99) })), g1);
    assert.notDeepEqual(arr(sd.dropout(x, 0.5, { generator: new Generator(100) })), g1);
    assert.notDeepEqual(g1, a);
  });
  test('the factors are drop-hash.ts\'s draws of each element\'s index under a seed of two stream words, times 1 / (1 - p) (float32 and float64, each backend\'s kernel, 1 and 2 threads)', () => {
    for (const [backend, dtype] of [['wasm', 'float32'], ['wasm', 'float64'], ['cpu', 'float32'], ['cpu', 'float64']] as const) {
      for (const [p, shape] of [[0.1, [33, 17]], [0.5, [300, 1000]], [0.97, [5, 7]]] as const) onBackend(backend, () => {
        const x = sd.randn([...shape], { dtype });
        const ref = new Generator(5);
        const spec = { threshold: Math.round(p * 2 ** 32), keepScale: 1 / (1 - p), seedLo: ref.nextUint32() >>> 0, seedHi: ref.nextUint32() >>> 0 };
        const factors = dropFactors(spec, 1, x.numel(), dtype === 'float32' ? new Float32Array(x.numel()) : new Float64Array(x.numel()));
        const xs = arr(x);
        const want = dtype === 'float32' ? Float32Array.from(xs, (v, i) => v * factors[i]) : Float64Array.from(xs, (v, i) => v * factors[i]);
        const before = sd.getNumThreads();
        try {
          for (const threads of backend === 'wasm' ? [1, 2] : [1]) {
            sd.setNumThreads(threads);
            sd.manualSeed(5);
            const got = arr(sd.dropout(x, p));
            assert.deepEqual(got, want, `${backend} ${dtype} p=${p} threads ${threads}`);
            // the stream moved on by the seed's two words
            const after = new Generator(5);
            after.nextUint32();
            after.nextUint32();
            assert.deepEqual(arr(sd.rand([4])), arr(sd.rand([4], { generator: after })), `${backend} ${dtype} p=${p}: the stream after`);
          }
        } finally {
          sd.setNumThreads(before);
        }
      });
    }
  });

  test('a generator hands its state words to bulk kernels and continues from the words they return', () => {
    const g = new Generator(3);
    const words = g.stateWords();
    const first = g.random();
    g.setStateWords(words);
    assert.equal(g.random(), first);
    assert.throws(() => g.setStateWords(new Int32Array(4)), isErr(ValueError, /^setStateWords: expected 4 state words, not all zero, got \[0, 0, 0, 0\]$/));
    assert.throws(() => g.setStateWords(Int32Array.of(1, 2)), isErr(ValueError, /^setStateWords: expected 4 state words/));
  });

  test('bad p, integer input', () => {
    assert.throws(() => sd.dropout(randn([2]), 1.5), isErr(ValueError, /^dropout: probability p must be in \[0, 1\], got 1\.5$/));
    assert.throws(() => sd.dropout(randn([2]), -0.1), isErr(ValueError, /^dropout: probability p must be in \[0, 1\], got -0\.1$/));
    assert.throws(() => sd.dropout(randn([2]), NaN), isErr(ValueError, /^dropout: probability p must be in \[0, 1\], got NaN$/));
    assert.throws(() => sd.dropout(sd.ones([2], { dtype: 'int32' })), isErr(DTypeError, /^dropout: input must be floating point, got int32$/));
  });
});

describe('dropout2d', () => {
  test('zeroes whole channels, a fraction p of them (5 sigma over 10^4 channels), scaling the rest', () => {
    sd.manualSeed(11);
    const [N, C, H, W] = [100, 100, 3, 4];
    const p = 0.3;
    const x = randn([N, C, H, W]);
    const xs = arr(x);
    const ys = arr(sd.dropout2d(x, p));
    let kept = 0;
    for (let c = 0; c < N * C; c++) {
      const base = c * H * W;
      const on = ys[base] !== 0;
      if (on) kept++;
      for (let i = 0; i < H * W; i++) {
        const want = on ? xs[base + i] * (1 / (1 - p)) : 0;
        assert.ok(ys[base + i] === want, `channel ${c} element ${i}: got ${ys[base + i]}, expected ${want}`);
      }
    }
    assertBernoulli(kept, N * C, 1 - p, 'channels');
  });
  test('works on 3-D inputs; its gradient is the channel mask / (1 - p)', () => {
    sd.manualSeed(12);
    const x = randn([20, 30, 5]).requiresGrad_();
    const y = sd.dropout2d(x, 0.5);
    const g = arr(sd.grad(y.sum(), [x])[0]);
    const ys = arr(y);
    for (let c = 0; c < 600; c++) {
      const on = ys[c * 5] !== 0;
      for (let i = 0; i < 5; i++) assert.equal(g[c * 5 + i], on ? 2 : 0);
    }
  });
  test('identity when not training or p = 0, zeros when p = 1; same seed same mask', () => {
    const x = randn([2, 3, 4]);
    assert.equal(sd.dropout2d(x, 0.5, { training: false }), x);
    assert.equal(sd.dropout2d(x, 0), x);
    assert.ok(arr(sd.dropout2d(x, 1)).every((v) => v === 0));
    sd.manualSeed(3);
    const a = arr(sd.dropout2d(x, 0.5));
    sd.manualSeed(3);
    assert.deepEqual(arr(sd.dropout2d(x, 0.5)), a);
    assert.deepEqual(arr(sd.dropout2d(x, 0.5, { generator: new Generator(4) })), arr(sd.dropout2d(x, 0.5, { generator: new Generator(4) })));
  });
  test('input of fewer than 3 dims', () => {
    assert.throws(() => sd.dropout2d(randn([4, 5])), isErr(ShapeError, /^dropout2d: input must be at least 3-D \(N, C, \.\.\.\), got shape \[4, 5\]$/));
  });
});

describe('dropConnect', () => {
  test('drops each weight with probability p (5 sigma over 10^5), scales the rest, gradient = mask / (1 - p)', () => {
    sd.manualSeed(21);
    const p = 0.25;
    const w = randn([400, 250]).requiresGrad_();
    const y = sd.dropConnect(w, p);
    const ws = arr(w);
    const ys = arr(y);
    const g = arr(sd.grad(y.sum(), [w])[0]);
    let kept = 0;
    for (let i = 0; i < ws.length; i++) {
      if (ys[i] !== 0) kept++;
      assert.ok(ys[i] === (ys[i] === 0 ? 0 : ws[i] * (1 / (1 - p))), `element ${i}: got ${ys[i]} for ${ws[i]}`);
      assert.equal(g[i], ys[i] === 0 ? 0 : 1 / (1 - p));
    }
    assertBernoulli(kept, ws.length, 1 - p, 'weights');
  });
  test('identity when not training, zeros when p = 1, seeded', () => {
    const w = randn([3, 3]);
    assert.equal(sd.dropConnect(w, 0.5, { training: false }), w);
    assert.ok(arr(sd.dropConnect(w, 1)).every((v) => v === 0));
    sd.manualSeed(5);
    const a = arr(sd.dropConnect(w, 0.5));
    sd.manualSeed(5);
    assert.deepEqual(arr(sd.dropConnect(w, 0.5)), a);
    assert.throws(() => sd.dropConnect(w, 2), isErr(ValueError, /^dropConnect: probability p must be in \[0, 1\], got 2$/));
  });
});

/**
 * Asserts that the zeros of each H x W plane of `ys` are a union of bs x bs squares lying inside the plane:
 * every zero belongs to some all-zero square.
 */
function assertSquares(ys: ArrayLike<number>, planes: number, H: number, W: number, bs: number): void {
  for (let q = 0; q < planes; q++) {
    const o = q * H * W;
    const zero = (i: number, j: number) => ys[o + i * W + j] === 0;
    const squareAt = (a: number, b: number) => {
      for (let i = a; i < a + bs; i++) for (let j = b; j < b + bs; j++) if (!zero(i, j)) return false;
      return true;
    };
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        if (!zero(i, j)) continue;
        let found = false;
        for (let a = Math.max(0, i - bs + 1); a <= Math.min(i, H - bs) && !found; a++) {
          for (let b = Math.max(0, j - bs + 1); b <= Math.min(j, W - bs) && !found; b++) found = squareAt(a, b);
        }
        assert.ok(found, `plane ${q}: zero at (${i}, ${j}) is in no all-zero ${bs}x${bs} square`);
      }
    }
  }
}

/** Expected dropped fraction of an H x W plane: a position is kept when none of the seeds covering it fires. */
function expectedDropped(H: number, W: number, bs: number, gamma: number): number {
  let sum = 0;
  const cover = (i: number, n: number) => Math.min(i, n - bs) - Math.max(0, i - bs + 1) + 1;
  for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) sum += 1 - (1 - gamma) ** (cover(i, H) * cover(j, W));
  return sum / (H * W);
}

describe('dropBlock2d', () => {
  for (const bs of [3, 4, 1]) {
    test(`blockSize ${bs}: zeros come in ${bs}x${bs} squares, the dropped fraction is as expected, the mean of ones stays 1`, () => {
      sd.manualSeed(30 + bs);
      const [N, C, H, W] = [32, 64, 9, 10];
      const p = 0.2;
      const ys = arr(sd.dropBlock2d(ones([N, C, H, W]), p, bs));
      assertSquares(ys, N * C, H, W, bs);
      // per-plane dropped fractions are independent: compare their mean with the exact expectation (5 sigma)
      const gamma = (p * H * W) / (bs * bs * (H - bs + 1) * (W - bs + 1));
      const fr = Array.from({ length: N * C }, (_, q) => {
        let z = 0;
        for (let i = 0; i < H * W; i++) if (ys[q * H * W + i] === 0) z++;
        return z / (H * W);
      });
      const mean = fr.reduce((a, b) => a + b, 0) / fr.length;
      const sdev = Math.sqrt(fr.reduce((a, b) => a + (b - mean) ** 2, 0) / (fr.length - 1));
      const want = expectedDropped(H, W, bs, gamma);
      assert.ok(Math.abs(mean - want) <= 5 * sdev / Math.sqrt(fr.length), `dropped fraction ${mean}, expected ${want}`);
      // kept positions all carry the same scale numel / kept, so the output of ones averages to 1
      let kept = 0;
      for (let i = 0; i < ys.length; i++) if (ys[i] !== 0) kept++;
      const scale = ys.length / (1e-6 + kept);
      let total = 0;
      for (let i = 0; i < ys.length; i++) {
        if (ys[i] !== 0) assert.equal(ys[i], scale);
        total += ys[i];
      }
      assert.ok(Math.abs(total / ys.length - 1) < 1e-9, `mean ${total / ys.length}`);
    });
  }
  test('gradient is the scaled keep mask (equal to the output for an input of ones)', () => {
    sd.manualSeed(40);
    const x = ones([4, 8, 12, 12]).requiresGrad_();
    const y = sd.dropBlock2d(x, 0.3, 5);
    const g = sd.grad(y.sum(), [x])[0];
    assert.deepEqual(arr(g), arr(y));
    assert.ok(arr(y).some((v) => v === 0));
  });
  test('identity when not training or p = 0; blockSize 1 with p = 1 drops everything; seeded', () => {
    const x = randn([2, 3, 6, 6]);
    assert.equal(sd.dropBlock2d(x, 0.5, 3, { training: false }), x);
    assert.equal(sd.dropBlock2d(x, 0, 3), x);
    assert.ok(arr(sd.dropBlock2d(x, 1, 1)).every((v) => v === 0));
    sd.manualSeed(9);
    const a = arr(sd.dropBlock2d(x, 0.5, 3));
    sd.manualSeed(9);
    assert.deepEqual(arr(sd.dropBlock2d(x, 0.5, 3)), a);
    assert.deepEqual(arr(sd.dropBlock2d(x, 0.5, 2, { generator: new Generator(1) })), arr(sd.dropBlock2d(x, 0.5, 2, { generator: new Generator(1) })));
  });
  test('bad input', () => {
    assert.throws(() => sd.dropBlock2d(randn([2, 6, 6]), 0.1, 3), isErr(ShapeError, /^dropBlock2d: input must be 4-D \(N, C, H, W\), got shape \[2, 6, 6\]$/));
    assert.throws(() => sd.dropBlock2d(randn([1, 1, 4, 6]), 0.1, 5), isErr(ValueError, /^dropBlock2d: blockSize must be an integer in \[1, 4\] for input \[1, 1, 4, 6\], got 5$/));
    assert.throws(() => sd.dropBlock2d(randn([1, 1, 4, 6]), 1.1, 2), isErr(ValueError, /^dropBlock2d: probability p must be in \[0, 1\], got 1\.1$/));
  });
});
