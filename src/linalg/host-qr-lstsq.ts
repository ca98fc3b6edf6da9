/**
 * Least squares through the QR factorization on host arrays (row-major Float64Array, one matrix at a time), for
 * the matrices that are numerically of full rank: LAPACK's gels, guarded by a condition estimate so that a
 * caller can fall back to the SVD (the rank-revealing route) for the others. The path of `lstsq`'s driver 'gelsy'.
 * @module
 */
import { transposeHost } from './host-gemm.js';
import { qrApplyQ, qrApplyQT, qrFactor, qrFormR } from './host-qr.js';
import { lowerSolveInPlace, upperSolveInPlace } from './host-trsm.js';

/**
 * An estimate of the 1-norm condition number ||R||_1 ||R^-1||_1 of the n x n upper triangular `r` (row-major),
 * by Hager's method as refined by Higham (LAPACK's lacn2 under trcon): a lower bound, in practice within a small
 * factor of the truth. Infinity (or NaN) when R is singular. O(n^2) per iteration, at most 5 iterations.
 */
export function upperCondition1(r: Float64Array, n: number): number {
  let norm = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i <= j; i++) s += Math.abs(r[i * n + j]);
    norm = Math.max(norm, s);
  }
  if (n === 0) return 0;
  const rt = transposeHost(r, n, n);
  // ||R^-1 x||_1 over unit 1-norm x: start from the uniform vector, move to the column the gradient points at
  let x = new Float64Array(n).fill(1 / n);
  let est = 0;
  let last = -1;
  for (let iter = 0; iter < 5; iter++) {
    const y = Float64Array.from(x);
    upperSolveInPlace(r, n, y, 1, false);
    let ynorm = 0;
    for (const v of y) ynorm += Math.abs(v);
    if (!Number.isFinite(ynorm)) return Infinity;
    if (iter > 0 && ynorm <= est) break;
    est = ynorm;
    // z = R^-T sign(y)
    const z = Float64Array.from(y, (v) => (v >= 0 ? 1 : -1));
    lowerSolveInPlace(rt, n, z, 1, false);
    let j = 0;
    for (let i = 1; i < n; i++) if (Math.abs(z[i]) > Math.abs(z[j])) j = i;
    if (j === last) break;
    last = j;
    x = new Float64Array(n);
    x[j] = 1;
  }
  // Higham's extra vector (alternating, growing entries) guards against the cases that fool the iteration
  const alt = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1) * (1 + (n > 1 ? i / (n - 1) : 0)));
  upperSolveInPlace(r, n, alt, 1, false);
  let anorm = 0;
  for (const v of alt) anorm += Math.abs(v);
  est = Math.max(est, (2 * anorm) / (3 * n));
  return norm * est;
}

/**
 * The least-squares solution (m >= n) or the minimum-norm solution (m < n) of A X = B for the m x n `a` and the
 * m x k `b` (neither modified), through Householder QR of A (or of A^T when wide): n x k, row-major. Null when the
 * triangular factor's estimated condition number reaches `condLimit` (or R is singular): such a matrix is not
 * safely of full rank, and the caller solves through the SVD instead.
 */
export function qrLeastSquares(a: Float64Array, m: number, n: number, b: Float64Array, k: number, condLimit: number): Float64Array | null {
  if (m >= n) {
    const f = qrFactor(a, m, n);
    const r = qrFormR(f, m, n, n);
    if (!(upperCondition1(r, n) < condLimit)) return null;
    // X = R^-1 (Q^T B)[0..n)
    const c = Float64Array.from(b.subarray(0, m * k));
    qrApplyQT(f, m, n, c, k);
    const x = c.slice(0, n * k);
    upperSolveInPlace(r, n, x, k, false);
    return x;
  }
  // A^T = Q R, so A = R^T Q^T: X = Q[:, 0..m) R^-T B is the solution of least norm
  const f = qrFactor(transposeHost(a, m, n), n, m);
  const r = qrFormR(f, n, m, m);
  if (!(upperCondition1(r, m) < condLimit)) return null;
  const x = new Float64Array(n * k);
  x.set(b.subarray(0, m * k));
  lowerSolveInPlace(transposeHost(r, m, m), m, x, k, false);
  qrApplyQ(f, n, m, x, k);
  return x;
}
