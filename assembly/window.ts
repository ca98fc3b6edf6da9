/**
 * Sliding-window unfolding for convolution and pooling: im2col writes every window of a contiguous
 * [N, C, H, W] float32 input as columns [N, C*kh*kw, oh*ow]; col2im sums columns back (its adjoint).
 * Geometry arguments follow the TypeScript `Window2d`: kernel, stride, dilation, leading padding, output size.
 */

// For kernel column j, output columns ox read input column ox*sw + shift (shift = j*dw - padLeft); those inside
// the input form one run [runStart, runEnd).

/** First output column of the run (clamped to its end). */
@inline function runStart(shift: i32, sw: i32, end: i32): i32 {
  return min(shift >= 0 ? 0 : (-shift + sw - 1) / sw, end);
}

/** One past the last output column of the run (at most ow). */
@inline function runEnd(shift: i32, sw: i32, W: i32, ow: i32): i32 {
  return min(W - shift <= 0 ? 0 : (W - shift + sw - 1) / sw, ow);
}

/**
 * Copies `n` floats from `src` to `dst`. Short runs (a 10-wide feature map's rows) go four lanes at a time:
 * `memory.copy` costs a call into the engine each time, more than the copy itself below ~64 floats.
 */
@inline export function copyRun(dst: usize, src: usize, n: i32): void {
  if (n >= 64) {
    memory.copy(dst, src, <usize>n << 2);
    return;
  }
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(dst + (<usize>k << 2), v128.load(src + (<usize>k << 2)));
  for (; k < n; k++) store<f32>(dst + (<usize>k << 2), load<f32>(src + (<usize>k << 2)));
}

/** Unfolds `x` into `out`; positions outside the input read `padValue`. */
export function im2col(
  x: usize, out: usize, N: i32, C: i32, H: i32, W: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  padValue: f32,
): void {
  im2colRows(x, out, N, C, H, W, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow, padValue, oh * ow);
}

/**
 * `im2col` with the rows of the column matrix `ld` floats apart (ld >= oh*ow): the unfolded images of a batch
 * can sit side by side in one wider matrix, image j's columns at `out` + j*oh*ow floats with ld = images*oh*ow.
 */
export function im2colRows(
  x: usize, out: usize, N: i32, C: i32, H: i32, W: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
  padValue: f32, ld: i32,
): void {
  let dst = out;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = x + ((<usize>(n * C + c) * H * W) << 2);
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          // Output columns ox with 0 <= ox*sw - padLeft + j*dw < W form one run [lo, hi).
          const shift = j * dw - padLeft;
          const hi = runEnd(shift, sw, W, ow);
          const lo = runStart(shift, sw, hi);
          for (let oy = 0; oy < oh; oy++) {
            const iy = oy * sh - padTop + i * dh;
            const row = dst + ((<usize>oy * ow) << 2);
            if (iy < 0 || iy >= H) {
              for (let ox = 0; ox < ow; ox++) store<f32>(row + (<usize>ox << 2), padValue);
              continue;
            }
            for (let ox = 0; ox < lo; ox++) store<f32>(row + (<usize>ox << 2), padValue);
            const src = plane + ((<usize>iy * W + shift) << 2);
            if (sw == 1) {
              copyRun(row + (<usize>lo << 2), src + (<usize>lo << 2), hi - lo);
            } else {
              let ox = lo;
              if (sw == 2) {
                // four outputs from eight inputs (the even ones); ox + 4 < hi keeps the eighth read inside the run
                for (; ox + 4 < hi; ox += 4) {
                  const a = src + ((<usize>ox * 2) << 2);
                  v128.store(row + (<usize>ox << 2), v128.shuffle<i32>(v128.load(a), v128.load(a, 16), 0, 2, 4, 6));
                }
              }
              for (; ox < hi; ox++) store<f32>(row + (<usize>ox << 2), load<f32>(src + ((<usize>ox * sw) << 2)));
            }
            for (let ox = hi; ox < ow; ox++) store<f32>(row + (<usize>ox << 2), padValue);
          }
          dst += <usize>ld << 2;
        }
      }
    }
  }
}

/** Sums the columns `cols` [N, C*kh*kw, oh*ow] into `out` [N, C, H, W] (overwritten). */
export function col2im(
  cols: usize, out: usize, N: i32, C: i32, H: i32, W: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  col2imRows(cols, out, N, C, H, W, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow, oh * ow);
}

/** `col2im` reading column-matrix rows `ld` floats apart (see `im2colRows`). */
export function col2imRows(
  cols: usize, out: usize, N: i32, C: i32, H: i32, W: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32, ld: i32,
): void {
  memory.fill(out, 0, (<usize>N * C * H * W) << 2);
  let src = cols;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = out + ((<usize>(n * C + c) * H * W) << 2);
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const shift = j * dw - padLeft;
          const hi = runEnd(shift, sw, W, ow);
          const lo = runStart(shift, sw, hi);
          for (let oy = 0; oy < oh; oy++) {
            const iy = oy * sh - padTop + i * dh;
            if (iy < 0 || iy >= H) continue;
            const row = src + ((<usize>oy * ow) << 2);
            const dstRow = plane + ((<usize>iy * W + shift) << 2);
            if (sw == 1) {
              let ox = lo;
              for (; ox + 4 <= hi; ox += 4) {
                const q = dstRow + (<usize>ox << 2);
                v128.store(q, f32x4.add(v128.load(q), v128.load(row + (<usize>ox << 2))));
              }
              for (; ox < hi; ox++) {
                const q = dstRow + (<usize>ox << 2);
                store<f32>(q, load<f32>(q) + load<f32>(row + (<usize>ox << 2)));
              }
            } else {
              let ox = lo;
              if (sw == 2) {
                // four columns added into the even ones of eight outputs; the odd ones are stored back as they
                // were (a select, not + 0, which would turn -0 into +0). ox + 4 < hi keeps all eight inside the
                // run, so nothing outside this image is touched.
                const even = i32x4(-1, 0, -1, 0);
                const zero = f32x4.splat(0);
                for (; ox + 4 < hi; ox += 4) {
                  const q = dstRow + ((<usize>ox * 2) << 2);
                  const r = v128.load(row + (<usize>ox << 2));
                  const d0 = v128.load(q);
                  const d1 = v128.load(q, 16);
                  v128.store(q, v128.bitselect(f32x4.add(d0, v128.shuffle<i32>(r, zero, 0, 4, 1, 4)), d0, even));
                  v128.store(q, v128.bitselect(f32x4.add(d1, v128.shuffle<i32>(r, zero, 2, 4, 3, 4)), d1, even), 16);
                }
              }
              for (; ox < hi; ox++) {
                const q = dstRow + ((<usize>ox * sw) << 2);
                store<f32>(q, load<f32>(q) + load<f32>(row + (<usize>ox << 2)));
              }
            }
          }
          src += <usize>ld << 2;
        }
      }
    }
  }
}

/**
 * Max pooling of a contiguous [N, C, H, W] float32 input: each window's maximum into `values` and its flat
 * index (into H*W) into `indices` (int32), chosen as PyTorch does: taps outside the input are skipped, the
 * first maximum wins ties, and a NaN always takes over (so the last NaN of a window is kept).
 */
export function maxPool2d(
  x: usize, values: usize, indices: usize, planes: i32, H: i32, W: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  let out = 0;
  if (padTop == 0 && padLeft == 0 && (oh - 1) * sh + (kh - 1) * dh < H && (ow - 1) * sw + (kw - 1) * dw < W) {
    maxPoolInside(x, values, indices, planes, H, W, kh, kw, sh, sw, dh, dw, oh, ow);
    return;
  }
  for (let p = 0; p < planes; p++) {
    const plane = x + ((<usize>p * H * W) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const hs = oy * sh - padTop;
      for (let ox = 0; ox < ow; ox++) {
        const ws = ox * sw - padLeft;
        let best: f32 = -Infinity;
        let at = -1;
        for (let i = 0; i < kh; i++) {
          const iy = hs + i * dh;
          if (iy < 0 || iy >= H) continue;
          for (let j = 0; j < kw; j++) {
            const ix = ws + j * dw;
            if (ix < 0 || ix >= W) continue;
            const pos = iy * W + ix;
            const v = load<f32>(plane + (<usize>pos << 2));
            if (at < 0) at = pos;
            // branch-free: on real data the comparison is a coin toss the branch predictor keeps losing
            const take = v > best || v != v;
            best = select<f32>(v, best, take);
            at = select<i32>(pos, at, take);
          }
        }
        store<f32>(values + (<usize>out << 2), best);
        store<i32>(indices + (<usize>out << 2), at);
        out++;
      }
    }
  }
}

/** `maxPool2d` when every window lies inside the input (no padding): no range checks in the inner loops. */
function maxPoolInside(
  x: usize, values: usize, indices: usize, planes: i32, H: i32, W: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, oh: i32, ow: i32,
): void {
  let vp = values;
  let ip = indices;
  for (let p = 0; p < planes; p++) {
    const plane = x + ((<usize>p * H * W) << 2);
    for (let oy = 0; oy < oh; oy++) {
      const rowStart = oy * sh * W;
      let ox = 0;
      if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && dh == 1 && dw == 1) {
        // the common 2x2/2 pool, four windows at a time: even and odd lanes of two rows are the four taps
        for (; ox + 4 <= ow; ox += 4) {
          const first = rowStart + ox * 2;
          const q = plane + (<usize>first << 2);
          const q1 = q + (<usize>W << 2);
          const a0 = v128.load(q);
          const a1 = v128.load(q, 16);
          const b0 = v128.load(q1);
          const b1 = v128.load(q1, 16);
          const p00 = i32x4.add(i32x4.splat(first), i32x4(0, 2, 4, 6));
          let best = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
          let at = p00;
          let t = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
          let take = v128.or(f32x4.gt(t, best), f32x4.ne(t, t));
          best = v128.bitselect(t, best, take);
          at = v128.bitselect(i32x4.add(p00, i32x4.splat(1)), at, take);
          t = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
          take = v128.or(f32x4.gt(t, best), f32x4.ne(t, t));
          best = v128.bitselect(t, best, take);
          at = v128.bitselect(i32x4.add(p00, i32x4.splat(W)), at, take);
          t = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
          take = v128.or(f32x4.gt(t, best), f32x4.ne(t, t));
          best = v128.bitselect(t, best, take);
          at = v128.bitselect(i32x4.add(p00, i32x4.splat(W + 1)), at, take);
          v128.store(vp, best);
          v128.store(ip, at);
          vp += 16;
          ip += 16;
        }
      }
      for (; ox < ow; ox++) {
        const first = rowStart + ox * sw;
        let best = load<f32>(plane + (<usize>first << 2));
        let at = first;
        for (let i = 0; i < kh; i++) {
          const rowPos = first + i * dh * W;
          for (let j = 0; j < kw; j++) {
            const pos = rowPos + j * dw;
            const v = load<f32>(plane + (<usize>pos << 2));
            // a NaN takes over; `best != best` keeps an earlier NaN from being displaced by ordinary values
            const take = (v > best && best == best) || v != v;
            best = select<f32>(v, best, take);
            at = select<i32>(pos, at, take);
          }
        }
        store<f32>(vp, best);
        store<i32>(ip, at);
        vp += 4;
        ip += 4;
      }
    }
  }
}
