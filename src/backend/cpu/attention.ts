/**
 * Scaled dot-product attention as one kernel each way (`Kernels.attention`, `attentionBackward`), pair by pair,
 * rounding to the input's dtype where the composite op's kernels store their results (the scaled q, the scores,
 * the masked scores, the softmax, the dropped weights, each product), so that it matches the composite op
 * closely. Operands are read through their strides and results written with the strides the caller gives, so a
 * projection's heads need no copy either way. The backward pass recomputes the weights instead of reading them
 * back; dropout's factors are drop-hash.ts's draws of (b, i * S + j), as the wasm kernel's (assembly/attention.ts).
 * @module
 */
import type { AttentionGradStrides, AttentionSpec, Storage, TypedArray, View } from '../types.js';
import { dropDraw } from './drop-hash.js';
import { HostStorage, allocArray, arrayOf, denseData } from './storage.js';

interface Dims { H: number; B: number; L: number; S: number; D: number; Dv: number; maskStride: number }

function dimsOf(q: View, k: View, v: View, mask: View | null): Dims {
  const [N, H, L, D] = q.shape;
  const S = k.shape[2];
  const Dv = v.shape[3];
  const B = N * H;
  return { H, B, L, S, D, Dv, maskStride: mask && mask.shape[0] === B && B > 1 ? L * S : 0 };
}

/** A [N, H, T, C] operand or result: its array, and where row t, column c of pair b lies (`at(b) + t * sT + c * sC`). */
class Strided {
  constructor(readonly a: TypedArray, private readonly off: number, private readonly strides: readonly number[], private readonly H: number) {}

  /** An input view as it lies in its storage. */
  static of(v: View, H: number): Strided {
    return new Strided(arrayOf(v) as TypedArray, v.offset, v.strides, H);
  }

  /** Offset of pair b's first element. */
  at(b: number): number {
    return this.off + Math.floor(b / this.H) * this.strides[0] + (b % this.H) * this.strides[1];
  }

  /** Row stride. */
  get sT(): number {
    return this.strides[2];
  }

  /** Column stride. */
  get sC(): number {
    return this.strides[3];
  }
}

/** Per-pair work arrays in the dtype, so stores round as the composite's kernels do. */
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

  /** The factor on element n of pair b's weights. */
  factor(b: number, n: number): number {
    return this.spec.threshold === 0 || dropDraw(this.spec.seedLo, this.spec.seedHi, b, n) >= this.spec.threshold ? this.keep : 0;
  }

  /** qs, p (softmax) and pd (dropped) of pair b. */
  weights(b: number, q: Strided, k: Strided, ma: TypedArray | null, d: Dims): void {
    const { L, S, D } = d;
    const { qs, p, pd, e } = this;
    const scale = this.dtype === 'float32' ? Math.fround(this.spec.scale) : this.spec.scale;
    const qo = q.at(b);
    const ko = k.at(b);
    for (let i = 0; i < L; i++) {
      for (let c = 0; c < D; c++) qs[i * D + c] = q.a[qo + i * q.sT + c * q.sC] * scale;
    }
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < S; j++) {
        let s = 0;
        for (let c = 0; c < D; c++) s += qs[i * D + c] * k.a[ko + j * k.sT + c * k.sC];
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

/** dropout(softmax(q * scale x k^T + mask)) x v per pair; [N, H, L, Dv] in q's dtype, laid out with `outStrides`. */
export function attention(q: View, k: View, v: View, mask: View | null, spec: AttentionSpec, outStrides: readonly number[]): Storage {
  const dtype = q.storage.dtype;
  const d = dimsOf(q, k, v, mask);
  const [qa, ka, va] = [Strided.of(q, d.H), Strided.of(k, d.H), Strided.of(v, d.H)];
  const ma = mask && denseData(mask);
  const out = new Strided(allocArray(dtype, d.B * d.L * d.Dv), 0, outStrides, d.H);
  const w = new Work(dtype, d, spec);
  for (let b = 0; b < d.B; b++) {
    w.weights(b, qa, ka, ma, d);
    const vo = va.at(b);
    const oo = out.at(b);
    for (let i = 0; i < d.L; i++) {
      for (let c = 0; c < d.Dv; c++) {
        let s = 0;
        for (let j = 0; j < d.S; j++) s += w.pd[i * d.S + j] * va.a[vo + j * va.sT + c * va.sC];
        out.a[oo + i * out.sT + c * out.sC] = s;
      }
    }
  }
  return new HostStorage(dtype, out.a);
}

/** The gradients [dq, dk, dv] of `attention` from the output gradient `grad` [N, H, L, Dv], laid out with `strides`. */
export function attentionBackward(q: View, k: View, v: View, mask: View | null, grad: View, spec: AttentionSpec,
  strides: AttentionGradStrides): [Storage, Storage, Storage] {
  const dtype = q.storage.dtype;
  const d = dimsOf(q, k, v, mask);
  const { B, H, L, S, D, Dv } = d;
  const [qa, ka, va, ga] = [Strided.of(q, H), Strided.of(k, H), Strided.of(v, H), Strided.of(grad, H)];
  const ma = mask && denseData(mask);
  const dq = new Strided(allocArray(dtype, B * L * D), 0, strides.dq, H);
  const dk = new Strided(allocArray(dtype, B * S * D), 0, strides.dk, H);
  const dv = new Strided(allocArray(dtype, B * S * Dv), 0, strides.dv, H);
  const w = new Work(dtype, d, spec);
  const dp = allocArray(dtype, L * S);
  const scale = dtype === 'float32' ? Math.fround(spec.scale) : spec.scale;
  for (let b = 0; b < B; b++) {
    w.weights(b, qa, ka, ma, d);
    const { qs, p, pd } = w;
    const [ko, vo, go] = [ka.at(b), va.at(b), ga.at(b)];
    const [dqo, dko, dvo] = [dq.at(b), dk.at(b), dv.at(b)];
    // d(weights) = g v^T, through the dropout product
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < S; j++) {
        let s = 0;
        for (let c = 0; c < Dv; c++) s += ga.a[go + i * ga.sT + c * ga.sC] * va.a[vo + j * va.sT + c * va.sC];
        dp[i * S + j] = s;
        dp[i * S + j] *= w.factor(b, i * S + j);
      }
    }
    // dv = dropped^T g
    for (let j = 0; j < S; j++) {
      for (let c = 0; c < Dv; c++) {
        let s = 0;
        for (let i = 0; i < L; i++) s += pd[i * S + j] * ga.a[go + i * ga.sT + c * ga.sC];
        dv.a[dvo + j * dv.sT + c * dv.sC] = s;
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
        for (let j = 0; j < S; j++) s += dp[i * S + j] * ka.a[ko + j * ka.sT + c * ka.sC];
        const at = dqo + i * dq.sT + c * dq.sC;
        dq.a[at] = s;
        dq.a[at] *= scale;
      }
    }
    for (let j = 0; j < S; j++) {
      for (let c = 0; c < D; c++) {
        let s = 0;
        for (let i = 0; i < L; i++) s += dp[i * S + j] * qs[i * D + c];
        dk.a[dko + j * dk.sT + c * dk.sC] = s;
      }
    }
  }
  return [new HostStorage(dtype, dq.a), new HostStorage(dtype, dk.a), new HostStorage(dtype, dv.a)];
}
