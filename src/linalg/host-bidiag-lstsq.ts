/**
 * Least squares through the bidiagonal form, the fast route of lstsq's SVD drivers (gelsd, gelss) for a matrix
 * of full column rank: A = Q B P^T (host-bidiag.ts), the singular values from B alone, and — when none falls at or
 * below the rank cutoff — x = P B^{-1} Q^T b, the same minimum-norm solution as V diag(1/s) U^T b without ever
 * forming U or V. A rank-deficient (or wide) matrix returns null: the caller takes the full SVD.
 * @module
 */
import { EPS, maxAbs } from './host-factor.js';
import { bidiagonalQr, bidiagonalize } from './host-bidiag.js';

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
  const sd = d.slice();
  const se = e.slice();
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]), i + 1 < n ? Math.abs(e[i]) : 0);
  if (!bidiagonalQr(sd, se, n, EPS * norm)) return null;
  const s = Float64Array.from(sd, (x) => Math.abs(x) * scale).sort().reverse();
  if (!(s[n - 1] > Math.max(0, rcond) * s[0])) return null;
  // c = Q^T b = H_{n-1} ... H_0 b
  const c = b.slice(0, m * nrhs);
  for (let j = 0; j < n; j++) {
    const tau = taus.q[j];
    if (tau === 0) continue;
    for (let r = 0; r < nrhs; r++) {
      let dot = c[j * nrhs + r];
      for (let i = j + 1; i < m; i++) dot += w[i * n + j] * c[i * nrhs + r];
      const t = tau * dot;
      c[j * nrhs + r] -= t;
      for (let i = j + 1; i < m; i++) c[i * nrhs + r] -= t * w[i * n + j];
    }
  }
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
