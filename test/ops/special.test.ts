import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { ValueError } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('special', {
  erfc: ([a]) => a.erfc(),
  erfinv: ([a]) => a.erfinv(),
  lgamma: ([a]) => a.lgamma(),
  digamma: ([a]) => sd.digamma(a),
  polygamma: ([a], o) => (o.n % 2 === 0 ? sd.polygamma(o.n, a) : a.polygamma(o.n)),
  logit: ([a], o) => (o.eps === undefined ? a.logit() : sd.logit(a, { eps: o.eps })),
  xlogy: ([a, b]) => a.xlogy(b),
  xlogy_scalar: ([a], o) => sd.xlogy(a, o.other),
});

const x = () => sd.tensor([0.5, 1.5], { dtype: 'float64' });

describe('special: bad input', () => {
  const bad: [string, () => unknown, RegExp][] = [
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['erfinv of an array', () => sd.erfinv([0.5] as any), /^erfinv: input must be a Tensor, got an array$/],
    ['polygamma with n < 0', () => sd.polygamma(-1, x()), /^polygamma: n must be an integer >= 0, got -1$/],
    ['polygamma with a fractional n', () => sd.polygamma(1.5, x()), /^polygamma: n must be an integer >= 0, got 1.5$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['polygamma with arguments swapped', () => sd.polygamma(x() as any, 1 as any), /^polygamma: n must be an integer >= 0, got /],
    ['logit with a NaN eps', () => sd.logit(x(), { eps: NaN }), /^logit: eps must be a number, got NaN$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['xlogy of two numbers', () => sd.xlogy(2 as any, 3), /^xlogy: at least one argument must be a Tensor, got two numbers$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['xlogy of a string', () => sd.xlogy(x(), 'a' as any), /^xlogy: other must be a Tensor or a number, got string$/],
  ];
  for (const [name, f, re] of bad) test(name, () => assert.throws(f, (e: unknown) => e instanceof ValueError && re.test(e.message)));
  test('xlogy of shapes that do not broadcast is a ShapeError', () => {
    assert.throws(() => sd.xlogy(x(), sd.ones([3], { dtype: 'float64' })), (e: unknown) => e instanceof sd.ShapeError && /^xlogy: .*\[2\].*\[3\]/.test(e.message));
  });
});

describe('special: identities', () => {
  test('erfinv inverts erf to within an ulp or two, up to the tails', () => {
    const p = sd.tensor([-0.999999999, -0.7, -1e-12, 0.2, 0.9, 0.99999], { dtype: 'float64' });
    const back = sd.erfinv(p).erf();
    assert.ok(sd.allclose(back, p, { rtol: 1e-15, atol: 0 }));
  });
  test('erfinv deep in the tail matches the true value (mpmath, 40 digits), where torch is 1e-8 off', () => {
    const y = sd.erfinv(sd.tensor([0.9999999999, -0.9999999999], { dtype: 'float64' })).toArray() as number[];
    assert.ok(Math.abs(y[0] - 4.572824958544924937847930994688) < 1e-14);
    assert.ok(Math.abs(y[1] + 4.572824958544924937847930994688) < 1e-14);
  });
  test('lgamma of integers is log((n - 1)!)', () => {
    const n = sd.tensor([1, 2, 3, 10, 20], { dtype: 'float64' });
    const want = [0, 0, Math.log(2), Math.log(362880), Math.log(121645100408832000)];
    const got = sd.lgamma(n).toArray() as number[];
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 1e-14 * Math.max(1, Math.abs(want[i])), `lgamma(${i}): ${g} vs ${want[i]}`));
  });
  test('trigamma(1) = pi^2 / 6 and polygamma(2, 1) = -2 zeta(3) to double precision', () => {
    const one = sd.tensor([1], { dtype: 'float64' });
    assert.ok(Math.abs((sd.polygamma(1, one).item() as number) - Math.PI ** 2 / 6) < 4e-16);
    assert.ok(Math.abs((sd.polygamma(2, one).item() as number) + 2 * 1.2020569031595942) < 1e-15);
  });
  test('lgamma, digamma and polygamma are differentiable to any order', () => {
    const fs: [string, (t: sd.Tensor) => sd.Tensor][] = [
      ['lgamma', (t) => t.lgamma()], ['digamma', (t) => t.digamma()], ['polygamma(1)', (t) => t.polygamma(1)],
      ['erfinv', (t) => t.mul(0.3).erfinv()], ['erfc', (t) => t.erfc()], ['xlogy', (t) => sd.xlogy(t, t.add(3))],
    ];
    for (const [name, f] of fs) {
      const x0 = sd.tensor([0.8, 1.3, 2.5, 0.6], { dtype: 'float64', requiresGrad: true });
      const g = (t: sd.Tensor) =>
        sd.enableGrad(() => {
          const leaf = t.requiresGrad ? t : t.detach().requiresGrad_();
          return sd.grad(f(leaf).sum(), [leaf], undefined, { createGraph: true })[0];
        });
      assert.ok(sd.gradcheck(g, [x0], { eps: 1e-6, atol: 1e-6, rtol: 1e-4 }), name);
    }
  });
});
