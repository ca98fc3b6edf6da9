/**
 * Whole-sequence LSTM and GRU layers of the cpu backend (`Kernels.recurrentSequence` and its gradient) in plain
 * loops, in double precision between the stored values: the reference the wasm kernels (assembly/recurrent-seq.ts)
 * are checked against, and the float64 path that gradcheck runs.
 * @module
 */
import type { SequenceGrads, SequenceMode, Storage, TypedArray, View } from '../types.js';
import { HostStorage, allocArray, denseData } from './storage.js';

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Values per (step, row, unit) that each mode saves for its backward pass. */
const SAVED: Record<SequenceMode, number> = { lstm: 5, gru: 4 };

/** Row index of (step t, sequence n) in a [T, N, ...] array, or in an [N, T, ...] one with `bf`. */
type RowOf = (t: number, n: number) => number;

function rowOf(bf: boolean, T: number, N: number): RowOf {
  return bf ? (t, n) => n * T + t : (t, n) => t * N + n;
}

/**
 * The state [N, H] entering step s (time t): the output of the previous step tp in processing order (rows of y
 * from `base`), or the initial one.
 */
function previous(y: TypedArray, base: number, row: RowOf, init: TypedArray | null, s: number, tp: number, N: number, H: number): Float64Array {
  const out = new Float64Array(N * H);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) out[n * H + j] = s > 0 ? y[base + row(tp, n) * H + j] : init ? init[n * H + j] : 0;
  }
  return out;
}

/** xg = x W_ih^T: rows [M, I] times wih [GH, I] transposed, in double precision. */
function project(x: TypedArray, wih: TypedArray, M: number, I: number, GH: number): Float64Array {
  const out = new Float64Array(M * GH);
  for (let m = 0; m < M; m++) {
    for (let r = 0; r < GH; r++) {
      let acc = 0;
      for (let k = 0; k < I; k++) acc += x[m * I + k] * wih[r * I + k];
      out[m * GH + r] = acc;
    }
  }
  return out;
}

function fromF64(dtype: Storage['dtype'], x: Float64Array): Storage {
  const out = allocArray(dtype, x.length);
  out.set(x);
  return new HostStorage(dtype, out);
}

/** See `Kernels.recurrentSequence`. */
export function recurrentSequence(mode: SequenceMode, x: View, wih: View, bias: View | null, whh: View, h0: View | null, c0: View | null, bhn: View | null,
  reverse: boolean, batchFirst: boolean): [Storage, Storage] {
  const [A0, B0, I] = x.shape;
  const GH = wih.shape[0];
  const [T, N] = batchFirst ? [B0, A0] : [A0, B0];
  const row = rowOf(batchFirst, T, N);
  const H = whh.shape[1];
  const lstm = mode === 'lstm';
  const dtype = x.storage.dtype;
  const [X, W, Bias] = [project(denseData(x), denseData(wih), T * N, I, GH), denseData(whh), bias && denseData(bias)];
  const [H0, C0, B] = [h0 && denseData(h0), c0 && denseData(c0), bhn && denseData(bhn)];
  const NH = N * H;
  const K = SAVED[mode] * H;
  const y = allocArray(dtype, (lstm ? 2 : 1) * T * NH);
  const saved = allocArray(dtype, T * N * K);
  const hg = new Float64Array(GH);
  const xrow = new Float64Array(GH);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1;
    const hp = previous(y, 0, row, H0, s, tp, N, H);
    const cp = lstm ? previous(y, T * NH, row, C0, s, tp, N, H) : null;
    for (let n = 0; n < N; n++) {
      for (let r = 0; r < GH; r++) {
        let acc = 0;
        for (let k = 0; k < H; k++) acc += hp[n * H + k] * W[r * H + k];
        hg[r] = acc;
      }
      const xo = row(t, n) * GH;
      for (let r = 0; r < GH; r++) xrow[r] = X[xo + r] + (Bias ? Bias[r] : 0);
      const so = (t * N + n) * K;
      const yo = row(t, n) * H;
      for (let j = 0; j < H; j++) {
        if (cp) {
          const i = sigmoid(xrow[j] + hg[j]);
          const f = sigmoid(xrow[H + j] + hg[H + j]);
          const g = Math.tanh(xrow[2 * H + j] + hg[2 * H + j]);
          const o = sigmoid(xrow[3 * H + j] + hg[3 * H + j]);
          const c2 = f * cp[n * H + j] + i * g;
          const tc = Math.tanh(c2);
          y[yo + j] = o * tc;
          y[T * NH + yo + j] = c2;
          [saved[so + j], saved[so + H + j], saved[so + 2 * H + j], saved[so + 3 * H + j], saved[so + 4 * H + j]] = [i, f, g, o, tc];
        } else {
          const r = sigmoid(xrow[j] + hg[j]);
          const z = sigmoid(xrow[H + j] + hg[H + j]);
          const hn = hg[2 * H + j] + (B ? B[j] : 0);
          const nn = Math.tanh(xrow[2 * H + j] + r * hn);
          y[yo + j] = nn + z * (hp[n * H + j] - nn);
          [saved[so + j], saved[so + H + j], saved[so + 2 * H + j], saved[so + 3 * H + j]] = [r, z, nn, hn];
        }
      }
    }
  }
  return [new HostStorage(dtype, y), new HostStorage(dtype, saved)];
}

/** See `Kernels.recurrentSequenceBackward`. */
export function recurrentSequenceBackward(mode: SequenceMode, saved: View, y: View, x: View, wih: View, whh: View, h0: View | null, c0: View | null,
  hasBias: boolean, hasBhn: boolean, dy: View, reverse: boolean, batchFirst: boolean): SequenceGrads {
  const [T, N] = saved.shape;
  const row = rowOf(batchFirst, T, N);
  const H = whh.shape[1];
  const GH = whh.shape[0];
  const lstm = mode === 'lstm';
  const dtype = saved.storage.dtype;
  const [A, Y, W, D] = [denseData(saved), denseData(y), denseData(whh), denseData(dy)];
  const [H0, C0] = [h0 && denseData(h0), c0 && denseData(c0)];
  const NH = N * H;
  const K = SAVED[mode] * H;
  const dxg = new Float64Array(T * N * GH);
  const dwhh = new Float64Array(GH * H);
  const dbhn = new Float64Array(H);
  const dh = new Float64Array(NH);
  const dc = new Float64Array(NH);
  const dgh = new Float64Array(N * GH);
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1;
    const hp = previous(Y, 0, row, H0, s, tp, N, H);
    const cp = lstm ? previous(Y, T * NH, row, C0, s, tp, N, H) : null;
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < H; j++) {
        dh[n * H + j] += D[row(t, n) * H + j];
        if (lstm) dc[n * H + j] += D[T * NH + row(t, n) * H + j];
      }
    }
    for (let n = 0; n < N; n++) {
      const so = (t * N + n) * K;
      const xo = row(t, n) * GH;
      for (let j = 0; j < H; j++) {
        const q = n * H + j;
        if (cp) {
          const [i, f, g, o, tc] = [A[so + j], A[so + H + j], A[so + 2 * H + j], A[so + 3 * H + j], A[so + 4 * H + j]];
          const dc2 = dc[q] + dh[q] * o * (1 - tc * tc);
          const grads = [dc2 * g * i * (1 - i), dc2 * cp[q] * f * (1 - f), dc2 * i * (1 - g * g), dh[q] * tc * o * (1 - o)];
          grads.forEach((v, b) => (dxg[xo + b * H + j] = dgh[n * GH + b * H + j] = v));
          dc[q] = dc2 * f;
        } else {
          const [r, z, nn, hn] = [A[so + j], A[so + H + j], A[so + 2 * H + j], A[so + 3 * H + j]];
          const dn = dh[q] * (1 - z) * (1 - nn * nn);
          const dz = dh[q] * (hp[q] - nn) * z * (1 - z);
          const dr = dn * hn * r * (1 - r);
          [dxg[xo + j], dxg[xo + H + j], dxg[xo + 2 * H + j]] = [dr, dz, dn];
          [dgh[n * GH + j], dgh[n * GH + H + j], dgh[n * GH + 2 * H + j]] = [dr, dz, dn * r];
          dbhn[j] += dn * r;
          dh[q] *= z;
        }
      }
      for (let k = 0; k < H; k++) {
        let acc = lstm ? 0 : dh[n * H + k];
        for (let r = 0; r < GH; r++) acc += dgh[n * GH + r] * W[r * H + k];
        dh[n * H + k] = acc;
      }
      for (let r = 0; r < GH; r++) {
        const g = dgh[n * GH + r];
        for (let k = 0; k < H; k++) dwhh[r * H + k] += g * hp[n * H + k];
      }
    }
  }
  const dbias = new Float64Array(GH);
  for (let i = 0; i < dxg.length; i++) dbias[i % GH] += dxg[i];
  // through the projection xg = x W_ih^T: dx = dxg W_ih, dW_ih = dxg^T x
  const I = wih.shape[1];
  const [Xin, Wih] = [denseData(x), denseData(wih)];
  const dx = new Float64Array(T * N * I);
  const dwih = new Float64Array(GH * I);
  for (let m = 0; m < T * N; m++) {
    for (let r = 0; r < GH; r++) {
      const g = dxg[m * GH + r];
      for (let k = 0; k < I; k++) {
        dx[m * I + k] += g * Wih[r * I + k];
        dwih[r * I + k] += g * Xin[m * I + k];
      }
    }
  }
  return [
    fromF64(dtype, dx), fromF64(dtype, dwih), hasBias ? fromF64(dtype, dbias) : null, fromF64(dtype, dwhh), fromF64(dtype, dh),
    lstm ? fromF64(dtype, dc) : null, !lstm && hasBhn ? fromF64(dtype, dbhn) : null,
  ];
}
