/**
 * Fused float32 convolution (one group) on contiguous NCHW tensors: images are unfolded into a per-thread column
 * buffer and multiplied by the weight there, so the unfolded columns never leave WebAssembly memory. Each export
 * handles `count` images so the TypeScript side can split a batch over threads; `work` is the thread's region
 * (`convWorkBytes`).
 */
import { conv2dDirect, conv2dDirectWeight, directFits, directInputFits, directWeightFits, flipWeight } from './conv-direct';
import { sgemm, sgemmScratchBytes } from './gemm';
import { col2imRows, copyRun, im2colRows } from './window';

/**
 * A thread's work region: the unfolded columns of `group` images side by side (K x group*L floats), then a
 * staging matrix (group*L x O floats: the batched product's output, or the gathered output gradients), then the
 * GEMM scratch; each part starts on a 64-byte boundary. `convWorkBytes` gives the region's size.
 */
@inline function stageOf(work: usize, K: i32, NL: i32): usize {
  return work + ((((<usize>K * NL) << 2) + 63) & ~63);
}
@inline function scratchOf(work: usize, K: i32, NL: i32, O: i32): usize {
  return stageOf(work, K, NL) + ((((<usize>O * NL) << 2) + 63) & ~63);
}

/** Bytes of one thread's work region for a convolution kernel taking `group` images per product. */
export function convWorkBytes(K: i32, L: i32, O: i32, group: i32): i32 {
  const NL = group * L;
  return <i32>(scratchOf(0, K, NL, O)) + sgemmScratchBytes();
}

/** g images' [O, L] blocks at `images` ([g, O, L]) side by side into `side` ([O, g*L]). */
function sideBySide(images: usize, side: usize, O: i32, L: i32, g: i32): void {
  const NL = g * L;
  for (let o = 0; o < O; o++) {
    for (let j = 0; j < g; j++) copyRun(side + ((<usize>o * NL + <usize>j * L) << 2), images + ((<usize>(j * O + o) * L) << 2), L);
  }
}

/** The inverse of `sideBySide`: [O, g*L] at `side` back into g images' [O, L] blocks at `images`. */
function perImage(side: usize, images: usize, O: i32, L: i32, g: i32): void {
  const NL = g * L;
  for (let o = 0; o < O; o++) {
    for (let j = 0; j < g; j++) copyRun(images + ((<usize>(j * O + o) * L) << 2), side + ((<usize>o * NL + <usize>j * L) << 2), L);
  }
}

// Images go through the products `group` at a time: their unfolded columns side by side make one product of
// N = group*oh*ow columns in place of `group` narrow ones, so the weight is packed once per group, not per image,
// and the ragged last panel of 8 columns comes once per group (a 7x7 map is 49 columns: 6 full panels and one
// of 1). Each output element is still the same chain over the same k, so the bits do not depend on the group.

/** y[n] = weight [O, C*kh*kw] x im2col(x[n]) (+ bias [O] unless bias = 0) for each image; y is [N, O, oh*ow]. */
export function conv2dF32(
  x: usize, w: usize, bias: usize, y: usize, work: usize, count: i32, group: i32, C: i32, H: i32, W: i32, O: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const K = C * kh * kw;
  const L = oh * ow;
  const stage = stageOf(work, K, group * L);
  const scratch = scratchOf(work, K, group * L, O);
  // stride 1 straight from the padded image (the same bits); the padded image must fit one image's columns,
  // whatever the group, so the choice (here, and in the gradients below) depends on the layer alone, not on the
  // batch or the thread count
  const straight = directFits(C, O, kh, kw, sh, sw, dh, dw, oh, ow, K * L);
  for (let n0 = 0; n0 < count; n0 += group) {
    const g = min(group, count - n0);
    const NL = g * L;
    const y0 = y + ((<usize>n0 * O * L) << 2);
    if (straight) {
      for (let j = 0; j < g; j++) {
        conv2dDirect(x + ((<usize>(n0 + j) * C * H * W) << 2), w, y0 + ((<usize>j * O * L) << 2), work, C, H, W, O, kh, kw, padTop, padLeft, oh, ow);
      }
    } else {
      for (let j = 0; j < g; j++) {
        im2colRows(x + ((<usize>(n0 + j) * C * H * W) << 2), work + ((<usize>j * L) << 2), 1, C, H, W, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow, 0, NL);
      }
      if (g == 1) {
        sgemm(O, L, K, w, K, 1, work, L, 1, y0, L, 0, scratch);
      } else {
        // the product is [O, g*L]; image j's [O, L] block goes to y[n0 + j]
        sgemm(O, NL, K, w, K, 1, work, NL, 1, stage, NL, 0, scratch);
        perImage(stage, y0, O, L, g);
      }
    }
    if (bias != 0) {
      for (let j = 0; j < g; j++) {
        const yn = y0 + ((<usize>j * O * L) << 2);
        for (let o = 0; o < O; o++) {
          const row = yn + ((<usize>o * L) << 2);
          const b = load<f32>(bias + (<usize>o << 2));
          const bv = f32x4.splat(b);
          let l = 0;
          for (; l + 4 <= L; l += 4) v128.store(row + (<usize>l << 2), f32x4.add(v128.load(row + (<usize>l << 2)), bv));
          for (; l < L; l++) store<f32>(row + (<usize>l << 2), load<f32>(row + (<usize>l << 2)) + b);
        }
      }
    }
  }
}

/**
 * dx[n] = col2im(weight^T x dy[n]) for each image (stride 1 where `directInputFits`: the flipped weight over the
 * padded dy[n], assembly/conv-direct.ts); dx is [N, C, H, W].
 */
export function conv2dBackwardInputF32(
  dy: usize, w: usize, dx: usize, work: usize, count: i32, group: i32, C: i32, H: i32, W: i32, O: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const K = C * kh * kw;
  const L = oh * ow;
  const stage = stageOf(work, K, group * L);
  const scratch = scratchOf(work, K, group * L, O);
  if (directInputFits(C, H, W, O, kh, kw, sh, sw, dh, dw, padTop, padLeft, K * L, sgemmScratchBytes() >> 2)) {
    // stride 1: the flipped, transposed weight run directly over each zero-padded output gradient
    flipWeight(w, scratch, O, C, kh, kw);
    for (let n = 0; n < count; n++) {
      conv2dDirect(dy + ((<usize>n * O * L) << 2), scratch, dx + ((<usize>n * C * H * W) << 2), work, O, oh, ow, C, kh, kw, kh - 1 - padTop, kw - 1 - padLeft, H, W);
    }
    return;
  }
  for (let n0 = 0; n0 < count; n0 += group) {
    const g = min(group, count - n0);
    const NL = g * L;
    const dy0 = dy + ((<usize>n0 * O * L) << 2);
    if (g == 1) {
      sgemm(K, L, O, w, 1, K, dy0, L, 1, work, L, 0, scratch);
    } else {
      // the output gradients of the group side by side, [O, g*L], for one product
      sideBySide(dy0, stage, O, L, g);
      sgemm(K, NL, O, w, 1, K, stage, NL, 1, work, NL, 0, scratch);
    }
    for (let j = 0; j < g; j++) {
      col2imRows(work + ((<usize>j * L) << 2), dx + ((<usize>(n0 + j) * C * H * W) << 2), 1, C, H, W, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow, NL);
    }
  }
}

/**
 * dw = sum over the images of dy[n] [O, oh*ow] x im2col(x[n])^T; dw is [O, C*kh*kw], overwritten. A group's
 * images make one product over g*oh*ow positions (each element of dw: one chain per group, the first written, the
 * others added; a first layer that `directWeightFits`: one chain per image): the result depends on `group` and on
 * where the caller's chunks start, which the caller fixes from the batch alone.
 */
export function conv2dBackwardWeightF32(
  x: usize, dy: usize, dw: usize, work: usize, count: i32, group: i32, C: i32, H: i32, W: i32, O: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dwl: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const K = C * kh * kw;
  const L = oh * ow;
  const stage = stageOf(work, K, group * L);
  const scratch = scratchOf(work, K, group * L, O);
  if (directWeightFits(C, kh, kw, sh, sw, dh, dwl, oh, ow, K * L)) {
    // a first layer straight from the padded image, one chain per image (the first written, the others added)
    for (let n = 0; n < count; n++) {
      conv2dDirectWeight(x + ((<usize>n * C * H * W) << 2), dy + ((<usize>n * O * L) << 2), dw, work, n > 0, C, H, W, O, kh, kw, padTop, padLeft, oh, ow);
    }
    return;
  }
  for (let n0 = 0; n0 < count; n0 += group) {
    const g = min(group, count - n0);
    const NL = g * L;
    const dy0 = dy + ((<usize>n0 * O * L) << 2);
    for (let j = 0; j < g; j++) {
      im2colRows(x + ((<usize>(n0 + j) * C * H * W) << 2), work + ((<usize>j * L) << 2), 1, C, H, W, kh, kw, sh, sw, dh, dwl, padTop, padLeft, oh, ow, 0, NL);
    }
    if (g == 1) {
      sgemm(O, K, L, dy0, L, 1, work, 1, L, dw, K, n0 > 0 ? 1 : 0, scratch);
    } else {
      sideBySide(dy0, stage, O, L, g);
      sgemm(O, K, NL, stage, NL, 1, work, 1, NL, dw, K, n0 > 0 ? 1 : 0, scratch);
    }
  }
}

/** parts[0] += parts[1] + ... in order (`chunks` arrays of n floats, `stride` bytes apart): the chunk partials of a weight gradient. */
export function sumChunksF32(parts: usize, stride: i32, chunks: i32, n: i32): void {
  for (let c = 1; c < chunks; c++) {
    const src = parts + <usize>c * stride;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const q = parts + (<usize>i << 2);
      v128.store(q, f32x4.add(v128.load(q), v128.load(src + (<usize>i << 2))));
    }
    for (; i < n; i++) {
      const q = parts + (<usize>i << 2);
      store<f32>(q, load<f32>(q) + load<f32>(src + (<usize>i << 2)));
    }
  }
}
