/**
 * Fused convolution entries of the cpu backend, composed from its own im2col/col2im and GEMM kernels.
 * @module
 */
import type { Storage, View, Window2d } from '../types.js';
import { matmul } from './matmul.js';
import { reduce } from './reduce.js';
import { HostStorage, denseData, rowMajorStrides } from './storage.js';
import { col2im, im2col } from './window.js';

/** A row-major view of `data` with `shape`. */
function dense(storage: Storage, shape: number[]): View {
  return { storage, shape, strides: rowMajorStrides(shape), offset: 0 };
}

/** The weight [O, C, kh, kw] as a contiguous [O, C*kh*kw] matrix, broadcast over `n` images. */
function weightMatrix(weight: View, n: number): View {
  const [O, C, kh, kw] = weight.shape;
  const K = C * kh * kw;
  const w = new HostStorage(weight.storage.dtype, denseData(weight));
  return { storage: w, shape: [n, O, K], strides: [0, K, 1], offset: 0 };
}

/** See `Kernels.conv2d`. */
export function conv2d(x: View, weight: View, bias: View | null, win: Window2d): Storage {
  const N = x.shape[0];
  const [O, C, kh, kw] = weight.shape;
  const L = win.oh * win.ow;
  const cols = im2col(x, win, 0);
  const y = matmul(weightMatrix(weight, N), dense(cols, [N, C * kh * kw, L]), x.storage.dtype) as HostStorage;
  if (bias) {
    const b = denseData(bias);
    const o = y.data;
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < O; c++) {
        const base = (n * O + c) * L;
        for (let l = 0; l < L; l++) o[base + l] += b[c];
      }
    }
  }
  return y;
}

/** See `Kernels.conv2dBackwardInput`. */
export function conv2dBackwardInput(dy: View, weight: View, xShape: readonly number[], win: Window2d): Storage {
  const N = xShape[0];
  const [O, C, kh, kw] = weight.shape;
  const K = C * kh * kw;
  const L = win.oh * win.ow;
  const wm = weightMatrix(weight, N);
  const wT: View = { storage: wm.storage, shape: [N, K, O], strides: [0, 1, K], offset: 0 };
  const g: View = { storage: dy.storage, shape: [N, O, L], strides: [dy.strides[0], dy.strides[1], dy.strides[3]], offset: dy.offset };
  const gDense = isPlaneContiguous(dy) ? g : dense(new HostStorage(dy.storage.dtype, denseData(dy)), [N, O, L]);
  const cols = matmul(wT, gDense, dy.storage.dtype);
  return col2im(dense(cols, [N, K, L]), xShape, win);
}

/** See `Kernels.conv2dBackwardWeight`. */
export function conv2dBackwardWeight(x: View, dy: View, wShape: readonly number[], win: Window2d): Storage {
  const N = x.shape[0];
  const [O, C, kh, kw] = wShape;
  const K = C * kh * kw;
  const L = win.oh * win.ow;
  const cols = im2col(x, win, 0);
  const colsT: View = { storage: cols, shape: [N, L, K], strides: [K * L, 1, L], offset: 0 };
  const g = dense(new HostStorage(dy.storage.dtype, denseData(dy)), [N, O, L]);
  const perImage = matmul(g, colsT, x.storage.dtype);
  return reduce('sum', dense(perImage, [N, O, K]), [0], x.storage.dtype);
}

/** True when each [oh, ow] plane of an [N, O, oh, ow] view is row-major (so it reads as [N, O, oh*ow]). */
function isPlaneContiguous(v: View): boolean {
  return v.strides[3] === 1 && v.strides[2] === v.shape[3];
}
