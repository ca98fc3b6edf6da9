/**
 * Binary cross-entropy on probabilities as one pass each way (`Kernels.binaryCrossEntropy` and its gradient):
 * each element goes through the same operations, in the same order and rounded to the dtype at each step, as the
 * elementwise kernels that computed the formula op by op, so the results are theirs bit for bit:
 *   loss = (y - 1) * clamp(log(1 - x), -100) - y * clamp(log(x), -100)
 *   dx   = (g * (x - y)) / max(x * (1 - x), eps)
 * @module
 */
import type { Storage, View } from '../types.js';
import { HostStorage, allocArray, denseData, sizeOf } from './storage.js';

const same = (v: number): number => v;

/** log(v) clamped below at -100 as the clamp kernel does (NaN stays NaN), rounded by `r`. */
function clampedLog(v: number, r: (v: number) => number): number {
  const l = r(Math.log(v));
  return l < -100 ? -100 : l;
}

/** See `Kernels.binaryCrossEntropy`. */
export function binaryCrossEntropy(x: View, y: View): [Storage, number, number] {
  const dtype = x.storage.dtype;
  const r = dtype === 'float32' ? Math.fround : same;
  const xs = denseData(x);
  const ys = denseData(y);
  const n = sizeOf(x.shape);
  const out = allocArray(dtype, n);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = xs[i];
    // Math.min/max propagate NaN
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    const a = r(r(ys[i] - 1) * clampedLog(r(1 - v), r));
    out[i] = a - r(ys[i] * clampedLog(v, r));
  }
  return [new HostStorage(dtype, out), lo, hi];
}

/** See `Kernels.binaryCrossEntropyBackward`. */
export function binaryCrossEntropyBackward(g: View, x: View, y: View, eps: number): Storage {
  const dtype = x.storage.dtype;
  const r = dtype === 'float32' ? Math.fround : same;
  const xs = denseData(x);
  const ys = denseData(y);
  const n = sizeOf(x.shape);
  const gs = denseData(g);
  const out = allocArray(dtype, n);
  for (let i = 0; i < n; i++) {
    const num = r(gs[i] * r(xs[i] - ys[i]));
    out[i] = num / Math.max(r(xs[i] * r(1 - xs[i])), eps);
  }
  return new HostStorage(dtype, out);
}
