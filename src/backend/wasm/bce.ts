/**
 * The `wasm` backend's binary cross-entropy on probabilities (`Kernels.binaryCrossEntropy` and its gradient):
 * float32 in one SIMD pass each way (assembly/bce.ts), the same lanes and log as the elementwise kernels that
 * computed the formula op by op, so their bits. On one thread: a [128, 784] batch takes ~0.1 ms. Float64 runs the
 * cpu kernels (src/backend/cpu/bce.ts).
 * @module
 */
import { cpuBackend } from '../cpu/index.js';
import { HostStorage, arrayOf, sizeOf } from '../cpu/storage.js';
import type { Storage, View } from '../types.js';
import type { WasmRuntime } from './runtime.js';

/**
 * The binary cross-entropy kernels of the wasm backend over a loaded runtime; `operand` places a float32 view in
 * the kernel memory (a copy in the arena, or where it already lives) and returns its address.
 */
export function wasmBinaryCrossEntropy(rt: WasmRuntime, name: string, operand: (v: View) => number): {
  binaryCrossEntropy(x: View, y: View): [Storage, number, number];
  binaryCrossEntropyBackward(g: View, x: View, y: View, eps: number): Storage;
} {
  const relabel = (s: Storage): Storage => new HostStorage(s.dtype, (s as HostStorage).data, name);
  const f32 = (v: View) => v.storage.dtype === 'float32';

  function binaryCrossEntropy(x: View, y: View): [Storage, number, number] {
    const n = sizeOf(x.shape);
    if (!f32(x) || !f32(y) || n === 0) {
      const [l, lo, hi] = cpuBackend.binaryCrossEntropy(x, y);
      return [relabel(l), lo, hi];
    }
    rt.reset();
    const xp = operand(x);
    const yp = operand(y);
    const out = rt.alloc(n * 4);
    const range = rt.alloc(8);
    rt.exports.bceF32(xp, yp, out, n, range);
    const lo = rt.f32[range >> 2];
    const hi = rt.f32[(range >> 2) + 1];
    return [new HostStorage('float32', rt.takeF32(out, n), name), lo, hi];
  }

  function binaryCrossEntropyBackward(g: View, x: View, y: View, eps: number): Storage {
    const n = sizeOf(x.shape);
    if (!f32(g) || !f32(x) || !f32(y) || n === 0) return relabel(cpuBackend.binaryCrossEntropyBackward(g, x, y, eps));
    rt.reset();
    // the backward of a sum hands a broadcast scalar: passed as its one value, not spread over n floats
    const scalar = g.strides.every((s) => s === 0);
    const gp = scalar ? rt.putF32(Float32Array.of(arrayOf(g)[g.offset])) : operand(g);
    const xp = operand(x);
    const yp = operand(y);
    const out = rt.alloc(n * 4);
    rt.exports.bceBackwardF32(gp, scalar ? 1 : 0, xp, yp, out, n, eps);
    return new HostStorage('float32', rt.takeF32(out, n), name);
  }

  return { binaryCrossEntropy, binaryCrossEntropyBackward };
}
