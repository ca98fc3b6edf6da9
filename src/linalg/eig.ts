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
import { EPS } from './host-factor.js';
import { complexSolve, eigHost } from './host-eig.js';

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

/**
 * d L / dA for real A from the eigenvalues' gradients gλ = gRe + i·gIm (either may be null):
 * Re(V^-H diag(gλ) V^H) per matrix, PyTorch's formula restricted to real input. V is inverted on the host, so
 * the gradient is not itself differentiable; a defective A (singular V) gives infinities, as in PyTorch.
 */
function eigenvalueVjp(vr: Float64Array, vi: Float64Array, n: number, count: number, gRe: ArrayLike<number> | null, gIm: ArrayLike<number> | null): Float64Array {
  const out = new Float64Array(count * n * n);
  for (let b = 0; b < count; b++) {
    const Vr = vr.subarray(b * n * n, (b + 1) * n * n);
    const Vi = vi.subarray(b * n * n, (b + 1) * n * n);
    const Wr = new Float64Array(n * n);
    const Wi = new Float64Array(n * n);
    for (let i = 0; i < n; i++) Wr[i * n + i] = 1;
    complexSolve(Vr, Vi, n, Wr, Wi, EPS, n);
    for (let j = 0; j < n; j++) {
      const gr = gRe ? gRe[b * n + j] : 0;
      const gi = gIm ? gIm[b * n + j] : 0;
      if (gr === 0 && gi === 0) continue;
      for (let r = 0; r < n; r++) {
        // p = conj(W[j][r]) g_j
        const pr = Wr[j * n + r] * gr + Wi[j * n + r] * gi;
        const pi = Wr[j * n + r] * gi - Wi[j * n + r] * gr;
        for (let c = 0; c < n; c++) out[b * n * n + r * n + c] += pr * Vr[c * n + j] + pi * Vi[c * n + j];
      }
    }
  }
  return out;
}

/** Whether the call records gradients (then the eigenvectors are computed even for eigvals). */
function recording(A: Tensor): boolean {
  return A.requiresGrad && isGradEnabled();
}

/** Records the eigenvalues' gradient; the eigenvectors' backward (if given) throws. */
function withGradients(op: string, A: Tensor, d: ReturnType<typeof decompose>, values: [Tensor, Tensor], vectors: Tensor[]): Tensor[] {
  if (!recording(A)) return [...values, ...vectors];
  const { n, a, vr, vi } = d;
  const shape = A.shape;
  const re = record(values[0], 'LinalgEigBackward', [A], (g) => [fromHostLike(eigenvalueVjp(vr, vi, n, a.count, g.toTypedArray(), null), shape, A)]);
  const im = record(values[1], 'LinalgEigBackward', [A], (g) => [fromHostLike(eigenvalueVjp(vr, vi, n, a.count, null, g.toTypedArray()), shape, A)]);
  const vecs = vectors.map((t) => record(t, 'LinalgEigBackward', [A], () => {
    throw new AutogradError(`${op}: the eigenvectors are not differentiable in shendu (only the eigenvalues are)`);
  }));
  return [re, im, ...vecs];
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
 * The eigenvalues are differentiable (PyTorch's Re(V^-H diag(gλ) V^H) for real A, computed on the host:
 * no second derivative); backward through the eigenvectors throws an AutogradError (PyTorch differentiates
 * them through complex tensors and a gauge condition, which shendu does not reproduce). A non-finite input
 * throws a LinAlgError.
 */
export function eig(A: Tensor): EigResult {
  const d = decompose('eig', A, true);
  const { a, n, wr, wi, vr, vi } = d;
  const vs = [...a.batchShape, n];
  const ms = [...a.batchShape, n, n];
  const [eigenvaluesReal, eigenvaluesImag, eigenvectorsReal, eigenvectorsImag] = withGradients('eig', A, d,
    [fromHostLike(wr, vs, A), fromHostLike(wi, vs, A)], [fromHostLike(vr, ms, A), fromHostLike(vi, ms, A)]);
  return { eigenvaluesReal, eigenvaluesImag, eigenvectorsReal, eigenvectorsImag };
}

/**
 * Eigenvalues of square real matrices [..., n, n] (torch.linalg.eigvals) as `{real, imag}` [..., n], in
 * the order `eig` gives them. Differentiable as `eig`'s eigenvalues (the eigenvectors are then computed too).
 */
export function eigvals(A: Tensor): EigvalsResult {
  const d = decompose('eigvals', A, false);
  const { a, n, wr, wi } = d;
  const [real, imag] = withGradients('eigvals', A, d, [fromHostLike(wr, [...a.batchShape, n], A), fromHostLike(wi, [...a.batchShape, n], A)], []);
  return { real, imag };
}
