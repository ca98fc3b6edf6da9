/**
 * The `wasm` backend's whole-sequence LSTM and GRU layers (`Kernels.recurrentSequence` and its gradient): the
 * inputs, the weights and the states go into the arena once per layer; the input projection (and, backward, its
 * two gradient products) and the kernels of assembly/recurrent-seq.ts, which run every time step, all work there,
 * so the projected inputs and their gradient never leave kernel memory. They run on the calling thread (one step's products are
 * too small to split), so results do not depend on the thread count. Float64 runs the cpu kernels.
 * @module
 */
import { cpuBackend } from '../cpu/index.js';
import { HostStorage, denseData } from '../cpu/storage.js';
import type { SequenceGrads, SequenceMode, Storage, View } from '../types.js';
import type { WasmRuntime } from './runtime.js';

/** The recurrent-sequence kernels of the wasm backend over a loaded runtime; `name` labels their storage. */
export function wasmRecurrentSequence(rt: WasmRuntime, name: string): {
  recurrentSequence(mode: SequenceMode, x: View, wih: View, bias: View | null, whh: View, h0: View | null, c0: View | null, bhn: View | null,
    reverse: boolean, batchFirst: boolean): [Storage, Storage];
  recurrentSequenceBackward(mode: SequenceMode, saved: View, y: View, x: View, wih: View, whh: View, h0: View | null, c0: View | null, hasBias: boolean,
    hasBhn: boolean, dy: View, reverse: boolean, batchFirst: boolean): SequenceGrads;
} {
  const relabel = (s: Storage | null): Storage | null => s && new HostStorage(s.dtype, (s as HostStorage).data, name);
  const f32 = (...vs: (View | null)[]) => vs.every((v) => v === null || v.storage.dtype === 'float32');
  const put = (v: View | null) => (v ? rt.putF32(denseData(v) as Float32Array) : 0);
  const take = (ptr: number, n: number) => new HostStorage('float32', rt.takeF32(ptr, n), name);
  const zeroed = (n: number) => {
    const ptr = rt.alloc(n * 4);
    rt.f32.fill(0, ptr >> 2, (ptr >> 2) + n);
    return ptr;
  };
  const SAVED: Record<SequenceMode, number> = { lstm: 5, gru: 4 };

  /** out [M, N] = a [M, K] (rows of K) times b, read as [K, N] through strides; on the calling thread. */
  const gemm = (M: number, N: number, K: number, a: number, ars: number, acs: number, b: number, brs: number, bcs: number, out: number, scratch: number) =>
    rt.exports.sgemmBatched(1, M, N, K, a, ars, acs, 0, b, brs, bcs, 0, out, N, 0, 0, scratch);

  function recurrentSequence(mode: SequenceMode, x: View, wih: View, bias: View | null, whh: View, h0: View | null, c0: View | null, bhn: View | null,
    reverse: boolean, batchFirst: boolean): [Storage, Storage] {
    if (!f32(x, wih, bias, whh, h0, c0, bhn)) {
      const [y, s] = cpuBackend.recurrentSequence(mode, x, wih, bias, whh, h0, c0, bhn, reverse, batchFirst);
      return [relabel(y)!, relabel(s)!];
    }
    const [A, B, I] = x.shape;
    const GH = wih.shape[0];
    const [T, N] = batchFirst ? [B, A] : [A, B];
    const H = whh.shape[1];
    const ny = (mode === 'lstm' ? 2 : 1) * T * N * H;
    const ns = T * N * SAVED[mode] * H;
    rt.reset();
    const [inp, wip, biasp, wp, hp, cp, bp] = [put(x), put(wih), put(bias), put(whh), put(h0), put(c0), put(bhn)];
    const xp = rt.alloc(T * N * GH * 4);
    const yp = rt.alloc(ny * 4);
    const sp = rt.alloc(ns * 4);
    const work = rt.alloc(rt.exports.recurrentSequenceWorkBytes(GH, H, N, rt.exports.sgemmScratchBytes()));
    // xg = x W_ih^T; the GEMM scratch is the tail of the sequence kernel's work memory, free until it starts
    gemm(T * N, GH, I, inp, I, 1, wip, 1, I, xp, work + rt.exports.recurrentSequenceWorkBytes(GH, H, N, 0));
    const [rev, bf] = [reverse ? 1 : 0, batchFirst ? 1 : 0];
    if (mode === 'lstm') rt.exports.lstmSequenceF32(xp, biasp, wp, hp, cp, yp, sp, T, N, H, rev, bf, work);
    else rt.exports.gruSequenceF32(xp, biasp, wp, bp, hp, yp, sp, T, N, H, rev, bf, work);
    return [take(yp, ny), take(sp, ns)];
  }

  function recurrentSequenceBackward(mode: SequenceMode, saved: View, y: View, x: View, wih: View, whh: View, h0: View | null, c0: View | null, hasBias: boolean,
    hasBhn: boolean, dy: View, reverse: boolean, batchFirst: boolean): SequenceGrads {
    if (!f32(saved, y, x, wih, whh, h0, c0, dy)) {
      const r = cpuBackend.recurrentSequenceBackward(mode, saved, y, x, wih, whh, h0, c0, hasBias, hasBhn, dy, reverse, batchFirst);
      return [relabel(r[0])!, relabel(r[1])!, relabel(r[2]), relabel(r[3])!, relabel(r[4])!, relabel(r[5]), relabel(r[6])];
    }
    const [T, N] = saved.shape;
    const [GH, H] = whh.shape;
    const I = wih.shape[1];
    rt.reset();
    const [sp, yp, inp, wip, wp, hp, cp, dp] = [put(saved), put(y), put(x), put(wih), put(whh), put(h0), put(c0), put(dy)];
    const dx = rt.alloc(T * N * I * 4);
    const dwih = rt.alloc(GH * I * 4);
    const dxg = rt.alloc(T * N * GH * 4);
    const dbias = hasBias ? rt.alloc(GH * 4) : 0;
    const dwhh = rt.alloc(GH * H * 4);
    const [dh, dc] = [zeroed(N * H), zeroed(N * H)];
    const scratch = rt.alloc(rt.exports.recurrentSequenceScratchBytes(GH, H, N));
    const [rev, bf] = [reverse ? 1 : 0, batchFirst ? 1 : 0];
    // through the projection: dx = dxg W_ih, dW_ih = dxg^T x
    const projectionGrads = () => {
      gemm(T * N, I, GH, dxg, GH, 1, wip, I, 1, dx, scratch);
      gemm(GH, I, T * N, dxg, 1, GH, inp, I, 1, dwih, scratch);
      return [take(dx, T * N * I), take(dwih, GH * I), hasBias ? take(dbias, GH) : null] as const;
    };
    if (mode === 'lstm') {
      rt.exports.lstmSequenceBackwardF32(sp, yp, wp, hp, cp, dp, dxg, dbias, dwhh, dh, dc, T, N, H, rev, bf, scratch);
      return [...projectionGrads(), take(dwhh, GH * H), take(dh, N * H), take(dc, N * H), null];
    }
    const dhg = rt.alloc(T * N * GH * 4);
    const dbhn = hasBhn ? rt.alloc(H * 4) : 0;
    rt.exports.gruSequenceBackwardF32(sp, yp, wp, hp, dp, dxg, dbias, dhg, dwhh, dbhn, dh, T, N, H, rev, bf, scratch);
    return [...projectionGrads(), take(dwhh, GH * H), take(dh, N * H), null, hasBhn ? take(dbhn, H) : null];
  }

  return { recurrentSequence, recurrentSequenceBackward };
}
