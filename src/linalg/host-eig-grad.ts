/**
 * The vector-Jacobian product of the general eigen-decomposition for real input, on host arrays in complex
 * arithmetic (PyTorch's linalg_eig_backward): gA = Re(V^-H (diag(gλ) + (V^H gV - V^H V Re(diag(V^H gV))) / Ē) V^H),
 * with Ē_ij = conj(λ_j - λ_i) off the diagonal. Complex numbers are (re, im) pairs of row-major arrays.
 * @module
 */
import { AutogradError } from '../errors.js';
import { complexSolve } from './host-eig.js';
import { EPS } from './host-factor.js';

/** The upstream gradients of one call; any may be null (no gradient for that output). */
export interface EigGrads {
  /** [count * n]: ∂L/∂Re λ. */
  valuesRe: ArrayLike<number> | null;
  /** [count * n]: ∂L/∂Im λ. */
  valuesIm: ArrayLike<number> | null;
  /** [count * n * n]: ∂L/∂Re V. */
  vectorsRe: ArrayLike<number> | null;
  /** [count * n * n]: ∂L/∂Im V. */
  vectorsIm: ArrayLike<number> | null;
}

/** X^H Y for complex n x n matrices. */
function hmul(xr: ArrayLike<number>, xi: ArrayLike<number>, yr: ArrayLike<number>, yi: ArrayLike<number>, n: number): [Float64Array, Float64Array] {
  const or = new Float64Array(n * n);
  const oi = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0;
      let si = 0;
      for (let k = 0; k < n; k++) {
        // conj(x[k][i]) y[k][j]
        const ar = xr[k * n + i];
        const ai = xi[k * n + i];
        sr += ar * yr[k * n + j] + ai * yi[k * n + j];
        si += ar * yi[k * n + j] - ai * yr[k * n + j];
      }
      or[i * n + j] = sr;
      oi[i * n + j] = si;
    }
  }
  return [or, oi];
}

/**
 * ∂L/∂A [count * n * n] for the eigenvalues (wr, wi) and unit eigenvectors (vr, vi) of real matrices.
 * Throws an AutogradError when the loss depends on the eigenvectors' phases (|Im diag(V^H gV)| > 1e-2), which
 * makes it ill-defined, as PyTorch does.
 */
export function eigVjp(op: string, wr: Float64Array, wi: Float64Array, vr: Float64Array, vi: Float64Array, n: number, count: number, g: EigGrads): Float64Array {
  const out = new Float64Array(count * n * n);
  const nn = n * n;
  for (let b = 0; b < count; b++) {
    const Vr = vr.subarray(b * nn, (b + 1) * nn);
    const Vi = vi.subarray(b * nn, (b + 1) * nn);
    const Gr = new Float64Array(nn);
    const Gi = new Float64Array(nn);
    if (g.vectorsRe || g.vectorsIm) {
      const gVr = Float64Array.from({ length: nn }, (_, k) => (g.vectorsRe ? g.vectorsRe[b * nn + k] : 0));
      const gVi = Float64Array.from({ length: nn }, (_, k) => (g.vectorsIm ? g.vectorsIm[b * nn + k] : 0));
      const [Hr, Hi] = hmul(Vr, Vi, gVr, gVi, n);
      const [Sr, Si] = hmul(Vr, Vi, Vr, Vi, n);
      for (let j = 0; j < n; j++) {
        // PyTorch's test (allclose to 0 with atol 1e-2): loose, as float32 rounding must pass it
        if (Math.abs(Hi[j * n + j]) > 1e-2) {
          throw new AutogradError(
            `${op}: the eigenvectors are defined only up to a phase e^{iφ}, and the loss depends on it (Im(v_${j}^H g_${j}) = ${Hi[j * n + j]}), so its gradient is ill-defined; use a loss of |v| or of the eigenvalues`,
          );
        }
      }
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (i === j) continue;
          const d = Hr[j * n + j];
          // (H - S diag(Re diag H)) / conj(λ_j - λ_i)
          const nr = Hr[i * n + j] - Sr[i * n + j] * d;
          const ni = Hi[i * n + j] - Si[i * n + j] * d;
          const er = wr[b * n + j] - wr[b * n + i];
          const ei = -(wi[b * n + j] - wi[b * n + i]);
          const ee = er * er + ei * ei;
          Gr[i * n + j] = (nr * er + ni * ei) / ee;
          Gi[i * n + j] = (ni * er - nr * ei) / ee;
        }
      }
    }
    for (let j = 0; j < n; j++) {
      Gr[j * n + j] = g.valuesRe ? g.valuesRe[b * n + j] : 0;
      Gi[j * n + j] = g.valuesIm ? g.valuesIm[b * n + j] : 0;
    }
    // gA = V^-H (G V^H): solve V^H X = G V^H
    const [Br, Bi] = hmulRight(Gr, Gi, Vr, Vi, n);
    const Vhr = new Float64Array(nn);
    const Vhi = new Float64Array(nn);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        Vhr[i * n + j] = Vr[j * n + i];
        Vhi[i * n + j] = -Vi[j * n + i];
      }
    }
    complexSolve(Vhr, Vhi, n, Br, Bi, EPS, n);
    out.set(Br, b * nn);
  }
  return out;
}

/** G V^H for complex n x n matrices. */
function hmulRight(gr: Float64Array, gi: Float64Array, vr: Float64Array, vi: Float64Array, n: number): [Float64Array, Float64Array] {
  const or = new Float64Array(n * n);
  const oi = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0;
      let si = 0;
      for (let k = 0; k < n; k++) {
        // g[i][k] conj(v[j][k])
        const br = vr[j * n + k];
        const bi = -vi[j * n + k];
        sr += gr[i * n + k] * br - gi[i * n + k] * bi;
        si += gr[i * n + k] * bi + gi[i * n + k] * br;
      }
      or[i * n + j] = sr;
      oi[i * n + j] = si;
    }
  }
  return [or, oi];
}
