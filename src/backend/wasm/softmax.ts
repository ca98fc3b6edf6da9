/**
 * The `wasm` backend's softmax over the last dim and its gradient (`Kernels.softmaxLastDim`, `softmaxLastDimBackward`)
 * in float32, whole rows split over the thread pool (assembly/softmax.ts), so results are the same for any thread
 * count. Float64 runs the cpu kernels (src/backend/cpu/softmax.ts).
 * @module
 */
import { cpuBackend } from '../cpu/index.js';
import { HostStorage, denseData, sizeOf } from '../cpu/storage.js';
import type { Storage, View } from '../types.js';
import type { WasmRuntime } from './runtime.js';
import type { ThreadPool } from './threads.js';

/** Below this many elements a softmax pass runs on one thread. */
const PARALLEL_SOFTMAX_ELEMENTS = 1 << 16;

/** The softmax kernels of the wasm backend over a loaded runtime and its pool. */
export function wasmSoftmax(rt: WasmRuntime, pool: ThreadPool, name: string): {
  softmaxLastDim(x: View): Storage;
  softmaxLastDimBackward(y: View, grad: View): Storage;
} {
  const relabel = (s: Storage): Storage => new HostStorage(s.dtype, (s as HostStorage).data, name);
  const f32 = (v: View) => v.storage.dtype === 'float32';

  /** Rows per chunk: a few chunks per thread for large inputs, else all rows in one. */
  function rowsPerChunk(rows: number, n: number): number {
    return pool.size > 1 && rows * n >= PARALLEL_SOFTMAX_ELEMENTS ? Math.max(1, Math.ceil(rows / (pool.size * 4))) : rows;
  }

  function softmaxLastDim(x: View): Storage {
    const total = sizeOf(x.shape);
    if (!f32(x) || x.shape.length === 0 || total === 0) return relabel(cpuBackend.softmaxLastDim(x));
    const n = x.shape[x.shape.length - 1];
    const rows = total / n;
    rt.reset();
    const xp = rt.putF32(denseData(x) as Float32Array);
    const yp = rt.alloc(total * 4);
    const per = rowsPerChunk(rows, n);
    pool.run({ fn: 'softmaxRowsF32', base: [xp, yp, rows, n], step: [per * n * 4, per * n * 4, 0, 0], total: rows, per, countArg: 2, threadArgs: [] });
    return new HostStorage('float32', rt.takeF32(yp, total), name);
  }

  function softmaxLastDimBackward(y: View, grad: View): Storage {
    const total = sizeOf(y.shape);
    if (!f32(y) || !f32(grad) || y.shape.length === 0 || total === 0) return relabel(cpuBackend.softmaxLastDimBackward(y, grad));
    const n = y.shape[y.shape.length - 1];
    const rows = total / n;
    rt.reset();
    const yp = rt.putF32(denseData(y) as Float32Array);
    const gp = rt.putF32(denseData(grad) as Float32Array);
    const dp = rt.alloc(total * 4);
    const per = rowsPerChunk(rows, n);
    const step = [per * n * 4, per * n * 4, per * n * 4, 0, 0];
    pool.run({ fn: 'softmaxBackwardRowsF32', base: [yp, gp, dp, rows, n], step, total: rows, per, countArg: 3, threadArgs: [] });
    return new HostStorage('float32', rt.takeF32(dp, total), name);
  }

  return { softmaxLastDim, softmaxLastDimBackward };
}
