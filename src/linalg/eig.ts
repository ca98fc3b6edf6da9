/**
 * Eigen-decomposition of general (non-symmetric) real matrices, after torch.linalg.eig / eigvals. shendu
 * has no complex dtype, so the complex results come as separate real and imaginary tensors.
 * @module
 */
import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import { AutogradError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFinite, checkMatrix, fromHostLike, matrixAt, notConverged, readBatch } from './common.js';
import { eigHost } from './host-eig.js';

/** The result of `eig`: A V = V diag(λ) with λ = eigenvaluesReal + i·eigenvaluesImag, V = eigenvectorsReal + i·eigenvectorsImag. */
export interface EigResult {
  /** [..., n]: real parts of the eigenvalues. */
  eigenvaluesReal: Tensor;
  /** [..., n]: imaginary parts (0 for real eigenvalues; a conjugate pair has +b first, then -b). */
  eigenvaluesImag: Tensor;
  /** [..., n, n]: real parts of the eigenvectors, column j for eigenvalue j. */
  eigenvectorsReal: Tensor;
  /** [..., n, n]: imaginary parts of the eigenvectors (0 for a real eigenvalue's vector). */
  eigenvectorsImag: Tensor;
}

/** The result of `eigvals`. */
export interface EigvalsResult {
  /** [..., n]: real parts of the eigenvalues. */
  real: Tensor;
  /** [..., n]: imaginary parts of the eigenvalues. */
  imag: Tensor;
}

/** Outputs of A that refuse backward: a gradient through them would silently be wrong (zero), not absent. */
function noGradient(op: string, A: Tensor, outs: Tensor[]): Tensor[] {
  if (!A.requiresGrad || !isGradEnabled()) return outs;
  return outs.map((t) => record(t, 'LinalgEigBackward', [A], () => {
    throw new AutogradError(`${op}: not differentiable in shendu (PyTorch differentiates it through complex tensors, which shendu does not have)`);
  }));
}

function decompose(op: string, A: Tensor, vectors: boolean) {
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
 * Not differentiable: backward through any result throws an AutogradError (PyTorch differentiates eig
 * through complex tensors, which shendu does not have). A non-finite input throws a LinAlgError.
 */
export function eig(A: Tensor): EigResult {
  const { a, n, wr, wi, vr, vi } = decompose('eig', A, true);
  const vs = [...a.batchShape, n];
  const ms = [...a.batchShape, n, n];
  const [eigenvaluesReal, eigenvaluesImag, eigenvectorsReal, eigenvectorsImag] = noGradient('eig', A, [
    fromHostLike(wr, vs, A), fromHostLike(wi, vs, A), fromHostLike(vr, ms, A), fromHostLike(vi, ms, A),
  ]);
  return { eigenvaluesReal, eigenvaluesImag, eigenvectorsReal, eigenvectorsImag };
}

/**
 * Eigenvalues of square real matrices [..., n, n] (torch.linalg.eigvals) as `{real, imag}` [..., n], in
 * the order `eig` gives them. Not differentiable: backward through them throws an AutogradError.
 */
export function eigvals(A: Tensor): EigvalsResult {
  const { a, n, wr, wi } = decompose('eigvals', A, false);
  const [real, imag] = noGradient('eigvals', A, [fromHostLike(wr, [...a.batchShape, n], A), fromHostLike(wi, [...a.batchShape, n], A)]);
  return { real, imag };
}
