/**
 * Loads the `wasm` backend when shendu is imported, registers it and makes it the default; where it cannot
 * load (no WebAssembly SIMD), shendu stays on `cpu` and says so once. Its float64 kernels (the product, LU, the
 * tridiagonal and bidiagonal reductions, the Jacobi sweep) also serve the host linear algebra (linalg, classic) on every
 * backend; its word2vec kernel serves text.Word2Vec on this backend. Also the thread-count controls.
 * @module
 */
import { ValueError } from '../../errors.js';
import { registerF64Kernel } from '../host-f64-kernels.js';
import { registerWord2VecKernel } from '../host-word2vec.js';
import { registerBackend, setBackend } from '../registry.js';
import { wasmF64Bidiagonal } from './f64-bidiagonal.js';
import { wasmF64Gemm } from './f64-gemm.js';
import { wasmF64Jacobi } from './f64-jacobi.js';
import { wasmF64Lu } from './f64-lu.js';
import { wasmF64Tridiagonal } from './f64-tridiagonal.js';
import { createWasmBackend } from './kernels.js';
import { loadRuntime, type RuntimeInfo } from './runtime.js';
import { ThreadPool, coreCount } from './threads.js';
import { wasmWord2Vec } from './word2vec.js';

let pool: ThreadPool | null = null;
let info: RuntimeInfo | null = null;
let loadError: string | null = null;

try {
  const rt = await loadRuntime();
  pool = new ThreadPool(rt, coreCount());
  info = rt.info;
  const backend = createWasmBackend(rt, pool);
  registerBackend(backend);
  registerWord2VecKernel(backend.name, wasmWord2Vec(rt));
  registerF64Kernel('gemm', wasmF64Gemm(rt, pool));
  registerF64Kernel('tridiagonal', wasmF64Tridiagonal(rt));
  registerF64Kernel('jacobi', wasmF64Jacobi(rt));
  registerF64Kernel('lu', wasmF64Lu(rt));
  registerF64Kernel('bidiagonal', wasmF64Bidiagonal(rt));
  setBackend('wasm');
} catch (e) {
  loadError = e instanceof Error ? e.message : String(e);
  (globalThis as unknown as { console: { warn(s: string): void } }).console.warn(`shendu: the wasm backend could not load (${loadError}); using the cpu backend`);
}

/**
 * Sets how many threads the wasm backend's kernels use (the calling thread included); the default is the
 * number of cores. Workers start the first time a kernel is large enough to split, and never keep a
 * finished process alive.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`setNumThreads: expected a positive integer, got ${n}`);
  pool?.setThreads(n);
}

/** Number of threads the wasm backend's kernels use (1 when it did not load or memory cannot be shared). */
export function getNumThreads(): number {
  return pool ? pool.size : 1;
}

/** What the wasm backend loaded with, or why it did not load. */
export function wasmBackendInfo(): {
  loaded: boolean; relaxedSimd: boolean; sharedMemory: boolean; threads: number; workersReady: number; error: string | null;
} {
  return {
    loaded: info !== null,
    relaxedSimd: info?.relaxedSimd ?? false,
    sharedMemory: info?.sharedMemory ?? false,
    threads: getNumThreads(),
    workersReady: pool ? pool.readyWorkers : 0,
    error: loadError,
  };
}
