/**
 * Dense linear algebra on host arrays (row-major Float64Array) for the classic estimators: least squares
 * through the SVD or Householder QR, symmetric positive-definite solves through Cholesky, ridge through the
 * SVD. Built on the host kernels of `src/linalg` (whose host-gemm.ts has the products X^T X and X^T Y).
 * @module
 */
import { LinAlgError } from '../errors.js';
import { EPS, cholFactor, triSolve } from '../linalg/host-factor.js';
import { type QRFactors, qrFactor, qrFormR } from '../linalg/host-qr.js';
import { svdHost } from '../linalg/host-svd.js';

/** A least-squares solution with the numerical rank and singular values of the matrix. */
export interface LstsqHost {
  /** n x k solution (minimum norm when rank-deficient). */
  x: Float64Array;
  /** Number of singular values above the cutoff. */
  rank: number;
  /** The min(m, n) singular values, descending. */
  s: Float64Array;
}

/**
 * Minimum-norm least squares min ||A x - B|| for A (m x n) and B (m x k) through the SVD — of R after a
 * Householder QR when A is tall, as LAPACK's gelsd does: singular values <= rcond * s_max count as zero (default
 * rcond: eps * max(m, n), gelsd's).
 */
export function lstsqHost(where: string, a: Float64Array, m: number, n: number, b: Float64Array, k: number, rcond = EPS * Math.max(m, n)): LstsqHost {
  if (m > n) {
    // A = QR: min ||A x − B|| is min ||R x − (QᵀB)[:n]||, with the same singular values and null space — so the
    // SVD of the n x n R does, and Q is never formed
    const f = qrFactor(a, m, n);
    const qtb = applyQt(f, m, n, b, k);
    return lstsqHost(where, qrFormR(f, m, n, n), n, n, qtb.subarray(0, n * k), k, rcond);
  }
  const { u, s, v, converged } = svdHost(a, m, n, true);
  if (!converged) throw new LinAlgError(`${where}: the SVD did not converge; check the data for NaN or huge values`);
  const q = Math.min(m, n);
  const cut = rcond * (s[0] ?? 0);
  const x = new Float64Array(n * k);
  let rank = 0;
  const d = new Float64Array(k);
  for (let j = 0; j < q; j++) {
    if (!(s[j] > cut)) continue;
    rank++;
    d.fill(0);
    for (let r = 0; r < m; r++) {
      const uv = u[r * q + j];
      if (uv === 0) continue;
      for (let c = 0; c < k; c++) d[c] += uv * b[r * k + c];
    }
    for (let c = 0; c < k; c++) d[c] /= s[j];
    for (let r = 0; r < n; r++) {
      const vv = v[r * q + j];
      for (let c = 0; c < k; c++) x[r * k + c] += vv * d[c];
    }
  }
  return { x, rank, s };
}

/** Q^T B (m x k) for the QR factors of an m x n matrix (m >= n): H_0 ... H_{n-1} applied to a copy of B. */
function applyQt(f: QRFactors, m: number, n: number, b: Float64Array, k: number): Float64Array {
  const qtb = Float64Array.from(b.subarray(0, m * k));
  for (let j = 0; j < n; j++) {
    const t = f.tau[j];
    if (t === 0) continue;
    for (let c = 0; c < k; c++) {
      let w = qtb[j * k + c];
      for (let i = j + 1; i < m; i++) w += f.qr[i * n + j] * qtb[i * k + c];
      w *= t;
      qtb[j * k + c] -= w;
      for (let i = j + 1; i < m; i++) qtb[i * k + c] -= w * f.qr[i * n + j];
    }
  }
  return qtb;
}

/**
 * Least squares through Householder QR: A = QR, x = R^-1 Q^T B. Needs m >= n and A of full column rank;
 * otherwise a LinAlgError naming `remedy`.
 */
export function qrLstsqHost(where: string, a: Float64Array, m: number, n: number, b: Float64Array, k: number, remedy: string): Float64Array {
  if (m < n) throw new LinAlgError(`${where}: QR least squares needs at least as many samples as features, got ${m} samples and ${n} features; ${remedy}`);
  const f = qrFactor(a, m, n);
  const qtb = applyQt(f, m, n, b, k);
  const r = qrFormR(f, m, n, n);
  let big = 0;
  for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(r[i * n + i]));
  for (let i = 0; i < n; i++) {
    if (!(Math.abs(r[i * n + i]) > big * EPS * Math.max(m, n))) {
      throw new LinAlgError(`${where}: the design matrix is rank-deficient (column ${i} is a linear combination of the earlier ones, R[${i}, ${i}] ~ 0); ${remedy}`);
    }
  }
  const x = triSolve(r, n, qtb.subarray(0, n * k), k, true, false);
  if (typeof x === 'number') throw new LinAlgError(`${where}: the design matrix is rank-deficient (R[${x}, ${x}] = 0); ${remedy}`);
  return x;
}

/**
 * Solves A x = B for symmetric positive-definite A (n x n, lower triangle read) through Cholesky; returns
 * null when A is not positive-definite.
 */
export function cholSolveHost(a: Float64Array, n: number, b: Float64Array, k: number): Float64Array | null {
  const l = cholFactor(a, n);
  if (typeof l === 'number') return null;
  const y = triSolve(l, n, b, k, false, false);
  if (typeof y === 'number') return null;
  // L^T x = y: transpose L into an upper triangle
  const u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) u[j * n + i] = l[i * n + j];
  const x = triSolve(u, n, y, k, true, false);
  return typeof x === 'number' ? null : x;
}

/**
 * Ridge solutions min ||A x - B||^2 + alpha ||x||^2 for several alphas from one SVD of A (m x n):
 * x = V diag(s / (s^2 + alpha)) U^T B. Returns one n x k solution per alpha.
 */
export function ridgeSvdHost(where: string, a: Float64Array, m: number, n: number, b: Float64Array, k: number, alphas: readonly number[]): Float64Array[] {
  const { u, s, v, converged } = svdHost(a, m, n, true);
  if (!converged) throw new LinAlgError(`${where}: the SVD did not converge; check the data for NaN or huge values`);
  const q = Math.min(m, n);
  // U^T B, q x k
  const utb = new Float64Array(q * k);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < q; j++) {
      const uv = u[r * q + j];
      if (uv === 0) continue;
      for (let c = 0; c < k; c++) utb[j * k + c] += uv * b[r * k + c];
    }
  }
  const cut = EPS * Math.max(m, n) * (s[0] ?? 0);
  return alphas.map((alpha) => {
    const x = new Float64Array(n * k);
    for (let j = 0; j < q; j++) {
      if (alpha === 0 && !(s[j] > cut)) continue;
      const f = s[j] / (s[j] * s[j] + alpha);
      if (f === 0) continue;
      for (let r = 0; r < n; r++) {
        const vv = v[r * q + j] * f;
        for (let c = 0; c < k; c++) x[r * k + c] += vv * utb[j * k + c];
      }
    }
    return x;
  });
}
