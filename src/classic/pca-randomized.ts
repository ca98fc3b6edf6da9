/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, algorithm 4.4 with QR re-orthonormalization at
 * every power step), as PCA's 'randomized' solver and sklearn's randomized_svd: a Gaussian test matrix with
 * k + nOversamples columns, nIter power iterations, then the exact SVD of the small projected matrix.
 * @module
 */
import { LinAlgError } from '../errors.js';
import { matmulHost, transposeHost } from '../linalg/host-gemm.js';
import { qrFactor, qrFormQ } from '../linalg/host-qr.js';
import { svdHost } from '../linalg/host-svd.js';
import type { Generator } from '../tensor/random.js';

/** An orthonormal basis (m x c) of the columns of the m x c matrix `y`. */
function orthonormal(y: Float64Array, m: number, c: number): Float64Array {
  return qrFormQ(qrFactor(y, m, c), m, c, c);
}

/**
 * The leading `k` singular values (descending) and right singular vectors (d x k, as columns) of the
 * row-major n x d matrix `a`, from a random range finder of width min(k + nOversamples, n, d) refined by
 * `nIter` power iterations. Exact (to rounding) when that width reaches min(n, d).
 */
export function randomizedSvd(where: string, a: Float64Array, n: number, d: number, k: number, nOversamples: number, nIter: number, g: Generator): { s: Float64Array; v: Float64Array } {
  const l = Math.min(k + nOversamples, n, d);
  const omega = new Float64Array(d * l);
  for (let i = 0; i < omega.length; i++) omega[i] = g.normal();
  const at = transposeHost(a, n, d);
  let q = orthonormal(matmulHost(a, omega, n, d, l), n, l);
  for (let it = 0; it < nIter; it++) {
    const z = orthonormal(matmulHost(at, q, d, n, l), d, l);
    q = orthonormal(matmulHost(a, z, n, d, l), n, l);
  }
  // B = Q^T A (l x d), whose SVD gives A's leading right singular vectors
  const b = matmulHost(transposeHost(q, n, l), a, l, n, d);
  const r = svdHost(b, l, d, true);
  if (!r.converged) throw new LinAlgError(`${where}: the SVD of the projected matrix did not converge; check X for huge values`);
  const s = r.s.slice(0, k);
  const v = new Float64Array(d * k);
  const w = Math.min(l, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) v[i * k + j] = r.v[i * w + j];
  return { s, v };
}
