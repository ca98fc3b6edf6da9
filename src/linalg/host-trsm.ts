/**
 * Triangular solves with many right-hand sides on host arrays (LAPACK's trsm), blocked so that most of the
 * work is the register-tiled product of host-gemm.ts: rows are taken in blocks of NB; a block first takes the
 * contributions of every solved block in one product, then is solved row by row. The forward (lower) solve
 * sums each entry's terms in the same order as the row-by-row loop, so its results are that loop's bit for
 * bit; the backward (upper) solve adds the far blocks' terms before the near ones (a different rounding).
 * @module
 */
import { gemmAccumulate } from './host-gemm.js';

/** Rows per block. */
const NB = 32;

/** -T[r0..r1) x [c0..c1) of the n x n row-major `t`, packed row-major (r1 - r0) x (c1 - c0). */
function negatedBlock(t: Float64Array, n: number, r0: number, r1: number, c0: number, c1: number): Float64Array {
  const w = c1 - c0;
  const out = new Float64Array((r1 - r0) * w);
  for (let i = r0; i < r1; i++) for (let p = c0; p < c1; p++) out[(i - r0) * w + p - c0] = -t[i * n + p];
  return out;
}

/**
 * Solves L X = B in place for L the lower triangle of the n x n row-major `t` (its diagonal taken as 1 when
 * `unit`); `x` holds B (n x k) on entry and X on return. With `lowerB` (k = n) B is itself lower triangular —
 * the identity, for an inverse — and so is X: the zero columns right of each block are skipped, a third of the
 * work for an inverse's first solve, and (L finite) the same bits, as they only ever added zeros.
 */
export function lowerSolveInPlace(t: Float64Array, n: number, x: Float64Array, k: number, unit: boolean, lowerB = false): void {
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(i0 + NB, n);
    const cols = lowerB ? Math.min(i1, k) : k;
    if (i0 > 0) gemmAccumulate(x, i0 * k, k, negatedBlock(t, n, i0, i1, 0, i0), 0, i0, x, 0, k, i1 - i0, i0, cols);
    for (let i = i0; i < i1; i++) {
      for (let p = i0; p < i; p++) {
        const c = t[i * n + p];
        for (let j = 0; j < cols; j++) x[i * k + j] -= c * x[p * k + j];
      }
      if (!unit) {
        const d = t[i * n + i];
        for (let j = 0; j < k; j++) x[i * k + j] /= d;
      }
    }
  }
}

/**
 * Solves U X = B in place for U the upper triangle of the n x n row-major `t` (its diagonal taken as 1 when
 * `unit`); `x` holds B (n x k) on entry and X on return.
 */
export function upperSolveInPlace(t: Float64Array, n: number, x: Float64Array, k: number, unit: boolean): void {
  for (let i1 = n; i1 > 0; i1 -= NB) {
    const i0 = Math.max(i1 - NB, 0);
    if (i1 < n) gemmAccumulate(x, i0 * k, k, negatedBlock(t, n, i0, i1, i1, n), 0, n - i1, x, i1 * k, k, i1 - i0, n - i1, k);
    for (let i = i1 - 1; i >= i0; i--) {
      for (let p = i + 1; p < i1; p++) {
        const c = t[i * n + p];
        for (let j = 0; j < k; j++) x[i * k + j] -= c * x[p * k + j];
      }
      if (!unit) {
        const d = t[i * n + i];
        for (let j = 0; j < k; j++) x[i * k + j] /= d;
      }
    }
  }
}
