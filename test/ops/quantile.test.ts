import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { DTypeError, ShapeError, ValueError, type Tensor } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

const opts = (o: Record<string, any>) => ({ keepdim: o.keepdim, interpolation: o.interpolation });

checkFamily('quantile', {
  quantile: ([a], o) => a.quantile(o.q, o.dim, opts(o)),
  quantile_t: ([a, q], o) => sd.quantile(a, q, o.dim, opts(o)),
  nanquantile: ([a], o) => sd.nanquantile(a, o.q, o.dim, opts(o)),
  nanquantile_t: ([a, q], o) => a.nanquantile(q, o.dim, opts(o)),
});

const isErr = (cls: new (...a: never[]) => Error, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
  assert.match((e as Error).message, re);
  return true;
};

describe('quantile: bad input', () => {
  const x = sd.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
  const table: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['int32 input', () => sd.quantile(sd.tensor([1, 2], { dtype: 'int32' }), 0.5), DTypeError, /^quantile: input must be a floating-point tensor, got dtype int32$/],
    ['q above 1', () => sd.quantile(x, 1.5), ValueError, /^quantile: q must be in \[0, 1\], got 1\.5$/],
    ['q NaN', () => sd.nanquantile(x, NaN), ValueError, /^nanquantile: q must be in \[0, 1\], got NaN$/],
    ['q tensor out of range', () => x.quantile(sd.tensor([0.5, -0.1], { dtype: 'float64' })), ValueError, /^quantile: q values must be in \[0, 1\], got -0\.1$/],
    ['q tensor 2-D', () => x.quantile(sd.tensor([[0.5]], { dtype: 'float64' })), ShapeError, /^quantile: q must be a number, a 0-D or a 1-D tensor, got shape \[1, 1\]$/],
    ['q tensor of another dtype', () => x.quantile(sd.tensor([0.5], { dtype: 'float32' })), DTypeError, /^quantile: q must have the input's dtype float64, got float32$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['q a string', () => x.quantile('0.5' as any), ValueError, /^quantile: q must be a number or a Tensor, got string$/],
    ['dim out of range', () => x.quantile(0.5, 2), ValueError, /^quantile: dim must be an integer in \[-2, 1\] for a 2-D tensor, got 2$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['unknown interpolation', () => x.quantile(0.5, 0, { interpolation: 'cubic' as any }), ValueError, /^quantile: interpolation must be one of linear, lower, higher, midpoint, nearest, got cubic$/],
    ['empty input', () => sd.quantile(sd.zeros([0, 2], { dtype: 'float64' }), 0.5, 1), ValueError, /^quantile: input must be non-empty, got shape \[0, 2\]$/],
  ];
  for (const [name, f, cls, re] of table) test(name, () => assert.throws(f, isErr(cls, re)));
});

describe('quantile: gradients are themselves differentiable (second order, finite differences)', () => {
  const x0 = () => sd.tensor([[0.8, -1.3, 0.5, 2.1, 0.1], [1.7, 0.6, -0.4, -0.9, 1.2]], { dtype: 'float64', requiresGrad: true });
  const cases: [string, (x: Tensor) => Tensor][] = [
    ['linear', (x) => sd.quantile(x, 0.3, 1).square()],
    ['midpoint, q tensor', (x) => sd.quantile(x, sd.tensor([0.2, 0.9], { dtype: 'float64' }), 1, { interpolation: 'midpoint' }).square()],
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
});
