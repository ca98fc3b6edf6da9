/**
 * LU factorization of rectangular matrices on host arrays, as LAPACK's getrf reports it: the packed factors,
 * 1-based pivots (row k was swapped with row piv[k]) and `info` (the 1-based index of the first exactly-zero
 * pivot, 0 when there is none), and the permutation those pivots make.
 * @module
 */

/** getrf's results for one m x n matrix. */
export interface LUPacked {
  /** m x n row-major: the multipliers of L (unit lower, m x k) below the diagonal, U (k x n) on and above it. */
  lu: Float64Array;
  /** k = min(m, n) 1-based pivots: row i was interchanged with row piv[i] (after the earlier interchanges). */
  piv: Int32Array;
  /** 0, or the 1-based index of the first exactly-zero diagonal entry of U (the factorization still completes). */
  info: number;
}

/** LU with partial pivoting (the largest |entry| of the column, the first one on ties, as LAPACK's idamax). */
export function luPacked(a: Float64Array, m: number, n: number): LUPacked {
  const lu = Float64Array.from(a.subarray(0, m * n));
  const k = Math.min(m, n);
  const piv = new Int32Array(k);
  let info = 0;
  for (let j = 0; j < k; j++) {
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
      for (let c = j + 1; c < n; c++) lu[i * n + c] -= l * lu[j * n + c];
    }
  }
  return { lu, piv, info };
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
