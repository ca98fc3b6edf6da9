import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ValueError } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('activation', {
  tanh: ([a]) => a.tanh(),
  sigmoid: ([a]) => a.sigmoid(),
  relu: ([a]) => a.relu(),
  leakyRelu: ([a], o) => (o.negativeSlope === undefined ? a.leakyRelu() : a.leakyRelu(o.negativeSlope)),
  elu: ([a], o) => (o.alpha === undefined ? a.elu() : a.elu(o.alpha)),
  softplus: ([a], o) => (o.beta === undefined ? a.softplus() : sd.softplus(a.mul(3), { beta: o.beta, threshold: o.threshold }).div(3)),
  gelu: ([a]) => a.gelu(),
  gelu_tanh: ([a]) => sd.gelu(a, { approximate: 'tanh' }),
  softmax: ([a], o) => sd.softmax(a, o.dim),
  logSoftmax: ([a], o) => a.logSoftmax(o.dim),
  softmax_sum: ([a], o) => a.softmax(o.dim).mul(sd.arange(0, 5, 1, { dtype: a.dtype })).sum(o.dim),
});

const x23 = () => sd.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });

describe('activation: bad input', () => {
  test('softmax and logSoftmax without a dim', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => (sd.softmax as any)(x23()), { name: 'ValueError', message: /^softmax: dim is required, got undefined/ });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => (x23() as any).logSoftmax(), (e: unknown) => e instanceof ValueError && /^logSoftmax: dim is required/.test(e.message));
  });
  test('softmax with a dim out of range names the dim', () => {
    assert.throws(() => sd.softmax(x23(), 2), (e: unknown) => e instanceof ValueError && /^softmax: dim .*\[-2, 1\].* got 2$/.test(e.message));
    assert.throws(() => sd.logSoftmax(x23(), -3), (e: unknown) => e instanceof ValueError && /^logSoftmax: dim .* got -3$/.test(e.message));
    assert.throws(() => sd.softmax(x23(), 0.5), (e: unknown) => e instanceof ValueError && /got 0\.5$/.test(e.message));
  });
  test('softmax of an integer tensor', () => {
    const i = sd.tensor([1, 2, 3], { dtype: 'int32' });
    assert.throws(() => sd.softmax(i, 0), (e: unknown) => e instanceof DTypeError && /^softmax: .*got dtype int32/.test(e.message));
    assert.throws(() => sd.logSoftmax(i, 0), (e: unknown) => e instanceof DTypeError && /^logSoftmax: .*int32/.test(e.message));
  });
  test('relu of a bool tensor', () => {
    assert.throws(() => sd.relu(sd.tensor([true, false])), (e: unknown) => e instanceof DTypeError && /^relu: .*bool/.test(e.message));
  });
  test('bad parameters', () => {
    assert.throws(() => sd.softplus(x23(), { beta: 0 }), (e: unknown) => e instanceof ValueError && /^softplus: beta .*got 0/.test(e.message));
    assert.throws(() => sd.leakyRelu(x23(), NaN), (e: unknown) => e instanceof ValueError && /^leakyRelu: negativeSlope .*got NaN/.test(e.message));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.elu(x23(), '1' as any), (e: unknown) => e instanceof ValueError && /^elu: alpha .*got 1/.test(e.message));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.gelu(x23(), { approximate: 'erf' as any }), (e: unknown) => e instanceof ValueError && /^gelu: approximate .*got 'erf'/.test(e.message));
  });
  test('not a tensor', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.sigmoid([1, 2] as any), (e: unknown) => e instanceof ValueError && /^sigmoid: input must be a Tensor, got an array/.test(e.message));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.softmax(3 as any, 0), (e: unknown) => e instanceof ValueError && /^softmax: input must be a Tensor, got number/.test(e.message));
  });
});

describe('activation: softmax properties', () => {
  test('rows of logits 1e4 apart stay finite and sum to 1 in float32', () => {
    const x = sd.tensor([[1e4, -1e4, 0], [-1e4, -1e4, -1e4]], { dtype: 'float32' });
    const p = sd.softmax(x, 1);
    assert.deepEqual(p.toArray(), [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3].map(Math.fround)]);
    const lp = sd.logSoftmax(x, 1).toArray() as number[][];
    assert.deepEqual(lp[0], [0, -2e4, -1e4]);
  });
  test('logSoftmax is exactly log(softmax) where both are finite', () => {
    const x = sd.randn([4, 6], { dtype: 'float64' });
    assert.ok(sd.allclose(sd.logSoftmax(x, -1), sd.softmax(x, -1).log(), { rtol: 1e-12, atol: 1e-12 }));
  });
});

describe('activation: gradients are themselves differentiable (second order, finite differences)', () => {
  const x0 = () => sd.tensor([[0.8, -1.3, 0.5, 2.1], [1.7, 0.6, -0.4, -0.9]], { dtype: 'float64', requiresGrad: true });
  const cases: [string, (x: sd.Tensor) => sd.Tensor][] = [
    ['softmax', (x) => sd.softmax(x, 1)],
    ['logSoftmax', (x) => sd.logSoftmax(x, 0)],
    ['sigmoid', (x) => x.sigmoid()],
    ['tanh', (x) => x.tanh()],
    ['elu', (x) => x.elu(0.7)],
    ['softplus', (x) => x.softplus()],
    ['gelu', (x) => x.gelu()],
    ['gelu tanh', (x) => x.gelu({ approximate: 'tanh' })],
  ];
  for (const [name, f] of cases) {
    test(name, () => {
      const x = x0();
      const w = sd.randnLike(f(x).detach(), { dtype: 'float64' });
      // gradcheck's finite differences call g with plain tensors under noGrad: those become fresh leaves
      const g = (t: sd.Tensor) =>
        sd.enableGrad(() => {
          const leaf = t.requiresGrad ? t : t.detach().requiresGrad_();
          return sd.grad(f(leaf).mul(w).sum(), [leaf], undefined, { createGraph: true })[0];
        });
      assert.ok(sd.gradcheck(g, [x], { eps: 1e-6, atol: 1e-6, rtol: 1e-4 }));
    });
  }
});

// Bad inputs: each raises the typed error whose message names the op, the argument, what was expected and what was got.
{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  const i32 = (s: number[]) => sd.zeros(s, { dtype: 'int32' });
  const b = (s: number[]) => sd.zeros(s, { dtype: 'bool' });
  checkErrors('activation', [
    ['relu: bool input', () => sd.relu(b([2])), sd.DTypeError, /^relu: input must not be bool$/],
    ['relu: not a tensor', () => sd.relu([1] as never), sd.ValueError, /^relu: input must be a Tensor, got an array$/],
    ['leakyRelu: negativeSlope not a number', () => sd.leakyRelu(z([2]), 'a' as never), sd.ValueError, /^leakyRelu: negativeSlope must be a number, got a$/],
    ['elu: alpha NaN', () => sd.elu(z([2]), NaN), sd.ValueError, /^elu: alpha must be a number, got NaN$/],
    ['softplus: beta 0', () => sd.softplus(z([2]), { beta: 0 }), sd.ValueError, /^softplus: beta must be nonzero, got 0$/],
    ['gelu: unknown approximate', () => sd.gelu(z([2]), { approximate: 'x' as never }), sd.ValueError, /^gelu: approximate must be 'none' or 'tanh', got 'x'$/],
    ['gelu: not a tensor', () => sd.gelu(1 as never), sd.ValueError, /^gelu: input must be a Tensor, got number$/],
    ['softmax: dim out of range', () => sd.softmax(z([2, 3]), 2), sd.ValueError, /^softmax: dim must be an integer in \[-2, 1\] for a 2-D tensor, got 2$/],
    ['softmax: fractional dim', () => sd.softmax(z([2, 3]), 0.5), sd.ValueError, /^softmax: dim must be an integer in \[-2, 1\] for a 2-D tensor, got 0\.5$/],
    ['softmax: int input', () => sd.softmax(i32([2, 3]), 1), sd.DTypeError, /^softmax: input must be a floating-point tensor, got dtype int32$/],
    ['logSoftmax: dim missing', () => sd.logSoftmax(z([2, 3]), undefined as never), sd.ValueError, /^logSoftmax: dim is required, got undefined$/],
  ]);
}
