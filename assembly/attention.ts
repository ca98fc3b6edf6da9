/**
 * Float32 scaled dot-product attention as one kernel each way, pair by pair: the scores, mask, softmax, dropout
 * and the product with the values of one (batch, head) pair stay in a per-thread buffer, so the [L, S] weights
 * never go to the caller. The backward pass recomputes them from q and k (as flash attention does) instead of
 * reading them back. Each step is the kernel the composite op would run (sgemm, the float32 add, softmaxRowsF32,
 * the dropout product), in the same order, so the forward's result is the composite's bit for bit; whole pairs
 * go to threads, so results do not depend on the thread count.
 *
 * Dropout's keep decision for element (b, i, j) of the [B, L, S] weights is a hash of (b, i * S + j) under a 64-bit
 * seed (assembly/dropout.ts): any element's draw is known without drawing those before it, so threads need no
 * shared stream and the backward pass needs no stored mask.
 */
import { sgemm } from './gemm';
import { batchKey, dropRun } from './dropout';
import { softmaxBackwardRowsF32, softmaxRowsF32 } from './softmax';

/** Bytes of a thread's work region for L queries, S keys and D features (sgemm's scratch comes after). */
export function attentionWorkBytes(L: i32, S: i32, D: i32): i32 {
  return align64(L * D * 4) + 3 * align64(L * S * 4);
}

@inline function align64(bytes: i32): i32 {
  return (bytes + 63) & ~63;
}

/** `dropRun` over all L rows of [L, S] weights (in-batch indices 0 .. L * S - 1). */
function drop(src: usize, dst: usize, L: i32, S: i32, threshold: u32, keepScale: f32, seedLo: u32, key: u32): void {
  for (let i = 0; i < L; i++) {
    const o = (<usize>i * S) << 2;
    dropRun(src + o, dst + o, S, <u32>(i * S), threshold, keepScale, seedLo, key);
  }
}

/** out = x * s for L rows of D floats, rows `xs` and `os` floats apart (q is scaled before the product, as the composite op does). */
function scaled(x: usize, xs: i32, out: usize, os: i32, L: i32, D: i32, s: f32): void {
  const sv = f32x4.splat(s);
  for (let r = 0; r < L; r++) {
    const xr = x + ((<usize>r * xs) << 2);
    const orow = out + ((<usize>r * os) << 2);
    let i = 0;
    for (; i + 4 <= D; i += 4) v128.store(orow + (<usize>i << 2), f32x4.mul(v128.load(xr + (<usize>i << 2)), sv));
    for (; i < D; i++) store<f32>(orow + (<usize>i << 2), load<f32>(xr + (<usize>i << 2)) * s);
  }
}

/**
 * Where operand `t` of a layout descriptor puts pair b: the descriptor at `layout` holds H (heads), then per
 * operand the strides of its [N, H, T, C] view in floats — batch, head, row (the column stride is 1).
 */
@inline function pairAt(base: usize, layout: usize, t: i32, b: i32): usize {
  const H = load<i32>(layout);
  const o = layout + ((<usize>(1 + 3 * t)) << 2);
  return base + ((<usize>(b / H) * load<i32>(o) + <usize>(b % H) * load<i32>(o, 4)) << 2);
}

/** Row stride (floats) of operand `t` in a layout descriptor. */
@inline function rowStride(layout: usize, t: i32): i32 {
  return load<i32>(layout + ((<usize>(3 + 3 * t)) << 2));
}

/** softmax(qs kb^T + mb) into `p` [L, S] from the scaled queries `qs` [L, D], keys `kb` [S, D] (rows `kr` floats apart), mask `mb` (0: none). */
function softmaxWeights(qs: usize, kb: usize, kr: i32, mb: usize, p: usize, L: i32, S: i32, D: i32, scratch: usize): void {
  sgemm(L, S, D, qs, D, 1, kb, 1, kr, p, S, 0, scratch);
  if (mb != 0) {
    const n = L * S;
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(p + (<usize>i << 2), f32x4.add(v128.load(p + (<usize>i << 2)), v128.load(mb + (<usize>i << 2))));
    for (; i < n; i++) store<f32>(p + (<usize>i << 2), load<f32>(p + (<usize>i << 2)) + load<f32>(mb + (<usize>i << 2)));
  }
  softmaxRowsF32(p, p, L, S);
}

/**
 * out[b] = dropout(softmax(q[b] * scale x k[b]^T + mask[b])) x v[b] for the `count` pairs from pair `b0`: q, k, v
 * and out are [N, H, T, C] views placed as `layout` (pairAt) describes for operands 0, 1, 2, 3; `mask` (0: none)
 * holds [L, S] additive masks `maskStride` floats apart (0: one mask for all). `threshold` 0 means no dropout.
 */
export function attentionF32(
  q: usize, k: usize, v: usize, mask: usize, out: usize, layout: usize, count: i32, b0: i32, L: i32, S: i32, D: i32, Dv: i32,
  maskStride: i32, scale: f32, threshold: u32, keepScale: f32, seedLo: u32, seedHi: u32, work: usize,
): void {
  const qs = work;
  const p = qs + align64(L * D * 4);
  const scratch = work + attentionWorkBytes(L, S, D);
  const qr = rowStride(layout, 0);
  const kr = rowStride(layout, 1);
  const vr = rowStride(layout, 2);
  const or = rowStride(layout, 3);
  for (let b = b0; b < b0 + count; b++) {
    scaled(pairAt(q, layout, 0, b), qr, qs, D, L, D, scale);
    const mb: usize = mask == 0 ? 0 : mask + ((<usize>b * maskStride) << 2);
    softmaxWeights(qs, pairAt(k, layout, 1, b), kr, mb, p, L, S, D, scratch);
    if (threshold != 0) drop(p, p, L, S, threshold, keepScale, seedLo, batchKey(seedHi, b));
    sgemm(L, Dv, S, p, S, 1, pairAt(v, layout, 2, b), vr, 1, pairAt(out, layout, 3, b), or, 0, scratch);
  }
}

/**
 * The gradients dq, dk, dv of `attentionF32` (same arguments) from the output gradient `g`; the weights are
 * recomputed. `layout` describes q, k, v, g, dq, dk, dv as operands 0 to 6. Each product is the one the
 * composite op's backward pass runs.
 */
export function attentionBackwardF32(
  q: usize, k: usize, v: usize, mask: usize, g: usize, dq: usize, dk: usize, dv: usize, layout: usize, count: i32, b0: i32,
  L: i32, S: i32, D: i32, Dv: i32, maskStride: i32, scale: f32, threshold: u32, keepScale: f32, seedLo: u32, seedHi: u32,
  work: usize,
): void {
  const qs = work;
  const p = qs + align64(L * D * 4);
  const pd = p + align64(L * S * 4);
  const dp = pd + align64(L * S * 4);
  const scratch = work + attentionWorkBytes(L, S, D);
  const qr = rowStride(layout, 0);
  const kr = rowStride(layout, 1);
  const vr = rowStride(layout, 2);
  const gr = rowStride(layout, 3);
  const dqr = rowStride(layout, 4);
  const dkr = rowStride(layout, 5);
  const dvr = rowStride(layout, 6);
  for (let b = b0; b < b0 + count; b++) {
    const key = batchKey(seedHi, b);
    const kb = pairAt(k, layout, 1, b);
    const vb = pairAt(v, layout, 2, b);
    const gb = pairAt(g, layout, 3, b);
    const dqb = pairAt(dq, layout, 4, b);
    scaled(pairAt(q, layout, 0, b), qr, qs, D, L, D, scale);
    const mb: usize = mask == 0 ? 0 : mask + ((<usize>b * maskStride) << 2);
    softmaxWeights(qs, kb, kr, mb, p, L, S, D, scratch);
    // the dropped weights and d(weights) = g v^T, then through the dropout product: d(softmax) = d(weights) * factor
    const dropped = threshold != 0 ? pd : p;
    if (threshold != 0) drop(p, pd, L, S, threshold, keepScale, seedLo, key);
    sgemm(L, S, Dv, gb, gr, 1, vb, 1, vr, dp, S, 0, scratch);
    if (threshold != 0) drop(dp, dp, L, S, threshold, keepScale, seedLo, key);
    // dv = dropped^T g
    sgemm(S, Dv, L, dropped, 1, S, gb, gr, 1, pairAt(dv, layout, 6, b), dvr, 0, scratch);
    // d(scores) = p (d(softmax) - rowsum(d(softmax) p)), in place over dp
    softmaxBackwardRowsF32(p, dp, dp, L, S);
    // d(qs) = d(scores) k, dq = d(qs) * scale; dk = d(scores)^T qs
    sgemm(L, D, S, dp, S, 1, kb, kr, 1, dqb, dqr, 0, scratch);
    scaled(dqb, dqr, dqb, dqr, L, D, scale);
    sgemm(S, D, L, dp, 1, S, qs, D, 1, pairAt(dk, layout, 5, b), dkr, 0, scratch);
  }
}
