/**
 * Linear systems and determinants through LU with partial pivoting: solve, solveTriangular, inv, det and
 * slogdet, batched over leading dims (with broadcasting between A and B), with gradients.
 * @module
 */
import { record } from '../autograd/node.js';
import * as P from '../autograd/primitives.js';
import { LinAlgError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { expand } from '../ops/movement.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  batchNote, checkFloatTensor, checkMatrix, checkSameDType, fromHostLike, matrixAt, mm, mul, neg, readBatch, tr,
  tril, triu, unsq, type HostBatch,
} from './common.js';
import { luDet, luFactor, luInverse, luSolve, triSolve } from './host-factor.js';
import { matmulHost, transposeHost } from './host-gemm.js';
import { svdHost } from './host-svd.js';

const SINGULAR_HINT =
  'for a least-squares or minimum-norm solution use linalg.lstsq(A, B) or linalg.pinv(A), or regularize with A + λI';

/** torch's rule: B is a (batch of) vector(s) when 1-D or when its shape is A's without the last dim. */
export function isVectorRhs(A: Tensor, B: Tensor): boolean {
  return B.ndim === 1 || (B.ndim === A.ndim - 1 && B.shape.every((s, d) => s === A.shape[d]));
}

/** A and B expanded to a common batch shape ([..., m, n] and [..., m, k]). */
export function broadcastPair(op: string, A: Tensor, B: Tensor): [Tensor, Tensor] {
  const batch = broadcastShapes(op, A.shape.slice(0, -2), B.shape.slice(0, -2));
  return [expand(A, [...batch, ...A.shape.slice(-2)]), expand(B, [...batch, ...B.shape.slice(-2)])];
}

function singular(op: string, what: string, b: HostBatch, i: number, k: number): LinAlgError {
  return new LinAlgError(
    `${op}: ${what} is singular${batchNote(b, i)}: U[${k}][${k}] = 0 in its LU factorization with partial pivoting, so ${
      op === 'inv' ? 'it has no inverse' : 'A X = B has no unique solution'
    }; ${op === 'inv' ? 'use linalg.pinv(A) for the pseudo-inverse, or regularize with A + λI' : SINGULAR_HINT}`,
  );
}

/** X with A X = B for equal batch shapes, A [..., n, n], B [..., n, k]. */
function solveCore(op: string, A: Tensor, B: Tensor): Tensor {
  const a = readBatch(A);
  const b = readBatch(B);
  const n = a.n;
  const k = b.n;
  const out = new Float64Array(a.count * n * k);
  for (let i = 0; i < a.count; i++) {
    const f = luFactor(matrixAt(a, i), n);
    if (f.zeroPivot >= 0) throw singular(op, 'A', a, i, f.zeroPivot);
    out.set(luSolve(f, n, matrixAt(b, i), k), i * n * k);
  }
  const X = fromHostLike(out, B.shape, B);
  return record(X, 'LinalgSolveBackward', [A, B], (g) => {
    // X = A^-1 B: gB = A^-T g, gA = -gB X^T
    const gB = solveCore(op, tr(A), g);
    return [A.requiresGrad ? neg(mm(gB, tr(X))) : null, B.requiresGrad ? gB : null];
  });
}

/**
 * Solves A X = B for square nonsingular A [..., n, n] and B [..., n, k] or [..., n] (a vector, as
 * torch.linalg.solve decides), by LU with partial pivoting; batch dims broadcast. With `left: false` solves
 * X A = B instead. A singular A (an exactly zero pivot, as LAPACK reports it) throws a LinAlgError that
 * names the batch entry and the pivot and points to lstsq/pinv; differentiable in A and B.
 */
export function solve(A: Tensor, B: Tensor, opts: { left?: boolean } = {}): Tensor {
  const [, n] = checkMatrix('solve', A, 'A', true);
  checkFloatTensor('solve', B, 'B');
  checkSameDType('solve', A, B, ['A', 'B']);
  if (opts.left === false) {
    if (B.ndim < 2) throw new ShapeError(`solve: with left: false, B must be [..., k, n], got shape ${fmtShape(B.shape)}`);
    if (B.shape[B.ndim - 1] !== n) {
      throw new ShapeError(`solve: with left: false, B must have ${n} columns to match A ${fmtShape(A.shape)}, got shape ${fmtShape(B.shape)}`);
    }
    return tr(solve(tr(A), tr(B)));
  }
  const vector = isVectorRhs(A, B);
  const B2 = vector ? unsq(B, -1) : B;
  if (B2.ndim < 2 || B2.shape[B2.ndim - 2] !== n) {
    throw new ShapeError(`solve: B must have ${n} rows to match A ${fmtShape(A.shape)} (B is [..., ${n}, k] or [..., ${n}]), got shape ${fmtShape(B.shape)}`);
  }
  const [Ae, Be] = broadcastPair('solve', A, B2);
  const X = solveCore('solve', Ae, Be);
  return vector ? P.reshape(X, X.shape.slice(0, -1)) : X;
}

/** Options of `solveTriangular`. */
export interface SolveTriangularOptions {
  /** A is upper triangular (only that triangle is read); otherwise lower. Required, as in PyTorch. */
  upper: boolean;
  /** Solve A X = B (default true) or X A = B. */
  left?: boolean;
  /** Take A's diagonal as all ones without reading it (default false). */
  unitriangular?: boolean;
}

function triCore(A: Tensor, B: Tensor, upper: boolean, unit: boolean): Tensor {
  const a = readBatch(A);
  const b = readBatch(B);
  const n = a.n;
  const k = b.n;
  const out = new Float64Array(a.count * n * k);
  for (let i = 0; i < a.count; i++) {
    const x = triSolve(matrixAt(a, i), n, matrixAt(b, i), k, upper, unit);
    if (typeof x === 'number') {
      throw new LinAlgError(`solveTriangular: A is singular${batchNote(a, i)}: its diagonal entry A[${x}][${x}] is 0; ${SINGULAR_HINT}`);
    }
    out.set(x, i * n * k);
  }
  const X = fromHostLike(out, B.shape, B);
  return record(X, 'LinalgSolveTriangularBackward', [A, B], (g) => {
    const gB = triCore(tr(A), g, !upper, unit);
    let gA: Tensor | null = null;
    if (A.requiresGrad) {
      const full = neg(mm(gB, tr(X)));
      gA = upper ? triu(full, unit ? 1 : 0) : tril(full, unit ? -1 : 0);
    }
    return [gA, B.requiresGrad ? gB : null];
  });
}

/**
 * Solves A X = B (or X A = B with `left: false`) for triangular A [..., n, n] by substitution, reading only
 * the triangle `upper` names (torch.linalg.solve_triangular); B is [..., n, k], batch dims broadcast. A zero
 * on the diagonal throws a LinAlgError (PyTorch returns inf/nan). Differentiable in A and B.
 */
export function solveTriangular(A: Tensor, B: Tensor, opts: SolveTriangularOptions): Tensor {
  const [, n] = checkMatrix('solveTriangular', A, 'A', true);
  checkMatrix('solveTriangular', B, 'B');
  checkSameDType('solveTriangular', A, B, ['A', 'B']);
  if (typeof opts?.upper !== 'boolean') throw new ValueError('solveTriangular: opts.upper (true or false) is required, as in torch.linalg.solve_triangular');
  const unit = opts.unitriangular ?? false;
  if (opts.left === false) {
    if (B.shape[B.ndim - 1] !== n) {
      throw new ShapeError(`solveTriangular: with left: false, B must have ${n} columns to match A ${fmtShape(A.shape)}, got shape ${fmtShape(B.shape)}`);
    }
    const [Ae, Be] = broadcastPair('solveTriangular', tr(A), tr(B));
    return tr(triCore(Ae, Be, !opts.upper, unit));
  }
  if (B.shape[B.ndim - 2] !== n) {
    throw new ShapeError(`solveTriangular: B must have ${n} rows to match A ${fmtShape(A.shape)}, got shape ${fmtShape(B.shape)}`);
  }
  const [Ae, Be] = broadcastPair('solveTriangular', A, B);
  return triCore(Ae, Be, opts.upper, unit);
}

/**
 * Inverse of square matrices [..., n, n] by LU with partial pivoting. A singular matrix throws a LinAlgError
 * naming the zero pivot and suggesting pinv or regularization. Differentiable: dA = -A^-T g A^-T.
 */
export function inv(A: Tensor): Tensor {
  const [n] = checkMatrix('inv', A, 'A', true);
  const a = readBatch(A);
  const out = new Float64Array(a.count * n * n);
  for (let i = 0; i < a.count; i++) {
    const f = luFactor(matrixAt(a, i), n);
    if (f.zeroPivot >= 0) throw singular('inv', 'A', a, i, f.zeroPivot);
    out.set(luInverse(f, n), i * n * n);
  }
  const Y = fromHostLike(out, A.shape, A);
  return record(Y, 'LinalgInvBackward', [A], (g) => [neg(mm(mm(tr(Y), g), tr(Y)))]);
}

/** det(A), each matrix's sign(P) * prod(U_ii), and which ones are exactly singular. */
function luDets(a: HostBatch): { det: Float64Array; singular: boolean[] } {
  const det = new Float64Array(a.count);
  const sing: boolean[] = [];
  for (let i = 0; i < a.count; i++) {
    const f = luFactor(matrixAt(a, i), a.n);
    det[i] = luDet(f, a.n);
    sing.push(f.zeroPivot >= 0);
  }
  return { det, singular: sing };
}

/**
 * The cofactor matrix cof(A) = adj(A)^T = d det(A) / dA of each matrix, valid for singular matrices too:
 * with A = U S V^T, cof(A) = det(U) det(V) U diag(prod_{j != i} s_j) V^T.
 */
function cofactors(a: HostBatch): Float64Array {
  const n = a.n;
  const out = new Float64Array(a.count * n * n);
  for (let b = 0; b < a.count; b++) {
    const { u, s, v } = svdHost(matrixAt(a, b), n, n, true);
    const sign = luDet(luFactor(u, n), n) * luDet(luFactor(v, n), n) >= 0 ? 1 : -1;
    const us = Float64Array.from(u);
    for (let j = 0; j < n; j++) {
      let p = sign;
      for (let q = 0; q < n; q++) if (q !== j) p *= s[q];
      for (let i = 0; i < n; i++) us[i * n + j] *= p;
    }
    out.set(matmulHost(us, transposeHost(v, n, n), n, n, n), b * n * n);
  }
  return out;
}

/**
 * Determinant of square matrices [..., n, n] (shape [...]) by LU with partial pivoting; an exactly singular
 * matrix gives 0. Differentiable everywhere: g det(A) A^-T, and the cofactor matrix (computed by SVD) where
 * A is singular, which PyTorch 1.13 gets wrong (it returns zeros).
 */
export function det(A: Tensor): Tensor {
  checkMatrix('det', A, 'A', true);
  const a = readBatch(A);
  const { det: d, singular: sing } = luDets(a);
  const D = fromHostLike(d, a.batchShape, A);
  return record(D, 'LinalgDetBackward', [A], (g) => {
    const gk = unsq(unsq(g, -1), -1);
    if (!sing.some(Boolean)) return [mul(mul(gk, unsq(unsq(D, -1), -1)), tr(inv(A)))];
    // some matrix is singular: A^-1 does not exist, use the cofactors (constant: no second derivative here)
    return [mul(gk, fromHostLike(cofactors(a), A.shape, A))];
  });
}

/** The result of `slogdet`: det(A) = sign * exp(logabsdet). */
export interface SlogdetResult {
  /** -1, 0 or +1 per matrix (0 for a singular matrix); not differentiable. */
  sign: Tensor;
  /** log |det(A)| per matrix (-inf for a singular matrix). */
  logabsdet: Tensor;
}

/**
 * Sign and log of the absolute determinant of square matrices [..., n, n] (torch.linalg.slogdet): no
 * overflow or underflow where det itself would. logabsdet is differentiable (g A^-T) except at singular
 * matrices, where backward throws a LinAlgError.
 */
export function slogdet(A: Tensor): SlogdetResult {
  const [n] = checkMatrix('slogdet', A, 'A', true);
  const a = readBatch(A);
  const sign = new Float64Array(a.count);
  const logabs = new Float64Array(a.count);
  const sing: number[] = [];
  for (let i = 0; i < a.count; i++) {
    const f = luFactor(matrixAt(a, i), n);
    let s = f.sign;
    let l = 0;
    for (let j = 0; j < n; j++) {
      const u = f.lu[j * n + j];
      if (u < 0) s = -s;
      l += Math.log(Math.abs(u));
    }
    if (f.zeroPivot >= 0) {
      s = 0;
      l = -Infinity;
      sing.push(i);
    }
    sign[i] = s;
    logabs[i] = l;
  }
  const L = fromHostLike(logabs, a.batchShape, A);
  const logabsdet = record(L, 'LinalgSlogdetBackward', [A], (g) => {
    if (sing.length > 0) {
      throw new LinAlgError(`slogdet: backward at a singular matrix${batchNote(a, sing[0])}: log|det A| is -inf there and has no gradient`);
    }
    return [mul(unsq(unsq(g, -1), -1), tr(inv(A)))];
  });
  return { sign: fromHostLike(sign, a.batchShape, A), logabsdet };
}
