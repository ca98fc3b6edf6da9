/**
 * Bags of embeddings, as torch.nn.functional.embedding_bag: the rows of a weight matrix looked up for each bag
 * of int32 indices are summed, averaged or max-pooled without materializing the [bags, length, dim] lookups
 * of embedding + reduce (for sum and mean). Built on indexSelect / indexAdd / gather, so the weight and the
 * per-sample weights get gradients from the engine.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkIndexRange } from './indexing.js';
import { checkIndex, checkTensor } from './util.js';

/** How embeddingBag combines a bag's rows. */
export type EmbeddingBagMode = 'sum' | 'mean' | 'max';

/** Options of embeddingBag. */
export interface EmbeddingBagOptions {
  /** Start of each bag in a 1-D `input` (int32 [B], the first 0); not allowed with a 2-D input. */
  offsets?: Tensor | null;
  /** 'sum', 'mean' (default) or 'max'. */
  mode?: EmbeddingBagMode;
  /** A weight per index, of input's shape, multiplying its row before the sum ('sum' mode only). */
  perSampleWeights?: Tensor | null;
  /** `offsets` has B + 1 entries, the last being the input's length (default false). */
  includeLastOffset?: boolean;
  /** Entries equal to this index are left out of their bag (not counted by 'mean'); may be negative. */
  paddingIdx?: number | null;
}

/** Each input position's bag, from a 2-D input or from offsets; checked as PyTorch does. */
function bagsOf(op: string, input: Tensor, offsets: Tensor | null, includeLast: boolean): { B: number; bagOf: Int32Array } {
  const L = input.numel();
  const bagOf = new Int32Array(L);
  if (input.ndim === 2) {
    if (offsets) throw new ValueError(`${op}: offsets must be null when input is 2-D (one bag per row), got shape ${fmtShape(offsets.shape)}`);
    const [B, len] = input.shape;
    for (let i = 0; i < L; i++) bagOf[i] = Math.floor(i / len);
    return { B, bagOf };
  }
  if (input.ndim !== 1) throw new ShapeError(`${op}: input must be 1-D (with offsets) or 2-D [B, L], got shape ${fmtShape(input.shape)}`);
  if (!offsets) throw new ValueError(`${op}: a 1-D input needs offsets (int32 [B]), got none`);
  checkIndex(op, checkTensor(op, offsets, 'offsets'), 'offsets');
  if (offsets.ndim !== 1) throw new ShapeError(`${op}: offsets must be 1-D, got shape ${fmtShape(offsets.shape)}`);
  const o = offsets.toTypedArray();
  const B = includeLast ? o.length - 1 : o.length;
  if (B < 0) throw new ShapeError(`${op}: with includeLastOffset, offsets needs at least 1 entry, got none`);
  // PyTorch documents the extra offset as the input's length and misbehaves on anything else
  if (includeLast && o[o.length - 1] !== L) {
    throw new ValueError(`${op}: with includeLastOffset, the last offset must be the input length ${L}, got ${o[o.length - 1]}`);
  }
  if (o.length > 0 && o[0] !== 0) throw new ValueError(`${op}: offsets[0] must be 0 (the first bag starts at position 0), got ${o[0]}`);
  for (let b = 1; b < o.length; b++) {
    if (o[b] < o[b - 1] || o[b] > L) {
      throw new ValueError(`${op}: offsets must be non-decreasing and at most the input length ${L}, got ${o[b]} after ${o[b - 1]} at position ${b}`);
    }
  }
  for (let b = 0; b < B; b++) {
    const end = b + 1 < o.length ? o[b + 1] : L;
    for (let i = o[b]; i < end; i++) bagOf[i] = b;
  }
  return { B, bagOf };
}

/**
 * Sum, mean or max of the rows of `weight` [numEmbeddings, D] in each bag of int32 `input`: a 2-D input [B, L]
 * is B bags of L indices; a 1-D input is cut into bags at `offsets`. Returns [B, D]; an empty bag gives zeros.
 * PyTorch's maxNorm, scaleGradByFreq and sparse options are not offered.
 */
export function embeddingBag(input: Tensor, weight: Tensor, opts: EmbeddingBagOptions = {}): Tensor {
  const op = 'embeddingBag';
  checkIndex(op, checkTensor(op, input), 'input');
  checkTensor(op, weight, 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`${op}: weight must be 2-D (numEmbeddings, dim), got shape ${fmtShape(weight.shape)}`);
  if (weight.dtype !== 'float32' && weight.dtype !== 'float64') throw new DTypeError(`${op}: weight must be a floating-point tensor, got dtype ${weight.dtype}`);
  const mode = opts.mode ?? 'mean';
  if (mode !== 'sum' && mode !== 'mean' && mode !== 'max') throw new ValueError(`${op}: mode must be 'sum', 'mean' or 'max', got ${String(mode)}`);
  const includeLast = opts.includeLastOffset ?? false;
  if (typeof includeLast !== 'boolean') throw new ValueError(`${op}: includeLastOffset must be a boolean, got ${String(includeLast)}`);
  const [num, D] = weight.shape;
  let pad = opts.paddingIdx ?? null;
  if (pad !== null) {
    if (!Number.isInteger(pad) || pad < -num || pad >= num) throw new ValueError(`${op}: paddingIdx must be in [${-num}, ${num - 1}], got ${pad}`);
    if (pad < 0) pad += num;
  }
  const psw = opts.perSampleWeights ?? null;
  if (psw !== null) {
    checkTensor(op, psw, 'perSampleWeights');
    if (mode !== 'sum') throw new ValueError(`${op}: perSampleWeights is only supported with mode 'sum', got mode '${mode}'`);
    if (psw.ndim !== input.ndim || psw.shape.some((d, i) => d !== input.shape[i])) {
      throw new ShapeError(`${op}: perSampleWeights shape ${fmtShape(psw.shape)} must equal the input shape ${fmtShape(input.shape)}`);
    }
    if (psw.dtype !== weight.dtype) throw new DTypeError(`${op}: perSampleWeights dtype ${psw.dtype} differs from weight dtype ${weight.dtype}`);
  }
  const { B, bagOf } = bagsOf(op, input, opts.offsets ?? null, includeLast);
  checkIndexRange(op, input, num, 'the rows of weight');
  const idx = input.toTypedArray();
  // the positions that count: all but the padding index
  const kept: number[] = [];
  const count = new Int32Array(B);
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] === pad) continue;
    kept.push(i);
    count[bagOf[i]]++;
  }
  const dev = weight.device;
  const ints = (a: ArrayLike<number>) => P.fromHost(a, [a.length], 'int32', dev);
  let rows = P.indexSelect(weight, 0, ints(kept.map((i) => idx[i])));
  if (psw !== null) rows = P.binary('mul', rows, P.reshape(P.indexSelect(P.reshape(psw, [psw.numel()]), 0, ints(kept)), [kept.length, 1]));
  if (mode !== 'max') {
    const total = P.indexAdd(P.filled([B, D], 0, weight.dtype, dev), 0, ints(kept.map((i) => bagOf[i])), rows);
    if (mode === 'sum') return total;
    return P.binary('div', total, P.fromHost(Array.from(count, (c) => Math.max(c, 1)), [B, 1], weight.dtype, dev));
  }
  const maxLen = count.reduce((m, c) => Math.max(m, c), 0);
  // every bag empty: zeros, still tied to the weight so that backward reaches it (with a zero gradient)
  if (maxLen === 0) return P.binary('mul', P.filled([B, D], 0, weight.dtype, dev), P.reduce('sum', weight, [0, 1], false));
  // slots [B, maxLen] point at kept rows, or at an extra -inf row where a bag is shorter
  const K = kept.length;
  const slot = new Int32Array(B * maxLen).fill(K);
  const fill = new Int32Array(B);
  kept.forEach((pos, k) => {
    const b = bagOf[pos];
    slot[b * maxLen + fill[b]++] = k;
  });
  const table = P.cat([rows, P.filled([1, D], -Infinity, weight.dtype, dev)], 0);
  const best = P.reduce('max', P.reshape(P.indexSelect(table, 0, ints(slot)), [B, maxLen, D]), [1], false);
  const empty = P.fromHost(Array.from(count, (c) => (c === 0 ? 1 : 0)), [B, 1], 'bool', dev);
  return P.where(empty, P.scalarOf(0, weight.dtype, weight), best);
}
