/**
 * Scaled dot-product attention, composed from matmul, softmax and dropout (so its gradient comes for free), and
 * the mask conversions nn.MultiheadAttention shares with it.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { attention } from '../autograd/attention-fused.js';
import type { DType } from '../backend/types.js';
import { getBackend } from '../backend/registry.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { softmax } from './activation.js';
import { dropout, dropoutSpec } from './dropout.js';
import { maskedFill } from './indexing.js';
import { logicalNot } from './compare.js';
import { matmul } from './matmul.js';
import { transpose } from './movement.js';
import { tracing } from './trace-hook.js';
import { checkFloat, checkTensor } from './util.js';

/** Options of `scaledDotProductAttention`. */
export interface ScaledDotProductAttentionOptions {
  /** Broadcastable to [..., L, S]: bool (true = may attend, as PyTorch 2's SDPA) or float (added to the scores). */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (default 0). */
  dropoutP?: number;
  /** Each query position i attends only to key positions j <= i (default false; not with attnMask). */
  isCausal?: boolean;
  /** Factor on q k^T (default 1 / sqrt(E)). */
  scale?: number;
  /** The generator of the dropout masks (default: the global one). */
  generator?: Generator;
}

/** The attention output and the weights it averaged the values with. */
export interface AttentionResult {
  /** softmax(q k^T * scale + mask) v. */
  output: Tensor;
  /** The (dropped-out) attention weights [..., L, S]. */
  weights: Tensor;
}

/** The additive float mask of a bool mask (true = masked out, as nn.MultiheadAttention's), or a float mask as is. */
export function additiveMask(op: string, mask: Tensor, arg: string, dtype: Tensor['dtype'], trueMeans: 'masked' | 'kept'): Tensor {
  if (mask.dtype === 'bool') {
    const masked = trueMeans === 'masked' ? mask : logicalNot(mask);
    return maskedFill(P.filled(mask.shape, 0, dtype, mask.device), masked, -Infinity);
  }
  if (mask.dtype !== dtype) throw new DTypeError(`${op}: ${arg} must be bool or ${dtype} (the query's dtype), got dtype ${mask.dtype}`);
  return mask;
}

/**
 * softmax(q k^T * scale + mask) v for q [..., L, E], k [..., S, E], v [..., S, Ev]; returns the output and the weights.
 * `mask` is an additive float mask broadcastable to [..., L, S].
 */
export function attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, scale: number, dropoutP: number, training: boolean, generator?: Generator): AttentionResult {
  // scaling q before the product, as PyTorch 1.13, keeps float32 rounding the same as its fixtures
  const qs = P.binary('mul', q, P.scalarOf(scale, q.dtype, q));
  let scores = matmul(qs, transpose(k, -2, -1));
  if (mask !== null) scores = P.binary('add', scores, mask);
  let weights = softmax(scores, -1);
  if (dropoutP > 0 && training) weights = dropout(weights, dropoutP, { training, generator });
  return { output: matmul(weights, v), weights };
}

/**
 * `attend`'s output alone, as one fused kernel each way (autograd/attention-fused.ts): the [..., L, S] weights are
 * never made. q [..., L, E], k [..., S, E], v [..., S, Ev] with the same leading dims, `mask` an additive float
 * mask broadcastable to [..., L, S]. Returns null where the fused primitive does not apply — a traced graph (the
 * exporters read the composite ops), a mask that needs a gradient, dropout of 1, leading dims that broadcast —
 * and the caller runs `attend`. Dropout's draws differ from `attend`'s (a hash of each weight's index under a seed
 * drawn from the generator, backend/cpu/drop-hash.ts), with the same keep probability and factor.
 */
export function attendFused(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, scale: number, dropoutP: number, training: boolean,
  generator?: Generator): Tensor | null {
  const p = training ? dropoutP : 0;
  if (tracing.tracer !== null || mask?.requiresGrad || !(p < 1) || q.ndim < 2 || k.ndim !== q.ndim || v.ndim !== q.ndim) return null;
  const r = q.ndim;
  const lead = q.shape.slice(0, r - 2);
  if (lead.some((s, d) => k.shape[d] !== s || v.shape[d] !== s)) return null;
  const [L, E] = q.shape.slice(r - 2);
  const S = k.shape[r - 2];
  const B = lead.reduce((a, b) => a * b, 1);
  let m3: Tensor | null = null;
  if (mask) {
    if (mask.ndim > r || mask.dtype !== q.dtype) return null;
    const ms = [...new Array<number>(r - mask.ndim).fill(1), ...mask.shape];
    const full = [...lead, L, S];
    if (ms.some((s, d) => s !== 1 && s !== full[d])) return null;
    const shared = ms.slice(0, r - 2).every((s) => s === 1);
    m3 = P.reshape(P.expand(P.reshape(mask, ms), shared ? [...ms.slice(0, r - 2), L, S] : full), [shared ? 1 : B, L, S]);
  }
  const drop = p > 0 ? dropoutSpec('attention dropout', p, generator) : null;
  const spec = drop && drop.threshold > 0 ? { ...drop, scale } : { scale, threshold: 0, keepScale: 1, seedLo: 0, seedHi: 0 };
  // 4-D [N, H, L, E] goes as it is, heads read where they lie; other ranks fold their leading dims into one
  const out = r === 4
    ? attention(q, k, v, m3, spec)
    : attention(P.reshape(q, [B, L, E]), P.reshape(k, [B, S, E]), P.reshape(v, [B, S, v.shape[r - 1]]), m3, spec);
  return P.reshape(out, [...lead, L, v.shape[r - 1]]);
}

/**
 * Scaled dot-product attention of `query` [..., L, E], `key` [..., S, E], `value` [..., S, Ev] -> [..., L, Ev],
 * as torch.nn.functional.scaled_dot_product_attention (PyTorch 2; 1.13 has it only inside MultiheadAttention).
 * A bool `attnMask` marks the pairs that MAY attend (the opposite of MultiheadAttention's bool masks, as in PyTorch).
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, opts: ScaledDotProductAttentionOptions = {}): Tensor {
  const op = 'scaledDotProductAttention';
  for (const [t, arg] of [[query, 'query'], [key, 'key'], [value, 'value']] as const) {
    checkFloat(op, checkTensor(op, t, arg), arg);
    if (t.ndim < 2) throw new ShapeError(`${op}: ${arg} must be at least 2-D [..., seq, features], got shape ${fmtShape(t.shape)}`);
    if (t.dtype !== query.dtype) throw new DTypeError(`${op}: ${arg} dtype ${t.dtype} differs from query dtype ${query.dtype}`);
  }
  const E = query.shape[query.ndim - 1];
  const S = key.shape[key.ndim - 2];
  const L = query.shape[query.ndim - 2];
  if (key.shape[key.ndim - 1] !== E) throw new ShapeError(`${op}: key must end with the query's feature size ${E}, got shape ${fmtShape(key.shape)}`);
  if (value.shape[value.ndim - 2] !== S) throw new ShapeError(`${op}: value must have the key's length ${S} in dim -2, got shape ${fmtShape(value.shape)}`);
  const p = opts.dropoutP ?? 0;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`${op}: dropoutP must be in [0, 1], got ${String(p)}`);
  const scale = opts.scale ?? 1 / Math.sqrt(E);
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new ValueError(`${op}: scale must be a finite number, got ${String(scale)}`);
  let mask: Tensor | null = null;
  if (opts.isCausal) {
    if (opts.attnMask) throw new ValueError(`${op}: give either attnMask or isCausal, not both`);
    mask = causalMask(L, S, query.dtype, query.device);
  } else if (opts.attnMask) {
    mask = additiveMask(op, checkTensor(op, opts.attnMask, 'attnMask'), 'attnMask', query.dtype, 'kept');
  }
  return attendFused(query, key, value, mask, scale, p, p > 0, opts.generator) ?? attend(query, key, value, mask, scale, p, p > 0, opts.generator).output;
}

/** [L, S] additive mask with -inf above the diagonal (position i sees keys 0..i). */
export function causalMask(L: number, S: number, dtype: DType, device: string = getBackend().name): Tensor {
  const data = new Float64Array(L * S);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < S; j++) data[i * S + j] = -Infinity;
  return P.fromHost(data, [L, S], dtype, device);
}
