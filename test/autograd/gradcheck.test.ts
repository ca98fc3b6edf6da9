/**
 * Tests of src/autograd/gradcheck.ts: it passes correct gradients, catches a wrong one (a custom op whose
 * vjp is deliberately off, recorded with `record`), and refuses inputs it cannot check precisely.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AutogradError, DTypeError, gradcheck, matmul, noGrad, tensor, type Tensor } from '../../src/index.js';
import { record } from '../../src/autograd/node.js';

const f64 = (v: number[], shape?: number[], requiresGrad = true) => tensor(new Float64Array(v), { shape, requiresGrad });

/** x^2 computed outside the graph, then recorded with the given vjp. */
function customSquare(x: Tensor, vjp: (g: Tensor) => Tensor): Tensor {
  const out = noGrad(() => x.mul(x));
  return record(out, 'CustomSquareBackward', [x], (g) => [vjp(g)]);
}

describe('gradcheck passes correct gradients', () => {
  test('an elementwise function', () => {
    assert.equal(gradcheck((x) => x.sin().mul(x).exp(), [f64([0.3, -0.7, 1.1])]), true);
  });

  test('several inputs, broadcasting and a reduction', () => {
    const a = f64([0.5, -1, 2, 0.25, 1.5, -0.5], [2, 3]);
    const b = f64([0.1, 0.2, -0.3]);
    assert.equal(gradcheck((x, y) => x.mul(y).sum(1).tanh(), [a, b]), true);
  });

  test('matmul', () => {
    const a = f64([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = f64([0.5, -1, 0.25, 2, -0.5, 1], [3, 2]);
    assert.equal(gradcheck((x, y) => matmul(x, y), [a, b]), true);
  });

  test('several outputs', () => {
    assert.equal(gradcheck((x) => [x.exp(), x.mul(x).sum()], [f64([0.2, -0.4])]), true);
  });

  test('a custom op with the right vjp', () => {
    assert.equal(gradcheck((x) => customSquare(x, (g) => g.mul(x).mul(2)), [f64([0.5, -1.5, 3])]), true);
  });

  test('a non-differentiable output before a differentiable one is skipped', () => {
    assert.equal(gradcheck((x) => [x.argmax(), x.exp()], [f64([0.5, 2])]), true);
  });

  test('inputs that do not require grad are passed through unchecked', () => {
    const c = f64([2, 3], undefined, false);
    assert.equal(gradcheck((x, k) => x.mul(k), [f64([1, 1]), c]), true);
  });
});

describe('gradcheck catches wrong gradients', () => {
  test('a custom op whose vjp is off by a factor of two throws AutogradError', () => {
    const x = f64([0.5, -1.5, 3]);
    assert.throws(
      () => gradcheck((t) => customSquare(t, (g) => g.mul(t)), [x]),
      (e: unknown) => {
        assert.ok(e instanceof AutogradError);
        const m = /gradcheck: Jacobian mismatch for input 0, element 0, output 0 element 0: analytic (\S+), numeric (\S+)$/.exec(e.message);
        assert.ok(m, e.message);
        // analytic x = 0.5 where d(x^2)/dx = 2x = 1
        assert.equal(Number(m[1]), 0.5);
        assert.ok(Math.abs(Number(m[2]) - 1) < 1e-8, m[2]);
        return true;
      },
    );
  });

  test('a vjp with the wrong sign, inside a larger function', () => {
    const x = f64([0.5, 1.5]);
    assert.throws(() => gradcheck((t) => customSquare(t.exp(), (g) => g.mul(t.exp()).mul(-2)).sum(), [x]), AutogradError);
  });

  test('a vjp wrong at one element only', () => {
    const x = f64([1, 2, 3]);
    const mask = f64([1, 1, 0], undefined, false);
    assert.throws(
      () => gradcheck((t) => customSquare(t, (g) => g.mul(t).mul(2).mul(mask)), [x]),
      (e: unknown) => e instanceof AutogradError && /element 2/.test(e.message),
    );
  });

  test('raiseException: false returns false instead of throwing', () => {
    const x = f64([0.5, 2]);
    assert.equal(gradcheck((t) => customSquare(t, (g) => g.mul(t)), [x], { raiseException: false }), false);
    assert.equal(gradcheck((t) => customSquare(t, (g) => g.mul(t).mul(2)), [x], { raiseException: false }), true);
  });

  test('a vjp that ignores its input is caught', () => {
    const x = f64([0.5, 2]);
    assert.throws(() => gradcheck((t) => customSquare(t, (g) => g.mul(0)), [x]), AutogradError);
  });
});

describe('gradcheck refuses imprecise inputs', () => {
  test('float32 inputs that require grad are refused with DTypeError', () => {
    assert.throws(
      () => gradcheck((x) => x.mul(x), [tensor([1, 2], { requiresGrad: true })]),
      (e: unknown) => e instanceof DTypeError && /gradcheck/.test(e.message) && /float64/.test(e.message) && /float32/.test(e.message),
    );
  });
});
