/**
 * Dense factorizations on host arrays (row-major Float64Array, one matrix at a time): LU with partial
 * pivoting (host-lu.ts blocks it), triangular solves (host-trsm.ts), Cholesky, sign fixing; Householder QR lives in
 * host-qr.ts and the product in host-gemm.ts. No tensors here; `src/linalg`'s public
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

/**
 * A^-1 (n x n) from A's LU factors: X = U^-1 L^-1 P. L^-1 is solved with the identity as a lower triangular
 * right-hand side (its zero upper part skipped), then U W = L^-1, and W's columns are put in pivot order —
 * luSolve(f, n, I, n)'s numbers, bit for bit, with a sixth less arithmetic. Where L holds a non-finite
 * entry the skipped terms would not all be zero (Inf x 0), so that case takes luSolve.
 */
export function luInverse(f: LUFactors, n: number): Float64Array {
  const { lu, perm } = f;
  let finite = true;
  for (let i = 1; i < n && finite; i++) for (let p = 0; p < i; p++) if (!Number.isFinite(lu[i * n + p])) finite = false;
  if (!finite) {
    const eye = new Float64Array(n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    return luSolve(f, n, eye, n);
  }
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) w[i * n + i] = 1;
  lowerSolveInPlace(lu, n, w, n, true, true);
  upperSolveInPlace(lu, n, w, n, false);
  // luSolve's right-hand side is I with row i moved to perm[i]: its column perm[q] is column q of I
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let q = 0; q < n; q++) x[row + perm[q]] = w[row + q];
  }
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

/**
 * Σ x[xo + i] y[yo + i] for i < len, the even and odd terms in two sums then added: the two lanes of the wasm
 * kernels' dot products (assembly/jacobi.ts, assembly/dgebrd.ts), so the TypeScript loops give the same bits.
 */
export function dot2(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < len; i += 2) {
    s0 += x[xo + i] * y[yo + i];
    s1 += x[xo + i + 1] * y[yo + i + 1];
  }
  if (i < len) s0 += x[xo + i] * y[yo + i];
  return s0 + s1;
}
