/**
 * Batch normalization with batch statistics as one kernel each way (`Kernels.batchNormTrain` and its
 * gradient), the reference the wasm kernels (assembly/norm.ts) are checked against. Sums run in float64 over
 * each channel in image order; results are rounded once into the input's dtype. Also the leaky ReLU's gradient
 * (`Kernels.leakyReluBackward`), the other one-pass backward of a conv net's usual layers.
 * @module
 */
import type { Storage, View } from '../types.js';
import { HostStorage, denseData } from './storage.js';

type FloatArray = Float32Array | Float64Array;

function floatArray(dtype: string, n: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

/** [N, C, rest] sizes of an [N, C, ...] shape. */
function planes(shape: readonly number[]): [number, number, number] {
  let rest = 1;
  for (let d = 2; d < shape.length; d++) rest *= shape[d];
  return [shape[0], shape[1], rest];
}

/** See `Kernels.batchNormTrain`. */
export function batchNormTrain(x: View, weight: View | null, bias: View | null, eps: number): [Storage, Storage] {
  const dtype = x.storage.dtype;
  const [N, C, L] = planes(x.shape);
  const xs = denseData(x) as FloatArray;
  const w = weight && (denseData(weight) as FloatArray);
  const b = bias && (denseData(bias) as FloatArray);
  const y = floatArray(dtype, xs.length);
  const stats = floatArray(dtype, 2 * C);
  const count = N * L;
  for (let c = 0; c < C; c++) {
    let sum = 0;
    for (let n = 0; n < N; n++) {
      const base = (n * C + c) * L;
      for (let i = 0; i < L; i++) sum += xs[base + i];
    }
    stats[c] = sum / count;
    const mean = stats[c];
    let sq = 0;
    for (let n = 0; n < N; n++) {
      const base = (n * C + c) * L;
      for (let i = 0; i < L; i++) {
        const d = xs[base + i] - mean;
        sq += d * d;
      }
    }
    stats[C + c] = sq / count;
    const scale = (w ? w[c] : 1) / Math.sqrt(stats[C + c] + eps);
    const shift = b ? b[c] : 0;
    for (let n = 0; n < N; n++) {
      const base = (n * C + c) * L;
      for (let i = 0; i < L; i++) y[base + i] = (xs[base + i] - mean) * scale + shift;
    }
  }
  return [new HostStorage(dtype, y), new HostStorage(dtype, stats)];
}

/** See `Kernels.batchNormTrainBackward`. */
export function batchNormTrainBackward(x: View, dy: View, stats: View, weight: View | null, eps: number): [Storage, Storage] {
  const dtype = x.storage.dtype;
  const [N, C, L] = planes(x.shape);
  const xs = denseData(x) as FloatArray;
  const g = denseData(dy) as FloatArray;
  const st = denseData(stats) as FloatArray;
  const w = weight && (denseData(weight) as FloatArray);
  const dx = floatArray(dtype, xs.length);
  const dwb = floatArray(dtype, 2 * C);
  const count = N * L;
  for (let c = 0; c < C; c++) {
    const mean = st[c];
    const invstd = 1 / Math.sqrt(st[C + c] + eps);
    let sdy = 0;
    let sdyx = 0;
    for (let n = 0; n < N; n++) {
      const base = (n * C + c) * L;
      for (let i = 0; i < L; i++) {
        sdy += g[base + i];
        sdyx += g[base + i] * (xs[base + i] - mean);
      }
    }
    sdyx *= invstd;
    dwb[c] = sdyx;
    dwb[C + c] = sdy;
    // dx = w * invstd * (dy - mean(dy) - xhat * mean(dy * xhat)), as k1 * dy + k2 * (x - mean) + k3
    const k1 = (w ? w[c] : 1) * invstd;
    const k2 = -k1 * invstd * sdyx / count;
    const k3 = -k1 * sdy / count;
    for (let n = 0; n < N; n++) {
      const base = (n * C + c) * L;
      for (let i = 0; i < L; i++) dx[base + i] = k1 * g[base + i] + k2 * (xs[base + i] - mean) + k3;
    }
  }
  return [new HostStorage(dtype, dx), new HostStorage(dtype, dwb)];
}

/** See `Kernels.leakyReluBackward`. */
export function leakyReluBackward(x: View, grad: View, slope: number): Storage {
  const dtype = grad.storage.dtype;
  const xs = denseData(x);
  const g = denseData(grad) as FloatArray;
  const out = floatArray(dtype, g.length);
  // float32 multiplies by the slope rounded to float32, as PyTorch's float kernel (and the wasm one) does
  const s = dtype === 'float32' ? Math.fround(slope) : slope;
  for (let i = 0; i < g.length; i++) out[i] = xs[i] > 0 ? g[i] : s * g[i];
  return new HostStorage(dtype, out);
}
