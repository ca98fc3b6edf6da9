/**
 * Singular values without vectors on host arrays (row-major Float64Array, one matrix at a time), as LAPACK's
 * gesdd with jobz = 'N': a Householder reduction to upper bidiagonal form (gebd2), then the Golub-Kahan
 * implicit-shift QR on the bidiagonal (bdsqr's absolute-accuracy mode), about a third of the work of the
 * Jacobi SVD that computes vectors. Both are backward stable: each singular value is within a small multiple of
 * n eps ||A|| of the exact one (the Jacobi route can be more accurate for tiny singular values of a graded
 * matrix; the vectors' SVD in host-svd.ts still gives those).
 * @module
 */
import { nativeF64Kernel } from '../backend/host-f64-kernels.js';
import { EPS, dot2, maxAbs } from './host-factor.js';

/**
 * The Householder vector of (alpha, rest): returns [beta, tau, scale] with H = I - tau v v^T mapping the
 * vector to (beta, 0, ...), v = (1, rest * scale); `sigma` is the sum of squares of the rest. tau = 0 when the
 * rest is zero already (LAPACK's dlarfg, with the norm taken as sqrt(alpha² + sigma) on a matrix scaled to
 * max |a| = 1, where the squares can neither overflow nor matter when they underflow).
 */
function reflector(alpha: number, sigma: number): [number, number, number] {
  if (sigma === 0) return [alpha, 0, 0];
  const norm = Math.sqrt(alpha * alpha + sigma);
  const beta = alpha > 0 ? -norm : norm;
  return [beta, (beta - alpha) / beta, 1 / (alpha - beta)];
}

/**
 * Reduces the row-major m x n matrix `a` (m >= n) to upper bidiagonal form B = Q^T A P in place, leaving the
 * diagonal in d (n) and the superdiagonal in e (n - 1). Q = H_0 ... H_{n-1}, H_j = I - tq[j] v v^T with v = 1 at
 * j and a[i, j] below it; P = G_0 ... G_{n-2}, G_j = I - tp[j] u u^T with u = a[j, j+1..] (its first entry set to
 * 1). `w` holds n doubles of scratch. assembly/dgebrd.ts does the same, bit for bit: the two O(m n²) loops there
 * run two lanes at a time.
 */
export function bidiagonalizeJs(a: Float64Array, m: number, n: number, d: Float64Array, e: Float64Array,
  tq: Float64Array, tp: Float64Array, w: Float64Array): void {
  for (let j = 0; j < n; j++) {
    // left reflector: zero column j below the diagonal
    let sigma = 0;
    for (let i = j + 1; i < m; i++) sigma += a[i * n + j] * a[i * n + j];
    const [beta, tau, scale] = reflector(a[j * n + j], sigma);
    d[j] = beta;
    tq[j] = tau;
    tp[j] = 0;
    const c0 = j + 1;
    const len = n - c0;
    if (tau !== 0) for (let i = j + 1; i < m; i++) a[i * n + j] *= scale;
    if (tau !== 0 && len > 0) {
      // w = v^T A[j.., j+1..] (v_j = 1), row by row
      for (let c = 0; c < len; c++) w[c] = a[j * n + c0 + c];
      for (let i = j + 1; i < m; i++) {
        const vi = a[i * n + j];
        const row = i * n + c0;
        for (let c = 0; c < len; c++) w[c] += vi * a[row + c];
      }
    }
    // row j takes the left update first: the right reflector is made from it
    if (tau !== 0 && len > 0) {
      const row = j * n + c0;
      for (let c = 0; c < len; c++) a[row + c] -= tau * w[c];
    }
    if (len === 0) continue;
    // right reflector: zero row j right of the superdiagonal
    let rs = 0;
    for (let c = c0 + 1; c < n; c++) rs += a[j * n + c] * a[j * n + c];
    const [rb, rt, rsc] = reflector(a[j * n + c0], rs);
    e[j] = rb;
    tp[j] = rt;
    const u = j * n + c0; // u = (1, a[j, c0+1..] * rsc) kept in row j
    a[u] = 1;
    for (let c = 1; c < len; c++) a[u + c] *= rsc;
    for (let i = j + 1; i < m; i++) {
      const row = i * n + c0;
      if (tau !== 0) {
        const t = tau * a[i * n + j];
        for (let c = 0; c < len; c++) a[row + c] -= t * w[c];
      }
      if (rt !== 0) {
        const y = rt * dot2(a, row, a, u, len);
        for (let c = 0; c < len; c++) a[row + c] -= y * a[u + c];
      }
    }
  }
}

/**
 * Reduces `a` as bidiagonalizeJs does, in the backend's native kernel when one is registered (the same bits);
 * `a` is left as scratch unless `taus` asks for the reflectors.
 */
export function bidiagonalize(a: Float64Array, m: number, n: number, d: Float64Array, e: Float64Array,
  taus: { q: Float64Array; p: Float64Array } | null): void {
  const native = nativeF64Kernel('bidiagonal');
  if (native) native(a, m, n, d, e, taus);
  else bidiagonalizeJs(a, m, n, d, e, taus?.q ?? new Float64Array(n), taus?.p ?? new Float64Array(n), new Float64Array(n));
}

/** [c, s, r] with c y + s z = r and -s y + c z = 0 (r = hypot(y, z); c = 1, s = 0 when both are zero). */
function givens(y: number, z: number): [number, number, number] {
  if (z === 0) return [1, 0, y];
  let r = Math.sqrt(y * y + z * z);
  if (r === 0 || !Number.isFinite(r)) r = Math.hypot(y, z); // the squares under- or overflowed
  return [y / r, z / r, r];
}

/**
 * The singular values of the upper bidiagonal matrix with diagonal d (n) and superdiagonal e (n - 1), by
 * Golub-Kahan implicit-shift QR sweeps (Golub & Van Loan, algorithm 8.6.2) with deflation when an entry falls
 * below `tol` (absolute). Overwrites d and e; returns false when the sweeps did not converge (non-finite input).
 * The values are left in |d|, unsorted.
 */
export function bidiagonalQr(d: Float64Array, e: Float64Array, n: number, tol: number): boolean {
  let hi = n - 1;
  let sweeps = 0;
  const maxSweeps = 30 * n + 10;
  while (hi > 0) {
    if (Math.abs(e[hi - 1]) <= tol) {
      e[hi - 1] = 0;
      hi--;
      continue;
    }
    let lo = hi - 1;
    while (lo > 0 && Math.abs(e[lo - 1]) > tol) lo--;
    // a negligible diagonal entry: B is singular there; rotate its row's (or, at the bottom, its column's)
    // superdiagonal entry away, which splits the block
    let zero = -1;
    for (let k = lo; k <= hi; k++) if (Math.abs(d[k]) <= tol) zero = k;
    if (zero >= 0) {
      d[zero] = 0;
      if (zero < hi) {
        let x = e[zero];
        e[zero] = 0;
        for (let k = zero + 1; k <= hi && x !== 0; k++) {
          const [c, s, r] = givens(d[k], x);
          d[k] = r;
          if (k < hi) {
            x = -s * e[k];
            e[k] *= c;
          }
        }
      } else {
        let x = e[hi - 1];
        e[hi - 1] = 0;
        for (let k = hi - 1; k >= lo && x !== 0; k--) {
          const [c, s, r] = givens(d[k], x);
          d[k] = r;
          if (k > lo) {
            x = -s * e[k - 1];
            e[k - 1] *= c;
          }
        }
      }
      continue;
    }
    if (++sweeps > maxSweeps) return false;
    // Wilkinson shift: the eigenvalue of the trailing 2 x 2 of B^T B nearer its last entry
    const dm = d[hi - 1];
    const em = e[hi - 1];
    const el = hi - 1 > lo ? e[hi - 2] : 0;
    const t11 = dm * dm + el * el;
    const t12 = dm * em;
    const t22 = d[hi] * d[hi] + em * em;
    const delta = (t11 - t22) / 2;
    const denom = delta + (delta >= 0 ? 1 : -1) * Math.sqrt(delta * delta + t12 * t12);
    const mu = denom === 0 ? t22 : t22 - (t12 * t12) / denom;
    let y = d[lo] * d[lo] - mu;
    let z = d[lo] * e[lo];
    for (let k = lo; k < hi; k++) {
      // columns k, k+1 from the right: (y, z) -> (r, 0)
      let [c, s, r] = givens(y, z);
      if (k > lo) e[k - 1] = r;
      const dk = c * d[k] + s * e[k];
      e[k] = -s * d[k] + c * e[k];
      const bulge = s * d[k + 1];
      d[k + 1] *= c;
      // rows k, k+1 from the left: (d[k], bulge) -> (r, 0)
      [c, s, r] = givens(dk, bulge);
      d[k] = r;
      const ek = c * e[k] + s * d[k + 1];
      d[k + 1] = -s * e[k] + c * d[k + 1];
      e[k] = ek;
      if (k < hi - 1) {
        y = e[k];
        z = s * e[k + 1];
        e[k + 1] *= c;
      }
    }
  }
  return true;
}

/**
 * The min(m, n) singular values, descending, of the row-major m x n matrix `a` (not modified); `converged`
 * false when the QR sweeps did not converge (non-finite input).
 */
export function svdValuesHost(a: Float64Array, m: number, n: number): { s: Float64Array; converged: boolean } {
  const k = Math.min(m, n);
  if (k === 0) return { s: new Float64Array(0), converged: true };
  const scale = maxAbs(a.subarray(0, m * n));
  if (scale === 0) return { s: new Float64Array(k), converged: true };
  if (!Number.isFinite(scale)) return { s: new Float64Array(k).fill(NaN), converged: false };
  // tall: m >= n; a wide matrix has its transpose's singular values
  const rows = Math.max(m, n);
  const work = new Float64Array(m * n);
  if (m >= n) for (let i = 0; i < m * n; i++) work[i] = a[i] / scale;
  else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) work[j * m + i] = a[i * n + j] / scale;
  const d = new Float64Array(k);
  const e = new Float64Array(k);
  bidiagonalize(work, rows, k, d, e, null);
  const s = bidiagonalValues(d, e, k, scale);
  return s ? { s, converged: true } : { s: new Float64Array(k).fill(NaN), converged: false };
}

/**
 * The k singular values, descending and multiplied by `scale`, of the upper bidiagonal (d, e) — by bidiagonalQr to
 * eps times its largest entry — or null when the sweeps do not converge. Overwrites d and e.
 */
export function bidiagonalValues(d: Float64Array, e: Float64Array, k: number, scale: number): Float64Array | null {
  let norm = 0;
  for (let i = 0; i < k; i++) norm = Math.max(norm, Math.abs(d[i]), i + 1 < k ? Math.abs(e[i]) : 0);
  if (!bidiagonalQr(d, e, k, EPS * norm)) return null;
  return Float64Array.from(d, (x) => Math.abs(x) * scale).sort().reverse();
}
