/**
 * The wasm backend's float64 product for the host linear algebra (see src/backend/host-f64-kernels.ts): copies the
 * blocks of A, B and C into the kernel arena, runs assembly/dgemm.ts on the calling thread, and copies C back.
 * @module
 */
import type { F64GemmAccumulate } from '../host-f64-kernels.js';
import type { WasmRuntime } from './runtime.js';

/** Copies `rows` rows of `cols` doubles from `src` (row stride `ld`, from `off`) to `dst` at `at`, packed. */
function packRows(dst: Float64Array, at: number, src: Float64Array, off: number, ld: number, rows: number, cols: number): void {
  if (ld === cols) {
    dst.set(src.subarray(off, off + rows * cols), at);
    return;
  }
  for (let i = 0; i < rows; i++) dst.set(src.subarray(off + i * ld, off + i * ld + cols), at + i * cols);
}

/** The float64 C += A B of `rt`'s kernel module. */
export function wasmF64Gemm(rt: WasmRuntime): F64GemmAccumulate {
  return (c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, k, p) => {
    rt.reset();
    const ap = rt.alloc(m * k * 8);
    const bp = rt.alloc(k * p * 8);
    const cp = rt.alloc(m * p * 8);
    const sp = rt.alloc(rt.exports.dgemmScratchBytes(k));
    const mem = new Float64Array(rt.memory.buffer);
    packRows(mem, ap >> 3, a, aOff, lda, m, k);
    packRows(mem, bp >> 3, b, bOff, ldb, k, p);
    packRows(mem, cp >> 3, c, cOff, ldc, m, p);
    rt.exports.dgemmAccumulate(m, p, k, ap, k, bp, p, cp, p, sp);
    for (let i = 0; i < m; i++) c.set(mem.subarray((cp >> 3) + i * p, (cp >> 3) + (i + 1) * p), cOff + i * ldc);
  };
}
