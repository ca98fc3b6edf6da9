/**
 * Softmax over the last dim and its gradient as single kernels (`Kernels.softmaxLastDim`, `softmaxLastDimBackward`):
 * per row, in float64, the maximum, the shifted exponentials and their sum, the quotients — and backward
 * y (g - sum(g y)) — stored in the input's dtype.
 * @module
 */
import type { Storage, View } from '../types.js';
import { HostStorage, allocArray, denseData, sizeOf } from './storage.js';

/** Rows and row length of a [..., n] shape (one row for a 0-d shape). */
function rowsOf(shape: readonly number[]): [number, number] {
  const n = shape.length === 0 ? 1 : shape[shape.length - 1];
  return [n === 0 ? 0 : sizeOf(shape) / n, n];
}

/**
 * exp(x - m) / sum(exp(x - m)) along the last dim of a float `x`, m the row maximum, or 0 where that is infinite
 * or NaN (a row holding +inf or NaN gives NaN, a row of -inf gives 0 / 0 = NaN, as max, exp, sum and div do).
 */
export function softmaxLastDim(x: View): Storage {
  const dtype = x.storage.dtype;
  const xs = denseData(x);
  const out = allocArray(dtype, xs.length);
  const [rows, n] = rowsOf(x.shape);
  const e = new Float64Array(n); // one row's exponentials, unrounded
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let m = -Infinity;
    for (let i = 0; i < n; i++) m = xs[o + i] > m || xs[o + i] !== xs[o + i] ? xs[o + i] : m;
    const shift = Number.isFinite(m) ? m : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += e[i] = Math.exp(xs[o + i] - shift);
    for (let i = 0; i < n; i++) out[o + i] = e[i] / sum;
  }
  return new HostStorage(dtype, out);
}

/** The gradient of `softmaxLastDim` from its output `y` and the output gradient `grad`: y (grad - sum(grad y)) per row. */
export function softmaxLastDimBackward(y: View, grad: View): Storage {
  const dtype = grad.storage.dtype;
  const ys = denseData(y);
  const gs = denseData(grad);
  const out = allocArray(dtype, gs.length);
  const [rows, n] = rowsOf(y.shape);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let dot = 0;
    for (let i = 0; i < n; i++) dot += gs[o + i] * ys[o + i];
    for (let i = 0; i < n; i++) out[o + i] = ys[o + i] * (gs[o + i] - dot);
  }
  return new HostStorage(dtype, out);
}
