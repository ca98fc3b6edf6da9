/**
 * Initializers (src/nn/init.ts), against torch.nn.init: gains, fans, and the distribution each one draws from.
 * Statistics use 262,144 samples ([512, 512]); the tolerances are many standard errors wide, so no seed can make
 * them flake, while a wrong formula (a factor sqrt(2), sqrt(3), or the wrong fan) is far outside them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Generator, ShapeError, Tensor, ValueError, init, manualSeed, matmul, nn, rand, select, zeros,
} from '../../src/index.js';

const vals = (t: Tensor): number[] => Array.from(t.toTypedArray(), Number);

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const v = t.toTypedArray();
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    s += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = s / v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return { mean, std: Math.sqrt(ss / (v.length - 1)), min, max };
}

/** Sample std within `rel` of `std`, and mean within `meanTol` standard deviations of 0. */
function assertMoments(t: Tensor, std: number, rel = 0.02, meanTol = 0.02): void {
  const s = stats(t);
  assert.ok(Math.abs(s.std / std - 1) < rel, `std ${s.std}, expected ${std}`);
  assert.ok(Math.abs(s.mean) < meanTol * std, `mean ${s.mean}, expected about 0 (std ${std})`);
}

/**
 * All values in [-b, b] and reaching close to both ends: U(-b, b) rather than a narrower or wider one. In float32
 * the bound is b rounded to float32 (rounding is monotonic, so no stored value can pass it).
 */
function assertUniformBound(t: Tensor, b: number): void {
  const s = stats(t);
  const edge = t.dtype === 'float32' ? Math.fround(b) : b;
  assert.ok(s.min >= -edge && s.max <= edge, `values in [${s.min}, ${s.max}] exceed ±${b}`);
  assert.ok(s.min < -0.99 * b && s.max > 0.99 * b, `values in [${s.min}, ${s.max}] do not fill ±${b}`);
  assertMoments(t, b / Math.sqrt(3));
}

const big = (dtype: 'float32' | 'float64' = 'float32') => zeros([512, 512], { dtype });

describe('calculateGain', () => {
  test("equals PyTorch's values", () => {
    for (const nl of ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'sigmoid'] as const) {
      assert.equal(init.calculateGain(nl), 1, nl);
    }
    assert.equal(init.calculateGain('relu'), Math.sqrt(2));
    assert.equal(init.calculateGain('tanh'), 5 / 3);
    assert.equal(init.calculateGain('selu'), 3 / 4);
    assert.ok(Math.abs(init.calculateGain('leaky_relu', 0.2) - Math.sqrt(2 / 1.04)) < 1e-15);
    // torch.nn.init.calculate_gain('leaky_relu', 0.2) = 1.3867504905630728; default slope 0.01 -> 1.4141428569978354
    assert.ok(Math.abs(init.calculateGain('leaky_relu', 0.2) - 1.3867504905630728) < 1e-15);
    assert.ok(Math.abs(init.calculateGain('leaky_relu') - 1.4141428569978354) < 1e-15);
    assert.equal(init.calculateGain('leaky_relu', 0), Math.sqrt(2));
  });

  test('an unknown nonlinearity is a ValueError naming it', () => {
    assert.throws(() => init.calculateGain('swish' as init.Nonlinearity), (e: Error) => e instanceof ValueError && /'swish'/.test(e.message));
  });
});

describe('calculateFans', () => {
  test('dim 1 is fan in, dim 0 fan out, both times the receptive field', () => {
    assert.deepEqual(init.calculateFans(zeros([20, 30])), { fanIn: 30, fanOut: 20 });
    assert.deepEqual(init.calculateFans(zeros([16, 8, 3, 5])), { fanIn: 8 * 15, fanOut: 16 * 15 });
    assert.deepEqual(init.calculateFans(zeros([4, 6, 7])), { fanIn: 42, fanOut: 28 });
  });

  test('need at least 2 dims: the initializers that use them name themselves in the error', () => {
    for (const [name, fn] of [
      ['xavierUniform_', init.xavierUniform_], ['xavierNormal_', init.xavierNormal_],
      ['kaimingUniform_', init.kaimingUniform_], ['kaimingNormal_', init.kaimingNormal_], ['orthogonal_', init.orthogonal_],
    ] as const) {
      assert.throws(() => fn(zeros([5])), (e: Error) => e instanceof ShapeError && e.message.startsWith(name) && e.message.includes('[5]'), name);
      assert.throws(() => fn(zeros([])), ShapeError, name);
    }
    assert.throws(() => init.calculateFans(zeros([3])), ShapeError);
  });
});

describe('constant_, zeros_, ones_', () => {
  test('fill in place and return the same tensor, also on parameters (no graph recorded)', () => {
    const p = new nn.Parameter(zeros([2, 3]));
    assert.equal(init.constant_(p, 0.5), p);
    assert.deepEqual(vals(p), Array(6).fill(0.5));
    assert.equal(p.gradFn, null);
    assert.equal(p.requiresGrad, true);
    init.ones_(p);
    assert.deepEqual(vals(p), Array(6).fill(1));
    init.zeros_(p);
    assert.deepEqual(vals(p), Array(6).fill(0));
  });

  test('write through views into the viewed storage only', () => {
    const t = zeros([3, 4]);
    init.ones_(select(t, 0, 1));
    assert.deepEqual(t.toArray(), [[0, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]]);
    const u = zeros([3, 2]);
    init.normal_(select(u, 1, 0));
    const a = u.toArray() as number[][];
    assert.ok(a.every((row) => row[1] === 0 && row[0] !== 0));
  });
});

describe('uniform_ and normal_', () => {
  test('uniform_ stays in [a, b) (exactly, in float64) with the uniform std', () => {
    manualSeed(0);
    const t = init.uniform_(big('float64'), -0.3, 0.7);
    const s = stats(t);
    assert.ok(s.min >= -0.3 && s.max < 0.7, `range [${s.min}, ${s.max}]`);
    assert.ok(s.min < -0.29 && s.max > 0.69);
    assert.ok(Math.abs(s.mean - 0.2) < 0.005);
    assert.ok(Math.abs(s.std / (1 / Math.sqrt(12)) - 1) < 0.02);
    const d = stats(init.uniform_(big()));
    assert.ok(d.min >= 0 && d.max <= 1 && Math.abs(d.mean - 0.5) < 0.005, 'default U(0, 1)');
  });

  test('normal_ has the mean and std asked for; default N(0, 1)', () => {
    manualSeed(1);
    const s = stats(init.normal_(big(), 3, 0.5));
    assert.ok(Math.abs(s.mean - 3) < 0.01 && Math.abs(s.std / 0.5 - 1) < 0.02, `mean ${s.mean} std ${s.std}`);
    assertMoments(init.normal_(big()), 1);
    assert.deepEqual(vals(init.normal_(zeros([4]), 2, 0)), [2, 2, 2, 2]);
  });

  test('reject bad arguments', () => {
    assert.throws(() => init.uniform_(zeros([2]), 1, 0), (e: Error) => e instanceof ValueError && /a 1, b 0/.test(e.message));
    assert.throws(() => init.normal_(zeros([2]), 0, -1), (e: Error) => e instanceof ValueError && /-1/.test(e.message));
    assert.throws(() => init.uniform_([1, 2] as unknown as Tensor), /uniform_/);
  });
});

describe('xavier (Glorot)', () => {
  // [out 512, in 256]: fanIn 256, fanOut 512
  const shape = [512, 256];

  test('xavierUniform_: U(-b, b), b = gain sqrt(6 / (fanIn + fanOut))', () => {
    manualSeed(2);
    assertUniformBound(init.xavierUniform_(zeros(shape)), Math.sqrt(6 / 768));
    const gain = init.calculateGain('tanh');
    assertUniformBound(init.xavierUniform_(zeros(shape), { gain }), gain * Math.sqrt(6 / 768));
  });

  test('xavierNormal_: std = gain sqrt(2 / (fanIn + fanOut)), conv fans include the kernel', () => {
    manualSeed(3);
    assertMoments(init.xavierNormal_(zeros(shape)), Math.sqrt(2 / 768));
    assertMoments(init.xavierNormal_(zeros(shape), { gain: 2 }), 2 * Math.sqrt(2 / 768));
    // [64, 32, 3, 3]: fanIn 288, fanOut 576
    assertMoments(init.xavierNormal_(zeros([64, 32, 3, 3])), Math.sqrt(2 / (288 + 576)), 0.03);
  });
});

describe('kaiming (He)', () => {
  // [out 256, in 1024]: fanIn 1024, fanOut 256 (different enough that the wrong mode is far off)
  const shape = [256, 1024];

  test('kaimingUniform_ default: leaky_relu with a = 0, fanIn -> b = sqrt(6 / fanIn)', () => {
    manualSeed(4);
    assertUniformBound(init.kaimingUniform_(zeros(shape)), Math.sqrt(6 / 1024));
  });

  test('kaimingUniform_ mode fanOut, a, and nonlinearity', () => {
    manualSeed(5);
    assertUniformBound(init.kaimingUniform_(zeros(shape), { mode: 'fanOut' }), Math.sqrt(6 / 256));
    // a = sqrt(5), as Linear's default: gain sqrt(2 / 6) -> b = 1 / sqrt(fanIn)
    assertUniformBound(init.kaimingUniform_(zeros(shape), { a: Math.sqrt(5) }), 1 / Math.sqrt(1024));
    assertUniformBound(init.kaimingUniform_(zeros(shape), { nonlinearity: 'tanh' }), (5 / 3) * Math.sqrt(3 / 1024));
    // relu ignores a, as PyTorch
    assertUniformBound(init.kaimingUniform_(zeros(shape), { nonlinearity: 'relu', a: 3 }), Math.sqrt(6 / 1024));
  });

  test('kaimingNormal_: std = gain / sqrt(fan)', () => {
    manualSeed(6);
    assertMoments(init.kaimingNormal_(zeros(shape)), Math.sqrt(2 / 1024));
    assertMoments(init.kaimingNormal_(zeros(shape), { mode: 'fanOut', nonlinearity: 'relu' }), Math.sqrt(2 / 256));
    assertMoments(init.kaimingNormal_(zeros(shape), { a: 0.2 }), Math.sqrt(2 / 1.04) / Math.sqrt(1024));
    assertMoments(init.kaimingNormal_(zeros(shape), { nonlinearity: 'linear' }), 1 / Math.sqrt(1024));
    // conv weight [128, 64, 3, 3]: fanIn 576
    assertMoments(init.kaimingNormal_(zeros([128, 64, 3, 3])), Math.sqrt(2 / 576));
  });

  test('a bad mode is a ValueError naming it', () => {
    assert.throws(() => init.kaimingNormal_(zeros([3, 3]), { mode: 'fan_in' as 'fanIn' }), (e: Error) => e instanceof ValueError && /fan_in/.test(e.message));
  });
});

describe('truncNormal_', () => {
  // Φ(z) - Φ(-8) by Simpson's rule on the density: an independent check of the inverse-CDF sampler's moments
  const phi = (z: number): number => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
  const cdf = (z: number): number => {
    const n = 4000;
    const h = (z + 8) / n;
    let s = phi(-8) + phi(z);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * phi(-8 + i * h);
    return (s * h) / 3;
  };

  test("has the truncated normal's mean and std and stays inside [a, b]", () => {
    const [mu, sigma, a, b] = [0.5, 2, -1, 3];
    const al = (a - mu) / sigma;
    const be = (b - mu) / sigma;
    const z = cdf(be) - cdf(al);
    const mean = mu + (sigma * (phi(al) - phi(be))) / z;
    const std = sigma * Math.sqrt(1 + (al * phi(al) - be * phi(be)) / z - ((phi(al) - phi(be)) / z) ** 2);
    const s = stats(init.truncNormal_(zeros([512, 512], { dtype: 'float64' }), mu, sigma, a, b));
    assert.ok(Math.abs(s.mean - mean) < 0.01 * std, `mean ${s.mean}, expected ${mean}`);
    assert.ok(Math.abs(s.std / std - 1) < 0.01, `std ${s.std}, expected ${std}`);
    assert.ok(s.min >= a && s.max <= b && s.min < a + 0.01 && s.max > b - 0.01, `range [${s.min}, ${s.max}]`);
  });

  test('far bounds leave N(mean, std^2) (the zoo: std 0.01 in [-2, 2]); a one-sided tail window works too', () => {
    assertMoments(init.truncNormal_(zeros([512, 512]), 0, 0.01, -2, 2), 0.01);
    const tail = stats(init.truncNormal_(zeros([4096], { dtype: 'float64' }), 0, 1, 5, 6));
    assert.ok(tail.min >= 5 && tail.max <= 6, `range [${tail.min}, ${tail.max}]`);
  });

  test('rejects bad arguments', () => {
    assert.throws(() => init.truncNormal_(zeros([4]), 0, -1), (e: Error) => e instanceof ValueError && /std/.test(e.message));
    assert.throws(() => init.truncNormal_(zeros([4]), 0, 1, 2, 1), (e: Error) => e instanceof ValueError && /a < b/.test(e.message));
    assert.throws(() => init.truncNormal_(zeros([4]), 5, 0, -1, 1), (e: Error) => e instanceof ValueError && /\[a, b\]/.test(e.message));
    assert.deepEqual(vals(init.truncNormal_(zeros([3]), 0.5, 0, 0, 1)), [0.5, 0.5, 0.5]);
  });
});

describe('orthogonal_', () => {
  function gram(w: Tensor, rowsOrCols: 'rows' | 'cols'): number[][] {
    const m = w.reshape([w.shape[0], -1]).double();
    return (rowsOrCols === 'rows' ? matmul(m, m.mT) : matmul(m.mT, m)).toArray() as number[][];
  }

  function assertScaledIdentity(g: number[][], scale: number, tol: number): void {
    let worst = 0;
    g.forEach((row, i) => row.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - (i === j ? scale : 0))); }));
    assert.ok(worst < tol, `largest deviation from ${scale} I is ${worst}`);
  }

  test('rows <= cols: W W^T = I; rows > cols: W^T W = I', () => {
    manualSeed(7);
    assertScaledIdentity(gram(init.orthogonal_(zeros([64, 128], { dtype: 'float64' })), 'rows'), 1, 1e-12);
    assertScaledIdentity(gram(init.orthogonal_(zeros([128, 64], { dtype: 'float64' })), 'cols'), 1, 1e-12);
    assertScaledIdentity(gram(init.orthogonal_(zeros([50, 50], { dtype: 'float64' })), 'rows'), 1, 1e-12);
    assertScaledIdentity(gram(init.orthogonal_(zeros([50, 50], { dtype: 'float64' })), 'cols'), 1, 1e-12);
    // float32 storage, and a conv weight flattened to [8, 18]
    assertScaledIdentity(gram(init.orthogonal_(zeros([64, 128])), 'rows'), 1, 1e-5);
    assertScaledIdentity(gram(init.orthogonal_(zeros([8, 2, 3, 3])), 'rows'), 1, 1e-5);
    assertScaledIdentity(gram(init.orthogonal_(zeros([40, 2, 2, 2])), 'cols'), 1, 1e-5);
  });

  test('gain scales the matrix: W W^T = gain^2 I', () => {
    manualSeed(8);
    assertScaledIdentity(gram(init.orthogonal_(zeros([32, 96]), { gain: 2 }), 'rows'), 4, 1e-5);
    const g = init.calculateGain('relu');
    assertScaledIdentity(gram(init.orthogonal_(zeros([96, 32]), { gain: g }), 'cols'), 2, 1e-5);
  });

  test('is random (not a fixed matrix): two draws differ', () => {
    manualSeed(9);
    assert.notDeepEqual(vals(init.orthogonal_(zeros([4, 4]))), vals(init.orthogonal_(zeros([4, 4]))));
  });
});

describe('reproducibility', () => {
  const draws: [string, (t: Tensor, opts?: init.InitOptions) => Tensor][] = [
    ['uniform_', (t, o) => init.uniform_(t, -1, 1, o)],
    ['normal_', (t, o) => init.normal_(t, 0, 1, o)],
    ['xavierUniform_', (t, o) => init.xavierUniform_(t, o)],
    ['xavierNormal_', (t, o) => init.xavierNormal_(t, o)],
    ['kaimingUniform_', (t, o) => init.kaimingUniform_(t, o)],
    ['kaimingNormal_', (t, o) => init.kaimingNormal_(t, o)],
    ['orthogonal_', (t, o) => init.orthogonal_(t, o)],
  ];

  test('the same manualSeed gives the same values; another seed other values', () => {
    for (const [name, draw] of draws) {
      manualSeed(123);
      const a = vals(draw(zeros([6, 5])));
      manualSeed(123);
      const b = vals(draw(zeros([6, 5])));
      manualSeed(124);
      const c = vals(draw(zeros([6, 5])));
      assert.deepEqual(a, b, name);
      assert.notDeepEqual(a, c, name);
    }
  });

  test('a Generator gives its own stream and leaves the global one untouched', () => {
    for (const [name, draw] of draws) {
      const a = vals(draw(zeros([6, 5]), { generator: new Generator(5) }));
      const b = vals(draw(zeros([6, 5]), { generator: new Generator(5) }));
      assert.deepEqual(a, b, name);
      manualSeed(77);
      const expected = vals(rand([3]));
      manualSeed(77);
      draw(zeros([6, 5]), { generator: new Generator(5) });
      assert.deepEqual(vals(rand([3])), expected, `${name} with a generator must not advance the global stream`);
    }
  });

  test('layers built after the same seed are identical', () => {
    manualSeed(42);
    const a = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.Linear(4, 2), new nn.Embedding(5, 3));
    manualSeed(42);
    const b = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.Linear(4, 2), new nn.Embedding(5, 3));
    const sa = a.stateDict();
    const sb = b.stateDict();
    for (const k of Object.keys(sa)) assert.deepEqual(vals(sb[k]), vals(sa[k]), k);
  });
});

describe('initializers on parameters', () => {
  test('fill a Parameter in place without recording a graph, keeping its identity and requiresGrad', () => {
    const p = new nn.Parameter(zeros([8, 8]));
    const storage = p.storage;
    for (const fn of [init.xavierUniform_, init.xavierNormal_, init.kaimingUniform_, init.kaimingNormal_, init.orthogonal_]) {
      assert.equal(fn(p), p);
      assert.equal(p.storage, storage);
      assert.equal(p.gradFn, null);
      assert.equal(p.requiresGrad, true);
    }
    assert.ok(vals(p).some((v) => v !== 0));
  });
});

describe('nn.utils.skipInit', () => {
  test('builds a module without drawing: weights stay zero and the global generator does not move', () => {
    manualSeed(7);
    const before = rand([4]);
    manualSeed(7);
    const [m, lstm] = nn.utils.skipInit(() => [new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.Linear(4, 2)), new nn.LSTM(3, 5)] as const);
    assert.deepEqual(vals(rand([4])), vals(before), 'no number was drawn');
    for (const mod of [m, lstm]) {
      for (const [k, t] of Object.entries(mod.stateDict())) assert.ok(vals(t).every((v) => v === 0), `${k} is not initialized`);
    }
    assert.equal(m.parameterCount() + lstm.parameterCount(), 4 * 9 + 4 + 4 * 2 + 2 + 4 * 5 * (3 + 5) + 2 * 4 * 5);
  });

  test('initializers work again after it, also when the build throws', () => {
    assert.throws(() => nn.utils.skipInit(() => { throw new ValueError('boom'); }), ValueError);
    const t = init.normal_(zeros([16]));
    assert.ok(vals(t).some((v) => v !== 0));
  });

  test('float32 draws equal float64 draws rounded once (the values did not change with the float32 buffer)', () => {
    const a = init.normal_(zeros([1000], { dtype: 'float32' }), 0.5, 2, { generator: new Generator(3) });
    const b = init.normal_(zeros([1000], { dtype: 'float64' }), 0.5, 2, { generator: new Generator(3) });
    assert.deepEqual(vals(a), Array.from(Float32Array.from(b.toTypedArray())));
  });
});
