import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { ValueError } from '../../src/index.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('trig', {
  tan: ([a]) => a.tan(),
  asin: ([a]) => a.asin(),
  acos: ([a]) => sd.acos(a),
  atan: ([a]) => a.atan(),
  sinh: ([a]) => a.sinh(),
  cosh: ([a]) => sd.cosh(a),
  asinh: ([a]) => a.asinh(),
  acosh: ([a]) => a.acosh(),
  atanh: ([a]) => a.atanh(),
  log2: ([a]) => a.log2(),
  log10: ([a]) => sd.log10(a),
  exp2: ([a]) => a.exp2(),
  arcsin: ([a]) => sd.arcsin(a),
  arctanh: ([a]) => a.arctanh(),
});

describe('trig: bad input', () => {
  const bad: [string, () => unknown, RegExp][] = [
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['array input', () => sd.tan([1, 2] as any), /^tan: input must be a Tensor, got an array$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['number input', () => sd.asinh(0.5 as any), /^asinh: input must be a Tensor, got number$/],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ['null input', () => sd.log2(null as any), /^log2: input must be a Tensor, got null$/],
  ];
  for (const [name, f, re] of bad) test(name, () => assert.throws(f, (e: unknown) => e instanceof ValueError && re.test(e.message)));
});

describe('trig: properties', () => {
  test('bool input computes in float32, as torch', () => {
    const y = sd.exp2(sd.tensor([true, false]));
    assert.equal(y.dtype, 'float32');
    assert.deepEqual(y.toArray(), [2, 1]);
  });
  test('atanh and asinh keep full relative precision near 0', () => {
    const x = sd.tensor([1e-300, -1e-20], { dtype: 'float64' });
    assert.deepEqual(sd.atanh(x).toArray(), [1e-300, -1e-20]);
    assert.deepEqual(sd.asinh(x).toArray(), [1e-300, -1e-20]);
  });
  test('second derivatives (gradient of the gradient) match finite differences', () => {
    const fs: [string, (x: sd.Tensor) => sd.Tensor][] = [
      ['tan', (x) => x.mul(0.5).tan()], ['asin', (x) => x.mul(0.3).asin()], ['atanh', (x) => x.mul(0.3).atanh()],
      ['acosh', (x) => x.abs().add(1.5).acosh()], ['log2', (x) => x.abs().add(0.5).log2()], ['exp2', (x) => x.exp2()],
    ];
    for (const [name, f] of fs) {
      const x = sd.tensor([0.8, -1.3, 0.5, 1.1], { dtype: 'float64', requiresGrad: true });
      const g = (t: sd.Tensor) =>
        sd.enableGrad(() => {
          const leaf = t.requiresGrad ? t : t.detach().requiresGrad_();
          return sd.grad(f(leaf).sum(), [leaf], undefined, { createGraph: true })[0];
        });
      assert.ok(sd.gradcheck(g, [x], { eps: 1e-6, atol: 1e-6, rtol: 1e-4 }), name);
    }
  });
});
