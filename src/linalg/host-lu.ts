/**
 * LU factorization of rectangular matrices on host arrays, as LAPACK's getrf reports it: the packed factors,
 * 1-based pivots (row k was swapped with row piv[k]) and `info` (the 1-based index of the first exactly-zero
 * pivot, 0 when there is none), and the permutation those pivots make.
 * @module
 */
import { nativeF64Kernel } from '../backend/host-f64-kernels.js';
import { gemmAccumulate } from './host-gemm.js';

/** getrf's results for one m x n matrix. */
export interface LUPacked {
  /** m x n row-major: the multipliers of L (unit lower, m x k) below the diagonal, U (k x n) on and above it. */
  lu: Float64Array;
  /** k = min(m, n) 1-based pivots: row i was interchanged with row piv[i] (after the earlier interchanges). */
  piv: Int32Array;
  /** 0, or the 1-based index of the first exactly-zero diagonal entry of U (the factorization still completes). */
  info: number;
}

/** Columns per panel of the blocked factorization. */
const NB = 16;
/** From this many m·n·min(m, n) on, the backend's native LU (when registered) factors the whole matrix. */
const NATIVE_FROM = 32 * 32 * 32;

/**
 * LU with partial pivoting (the largest |entry| of the column, the first one on ties, as LAPACK's idamax),
 * blocked as LAPACK's getrf: a panel of NB columns is factored column by column, then the rows of U to its
 * right are solved with its unit lower triangle, and the trailing matrix takes the panel's whole update in one
 * register-tiled product (host-gemm.ts). Every entry still receives its updates in the order of the
 * column-by-column algorithm, so the factors are that algorithm's bit for bit (for finite input). Large matrices
 * go whole to the backend's native LU when one is registered (assembly/dgetrf.ts: the same steps, the same bits).
 */
export function luPacked(a: Float64Array, m: number, n: number): LUPacked {
  const lu = Float64Array.from(a.subarray(0, m * n));
  const k = Math.min(m, n);
  const piv = new Int32Array(k);
  const native = nativeF64Kernel('lu');
  if (native && m * n * k >= NATIVE_FROM) return { lu, piv, info: native(lu, m, n, piv, NB) };
  const skipped = new Uint8Array(k);
  let info = 0;
  for (let j0 = 0; j0 < k; j0 += NB) {
    const j1 = Math.min(j0 + NB, k);
    for (let j = j0; j < j1; j++) {
      let p = j;
      let best = Math.abs(lu[j * n + j]);
      for (let i = j + 1; i < m; i++) {
        const v = Math.abs(lu[i * n + j]);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      piv[j] = p + 1;
      if (lu[p * n + j] === 0) {
        if (info === 0) info = j + 1;
        skipped[j] = 1;
        continue;
      }
      if (p !== j) {
        for (let c = 0; c < n; c++) {
          const t = lu[j * n + c];
          lu[j * n + c] = lu[p * n + c];
          lu[p * n + c] = t;
        }
      }
      const pivot = lu[j * n + j];
      for (let i = j + 1; i < m; i++) {
        const l = lu[i * n + j] / pivot;
        lu[i * n + j] = l;
        if (l === 0) continue;
        for (let c = j + 1; c < j1; c++) lu[i * n + c] -= l * lu[j * n + c];
      }
    }
    if (j1 < n) updateRight(lu, m, n, j0, j1, skipped);
  }
  return { lu, piv, info };
}

/**
 * After the panel of columns [j0, j1) is factored: U12 (rows j0..j1-1, columns j1..) by forward substitution
 * with the panel's unit lower triangle, then A22 -= L21 U12 (steps with a zero pivot contribute nothing, as in
 * the column-by-column loop).
 */
function updateRight(lu: Float64Array, m: number, n: number, j0: number, j1: number, skipped: Uint8Array): void {
  for (let t = j0 + 1; t < j1; t++) {
    for (let s = j0; s < t; s++) {
      const l = lu[t * n + s];
      if (skipped[s] || l === 0) continue;
      for (let c = j1; c < n; c++) lu[t * n + c] -= l * lu[s * n + c];
    }
  }
  const rows = m - j1;
  if (rows <= 0) return;
  const w = j1 - j0;
  const negL = new Float64Array(rows * w);
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < w; s++) if (!skipped[j0 + s]) negL[r * w + s] = -lu[(j1 + r) * n + j0 + s];
  }
  gemmAccumulate(lu, j1 * n + j1, n, negL, 0, w, lu, j0 * n + j1, n, rows, w, n - j1);
}

/** The row order that 1-based pivots `piv` (applied in sequence) make of m rows: row i of P^T A is row perm[i] of A. */
export function permOfPivots(piv: ArrayLike<number>, m: number): Int32Array {
  const perm = new Int32Array(m);
  for (let i = 0; i < m; i++) perm[i] = i;
  for (let i = 0; i < piv.length; i++) {
    const j = piv[i] - 1;
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

/** The m x m permutation matrix P with A = P L U for pivots `piv`: P[perm[i]][i] = 1. */
export function permMatrix(piv: ArrayLike<number>, m: number): Float64Array {
  const perm = permOfPivots(piv, m);
  const p = new Float64Array(m * m);
  for (let i = 0; i < m; i++) p[perm[i] * m + i] = 1;
  return p;
}
