/**
 * LU factorizations with partial pivoting, after torch.linalg: luFactor / luFactorEx (LAPACK's packed
 * factors and 1-based int32 pivots), lu (P, L, U with A = P L U) and luSolve (solves from the packed
 * factors), batched over leading dims, with gradients (at matrices of full rank, as PyTorch's).
 * @module
 */
import { record } from '../autograd/node.js';
import { DTypeError, LinAlgError, ShapeError, fmtShape } from '../errors.js';
import { cat } from '../ops/movement.js';
import { checkTensor } from '../ops/util.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  add, batchNote, checkMatrix, checkSameDType, eyeLike, fromHostLike, matrixAt, mm, multiOutput, narrowLast, readBatch, sub, tr, tril, triu,
  type HostBatch,
} from './common.js';
import { luPacked, permMatrix } from './host-lu.js';
import { solveTriangular } from './solve.js';

/** The vjp of a square A' = L U (no pivoting): L^-T (tril(L^T gL, -1) + triu(gU U^T)) U^-T. */
function squareBackward(L: Tensor, U: Tensor, gL: Tensor, gU: Tensor): Tensor {
  const phi = add(tril(mm(tr(L), gL), -1), triu(mm(gU, tr(U))));
  const left = solveTriangular(tr(L), phi, { upper: true, unitriangular: true });
  return solveTriangular(tr(U), left, { upper: false, left: false });
}

/**
 * The vjp of A = P L U (PyTorch's formulas), for L [..., m, k], U [..., k, n] and the strictly-lower /
 * upper parts of their gradients. Square: P L^-T (tril(L^T gL, -1) + triu(gU U^T)) U^-T. Wide (m < n):
 * U = [U1 U2] with U2 = L^-1 P^T A2, so gU2 reaches A2 as P L^-T gU2 and L as -L^-T gU2 U2^T. Tall (m > n):
 * L = [L1; L2] with L2 = (P^T A)2 U^-1, so gL2 reaches the bottom rows as gL2 U^-T and U as -L2^T gL2 U^-T.
 */
function luBackward(P: Tensor, L: Tensor, U: Tensor, gL: Tensor, gU: Tensor): Tensor {
  const m = L.shape[L.ndim - 2];
  const k = L.shape[L.ndim - 1];
  const n = U.shape[U.ndim - 1];
  if (m === n) return mm(P, squareBackward(L, U, gL, gU));
  if (m < n) {
    const U1 = narrowLast(U, 0, k);
    const U2 = narrowLast(U, k, n - k);
    const gU2 = narrowLast(gU, k, n - k);
    const LtgU2 = solveTriangular(tr(L), gU2, { upper: true, unitriangular: true });
    const gL1 = sub(gL, tril(mm(LtgU2, tr(U2)), -1));
    return mm(P, cat([squareBackward(L, U1, gL1, narrowLast(gU, 0, k)), LtgU2], -1));
  }
  const L1 = narrowLast(L, 0, k, true);
  const L2 = narrowLast(L, k, m - k, true);
  const gA2 = solveTriangular(tr(U), narrowLast(gL, k, m - k, true), { upper: false, left: false });
  const gU1 = sub(gU, triu(mm(tr(L2), gA2)));
  return mm(P, cat([squareBackward(L1, U, narrowLast(gL, 0, k, true), gU1), gA2], -2));
}

interface Factored {
  a: HostBatch;
  lu: Float64Array;
  piv: Int32Array;
  info: Int32Array;
  k: number;
}

function factorAll(A: Tensor): Factored {
  const a = readBatch(A);
  const k = Math.min(a.m, a.n);
  const lu = new Float64Array(a.count * a.m * a.n);
  const piv = new Int32Array(a.count * k);
  const info = new Int32Array(a.count);
  for (let i = 0; i < a.count; i++) {
    const f = luPacked(matrixAt(a, i), a.m, a.n);
    lu.set(f.lu, i * a.m * a.n);
    piv.set(f.piv, i * k);
    info[i] = f.info;
  }
  return { a, lu, piv, info, k };
}

/** L (m x k, unit lower) and U (k x n) unpacked from one batch of packed factors. */
function unpack(f: Factored): { L: Float64Array; U: Float64Array; P: Float64Array } {
  const { a, k } = f;
  const { m, n, count } = a;
  const L = new Float64Array(count * m * k);
  const U = new Float64Array(count * k * n);
  const P = new Float64Array(count * m * m);
  for (let b = 0; b < count; b++) {
    const lu = f.lu.subarray(b * m * n, (b + 1) * m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < k; j++) L[b * m * k + i * k + j] = i === j ? 1 : i > j ? lu[i * n + j] : 0;
    }
    for (let i = 0; i < k; i++) for (let j = i; j < n; j++) U[b * k * n + i * n + j] = lu[i * n + j];
    P.set(permMatrix(f.piv.subarray(b * k, (b + 1) * k), m), b * m * m);
  }
  return { L, U, P };
}

/** The permutation matrices of pivots [..., k] for m rows, as a tensor like `like`. */
function pivotMatrices(pivots: Tensor, m: number, like: Tensor): Tensor {
  const k = pivots.shape[pivots.ndim - 1];
  const pv = pivots.toTypedArray();
  const count = pv.length / Math.max(k, 1);
  const out = new Float64Array(count * m * m);
  for (let b = 0; b < count; b++) out.set(permMatrix(pv.subarray(b * k, (b + 1) * k), m), b * m * m);
  return fromHostLike(out, [...pivots.shape.slice(0, -1), m, m], like);
}

/** The result of `luFactor` / `luFactorEx`. */
export interface LUFactorResult {
  /** Shape [..., m, n]: L's multipliers below the diagonal (its unit diagonal implied), U on and above. */
  LU: Tensor;
  /** [..., min(m, n)] int32, 1-based: row i was interchanged with row pivots[i] (as LAPACK and PyTorch). */
  pivots: Tensor;
}

/** The result of `luFactorEx`: also `info`. */
export interface LUFactorExResult extends LUFactorResult {
  /** [...] int32: 0, or the 1-based index of the first zero on U's diagonal (the factorization still completes). */
  info: Tensor;
}

function luFactorCore(op: string, A: Tensor, checkErrors: boolean): LUFactorExResult {
  checkMatrix(op, A, 'A');
  const f = factorAll(A);
  if (checkErrors) {
    const bad = f.info.findIndex((v) => v !== 0);
    if (bad >= 0) {
      throw new LinAlgError(`${op}: A is singular${batchNote(f.a, bad)}: U[${f.info[bad] - 1}][${f.info[bad] - 1}] is exactly zero`);
    }
  }
  const LU = fromHostLike(f.lu, A.shape, A);
  const pivots = fromHostLike(f.piv, [...f.a.batchShape, f.k], A, 'int32');
  const info = fromHostLike(f.info, f.a.batchShape, A, 'int32');
  const { P } = unpack(f);
  const Pt = fromHostLike(P, [...f.a.batchShape, f.a.m, f.a.m], A);
  const out = record(LU, 'LinalgLuFactorBackward', [A], (g) => {
    // L [m, k] and U [k, n] of the packed factors, and their gradients' parts
    const { m, n } = f.a;
    const k = f.k;
    const lower = (x: Tensor) => (n > k ? narrowLast(tril(x, -1), 0, k) : tril(x, -1));
    const upper = (x: Tensor) => (m > k ? narrowLast(triu(x), 0, k, true) : triu(x));
    const I = new Float64Array(m * k);
    for (let i = 0; i < k; i++) I[i * k + i] = 1;
    return [luBackward(Pt, add(lower(LU), fromHostLike(I, [m, k], LU)), upper(LU), lower(g), upper(g))];
  });
  return { LU: out, pivots, info };
}

/**
 * LU factorization with partial pivoting of [..., m, n] matrices in LAPACK's packed form
 * (torch.linalg.lu_factor): {LU, pivots}, A = P L U. A singular matrix factors too (U has a zero on its
 * diagonal); it does not throw. Differentiable (PyTorch's formulas, square, wide and tall).
 */
export function luFactor(A: Tensor): LUFactorResult {
  const { LU, pivots } = luFactorCore('luFactor', A, false);
  return { LU, pivots };
}

/**
 * luFactor that also returns `info` (torch.linalg.lu_factor_ex): per matrix 0, or the 1-based index of the
 * first exactly-zero pivot. With `checkErrors: true` a singular matrix throws a LinAlgError instead.
 */
export function luFactorEx(A: Tensor, opts: { checkErrors?: boolean } = {}): LUFactorExResult {
  return luFactorCore('luFactorEx', A, opts.checkErrors ?? false);
}

/** The result of `lu`: A = P L U. */
export interface LUResult {
  /** [..., m, m] permutation matrices. */
  P: Tensor;
  /** [..., m, k] unit lower triangular (k = min(m, n)). */
  L: Tensor;
  /** [..., k, n] upper triangular. */
  U: Tensor;
}

/**
 * LU factorization with partial pivoting of [..., m, n] matrices (torch.linalg.lu): P [..., m, m],
 * L [..., m, k] (unit lower), U [..., k, n] with A = P L U. Singular matrices factor without error.
 * L and U are differentiable (PyTorch's formulas for square, wide and tall A).
 */
export function lu(A: Tensor): LUResult {
  const [m, n] = checkMatrix('lu', A, 'A');
  const f = factorAll(A);
  const k = f.k;
  const { L, U, P } = unpack(f);
  const Pt = fromHostLike(P, [...f.a.batchShape, m, m], A);
  const [Lt, Ut] = multiOutput('LinalgLuBackward', [A], f.a.batchShape, [{ shape: [m, k], data: L }, { shape: [k, n], data: U }], A,
    ([gL, gU], [Lo, Uo]) => [luBackward(Pt, Lo, Uo, tril(gL, -1), triu(gU))]);
  return { P: Pt, L: Lt, U: Ut };
}

/** Options of `luSolve`. */
export interface LUSolveOptions {
  /** Solve A X = B (default true) or X A = B. */
  left?: boolean;
  /** Solve with A^T (A^H) in place of A (default false). */
  adjoint?: boolean;
}

/**
 * Solves A X = B from A's packed LU factors and pivots of `luFactor` (torch.linalg.lu_solve): LU
 * [..., n, n], pivots [..., n] int32, B [..., n, k] (or [..., k, n] with `left: false`); batch dims
 * broadcast. `adjoint` solves with A^T. Differentiable in LU and B (composed of triangular solves).
 */
export function luSolve(LU: Tensor, pivots: Tensor, B: Tensor, opts: LUSolveOptions = {}): Tensor {
  const [n] = checkMatrix('luSolve', LU, 'LU', true);
  checkMatrix('luSolve', B, 'B');
  checkSameDType('luSolve', LU, B, ['LU', 'B']);
  checkTensor('luSolve', pivots, 'pivots');
  if (pivots.dtype !== 'int32') throw new DTypeError(`luSolve: pivots must be an int32 tensor (from luFactor), got dtype ${pivots.dtype}`);
  if (pivots.ndim !== LU.ndim - 1 || pivots.shape[pivots.ndim - 1] !== n || pivots.shape.some((s, d) => s !== LU.shape[d])) {
    throw new ShapeError(`luSolve: pivots must have shape ${fmtShape([...LU.shape.slice(0, -2), n])} to match LU ${fmtShape(LU.shape)}, got ${fmtShape(pivots.shape)}`);
  }
  const pv = pivots.toTypedArray();
  for (let i = 0; i < pv.length; i++) {
    if (!(pv[i] >= 1 && pv[i] <= n)) throw new ShapeError(`luSolve: pivots must be 1-based row indices in [1, ${n}], got ${pv[i]} at flat index ${i}`);
  }
  const left = opts.left ?? true;
  const adjoint = opts.adjoint ?? false;
  const rows = B.shape[B.ndim - (left ? 2 : 1)];
  if (rows !== n) {
    throw new ShapeError(`luSolve: B must have ${n} ${left ? 'rows' : 'columns'} to match LU ${fmtShape(LU.shape)}, got shape ${fmtShape(B.shape)}`);
  }
  const P = pivotMatrices(pivots, n, LU);
  const L = add(tril(LU, -1), eyeLike(n, LU));
  const U = triu(LU);
  const lower = { upper: false, unitriangular: true };
  // A = P L U
  if (left && !adjoint) return solveTriangular(U, solveTriangular(L, mm(tr(P), B), lower), { upper: true });
  if (left) return mm(P, solveTriangular(tr(L), solveTriangular(tr(U), B, { upper: false }), { upper: true, unitriangular: true }));
  if (!adjoint) return mm(solveTriangular(L, solveTriangular(U, B, { upper: true, left: false }), { ...lower, left: false }), tr(P));
  return solveTriangular(tr(U), solveTriangular(tr(L), mm(B, P), { upper: true, unitriangular: true, left: false }), { upper: false, left: false });
}
