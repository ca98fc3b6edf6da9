/**
 * The singular value decomposition on host arrays (row-major Float64Array, one matrix at a time) by
 * one-sided (Hestenes) Jacobi: after a Householder QR when the matrix is tall, and, for more than a few
 * dozen columns, started from the eigenvectors of the Gram matrix so that a couple of sweeps finish it.
 * Jacobi decides the result (convergence to working precision), the Gram matrix only speeds it up.
 * Each column of U has its largest-magnitude entry positive.
 * @module
 */
import { nativeF64Kernel } from '../backend/host-f64-kernels.js';
import { EPS, dot2, fixSigns, maxAbs } from './host-factor.js';
import { matmulHost, rowGramHost, transposeHost } from './host-gemm.js';
import { qrFactor, qrFormQ, qrFormR } from './host-qr.js';
import { eighHost } from './host-eigh.js';

/** From this many columns on, Jacobi starts from the Gram matrix's eigenvectors. */
const PRECONDITION_FROM = 32;
/** From this many columns on, each Jacobi sweep screens its pairs with one Gram matrix product. */
const SCREEN_FROM = 32;

/** A thin SVD A = U diag(s) V^T of an m x n matrix, k = min(m, n), all row-major. */
export interface SVDHost {
  /** m x k left singular vectors (empty when not asked for). */
  u: Float64Array;
  /** k singular values, descending. */
  s: Float64Array;
  /** n x k right singular vectors (empty when not asked for). */
  v: Float64Array;
  /** False when Jacobi sweeps did not converge (non-finite input). */
  converged: boolean;
}

/** (x, y) ← (c x − s y, s x + c y) for the `len` entries of `a` from xo and from yo. */
function rotate(a: Float64Array, xo: number, yo: number, len: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const x = a[xo + i];
    const y = a[yo + i];
    a[xo + i] = c * x - s * y;
    a[yo + i] = s * x + c * y;
  }
}

/**
 * One cyclic sweep of one-sided Jacobi over the column pairs of the r x n column-major `g`, rotating each pair
 * that is not orthogonal to `tol` and applying the same rotation to `v` (n x n, column-major) when given. `nrm`
 * holds the squared column norms, recomputed exactly for the two columns each rotation changes. With `gram` (the
 * sweep's Gram matrix, n x n) a pair of columns unmarked in `dirty` is judged by its entry. Marks the columns it
 * rotates; returns the number of rotations. assembly/jacobi.ts does the same, bit for bit.
 */
function jacobiSweep(g: Float64Array, r: number, n: number, nrm: Float64Array, v: Float64Array | null,
  gram: Float64Array | null, dirty: Uint8Array, tol: number, tiny: number): number {
  let rotated = 0;
  for (let p = 0; p < n - 1; p++) {
    const op = p * r;
    for (let q = p + 1; q < n; q++) {
      const oq = q * r;
      const alpha = nrm[p];
      const beta = nrm[q];
      // a column at rounding-noise level (a dependent column of a rank-deficient matrix) only shrinks by a
      // factor eps per rotation and never turns orthogonal: leave it; its u is rebuilt afterwards
      if (alpha <= tiny || beta <= tiny) continue;
      const bound = tol * Math.sqrt(alpha * beta);
      if (gram && !dirty[p] && !dirty[q] && Math.abs(gram[p * n + q]) <= bound) continue;
      const gamma = dot2(g, op, g, oq, r);
      if (gamma === 0 || Math.abs(gamma) <= bound) continue;
      rotated++;
      dirty[p] = 1;
      dirty[q] = 1;
      const zeta = (beta - alpha) / (2 * gamma);
      const t = Math.abs(zeta) > 1e150 ? 1 / (2 * zeta) : (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
      const c = 1 / Math.sqrt(1 + t * t);
      const s = c * t;
      rotate(g, op, oq, r, c, s);
      nrm[p] = dot2(g, op, g, op, r);
      nrm[q] = dot2(g, oq, g, oq, r);
      if (v) rotate(v, p * n, q * n, n, c, s);
    }
  }
  return rotated;
}

/**
 * One-sided Jacobi on the r x n matrix held column-major in `g` (column j at j*r): sweeps until every pair of
 * columns is orthogonal to working precision, applying the same rotations to `v` (n x n, column-major) when
 * given. Afterwards column j of g is s_j u_j. For n >= SCREEN_FROM each sweep starts with the Gram matrix as one
 * product: a pair whose columns are untouched this sweep is judged by its entry (instead of n²/2 dot products;
 * the entry differs from the dot product by rounding of the order of the tolerance itself), and rotated only if
 * its dot product, computed then, says so. The sweeps run in the backend's native kernel when one is registered.
 */
function jacobi(g: Float64Array, r: number, n: number, v: Float64Array | null, tiny: number): boolean {
  const tol = EPS * Math.max(1, Math.sqrt(r));
  const nrm = new Float64Array(n);
  for (let j = 0; j < n; j++) nrm[j] = dot2(g, j * r, g, j * r, r);
  const dirty = new Uint8Array(n);
  const sweepOnce = nativeF64Kernel('jacobi') ?? jacobiSweep;
  const gram = n >= SCREEN_FROM ? rowGramHost(g, n, r) : null;
  for (let sweep = 0; sweep < 80; sweep++) {
    dirty.fill(0);
    if (sweepOnce(g, r, n, nrm, v, gram, dirty, tol, tiny) === 0) return true;
    if (gram) updateGram(gram, g, r, n, dirty);
  }
  return false;
}

/**
 * Brings the n x n Gram matrix of the column-major r x n `g` up to date after a sweep: the rows and columns of
 * the columns marked in `dirty` (those the sweep rotated), as one product — or all of it when most are marked.
 * Each entry is the same sum in the same order either way, so the result does not depend on which.
 */
function updateGram(gram: Float64Array, g: Float64Array, r: number, n: number, dirty: Uint8Array): void {
  const rows: number[] = [];
  for (let j = 0; j < n; j++) if (dirty[j]) rows.push(j);
  const t = rows.length;
  if (2 * t >= n) {
    gram.set(rowGramHost(g, n, r));
    return;
  }
  const picked = new Float64Array(t * r);
  rows.forEach((j, c) => picked.set(g.subarray(j * r, (j + 1) * r), c * r));
  const fresh = matmulHost(picked, transposeHost(g, n, r), t, r, n);
  rows.forEach((j, c) => {
    for (let q = 0; q < n; q++) {
      const x = fresh[c * n + q];
      gram[j * n + q] = x;
      gram[q * n + j] = x;
    }
  });
}

/**
 * Replaces the r x n column-major `g` by g V0, V0 the eigenvectors of the Gram matrix g^T g (largest
 * first), and returns V0 column-major, or null when the eigensolver fails (Jacobi then starts from I). The
 * columns of g V0 are nearly orthogonal already, so Jacobi converges in a few sweeps.
 */
function precondition(g: Float64Array, r: number, n: number): Float64Array | null {
  // g column-major r x n is g^T row-major n x r: the Gram matrix is (g^T)(g^T)^T
  const gram = rowGramHost(g, n, r);
  const e = eighHost(gram, n, false);
  if (!e.converged) return null;
  const v0 = new Float64Array(n * n);
  for (let c = 0; c < n; c++) for (let p = 0; p < n; p++) v0[c * n + p] = e.v[p * n + (n - 1 - c)];
  // column c of g V0 is sum_p v0[c][p] g[:, p]: in the transposed (row-major n x r) layout, V0^T-rows times g
  g.set(matmulHost(v0, g, n, n, r));
  return v0;
}

/**
 * Fills the columns of `u` (m x k, row-major) listed in `missing` (singular values at rounding-noise level,
 * whose Jacobi columns carry no direction) with unit vectors orthogonal to all other columns.
 */
function completeBasis(u: Float64Array, m: number, k: number, missing: readonly number[]): void {
  const have: number[] = [];
  for (let j = 0; j < k; j++) if (!missing.includes(j)) have.push(j);
  const h = have.length;
  // a complete QR of the kept (orthonormal) columns: Q's trailing columns span their complement
  const kept = new Float64Array(m * h);
  for (let i = 0; i < m; i++) have.forEach((j, c) => (kept[i * h + c] = u[i * k + j]));
  const q = qrFormQ(qrFactor(kept, m, h), m, h, m);
  missing.forEach((j, t) => {
    for (let i = 0; i < m; i++) u[i * k + j] = q[i * m + h + t];
  });
}

/** SVD of an m x n matrix with m >= n, U and V each optional, before sign fixing. */
function svdTall(a: Float64Array, m: number, n: number, wantU: boolean, wantV: boolean): SVDHost {
  let work = a;
  let r = m;
  let q: Float64Array | null = null;
  if (m > n) {
    // Jacobi on the n x n triangular factor: far fewer flops per sweep, same singular values and V
    const f = qrFactor(a, m, n);
    work = qrFormR(f, m, n, n);
    if (wantU) q = qrFormQ(f, m, n, n);
    r = n;
  }
  const g = transposeHost(work, r, n); // column-major copy
  let vcm = n >= PRECONDITION_FROM ? precondition(g, r, n) : null;
  if (!vcm) {
    vcm = new Float64Array(n * n);
    for (let i = 0; i < n; i++) vcm[i * n + i] = 1;
  }
  let frob = 0;
  for (let i = 0; i < g.length; i++) frob += g[i] * g[i];
  const tiny = EPS * EPS * frob;
  const converged = jacobi(g, r, n, wantV ? vcm : null, tiny);
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let ss = 0;
    for (let i = 0; i < r; i++) ss += g[j * r + i] * g[j * r + i];
    norms[j] = Math.sqrt(ss);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => norms[y] - norms[x] || x - y);
  const s = new Float64Array(n);
  order.forEach((j, c) => (s[c] = norms[j]));
  const v = new Float64Array(wantV ? n * n : 0);
  if (wantV) order.forEach((j, c) => {
    for (let i = 0; i < n; i++) v[i * n + c] = vcm![j * n + i];
  });
  if (!wantU) return { u: new Float64Array(0), s, v, converged };
  const ur = new Float64Array(r * n);
  const missing: number[] = [];
  order.forEach((j, c) => {
    const len = norms[j];
    if (len * len > tiny && Number.isFinite(1 / len)) {
      for (let i = 0; i < r; i++) ur[i * n + c] = g[j * r + i] / len;
    } else {
      missing.push(c);
    }
  });
  if (missing.length > 0) completeBasis(ur, r, n, missing);
  let u: Float64Array = ur;
  if (q) {
    // U = Q U_R
    u = matmulHost(q, ur, m, n, n);
  }
  return { u, s, v, converged };
}

/**
 * Thin SVD of the m x n row-major matrix `a`: A = U diag(s) V^T with s descending, U m x k and V n x k
 * (k = min(m, n)); both U and V when `vectors` is true, V alone when it is 'right' (then U is empty and the
 * signs are Jacobi's: unfixed), neither when false. Backward stable: errors of order n eps ||A||.
 */
export function svdHost(a: Float64Array, m: number, n: number, vectors: boolean | 'right'): SVDHost {
  const k = Math.min(m, n);
  if (k === 0) {
    return { u: new Float64Array(0), s: new Float64Array(0), v: new Float64Array(0), converged: true };
  }
  // a wide matrix is solved as its transpose, whose U is A's V
  const wantU = vectors === true;
  const wantV = vectors !== false;
  const tallU = m >= n ? wantU : wantV;
  const tallV = m >= n ? wantV : wantU;
  // scale to max |a| = 1 so sums of squares neither overflow nor underflow
  const scale = maxAbs(a.subarray(0, m * n));
  if (scale === 0 || !Number.isFinite(scale)) {
    const res = svdTall(new Float64Array(Math.max(m, n) * k), Math.max(m, n), k, tallU, tallV);
    if (!Number.isFinite(scale)) res.converged = false;
    const u = m >= n ? res.u : res.v;
    const v = m >= n ? res.v : res.u;
    return { u, s: res.s, v, converged: res.converged };
  }
  const scaled = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) scaled[i] = a[i] / scale;
  const res = m >= n ? svdTall(scaled, m, n, tallU, tallV) : svdTall(transposeHost(scaled, m, n), n, m, tallU, tallV);
  for (let i = 0; i < k; i++) res.s[i] *= scale;
  const u = m >= n ? res.u : res.v;
  const v = m >= n ? res.v : res.u;
  if (vectors === true) fixSigns(u, m, k, v, n);
  return { u, s: res.s, v, converged: res.converged };
}

