/**
 * Scaled dot-product attention, composed from matmul, softmax and dropout (so its gradient comes for free), and
 * the mask conversions nn.MultiheadAttention shares with it.
 * @module
 */
import * as P from '../autograd/primitives.js';
import type { DType } from '../backend/types.js';
import { getBackend } from '../backend/registry.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { softmax } from './activation.js';
import { dropout } from './dropout.js';
import { maskedFill } from './indexing.js';
import { logicalNot } from './compare.js';
import { matmul } from './matmul.js';
import { transpose } from './movement.js';
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
  return attend(query, key, value, mask, scale, p, p > 0, opts.generator).output;
}

/** [L, S] additive mask with -inf above the diagonal (position i sees keys 0..i). */
export function causalMask(L: number, S: number, dtype: DType, device: string = getBackend().name): Tensor {
  const data = new Float64Array(L * S);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < S; j++) data[i * S + j] = -Infinity;
  return P.fromHost(data, [L, S], dtype, device);
}
