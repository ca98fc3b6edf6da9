/**
 * Matrix decompositions: cholesky, qr (Householder), eigh/eigvalsh (symmetric), svd (one-sided Jacobi), svdvals
 * (bidiagonal form and Golub-Kahan QR, as LAPACK's gesdd without vectors; the SVD when a gradient is wanted), batched over leading dims, with gradients (Murray 2016 for Cholesky, Walter-Lehmann/Liao et al.
 * for QR, the standard perturbation formulas for eigh and Townsend 2016 for the SVD).
 * @module
 */
import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import { AutogradError, LinAlgError, ValueError } from '../errors.js';
import { cat } from '../ops/movement.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  add, allZero, batchNote, checkFinite, checkMatrix, diagEmbed, div, eyeLike, fromHostLike, matrixAt, mm, mul,
  multiOutput, narrowLast, notConverged, readBatch, scale, sub, tr, tril, unsq,
} from './common.js';
import { cholFactor } from './host-factor.js';
import { transposeHost } from './host-gemm.js';
import { qrFactor, qrFormQ, qrFormR } from './host-qr.js';
import { eighHost } from './host-eigh.js';
import { svdHost } from './host-svd.js';
import { svdValuesHost } from './host-bidiag.js';
import { solveTriangular } from './solve.js';

/**
 * Cholesky factor of symmetric positive-definite matrices [..., n, n]: lower L with A = L L^T (reading A's
 * lower triangle), or with `upper: true` the upper U = L^T with A = U^T U (reading A's upper triangle). A
 * matrix that is not positive-definite throws a LinAlgError naming the failing leading minor and suggesting
 * A + εI. The gradient (Murray 2016) is symmetric, as PyTorch's.
 */
export function cholesky(A: Tensor, opts: { upper?: boolean } = {}): Tensor {
  const [n] = checkMatrix('cholesky', A, 'A', true);
  const upper = opts.upper ?? false;
  const a = readBatch(A);
  const out = new Float64Array(a.count * n * n);
  for (let i = 0; i < a.count; i++) {
    const l = cholFactor(upper ? transposeHost(matrixAt(a, i), n, n) : matrixAt(a, i), n);
    if (typeof l === 'number') {
      throw new LinAlgError(
        `cholesky: A is not positive-definite${batchNote(a, i)}: its leading minor of order ${l + 1} is not positive. A Cholesky factor ` +
          'exists only for symmetric positive-definite matrices; if A is a covariance or Gram matrix that is only semi-definite, ' +
          'add a small multiple of the identity (A + εI), or use linalg.eigh or linalg.lstsq instead',
      );
    }
    out.set(upper ? transposeHost(l, n, n) : l, i * n * n);
  }
  const C = fromHostLike(out, A.shape, A);
  return record(C, 'LinalgCholeskyBackward', [A], (g) => {
    const L = upper ? tr(C) : C;
    const gL = upper ? tr(g) : g;
    // gA = L^-T Φ L^-1 with Φ the symmetric matrix whose lower triangle is tril(L^T gL), diagonal halved
    const p = tril(mm(tr(L), gL));
    const phi = scale(add(p, tr(tril(p, -1))), 0.5);
    const left = solveTriangular(tr(L), phi, { upper: true });
    return [solveTriangular(L, left, { upper: false, left: false })];
  });
}

/** Modes of `qr`, as torch.linalg.qr. */
export type QRMode = 'reduced' | 'complete' | 'r';

/** The result of `qr`: A = Q R. */
export interface QRResult {
  /** Orthonormal columns: [..., m, k] (reduced) or [..., m, m] (complete); an empty tensor of shape [0] for mode 'r'. */
  Q: Tensor;
  /** Upper triangular: [..., k, n] (reduced, 'r') or [..., m, n] (complete), k = min(m, n). */
  R: Tensor;
}

/** Q R's vjp for reduced Q [..., m, k], R [..., k, n] (gQ null when only R is used). */
function qrBackward(A: Tensor, Q: Tensor, R: Tensor, gQ: Tensor | null, gR: Tensor): Tensor {
  const m = A.shape[A.ndim - 2];
  const n = A.shape[A.ndim - 1];
  const k = Math.min(m, n);
  const r = R.toTypedArray();
  for (let b = 0; b < r.length / (k * n); b++) {
    for (let j = 0; j < k; j++) {
      if (r[b * k * n + j * n + j] === 0) {
        throw new LinAlgError(`qr: backward needs A of full rank, but R[${j}][${j}] = 0 (matrix ${b} of the batch); Q is not differentiable there`);
      }
    }
  }
  // square or tall: gA = (gQ + Q copyltu(M)) R^-T, M = R gR^T - gQ^T Q (Liao et al. 2019)
  const tall = (Qm: Tensor, Rm: Tensor, gQm: Tensor | null, gRm: Tensor): Tensor => {
    let M = mm(Rm, tr(gRm));
    if (gQm) M = sub(M, mm(tr(gQm), Qm));
    const copyltu = add(tril(M), tr(tril(M, -1)));
    let b = mm(Qm, copyltu);
    if (gQm) b = add(gQm, b);
    return tr(solveTriangular(Rm, tr(b), { upper: true }));
  };
  if (m >= n) return tall(Q, R, gQ, gR);
  // wide: A = [X | Y] with X = Q R1 square and R2 = Q^T Y
  const Y = narrowLast(A, m, n - m);
  const R1 = narrowLast(R, 0, m);
  const gR1 = narrowLast(gR, 0, m);
  const gR2 = narrowLast(gR, m, n - m);
  const yg = mm(Y, tr(gR2));
  const gX = tall(Q, R1, gQ ? add(gQ, yg) : yg, gR1);
  return cat([gX, mm(Q, gR2)], -1);
}

/**
 * QR decomposition of [..., m, n] by Householder reflections, with LAPACK's signs (so Q and R match
 * torch.linalg.qr): mode 'reduced' (default) gives Q [..., m, k], R [..., k, n]; 'complete' Q [..., m, m],
 * R [..., m, n]; 'r' only R (Q is empty). Differentiable for A of full rank; with mode 'complete' and m > n
 * the last m - n columns of Q are not unique and carry no gradient (backward throws if they would need one).
 * Unlike PyTorch, mode 'r' is differentiable too.
 */
export function qr(A: Tensor, opts: { mode?: QRMode } = {}): QRResult {
  const [m, n] = checkMatrix('qr', A, 'A');
  const mode = opts.mode ?? 'reduced';
  if (mode !== 'reduced' && mode !== 'complete' && mode !== 'r') {
    throw new ValueError(`qr: mode must be 'reduced', 'complete' or 'r', got ${JSON.stringify(mode)}`);
  }
  const k = Math.min(m, n);
  const qCols = mode === 'complete' ? m : k;
  const rRows = mode === 'complete' ? m : k;
  const a = readBatch(A);
  const qd = new Float64Array(mode === 'r' ? 0 : a.count * m * qCols);
  const rd = new Float64Array(a.count * rRows * n);
  for (let i = 0; i < a.count; i++) {
    const f = qrFactor(matrixAt(a, i), m, n);
    if (mode !== 'r') qd.set(qrFormQ(f, m, n, qCols), i * m * qCols);
    rd.set(qrFormR(f, m, n, rRows), i * rRows * n);
  }
  if (mode === 'r') {
    const R = fromHostLike(rd, [...a.batchShape, rRows, n], A);
    record(R, 'LinalgQrBackward', [A], (g) => {
      const full = qr(A);
      return [qrBackward(A, full.Q, full.R, null, g)];
    });
    return { Q: fromHostLike([], [0], A), R };
  }
  const [Q, R] = multiOutput(
    'LinalgQrBackward', [A], a.batchShape,
    [{ shape: [m, qCols], data: qd }, { shape: [rRows, n], data: rd }],
    A,
    ([gQ, gR], [Qo, Ro]) => {
      if (qCols > k) {
        if (!allZero(narrowLast(gQ, k, qCols - k))) {
          throw new AutogradError(
            `qr: the last ${qCols - k} columns of Q from mode 'complete' with m > n (${m} x ${n}) are not unique and have no gradient; use mode 'reduced'`,
          );
        }
        return [qrBackward(A, narrowLast(Qo, 0, k), narrowLast(Ro, 0, k, true), narrowLast(gQ, 0, k), narrowLast(gR, 0, k, true))];
      }
      return [qrBackward(A, Qo, Ro, gQ, gR)];
    },
  );
  return { Q, R };
}

/** The result of `eigh`: A = V diag(eigenvalues) V^T. */
export interface EighResult {
  /** [..., n], ascending. */
  eigenvalues: Tensor;
  /** [..., n, n], orthonormal eigenvectors as columns (each with its largest-magnitude entry positive). */
  eigenvectors: Tensor;
}

/** 1 - I: the off-diagonal mask. */
function offDiagonal(n: number, like: Tensor): Tensor {
  const d = new Float64Array(n * n).fill(1);
  for (let i = 0; i < n; i++) d[i * n + i] = 0;
  return fromHostLike(d, [n, n], like);
}

/** F_ij = 1 / (x_j - x_i) off the diagonal, 0 on it. */
function gapInverse(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1];
  const gaps = sub(unsq(x, -2), unsq(x, -1));
  return div(offDiagonal(n, x), add(gaps, eyeLike(n, x)));
}

function eighBackward(w: Tensor, V: Tensor, gw: Tensor, gV: Tensor): Tensor {
  const Vt = tr(V);
  let inner = diagEmbed(gw);
  if (!allZero(gV)) {
    // V (diag(gw) + F ∘ skew(V^T gV)) V^T: the symmetric gradient (undefined for repeated eigenvalues)
    const vg = mm(Vt, gV);
    inner = add(inner, mul(gapInverse(w), scale(sub(vg, tr(vg)), 0.5)));
  }
  return mm(mm(V, inner), Vt);
}

function eighHostBatch(op: string, A: Tensor, upper: boolean): { w: Float64Array; v: Float64Array; batchShape: number[] } {
  const [n] = checkMatrix(op, A, 'A', true);
  const a = readBatch(A);
  checkFinite(op, a, 'A');
  const w = new Float64Array(a.count * n);
  const v = new Float64Array(a.count * n * n);
  for (let i = 0; i < a.count; i++) {
    const r = eighHost(matrixAt(a, i), n, upper);
    if (!r.converged) notConverged(op, a, i);
    w.set(r.w, i * n);
    v.set(r.v, i * n * n);
  }
  return { w, v, batchShape: a.batchShape };
}

function uploOf(op: string, UPLO: unknown): boolean {
  if (UPLO !== 'L' && UPLO !== 'U') throw new ValueError(`${op}: UPLO must be 'L' or 'U', got ${JSON.stringify(UPLO)}`);
  return UPLO === 'U';
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors (columns) of symmetric matrices [..., n, n], reading
 * the lower triangle (UPLO 'L', default) or the upper one; Householder tridiagonalization then implicit QL.
 * Differentiable; the gradient through the eigenvectors needs distinct eigenvalues.
 */
export function eigh(A: Tensor, opts: { UPLO?: 'L' | 'U' } = {}): EighResult {
  const upper = uploOf('eigh', opts.UPLO ?? 'L');
  const { w, v, batchShape } = eighHostBatch('eigh', A, upper);
  const n = A.shape[A.ndim - 1];
  const [eigenvalues, eigenvectors] = multiOutput(
    'LinalgEighBackward', [A], batchShape, [{ shape: [n], data: w }, { shape: [n, n], data: v }], A,
    ([gw, gV], [wo, Vo]) => [eighBackward(wo, Vo, gw, gV)],
  );
  return { eigenvalues, eigenvectors };
}

/** Eigenvalues (ascending) of symmetric matrices [..., n, n] (torch.linalg.eigvalsh); differentiable. */
export function eigvalsh(A: Tensor, opts: { UPLO?: 'L' | 'U' } = {}): Tensor {
  const upper = uploOf('eigvalsh', opts.UPLO ?? 'L');
  if (isGradEnabled() && A?.requiresGrad) return eigh(A, opts).eigenvalues;
  const { w, batchShape } = eighHostBatch('eigvalsh', A, upper);
  return fromHostLike(w, [...batchShape, A.shape[A.ndim - 1]], A);
}

/** The result of `svd`: A = U diag(S) Vh. */
export interface SVDResult {
  /** [..., m, k] (or [..., m, m] with fullMatrices), each column's largest-magnitude entry positive. */
  U: Tensor;
  /** [..., k] singular values, descending, k = min(m, n). */
  S: Tensor;
  /** [..., k, n] (or [..., n, n] with fullMatrices): V transposed, as torch.linalg.svd returns it. */
  Vh: Tensor;
}

/** The m x m matrix [u | an orthonormal basis of u's complement] for u with k orthonormal columns. */
function completeColumns(u: Float64Array, m: number, k: number): Float64Array {
  const q = qrFormQ(qrFactor(u, m, k), m, k, m);
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) out[i * m + j] = j < k ? u[i * k + j] : q[i * m + j];
  }
  return out;
}

function svdBackward(U: Tensor, S: Tensor, Vh: Tensor, gU: Tensor, gS: Tensor, gVh: Tensor): Tensor {
  const m = U.shape[U.ndim - 2];
  const n = Vh.shape[Vh.ndim - 1];
  const k = S.shape[S.ndim - 1];
  const uZero = allZero(gU);
  const vZero = allZero(gVh);
  // U diag(S̄ + J S + S K) Vh  (Townsend 2016), J, K the skew parts of U^T gU, V^T gV over the gaps s_j^2 - s_i^2
  if (uZero && vZero) return mm(mul(U, unsq(gS, -2)), Vh);
  let inner = diagEmbed(gS);
  const F = gapInverse(mul(S, S));
  const V = tr(Vh);
  const gV = tr(gVh);
  const sRow = unsq(S, -2);
  const utgu = uZero ? null : mm(tr(U), gU);
  const vtgv = vZero ? null : mm(tr(V), gV);
  if (utgu) inner = add(inner, mul(mul(F, sub(utgu, tr(utgu))), sRow));
  if (vtgv) inner = add(inner, mul(unsq(S, -1), mul(F, sub(vtgv, tr(vtgv)))));
  let gA = mm(mm(U, inner), Vh);
  // the parts of gU, gV outside span(U), span(V) (only for non-square A)
  if (utgu && m > k) gA = add(gA, mm(div(sub(gU, mm(U, utgu)), sRow), Vh));
  if (vtgv && n > k) gA = add(gA, mm(U, tr(div(sub(gV, mm(V, vtgv)), sRow))));
  return gA;
}

/**
 * Singular value decomposition A = U diag(S) Vh of [..., m, n] by one-sided Jacobi (after a Householder QR
 * when m > n), backward stable (errors of order n eps ||A||, ~1e-15 relative for small matrices); S
 * descending. Unlike torch.linalg.svd, `fullMatrices`
 * defaults to false (the thin SVD, what PCA and least squares want). Differentiable: S always, U and Vh
 * where the singular values are distinct (and nonzero for non-square A); with fullMatrices the extra columns
 * of U / rows of Vh are not unique and carry no gradient.
 */
export function svd(A: Tensor, opts: { fullMatrices?: boolean } = {}): SVDResult {
  const [m, n] = checkMatrix('svd', A, 'A');
  const full = opts.fullMatrices ?? false;
  const k = Math.min(m, n);
  const uc = full ? m : k;
  const vr = full ? n : k;
  const a = readBatch(A);
  checkFinite('svd', a, 'A');
  const ud = new Float64Array(a.count * m * uc);
  const sd = new Float64Array(a.count * k);
  const vd = new Float64Array(a.count * vr * n);
  for (let i = 0; i < a.count; i++) {
    const r = svdHost(matrixAt(a, i), m, n, true);
    if (!r.converged) notConverged('svd', a, i);
    ud.set(uc > k ? completeColumns(r.u, m, k) : r.u, i * m * uc);
    sd.set(r.s, i * k);
    vd.set(transposeHost(vr > k ? completeColumns(r.v, n, k) : r.v, n, vr), i * vr * n);
  }
  const [U, S, Vh] = multiOutput(
    'LinalgSvdBackward', [A], a.batchShape,
    [{ shape: [m, uc], data: ud }, { shape: [k], data: sd }, { shape: [vr, n], data: vd }], A,
    ([gU, gS, gVh], [Uo, So, Vho]) => {
      if ((uc > k && !allZero(narrowLast(gU, k, uc - k))) || (vr > k && !allZero(narrowLast(gVh, k, vr - k, true)))) {
        throw new AutogradError(
          `svd: with fullMatrices the last ${Math.abs(m - n)} singular vectors of a ${m} x ${n} matrix are not unique and have no gradient; use fullMatrices: false`,
        );
      }
      const cut = (t: Tensor, rows: boolean) => (rows ? (vr > k ? narrowLast(t, 0, k, true) : t) : uc > k ? narrowLast(t, 0, k) : t);
      return [svdBackward(cut(Uo, false), So, cut(Vho, true), cut(gU, false), gS, cut(gVh, true))];
    },
  );
  return { U, S, Vh };
}

/** Singular values [..., k] of [..., m, n], descending (torch.linalg.svdvals); differentiable (U diag(g) Vh). */
export function svdvals(A: Tensor): Tensor {
  const [m, n] = checkMatrix('svdvals', A, 'A');
  if (isGradEnabled() && A.requiresGrad) return svd(A).S;
  const a = readBatch(A);
  checkFinite('svdvals', a, 'A');
  const k = Math.min(m, n);
  const sd = new Float64Array(a.count * k);
  for (let i = 0; i < a.count; i++) {
    const r = svdValuesHost(matrixAt(a, i), m, n);
    if (!r.converged) notConverged('svdvals', a, i);
    sd.set(r.s, i * k);
  }
  return fromHostLike(sd, [...a.batchShape, k], A);
}
