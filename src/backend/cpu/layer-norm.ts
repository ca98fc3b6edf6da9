/**
 * Layer normalization over the trailing elements of each row as one kernel each way (`Kernels.layerNormRows` and
 * its gradient): per row, in float64, the mean, the biased variance and the normalized, scaled and shifted values
 * (the mean and 1 / sqrt(var + eps) kept in float64 for the backward pass);
 * backward, the input gradient per row and the weight and bias gradients summed over the rows in row order. Results
 * are rounded once into the input's dtype. The wasm backend runs these for float64 (and mixed dtypes) on its host
 * arrays; float32 has a SIMD kernel there (src/backend/wasm/layer-norm.ts).
 * @module
 */
import type { Storage, View } from '../types.js';
import { HostStorage, allocArray, denseData, sizeOf } from './storage.js';

/** See `Kernels.layerNormRows`. */
export function layerNormRows(x: View, n: number, weight: View | null, bias: View | null, eps: number): [Storage, Storage] {
  const dtype = x.storage.dtype;
  const xs = denseData(x);
  const w = weight ? denseData(weight) : null;
  const b = bias ? denseData(bias) : null;
  const total = sizeOf(x.shape);
  const rows = n === 0 ? 0 : total / n;
  const y = allocArray(dtype, total);
  const stats = new Float64Array(2 * rows);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += xs[o + i];
    const mean = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) sq += (xs[o + i] - mean) * (xs[o + i] - mean);
    const rstd = 1 / Math.sqrt(sq / n + eps);
    for (let i = 0; i < n; i++) {
      let v = (xs[o + i] - mean) * rstd;
      if (w) v *= w[i];
      if (b) v += b[i];
      y[o + i] = v;
    }
    stats[r] = mean;
    stats[rows + r] = rstd;
  }
  return [new HostStorage(dtype, y), new HostStorage('float64', stats)];
}

/** See `Kernels.layerNormRowsBackward`. */
export function layerNormRowsBackward(x: View, dy: View, stats: View, n: number, weight: View | null): [Storage, Storage] {
  const dtype = x.storage.dtype;
  const xs = denseData(x);
  const g = denseData(dy);
  const st = denseData(stats);
  const w = weight ? denseData(weight) : null;
  const total = sizeOf(x.shape);
  const rows = n === 0 ? 0 : total / n;
  const dx = allocArray(dtype, total);
  const dw = new Float64Array(n);
  const db = new Float64Array(n);
  const gw = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    const mean = st[r];
    const rstd = st[rows + r];
    let a = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const xhat = (xs[o + i] - mean) * rstd;
      gw[i] = w ? g[o + i] * w[i] : g[o + i];
      a += gw[i];
      c += gw[i] * xhat;
      dw[i] += g[o + i] * xhat;
      db[i] += g[o + i];
    }
    a /= n;
    c /= n;
    for (let i = 0; i < n; i++) dx[o + i] = rstd * (gw[i] - a - (xs[o + i] - mean) * rstd * c);
  }
  const dwb = allocArray(dtype, 2 * n);
  for (let i = 0; i < n; i++) {
    dwb[i] = dw[i];
    dwb[n + i] = db[i];
  }
  return [new HostStorage(dtype, dx), new HostStorage(dtype, dwb)];
}
