/**
 * Finite-difference gradcheck (float64) of every differentiable linalg function, on small matrices of
 * several shapes and batched, plus second derivatives of the main ones: their vjps are written with
 * differentiable ops, so the gradient of a gradient is checked the same way.
 */
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import { Tensor, linalg } from '../../src/index.js';
import { eye, randn } from './helpers.js';

const opts = { eps: 1e-6, atol: 1e-6, rtol: 1e-4 };

function leaf(t: Tensor): Tensor {
  return t.detach().requiresGrad_();
}

function check(fn: (...xs: Tensor[]) => Tensor | readonly Tensor[], ...inputs: Tensor[]): void {
  sd.gradcheck(fn, inputs.map(leaf), opts);
}

/** A well-conditioned random matrix (diagonal pushed away from zero). */
function wellConditioned(shape: number[]): Tensor {
  const n = shape[shape.length - 1];
  return sd.add(randn(shape), sd.mul(eye(n), 3));
}

/** X X^T + n I: symmetric positive-definite. */
function spd(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1];
  return sd.add(x.matmul(x.mT), sd.mul(eye(n), n));
}

/** X + X^T: symmetric. */
function sym(x: Tensor): Tensor {
  return sd.add(x, x.mT);
}

describe('linalg gradcheck (float64, central differences)', () => {
  sd.manualSeed(51);
  test('solve: matrix and vector right-hand sides, batched, broadcast, left: false', () => {
    check((a, b) => linalg.solve(a, b), wellConditioned([3, 3]), randn([3, 2]));
    check((a, b) => linalg.solve(a, b), wellConditioned([2, 3, 3]), randn([2, 3]));
    check((a, b) => linalg.solve(a, b), wellConditioned([3, 3]), randn([2, 3, 1]));
    check((a, b) => linalg.solve(a, b, { left: false }), wellConditioned([3, 3]), randn([2, 3]));
  });
  test('solveTriangular: upper, lower, unit diagonal, from the right', () => {
    check((a, b) => linalg.solveTriangular(a, b, { upper: true }), wellConditioned([3, 3]), randn([3, 2]));
    check((a, b) => linalg.solveTriangular(a, b, { upper: false, unitriangular: true }), wellConditioned([2, 3, 3]), randn([2, 3, 2]));
    check((a, b) => linalg.solveTriangular(a, b, { upper: true, left: false }), wellConditioned([3, 3]), randn([2, 3]));
  });
  test('inv, det, slogdet (also at a singular matrix for det)', () => {
    check((a) => linalg.inv(a), wellConditioned([2, 3, 3]));
    check((a) => linalg.det(a), randn([2, 4, 4]));
    check((a) => linalg.det(a), sd.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]], { dtype: 'float64' }));
    check((a) => linalg.slogdet(a).logabsdet, randn([2, 3, 3]));
  });
  test('cholesky (lower and upper) through X X^T + nI', () => {
    check((x) => linalg.cholesky(spd(x)), randn([4, 4]));
    check((x) => linalg.cholesky(spd(x), { upper: true }), randn([2, 3, 3]));
  });
  test('qr: tall, square, wide, batched; modes reduced, r, and complete for m <= n', () => {
    for (const shape of [[5, 3], [3, 3], [3, 5], [2, 4, 2]]) {
      check((a) => {
        const r = linalg.qr(a);
        return [r.Q, r.R];
      }, randn(shape));
      check((a) => linalg.qr(a, { mode: 'r' }).R, randn(shape));
    }
    check((a) => {
      const r = linalg.qr(a, { mode: 'complete' });
      return [r.Q, r.R];
    }, randn([3, 4]));
  });
  test('eigh and eigvalsh (distinct eigenvalues), both UPLO', () => {
    check((x) => {
      const r = linalg.eigh(sym(x));
      return [r.eigenvalues, r.eigenvectors];
    }, randn([4, 4]));
    check((x) => {
      const r = linalg.eigh(sym(x), { UPLO: 'U' });
      return [r.eigenvalues, r.eigenvectors];
    }, randn([2, 3, 3]));
    check((x) => linalg.eigvalsh(sym(x)), randn([3, 3]));
  });
  test('svd (U, S, Vh) and svdvals: tall, wide, square, batched', () => {
    for (const shape of [[5, 3], [3, 5], [4, 4], [2, 3, 2]]) {
      check((a) => {
        const r = linalg.svd(a);
        return [r.U, r.S, r.Vh];
      }, randn(shape));
      check((a) => linalg.svdvals(a), randn(shape));
    }
    // fullMatrices: the first k vectors and S are differentiable
    check((a) => {
      const r = linalg.svd(a, { fullMatrices: true });
      return [sd.narrow(r.U, -1, 0, 2), r.S, r.Vh];
    }, randn([4, 2]));
  });
  test('pinv (tall, wide, hermitian) and lstsq solution (tall, wide, vector b, batched, rcond)', () => {
    check((a) => linalg.pinv(a), randn([4, 3]));
    check((a) => linalg.pinv(a), randn([2, 2, 4]));
    check((x) => linalg.pinv(sym(x), { hermitian: true }), randn([3, 3]));
    check((a, b) => linalg.lstsq(a, b).solution, randn([5, 3]), randn([5, 2]));
    check((a, b) => linalg.lstsq(a, b).solution, randn([2, 4]), randn([2]));
    check((a, b) => linalg.lstsq(a, b).solution, randn([2, 4, 2]), randn([2, 4, 1]));
    // cutoffs that drop nonzero singular values (where PyTorch's pinv gradient is wrong)
    const q1 = linalg.qr(randn([4, 4])).Q;
    const q2 = linalg.qr(randn([4, 4])).Q;
    const s = sd.tensor([2, 1, 0.3, 0.01], { dtype: 'float64' });
    check((a) => linalg.pinv(a, { atol: 0.1 }), q1.matmul(sd.mul(s.unsqueeze(-1), q2.mT)));
    check((a) => linalg.pinv(a, { rtol: 0.1 }), q1.matmul(sd.mul(s.unsqueeze(-1), q2.mT)));
    const lam = sd.tensor([2, -1, 0.3, -0.01], { dtype: 'float64' });
    check((x) => linalg.pinv(sd.add(x, x.mT), { atol: 0.1, hermitian: true }), sd.mul(q1.matmul(sd.mul(lam.unsqueeze(-1), q1.mT)), 0.5));
    const graded = sd.tensor([[1, 0, 0], [0, 0.5, 0], [0, 0, 1e-4], [0, 0, 0]], { dtype: 'float64' });
    check((a, b) => linalg.lstsq(a, b, { rcond: 1e-3 }).solution, sd.add(graded, sd.mul(randn([4, 3]), 1e-6)), randn([4, 1]));
  });
  test('norms and cond', () => {
    const A = randn([2, 3, 3]);
    for (const ord of ['fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity] as const) check((a) => linalg.matrixNorm(a, ord), A);
    for (const ord of [2, 1, 3, 0.5, -1, -2.5, Infinity]) check((x) => linalg.vectorNorm(x, ord, { dim: 1 }), randn([3, 4]));
    check((a) => linalg.norm(a, 'nuc', { dim: [0, 2] }), A);
    for (const p of [2, -2, 'fro', 'nuc', 1, Infinity] as const) check((a) => linalg.cond(a, p), wellConditioned([3, 3]));
  });
});

/** gradcheck of A -> d/dA <f(A), W>: the vjp's own gradient. */
function checkSecondOrder(f: (a: Tensor) => Tensor, A: Tensor): void {
  const probe = f(A);
  const W = randn([...probe.shape]);
  sd.gradcheck(
    (a) =>
      sd.enableGrad(() => {
        const x = a.requiresGrad ? a : leaf(a);
        return sd.grad([f(x)], [x], [W], { createGraph: true })[0];
      }),
    [leaf(A)],
    opts,
  );
}

describe('linalg second derivatives (gradcheck of the gradient)', () => {
  sd.manualSeed(52);
  test('solve, inv, det, slogdet', () => {
    const B = randn([3, 2]);
    checkSecondOrder((a) => linalg.solve(a, B), wellConditioned([3, 3]));
    checkSecondOrder((a) => linalg.inv(a), wellConditioned([3, 3]));
    checkSecondOrder((a) => linalg.det(a), randn([3, 3]));
    checkSecondOrder((a) => linalg.slogdet(a).logabsdet, randn([3, 3]));
  });
  test('cholesky, qr, eigh, svd, pinv, lstsq', () => {
    checkSecondOrder((x) => linalg.cholesky(spd(x)), randn([3, 3]));
    checkSecondOrder((a) => linalg.qr(a).Q, randn([4, 3]));
    checkSecondOrder((x) => linalg.eigh(sym(x)).eigenvectors, randn([3, 3]));
    checkSecondOrder((a) => linalg.svd(a).U, randn([4, 3]));
    checkSecondOrder((a) => linalg.svdvals(a), randn([3, 4]));
    checkSecondOrder((a) => linalg.pinv(a), randn([4, 2]));
    const B = randn([4, 1]);
    checkSecondOrder((a) => linalg.lstsq(a, B).solution, randn([4, 2]));
  });
});
