/**
 * The `wasm` backend's fused attention (`Kernels.attention`, `attentionBackward`) in float32: (batch, head) pairs
 * split over the thread pool, each thread with its own buffers for one pair's [L, S] weights and GEMM scratch
 * (assembly/attention.ts), so results are the same for any thread count. Float64 runs the cpu kernels.
 * @module
 */
import { cpuBackend } from '../cpu/index.js';
import { HostStorage, sizeOf } from '../cpu/storage.js';
import type { AttentionSpec, Storage, View } from '../types.js';
import type { WasmRuntime } from './runtime.js';
import type { ThreadPool } from './threads.js';

/** Below this many multiply-adds (per pass) the kernel runs on one thread. */
const PARALLEL_ATTENTION_MADDS = 1 << 18;

/** The attention kernels of the wasm backend over a loaded runtime and its pool; `operand` places a float32 view. */
export function wasmAttention(rt: WasmRuntime, pool: ThreadPool, name: string, operand: (v: View) => number): {
  attention(q: View, k: View, v: View, mask: View | null, spec: AttentionSpec): Storage;
  attentionBackward(q: View, k: View, v: View, mask: View | null, grad: View, spec: AttentionSpec): [Storage, Storage, Storage];
} {
  const relabel = (s: Storage): Storage => new HostStorage(s.dtype, (s as HostStorage).data, name);
  const f32 = (...vs: (View | null)[]) => vs.every((v) => v === null || v.storage.dtype === 'float32');

  /** Dims, the operands placed in the arena and the job layout shared by both passes. */
  function setUp(q: View, k: View, v: View, mask: View | null) {
    const [B, L, D] = q.shape;
    const S = k.shape[1];
    const Dv = v.shape[2];
    const maskStride = mask && mask.shape[0] === B && B > 1 ? L * S : 0;
    rt.reset();
    const ptrs = [operand(q), operand(k), operand(v), mask ? operand(mask) : 0];
    const threads = pool.size;
    const workStride = (rt.exports.attentionWorkBytes(L, S, D) + rt.exports.sgemmScratchBytes() + 63) & ~63;
    const work = rt.alloc(workStride * threads);
    const madds = B * L * S * Math.max(D, Dv);
    const per = threads > 1 && madds >= PARALLEL_ATTENTION_MADDS ? Math.max(1, Math.ceil(B / (threads * 4))) : B;
    const steps = [per * L * D * 4, per * S * D * 4, per * S * Dv * 4, per * maskStride * 4];
    return { B, L, S, D, Dv, maskStride, ptrs, steps, work, workStride, per };
  }

  function attention(q: View, k: View, v: View, mask: View | null, spec: AttentionSpec): Storage {
    if (!f32(q, k, v, mask) || sizeOf(q.shape) === 0 || sizeOf(k.shape) === 0) return relabel(cpuBackend.attention(q, k, v, mask, spec));
    const s = setUp(q, k, v, mask);
    const out = rt.alloc(s.B * s.L * s.Dv * 4);
    const base = [...s.ptrs, out, s.B, 0, s.L, s.S, s.D, s.Dv, s.maskStride, spec.scale, spec.threshold, spec.keepScale, spec.seedLo, spec.seedHi, 0];
    const step = [...s.steps, s.per * s.L * s.Dv * 4, 0, s.per, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    pool.run({ fn: 'attentionF32', base, step, total: s.B, per: s.per, countArg: 5, threadArgs: [[17, s.work, s.workStride]] });
    return new HostStorage('float32', rt.takeF32(out, s.B * s.L * s.Dv), name);
  }

  function attentionBackward(q: View, k: View, v: View, mask: View | null, grad: View, spec: AttentionSpec): [Storage, Storage, Storage] {
    if (!f32(q, k, v, mask, grad) || sizeOf(q.shape) === 0 || sizeOf(k.shape) === 0) {
      const [dq, dk, dv] = cpuBackend.attentionBackward(q, k, v, mask, grad, spec);
      return [relabel(dq), relabel(dk), relabel(dv)];
    }
    const s = setUp(q, k, v, mask);
    const g = operand(grad);
    const dq = rt.alloc(s.B * s.L * s.D * 4);
    const dk = rt.alloc(s.B * s.S * s.D * 4);
    const dv = rt.alloc(s.B * s.S * s.Dv * 4);
    const base = [...s.ptrs, g, dq, dk, dv, s.B, 0, s.L, s.S, s.D, s.Dv, s.maskStride, spec.scale, spec.threshold, spec.keepScale, spec.seedLo, spec.seedHi, 0];
    const qStep = s.per * s.L * s.D * 4;
    const kStep = s.per * s.S * s.D * 4;
    const step = [...s.steps, s.per * s.L * s.Dv * 4, qStep, kStep, s.per * s.S * s.Dv * 4, 0, s.per, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    pool.run({ fn: 'attentionBackwardF32', base, step, total: s.B, per: s.per, countArg: 8, threadArgs: [[20, s.work, s.workStride]] });
    return [
      new HostStorage('float32', rt.takeF32(dq, s.B * s.L * s.D), name),
      new HostStorage('float32', rt.takeF32(dk, s.B * s.S * s.D), name),
      new HostStorage('float32', rt.takeF32(dv, s.B * s.S * s.Dv), name),
    ];
  }

  return { attention, attentionBackward };
}
