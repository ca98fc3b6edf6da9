/**
 * The wasm backend's tridiagonal reduction for the host linear algebra (see src/backend/host-f64-kernels.ts):
 * copies the matrix into the kernel arena, runs assembly/dsytrd.ts on the calling thread, and copies the matrix,
 * d, e and hs back.
 * @module
 */
import type { F64TridiagonalReduce } from '../host-f64-kernels.js';
import type { WasmRuntime } from './runtime.js';

/** The float64 tridiagonal reduction of `rt`'s kernel module. */
export function wasmF64Tridiagonal(rt: WasmRuntime): F64TridiagonalReduce {
  return (w, n, d, e, hs) => {
    rt.reset();
    const wp = rt.alloc(n * n * 8);
    const dp = rt.alloc(n * 8);
    const ep = rt.alloc(n * 8);
    const hp = rt.alloc(n * 8);
    const mem = new Float64Array(rt.memory.buffer);
    mem.set(w.subarray(0, n * n), wp >> 3);
    rt.exports.tridiagonalReduce(n, wp, dp, ep, hp);
    w.set(mem.subarray(wp >> 3, (wp >> 3) + n * n));
    d.set(mem.subarray(dp >> 3, (dp >> 3) + n));
    e.set(mem.subarray(ep >> 3, (ep >> 3) + n));
    hs.set(mem.subarray(hp >> 3, (hp >> 3) + n));
  };
}
