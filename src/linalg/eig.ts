/**
 * Eigen-decomposition of general (non-symmetric) real matrices, after torch.linalg.eig / eigvals. shendu
 * has no complex dtype, so the complex results come as separate real and imaginary tensors.
 * @module
 */
import { isGradEnabled } from '../autograd/grad-mode.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFinite, checkMatrix, fromHostLike, matrixAt, multiOutput, notConverged, readBatch } from './common.js';
import { eigVjp, type EigGrads } from './host-eig-grad.js';
import { eigHost } from './host-eig.js';

/** The result of `eig`: A V = V diag(λ) with λ = eigenvaluesReal + i·eigenvaluesImag, V = eigenvectorsReal + i·eigenvectorsImag. */
export interface EigResult {
  /** Shape [..., n]: real parts of the eigenvalues. */
  eigenvaluesReal: Tensor;
  /** Shape [..., n]: imaginary parts (0 for real eigenvalues; a conjugate pair has +b first, then -b). */
  eigenvaluesImag: Tensor;
  /** Shape [..., n, n]: real parts of the eigenvectors, column j for eigenvalue j. */
  eigenvectorsReal: Tensor;
  /** Shape [..., n, n]: imaginary parts of the eigenvectors (0 for a real eigenvalue's vector). */
  eigenvectorsImag: Tensor;
}

/** The result of `eigvals`. */
export interface EigvalsResult {
  /** Shape [..., n]: real parts of the eigenvalues. */
  real: Tensor;
  /** Shape [..., n]: imaginary parts of the eigenvalues. */
  imag: Tensor;
}

/** Whether the call records gradients (then the eigenvectors are computed even for eigvals). */
function recording(A: Tensor): boolean {
  return A.requiresGrad && isGradEnabled();
}

/**
 * The outputs (eigenvalues' real and imaginary parts, then, for eig, the eigenvectors'), recorded as one
 * node so the vjp sees every upstream gradient at once: whether the loss depends on the eigenvectors' phases
 * shows only in their sum.
 */
function outputs(op: string, A: Tensor, d: ReturnType<typeof decompose>, withVectors: boolean): Tensor[] {
  const { n, a, wr, wi, vr, vi } = d;
  const parts = [{ shape: [n], data: wr }, { shape: [n], data: wi }];
  if (withVectors) parts.push({ shape: [n, n], data: vr }, { shape: [n, n], data: vi });
  if (!recording(A)) return parts.map((p) => fromHostLike(p.data, [...a.batchShape, ...p.shape], A));
  return multiOutput('LinalgEigBackward', [A], a.batchShape, parts, A, (gs) => {
    const [valuesRe, valuesIm, vectorsRe, vectorsIm] = gs.map((g) => g.toTypedArray());
    const grads: EigGrads = { valuesRe, valuesIm, vectorsRe: vectorsRe ?? null, vectorsIm: vectorsIm ?? null };
    return [fromHostLike(eigVjp(op, wr, wi, vr, vi, n, a.count, grads), A.shape, A)];
  });
}

function decompose(op: string, A: Tensor, vectors: boolean) {
  vectors ||= recording(A);
  const [n] = checkMatrix(op, A, 'A', true);
  const a = readBatch(A);
  checkFinite(op, a, 'A');
  const wr = new Float64Array(a.count * n);
  const wi = new Float64Array(a.count * n);
  const vr = new Float64Array(vectors ? a.count * n * n : 0);
  const vi = new Float64Array(vectors ? a.count * n * n : 0);
  for (let b = 0; b < a.count; b++) {
    const r = eigHost(matrixAt(a, b), n, vectors);
    if (r === null) notConverged(op, a, b);
    wr.set(r.wr, b * n);
    wi.set(r.wi, b * n);
    if (r.vr && r.vi) {
      vr.set(r.vr, b * n * n);
      vi.set(r.vi, b * n * n);
    }
  }
  return { a, n, wr, wi, vr, vi };
}

/**
 * Eigenvalues and eigenvectors of square real matrices [..., n, n] (torch.linalg.eig), as real and
 * imaginary parts: eigenvalues [..., n], eigenvectors [..., n, n] (column j belongs to eigenvalue j), with
 * A v = λ v. Complex eigenvalues come in conjugate pairs, +imaginary first, with conjugate vectors; the
 * order otherwise is that of the computed Schur form (like LAPACK's, not sorted — and not necessarily
 * LAPACK's own order). Each eigenvector has unit 2-norm and its largest component real and positive (LAPACK
 * normalizes to unit norm with the largest component real; eigenvectors are unique only up to such a
 * factor). Computed by Hessenberg reduction, Francis double-shift QR and inverse iteration, in float64.
 * Differentiable (PyTorch's formula for real A, computed on the host in complex arithmetic, so there is no
 * second derivative): the gradient is well-defined only for distinct eigenvalues and for losses that do not
 * depend on the eigenvectors' phases (e.g. of |v|); a phase-dependent loss makes backward throw an
 * AutogradError, as in PyTorch. A non-finite input throws a LinAlgError.
 */
export function eig(A: Tensor): EigResult {
  const [eigenvaluesReal, eigenvaluesImag, eigenvectorsReal, eigenvectorsImag] = outputs('eig', A, decompose('eig', A, true), true);
  return { eigenvaluesReal, eigenvaluesImag, eigenvectorsReal, eigenvectorsImag };
}

/**
 * Eigenvalues of square real matrices [..., n, n] (torch.linalg.eigvals) as `{real, imag}` [..., n], in
 * the order `eig` gives them. Differentiable as `eig`'s eigenvalues (the eigenvectors are then computed too).
 */
export function eigvals(A: Tensor): EigvalsResult {
  const [real, imag] = outputs('eigvals', A, decompose('eigvals', A, false), false);
  return { real, imag };
}
