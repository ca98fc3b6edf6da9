/**
 * The symmetric eigendecomposition on host arrays (row-major Float64Array, one matrix at a time): Householder
 * tridiagonalization (EISPACK's tred2 reduction), then the tridiagonal problem (host-tridiag.ts: divide and
 * conquer, QL for small orders) with the reflectors applied to its vectors in compact-WY blocks. Eigenvalues ascend; each eigenvector has its largest-magnitude entry positive.
 * @module
 */
import { nativeF64Kernel } from '../backend/host-f64-kernels.js';
import { fixSigns, maxAbs } from './host-factor.js';
import { gemmAccumulate, transposeHost } from './host-gemm.js';
import { tridiagonalEigen } from './host-tridiag.js';

/** A symmetric eigendecomposition A = V diag(w) V^T, row-major. */
export interface EighHost {
  /** n eigenvalues, ascending. */
  w: Float64Array;
  /** n x n orthonormal eigenvectors as columns. */
  v: Float64Array;
  /** False when the QL iteration did not converge (non-finite input). */
  converged: boolean;
}

/**
 * Reduces the symmetric matrix held in `w` (n x n, row-major, both triangles set) to tridiagonal form by
 * Householder reflections P_i = I − u_i u_iᵀ / h_i (i = n−1 … 1, u_i non-zero in entries 0..i−1 only), so that
 * A = Q T Qᵀ with Q = P_{n−1} ⋯ P_1. Leaves the diagonal of T in d, its subdiagonal in e[1..] (e[0] = 0), u_i in
 * row i of w and h_i in hs[i] (h_i = 0: P_i = I). This is the first half of EISPACK's tred2 with its matrix V
 * stored transposed (V(i, j) is w[j * n + i]): tred2 walks V down its columns, so in this layout every O(n^3)
 * loop runs along a row; tred2's arithmetic, except that each row's dot product of the matrix-vector product
 * is summed in two interleaved parts (as the wasm kernel of assembly/dsytrd.ts, which runs instead when a backend
 * registered it: same bits either way).
 */
function reduceTridiagonal(w: Float64Array, n: number, d: Float64Array, e: Float64Array, hs: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1];
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        w[i * n + j] = f;
        const row = j * n;
        const g0 = e[j] + w[row + j] * f;
        // the row's dot product in two interleaved sums, as the wasm kernel's two lanes
        let s0 = 0;
        let s1 = 0;
        let k = j + 1;
        for (; k + 1 < i; k += 2) {
          const w0 = w[row + k];
          const w1 = w[row + k + 1];
          s0 += w0 * d[k];
          s1 += w1 * d[k + 1];
          e[k] += w0 * f;
          e[k + 1] += w1 * f;
        }
        if (k < i) {
          s0 += w[row + k] * d[k];
          e[k] += w[row + k] * f;
        }
        e[j] = g0 + (s0 + s1);
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const row = j * n;
        for (let k = j; k <= i - 1; k++) w[row + k] -= f * e[k] + g * d[k];
        d[j] = w[row + i - 1];
        w[row + i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 1; i < n; i++) hs[i] = d[i];
  hs[0] = 0;
  for (let j = 0; j < n; j++) d[j] = w[j * n + j];
  e[0] = 0;
}

/** Reflectors applied together: the block size of `applyReflectors`. */
const REFLECTOR_BLOCK = 32;

/**
 * X ← X P_1 P_2 ⋯ P_{n−1} for the n x n row-major X, with the reflectors `reduceTridiagonal` left in w and h: so
 * that Zᵀ becomes Zᵀ Qᵀ, the eigenvectors of A as rows. Blocks of reflectors are applied at once as
 * I − Y T Yᵀ (the compact WY form, LAPACK's dlarft/dlarfb), two matrix products per block.
 */
function applyReflectors(x: Float64Array, n: number, w: Float64Array, h: Float64Array): void {
  for (let i0 = 1; i0 < n; i0 += REFLECTOR_BLOCK) {
    const b = Math.min(REFLECTOR_BLOCK, n - i0);
    const len = i0 + b - 1; // rows of Y: u_i has entries 0..i−1
    const y = new Float64Array(len * b);
    const yt = new Float64Array(b * len);
    for (let c = 0; c < b; c++) {
      const i = i0 + c;
      for (let r = 0; r < i; r++) {
        y[r * b + c] = w[i * n + r];
        yt[c * len + r] = w[i * n + r];
      }
    }
    // T upper triangular: P_{i0} ⋯ P_{i0+b−1} = I − Y T Yᵀ, T[c][c] = 1 / h, T[0:c, c] = −T[c][c] T[0:c, 0:c] Yᵀ y_c
    const tm = new Float64Array(b * b);
    const tmp = new Float64Array(b);
    for (let c = 0; c < b; c++) {
      const hc = h[i0 + c];
      const tau = hc !== 0 ? 1 / hc : 0;
      tm[c * b + c] = tau;
      if (tau === 0) continue;
      for (let p = 0; p < c; p++) {
        let s = 0;
        for (let r = 0; r < len; r++) s += yt[p * len + r] * yt[c * len + r];
        tmp[p] = s;
      }
      for (let p = 0; p < c; p++) {
        let s = 0;
        for (let q = p; q < c; q++) s += tm[p * b + q] * tmp[q];
        tm[p * b + c] = -tau * s;
      }
    }
    // X[:, 0:len] −= (X[:, 0:len] Y) T Yᵀ
    const xy = new Float64Array(n * b);
    gemmAccumulate(xy, 0, b, x, 0, n, y, 0, b, n, len, b);
    const xyt = new Float64Array(n * b);
    gemmAccumulate(xyt, 0, b, xy, 0, b, tm, 0, b, n, b, b);
    for (let k = 0; k < xyt.length; k++) xyt[k] = -xyt[k];
    gemmAccumulate(x, 0, n, xyt, 0, b, yt, 0, len, n, b, len);
  }
}

/**
 * Eigendecomposition of the symmetric n x n row-major matrix `a`, reading only its lower triangle (or its
 * upper one when `upper`): eigenvalues ascending, eigenvectors as the columns of v.
 */
export function eighHost(a: Float64Array, n: number, upper: boolean): EighHost {
  if (n === 0) return { w: new Float64Array(0), v: new Float64Array(0), converged: true };
  const scale = maxAbs(a.subarray(0, n * n));
  const v = new Float64Array(n * n);
  const inv = scale > 0 && Number.isFinite(scale) ? 1 / scale : 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = (upper ? a[j * n + i] : a[i * n + j]) * inv;
      v[i * n + j] = x;
      v[j * n + i] = x;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const h = new Float64Array(n);
  (nativeF64Kernel('tridiagonal') ?? reduceTridiagonal)(v, n, d, e, h);
  let vt: Float64Array = v;
  let converged = Number.isFinite(scale);
  // e[i] couples i − 1 and i; the tridiagonal solver takes the couplings from index 0
  const tri = converged ? tridiagonalEigen(d, e.subarray(1), n) : null;
  if (tri) {
    d.set(tri.lam);
    // eigenvectors of A as rows: (Q Z)ᵀ = Zᵀ Qᵀ = Zᵀ P_1 ⋯ P_{n−1}
    vt = transposeHost(tri.z, n, n);
    applyReflectors(vt, n, v, h);
  } else {
    converged = false;
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => d[x] - d[y] || x - y);
  const w = new Float64Array(n);
  const vs = new Float64Array(n * n);
  order.forEach((j, c) => {
    w[c] = d[j] / inv;
    for (let i = 0; i < n; i++) vs[i * n + c] = vt[j * n + i];
  });
  fixSigns(vs, n, n, null, 0);
  return { w, v: vs, converged };
}
