/**
 * Least squares and the pseudo-inverse, through the SVD or (lstsq of a full-rank matrix) Householder QR, never the
 * normal equations A^T A, which square the condition number: lstsq, pinv, matrixRank.
 * @module
 */
import { record } from '../autograd/node.js';
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  checkFinite, checkFloatTensor, checkMatrix, checkSameDType, epsOf, fromHostLike, matrixAt, mm, neg, notConverged,
  readBatch, sub, tr, unsq, add, mul, type HostBatch,
} from './common.js';
import { eighHost } from './host-eigh.js';
import { gemmAccumulate } from './host-gemm.js';
import { qrLeastSquares } from './host-qr-lstsq.js';
import { svdHost } from './host-svd.js';
import { bidiagonalLeastSquares } from './host-bidiag-lstsq.js';
import { broadcastPair, isVectorRhs } from './solve.js';

/** Tolerances below which singular values count as zero, as in torch.linalg.pinv / matrix_rank. */
export interface RankTolerance {
  /** Absolute tolerance (default 0). */
  atol?: number;
  /**
   * Relative tolerance, times the largest singular value. Default: eps(dtype) * max(m, n) when `atol` is not
   * given (or is 0), else 0.
   */
  rtol?: number;
  /** A is symmetric: use its eigendecomposition (reading the lower triangle) instead of the SVD. */
  hermitian?: boolean;
}

function tolerances(op: string, opts: RankTolerance, dtype: Tensor['dtype'], m: number, n: number): { atol: number; rtol: number } {
  for (const key of ['atol', 'rtol'] as const) {
    const v = opts[key];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0))) throw new ValueError(`${op}: ${key} must be a number >= 0, got ${String(v)}`);
  }
  const atol = opts.atol ?? 0;
  const rtol = opts.rtol ?? (atol > 0 ? 0 : epsOf(dtype) * Math.max(m, n));
  return { atol, rtol };
}

/** Per matrix: singular values (or |eigenvalues|) and the pieces to rebuild pinv from them. */
interface Spectrum {
  s: Float64Array;
  left: Float64Array; // m x k
  right: Float64Array; // n x k
  scale: Float64Array; // k: the values whose reciprocals pinv uses (signed eigenvalues for hermitian)
}

function spectrum(op: string, a: HostBatch, i: number, hermitian: boolean, vectors: boolean): Spectrum {
  const mat = matrixAt(a, i);
  if (hermitian) {
    const r = eighHost(mat, a.n, false);
    if (!r.converged) notConverged(op, a, i);
    return { s: r.w.map(Math.abs), left: r.v, right: r.v, scale: r.w };
  }
  const r = svdHost(mat, a.m, a.n, vectors);
  if (!r.converged) notConverged(op, a, i);
  return { s: r.s, left: r.u, right: r.v, scale: r.s };
}

function cutoff(s: Float64Array, tol: { atol: number; rtol: number }): number {
  let smax = 0;
  for (const v of s) smax = Math.max(smax, v);
  return Math.max(tol.atol, tol.rtol * smax);
}

/** dX for X = pinv(A) at fixed rank (Golub-Pereyra): -X^T G X^T + (I - A X) G^T X X^T + X^T X G^T (I - X A). */
function pinvBackward(X: Tensor, A: Tensor, G: Tensor): Tensor {
  const Gt = tr(G);
  const Xt = tr(X);
  const t1 = neg(mm(mm(Xt, G), Xt));
  const t2 = mm(sub(Gt, mm(A, mm(X, Gt))), mm(X, Xt));
  const t3 = mm(mm(Xt, X), sub(Gt, mm(mm(Gt, X), A)));
  return add(add(t1, t2), t3);
}

/**
 * What the Golub-Pereyra formula misses when the cutoff drops singular values that are not zero (PyTorch
 * misses it too): X = sum over kept i of v_i u_i^T / s_i also moves as the kept singular vectors turn
 * towards the dropped ones. With c_ij = s_j / ((s_i^2 - s_j^2) s_i^2) for kept i and dropped j (0 elsewhere)
 * and G1 = V^T G U, the extra gradient is U (T1 + T2^T) V^T, T1 = c ∘ (s_i G1 + s_j G1^T),
 * T2 = c ∘ (s_j G1 + s_i G1^T). Null when nothing nonzero was dropped. U, S, V enter as constants.
 */
function truncationTerm(A: Tensor, G: Tensor, tol: { atol: number; rtol: number }, hermitian: boolean): Tensor | null {
  const a = readBatch(A);
  const { m, n } = a;
  const k = hermitian ? n : Math.min(m, n);
  const ud = new Float64Array(a.count * m * k);
  const vd = new Float64Array(a.count * n * k);
  const sd = new Float64Array(a.count * k);
  const cd = new Float64Array(a.count * k * k);
  let any = false;
  for (let b = 0; b < a.count; b++) {
    const sp = spectrum('pinv', a, b, hermitian, true);
    const cut = cutoff(sp.s, tol);
    for (let i = 0; i < k; i++) {
      const sign = sp.scale[i] < 0 ? -1 : 1; // for hermitian A: u_i = sign(λ_i) v_i, s_i = |λ_i|
      for (let r = 0; r < m; r++) ud[b * m * k + r * k + i] = sign * sp.left[r * k + i];
      for (let r = 0; r < n; r++) vd[b * n * k + r * k + i] = sp.right[r * k + i];
      sd[b * k + i] = sp.s[i];
    }
    for (let i = 0; i < k; i++) {
      const si = sp.s[i];
      if (!(si > cut)) continue;
      for (let j = 0; j < k; j++) {
        const sj = sp.s[j];
        if (sj > cut || sj === 0) continue;
        cd[b * k * k + i * k + j] = sj / ((si * si - sj * sj) * si * si);
        any = true;
      }
    }
  }
  if (!any) return null;
  const U = fromHostLike(ud, [...a.batchShape, m, k], A);
  const V = fromHostLike(vd, [...a.batchShape, n, k], A);
  const S = fromHostLike(sd, [...a.batchShape, k], A);
  const c = fromHostLike(cd, [...a.batchShape, k, k], A);
  const g1 = mm(mm(tr(V), G), U);
  const g1t = tr(g1);
  const si = unsq(S, -1);
  const sj = unsq(S, -2);
  const t1 = mul(c, add(mul(si, g1), mul(sj, g1t)));
  const t2 = mul(c, add(mul(sj, g1), mul(si, g1t)));
  return mm(mm(U, add(t1, tr(t2))), tr(V));
}

/** Gradient of X = pinv(A) (truncated at `tol`) for the upstream gradient G. */
function pinvGrad(X: Tensor, A: Tensor, G: Tensor, tol: { atol: number; rtol: number }, hermitian: boolean): Tensor {
  const base = pinvBackward(X, A, G);
  const extra = truncationTerm(A, G, tol, hermitian);
  return extra ? add(base, extra) : base;
}

/**
 * Moore-Penrose pseudo-inverse [..., n, m] of [..., m, n] via the SVD (or eigh with `hermitian`), dropping
 * singular values <= max(atol, rtol * s_max). Differentiable where no singular value sits at the cutoff; the
 * gradient is exact also when the cutoff drops nonzero singular values (PyTorch's is not there).
 */
export function pinv(A: Tensor, opts: RankTolerance = {}): Tensor {
  const [m, n] = checkMatrix('pinv', A, 'A', opts.hermitian === true);
  const tol = tolerances('pinv', opts, A.dtype, m, n);
  const a = readBatch(A);
  checkFinite('pinv', a, 'A');
  const k = opts.hermitian ? n : Math.min(m, n);
  const out = new Float64Array(a.count * n * m);
  for (let b = 0; b < a.count; b++) {
    const sp = spectrum('pinv', a, b, opts.hermitian === true, true);
    const cut = cutoff(sp.s, tol);
    // X = right diag(1/scale) left^T over the kept values, as one product: (n x kept) times (kept x m)
    const kept: number[] = [];
    for (let j = 0; j < k; j++) if (sp.s[j] > cut) kept.push(j);
    const q = kept.length;
    const scaledRight = new Float64Array(n * q);
    const leftT = new Float64Array(q * m);
    kept.forEach((j, t) => {
      const r = 1 / sp.scale[j];
      for (let i = 0; i < n; i++) scaledRight[i * q + t] = sp.right[i * k + j] * r;
      for (let c = 0; c < m; c++) leftT[t * m + c] = sp.left[c * k + j];
    });
    gemmAccumulate(out, b * n * m, m, scaledRight, 0, q, leftT, 0, m, n, q, m);
  }
  const X = fromHostLike(out, [...a.batchShape, n, m], A);
  return record(X, 'LinalgPinvBackward', [A], (g) => [pinvGrad(X, A, g, tol, opts.hermitian === true)]);
}

/** The result of `lstsq`, as torch.linalg.lstsq's. */
export interface LstsqResult {
  /** [..., n, k] (or [..., n] for a vector B): the least-squares solution of least norm; differentiable. */
  solution: Tensor;
  /**
   * Shape [..., k]: squared residual norms ||A x - b||^2 of each column, with the SVD drivers only when m > n and
   * every matrix has full rank; otherwise (and always with 'gelsy') an empty tensor of shape [0], as PyTorch.
   */
  residuals: Tensor;
  /** [...] int32: the effective rank of each matrix. */
  rank: Tensor;
  /** Shape [..., min(m, n)]: A's singular values, descending, with the SVD drivers; with 'gelsy' empty, shape [0]. */
  singularValues: Tensor;
}

/** How `lstsq` solves: LAPACK's driver names, as torch.linalg.lstsq's `driver`. */
export type LstsqDriver = 'gelsy' | 'gelsd' | 'gelss';

/** Options of `lstsq`. */
export interface LstsqOptions {
  /** Relative cutoff for the rank (default eps(dtype) * max(m, n)), as torch's. */
  rcond?: number;
  /**
   * 'gelsy' (default, PyTorch's on the CPU): Householder QR, for every matrix whose triangular factor is safely
   * well conditioned (estimated 1-norm condition number below 1 / (10 min(m, n) rcond)), which then has full rank;
   * any other goes through the SVD as with 'gelsd' (its minimum-norm solution and rank, which are what LAPACK's
   * complete orthogonal factorization gives up to rounding). 'gelsd' and 'gelss': always the SVD, and they also
   * return the singular values and (tall, full rank) the residuals.
   */
  driver?: LstsqDriver;
}

/**
 * The minimum-norm least squares solution (n x nrhs) of the row-major m x n `a` against the m x nrhs `b` from its
 * SVD, the singular values at or below rcond * s_max counted as zero; with the singular values and the rank.
 */
function svdLeastSquares(a: Float64Array, m: number, n: number, b: Float64Array, nrhs: number, rcond: number): { x: Float64Array; s: Float64Array; rank: number } {
  const k = Math.min(m, n);
  const { u, s, v } = svdHost(a, m, n, true);
  const x = new Float64Array(n * nrhs);
  const cut = Math.max(0, rcond) * (s[0] ?? 0);
  let rank = 0;
  for (let j = 0; j < k; j++) {
    if (!(s[j] > cut)) continue;
    rank++;
    for (let c = 0; c < nrhs; c++) {
      // (u_j . b_c) / s_j along v_j
      let d = 0;
      for (let r = 0; r < m; r++) d += u[r * k + j] * b[r * nrhs + c];
      d /= s[j];
      for (let r = 0; r < n; r++) x[r * nrhs + c] += v[r * k + j] * d;
    }
  }
  return { x, s, rank };
}

/**
 * Least-squares solution of A X ≈ B for A [..., m, n] and B [..., m, k] or [..., m] (batch dims broadcast):
 * the minimum-norm solution when A is rank-deficient or wide, singular values <= rcond * s_max counting as zero
 * (see LstsqOptions for the drivers; the default 'gelsy' solves full-rank systems through QR, several times faster
 * than the SVD; 'gelsd' and 'gelss' solve a tall or square matrix of full rank through its bidiagonal form, without
 * singular vectors, and any other through the SVD). rcond defaults to eps(dtype) * max(m, n). The solution is differentiable in A and B (through
 * the pseudo-inverse).
 */
export function lstsq(A: Tensor, B: Tensor, opts: LstsqOptions = {}): LstsqResult {
  const [m, n] = checkMatrix('lstsq', A, 'A');
  checkFloatTensor('lstsq', B, 'B');
  checkSameDType('lstsq', A, B, ['A', 'B']);
  const driver = opts.driver ?? 'gelsy';
  if (driver !== 'gelsy' && driver !== 'gelsd' && driver !== 'gelss') {
    throw new ValueError(`lstsq: driver must be 'gelsy', 'gelsd' or 'gelss', got ${JSON.stringify(driver)}`);
  }
  const rcond = opts.rcond ?? epsOf(A.dtype) * Math.max(m, n);
  if (typeof rcond !== 'number' || Number.isNaN(rcond)) throw new ValueError(`lstsq: rcond must be a number, got ${String(rcond)}`);
  const vector = isVectorRhs(A, B);
  const B2 = vector ? unsq(B, -1) : B;
  if (B2.ndim < 2 || B2.shape[B2.ndim - 2] !== m) {
    throw new ShapeError(`lstsq: B must have ${m} rows to match A ${fmtShape(A.shape)} (B is [..., ${m}, k] or [..., ${m}]), got shape ${fmtShape(B.shape)}`);
  }
  const [Ae, Be] = broadcastPair('lstsq', A, B2);
  const a = readBatch(Ae);
  const b = readBatch(Be);
  checkFinite('lstsq', a, 'A');
  const k = Math.min(m, n);
  const nrhs = b.n;
  const xd = new Float64Array(a.count * n * nrhs);
  const sd = new Float64Array(a.count * k);
  const rd = new Int32Array(a.count);
  const res = new Float64Array(a.count * nrhs);
  // 1-norm vs 2-norm condition (a factor up to k) and the estimate's own slack (10): QR only where surely full rank
  const condLimit = rcond > 0 ? 1 / (10 * Math.max(k, 1) * rcond) : Infinity;
  for (let i = 0; i < a.count; i++) {
    if (driver === 'gelsy') {
      const x = k > 0 ? qrLeastSquares(matrixAt(a, i), m, n, matrixAt(b, i), nrhs, condLimit) : null;
      if (x !== null) {
        xd.set(x, i * n * nrhs);
        rd[i] = k;
        continue;
      }
    }
    const bi = matrixAt(b, i);
    // full column rank: the bidiagonal route (no singular vectors); otherwise the full SVD
    const solved = bidiagonalLeastSquares(matrixAt(a, i), m, n, bi, nrhs, rcond) ?? svdLeastSquares(matrixAt(a, i), m, n, bi, nrhs, rcond);
    xd.set(solved.x, i * n * nrhs);
    sd.set(solved.s, i * k);
    rd[i] = solved.rank;
    const xo = i * n * nrhs;
    if (driver === 'gelsy') continue;
    const am = matrixAt(a, i);
    for (let c = 0; c < nrhs; c++) {
      let ss = 0;
      for (let r = 0; r < m; r++) {
        let e = -bi[r * nrhs + c];
        for (let q = 0; q < n; q++) e += am[r * n + q] * xd[xo + q * nrhs + c];
        ss += e * e;
      }
      res[i * nrhs + c] = ss;
    }
  }
  const X = fromHostLike(xd, [...a.batchShape, n, nrhs], Ae);
  record(X, 'LinalgLstsqBackward', [Ae, Be], (g) => {
    const tol = { rtol: Math.max(0, rcond), atol: 0 };
    const pA = pinv(Ae, tol);
    return [Ae.requiresGrad ? pinvGrad(pA, Ae, mm(g, tr(Be)), tol, false) : null, Be.requiresGrad ? mm(tr(pA), g) : null];
  });
  const svd = driver !== 'gelsy';
  const fullRank = svd && m > n && rd.every((r) => r === n);
  return {
    solution: vector ? P.reshape(X, X.shape.slice(0, -1)) : X,
    residuals: fullRank ? fromHostLike(res, [...a.batchShape, nrhs], A) : fromHostLike([], [0], A),
    rank: fromHostLike(rd, a.batchShape, A, 'int32'),
    singularValues: svd ? fromHostLike(sd, [...a.batchShape, k], A) : fromHostLike([], [0], A),
  };
}

/**
 * Numerical rank [...] (int32) of [..., m, n]: the number of singular values (|eigenvalues| with
 * `hermitian`) greater than max(atol, rtol * s_max), as torch.linalg.matrix_rank.
 */
export function matrixRank(A: Tensor, opts: RankTolerance = {}): Tensor {
  const [m, n] = checkMatrix('matrixRank', A, 'A', opts.hermitian === true);
  const tol = tolerances('matrixRank', opts, A.dtype, m, n);
  const a = readBatch(A);
  checkFinite('matrixRank', a, 'A');
  const out = new Int32Array(a.count);
  for (let b = 0; b < a.count; b++) {
    const { s } = spectrum('matrixRank', a, b, opts.hermitian === true, false);
    const cut = cutoff(s, tol);
    for (const v of s) if (v > cut) out[b]++;
  }
  return fromHostLike(out, a.batchShape, A, 'int32');
}
