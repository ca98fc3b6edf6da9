/**
 * The `wasm` backend's fused attention (`Kernels.attention`, `attentionBackward`) in float32: (batch, head) pairs
 * split over the thread pool, each thread with its own buffers for one pair's [L, S] weights and GEMM scratch
 * (assembly/attention.ts), so results are the same for any thread count. Operands are placed as they lie in their
 * storage (a projection's heads are a strided view of it) and results written with the strides asked for, which a
 * layout descriptor in the arena tells the kernel. Float64 runs the cpu kernels.
 * @module
 */
import { cpuBackend } from '../cpu/index.js';
import { HostStorage, sizeOf } from '../cpu/storage.js';
import type { AttentionGradStrides, AttentionSpec, Storage, View } from '../types.js';
import type { WasmRuntime } from './runtime.js';
import type { ThreadPool } from './threads.js';

/** Below this many multiply-adds (per pass) the kernel runs on one thread. */
const PARALLEL_ATTENTION_MADDS = 1 << 18;

/** Where a float32 view lies in the arena: address of its element 0 and its strides (the last one 1). */
export interface PlacedView {
  /** Byte address of the view's first element. */
  ptr: number;
  /** Strides of the placed view, in floats. */
  strides: readonly number[];
}

/**
 * The attention kernels of the wasm backend over a loaded runtime and its pool; `place` puts a float32 view into
 * the arena (as it lies where it can, else a row-major copy) and says where, `operand` places one row-major.
 */
export function wasmAttention(rt: WasmRuntime, pool: ThreadPool, name: string, place: (v: View) => PlacedView, operand: (v: View) => number): {
  attention(q: View, k: View, v: View, mask: View | null, spec: AttentionSpec, outStrides: readonly number[]): Storage;
  attentionBackward(q: View, k: View, v: View, mask: View | null, grad: View, spec: AttentionSpec, strides: AttentionGradStrides): [Storage, Storage, Storage];
} {
  const relabel = (s: Storage): Storage => new HostStorage(s.dtype, (s as HostStorage).data, name);
  const f32 = (...vs: (View | null)[]) => vs.every((v) => v === null || v.storage.dtype === 'float32');

  /** The layout descriptor (assembly/attention.ts's pairAt): H, then batch, head and row strides per operand. */
  function layout(H: number, operands: readonly (readonly number[])[]): number {
    const ptr = rt.alloc((1 + 3 * operands.length) * 4);
    const at = ptr >> 2;
    const i32 = new Int32Array(rt.f32.buffer, rt.f32.byteOffset, rt.f32.length);
    i32[at] = H;
    operands.forEach((s, t) => {
      if (s[3] !== 1) throw new Error(`attention: operand ${t} has column stride ${s[3]}, the kernel reads 1`);
      i32.set([s[0], s[1], s[2]], at + 1 + 3 * t);
    });
    return ptr;
  }

  /** Dims, the operands placed in the arena and the job layout shared by both passes. */
  function setUp(q: View, k: View, v: View, mask: View | null) {
    const [N, H, L, D] = q.shape;
    const S = k.shape[2];
    const Dv = v.shape[3];
    const B = N * H;
    const maskStride = mask && mask.shape[0] === B && B > 1 ? L * S : 0;
    rt.reset();
    const placed = [place(q), place(k), place(v)];
    const maskPtr = mask ? operand(mask) : 0;
    const threads = pool.size;
    const workStride = (rt.exports.attentionWorkBytes(L, S, D) + rt.exports.sgemmScratchBytes() + 63) & ~63;
    const work = rt.alloc(workStride * threads);
    const madds = B * L * S * Math.max(D, Dv);
    const per = threads > 1 && madds >= PARALLEL_ATTENTION_MADDS ? Math.max(1, Math.ceil(B / (threads * 4))) : B;
    return { H, B, L, S, D, Dv, maskStride, placed, maskPtr, work, workStride, per };
  }

  function attention(q: View, k: View, v: View, mask: View | null, spec: AttentionSpec, outStrides: readonly number[]): Storage {
    if (!f32(q, k, v, mask) || sizeOf(q.shape) === 0 || sizeOf(k.shape) === 0) return relabel(cpuBackend.attention(q, k, v, mask, spec, outStrides));
    const s = setUp(q, k, v, mask);
    const n = s.B * s.L * s.Dv;
    const out = rt.alloc(n * 4);
    const desc = layout(s.H, [...s.placed.map((p) => p.strides), outStrides]);
    const [qp, kp, vp] = s.placed.map((p) => p.ptr);
    const base = [qp, kp, vp, s.maskPtr, out, desc, s.B, 0, s.L, s.S, s.D, s.Dv, s.maskStride, spec.scale, spec.threshold, spec.keepScale, spec.seedLo, spec.seedHi, 0];
    const step = base.map(() => 0);
    step[7] = s.per;
    pool.run({ fn: 'attentionF32', base, step, total: s.B, per: s.per, countArg: 6, threadArgs: [[18, s.work, s.workStride]] });
    return new HostStorage('float32', rt.takeF32(out, n), name);
  }

  function attentionBackward(q: View, k: View, v: View, mask: View | null, grad: View, spec: AttentionSpec,
    strides: AttentionGradStrides): [Storage, Storage, Storage] {
    if (!f32(q, k, v, mask, grad) || sizeOf(q.shape) === 0 || sizeOf(k.shape) === 0) {
      const [dq, dk, dv] = cpuBackend.attentionBackward(q, k, v, mask, grad, spec, strides);
      return [relabel(dq), relabel(dk), relabel(dv)];
    }
    const s = setUp(q, k, v, mask);
    const g = place(grad);
    const [nq, nk, nv] = [s.B * s.L * s.D, s.B * s.S * s.D, s.B * s.S * s.Dv];
    const dq = rt.alloc(nq * 4);
    const dk = rt.alloc(nk * 4);
    const dv = rt.alloc(nv * 4);
    const desc = layout(s.H, [...s.placed.map((p) => p.strides), g.strides, strides.dq, strides.dk, strides.dv]);
    const [qp, kp, vp] = s.placed.map((p) => p.ptr);
    const base = [qp, kp, vp, s.maskPtr, g.ptr, dq, dk, dv, desc, s.B, 0, s.L, s.S, s.D, s.Dv, s.maskStride, spec.scale, spec.threshold, spec.keepScale, spec.seedLo, spec.seedHi, 0];
    const step = base.map(() => 0);
    step[10] = s.per;
    pool.run({ fn: 'attentionBackwardF32', base, step, total: s.B, per: s.per, countArg: 9, threadArgs: [[21, s.work, s.workStride]] });
    return [
      new HostStorage('float32', rt.takeF32(dq, nq), name),
      new HostStorage('float32', rt.takeF32(dk, nk), name),
      new HostStorage('float32', rt.takeF32(dv, nv), name),
    ];
  }

  return { attention, attentionBackward };
}
