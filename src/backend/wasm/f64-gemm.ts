/**
 * The wasm backend's float64 product for the host linear algebra (see src/backend/host-f64-kernels.ts): copies the
 * blocks of A, B and C into the kernel arena, runs assembly/dgemm.ts — split over the kernel threads by column
 * blocks of C (or row blocks, for a product with few columns) once it is large enough — and copies C back. Each
 * entry of C is summed by one thread in the kernel's fixed order, so the result does not depend on the thread count.
 * @module
 */
import type { F64GemmAccumulate } from '../host-f64-kernels.js';
import type { WasmRuntime } from './runtime.js';
import type { ThreadPool } from './threads.js';

/** Products of at least this many multiply-adds are split over the threads (below it, waking them costs more)... */
const PARALLEL_F64_MACS = 1 << 21;
/** ...when C has at least this many rows and columns (a thin product runs faster on one: measured on PCA's). */
const PARALLEL_F64_SIDE = 64;
/** Chunks per thread: a late worker then costs half a share. */
const CHUNKS_PER_THREAD = 2;

/** Copies `rows` rows of `cols` doubles from `src` (row stride `ld`, from `off`) to `dst` at `at`, packed. */
function packRows(dst: Float64Array, at: number, src: Float64Array, off: number, ld: number, rows: number, cols: number): void {
  if (ld === cols) {
    dst.set(src.subarray(off, off + rows * cols), at);
    return;
  }
  for (let i = 0; i < rows; i++) dst.set(src.subarray(off + i * ld, off + i * ld + cols), at + i * cols);
}

/**
 * C += A B on arena addresses (A m x k, row stride lda; B k x p, row stride ldb; C m x p, row stride ldc), split
 * over `pool`'s threads when the product is large enough; allocates the threads' scratch from the arena.
 */
export function dgemmInArena(rt: WasmRuntime, pool: ThreadPool, m: number, p: number, k: number, ap: number, lda: number,
  bp: number, ldb: number, cp: number, ldc: number): void {
  const threads = m * k * p >= PARALLEL_F64_MACS && Math.min(m, p) >= PARALLEL_F64_SIDE ? pool.size : 1;
  const scratchBytes = rt.exports.dgemmScratchBytes(k);
  const sp = rt.alloc(scratchBytes * threads);
  if (threads === 1) {
    rt.exports.dgemmAccumulate(m, p, k, ap, lda, bp, ldb, cp, ldc, sp);
    return;
  }
  const base = [m, p, k, ap, lda, bp, ldb, cp, ldc, sp];
  const step = base.map(() => 0);
  const threadArgs = [[9, sp, scratchBytes]] as const;
  if (p >= m) {
    // column blocks, whole panels of the kernel's four columns
    const per = Math.max(4, Math.ceil(p / (threads * CHUNKS_PER_THREAD) / 4) * 4);
    [step[5], step[7]] = [per * 8, per * 8];
    pool.run({ fn: 'dgemmAccumulate', base, step, total: p, per, countArg: 1, threadArgs });
  } else {
    // row blocks, whole groups of the kernel's four rows
    const per = Math.max(4, Math.ceil(m / (threads * CHUNKS_PER_THREAD) / 4) * 4);
    [step[3], step[7]] = [per * lda * 8, per * ldc * 8];
    pool.run({ fn: 'dgemmAccumulate', base, step, total: m, per, countArg: 0, threadArgs });
  }
}

/** The float64 C += A B of `rt`'s kernel module, on `pool`'s threads. */
export function wasmF64Gemm(rt: WasmRuntime, pool: ThreadPool): F64GemmAccumulate {
  return (c, cOff, ldc, a, aOff, lda, b, bOff, ldb, m, k, p) => {
    rt.reset();
    const ap = rt.alloc(m * k * 8);
    const bp = rt.alloc(k * p * 8);
    const cp = rt.alloc(m * p * 8);
    const mem = new Float64Array(rt.memory.buffer);
    packRows(mem, ap >> 3, a, aOff, lda, m, k);
    packRows(mem, bp >> 3, b, bOff, ldb, k, p);
    packRows(mem, cp >> 3, c, cOff, ldc, m, p);
    dgemmInArena(rt, pool, m, p, k, ap, k, bp, p, cp, p);
    const out = new Float64Array(rt.memory.buffer);
    for (let i = 0; i < m; i++) c.set(out.subarray((cp >> 3) + i * p, (cp >> 3) + (i + 1) * p), cOff + i * ldc);
  };
}
