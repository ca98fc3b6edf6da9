/**
 * The wasm backend's one-sided Jacobi sweep for the host SVD (see src/backend/host-f64-kernels.ts): copies the
 * columns, their norms, V, the Gram matrix and the marks into the kernel arena, runs one sweep of
 * assembly/jacobi.ts on the calling thread, and copies back what it changed.
 * @module
 */
import type { F64JacobiSweep } from '../host-f64-kernels.js';
import type { WasmRuntime } from './runtime.js';

/** The float64 Jacobi sweep of `rt`'s kernel module. */
export function wasmF64Jacobi(rt: WasmRuntime): F64JacobiSweep {
  return (g, r, n, nrm, v, gram, dirty, tol, tiny) => {
    rt.reset();
    const gp = rt.alloc(r * n * 8);
    const np = rt.alloc(n * 8);
    const vp = v ? rt.alloc(n * n * 8) : 0;
    const sp = gram ? rt.alloc(n * n * 8) : 0;
    const dp = rt.alloc(n);
    const mem = new Float64Array(rt.memory.buffer);
    mem.set(g.subarray(0, r * n), gp >> 3);
    mem.set(nrm.subarray(0, n), np >> 3);
    if (v) mem.set(v.subarray(0, n * n), vp >> 3);
    if (gram) mem.set(gram.subarray(0, n * n), sp >> 3);
    const bytes = new Uint8Array(rt.memory.buffer);
    bytes.set(dirty.subarray(0, n), dp);
    const rotated = rt.exports.jacobiSweep(r, n, gp, np, vp, sp, dp, tol, tiny);
    g.set(mem.subarray(gp >> 3, (gp >> 3) + r * n));
    nrm.set(mem.subarray(np >> 3, (np >> 3) + n));
    if (v) v.set(mem.subarray(vp >> 3, (vp >> 3) + n * n));
    dirty.set(bytes.subarray(dp, dp + n));
    return rotated;
  };
}
