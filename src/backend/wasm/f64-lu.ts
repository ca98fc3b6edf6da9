/**
 * The wasm backend's blocked LU for the host linear algebra (see src/backend/host-f64-kernels.ts): copies the
 * matrix into the kernel arena once, factors it there with assembly/dgetrf.ts on the calling thread (panels,
 * substitutions and trailing products without leaving the kernel memory), and copies the factors and pivots back.
 * @module
 */
import type { F64LuFactor } from '../host-f64-kernels.js';
import type { WasmRuntime } from './runtime.js';

/** The float64 blocked LU of `rt`'s kernel module. */
export function wasmF64Lu(rt: WasmRuntime): F64LuFactor {
  return (lu, m, n, piv, nb) => {
    const k = Math.min(m, n);
    rt.reset();
    const ap = rt.alloc(m * n * 8);
    const pp = rt.alloc(Math.max(k, 1) * 4);
    const sp = rt.alloc(rt.exports.luScratchBytes(m, nb));
    const mem = new Float64Array(rt.memory.buffer);
    mem.set(lu.subarray(0, m * n), ap >> 3);
    const info = rt.exports.luFactor(m, n, ap, pp, nb, sp);
    lu.set(mem.subarray(ap >> 3, (ap >> 3) + m * n));
    piv.set(new Int32Array(rt.memory.buffer, pp, k));
    return info;
  };
}
