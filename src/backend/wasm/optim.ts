/**
 * The `wasm` backend's optimizer updates (`Kernels.adamUpdate`, `Kernels.sgdUpdate`) in float32: the parameter and
 * its state are updated where they live in the kernel memory (moved there on the first update, src/backend/wasm/
 * resident.ts), the gradient copied in. Large tensors are split over the threads by elements: Adam spends two
 * divisions and a square root per four lanes, which on one thread made its update of a VAE's 650k parameters
 * ~0.7 ms. Each element is computed alone, so the thread count never changes a bit.
 * @module
 */
import { cpuBackend } from '../cpu/index.js';
import { arrayOf, sizeOf } from '../cpu/storage.js';
import type { AdamUpdate, SgdUpdate, View } from '../types.js';
import type { ThreadFunction } from './protocol.js';
import type { WasmRuntime } from './runtime.js';
import type { ThreadPool } from './threads.js';

/** Elements from which an update is split over the threads (smaller ones finish before a worker would wake). */
const PARALLEL_UPDATE = 1 << 16;

/**
 * The optimizer kernels over a loaded runtime and its thread pool; `adoptWhole` moves a whole-storage view into
 * the kernel memory and returns its address (null where it stays in host memory).
 */
export function wasmOptimizers(rt: WasmRuntime, pool: ThreadPool, adoptWhole: (v: View) => number | null): {
  adamUpdate(param: View, grad: View, m: View, v: View, vmax: View | null, h: AdamUpdate): void;
  sgdUpdate(param: View, grad: View, buf: View | null, h: SgdUpdate): void;
} {
  const isF32 = (v: View) => v.storage.dtype === 'float32';

  /** The n floats a contiguous float32 view holds, as a subarray of its storage. */
  function span(v: View): Float32Array {
    const n = sizeOf(v.shape);
    return (arrayOf(v) as Float32Array).subarray(v.offset, v.offset + n);
  }

  /**
   * Runs `fn` over n elements: its first `arrays` arguments are addresses that step with the elements, argument
   * `countArg` is the element count.
   */
  function elementwise(fn: ThreadFunction & ('adamF32' | 'sgdF32'), args: number[], arrays: number, countArg: number, n: number): void {
    if (pool.size > 1 && n >= PARALLEL_UPDATE) {
      const per = Math.ceil(n / (pool.size * 2) / 4) * 4;
      const step = args.map((_, k) => (k < arrays ? per * 4 : 0));
      pool.run({ fn, base: args, step, total: n, per, countArg, threadArgs: [] });
    } else {
      (rt.exports[fn] as (...a: number[]) => void)(...args);
    }
  }

  function adamUpdate(param: View, grad: View, m: View, v: View, vmax: View | null, h: AdamUpdate): void {
    if (vmax || ![param, grad, m, v].every(isF32)) {
      cpuBackend.adamUpdate(param, grad, m, v, vmax, h);
      return;
    }
    const n = sizeOf(param.shape);
    // the parameter and its moments are updated where they live when resident, else copied in and back out
    const updated = [param, m, v];
    const kept = updated.map(adoptWhole);
    rt.reset();
    const [pp, mp, vp] = updated.map((t, i) => kept[i] ?? rt.putF32(span(t)));
    const gp = rt.putF32(span(grad));
    elementwise('adamF32', [pp, gp, mp, vp, n, h.beta1, h.beta2, h.stepSize, h.bc2Sqrt, h.eps, h.weightDecay, h.maximize ? -1 : 1], 4, 4, n);
    [pp, mp, vp].forEach((p, i) => {
      if (kept[i] === null) span(updated[i]).set(rt.f32.subarray(p >> 2, (p >> 2) + n));
    });
  }

  function sgdUpdate(param: View, grad: View, buf: View | null, h: SgdUpdate): void {
    if (![param, grad, ...(buf ? [buf] : [])].every(isF32)) {
      cpuBackend.sgdUpdate(param, grad, buf, h);
      return;
    }
    const n = sizeOf(param.shape);
    const pk = adoptWhole(param);
    const bk = buf ? adoptWhole(buf) : null;
    rt.reset();
    const pp = pk ?? rt.putF32(span(param));
    const gp = rt.putF32(span(grad));
    const bp = buf ? bk ?? rt.putF32(span(buf)) : 0;
    // without momentum the buffer address is 0 and must not step
    const args = [pp, gp, bp, n, h.lr, h.momentum, 1 - h.dampening, h.weightDecay, h.maximize ? -1 : 1, h.nesterov ? 1 : 0, h.first ? 1 : 0];
    elementwise('sgdF32', args, buf ? 3 : 2, 3, n);
    if (pk === null) span(param).set(rt.f32.subarray(pp >> 2, (pp >> 2) + n));
    if (buf && bk === null) span(buf).set(rt.f32.subarray(bp >> 2, (bp >> 2) + n));
  }

  return { adamUpdate, sgdUpdate };
}
