/**
 * The `wasm` backend's whole-sequence LSTM and GRU layers (`Kernels.recurrentSequence` and its gradient): the
 * projected inputs, W_hh and the states go into the arena once per layer and the kernels of
 * assembly/recurrent-seq.ts run every time step there. They run on the calling thread (one step's products are
 * too small to split), so results do not depend on the thread count. Float64 runs the cpu kernels.
 * @module
 */
import { cpuBackend } from '../cpu/index.js';
import { HostStorage, denseData } from '../cpu/storage.js';
import type { SequenceGrads, SequenceMode, Storage, View } from '../types.js';
import type { WasmRuntime } from './runtime.js';

/** The recurrent-sequence kernels of the wasm backend over a loaded runtime; `name` labels their storage. */
export function wasmRecurrentSequence(rt: WasmRuntime, name: string): {
  recurrentSequence(mode: SequenceMode, xg: View, bias: View | null, whh: View, h0: View | null, c0: View | null, bhn: View | null, reverse: boolean,
    batchFirst: boolean): [Storage, Storage];
  recurrentSequenceBackward(mode: SequenceMode, saved: View, y: View, whh: View, h0: View | null, c0: View | null, hasBias: boolean, hasBhn: boolean,
    dy: View, reverse: boolean, batchFirst: boolean): SequenceGrads;
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

  function recurrentSequence(mode: SequenceMode, xg: View, bias: View | null, whh: View, h0: View | null, c0: View | null, bhn: View | null, reverse: boolean,
    batchFirst: boolean): [Storage, Storage] {
    if (!f32(xg, bias, whh, h0, c0, bhn)) {
      const [y, s] = cpuBackend.recurrentSequence(mode, xg, bias, whh, h0, c0, bhn, reverse, batchFirst);
      return [relabel(y)!, relabel(s)!];
    }
    const [A, B, GH] = xg.shape;
    const [T, N] = batchFirst ? [B, A] : [A, B];
    const H = whh.shape[1];
    const ny = (mode === 'lstm' ? 2 : 1) * T * N * H;
    const ns = T * N * SAVED[mode] * H;
    rt.reset();
    const [xp, biasp, wp, hp, cp, bp] = [put(xg), put(bias), put(whh), put(h0), put(c0), put(bhn)];
    const yp = rt.alloc(ny * 4);
    const sp = rt.alloc(ns * 4);
    const work = rt.alloc(rt.exports.recurrentSequenceWorkBytes(GH, H, N, rt.exports.sgemmScratchBytes()));
    const [rev, bf] = [reverse ? 1 : 0, batchFirst ? 1 : 0];
    if (mode === 'lstm') rt.exports.lstmSequenceF32(xp, biasp, wp, hp, cp, yp, sp, T, N, H, rev, bf, work);
    else rt.exports.gruSequenceF32(xp, biasp, wp, bp, hp, yp, sp, T, N, H, rev, bf, work);
    return [take(yp, ny), take(sp, ns)];
  }

  function recurrentSequenceBackward(mode: SequenceMode, saved: View, y: View, whh: View, h0: View | null, c0: View | null, hasBias: boolean, hasBhn: boolean,
    dy: View, reverse: boolean, batchFirst: boolean): SequenceGrads {
    if (!f32(saved, y, whh, h0, c0, dy)) {
      const r = cpuBackend.recurrentSequenceBackward(mode, saved, y, whh, h0, c0, hasBias, hasBhn, dy, reverse, batchFirst);
      return [relabel(r[0])!, relabel(r[1]), relabel(r[2])!, relabel(r[3])!, relabel(r[4]), relabel(r[5])];
    }
    const [T, N] = saved.shape;
    const [GH, H] = whh.shape;
    rt.reset();
    const [sp, yp, wp, hp, cp, dp] = [put(saved), put(y), put(whh), put(h0), put(c0), put(dy)];
    const dxg = rt.alloc(T * N * GH * 4);
    const dbias = hasBias ? rt.alloc(GH * 4) : 0;
    const dwhh = rt.alloc(GH * H * 4);
    const [dh, dc] = [zeroed(N * H), zeroed(N * H)];
    const scratch = rt.alloc(rt.exports.recurrentSequenceScratchBytes(GH, N));
    const [rev, bf] = [reverse ? 1 : 0, batchFirst ? 1 : 0];
    if (mode === 'lstm') {
      rt.exports.lstmSequenceBackwardF32(sp, yp, wp, hp, cp, dp, dxg, dbias, dwhh, dh, dc, T, N, H, rev, bf, scratch);
      return [take(dxg, T * N * GH), hasBias ? take(dbias, GH) : null, take(dwhh, GH * H), take(dh, N * H), take(dc, N * H), null];
    }
    const dhg = rt.alloc(T * N * GH * 4);
    const dbhn = hasBhn ? rt.alloc(H * 4) : 0;
    rt.exports.gruSequenceBackwardF32(sp, yp, wp, hp, dp, dxg, dbias, dhg, dwhh, dbhn, dh, T, N, H, rev, bf, scratch);
    return [take(dxg, T * N * GH), hasBias ? take(dbias, GH) : null, take(dwhh, GH * H), take(dh, N * H), null, hasBhn ? take(dbhn, H) : null];
  }

  return { recurrentSequence, recurrentSequenceBackward };
}
