/**
 * Dense factorizations on host arrays (row-major Float64Array, one matrix at a time): LU with partial
 * pivoting, triangular solves, Cholesky and Householder QR. No tensors here; `src/linalg`'s public
 * functions read tensors into these arrays, call these routines per batch entry and wrap the results.
 * @module
 */
import { luPacked, permOfPivots } from './host-lu.js';
import { lowerSolveInPlace, upperSolveInPlace } from './host-trsm.js';

/** An LU factorization P A = L U packed in one array (L unit lower, below the diagonal; U on and above). */
export interface LUFactors {
  /** n x n: the multipliers of L below the diagonal, U on and above it. */
  lu: Float64Array;
  /** Row i of P A is row perm[i] of A. */
  perm: Int32Array;
  /** Determinant of P: +1 or -1. */
  sign: number;
  /** Index of the first exactly-zero pivot U[k][k], or -1 when the matrix is nonsingular. */
  zeroPivot: number;
}

/**
 * LU factorization with partial pivoting of the n x n row-major matrix `a` (not modified). Like LAPACK's
 * getrf it runs to the end on a singular matrix and reports the first zero pivot.
 */
export function luFactor(a: Float64Array, n: number): LUFactors {
  const { lu, piv, info } = luPacked(a, n, n);
  let sign = 1;
  for (let i = 0; i < n; i++) if (piv[i] !== i + 1) sign = -sign;
  return { lu, perm: permOfPivots(piv, n), sign, zeroPivot: info - 1 };
}

/** Solves A X = B from A's LU factors; `b` is n x k row-major; returns X (n x k). */
export function luSolve(f: LUFactors, n: number, b: Float64Array, k: number): Float64Array {
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) x.set(b.subarray(f.perm[i] * k, f.perm[i] * k + k), i * k);
  lowerSolveInPlace(f.lu, n, x, k, true);
  upperSolveInPlace(f.lu, n, x, k, false);
  return x;
}

/** Determinant from LU factors: sign(P) times the product of U's diagonal. */
export function luDet(f: LUFactors, n: number): number {
  let d = f.sign;
  for (let i = 0; i < n; i++) d *= f.lu[i * n + i];
  return d;
}

/**
 * Solves T X = B for triangular T (n x n, only the named triangle is read; `unit` takes its diagonal as 1);
 * `b` is n x k. Returns X, or the index of the first zero diagonal entry when T is singular.
 */
export function triSolve(t: Float64Array, n: number, b: Float64Array, k: number, upper: boolean, unit: boolean): Float64Array | number {
  const x = Float64Array.from(b.subarray(0, n * k));
  if (!unit) {
    for (let i = 0; i < n; i++) if (t[i * n + i] === 0) return i;
  }
  if (upper) upperSolveInPlace(t, n, x, k, unit);
  else lowerSolveInPlace(t, n, x, k, unit);
  return x;
}

/**
 * Cholesky factor L (lower, A = L L^T) of the n x n matrix `a`, reading only its lower triangle. Returns L,
 * or the 0-based order-1 of the first leading minor that is not positive (as LAPACK's potrf info - 1).
 */
export function cholFactor(a: Float64Array, n: number): Float64Array | number {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let p = 0; p < j; p++) s -= l[j * n + p] * l[j * n + p];
    if (!(s > 0) || !Number.isFinite(s)) return j;
    const d = Math.sqrt(s);
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let v = a[i * n + j];
      for (let p = 0; p < j; p++) v -= l[i * n + p] * l[j * n + p];
      l[i * n + j] = v / d;
    }
  }
  return l;
}

/** Householder vectors and scales of a QR factorization, as LAPACK's geqrf keeps them. */
export interface QRFactors {
  /** m x n: R on and above the diagonal, the Householder vectors' tails (their head is 1) below. */
  qr: Float64Array;
  /** The k = min(m, n) reflector scales: H_j = I - tau_j v_j v_j^T. */
  tau: Float64Array;
}

/**
 * Householder QR of the m x n matrix `a` (not modified), with LAPACK's sign convention: each reflector maps
 * its column to beta e_1 with beta = -sign(alpha) ||x||, and is skipped (tau = 0) when the column is
 * already zero below the diagonal. So Q and R agree with LAPACK's (and PyTorch's) up to rounding.
 */
export function qrFactor(a: Float64Array, m: number, n: number): QRFactors {
  const qr = Float64Array.from(a.subarray(0, m * n));
  const k = Math.min(m, n);
  const tau = new Float64Array(k);
  let work = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    const alpha = qr[j * n + j];
    let xnorm = 0;
    // a scaled 2-norm: plain sums of squares overflow for entries near 1e154
    let scale = 0;
    for (let i = j + 1; i < m; i++) scale = Math.max(scale, Math.abs(qr[i * n + j]));
    if (scale > 0) {
      let ss = 0;
      for (let i = j + 1; i < m; i++) {
        const v = qr[i * n + j] / scale;
        ss += v * v;
      }
      xnorm = scale * Math.sqrt(ss);
    }
    if (xnorm === 0) {
      tau[j] = 0;
      continue;
    }
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    tau[j] = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) qr[i * n + j] *= inv;
    qr[j * n + j] = beta;
    // apply H_j = I - tau v v^T (v = [1, qr[j+1.., j]]) to the trailing columns, sweeping rows so the
    // row-major data is read contiguously: w = tau * v^T A, then A -= v w
    const w = work.length >= n ? work : (work = new Float64Array(n));
    for (let c = j + 1; c < n; c++) w[c] = qr[j * n + c];
    for (let i = j + 1; i < m; i++) {
      const vi = qr[i * n + j];
      if (vi === 0) continue;
      const row = i * n;
      for (let c = j + 1; c < n; c++) w[c] += vi * qr[row + c];
    }
    const t = tau[j];
    for (let c = j + 1; c < n; c++) {
      w[c] *= t;
      qr[j * n + c] -= w[c];
    }
    for (let i = j + 1; i < m; i++) {
      const vi = qr[i * n + j];
      if (vi === 0) continue;
      const row = i * n;
      for (let c = j + 1; c < n; c++) qr[row + c] -= vi * w[c];
    }
  }
  return { qr, tau };
}

/** The first `cols` columns of Q = H_0 H_1 ... H_{k-1} (m x cols, cols = k or m), accumulated backwards. */
export function qrFormQ(f: QRFactors, m: number, n: number, cols: number): Float64Array {
  const q = new Float64Array(m * cols);
  for (let i = 0; i < Math.min(m, cols); i++) q[i * cols + i] = 1;
  const k = Math.min(m, n);
  const w = new Float64Array(cols);
  for (let j = k - 1; j >= 0; j--) {
    const t = f.tau[j];
    if (t === 0) continue;
    // Q <- H_j Q, row-wise as in qrFactor
    for (let c = 0; c < cols; c++) w[c] = q[j * cols + c];
    for (let i = j + 1; i < m; i++) {
      const vi = f.qr[i * n + j];
      if (vi === 0) continue;
      const row = i * cols;
      for (let c = 0; c < cols; c++) w[c] += vi * q[row + c];
    }
    for (let c = 0; c < cols; c++) {
      w[c] *= t;
      q[j * cols + c] -= w[c];
    }
    for (let i = j + 1; i < m; i++) {
      const vi = f.qr[i * n + j];
      if (vi === 0) continue;
      const row = i * cols;
      for (let c = 0; c < cols; c++) q[row + c] -= vi * w[c];
    }
  }
  return q;
}

/** R of a QR factorization: its first `rows` rows (rows = k or m; rows past min(m, n) are zero), rows x n. */
export function qrFormR(f: QRFactors, m: number, n: number, rows: number): Float64Array {
  const r = new Float64Array(rows * n);
  for (let i = 0; i < Math.min(rows, m); i++) {
    for (let j = i; j < n; j++) r[i * n + j] = f.qr[i * n + j];
  }
  return r;
}

export { matmulHost, transposeHost } from './host-gemm.js';

/**
 * Flips column pairs so that each column of `a` (rows x k) has its largest-magnitude entry positive (the
 * first on ties), and the same columns of `partner` (prow x k). LAPACK fixes no sign; this convention makes
 * singular vectors and eigenvectors deterministic and smooth under small perturbations.
 */
export function fixSigns(a: Float64Array, rows: number, k: number, partner: Float64Array | null, prow: number): void {
  for (let j = 0; j < k; j++) {
    let best = 0;
    let at = 0;
    for (let i = 0; i < rows; i++) {
      const v = Math.abs(a[i * k + j]);
      if (v > best) {
        best = v;
        at = i;
      }
    }
    if (a[at * k + j] >= 0) continue;
    for (let i = 0; i < rows; i++) a[i * k + j] = -a[i * k + j];
    if (partner) for (let i = 0; i < prow; i++) partner[i * k + j] = -partner[i * k + j];
  }
}

/** Largest absolute entry (NaN when any entry is NaN). */
export function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (!(v <= m)) m = v;
  }
  return m;
}

/** Machine epsilon of float64. */
export const EPS = 2.220446049250313e-16;
