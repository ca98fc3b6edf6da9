/**
 * Direct float32 convolution with stride 1: each image is copied once into a zero-padded buffer and every output
 * row is computed straight from it, four output channels by eight columns at a time, eight accumulators, each
 * tap's two input vectors shared by the four channels: the GEMM micro-kernel's register shape and loads, without
 * unfolding the image and packing the columns, which for these products cost a third to half of the product
 * itself (LeNet-5's 1 -> 6 channels 5x5, K = 25; ResNet-20's 16 -> 16 3x3 at 32x32, K = 144, and its 32- and
 * 64-channel stages). Where the GEMM's reuse of packed operands pays (K beyond DIRECT_MAX_K) or an output row
 * would leave over a quarter of the vector lanes idle (a 10-wide map: 16 lanes for 10 columns), the GEMM path
 * stays.
 *
 * The forward bits are the GEMM path's: each output element is one chain of fused multiply-adds per k block of
 * the GEMM (KC taps, k = (c, ky, kx) in order), from zero, the weight first and the input second, each chain
 * added in order to the element, which starts at zero; a tap in the padding multiplies a zero as the unfolded
 * column's zero would.
 *
 * The weight gradient of a first layer (K up to FIRST_LAYER_MAX_K) is computed straight from the same padded
 * image too (`conv2dDirectWeight`): four output channels by two taps at a time over the output positions, one
 * four-lane chain per (channel, tap) and image, its lanes summed in a fixed order. Deeper layers' weight
 * gradients stay on the GEMM, which measured faster there.
 */
import { KC } from './gemm';
import { madd } from './simd';

/**
 * Largest K = C*kh*kw computed directly, forward. Measured on one thread against the GEMM path: 0.69x the time
 * at K = 144 (16 channels, 32x32), 0.84x at 288 (32, 16x16), 0.82x at 576 (64, 8x8); larger layers untried.
 */
const DIRECT_MAX_K: i32 = 576;
/**
 * Largest K of a first layer (LeNet-5's 25, a CIFAR net's 27): its weight gradient is computed directly (0.4x the
 * GEMM path's time at 25; 1.16x at 144), and its forward gains even with output channels left over one at a time.
 */
const FIRST_LAYER_MAX_K: i32 = 32;

/** Floats per row of the padded image: the output width plus the window, and slack for the last vectors' reads. */
@inline function paddedWidth(ow: i32, kw: i32): i32 {
  return ow + kw - 1 + 8;
}

/** Stride and dilation 1, more than one tap, and the padded image and a 32-float tile in `room` floats. */
function windowFits(C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, oh: i32, ow: i32, room: i32): bool {
  if (kh * kw < 2 || sh != 1 || sw != 1 || dh != 1 || dw != 1) return false;
  return <i64>C * (oh + kh - 1) * paddedWidth(ow, kw) + 32 <= <i64>room;
}

/**
 * Whether `conv2dF32` computes directly: a window `windowFits`, K up to DIRECT_MAX_K, output rows using at least
 * three quarters of the lanes of their blocks of eight, and the O output channels in blocks of four unless K is
 * a first layer's (up to FIRST_LAYER_MAX_K): channels left over run one at a time, which for 3 or 6 channels
 * at K = 144 or 400 measured 1.7-2x slower than the GEMM path (at K = 25, 6 channels still gain).
 */
export function directFits(C: i32, O: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, oh: i32, ow: i32, room: i32): bool {
  const K = C * kh * kw;
  if (K > DIRECT_MAX_K || ((ow + 7) & ~7) * 3 > ow * 4 || ((O & 3) != 0 && K > FIRST_LAYER_MAX_K)) return false;
  return windowFits(C, kh, kw, sh, sw, dh, dw, oh, ow, room);
}

/**
 * Whether `conv2dBackwardInputF32` computes directly: the input gradient of a stride-1 layer is the layer's
 * transposed, flipped weight (`flipWeight`) run over the output gradient padded by kh-1-padTop and kw-1-padLeft,
 * so it takes `directFits`' test with the roles swapped (O channels in, C out, an H x W map), padding within the
 * window, and the flipped weight's C*O*kh*kw floats within `scratch` floats.
 */
export function directInputFits(C: i32, H: i32, W: i32, O: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  padTop: i32, padLeft: i32, room: i32, scratch: i32): bool {
  if (padTop > kh - 1 || padLeft > kw - 1 || <i64>C * O * kh * kw > <i64>scratch) return false;
  return directFits(O, C, kh, kw, sh, sw, dh, dw, H, W, room);
}

/** wt [C, O, kh, kw] with wt[c, o, kh-1-ky, kw-1-kx] = w[o, c, ky, kx]. */
export function flipWeight(w: usize, wt: usize, O: i32, C: i32, kh: i32, kw: i32): void {
  const t = kh * kw;
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      const src = w + ((<usize>(o * C + c) * t) << 2);
      const dst = wt + ((<usize>(c * O + o) * t) << 2);
      for (let i = 0; i < t; i++) store<f32>(dst + (<usize>(t - 1 - i) << 2), load<f32>(src + (<usize>i << 2)));
    }
  }
}

/** Copies image `x` [C, H, W] into `p` [C, oh+kh-1, paddedWidth] with its padding (and the slack) zero. */
function padImage(x: usize, p: usize, C: i32, H: i32, W: i32, kh: i32, kw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32): void {
  const ph = oh + kh - 1;
  const pw = paddedWidth(ow, kw);
  memory.fill(p, 0, (<usize>C * ph * pw) << 2);
  const left = min(padLeft, pw);
  const run = max(0, min(W, pw - left));
  for (let c = 0; c < C; c++) {
    for (let r = 0; r < ph; r++) {
      const iy = r - padTop;
      if (iy < 0 || iy >= H || run == 0) continue;
      memory.copy(p + ((<usize>(c * ph + r) * pw + left) << 2), x + ((<usize>(c * H + iy) * W) << 2), <usize>run << 2);
    }
  }
}

/** Where tap k = (c, ky, kx) of output row `oy`, column x0 reads the padded image. */
@inline function tapAt(p: usize, k: i32, kh: i32, kw: i32, ph: i32, pw: i32, oy: i32, x0: i32): usize {
  const t = kh * kw;
  const c = k / t;
  const r = k - c * t;
  const ky = r / kw;
  return p + ((<usize>(c * ph + oy + ky) * pw + x0 + (r - ky * kw)) << 2);
}

/** y = y + v for the first `n` (1..8) floats of [v0, v1] at `dst` (via `tile` when n < 8). */
@inline function addOut(dst: usize, v0: v128, v1: v128, n: i32, tile: usize): void {
  if (n == 8) {
    v128.store(dst, f32x4.add(v128.load(dst), v0));
    v128.store(dst, f32x4.add(v128.load(dst, 16), v1), 16);
  } else {
    memory.copy(tile, dst, <usize>n << 2);
    v128.store(tile, f32x4.add(v128.load(tile), v0));
    v128.store(tile, f32x4.add(v128.load(tile, 16), v1), 16);
    memory.copy(dst, tile, <usize>n << 2);
  }
}

/**
 * Output channels o..o+3 of row `oy` (already zero): y[o+i, oy, :] += per k block, the chain over its taps of
 * w[o+i, k] * padded input.
 */
function rowOf4(p: usize, w: usize, y: usize, tile: usize, o: i32, oy: i32, C: i32, kh: i32, kw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  const K = C * kh * kw;
  const kb = <usize>K << 2;
  const lb = <usize>(oh * ow) << 2;
  const zero = f32x4.splat(0);
  for (let x0 = 0; x0 < ow; x0 += 8) {
    const n = min(8, ow - x0);
    const out = y + ((<usize>o * oh * ow + <usize>oy * ow + x0) << 2);
    for (let k0 = 0; k0 < K; k0 += KC) {
      const k1 = min(K, k0 + KC);
      let c00 = zero, c01 = zero, c10 = zero, c11 = zero;
      let c20 = zero, c21 = zero, c30 = zero, c31 = zero;
      let wp = w + ((<usize>o * K + k0) << 2);
      let ip = tapAt(p, k0, kh, kw, ph, pw, oy, x0);
      let kx = k0 % kw;
      let ky = (k0 / kw) % kh;
      for (let k = k0; k < k1; k++) {
        const b0 = v128.load(ip);
        const b1 = v128.load(ip, 16);
        let a = v128.load32_splat(wp);
        c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
        a = v128.load32_splat(wp + kb);
        c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
        a = v128.load32_splat(wp + 2 * kb);
        c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
        a = v128.load32_splat(wp + 3 * kb);
        c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
        wp += 4;
        ip += 4;
        // the next tap: along the window row, then the next row, then the next channel's plane
        if (++kx == kw) {
          kx = 0;
          ip += <usize>(pw - kw) << 2;
          if (++ky == kh) {
            ky = 0;
            ip += (<usize>(ph - kh) * pw) << 2;
          }
        }
      }
      addOut(out, c00, c01, n, tile);
      addOut(out + lb, c10, c11, n, tile);
      addOut(out + 2 * lb, c20, c21, n, tile);
      addOut(out + 3 * lb, c30, c31, n, tile);
    }
  }
}

/** Output channel o of row `oy` alone (the channels left over after blocks of four), as `rowOf4`. */
function rowOf1(p: usize, w: usize, y: usize, tile: usize, o: i32, oy: i32, C: i32, kh: i32, kw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  const K = C * kh * kw;
  const zero = f32x4.splat(0);
  for (let x0 = 0; x0 < ow; x0 += 8) {
    const n = min(8, ow - x0);
    const out = y + ((<usize>o * oh * ow + <usize>oy * ow + x0) << 2);
    for (let k0 = 0; k0 < K; k0 += KC) {
      const k1 = min(K, k0 + KC);
      let c0 = zero, c1 = zero;
      let wp = w + ((<usize>o * K + k0) << 2);
      let ip = tapAt(p, k0, kh, kw, ph, pw, oy, x0);
      let kx = k0 % kw;
      let ky = (k0 / kw) % kh;
      for (let k = k0; k < k1; k++) {
        const a = v128.load32_splat(wp);
        c0 = madd(a, v128.load(ip), c0);
        c1 = madd(a, v128.load(ip, 16), c1);
        wp += 4;
        ip += 4;
        if (++kx == kw) {
          kx = 0;
          ip += <usize>(pw - kw) << 2;
          if (++ky == kh) {
            ky = 0;
            ip += (<usize>(ph - kh) * pw) << 2;
          }
        }
      }
      addOut(out, c0, c1, n, tile);
    }
  }
}

/**
 * y [O, oh, ow] = weight [O, C*kh*kw] applied to image x [C, H, W] directly (no bias), for a window `directFits`
 * accepted; `buf` holds the padded image, then an 8-float tile.
 */
export function conv2dDirect(
  x: usize, w: usize, y: usize, buf: usize, C: i32, H: i32, W: i32, O: i32,
  kh: i32, kw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const ph = oh + kh - 1;
  const pw = paddedWidth(ow, kw);
  padImage(x, buf, C, H, W, kh, kw, padTop, padLeft, oh, ow);
  const tile = buf + ((((<usize>C * ph * pw) << 2) + 15) & ~15);
  memory.fill(y, 0, (<usize>O * oh * ow) << 2);
  for (let oy = 0; oy < oh; oy++) {
    let o = 0;
    for (; o + 4 <= O; o += 4) rowOf4(buf, w, y, tile, o, oy, C, kh, kw, ph, pw, oh, ow);
    for (; o < O; o++) rowOf1(buf, w, y, tile, o, oy, C, kh, kw, ph, pw, oh, ow);
  }
}

/**
 * Whether `conv2dBackwardWeightF32` computes directly: K up to FIRST_LAYER_MAX_K, a window `windowFits`,
 * output rows a whole number of vectors (no lane beyond a row, where the padded image may hold a real pixel),
 * and room for a zero row of the output gradient.
 */
export function directWeightFits(C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, oh: i32, ow: i32, room: i32): bool {
  return C * kh * kw <= FIRST_LAYER_MAX_K && (ow & 3) == 0 && windowFits(C, kh, kw, sh, sw, dh, dw, oh, ow, room - oh * ow);
}

/** (l0 + l1) + (l2 + l3) of v. */
@inline function lanes(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** dw[at] = s, or dw[at] += s. */
@inline function put(dw: usize, at: i32, s: f32, accumulate: bool): void {
  const q = dw + (<usize>at << 2);
  store<f32>(q, accumulate ? load<f32>(q) + s : s);
}

/**
 * dw [O, C*kh*kw] = (accumulate: +=) the weight gradient of image x [C, H, W] with output gradient dy [O, oh, ow],
 * for a window `directWeightFits` accepted; `buf` holds the padded image, then a zero row of oh*ow floats that
 * stands in for the channels past O in the last block of four.
 */
export function conv2dDirectWeight(
  x: usize, dy: usize, dw: usize, buf: usize, accumulate: bool, C: i32, H: i32, W: i32, O: i32,
  kh: i32, kw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const ph = oh + kh - 1;
  const pw = paddedWidth(ow, kw);
  const K = C * kh * kw;
  const L = oh * ow;
  padImage(x, buf, C, H, W, kh, kw, padTop, padLeft, oh, ow);
  const zeros = buf + ((((<usize>C * ph * pw) << 2) + 15) & ~15);
  memory.fill(zeros, 0, <usize>L << 2);
  const zero = f32x4.splat(0);
  for (let o = 0; o < O; o += 4) {
    const d0 = dy + ((<usize>o * L) << 2);
    const d1 = o + 1 < O ? d0 + ((<usize>L) << 2) : zeros;
    const d2 = o + 2 < O ? d0 + ((<usize>2 * L) << 2) : zeros;
    const d3 = o + 3 < O ? d0 + ((<usize>3 * L) << 2) : zeros;
    for (let c = 0; c < C; c++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx += 2) {
          // taps kx and kx+1 (when kw is odd, the last pair's second tap reads the row's slack and is dropped)
          let a00 = zero, a01 = zero, a10 = zero, a11 = zero;
          let a20 = zero, a21 = zero, a30 = zero, a31 = zero;
          for (let oy = 0; oy < oh; oy++) {
            const prow = p0Of(buf, c, ph, oy + ky, pw, kx);
            const row = (<usize>oy * ow) << 2;
            for (let x0 = 0; x0 < ow; x0 += 4) {
              const xo = <usize>x0 << 2;
              const p0 = v128.load(prow + xo);
              const p1 = v128.load(prow + xo, 4);
              let d = v128.load(d0 + row + xo);
              a00 = madd(d, p0, a00); a01 = madd(d, p1, a01);
              d = v128.load(d1 + row + xo);
              a10 = madd(d, p0, a10); a11 = madd(d, p1, a11);
              d = v128.load(d2 + row + xo);
              a20 = madd(d, p0, a20); a21 = madd(d, p1, a21);
              d = v128.load(d3 + row + xo);
              a30 = madd(d, p0, a30); a31 = madd(d, p1, a31);
            }
          }
          const k = (c * kh + ky) * kw + kx;
          const two = kx + 1 < kw;
          put(dw, o * K + k, lanes(a00), accumulate);
          if (two) put(dw, o * K + k + 1, lanes(a01), accumulate);
          if (o + 1 < O) {
            put(dw, (o + 1) * K + k, lanes(a10), accumulate);
            if (two) put(dw, (o + 1) * K + k + 1, lanes(a11), accumulate);
          }
          if (o + 2 < O) {
            put(dw, (o + 2) * K + k, lanes(a20), accumulate);
            if (two) put(dw, (o + 2) * K + k + 1, lanes(a21), accumulate);
          }
          if (o + 3 < O) {
            put(dw, (o + 3) * K + k, lanes(a30), accumulate);
            if (two) put(dw, (o + 3) * K + k + 1, lanes(a31), accumulate);
          }
        }
      }
    }
  }
}

/** Address of padded row r of channel c, from column kx. */
@inline function p0Of(buf: usize, c: i32, ph: i32, r: i32, pw: i32, kx: i32): usize {
  return buf + ((<usize>(c * ph + r) * pw + kx) << 2);
}
