/**
 * The `wasm` backend's layer normalization over rows (`Kernels.layerNormRows` and its gradient) in float32, one
 * SIMD kernel each way (assembly/layer-norm.ts): row sums in float64, the elementwise passes in float32 lanes, the
 * statistics float64 as the interface keeps them, and the weight and bias gradients float64 sums in row order (given
 * the same statistics, the cpu kernel's bit for bit), rounded once. On one thread, so results cannot depend on the
 * thread count: at [2048, 64] a kernel takes ~0.1 ms, about what waking a worker costs. Float64 runs the cpu kernels
 * (src/backend/cpu/layer-norm.ts).
 * @module
 */
import { cpuBackend } from '../cpu/index.js';
import { HostStorage, denseData, sizeOf } from '../cpu/storage.js';
import type { Storage, View } from '../types.js';
import type { WasmRuntime } from './runtime.js';

/**
 * The layer-norm kernels of the wasm backend over a loaded runtime; `operand` places a float32 view in the kernel
 * memory (a copy in the arena, or where it already lives) and returns its address.
 */
export function wasmLayerNorm(rt: WasmRuntime, name: string, operand: (v: View) => number): {
  layerNormRows(x: View, n: number, weight: View | null, bias: View | null, eps: number): [Storage, Storage];
  layerNormRowsBackward(x: View, dy: View, stats: View, n: number, weight: View | null): [Storage, Storage];
} {
  const relabel = ([a, b]: [Storage, Storage]): [Storage, Storage] => [new HostStorage(a.dtype, (a as HostStorage).data, name), new HostStorage(b.dtype, (b as HostStorage).data, name)];
  const f32 = (v: View | null) => v === null || v.storage.dtype === 'float32';

  /** See `Kernels.layerNormRows`: float32 operands in the wasm kernel, others on the cpu kernel. */
  function layerNormRows(x: View, n: number, weight: View | null, bias: View | null, eps: number): [Storage, Storage] {
    const total = sizeOf(x.shape);
    if (!f32(x) || !f32(weight) || !f32(bias) || n === 0 || total === 0) return relabel(cpuBackend.layerNormRows(x, n, weight, bias, eps));
    const rows = total / n;
    rt.reset();
    const xp = operand(x);
    const wp = weight ? operand(weight) : 0;
    const bp = bias ? operand(bias) : 0;
    const yp = rt.alloc(total * 4);
    const sp = rt.alloc(2 * rows * 8);
    rt.exports.layerNormF32(xp, wp, bp, yp, sp, sp + rows * 8, rows, n, eps);
    const stats = new Float64Array(2 * rows);
    stats.set(new Float64Array(rt.memory.buffer, sp, 2 * rows));
    return [new HostStorage('float32', rt.takeF32(yp, total), name), new HostStorage('float64', stats, name)];
  }

  /** See `Kernels.layerNormRowsBackward`: float32 operands in the wasm kernel, others on the cpu kernel. */
  function layerNormRowsBackward(x: View, dy: View, stats: View, n: number, weight: View | null): [Storage, Storage] {
    const total = sizeOf(x.shape);
    if (!f32(x) || !f32(dy) || !f32(weight) || n === 0 || total === 0) return relabel(cpuBackend.layerNormRowsBackward(x, dy, stats, n, weight));
    const rows = total / n;
    rt.reset();
    const xp = operand(x);
    const gp = operand(dy);
    const wp = weight ? operand(weight) : 0;
    const sp = rt.alloc(2 * rows * 8);
    const acc = rt.alloc(2 * n * 8);
    const dxp = rt.alloc(total * 4);
    const mem = new Float64Array(rt.memory.buffer);
    mem.set(denseData(stats), sp >> 3);
    mem.fill(0, acc >> 3, (acc >> 3) + 2 * n);
    rt.exports.layerNormBackwardF32(xp, gp, wp, sp, sp + rows * 8, dxp, acc, rows, n);
    const dwb = new Float32Array(2 * n);
    dwb.set(new Float64Array(rt.memory.buffer, acc, 2 * n));
    return [new HostStorage('float32', rt.takeF32(dxp, total), name), new HostStorage('float32', dwb, name)];
  }

  return { layerNormRows, layerNormRowsBackward };
}
