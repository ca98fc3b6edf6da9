/**
 * Fused float32 convolution (one group) on contiguous NCHW tensors: each image is unfolded into a per-thread
 * column buffer and multiplied by the weight there, so the unfolded columns never leave WebAssembly memory.
 * Each export handles `count` images so the TypeScript side can split a batch over threads. `work` is the
 * thread's region: the column buffer (C*kh*kw x oh*ow floats, rounded up to 64 bytes) then GEMM scratch.
 */

/** Where the GEMM scratch starts inside a thread's work region. */
@inline function scratchOf(work: usize, K: i32, L: i32): usize {
  return work + ((((<usize>K * L) << 2) + 63) & ~63);
}
import { sgemm } from './gemm';
import { col2im, im2col } from './window';

/** y[n] = weight [O, C*kh*kw] x im2col(x[n]) (+ bias [O] unless bias = 0) for each image; y is [N, O, oh*ow]. */
export function conv2dF32(
  x: usize, w: usize, bias: usize, y: usize, cols: usize, count: i32, C: i32, H: i32, W: i32, O: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const K = C * kh * kw;
  const L = oh * ow;
  const scratch = scratchOf(cols, K, L);
  for (let n = 0; n < count; n++) {
    im2col(x + ((<usize>n * C * H * W) << 2), cols, 1, C, H, W, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow, 0);
    const yn = y + ((<usize>n * O * L) << 2);
    sgemm(O, L, K, w, K, 1, cols, L, 1, yn, L, 0, scratch);
    if (bias != 0) {
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

/** dx[n] = col2im(weight^T x dy[n]) for each image; dx is [N, C, H, W]. */
export function conv2dBackwardInputF32(
  dy: usize, w: usize, dx: usize, cols: usize, count: i32, C: i32, H: i32, W: i32, O: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const K = C * kh * kw;
  const L = oh * ow;
  const scratch = scratchOf(cols, K, L);
  for (let n = 0; n < count; n++) {
    sgemm(K, L, O, w, 1, K, dy + ((<usize>n * O * L) << 2), L, 1, cols, L, 0, scratch);
    col2im(cols, dx + ((<usize>n * C * H * W) << 2), 1, C, H, W, kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow);
  }
}

/** dw += sum over the images of dy[n] [O, oh*ow] x im2col(x[n])^T; dw is [O, C*kh*kw]. */
export function conv2dBackwardWeightF32(
  x: usize, dy: usize, dw: usize, cols: usize, count: i32, C: i32, H: i32, W: i32, O: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dwl: i32, padTop: i32, padLeft: i32, oh: i32, ow: i32,
): void {
  const K = C * kh * kw;
  const L = oh * ow;
  const scratch = scratchOf(cols, K, L);
  for (let n = 0; n < count; n++) {
    im2col(x + ((<usize>n * C * H * W) << 2), cols, 1, C, H, W, kh, kw, sh, sw, dh, dwl, padTop, padLeft, oh, ow, 0);
    sgemm(O, K, L, dy + ((<usize>n * O * L) << 2), L, 1, cols, 1, L, dw, K, 1, scratch);
  }
}
