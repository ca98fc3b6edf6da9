/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, algorithm 4.4), as PCA's 'randomized' solver and
 * sklearn's randomized_svd: a Gaussian test matrix with k + nOversamples columns, nIter power iterations, each
 * product normalized as sklearn's power_iteration_normalizer says ('auto': none for at most two iterations, else
 * the permuted L factor of an LU decomposition, far cheaper than a QR and as good at keeping the columns apart),
 * a QR of the last product, then the exact SVD of the small projected matrix.
 * @module
 */
import { LinAlgError, assertNever } from '../errors.js';
import { matmulHost, transposeHost } from '../linalg/host-gemm.js';
import { luPacked, permOfPivots } from '../linalg/host-lu.js';
import { qrFactor, qrFormQ } from '../linalg/host-qr.js';
import { svdHost } from '../linalg/host-svd.js';
import type { Generator } from '../tensor/random.js';

/** How the power iterations keep their columns from collapsing onto the leading one (sklearn's names). */
export type PowerIterationNormalizer = 'auto' | 'QR' | 'LU' | 'none';

/** An orthonormal basis (m x c) of the columns of the m x c matrix `y`. */
function orthonormal(y: Float64Array, m: number, c: number): Float64Array {
  return qrFormQ(qrFactor(y, m, c), m, c, c);
}

/**
 * P L of the LU decomposition with partial pivoting y = P L U of the row-major m x c matrix `y` (m >= c; not
 * modified): unit lower trapezoidal L with its rows put back in y's order (scipy's lu(y, permute_l=True)).
 */
export function permutedLower(y: Float64Array, m: number, c: number): Float64Array {
  const { lu, piv } = luPacked(y, m, c);
  const perm = permOfPivots(piv, m);
  const out = new Float64Array(m * c);
  for (let i = 0; i < m; i++) {
    const dst = perm[i] * c;
    const diag = Math.min(i, c);
    for (let t = 0; t < diag; t++) out[dst + t] = lu[i * c + t];
    if (i < c) out[dst + i] = 1;
  }
  return out;
}

/**
 * The leading `k` singular values (descending) and right singular vectors (d x k, as columns) of the
 * row-major n x d matrix `a`, from a random range finder of width min(k + nOversamples, n, d) refined by
 * `nIter` power iterations normalized by `normalizer`. Exact (to rounding) when that width reaches min(n, d).
 */
export function randomizedSvd(where: string, a: Float64Array, n: number, d: number, k: number, nOversamples: number, nIter: number,
  g: Generator, normalizer: PowerIterationNormalizer = 'auto'): { s: Float64Array; v: Float64Array } {
  const l = Math.min(k + nOversamples, n, d);
  const how = normalizer === 'auto' ? (nIter <= 2 ? 'none' : 'LU') : normalizer;
  const normalize = (y: Float64Array, rows: number): Float64Array => {
    switch (how) {
      case 'LU': return permutedLower(y, rows, l);
      case 'QR': return orthonormal(y, rows, l);
      case 'none': return y;
      default: return assertNever(how, 'powerIterationNormalizer');
    }
  };
  // A^T q as (q^T A)^T: two small transposes instead of one of A
  const timesAT = (q: Float64Array): Float64Array => transposeHost(matmulHost(transposeHost(q, n, l), a, l, n, d), l, d);
  let q: Float64Array = new Float64Array(d * l);
  for (let i = 0; i < q.length; i++) q[i] = g.normal();
  for (let it = 0; it < nIter; it++) {
    const y = normalize(matmulHost(a, q, n, d, l), n);
    q = normalize(timesAT(y), d);
  }
  const basis = orthonormal(matmulHost(a, q, n, d, l), n, l);
  // B = Q^T A (l x d), whose SVD gives A's leading right singular vectors
  const b = matmulHost(transposeHost(basis, n, l), a, l, n, d);
  const r = svdHost(b, l, d, true);
  if (!r.converged) throw new LinAlgError(`${where}: the SVD of the projected matrix did not converge; check X for huge values`);
  const s = r.s.slice(0, k);
  const v = new Float64Array(d * k);
  const w = Math.min(l, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) v[i * k + j] = r.v[i * w + j];
  return { s, v };
}
