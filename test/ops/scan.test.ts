import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ValueError, type Tensor } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('scan', {
  cummax: ([a], o) => {
    const r = a.cummax(o.dim);
    return [r.values, r.indices];
  },
  cummin: ([a], o) => {
    const r = sd.cummin(a, o.dim);
    return [r.values, r.indices];
  },
  logcumsumexp: ([a], o) => a.logcumsumexp(o.dim),
});

const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('scan: bad input', () => {
  const x = sd.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['cummax dim out of range', () => x.cummax(2), ValueError, /^cummax: dim must be an integer in \[-2, 1\] for a 2-D tensor, got 2$/],
    ['cummin dim not an integer', () => sd.cummin(x, 0.5), ValueError, /^cummin: dim .* got 0\.5$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['cummax of a non-tensor', () => sd.cummax(7 as any, 0), ValueError, /^cummax: input must be a Tensor, got number$/],
    ['logcumsumexp of int32', () => sd.logcumsumexp(sd.tensor([1, 2], { dtype: 'int32' }), 0), DTypeError, /^logcumsumexp: input must be a floating-point tensor, got dtype int32$/],
    ['logcumsumexp dim out of range', () => x.logcumsumexp(-3), ValueError, /^logcumsumexp: dim .* got -3$/],
  ];
  for (const [name, f, cls, re] of table) test(name, () => assert.throws(f, isErr(cls, re)));
});

describe('scan: method forms', () => {
  test('cummin is a Tensor method too', () => {
    const r = sd.tensor([2, 0, 1, 0], { dtype: 'float64' }).cummin(0);
    assert.deepEqual(r.values.toArray(), [2, 0, 0, 0]);
    assert.deepEqual(r.indices.toArray(), [0, 1, 1, 3]);
  });
});

describe('scan: gradients are themselves differentiable (second order, finite differences)', () => {
  const x0 = () => sd.tensor([[0.8, -1.3, 0.5, 2.1], [1.7, 0.6, -0.4, -0.9]], { dtype: 'float64', requiresGrad: true });
  const cases: [string, (x: Tensor) => Tensor][] = [
    ['logcumsumexp', (x) => sd.logcumsumexp(x, 1)],
    ['logcumsumexp dim 0', (x) => sd.logcumsumexp(x, 0)],
    ['cummax', (x) => sd.cummax(x, 1).values],
  ];
  for (const [name, f] of cases) {
    test(name, () => {
      const x = x0();
      const w = sd.randnLike(f(x).detach(), { dtype: 'float64' });
      const g = (t: Tensor) =>
        sd.enableGrad(() => {
          const leaf = t.requiresGrad ? t : t.detach().requiresGrad_();
          return sd.grad(f(leaf).mul(w).sum(), [leaf], undefined, { createGraph: true })[0];
        });
      assert.ok(sd.gradcheck(g, [x], { eps: 1e-6, atol: 1e-6, rtol: 1e-4 }));
    });
  }
  test('logcumsumexp gradient stays finite for far-apart values', () => {
    const x = sd.tensor([-1000, 0, 1000], { dtype: 'float64', requiresGrad: true });
    const [g] = sd.grad(sd.logcumsumexp(x, 0).sum(), [x]);
    const v = g.toArray() as number[];
    assert.ok(v.every(Number.isFinite), `got ${v}`);
    // each element's own term exp(x_i - y_i) is about 1 and every later term underflows to 0
    assert.ok(v.every((e) => Math.abs(e - 1) < 1e-12), `got ${v}`);
  });
});
