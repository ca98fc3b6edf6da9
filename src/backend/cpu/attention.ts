/**
 * Scaled dot-product attention as one kernel each way (`Kernels.attention`, `attentionBackward`), batch by batch,
 * rounding to the input's dtype where the composite op's kernels store their results (the scaled q, the scores,
 * the masked scores, the softmax, the dropped weights, each product), so that it matches the composite op
 * closely. The backward pass recomputes the weights instead of reading them back; dropout's factors are drop-hash.ts's
 * draws of (b, i * S + j), as the wasm kernel's (assembly/attention.ts).
 * @module
 */
import type { AttentionSpec, Storage, TypedArray, View } from '../types.js';
import { dropDraw } from './drop-hash.js';
import { HostStorage, allocArray, denseData } from './storage.js';

interface Dims { B: number; L: number; S: number; D: number; Dv: number; maskStride: number }

function dimsOf(q: View, k: View, v: View, mask: View | null): Dims {
  const [B, L, D] = q.shape;
  const S = k.shape[1];
  const Dv = v.shape[2];
  return { B, L, S, D, Dv, maskStride: mask && mask.shape[0] === B && B > 1 ? L * S : 0 };
}

/** Per-batch work arrays in the dtype, so stores round as the composite's kernels do. */
class Work {
  readonly qs: TypedArray;
  readonly p: TypedArray;
  readonly pd: TypedArray;
  /** One row's exponentials, unrounded. */
  readonly e: Float64Array;
  readonly keep: number;
  constructor(readonly dtype: View['storage']['dtype'], d: Dims, readonly spec: AttentionSpec) {
    this.qs = allocArray(dtype, d.L * d.D);
    this.p = allocArray(dtype, d.L * d.S);
    this.pd = allocArray(dtype, d.L * d.S);
    this.e = new Float64Array(d.S);
    this.keep = dtype === 'float32' ? Math.fround(spec.keepScale) : spec.keepScale;
  }

  /** The factor on element n of batch b's weights. */
  factor(b: number, n: number): number {
    return this.spec.threshold === 0 || dropDraw(this.spec.seedLo, this.spec.seedHi, b, n) >= this.spec.threshold ? this.keep : 0;
  }

  /** qs, p (softmax) and pd (dropped) of batch b. */
  weights(b: number, qa: TypedArray, ka: TypedArray, ma: TypedArray | null, d: Dims): void {
    const { L, S, D } = d;
    const { qs, p, pd, e } = this;
    const scale = this.dtype === 'float32' ? Math.fround(this.spec.scale) : this.spec.scale;
    for (let i = 0; i < L * D; i++) qs[i] = qa[b * L * D + i] * scale;
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < S; j++) {
        let s = 0;
        for (let c = 0; c < D; c++) s += qs[i * D + c] * ka[(b * S + j) * D + c];
        p[i * S + j] = s;
        if (ma) p[i * S + j] += ma[b * d.maskStride + i * S + j];
      }
      // as the softmax kernel: the shift is the row maximum, or 0 where that is infinite or NaN
      let m = -Infinity;
      for (let j = 0; j < S; j++) m = p[i * S + j] > m || p[i * S + j] !== p[i * S + j] ? p[i * S + j] : m;
      const shift = Number.isFinite(m) ? m : 0;
      let sum = 0;
      for (let j = 0; j < S; j++) sum += e[j] = Math.exp(p[i * S + j] - shift);
      for (let j = 0; j < S; j++) {
        p[i * S + j] = e[j] / sum;
        pd[i * S + j] = p[i * S + j] * this.factor(b, i * S + j);
      }
    }
  }
}

/** dropout(softmax(q * scale x k^T + mask)) x v per batch; [B, L, Dv] in q's dtype. */
export function attention(q: View, k: View, v: View, mask: View | null, spec: AttentionSpec): Storage {
  const dtype = q.storage.dtype;
  const d = dimsOf(q, k, v, mask);
  const [qa, ka, va] = [denseData(q), denseData(k), denseData(v)];
  const ma = mask && denseData(mask);
  const out = allocArray(dtype, d.B * d.L * d.Dv);
  const w = new Work(dtype, d, spec);
  for (let b = 0; b < d.B; b++) {
    w.weights(b, qa, ka, ma, d);
    for (let i = 0; i < d.L; i++) {
      for (let c = 0; c < d.Dv; c++) {
        let s = 0;
        for (let j = 0; j < d.S; j++) s += w.pd[i * d.S + j] * va[(b * d.S + j) * d.Dv + c];
        out[(b * d.L + i) * d.Dv + c] = s;
      }
    }
  }
  return new HostStorage(dtype, out);
}

/** The gradients [dq, dk, dv] of `attention` from the output gradient `grad` [B, L, Dv]. */
export function attentionBackward(q: View, k: View, v: View, mask: View | null, grad: View, spec: AttentionSpec): [Storage, Storage, Storage] {
  const dtype = q.storage.dtype;
  const d = dimsOf(q, k, v, mask);
  const { B, L, S, D, Dv } = d;
  const [qa, ka, va, ga] = [denseData(q), denseData(k), denseData(v), denseData(grad)];
  const ma = mask && denseData(mask);
  const [dq, dk, dv] = [allocArray(dtype, B * L * D), allocArray(dtype, B * S * D), allocArray(dtype, B * S * Dv)];
  const w = new Work(dtype, d, spec);
  const dp = allocArray(dtype, L * S);
  const scale = dtype === 'float32' ? Math.fround(spec.scale) : spec.scale;
  for (let b = 0; b < B; b++) {
    w.weights(b, qa, ka, ma, d);
    const { qs, p, pd } = w;
    // d(weights) = g v^T, through the dropout product
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < S; j++) {
        let s = 0;
        for (let c = 0; c < Dv; c++) s += ga[(b * L + i) * Dv + c] * va[(b * S + j) * Dv + c];
        dp[i * S + j] = s;
        dp[i * S + j] *= w.factor(b, i * S + j);
      }
    }
    // dv = dropped^T g
    for (let j = 0; j < S; j++) {
      for (let c = 0; c < Dv; c++) {
        let s = 0;
        for (let i = 0; i < L; i++) s += pd[i * S + j] * ga[(b * L + i) * Dv + c];
        dv[(b * S + j) * Dv + c] = s;
      }
    }
    // d(scores) = p (d(softmax) - rowsum(d(softmax) p)), over dp
    for (let i = 0; i < L; i++) {
      let dot = 0;
      for (let j = 0; j < S; j++) dot += dp[i * S + j] * p[i * S + j];
      for (let j = 0; j < S; j++) dp[i * S + j] = p[i * S + j] * (dp[i * S + j] - dot);
    }
    for (let i = 0; i < L; i++) {
      for (let c = 0; c < D; c++) {
        let s = 0;
        for (let j = 0; j < S; j++) s += dp[i * S + j] * ka[(b * S + j) * D + c];
        dq[(b * L + i) * D + c] = s;
        dq[(b * L + i) * D + c] *= scale;
      }
    }
    for (let j = 0; j < S; j++) {
      for (let c = 0; c < D; c++) {
        let s = 0;
        for (let i = 0; i < L; i++) s += dp[i * S + j] * qs[i * D + c];
        dk[(b * S + j) * D + c] = s;
      }
    }
  }
  return [new HostStorage(dtype, dq), new HostStorage(dtype, dk), new HostStorage(dtype, dv)];
}
