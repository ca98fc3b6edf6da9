/**
 * The `*Ex` variants of torch.linalg: solveEx ({result, info}), invEx ({inverse, info}) and choleskyEx
 * ({L, info}) return LAPACK's error code instead of throwing on singular or non-positive-definite input, with `info` as LAPACK and PyTorch report it.
 * @module
 */
import { LinAlgError, ShapeError, fmtShape } from '../errors.js';
import { expand } from '../ops/movement.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { batchNote, checkFloatTensor, checkMatrix, checkSameDType, fromHostLike, matrixAt, readBatch, unsq, tr } from './common.js';
import { cholesky } from './decompose.js';
import { luFactor as luHost, luSolve as luSolveHost } from './host-factor.js';
import { transposeHost } from './host-gemm.js';
import { luPacked } from './host-lu.js';
import { inv, isVectorRhs, solve } from './solve.js';
import * as P from '../autograd/primitives.js';

/** What `solveEx` returns (torch.linalg.solve_ex's names). */
export interface SolveExResult {
  /** The solution X; where `info` is nonzero its entries are inf/NaN. */
  result: Tensor;
  /** [...] int32: 0 where A is nonsingular, else the 1-based index of the first zero pivot. */
  info: Tensor;
}

/** What `invEx` returns (torch.linalg.inv_ex's names). */
export interface InvExResult {
  /** The inverse; where `info` is nonzero its entries are inf/NaN. */
  inverse: Tensor;
  /** [...] int32: 0 where A is invertible, else the 1-based index of the first zero pivot. */
  info: Tensor;
}

/** What `choleskyEx` returns (torch.linalg.cholesky_ex's names). */
export interface CholeskyExResult {
  /** The factor (L, or U with `upper: true`); where `info` is nonzero, LAPACK's partial factor. */
  L: Tensor;
  /** [...] int32: 0 where A is positive-definite, else the order of the first leading minor that is not. */
  info: Tensor;
}

/** Options of the `*Ex` functions. */
export interface ExOptions {
  /** Throw a LinAlgError (as the plain function) when some `info` is nonzero (default false). */
  checkErrors?: boolean;
}

/** getrf's info of every matrix: the 1-based index of the first zero pivot, or 0. */
function luInfo(A: Tensor): Int32Array {
  const a = readBatch(A);
  const info = new Int32Array(a.count);
  for (let i = 0; i < a.count; i++) info[i] = luPacked(matrixAt(a, i), a.n, a.n).info;
  return info;
}

function raise(op: string, A: Tensor, info: Int32Array, what: (k: number) => string): void {
  const bad = info.findIndex((v) => v !== 0);
  if (bad >= 0) throw new LinAlgError(`${op}: ${what(info[bad])}${batchNote(readBatch(A), bad)}`);
}

/**
 * X with A X = B (or X A = B with `left: false`) as `solve`, plus `info` (A's batch shape) int32: 0, or the 1-based
 * index of the first zero pivot of A's LU factorization (torch.linalg.solve_ex). Where A is singular the
 * result holds the infinities and NaNs the zero pivot produces, and no gradient is recorded for the call;
 * when every A is nonsingular it is differentiable as `solve`.
 */
export function solveEx(A: Tensor, B: Tensor, opts: ExOptions & { left?: boolean } = {}): SolveExResult {
  const [, n] = checkMatrix('solveEx', A, 'A', true);
  checkFloatTensor('solveEx', B, 'B');
  checkSameDType('solveEx', A, B, ['A', 'B']);
  const left = opts.left ?? true;
  const vector = left && isVectorRhs(A, B);
  const B2 = vector ? unsq(B, -1) : B;
  if (B2.ndim < 2 || B2.shape[B2.ndim - (left ? 2 : 1)] !== n) {
    throw new ShapeError(`solveEx: B must have ${n} ${left ? 'rows' : 'columns'} to match A ${fmtShape(A.shape)}, got shape ${fmtShape(B.shape)}`);
  }
  const batch = broadcastShapes('solveEx', A.shape.slice(0, -2), B2.shape.slice(0, -2));
  const Ae = expand(A, [...batch, n, n]);
  // as PyTorch's, info has A's own batch shape (not the broadcast one)
  const info = luInfo(A);
  if (opts.checkErrors) raise('solveEx', A, info, (k) => `A is singular: U[${k - 1}][${k - 1}] = 0 in its LU factorization`);
  const infoT = fromHostLike(info, A.shape.slice(0, -2), A, 'int32');
  if (info.every((v) => v === 0)) return { result: solve(A, B, { left }), info: infoT };
  // some A is singular: solve each system on the host, letting the zero pivots produce inf/NaN as LAPACK's
  const Bl = left ? B2 : tr(B2);
  const Be = readBatch(expand(Bl, [...batch, ...Bl.shape.slice(-2)]));
  const a = readBatch(Ae);
  const k = Be.n;
  const out = new Float64Array(a.count * n * k);
  for (let i = 0; i < a.count; i++) {
    const m = left ? matrixAt(a, i) : transposeHost(matrixAt(a, i), n, n);
    out.set(luSolveHost(luHost(m, n), n, matrixAt(Be, i), k), i * n * k);
  }
  let X = fromHostLike(out, [...batch, n, k], A);
  if (!left) X = tr(X);
  return { result: vector ? P.reshape(X, X.shape.slice(0, -1)) : X, info: infoT };
}

/**
 * The inverse of square matrices [..., n, n] as `inv`, plus `info` [...] int32: 0, or the 1-based index of
 * the first zero pivot (torch.linalg.inv_ex). Where A is singular the inverse holds infinities/NaNs and no
 * gradient is recorded; when every A is invertible it is differentiable as `inv`.
 */
export function invEx(A: Tensor, opts: ExOptions = {}): InvExResult {
  const [n] = checkMatrix('invEx', A, 'A', true);
  const info = luInfo(A);
  if (opts.checkErrors) raise('invEx', A, info, (k) => `A is singular: U[${k - 1}][${k - 1}] = 0 in its LU factorization, so it has no inverse`);
  const infoT = fromHostLike(info, A.shape.slice(0, -2), A, 'int32');
  if (info.every((v) => v === 0)) return { inverse: inv(A), info: infoT };
  const a = readBatch(A);
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  const out = new Float64Array(a.count * n * n);
  for (let i = 0; i < a.count; i++) out.set(luSolveHost(luHost(matrixAt(a, i), n), n, eye, n), i * n * n);
  return { inverse: fromHostLike(out, A.shape, A), info: infoT };
}

/**
 * Cholesky's column-by-column factorization as LAPACK's potf2: L (lower, row-major) and info (0, or the
 * 1-based order of the first leading minor that is not positive-definite). On failure at column j, L holds
 * the finished columns, the non-positive pivot on its diagonal, and A's lower triangle after it — what
 * PyTorch returns.
 */
function potf2(a: Float64Array, n: number): { l: Float64Array; info: number } {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) l[i * n + j] = a[i * n + j];
  for (let j = 0; j < n; j++) {
    let s = l[j * n + j];
    for (let p = 0; p < j; p++) s -= l[j * n + p] * l[j * n + p];
    if (!(s > 0) || !Number.isFinite(s)) {
      l[j * n + j] = s;
      return { l, info: j + 1 };
    }
    const d = Math.sqrt(s);
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let v = l[i * n + j];
      for (let p = 0; p < j; p++) v -= l[i * n + p] * l[j * n + p];
      l[i * n + j] = v / d;
    }
  }
  return { l, info: 0 };
}

/**
 * The Cholesky factor as `cholesky` (lower L, or upper U = L^T with `upper: true`), plus `info` [...] int32:
 * 0, or the order of the first leading minor that is not positive-definite (torch.linalg.cholesky_ex).
 * Where info > 0 the factor is LAPACK's partial one (finished columns, the failing pivot, A's remaining
 * triangle) and no gradient is recorded; when every A is positive-definite it is differentiable as `cholesky`.
 */
export function choleskyEx(A: Tensor, opts: ExOptions & { upper?: boolean } = {}): CholeskyExResult {
  const [n] = checkMatrix('choleskyEx', A, 'A', true);
  const upper = opts.upper ?? false;
  const a = readBatch(A);
  const info = new Int32Array(a.count);
  const out = new Float64Array(a.count * n * n);
  for (let i = 0; i < a.count; i++) {
    const f = potf2(upper ? transposeHost(matrixAt(a, i), n, n) : matrixAt(a, i), n);
    info[i] = f.info;
    out.set(upper ? transposeHost(f.l, n, n) : f.l, i * n * n);
  }
  if (opts.checkErrors) raise('choleskyEx', A, info, (k) => `A is not positive-definite: its leading minor of order ${k} is not positive`);
  const infoT = fromHostLike(info, a.batchShape, A, 'int32');
  if (info.every((v) => v === 0)) return { L: cholesky(A, { upper }), info: infoT };
  return { L: fromHostLike(out, A.shape, A), info: infoT };
}
