/**
 * Convolutions whose output has one position per image (oh * ow = 1: a DCGAN generator's first transposed
 * convolution from a 1x1 code, a discriminator's last layer), run with the batch as one GEMM dimension instead of
 * image by image. Per image those products are a matrix times a vector (forward, input gradient) or an outer
 * product (weight gradient), which the blocked GEMM runs at a small fraction of its speed: the weight gradient of
 * a 100 -> 64 7x7 transposed convolution from 1x1 took 18 ms for 64 images, its forward 12 ms.
 *
 * The forward and input-gradient products compute every element as the same chain of multiply-adds, in the same
 * order, as the per-image kernels, so their results are bit for bit theirs; the weight gradient sums over the
 * batch in one chain (in image order), on one thread whatever the thread count.
 * @module
 */
import { HostStorage, denseData } from '../cpu/storage.js';
import type { Storage, View, Window2d } from '../types.js';
import { windowArgs, type WasmRuntime } from './runtime.js';

/** The batched single-position convolution kernels over a loaded runtime; `operand` places a float32 input. */
export function wasmPointConv(rt: WasmRuntime, name: string, operand: (v: View) => number): {
  conv2d(x: View, weight: View, bias: View | null, win: Window2d): Storage;
  conv2dBackwardInput(dy: View, weight: View, xShape: readonly number[], win: Window2d): Storage;
  conv2dBackwardWeight(x: View, dy: View, wShape: readonly number[], win: Window2d): Storage;
} {
  /** The windows of all N images, [N, K] row-major in the arena (im2col with one output position). */
  function windows(x: View, win: Window2d): number {
    const [N, C, H, W] = x.shape;
    const xp = rt.putF32(denseData(x) as Float32Array);
    const cols = rt.alloc(N * C * win.kh * win.kw * 4);
    rt.exports.im2col(xp, cols, N, C, H, W, ...windowArgs(win), 0);
    return cols;
  }

  /** C (M x N) = A (M x K) x B (K x N), operands read through element strides. */
  function gemm(M: number, N: number, K: number, a: number, ars: number, acs: number, b: number, brs: number, bcs: number, c: number): void {
    const scratch = rt.alloc(rt.exports.sgemmScratchBytes());
    rt.exports.sgemmBatched(1, M, N, K, a, ars, acs, 0, b, brs, bcs, 0, c, N, 0, 0, scratch);
  }

  /** y [N, O] = windows [N, K] x weight^T, plus bias. */
  function conv2d(x: View, weight: View, bias: View | null, win: Window2d): Storage {
    const N = x.shape[0];
    const [O, C, kh, kw] = weight.shape;
    const K = C * kh * kw;
    rt.reset();
    const cols = windows(x, win);
    const wp = operand(weight);
    const yp = rt.alloc(N * O * 4);
    gemm(N, O, K, cols, K, 1, wp, 1, K, yp);
    const y = rt.takeF32(yp, N * O);
    if (bias) {
      const b = denseData(bias);
      for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) y[n * O + o] += b[o];
    }
    return new HostStorage('float32', y, name);
  }

  /** windows' gradient [N, K] = dy [N, O] x weight [O, K], folded back onto the input. */
  function conv2dBackwardInput(dy: View, weight: View, xShape: readonly number[], win: Window2d): Storage {
    const [N, C, H, W] = xShape;
    const [O, , kh, kw] = weight.shape;
    const K = C * kh * kw;
    rt.reset();
    const gp = rt.putF32(denseData(dy) as Float32Array);
    const wp = operand(weight);
    const cols = rt.alloc(N * K * 4);
    gemm(N, K, O, gp, O, 1, wp, K, 1, cols);
    const dxp = rt.alloc(N * C * H * W * 4);
    rt.exports.col2im(cols, dxp, N, C, H, W, ...windowArgs(win));
    return new HostStorage('float32', rt.takeF32(dxp, N * C * H * W), name);
  }

  /** dweight [O, K] = dy^T [O, N] x windows [N, K]. */
  function conv2dBackwardWeight(x: View, dy: View, wShape: readonly number[], win: Window2d): Storage {
    const N = x.shape[0];
    const [O, C, kh, kw] = wShape;
    const K = C * kh * kw;
    rt.reset();
    const cols = windows(x, win);
    const gp = rt.putF32(denseData(dy) as Float32Array);
    const dwp = rt.alloc(O * K * 4);
    gemm(O, K, N, gp, 1, O, cols, K, 1, dwp);
    return new HostStorage('float32', rt.takeF32(dwp, O * K), name);
  }

  return { conv2d, conv2dBackwardInput, conv2dBackwardWeight };
}
