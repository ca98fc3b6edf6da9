/**
 * Fused optimizer updates: one pass over a parameter, its gradient and its state, in place, instead of a
 * temporary tensor per arithmetic step. The arithmetic and its order are those of the op-by-op updates in
 * src/optim, carried out in float64 and stored in the parameter's dtype.
 * @module
 */
import type { AdamUpdate, SgdUpdate, TypedArray, View } from '../types.js';
import { arrayOf } from './storage.js';

/** Adam (and AMSGrad with `vmax`) in place; see `Kernels.adamUpdate`. */
export function adamUpdate(param: View, grad: View, m: View, v: View, vmax: View | null, h: AdamUpdate): void {
  const P = arrayOf(param);
  const G = arrayOf(grad);
  const Mv = arrayOf(m);
  const V = arrayOf(v);
  const X: TypedArray | null = vmax ? arrayOf(vmax) : null;
  const [po, go, mo, vo, xo] = [param.offset, grad.offset, m.offset, v.offset, vmax ? vmax.offset : 0];
  const n = param.shape.reduce((a, b) => a * b, 1);
  const { beta1, beta2, stepSize, bc2Sqrt, eps, weightDecay } = h;
  const sign = h.maximize ? -1 : 1;
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  if (!X && weightDecay === 0 && !h.maximize) {
    // the common case without per-element branches (V8 does not hoist them out of the loop)
    for (let i = 0; i < n; i++) {
      const g = G[go + i];
      Mv[mo + i] = Mv[mo + i] * beta1 + a1 * g;
      V[vo + i] = V[vo + i] * beta2 + a2 * (g * g);
      P[po + i] -= stepSize * (Mv[mo + i] / (Math.sqrt(V[vo + i]) / bc2Sqrt + eps));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let g = sign * G[go + i];
    if (weightDecay !== 0) g += weightDecay * P[po + i];
    const mi = Mv[mo + i] * beta1 + a1 * g;
    const vi = V[vo + i] * beta2 + a2 * (g * g);
    Mv[mo + i] = mi;
    V[vo + i] = vi;
    let vh = V[vo + i];
    if (X) {
      const prev = X[xo + i];
      vh = prev > vh || prev !== prev ? prev : vh;
      X[xo + i] = vh;
    }
    P[po + i] -= stepSize * (Mv[mo + i] / (Math.sqrt(vh) / bc2Sqrt + eps));
  }
}

/** SGD (momentum, dampening, Nesterov, L2) in place; see `Kernels.sgdUpdate`. */
export function sgdUpdate(param: View, grad: View, buf: View | null, h: SgdUpdate): void {
  const P = arrayOf(param);
  const G = arrayOf(grad);
  const B: TypedArray | null = buf ? arrayOf(buf) : null;
  const [po, go, bo] = [param.offset, grad.offset, buf ? buf.offset : 0];
  const n = param.shape.reduce((a, b) => a * b, 1);
  const { lr, momentum, dampening, weightDecay, nesterov, first } = h;
  const sign = h.maximize ? -1 : 1;
  const keep = 1 - dampening;
  if (B && !first && !nesterov && weightDecay === 0 && !h.maximize) {
    // the common case without per-element branches (V8 does not hoist them out of the loop)
    for (let i = 0; i < n; i++) {
      B[bo + i] = B[bo + i] * momentum + keep * G[go + i];
      P[po + i] -= lr * B[bo + i];
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let d = sign * G[go + i];
    if (weightDecay !== 0) d += weightDecay * P[po + i];
    if (B) {
      const b = first ? d : B[bo + i] * momentum + keep * d;
      B[bo + i] = b;
      d = nesterov ? d + momentum * B[bo + i] : B[bo + i];
    }
    P[po + i] -= lr * d;
  }
}
