/**
 * Least squares through the bidiagonal form, the fast route of lstsq's SVD drivers (gelsd, gelss) for a matrix
 * of full column rank: A = Q B P^T (host-bidiag.ts), the singular values from B alone, and — when none falls at or
 * below the rank cutoff — x = P B^{-1} Q^T b, the same minimum-norm solution as V diag(1/s) U^T b without ever
 * forming U or V. A rank-deficient (or wide) matrix returns null: the caller takes the full SVD.
 * @module
 */
import { maxAbs } from './host-factor.js';
import { bidiagonalValues, bidiagonalize } from './host-bidiag.js';
import { qrApplyQT } from './host-qr.js';

/** Solution, singular values (descending) and rank of a full-column-rank least squares problem. */
export interface BidiagonalLeastSquares {
  /** n x nrhs, row-major. */
  x: Float64Array;
  /** The n singular values of A, descending. */
  s: Float64Array;
  /** n: the rank of a full-column-rank matrix. */
  rank: number;
}

/**
 * The least squares solution of the row-major m x n `a` (m >= n) against the m x nrhs `b`, or null when A is
 * wide, when a singular value is at most rcond * s_max (LAPACK's rank cutoff) or when the QR sweeps fail.
 */
export function bidiagonalLeastSquares(a: Float64Array, m: number, n: number, b: Float64Array, nrhs: number,
  rcond: number): BidiagonalLeastSquares | null {
  if (m < n || n === 0) return null;
  const scale = maxAbs(a.subarray(0, m * n));
  if (scale === 0 || !Number.isFinite(scale)) return null;
  const w = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) w[i] = a[i] / scale;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const taus = { q: new Float64Array(n), p: new Float64Array(n) };
  bidiagonalize(w, m, n, d, e, taus);
  // the singular values of B (those of A / scale), from copies: d and e are needed for the solve
  const s = bidiagonalValues(d.slice(), e.slice(), n, scale);
  if (!s || !(s[n - 1] > Math.max(0, rcond) * s[0])) return null;
  // c = Q^T b: the left reflectors sit below the diagonal as a QR's do
  const c = b.slice(0, m * nrhs);
  qrApplyQT({ qr: w, tau: taus.q }, m, n, c, nrhs);
  // y = B^{-1} c[0..n) (upper bidiagonal), then x = P y = G_0 ... G_{n-2} y, all in x
  const x = new Float64Array(n * nrhs);
  for (let r = 0; r < nrhs; r++) {
    x[(n - 1) * nrhs + r] = c[(n - 1) * nrhs + r] / d[n - 1];
    for (let j = n - 2; j >= 0; j--) x[j * nrhs + r] = (c[j * nrhs + r] - e[j] * x[(j + 1) * nrhs + r]) / d[j];
  }
  for (let j = n - 2; j >= 0; j--) {
    const tau = taus.p[j];
    if (tau === 0) continue;
    const u = j * n + j + 1; // u = (1, w[j, j+2..])
    for (let r = 0; r < nrhs; r++) {
      let dot = x[(j + 1) * nrhs + r];
      for (let q = j + 2; q < n; q++) dot += w[u + q - j - 1] * x[q * nrhs + r];
      const t = tau * dot;
      x[(j + 1) * nrhs + r] -= t;
      for (let q = j + 2; q < n; q++) x[q * nrhs + r] -= t * w[u + q - j - 1];
    }
  }
  // A / scale was factored: x solves (A / scale) x = b, so A (x / scale) = b
  for (let i = 0; i < x.length; i++) x[i] /= scale;
  return { x, s, rank: n };
}
