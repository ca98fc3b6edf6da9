/**
 * Sliding-window kernels of the cpu backend: im2col (unfold) and its adjoint col2im (fold), the basis of
 * convolution and pooling.
 * @module
 */
import type { Storage, View, Window2d } from '../types.js';
import { HostStorage, allocArray, denseData } from './storage.js';

/** Unfolds windows of x [N, C, H, W] into [N, C*kh*kw, oh*ow]. */
export function im2col(x: View, win: Window2d, padValue: number): Storage {
  const [N, C, H, W] = x.shape;
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow } = win;
  const src = denseData(x);
  const L = oh * ow;
  const rows = C * kh * kw;
  const out = allocArray(x.storage.dtype, N * rows * L);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          let o = (n * rows + (c * kh + i) * kw + j) * L;
          for (let y = 0; y < oh; y++) {
            const iy = y * sh - padTop + i * dh;
            if (iy < 0 || iy >= H) {
              out.fill(padValue, o, o + ow);
              o += ow;
              continue;
            }
            const rowBase = plane + iy * W;
            let ix = -padLeft + j * dw;
            for (let xo = 0; xo < ow; xo++, ix += sw) out[o++] = ix >= 0 && ix < W ? src[rowBase + ix] : padValue;
          }
        }
      }
    }
  }
  return new HostStorage(x.storage.dtype, out);
}

/** Sums columns [N, C*kh*kw, oh*ow] back into shape [N, C, H, W]. */
export function col2im(cols: View, shape: readonly number[], win: Window2d): Storage {
  const [N, C, H, W] = shape;
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow } = win;
  const src = denseData(cols);
  const L = oh * ow;
  const rows = C * kh * kw;
  const out = allocArray(cols.storage.dtype, N * C * H * W);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          let o = (n * rows + (c * kh + i) * kw + j) * L;
          for (let y = 0; y < oh; y++) {
            const iy = y * sh - padTop + i * dh;
            if (iy < 0 || iy >= H) {
              o += ow;
              continue;
            }
            const rowBase = plane + iy * W;
            let ix = -padLeft + j * dw;
            for (let xo = 0; xo < ow; xo++, ix += sw, o++) if (ix >= 0 && ix < W) out[rowBase + ix] += src[o];
          }
        }
      }
    }
  }
  return new HostStorage(cols.storage.dtype, out);
}
