/**
 * Float32 scaled dot-product attention as one kernel each way, batch by batch: the scores, mask, softmax, dropout
 * and the product with the values of one (batch, head) pair stay in a per-thread buffer, so the [L, S] weights
 * never go to the caller. The backward pass recomputes them from q and k (as flash attention does) instead of
 * reading them back. Each step is the kernel the composite op would run (sgemm, the float32 add, softmaxRowsF32,
 * the dropout product), in the same order, so the forward's result is the composite's bit for bit; whole batches
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

/** out[i] = x[i] * s for n floats (q is scaled before the product, as the composite op does). */
function scaled(x: usize, out: usize, n: i32, s: f32): void {
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.mul(v128.load(x + (<usize>i << 2)), sv));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), load<f32>(x + (<usize>i << 2)) * s);
}

/** softmax(qs kb^T + mb) into `p` [L, S] from the scaled queries `qs` [L, D], keys `kb` [S, D], mask `mb` (0: none). */
function softmaxWeights(qs: usize, kb: usize, mb: usize, p: usize, L: i32, S: i32, D: i32, scratch: usize): void {
  sgemm(L, S, D, qs, D, 1, kb, 1, D, p, S, 0, scratch);
  if (mb != 0) {
    const n = L * S;
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(p + (<usize>i << 2), f32x4.add(v128.load(p + (<usize>i << 2)), v128.load(mb + (<usize>i << 2))));
    for (; i < n; i++) store<f32>(p + (<usize>i << 2), load<f32>(p + (<usize>i << 2)) + load<f32>(mb + (<usize>i << 2)));
  }
  softmaxRowsF32(p, p, L, S);
}

/**
 * out[b] = dropout(softmax(q[b] * scale x k[b]^T + mask[b])) x v[b] for `count` batches starting at batch `b0`:
 * q [count, L, D], k [count, S, D], v [count, S, Dv], out [count, L, Dv], all contiguous; `mask` (0: none) holds
 * [L, S] additive masks `maskStride` floats apart (0: one mask for all). `threshold` 0 means no dropout.
 */
export function attentionF32(
  q: usize, k: usize, v: usize, mask: usize, out: usize, count: i32, b0: i32, L: i32, S: i32, D: i32, Dv: i32,
  maskStride: i32, scale: f32, threshold: u32, keepScale: f32, seedLo: u32, seedHi: u32, work: usize,
): void {
  const qs = work;
  const p = qs + align64(L * D * 4);
  const scratch = work + attentionWorkBytes(L, S, D);
  for (let t = 0; t < count; t++) {
    scaled(q + ((<usize>t * L * D) << 2), qs, L * D, scale);
    const mb: usize = mask == 0 ? 0 : mask + ((<usize>t * maskStride) << 2);
    softmaxWeights(qs, k + ((<usize>t * S * D) << 2), mb, p, L, S, D, scratch);
    if (threshold != 0) drop(p, p, L, S, threshold, keepScale, seedLo, batchKey(seedHi, b0 + t));
    sgemm(L, Dv, S, p, S, 1, v + ((<usize>t * S * Dv) << 2), Dv, 1, out + ((<usize>t * L * Dv) << 2), Dv, 0, scratch);
  }
}

/**
 * The gradients dq, dk, dv of `attentionF32` (same arguments) from the output gradient `g` [count, L, Dv]; the
 * weights are recomputed. Each product is the one the composite op's backward pass runs.
 */
export function attentionBackwardF32(
  q: usize, k: usize, v: usize, mask: usize, g: usize, dq: usize, dk: usize, dv: usize, count: i32, b0: i32,
  L: i32, S: i32, D: i32, Dv: i32, maskStride: i32, scale: f32, threshold: u32, keepScale: f32, seedLo: u32, seedHi: u32,
  work: usize,
): void {
  const qs = work;
  const p = qs + align64(L * D * 4);
  const pd = p + align64(L * S * 4);
  const dp = pd + align64(L * S * 4);
  const scratch = work + attentionWorkBytes(L, S, D);
  for (let t = 0; t < count; t++) {
    const key = batchKey(seedHi, b0 + t);
    const kb = k + ((<usize>t * S * D) << 2);
    const vb = v + ((<usize>t * S * Dv) << 2);
    const gb = g + ((<usize>t * L * Dv) << 2);
    const dqb = dq + ((<usize>t * L * D) << 2);
    scaled(q + ((<usize>t * L * D) << 2), qs, L * D, scale);
    const mb: usize = mask == 0 ? 0 : mask + ((<usize>t * maskStride) << 2);
    softmaxWeights(qs, kb, mb, p, L, S, D, scratch);
    // the dropped weights and d(weights) = g v^T, then through the dropout product: d(softmax) = d(weights) * factor
    const dropped = threshold != 0 ? pd : p;
    if (threshold != 0) drop(p, pd, L, S, threshold, keepScale, seedLo, key);
    sgemm(L, S, Dv, gb, Dv, 1, vb, 1, Dv, dp, S, 0, scratch);
    if (threshold != 0) drop(dp, dp, L, S, threshold, keepScale, seedLo, key);
    // dv = dropped^T g
    sgemm(S, Dv, L, dropped, 1, S, gb, Dv, 1, dv + ((<usize>t * S * Dv) << 2), Dv, 0, scratch);
    // d(scores) = p (d(softmax) - rowsum(d(softmax) p)), in place over dp
    softmaxBackwardRowsF32(p, dp, dp, L, S);
    // d(qs) = d(scores) k, dq = d(qs) * scale; dk = d(scores)^T qs
    sgemm(L, D, S, dp, S, 1, kb, D, 1, dqb, D, 0, scratch);
    scaled(dqb, dqb, L * D, scale);
    sgemm(S, D, L, dp, 1, S, qs, D, 1, dk + ((<usize>t * S * D) << 2), D, 0, scratch);
  }
}
