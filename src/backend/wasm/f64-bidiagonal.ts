/**
 * The wasm backend's bidiagonal reduction for the host linear algebra (see src/backend/host-f64-kernels.ts):
 * copies the matrix into the kernel arena, runs assembly/dgebrd.ts on the calling thread, and copies d and e back
 * — and the reflectors with their scales, when asked for.
 * @module
 */
import type { F64Bidiagonalize } from '../host-f64-kernels.js';
import type { WasmRuntime } from './runtime.js';

/** The float64 bidiagonal reduction of `rt`'s kernel module. */
export function wasmF64Bidiagonal(rt: WasmRuntime): F64Bidiagonalize {
  return (a, m, n, d, e, taus) => {
    rt.reset();
    const ap = rt.alloc(m * n * 8);
    const dp = rt.alloc(n * 8);
    const ep = rt.alloc(n * 8);
    const qp = rt.alloc(n * 8);
    const pp = rt.alloc(n * 8);
    const wp = rt.alloc(n * 8);
    let mem = new Float64Array(rt.memory.buffer);
    mem.set(a.subarray(0, m * n), ap >> 3);
    rt.exports.bidiagonalReduce(m, n, ap, dp, ep, qp, pp, wp);
    mem = new Float64Array(rt.memory.buffer);
    d.set(mem.subarray(dp >> 3, (dp >> 3) + n));
    e.set(mem.subarray(ep >> 3, (ep >> 3) + Math.max(n - 1, 0)));
    if (taus) {
      a.set(mem.subarray(ap >> 3, (ap >> 3) + m * n));
      taus.q.set(mem.subarray(qp >> 3, (qp >> 3) + n));
      taus.p.set(mem.subarray(pp >> 3, (pp >> 3) + n));
    }
  };
}
