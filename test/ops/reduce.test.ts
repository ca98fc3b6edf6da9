import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ValueError, type Tensor } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { checkFamily } from '../helpers/check-op.js';

/** A norm order as the fixture stores it ('inf' and '-inf' as strings, since JSON has no Infinity). */
const ord = (p: unknown): number | 'fro' => (p === 'inf' ? Infinity : p === '-inf' ? -Infinity : (p as number | 'fro'));

checkFamily('reduce', {
  sum: ([a], o) => a.sum(o.dim, o.keepdim),
  mean: ([a], o) => sd.mean(a, o.dim, { keepdim: o.keepdim }),
  amax: ([a], o) => sd.amax(a, o.dim, o.keepdim),
  amin: ([a], o) => a.amin(o.dim, o.keepdim),
  max_all: ([a]) => a.max(),
  min_all: ([a]) => sd.min(a),
  max_dim: ([a], o) => {
    const r = a.max(o.dim, o.keepdim);
    return [r.values, r.indices];
  },
  min_dim: ([a], o) => {
    const r = sd.min(a, o.dim, o.keepdim);
    return [r.values, r.indices];
  },
  argmax: ([a], o) => a.argmax(o.dim, o.keepdim),
  argmin: ([a], o) => sd.argmin(a, o.dim, o.keepdim),
  var: ([a], o) => sd.var(a, o.dim, { correction: o.correction, keepdim: o.keepdim }),
  std: ([a], o) => a.std(o.dim, { correction: o.correction, keepdim: o.keepdim }),
  logsumexp: ([a], o) => sd.logsumexp(a, o.dim, o.keepdim),
  norm: ([a], o) => (o.p === undefined ? a.norm() : sd.norm(a, ord(o.p), o.dim, o.keepdim)),
  prod_all: ([a]) => a.prod(),
  prod: ([a], o) => sd.prod(a, o.dim, o.keepdim),
  cumsum: ([a], o) => a.cumsum(o.dim),
  cumprod: ([a], o) => sd.cumprod(a, o.dim),
});

const f64 = (data: number[][]) => sd.tensor(data, { dtype: 'float64' });
const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('reduce: bad input', () => {
  test('mean, var, std and norm of an integer tensor (logsumexp promotes it, as PyTorch)', () => {
    const i = sd.tensor([[1, 2], [3, 4]], { dtype: 'int32' });
    assert.throws(() => sd.mean(i), isErr(DTypeError, /^mean: input must be a floating-point tensor, got dtype int32/));
    assert.throws(() => i.var(), isErr(DTypeError, /^var: .*int32/));
    assert.throws(() => sd.std(i, 0), isErr(DTypeError, /^std: .*int32/));
    assert.throws(() => sd.norm(i), isErr(DTypeError, /^norm: .*int32/));
  });
  test('dim out of range names the op, the range and the dim', () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    assert.throws(() => sd.sum(x, 2), isErr(ValueError, /^sum: dim must be an integer in \[-2, 1\] for a 2-D tensor, got 2$/));
    assert.throws(() => sd.mean(x, [0, -3]), isErr(ValueError, /^mean: dim .* got -3$/));
    assert.throws(() => x.max(5), isErr(ValueError, /^max: dim .* got 5$/));
    assert.throws(() => sd.argmin(x, -3), isErr(ValueError, /^argmin: dim .* got -3$/));
    assert.throws(() => sd.cumsum(x, 2), isErr(ValueError, /^cumsum: dim .* got 2$/));
    assert.throws(() => sd.prod(x, 1.5), isErr(ValueError, /^prod: dim .* got 1\.5$/));
    assert.throws(() => sd.amax(sd.tensor(3, { dtype: 'float64' }), 1), isErr(ValueError, /^amax: dim .*\[-1, 0\] for a 0-D tensor, got 1$/));
  });
  test('a dim named twice', () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    assert.throws(() => sd.sum(x, [1, -1]), isErr(ValueError, /^sum: dim \[1, -1\] names a dimension twice/));
  });
  test('amax, amin, max, min, argmax of an empty dim', () => {
    const e = sd.zeros([0, 3], { dtype: 'float64' });
    assert.throws(() => sd.amax(e, 0), isErr(ValueError, /^amax: cannot reduce over a dim of size 0 \(input shape \[0, 3\]\)/));
    assert.throws(() => sd.amin(e), isErr(ValueError, /^amin: .*size 0.*\[0, 3\]/));
    assert.throws(() => e.max(), isErr(ValueError, /^max: .*size 0/));
    assert.throws(() => e.min(), isErr(ValueError, /^min: .*size 0/));
    assert.throws(() => sd.max(e, 0), isErr(ValueError, /^max: .*size 0.*\[0, 3\]/));
    assert.throws(() => sd.min(e, -2), isErr(ValueError, /^min: .*size 0/));
    assert.throws(() => sd.argmax(e), isErr(ValueError, /^argmax: .*empty/));
    assert.throws(() => sd.argmin(e, 0), isErr(ValueError, /^argmin: .*size 0/));
    assert.throws(() => sd.norm(e, Infinity), isErr(ValueError, /^norm \(p = Infinity\): .*size 0.*\[0, 3\]/));
    assert.throws(() => sd.norm(e, -Infinity, 0), isErr(ValueError, /^norm \(p = -Infinity\): .*size 0/));
    assert.equal(sd.norm(e, Infinity, 1).numel(), 0);
  });
  test('bad var correction and norm order', () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    assert.throws(() => sd.var(x, 1, { correction: -1 }), isErr(ValueError, /^var: correction must be a number >= 0, got -1/));
    assert.throws(() => sd.norm(x, -1), isErr(ValueError, /^norm: p must be .*got -1$/));
    assert.throws(() => sd.norm(x, NaN), isErr(ValueError, /^norm: p .*got NaN$/));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.norm(x, 'nuc' as any), isErr(ValueError, /^norm: p .*got nuc$/));
  });
  test('not a tensor', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.sum([1, 2, 3] as any), isErr(ValueError, /^sum: input must be a Tensor, got an array/));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => sd.cumprod(null as any, 0), isErr(ValueError, /^cumprod: input must be a Tensor, got null/));
  });
});

describe('reduce: results and gradients beyond the fixtures', () => {
  test('integer sums are int32 and exact', () => {
    const i = sd.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' });
    const s = i.sum(1);
    assert.equal(s.dtype, 'int32');
    assert.deepEqual(s.toArray(), [6, 15]);
    assert.deepEqual(sd.tensor([true, false, true]).sum().toArray(), 2);
  });
  test('prod gradient with zeros is exact (no NaN, no 0/0)', () => {
    const x = sd.tensor([2, 0, 3, 0, 5], { dtype: 'float64', requiresGrad: true });
    const [g] = sd.grad(x.prod(), [x]);
    assert.deepEqual(g.toArray(), [0, 0, 0, 0, 0]);
    const y = sd.tensor([2, 0, 3, 5], { dtype: 'float64', requiresGrad: true });
    const [h] = sd.grad(y.prod(), [y]);
    assert.deepEqual(h.toArray(), [0, 30, 0, 0]);
  });
  test('cumprod gradient with a zero is exact', () => {
    const x = sd.tensor([2, 0, 3], { dtype: 'float64', requiresGrad: true });
    const [g] = sd.grad(x.cumprod(0).sum(), [x]);
    // d/dx of x0 + x0 x1 + x0 x1 x2 at (2, 0, 3)
    assert.deepEqual(g.toArray(), [1, 2 + 6, 0]);
  });
  test('max(dim) sends the gradient to the returned index; amax shares it among ties', () => {
    const x = sd.tensor([[1, 3, 3]], { dtype: 'float64', requiresGrad: true });
    const r = x.max(1);
    assert.deepEqual(r.indices.toArray(), [1]);
    assert.deepEqual(sd.grad(r.values.sum(), [x])[0].toArray(), [[0, 1, 0]]);
    assert.deepEqual(sd.grad(sd.amax(x, 1).sum(), [x])[0].toArray(), [[0, 0.5, 0.5]]);
    assert.deepEqual(sd.grad(x.max(), [x])[0].toArray(), [[0, 0.5, 0.5]]);
  });
  test('norm with p = 0 counts nonzeros and has a zero gradient', () => {
    const x = sd.tensor([0, 1.5, -2, 0], { dtype: 'float64', requiresGrad: true });
    const n = sd.norm(x, 0);
    assert.equal(n.item(), 2);
    assert.deepEqual(sd.grad(n, [x])[0].toArray(), [0, 0, 0, 0]);
  });
});

describe('reduce: gradients are themselves differentiable (second order, finite differences)', () => {
  const x0 = () => sd.tensor([[0.8, -1.3, 0.5, 2.1], [1.7, 0.6, -0.4, -0.9], [1.1, -0.2, 0.3, 0.7]], { dtype: 'float64', requiresGrad: true });
  const pos = () => sd.tensor([[0.8, 1.3, 0.5, 2.1], [1.7, 0.6, 1.4, 0.9]], { dtype: 'float64', requiresGrad: true });
  const cases: [string, () => Tensor, (x: Tensor) => Tensor][] = [
    ['var', x0, (x) => sd.var(x, 1, { correction: 0 })],
    ['std', x0, (x) => sd.std(x, 0)],
    ['norm p=2', x0, (x) => sd.norm(x, 2, 1)],
    ['norm p=3', x0, (x) => sd.norm(x, 3)],
    ['logsumexp', x0, (x) => sd.logsumexp(x, 1)],
    ['prod', pos, (x) => sd.prod(x, 1)],
    ['cumprod', pos, (x) => sd.cumprod(x, 1)],
    ['mean', x0, (x) => sd.mean(x, [0, 1])],
  ];
  for (const [name, make, f] of cases) {
    test(name, () => {
      const x = make();
      const w = sd.randnLike(f(x).detach(), { dtype: 'float64' });
      // the gradient of sum(w * f(x)) as a function of x, built with createGraph so it can be differentiated again
      // (gradcheck's finite differences call it with plain tensors under noGrad: those become fresh leaves)
      const g = (t: Tensor) =>
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
  checkErrors('reduce', [
    ['sum: dim out of range', () => sd.sum(z([2, 3]), 2), sd.ValueError, /^sum: dim must be an integer in \[-2, 1\] for a 2-D tensor, got 2$/],
    ['sum: dim named twice', () => sd.sum(z([2, 3]), [0, 0]), sd.ValueError, /^sum: dim \[0, 0\] names a dimension twice$/],
    ['sum: not a tensor', () => sd.sum(null as never), sd.ValueError, /^sum: input must be a Tensor, got null$/],
    ['mean: int input', () => sd.mean(i32([2])), sd.DTypeError, /^mean: input must be a floating-point tensor, got dtype int32$/],
    ['var: negative correction', () => sd.var(z([2, 3]), 0, { correction: -1 }), sd.ValueError, /^var: correction must be a number >= 0, got -1$/],
    ['std: not a tensor', () => sd.std([1, 2] as never), sd.ValueError, /^std: input must be a Tensor, got an array$/],
    ['norm: negative p', () => sd.norm(z([2]), -1), sd.ValueError, /^norm: p must be 'fro', a number >= 0, Infinity or -Infinity, got -1$/],
    ['norm: p a string', () => sd.norm(z([2]), 'nuc' as never), sd.ValueError, /^norm: p must be 'fro', a number >= 0, Infinity or -Infinity, got nuc$/],
    ['norm: inf norm of nothing', () => sd.norm(z([0]), Infinity), sd.ValueError, /^norm \(p = Infinity\): cannot reduce over a dim of size 0 \(input shape \[0\]\): the result is undefined$/],
    ['max: of nothing', () => sd.max(z([0])), sd.ValueError, /^max: cannot reduce over a dim of size 0 \(input shape \[0\]\): the result is undefined$/],
    ['amax: over an empty dim', () => sd.amax(z([0, 2]), 0), sd.ValueError, /^amax: cannot reduce over a dim of size 0 \(input shape \[0, 2\]\): the result is undefined$/],
    ['argmax: over an empty dim', () => sd.argmax(z([0, 2]), 0), sd.ValueError, /^argmax: cannot reduce over a dim of size 0 \(input shape \[0, 2\]\): the result is undefined$/],
    ['argmax: fractional dim', () => sd.argmax(z([2, 2]), 0.5), sd.ValueError, /^argmax: dim must be an integer in \[-2, 1\] for a 2-D tensor, got 0\.5$/],
    ['prod: not a tensor', () => sd.prod(1 as never), sd.ValueError, /^prod: input must be a Tensor, got number$/],
    ['cumsum: dim out of range', () => sd.cumsum(z([2]), 1), sd.ValueError, /^cumsum: dim must be an integer in \[-1, 0\] for a 1-D tensor, got 1$/],
    ['cumprod: dim a string', () => sd.cumprod(z([2]), 'a' as never), sd.ValueError, /^cumprod: dim must be an integer in \[-1, 0\] for a 1-D tensor, got a$/],
    ['logsumexp: dim out of range', () => sd.logsumexp(z([2]), 3), sd.ValueError, /^logsumexp: dim must be an integer in \[-1, 0\] for a 1-D tensor, got 3$/],
    ['sum: dim a string', () => sd.sum(z([2]), 'a' as never), sd.ValueError, /^sum: dim must be an integer or an array of them, got "a"$/],
    ['sum: keepdim a string', () => sd.sum(z([2]), 0, 'yes' as never), sd.ValueError, /^sum: keepdim must be a boolean, got "yes"$/],
    ['argmax: keepdim a number', () => sd.argmax(z([2]), 0, { keepdim: 1 as never }), sd.ValueError, /^argmax: keepdim must be a boolean, got 1$/],
  ]);
}
