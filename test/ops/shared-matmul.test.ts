/**
 * sharedMatmul against plain bmm: the same products and the same gradients (left operands and the shared operand,
 * also when the shared operand is used elsewhere too), on every backend; repeated backward (retainGraph), createGraph,
 * float64 gradcheck, the no-grad path and the typed errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DTypeError, ShapeError, bmm, grad, gradcheck, listBackends, manualSeed, noGrad, randn, sharedMatmul, type Tensor,
} from '../../src/index.js';
import { assertClose, onBackend } from '../helpers/backends.js';

const f64 = (shape: number[]) => randn(shape, { dtype: 'float64' }).requiresGrad_();

/** Three steps of a decoder-like loop over the shared b [2, 3, 4]: sum_t sum(y_t * w_t) + sum(b * b). */
function loss(xs: readonly Tensor[], b: Tensor, ws: readonly Tensor[], shared: boolean): Tensor {
  const mul = shared ? sharedMatmul(b) : (x: Tensor) => bmm(x, b);
  return xs.reduce((acc, x, t) => acc.add(mul(x).mul(ws[t]).sum()), b.mul(b).sum());
}

describe('sharedMatmul', () => {
  for (const backend of listBackends()) {
    test(`${backend}: values and gradients equal bmm's, also on repeated backward`, () => onBackend(backend, () => {
      manualSeed(3);
      const b = f64([2, 3, 4]);
      const xs = [f64([2, 1, 3]), f64([2, 2, 3]), f64([2, 1, 3])];
      const ws = xs.map((x) => randn([2, x.shape[1], 4], { dtype: 'float64' }));
      const mul = sharedMatmul(b);
      xs.forEach((x) => assertClose(mul(x), bmm(x, b), 1e-14, 'product'));
      const want = grad(loss(xs, b, ws, false), [...xs, b]);
      const got = grad(loss(xs, b, ws, true), [...xs, b]);
      got.forEach((g, i) => assertClose(g, want[i], 1e-12, `gradient ${i}`));
      const l = loss(xs, b, ws, true);
      l.backward({ retainGraph: true });
      l.backward();
      [...xs, b].forEach((t, i) => assertClose(t.grad as Tensor, want[i].mul(2), 1e-12, `twice: gradient ${i}`));
    }));
  }

  test('float64 gradcheck, and createGraph gives the same, differentiable gradients', () => {
    manualSeed(4);
    const b = f64([2, 3, 2]);
    const xs = [f64([2, 1, 3]), f64([2, 2, 3])];
    const ws = xs.map((x) => randn([2, x.shape[1], 2], { dtype: 'float64' }));
    const sq = (x: Tensor, bb: Tensor) => {
      const mul = sharedMatmul(bb);
      return mul(x).square().sum().add(mul(xs[1]).mul(ws[1]).sum());
    };
    gradcheck((x, bb) => sq(x, bb), [xs[0], b]);
    const plain = grad(sq(xs[0], b), [xs[0], b]);
    const graphed = grad(sq(xs[0], b), [xs[0], b], undefined, { createGraph: true });
    graphed.forEach((g, i) => assertClose(g, plain[i], 1e-12, `createGraph ${i}`));
    // the gradient w.r.t. x depends on b: differentiate it once more
    const wantSecond = grad(grad(xs[0].matmul(b).square().sum().add(xs[1].matmul(b).mul(ws[1]).sum()), [xs[0]], undefined, { createGraph: true })[0].sum(), [b])[0];
    assertClose(grad(graphed[0].sum(), [b])[0], wantSecond, 1e-12, 'second order');
  });

  test('without gradients it is plain bmm; bad operands are typed errors', () => {
    const b = randn([2, 3, 4]);
    const x = randn([2, 5, 3]);
    assert.deepEqual(Array.from(noGrad(() => sharedMatmul(b.requiresGrad_())(x)).toTypedArray()), Array.from(bmm(x, b).toTypedArray()));
    assert.throws(() => sharedMatmul(randn([3, 4])), (e: Error) => e instanceof ShapeError && /b must be 3-D \[B, K, N\], got shape \[3, 4\]/.test(e.message));
    const mul = sharedMatmul(randn([2, 3, 4]).requiresGrad_());
    assert.throws(() => mul(randn([2, 5, 4])), (e: Error) => e instanceof ShapeError && /x must be \[B, m, K\] = \[2, m, 3\].*got \[2, 5, 4\]/.test(e.message));
    assert.throws(() => mul(randn([2, 5, 3], { dtype: 'float64' })), (e: Error) => e instanceof DTypeError && /float32, got float64/.test(e.message));
  });
});
