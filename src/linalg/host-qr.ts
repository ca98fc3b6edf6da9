/**
 * Householder QR on host arrays (row-major Float64Array), blocked as LAPACK's geqrf/orgqr: reflectors are made
 * a panel of NB columns at a time, column by column; the panel's reflectors are then gathered into one block
 * reflector H_0 ... H_{nb-1} = I - V T V^T (larft) and applied to the rest of the matrix with two tiled
 * products (larfb), so most of the work runs at the speed of host-gemm.ts. Matrices with min(m, n) <= NB take the
 * column-by-column path only.
 * @module
 */
import { gemmAccumulate, transposeHost } from './host-gemm.js';

/** Columns per panel. */
const NB = 16;
/** From this many rows on, a matrix of at most NB columns is factored column-major (see narrowFactor). */
const NARROW_FROM = 64;

/**
 * qrFactor of a tall matrix of at most NB columns, on its transpose: each column is then contiguous, so a
 * reflector's products with the other columns are long dot products and updates instead of a sweep over m short
 * rows. Per entry the same operations in the same order as `reflect` (zero entries of v skipped alike), so the
 * same bits.
 */
function narrowFactor(a: Float64Array, m: number, n: number): QRFactors {
  const t = transposeHost(a, m, n); // column c at t[c * m]
  const tau = new Float64Array(Math.min(m, n));
  factorColumns(t, m, n, tau, 0);
  return { qr: transposeHost(t, n, m), tau };
}

/**
 * Householder QR in place of the column-major m x n matrix `t` (column c at t[c * m]), its min(m, n) scales
 * written to tau[tauOff...]: `reflect`'s operations per entry in the same order, on contiguous columns.
 */
function factorColumns(t: Float64Array, m: number, n: number, tau: Float64Array, tauOff: number): void {
  const k = Math.min(m, n);
  for (let j = 0; j < k; j++) {
    const vo = j * m;
    const alpha = t[vo + j];
    let xnorm = 0;
    let scale = 0;
    for (let i = j + 1; i < m; i++) scale = Math.max(scale, Math.abs(t[vo + i]));
    if (scale > 0) {
      let ss = 0;
      for (let i = j + 1; i < m; i++) {
        const v = t[vo + i] / scale;
        ss += v * v;
      }
      xnorm = scale * Math.sqrt(ss);
    }
    if (xnorm === 0) {
      tau[tauOff + j] = 0;
      continue;
    }
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    const tj = (beta - alpha) / beta;
    tau[tauOff + j] = tj;
    const inv = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) t[vo + i] *= inv;
    t[vo + j] = beta;
    for (let c = j + 1; c < n; c++) {
      const co = c * m;
      let w = t[co + j];
      for (let i = j + 1; i < m; i++) {
        const vi = t[vo + i];
        if (vi !== 0) w += vi * t[co + i];
      }
      w *= tj;
      t[co + j] -= w;
      for (let i = j + 1; i < m; i++) {
        const vi = t[vo + i];
        if (vi !== 0) t[co + i] -= vi * w;
      }
    }
  }
}

/** qrFormQ for at most NB reflectors and m >= NARROW_FROM rows, on Q's transpose (as narrowFactor; the same bits). */
function narrowFormQ(f: QRFactors, m: number, n: number, cols: number): Float64Array {
  const k = Math.min(m, n);
  const qt = new Float64Array(cols * m); // column c of Q at qt[c * m]
  for (let i = 0; i < Math.min(m, cols); i++) qt[i * m + i] = 1;
  const v = new Float64Array(m);
  for (let j = k - 1; j >= 0; j--) {
    const t = f.tau[j];
    if (t === 0) continue;
    for (let i = j + 1; i < m; i++) v[i] = f.qr[i * n + j];
    for (let c = 0; c < cols; c++) {
      const co = c * m;
      let w = qt[co + j];
      for (let i = j + 1; i < m; i++) {
        const vi = v[i];
        if (vi !== 0) w += vi * qt[co + i];
      }
      w *= t;
      qt[co + j] -= w;
      for (let i = j + 1; i < m; i++) {
        const vi = v[i];
        if (vi !== 0) qt[co + i] -= vi * w;
      }
    }
  }
  return transposeHost(qt, cols, m);
}

/** Householder QR factors in LAPACK's compact form. */
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
  const k = Math.min(m, n);
  if (k <= NB && m >= NARROW_FROM) return narrowFactor(a, m, n);
  const qr = Float64Array.from(a.subarray(0, m * n));
  const tau = new Float64Array(k);
  const w = new Float64Array(n);
  for (let j0 = 0; j0 < k; j0 += NB) {
    const j1 = Math.min(j0 + NB, k);
    // the panel, reflector by reflector; with no block update to come, each one updates every column
    const last = j1 < n && k > NB ? j1 : n;
    if (last === j1 && m - j0 >= NARROW_FROM) {
      // the panel alone, column-major (as narrowFactor), and its V^T straight from that copy for the update
      const vt = factorPanel(qr, m, n, j0, j1, tau);
      if (last < n) applyBlockV(vt, m - j0, j1 - j0, tau, j0, qr, n, j1, n, true);
      continue;
    }
    for (let j = j0; j < j1; j++) reflect(qr, m, n, j, last, tau, w);
    if (last < n) applyBlock(qr, m, n, j0, j1, tau, qr, n, j1, n, true);
  }
  return { qr, tau };
}

/**
 * Makes reflector j from column j of `qr` (below the diagonal) and applies it to columns j+1..last-1,
 * sweeping rows so the row-major data is read contiguously: w = tau v^T A, then A -= v w.
 */
function reflect(qr: Float64Array, m: number, n: number, j: number, last: number, tau: Float64Array, w: Float64Array): void {
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
    return;
  }
  const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
  tau[j] = (beta - alpha) / beta;
  const inv = 1 / (alpha - beta);
  for (let i = j + 1; i < m; i++) qr[i * n + j] *= inv;
  qr[j * n + j] = beta;
  for (let c = j + 1; c < last; c++) w[c] = qr[j * n + c];
  for (let i = j + 1; i < m; i++) {
    const vi = qr[i * n + j];
    if (vi === 0) continue;
    const row = i * n;
    for (let c = j + 1; c < last; c++) w[c] += vi * qr[row + c];
  }
  const t = tau[j];
  for (let c = j + 1; c < last; c++) {
    w[c] *= t;
    qr[j * n + c] -= w[c];
  }
  for (let i = j + 1; i < m; i++) {
    const vi = qr[i * n + j];
    if (vi === 0) continue;
    const row = i * n;
    for (let c = j + 1; c < last; c++) qr[row + c] -= vi * w[c];
  }
}

/**
 * Factors columns j0..j1-1 of `qr` (rows j0..m-1, no column right of them touched) through a column-major copy
 * of that panel, writes the result back, and returns the panel's V^T: (j1 - j0) x (m - j0) row-major, unit
 * diagonal, zeros left of it.
 */
function factorPanel(qr: Float64Array, m: number, n: number, j0: number, j1: number, tau: Float64Array): Float64Array {
  const rows = m - j0;
  const nb = j1 - j0;
  const pt = new Float64Array(nb * rows);
  for (let r = 0; r < rows; r++) {
    const row = (j0 + r) * n + j0;
    for (let c = 0; c < nb; c++) pt[c * rows + r] = qr[row + c];
  }
  factorColumns(pt, rows, nb, tau, j0);
  for (let r = 0; r < rows; r++) {
    const row = (j0 + r) * n + j0;
    for (let c = 0; c < nb; c++) qr[row + c] = pt[c * rows + r];
  }
  for (let c = 0; c < nb; c++) {
    pt.fill(0, c * rows, c * rows + c);
    pt[c * rows + c] = 1;
  }
  return pt;
}

/** V^T of reflectors j0..j1-1 of the factors `f` (m x n): (j1 - j0) x (m - j0) row-major, unit diagonal, zeros left of it. */
function panelVt(f: Float64Array, m: number, n: number, j0: number, j1: number): Float64Array {
  const nb = j1 - j0;
  const rows = m - j0;
  const vt = new Float64Array(nb * rows);
  for (let r = 0; r < rows; r++) {
    const row = (j0 + r) * n + j0;
    for (let s = 0; s < Math.min(r, nb); s++) vt[s * rows + r] = f[row + s];
    if (r < nb) vt[r * rows + r] = 1;
  }
  return vt;
}

/**
 * The upper triangular T (nb x nb, row-major) with H_j0 ... H_j1-1 = I - V T V^T (LAPACK's larft, forward),
 * from V^T (nb x rows): each entry of V^T V a contiguous dot product summed in order of rows.
 */
function blockT(vt: Float64Array, rows: number, nb: number, tau: Float64Array, j0: number): Float64Array {
  const t = new Float64Array(nb * nb);
  const z = new Float64Array(nb);
  for (let i = 0; i < nb; i++) {
    const ti = tau[j0 + i];
    t[i * nb + i] = ti;
    if (ti === 0) continue;
    // z = V[:, 0..i)^T v_i (v_i is zero above row i)
    const io = i * rows;
    for (let p = 0; p < i; p++) {
      const po = p * rows;
      let s = 0;
      for (let r = i; r < rows; r++) {
        const vi = vt[io + r];
        if (vi !== 0) s += vt[po + r] * vi;
      }
      z[p] = s;
    }
    // T[0..i, i] = -tau_i T[0..i, 0..i] z
    for (let p = 0; p < i; p++) {
      let s = 0;
      for (let q = p; q < i; q++) s += t[p * nb + q] * z[q];
      t[p * nb + i] = -ti * s;
    }
  }
  return t;
}

/**
 * C <- (I - V T V^T)^T C = H_j1-1 ... H_j0 C for the rows j0..m-1 and columns c0..c1-1 of `c` (row stride
 * ldc), V and T those of reflectors j0..j1-1 in the factors `f` (m x n); with `transposed` false it applies
 * I - V T V^T = H_j0 ... H_j1-1 instead (forming Q). `c` may be `f` itself when columns c0.. lie right of the
 * panel.
 */
function applyBlock(f: Float64Array, m: number, n: number, j0: number, j1: number, tau: Float64Array,
  c: Float64Array, ldc: number, c0: number, c1: number, transposed: boolean): void {
  if (c1 - c0 <= 0 || m - j0 <= 0) return;
  applyBlockV(panelVt(f, m, n, j0, j1), m - j0, j1 - j0, tau, j0, c, ldc, c0, c1, transposed);
}

/** applyBlock with the panel's V^T (nb x rows, rows = m - j0) given. */
function applyBlockV(vt: Float64Array, rows: number, nb: number, tau: Float64Array, j0: number,
  c: Float64Array, ldc: number, c0: number, c1: number, transposed: boolean): void {
  const cols = c1 - c0;
  if (cols <= 0 || rows <= 0) return;
  const t = blockT(vt, rows, nb, tau, j0);
  // W = V^T C (nb x cols)
  const w = new Float64Array(nb * cols);
  gemmAccumulate(w, 0, cols, vt, 0, rows, c, j0 * ldc + c0, ldc, nb, rows, cols);
  // W = T^T W or T W
  const tw = new Float64Array(nb * cols);
  gemmAccumulate(tw, 0, cols, transposed ? transposeHost(t, nb, nb) : t, 0, nb, w, 0, cols, nb, nb, cols);
  // C -= V W
  const negV = transposeHost(vt, nb, rows);
  for (let i = 0; i < negV.length; i++) negV[i] = -negV[i];
  gemmAccumulate(c, j0 * ldc + c0, ldc, negV, 0, nb, tw, 0, cols, rows, nb, cols);
}

/** C <- Q^T C in place for the m x cols row-major `c` (Q = H_0 ... H_{k-1} of the factors), a panel at a time. */
export function qrApplyQT(f: QRFactors, m: number, n: number, c: Float64Array, cols: number): void {
  const k = Math.min(m, n);
  for (let j0 = 0; j0 < k; j0 += NB) applyBlock(f.qr, m, n, j0, Math.min(j0 + NB, k), f.tau, c, cols, 0, cols, true);
}

/** C <- Q C in place for the m x cols row-major `c` (Q = H_0 ... H_{k-1} of the factors), the last panel first. */
export function qrApplyQ(f: QRFactors, m: number, n: number, c: Float64Array, cols: number): void {
  const k = Math.min(m, n);
  for (let j0 = Math.floor(Math.max(k - 1, 0) / NB) * NB; j0 >= 0; j0 -= NB) applyBlock(f.qr, m, n, j0, Math.min(j0 + NB, k), f.tau, c, cols, 0, cols, false);
}

/** The first `cols` columns of Q = H_0 H_1 ... H_{k-1} (m x cols, cols = k or m), accumulated backwards. */
export function qrFormQ(f: QRFactors, m: number, n: number, cols: number): Float64Array {
  if (Math.min(m, n) <= NB && m >= NARROW_FROM) return narrowFormQ(f, m, n, cols);
  const q = new Float64Array(m * cols);
  for (let i = 0; i < Math.min(m, cols); i++) q[i * cols + i] = 1;
  const k = Math.min(m, n);
  const w = new Float64Array(cols);
  // panels from the last; columns left of a panel are still unit vectors untouched by it, so skip them
  const firstPanel = Math.floor(Math.max(k - 1, 0) / NB) * NB;
  for (let j0 = firstPanel; j0 >= 0; j0 -= NB) {
    const j1 = Math.min(j0 + NB, k);
    if (k > NB) {
      applyBlock(f.qr, m, n, j0, j1, f.tau, q, cols, Math.min(j0, cols), cols, false);
      continue;
    }
    for (let j = j1 - 1; j >= j0; j--) {
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
