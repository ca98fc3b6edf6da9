import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, F, ShapeError, ValueError } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('activation_extra', {
  hardtanh: ([a], o) => (o.minVal === undefined ? F.hardtanh(a) : sd.hardtanh(a, { minVal: o.minVal, maxVal: o.maxVal })),
  relu6: ([a]) => F.relu6(a),
  silu: ([a]) => F.silu(a),
  mish: ([a]) => sd.mish(a),
  selu: ([a]) => F.selu(a),
  celu: ([a], o) => (o.alpha === undefined ? F.celu(a) : F.celu(a, { alpha: o.alpha })),
  softsign: ([a]) => F.softsign(a),
  hardsigmoid: ([a]) => F.hardsigmoid(a),
  hardswish: ([a]) => F.hardswish(a),
  logsigmoid: ([a]) => F.logsigmoid(a),
  softmin: ([a], o) => F.softmin(a, o.dim),
  glu: ([a], o) => (o.dim === undefined ? F.glu(a) : F.glu(a, o.dim)),
  threshold: ([a], o) => F.threshold(a, o.threshold, o.value),
  tanhshrink: ([a]) => F.tanhshrink(a),
  softshrink: ([a], o) => (o.lambd === undefined ? F.softshrink(a) : F.softshrink(a, { lambd: o.lambd })),
  hardshrink: ([a], o) => (o.lambd === undefined ? a.hardshrink() : a.hardshrink({ lambd: o.lambd })),
  prelu: ([a, w]) => (w.numel() === 1 ? a.prelu(w) : F.prelu(a, w)),
  rrelu: ([a], o) => (o.lower === undefined ? F.rrelu(a) : F.rrelu(a, { lower: o.lower, upper: o.upper, training: false })),
});

const x = () => sd.tensor([[1, -2, 3], [-4, 5, -6]], { dtype: 'float64' });

describe('activation_extra: bad input', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const any = (v: unknown) => v as any;
  const bad: [string, () => unknown, typeof ValueError, RegExp][] = [
    ['hardtanh with minVal > maxVal', () => F.hardtanh(x(), { minVal: 1, maxVal: -1 }), ValueError, /^hardtanh: minVal must be <= maxVal, got minVal 1 and maxVal -1$/],
    ['hardtanh with a NaN bound', () => F.hardtanh(x(), { minVal: NaN }), ValueError, /^hardtanh: minVal must be a number, got NaN$/],
    ['hardtanh of bool', () => F.hardtanh(sd.tensor([true])), DTypeError, /^hardtanh: input must not be bool, got dtype bool$/],
    ['relu6 of an array', () => F.relu6(any([1])), ValueError, /^relu6: input must be a Tensor, got an array$/],
    ['silu of a number', () => F.silu(any(1)), ValueError, /^silu: input must be a Tensor, got number$/],
    ['celu with alpha 0', () => F.celu(x(), { alpha: 0 }), ValueError, /^celu: alpha must be nonzero, got 0$/],
    ['softmin without a dim', () => F.softmin(x(), any(undefined)), ValueError, /^softmin: dim is required, got undefined$/],
    ['softmin with a dim out of range', () => F.softmin(x(), 2), ValueError, /^softmin: dim .* got 2$/],
    ['softmin of an integer tensor', () => F.softmin(sd.tensor([1, 2], { dtype: 'int32' }), 0), DTypeError, /^softmin: input must be a floating-point tensor, got dtype int32$/],
    ['glu over an odd dim', () => F.glu(x()), ShapeError, /^glu: dim 1 must have an even size to be halved, got shape \[2, 3\]$/],
    ['glu of a 0-d tensor', () => F.glu(sd.tensor(1)), ShapeError, /^glu: input must have at least 1 dim, got shape \[\]$/],
    ['glu with a dim out of range', () => F.glu(x(), 3), ValueError, /^glu: dim .* got 3$/],
    ['threshold without a value', () => F.threshold(x(), 0, any(undefined)), ValueError, /^threshold: value must be a number, got undefined$/],
    ['threshold of bool', () => F.threshold(sd.tensor([true]), 0, 1), DTypeError, /^threshold: input must not be bool, got dtype bool$/],
    ['softshrink with a negative lambd', () => F.softshrink(x(), { lambd: -1 }), ValueError, /^softshrink: lambd must be >= 0, got -1$/],
    ['hardshrink with a string lambd', () => F.hardshrink(x(), { lambd: any('a') }), ValueError, /^hardshrink: lambd must be a number, got a$/],
    ['prelu with a weight per wrong channel count', () => F.prelu(x(), sd.ones([2], { dtype: 'float64' })), ShapeError, /^prelu: weight must have 1 or 3 \(channel count\) elements, got 2 \(weight \[2\], input \[2, 3\]\)$/],
    ['prelu of a 0-d input with many slopes', () => F.prelu(sd.tensor(1, { dtype: 'float64' }), sd.ones([2], { dtype: 'float64' })), ShapeError, /^prelu: a 0-d input takes one slope, got weight of shape \[2\]$/],
    ['prelu with a weight of another dtype', () => F.prelu(x(), sd.ones([1])), DTypeError, /^prelu: weight must have the input's dtype float64, got dtype float32$/],
    ['prelu of an integer tensor', () => F.prelu(sd.tensor([1], { dtype: 'int32' }), sd.ones([1])), DTypeError, /^prelu: input must be a floating-point tensor, got dtype int32$/],
    ['prelu without a weight', () => F.prelu(x(), any(null)), ValueError, /^prelu: weight must be a Tensor, got null$/],
    ['rrelu with lower > upper', () => F.rrelu(x(), { lower: 0.5, upper: 0.1 }), ValueError, /^rrelu: lower must be <= upper, got lower 0.5 and upper 0.1$/],
  ];
  for (const [name, fn, cls, re] of bad) {
    test(name, () => assert.throws(fn, (e: unknown) => e instanceof cls && re.test((e as Error).message)));
  }
});

describe('activation_extra: rrelu in training', () => {
  const big = () => sd.full([20000], -1, { dtype: 'float64' });
  test('negative inputs get slopes uniform in [lower, upper]; positive ones pass unchanged', () => {
    sd.manualSeed(3);
    const slopes = Array.from(F.rrelu(big(), { lower: 0.1, upper: 0.3, training: true }).neg().toTypedArray());
    const mean = slopes.reduce((s, v) => s + v, 0) / slopes.length;
    const sd2 = Math.sqrt(slopes.reduce((s, v) => s + (v - mean) ** 2, 0) / slopes.length);
    assert.ok(slopes.every((v) => v >= 0.1 && v <= 0.3), 'a slope outside [0.1, 0.3]');
    // U(0.1, 0.3): mean 0.2 (standard error 0.0004), std 0.2 / sqrt(12) = 0.0577
    assert.ok(Math.abs(mean - 0.2) < 0.003, `mean ${mean}`);
    assert.ok(Math.abs(sd2 - 0.2 / Math.sqrt(12)) < 0.003, `std ${sd2}`);
    assert.ok(slopes.some((v) => v < 0.11) && slopes.some((v) => v > 0.29), 'slopes do not reach the bounds');
    const pos = sd.tensor([0.5, 2, 0], { dtype: 'float64' });
    assert.deepEqual(F.rrelu(pos, { training: true }).toArray(), [0.5, 2, 0]);
  });
  test('the same seed gives the same slopes; a generator of its own leaves the global stream alone', () => {
    sd.manualSeed(11);
    const a = F.rrelu(big(), { training: true }).toArray();
    sd.manualSeed(11);
    const b = F.rrelu(big(), { training: true }).toArray();
    assert.deepEqual(a, b);
    const c = F.rrelu(big(), { training: true }).toArray();
    assert.notDeepEqual(a, c);
    const g1 = new sd.Generator(5);
    const g2 = new sd.Generator(5);
    assert.deepEqual(F.rrelu(big(), { training: true, generator: g1 }).toArray(), F.rrelu(big(), { training: true, generator: g2 }).toArray());
  });
  test('the gradient is the drawn slope', () => {
    sd.manualSeed(2);
    const xin = sd.tensor([-1, -2, 3], { dtype: 'float64', requiresGrad: true });
    const y = F.rrelu(xin, { training: true });
    y.sum().backward();
    const yv = y.toArray() as number[];
    const gv = xin.grad!.toArray() as number[];
    assert.ok(Math.abs(gv[0] - -yv[0]) < 1e-15 && Math.abs(gv[1] - -yv[1] / 2) < 1e-15 && gv[2] === 1);
  });
});

describe('activation_extra: second derivatives match finite differences', () => {
  const cases: [string, (t: sd.Tensor) => sd.Tensor][] = [
    ['silu', (t) => F.silu(t)], ['mish', (t) => F.mish(t)], ['selu', (t) => F.selu(t)], ['celu', (t) => F.celu(t, { alpha: 0.5 })],
    ['softsign', (t) => F.softsign(t)], ['logsigmoid', (t) => F.logsigmoid(t)], ['softmin', (t) => F.softmin(t, 0)],
    ['glu', (t) => F.glu(t)], ['tanhshrink', (t) => F.tanhshrink(t)], ['hardswish', (t) => F.hardswish(t)],
  ];
  for (const [name, f] of cases) {
    test(name, () => {
      const x0 = sd.tensor([0.8, -1.3, 0.5, 2.1], { dtype: 'float64', requiresGrad: true });
      const g = (t: sd.Tensor) =>
        sd.enableGrad(() => {
          const leaf = t.requiresGrad ? t : t.detach().requiresGrad_();
          return sd.grad(f(leaf).mul(sd.arange(1, 1 + f(leaf).numel(), 1, { dtype: 'float64' })).sum(), [leaf], undefined, { createGraph: true })[0];
        });
      assert.ok(sd.gradcheck(g, [x0], { eps: 1e-6, atol: 1e-6, rtol: 1e-4 }));
    });
  }
});
