/**
 * The fused LSTM cell of the cpu backend (forward and gradient), in plain loops over [N, H] rows.
 * @module
 */
import type { Storage, View } from '../types.js';
import { HostStorage, allocArray, denseData } from './storage.js';

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** See `Kernels.lstmCell`. */
export function lstmCell(gates: View, c: View | null): [Storage, Storage] {
  const [N, H4] = gates.shape;
  const H = H4 / 4;
  const dtype = gates.storage.dtype;
  const G = denseData(gates);
  const C = c ? denseData(c) : null;
  const out = allocArray(dtype, N * 2 * H);
  const act = allocArray(dtype, N * 5 * H);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) {
      const gi = n * 4 * H + j;
      const i = sigmoid(G[gi]);
      const f = sigmoid(G[gi + H]);
      const g = Math.tanh(G[gi + 2 * H]);
      const o = sigmoid(G[gi + 3 * H]);
      const c2 = (C ? f * C[n * H + j] : 0) + i * g;
      const tc = Math.tanh(c2);
      out[n * 2 * H + j] = o * tc;
      out[n * 2 * H + H + j] = c2;
      const a = n * 5 * H + j;
      act[a] = i;
      act[a + H] = f;
      act[a + 2 * H] = g;
      act[a + 3 * H] = o;
      act[a + 4 * H] = tc;
    }
  }
  return [new HostStorage(dtype, out), new HostStorage(dtype, act)];
}

/** See `Kernels.lstmCellBackward`. */
export function lstmCellBackward(act: View, c: View | null, grad: View): [Storage, Storage | null] {
  const [N, H5] = act.shape;
  const H = H5 / 5;
  const dtype = act.storage.dtype;
  const A = denseData(act);
  const C = c ? denseData(c) : null;
  const D = denseData(grad);
  const dg = allocArray(dtype, N * 4 * H);
  const dc = C ? allocArray(dtype, N * H) : null;
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) {
      const a = n * 5 * H + j;
      const [i, f, g, o, tc] = [A[a], A[a + H], A[a + 2 * H], A[a + 3 * H], A[a + 4 * H]];
      const dh = D[n * 2 * H + j];
      const dc2 = D[n * 2 * H + H + j] + dh * o * (1 - tc * tc);
      const prev = C ? C[n * H + j] : 0;
      const q = n * 4 * H + j;
      dg[q] = dc2 * g * (i * (1 - i));
      dg[q + H] = dc2 * prev * (f * (1 - f));
      dg[q + 2 * H] = dc2 * i * (1 - g * g);
      dg[q + 3 * H] = dh * tc * (o * (1 - o));
      if (dc) dc[n * H + j] = dc2 * f;
    }
  }
  return [new HostStorage(dtype, dg), dc ? new HostStorage(dtype, dc) : null];
}
