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

/** Max pooling with the flat index of each maximum; see `Kernels.maxPool2d`. */
export function maxPool2d(x: View, win: Window2d): [Storage, Storage] {
  const [N, C, H, W] = x.shape;
  const a = denseData(x);
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow } = win;
  const values = allocArray(x.storage.dtype, N * C * oh * ow);
  const indices = new Int32Array(N * C * oh * ow);
  let out = 0;
  for (let p = 0; p < N * C; p++) {
    const base = p * H * W;
    for (let oy = 0; oy < oh; oy++) {
      const hs = oy * sh - padTop;
      for (let ox = 0; ox < ow; ox++) {
        const ws = ox * sw - padLeft;
        let best = -Infinity;
        let at = -1;
        for (let i = 0; i < kh; i++) {
          const iy = hs + i * dh;
          if (iy < 0 || iy >= H) continue;
          for (let j = 0; j < kw; j++) {
            const ix = ws + j * dw;
            if (ix < 0 || ix >= W) continue;
            const pos = iy * W + ix;
            const v = a[base + pos];
            if (at < 0) at = pos;
            if (v > best || v !== v) {
              best = v;
              at = pos;
            }
          }
        }
        values[out] = best;
        indices[out++] = at;
      }
    }
  }
  return [new HostStorage(x.storage.dtype, values), new HostStorage('int32', indices)];
}

/** The gradient of max pooling; see `Kernels.maxPool2dBackward`. */
export function maxPool2dBackward(dy: View, indices: View, xShape: readonly number[]): Storage {
  const [N, C, H, W] = xShape;
  const L = dy.shape[2] * dy.shape[3];
  const d = denseData(dy);
  const at = denseData(indices);
  const out = allocArray(dy.storage.dtype, N * C * H * W);
  for (let p = 0, k = 0; p < N * C; p++) {
    const base = p * H * W;
    for (let l = 0; l < L; l++, k++) out[base + at[k]] += d[k];
  }
  return new HostStorage(dy.storage.dtype, out);
}
