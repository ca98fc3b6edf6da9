/**
 * The `wasm` backend's fused batch normalization (`Kernels.batchNormTrain` and its gradient) in float32: the
 * channels are split over the thread pool, each channel summed by one thread in plane order, so results are the
 * same for any thread count (assembly/norm.ts). Float64 runs the cpu kernels (src/backend/cpu/norm.ts). Also the
 * leaky ReLU's gradient, split over elements in whole SIMD groups.
 * @module
 */
import { cpuBackend } from '../cpu/index.js';
import { HostStorage, denseData } from '../cpu/storage.js';
import type { Storage, View } from '../types.js';
import type { WasmRuntime } from './runtime.js';
import type { ThreadPool } from './threads.js';

/** Below this many elements a batch-norm pass runs on one thread. */
const PARALLEL_NORM_ELEMENTS = 1 << 16;

/** The batch-norm kernels of the wasm backend over a loaded runtime and its pool. */
export function wasmBatchNorm(rt: WasmRuntime, pool: ThreadPool, name: string): {
  batchNormTrain(x: View, weight: View | null, bias: View | null, eps: number): [Storage, Storage];
  batchNormTrainBackward(x: View, dy: View, stats: View, weight: View | null, eps: number): [Storage, Storage];
  leakyReluBackward(x: View, grad: View, slope: number): Storage;
} {
  const relabel = ([a, b]: [Storage, Storage]): [Storage, Storage] => [new HostStorage(a.dtype, (a as HostStorage).data, name), new HostStorage(b.dtype, (b as HostStorage).data, name)];
  const f32 = (v: View | null) => v === null || v.storage.dtype === 'float32';

  /** [N, C, L] of an [N, C, ...] shape. */
  function dims(shape: readonly number[]): [number, number, number] {
    let L = 1;
    for (let d = 2; d < shape.length; d++) L *= shape[d];
    return [shape[0], shape[1], L];
  }

  /** Channel chunks: a few per thread, so a late worker costs little. */
  function perChunk(N: number, C: number, L: number): number {
    const threads = pool.size;
    return threads > 1 && N * C * L >= PARALLEL_NORM_ELEMENTS ? Math.max(1, Math.ceil(C / (threads * 4))) : C;
  }

  function batchNormTrain(x: View, weight: View | null, bias: View | null, eps: number): [Storage, Storage] {
    const [N, C, L] = dims(x.shape);
    if (!f32(x) || !f32(weight) || !f32(bias) || N * C * L === 0) return relabel(cpuBackend.batchNormTrain(x, weight, bias, eps));
    rt.reset();
    const xp = rt.putF32(denseData(x) as Float32Array);
    const wp = weight ? rt.putF32(denseData(weight) as Float32Array) : 0;
    const bp = bias ? rt.putF32(denseData(bias) as Float32Array) : 0;
    const yp = rt.alloc(N * C * L * 4);
    const sp = rt.alloc(2 * C * 4);
    const per = perChunk(N, C, L);
    const base = [xp, wp, bp, yp, sp, C, N, C, L, eps, weight ? 1 : 0, bias ? 1 : 0];
    const step = [per * L * 4, weight ? per * 4 : 0, bias ? per * 4 : 0, per * L * 4, per * 4, 0, 0, 0, 0, 0, 0, 0];
    pool.run({ fn: 'batchNormF32', base, step, total: C, per, countArg: 5, threadArgs: [] });
    return [new HostStorage('float32', rt.takeF32(yp, N * C * L), name), new HostStorage('float32', rt.takeF32(sp, 2 * C), name)];
  }

  function batchNormTrainBackward(x: View, dy: View, stats: View, weight: View | null, eps: number): [Storage, Storage] {
    const [N, C, L] = dims(x.shape);
    if (!f32(x) || !f32(dy) || !f32(stats) || !f32(weight) || N * C * L === 0) {
      return relabel(cpuBackend.batchNormTrainBackward(x, dy, stats, weight, eps));
    }
    rt.reset();
    const xp = rt.putF32(denseData(x) as Float32Array);
    const gp = rt.putF32(denseData(dy) as Float32Array);
    const sp = rt.putF32(denseData(stats) as Float32Array);
    const wp = weight ? rt.putF32(denseData(weight) as Float32Array) : 0;
    const dxp = rt.alloc(N * C * L * 4);
    const dwbp = rt.alloc(2 * C * 4);
    const per = perChunk(N, C, L);
    const base = [xp, gp, sp, wp, dxp, dwbp, C, N, C, L, eps, weight ? 1 : 0];
    const step = [per * L * 4, per * L * 4, per * 4, weight ? per * 4 : 0, per * L * 4, per * 4, 0, 0, 0, 0, 0, 0];
    pool.run({ fn: 'batchNormBackwardF32', base, step, total: C, per, countArg: 6, threadArgs: [] });
    return [new HostStorage('float32', rt.takeF32(dxp, N * C * L), name), new HostStorage('float32', rt.takeF32(dwbp, 2 * C), name)];
  }

  function leakyReluBackward(x: View, grad: View, slope: number): Storage {
    const n = grad.shape.reduce((a, b) => a * b, 1);
    if (!f32(x) || !f32(grad) || n === 0) {
      const s = cpuBackend.leakyReluBackward(x, grad, slope);
      return new HostStorage(s.dtype, (s as HostStorage).data, name);
    }
    rt.reset();
    const xp = rt.putF32(denseData(x) as Float32Array);
    const gp = rt.putF32(denseData(grad) as Float32Array);
    const op = rt.alloc(n * 4);
    const per = pool.size > 1 && n >= PARALLEL_NORM_ELEMENTS * 2 ? Math.ceil(n / (pool.size * 2) / 4) * 4 : n;
    pool.run({ fn: 'leakyReluBackwardF32', base: [xp, gp, op, n, slope], step: [per * 4, per * 4, per * 4, 0, 0], total: n, per, countArg: 3, threadArgs: [] });
    return new HostStorage('float32', rt.takeF32(op, n), name);
  }

  return { batchNormTrain, batchNormTrainBackward, leakyReluBackward };
}
