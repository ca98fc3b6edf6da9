/**
 * The `wasm` backend's window kernels in float32: im2col/col2im, max pooling, and the fused convolution with its
 * two backward passes (assembly/window.ts, assembly/conv.ts), split over images (or planes) on the thread pool.
 * Other dtypes run the cpu kernels. A convolution's weight and bias are read where they are when resident
 * (resident.ts), through the table's `operand`.
 * @module
 */
import { cpuBackend } from '../cpu/index.js';
import { HostStorage, denseData } from '../cpu/storage.js';
import type { Storage, View, Window2d } from '../types.js';
import { windowArgs, type WasmRuntime } from './runtime.js';
import type { ThreadPool } from './threads.js';
import { wasmPointConv } from './conv-point.js';

/** Below this many elements a window kernel runs on one thread. */
const PARALLEL_WINDOW_ELEMENTS = 1 << 16;
/** A convolution's products take images side by side until they are about this many columns wide (see groupFor). */
const GROUP_COLUMNS = 256;

function align64(n: number): number {
  return (n + 63) & ~63;
}

/** The window kernels of the wasm backend over a loaded runtime and its pool; `operand` places a float32 input. */
export function wasmWindowKernels(rt: WasmRuntime, pool: ThreadPool, name: string, operand: (v: View) => number): {
  im2col(x: View, win: Window2d, padValue: number): Storage;
  col2im(cols: View, shape: readonly number[], win: Window2d): Storage;
  maxPool2d(x: View, win: Window2d): [Storage, Storage];
  conv2d(x: View, weight: View, bias: View | null, win: Window2d): Storage;
  conv2dBackwardInput(dy: View, weight: View, xShape: readonly number[], win: Window2d): Storage;
  conv2dBackwardWeight(x: View, dy: View, wShape: readonly number[], win: Window2d): Storage;
} {
  const relabel = (s: Storage): Storage => new HostStorage(s.dtype, (s as HostStorage).data, name);
  const isF32 = (v: View) => v.storage.dtype === 'float32';
  // one output position per image: the batch as a GEMM dimension (conv-point.ts)
  const point = wasmPointConv(rt, name, operand);
  const pointwise = (win: Window2d, N: number) => win.oh * win.ow === 1 && N > 1;

  function im2col(x: View, win: Window2d, padValue: number): Storage {
    if (!isF32(x)) return relabel(cpuBackend.im2col(x, win, padValue));
    const [N, C, H, W] = x.shape;
    const rows = C * win.kh * win.kw;
    const L = win.oh * win.ow;
    const total = N * rows * L;
    if (total === 0) return new HostStorage('float32', new Float32Array(0), name);
    rt.reset();
    const xp = rt.putF32(denseData(x) as Float32Array);
    const op = rt.alloc(total * 4);
    const base = [xp, op, N, C, H, W, ...windowArgs(win), padValue];
    const step = base.map(() => 0);
    const job = pool.chunked('im2col', base, step, N, 2, [], total >= PARALLEL_WINDOW_ELEMENTS, 4);
    [step[0], step[1]] = [job.per * C * H * W * 4, job.per * rows * L * 4];
    pool.run(job);
    return new HostStorage('float32', rt.takeF32(op, total), name);
  }

  function col2im(cols: View, shape: readonly number[], win: Window2d): Storage {
    if (!isF32(cols)) return relabel(cpuBackend.col2im(cols, shape, win));
    const [N, C, H, W] = shape;
    const rows = C * win.kh * win.kw;
    const L = win.oh * win.ow;
    const total = N * C * H * W;
    if (total === 0) return new HostStorage('float32', new Float32Array(0), name);
    rt.reset();
    const cp = rt.putF32(denseData(cols) as Float32Array);
    const op = rt.alloc(total * 4);
    const base = [cp, op, N, C, H, W, ...windowArgs(win)];
    const step = base.map(() => 0);
    const job = pool.chunked('col2im', base, step, N, 2, [], N * rows * L >= PARALLEL_WINDOW_ELEMENTS, 4);
    [step[0], step[1]] = [job.per * rows * L * 4, job.per * C * H * W * 4];
    pool.run(job);
    return new HostStorage('float32', rt.takeF32(op, total), name);
  }

  /**
   * Runs one fused-convolution kernel over the batch in chunks of images; `lead` are its leading arguments
   * (pointers for image 0, stepping by `leadStep` bytes per image, or by `chunkStep` bytes per chunk), then each
   * thread's work region, the image count, the images per product (`group`), `dims` and the window. `per` fixes
   * the images per chunk (default: a share of the batch per thread).
   */
  function convJobs(fn: 'conv2dF32' | 'conv2dBackwardInputF32' | 'conv2dBackwardWeightF32', N: number, K: number, L: number,
    lead: number[], leadStep: number[], dims: number[], win: Window2d, group: number, per?: number, chunkStep?: number[]): void {
    const threads = pool.size;
    // the chunks first (the pool's split, or `per`): a group never spans two of them
    const base = [...lead, 0, N, 0, ...dims, ...windowArgs(win)];
    const job = pool.chunked(fn, base, base.map(() => 0), N, lead.length + 1, [], threads > 1 && N * K * L >= PARALLEL_WINDOW_ELEMENTS, 8);
    if (per !== undefined) job.per = per;
    const g = Math.max(1, Math.min(group, job.per));
    const workStride = align64(rt.exports.convWorkBytes(K, L, dims[3], g));
    const work = rt.alloc(workStride * threads);
    base[lead.length + 2] = g;
    job.threadArgs = [[lead.length, work, workStride]];
    leadStep.forEach((s, k) => (job.step[k] = s * job.per + (chunkStep?.[k] ?? 0)));
    pool.run(job);
  }

  /**
   * Images per product for an output map of L positions: enough side by side for a product about GROUP_COLUMNS
   * wide (a 7x7 map: 6 images, 294 columns), one image from that width on.
   */
  function groupFor(L: number): number {
    return Math.max(1, Math.ceil(GROUP_COLUMNS / L));
  }

  function conv2d(x: View, weight: View, bias: View | null, win: Window2d): Storage {
    if (!isF32(x) || !isF32(weight) || (bias && !isF32(bias))) return relabel(cpuBackend.conv2d(x, weight, bias, win));
    const [N, C, H, W] = x.shape;
    if (pointwise(win, N)) return point.conv2d(x, weight, bias, win);
    const [O, , kh, kw] = weight.shape;
    const K = C * kh * kw;
    const L = win.oh * win.ow;
    rt.reset();
    const xp = rt.putF32(denseData(x) as Float32Array);
    const wp = operand(weight);
    const bp = bias ? operand(bias) : 0;
    const yp = rt.alloc(N * O * L * 4);
    convJobs('conv2dF32', N, K, L, [xp, wp, bp, yp], [C * H * W * 4, 0, 0, O * L * 4], [C, H, W, O], win, groupFor(L));
    return new HostStorage('float32', rt.takeF32(yp, N * O * L), name);
  }

  function conv2dBackwardInput(dy: View, weight: View, xShape: readonly number[], win: Window2d): Storage {
    if (!isF32(dy) || !isF32(weight)) return relabel(cpuBackend.conv2dBackwardInput(dy, weight, xShape, win));
    const [N, C, H, W] = xShape;
    if (pointwise(win, N)) return point.conv2dBackwardInput(dy, weight, xShape, win);
    const [O, , kh, kw] = weight.shape;
    const K = C * kh * kw;
    const L = win.oh * win.ow;
    rt.reset();
    const gp = rt.putF32(denseData(dy) as Float32Array);
    const wp = operand(weight);
    const dxp = rt.alloc(N * C * H * W * 4);
    convJobs('conv2dBackwardInputF32', N, K, L, [gp, wp, dxp], [O * L * 4, 0, C * H * W * 4], [C, H, W, O], win, groupFor(L));
    return new HostStorage('float32', rt.takeF32(dxp, N * C * H * W), name);
  }

  function conv2dBackwardWeight(x: View, dy: View, wShape: readonly number[], win: Window2d): Storage {
    if (!isF32(x) || !isF32(dy)) return relabel(cpuBackend.conv2dBackwardWeight(x, dy, wShape, win));
    const [N, C, H, W] = x.shape;
    if (pointwise(win, N)) return point.conv2dBackwardWeight(x, dy, wShape, win);
    const [O, , kh, kw] = wShape;
    const K = C * kh * kw;
    const L = win.oh * win.ow;
    rt.reset();
    const xp = rt.putF32(denseData(x) as Float32Array);
    const gp = rt.putF32(denseData(dy) as Float32Array);
    // Each chunk of images sums its products into its own partial, and the partials are added in chunk order.
    // Chunks and the images per product depend only on the batch and map sizes, so the result is the same for
    // any thread count or schedule. Eight chunks: work for up to eight threads, few partials to add.
    const per = Math.max(1, Math.ceil(N / 8));
    const chunks = Math.ceil(N / per);
    const partialStride = align64(O * K * 4);
    const partials = rt.alloc(partialStride * chunks);
    convJobs('conv2dBackwardWeightF32', N, K, L, [xp, gp, partials], [C * H * W * 4, O * L * 4, 0], [C, H, W, O], win, groupFor(L), per, [0, 0, partialStride]);
    rt.exports.sumChunksF32(partials, partialStride, chunks, O * K);
    const out = rt.takeF32(partials, O * K);
    return new HostStorage('float32', out, name);
  }

  function maxPool2d(x: View, win: Window2d): [Storage, Storage] {
    if (!isF32(x)) {
      const [v, i] = cpuBackend.maxPool2d(x, win);
      return [relabel(v), relabel(i)];
    }
    const [N, C, H, W] = x.shape;
    const L = win.oh * win.ow;
    const total = N * C * L;
    rt.reset();
    const xp = rt.putF32(denseData(x) as Float32Array);
    const vp = rt.alloc(total * 4);
    const ip = rt.alloc(total * 4);
    const base = [xp, vp, ip, N * C, H, W, ...windowArgs(win)];
    const step = base.map(() => 0);
    const job = pool.chunked('maxPool2d', base, step, N * C, 3, [], N * C * H * W >= PARALLEL_WINDOW_ELEMENTS, 4);
    [step[0], step[1], step[2]] = [job.per * H * W * 4, job.per * L * 4, job.per * L * 4];
    pool.run(job);
    return [new HostStorage('float32', rt.takeF32(vp, total), name), new HostStorage('int32', rt.takeI32(ip, total), name)];
  }

  return { im2col, col2im, maxPool2d, conv2d, conv2dBackwardInput, conv2dBackwardWeight };
}
