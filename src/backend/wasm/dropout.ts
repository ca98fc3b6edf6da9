/**
 * The `wasm` backend's dropout by hashing (`Kernels.dropoutScale`) in float32: elements split over the thread pool,
 * each chunk drawing the factors of its own indices (assembly/dropout.ts), so results are the same for any thread
 * count. Float64 runs the cpu kernel (src/backend/cpu/drop-hash.ts).
 * @module
 */
import { cpuBackend } from '../cpu/index.js';
import { HostStorage, sizeOf } from '../cpu/storage.js';
import type { DropoutSpec, Storage, View } from '../types.js';
import type { WasmRuntime } from './runtime.js';
import type { ThreadPool } from './threads.js';

/** Below this many elements the kernel runs on one thread. */
const PARALLEL_DROPOUT_ELEMENTS = 1 << 16;

/** The dropout kernel of the wasm backend over a loaded runtime and its pool; `operand` places a float32 view. */
export function wasmDropout(rt: WasmRuntime, pool: ThreadPool, name: string, operand: (v: View) => number): (x: View, spec: DropoutSpec) => Storage {
  return (x, spec) => {
    const n = sizeOf(x.shape);
    if (x.storage.dtype !== 'float32' || n === 0) return new HostStorage(x.storage.dtype, (cpuBackend.dropoutScale(x, spec) as HostStorage).data, name);
    rt.reset();
    const xp = operand(x);
    const out = rt.alloc(n * 4);
    // chunks of whole vectors, so every element takes the same SIMD path whatever the thread count
    const per = pool.size > 1 && n >= PARALLEL_DROPOUT_ELEMENTS ? Math.ceil(n / (pool.size * 4) / 4) * 4 : n;
    pool.run({ fn: 'dropoutF32', base: [xp, out, n, 0, spec.threshold, spec.keepScale, spec.seedLo, spec.seedHi], step: [per * 4, per * 4, 0, per, 0, 0, 0, 0], total: n, per, countArg: 2, threadArgs: [] });
    return new HostStorage('float32', rt.takeF32(out, n), name);
  };
}
