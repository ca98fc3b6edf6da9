/**
 * Writing into a copy of a tensor at index positions: indexAdd, indexCopy, indexFill (whole slices along a dim)
 * and scatter, scatterReduce (single elements, PyTorch's scatter rules). Built from indexSelect, indexAdd,
 * scatterAdd and where, so gradients come from those primitives. Where several index entries hit the same
 * place (PyTorch leaves the winner unspecified) the last one in row-major order wins.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import { normDim, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkIndexRange } from './indexing.js';
import { prod } from './reduce.js';
import { checkIndex, checkNumber, checkTensor } from './util.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

function int32(data: ArrayLike<number>, like: Tensor): Tensor {
  return P.fromHost(data, [data.length], 'int32', like.device);
}

function boolMask(data: Uint8Array, shape: readonly number[], like: Tensor): Tensor {
  return P.fromHost(data, shape, 'bool', like.device);
}

/** A value for `x`'s elements: a number, or a 0-d tensor (cast to x's dtype; its gradient is kept). */
function fillValue(op: string, x: Tensor, value: number | Tensor): Tensor {
  if (value instanceof Tensor) {
    if (value.ndim !== 0) throw new ShapeError(`${op}: a tensor value must be 0-d, got shape ${fmtShape(value.shape)}`);
    return P.cast(value, x.dtype);
  }
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError(`${op}: value must be a number or a 0-d Tensor, got ${typeof value}`);
  return P.scalarOf(Number(value), x.dtype, x);
}

// ---- whole slices along a dim --------------------------------------------------------------------------

interface SliceArgs {
  d: number;
  idx: Int32Array;
  index: Tensor;
}

/** Checks x, dim and a 0-D/1-D int32 index (in range for dim); a 0-d `x` works as a 1-element 1-D tensor. */
function sliceArgs(op: string, x: Tensor, dim: number, index: Tensor): SliceArgs {
  checkTensor(op, x);
  checkIndex(op, checkTensor(op, index, 'index'));
  if (index.ndim > 1) throw new ShapeError(`${op}: index must be 0-D or 1-D, got shape ${fmtShape(index.shape)}`);
  const d = normDim(op, dim, x.ndim);
  const flat = P.reshape(index, [index.numel()]);
  checkIndexRange(op, flat, x.ndim === 0 ? 1 : x.shape[d], `dim ${d}`);
  return { d, idx: flat.toTypedArray() as Int32Array, index: flat };
}

function checkSliceSrc(op: string, x: Tensor, a: SliceArgs, src: Tensor): void {
  checkTensor(op, src, 'source');
  if (src.dtype !== x.dtype) throw new DTypeError(`${op}: source must have input's dtype ${x.dtype}, got ${src.dtype}`);
  const want = x.ndim === 0 ? [a.idx.length] : x.shape.map((s, k) => (k === a.d ? a.idx.length : s));
  const got = x.ndim === 0 && src.ndim === 0 ? [1] : src.shape;
  if (got.length !== want.length || got.some((s, k) => s !== want[k])) {
    throw new ShapeError(`${op}: source must have shape ${fmtShape(want)} (input ${fmtShape(x.shape)} with dim ${a.d} of the index's length ${a.idx.length}), got ${fmtShape(src.shape)}`);
  }
}

/** Runs `f` on x viewed as 1-D when x is 0-d (PyTorch accepts 0-d inputs with dim 0). */
function on1d(x: Tensor, src: Tensor | null, f: (x: Tensor, src: Tensor | null) => Tensor): Tensor {
  if (x.ndim !== 0) return f(x, src);
  return P.reshape(f(P.reshape(x, [1]), src && P.reshape(src, [src.numel()])), []);
}

/** A bool mask shaped [1, .., n, .., 1] (n = x.shape[d]) true at `positions` along dim d. */
function dimMask(x: Tensor, d: number, positions: ArrayLike<number>): Tensor {
  const hit = new Uint8Array(x.shape[d]);
  for (let i = 0; i < positions.length; i++) hit[positions[i]] = 1;
  return boolMask(hit, x.shape.map((s, k) => (k === d ? s : 1)), x);
}

/** Options of {@link indexAdd}. */
export interface IndexAddOptions {
  /** Factor applied to `source` before adding (default 1). */
  alpha?: number;
}

/**
 * A copy of `x` with `alpha * source` slice j added to slice `index[j]` along `dim` (repeats add up). `source`
 * has x's shape with that dim of the index's length.
 */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, opts: IndexAddOptions = {}): Tensor {
  const a = sliceArgs('indexAdd', x, dim, index);
  checkSliceSrc('indexAdd', x, a, source);
  if (x.dtype === 'bool') throw new DTypeError('indexAdd: bool tensors cannot be added; cast them first');
  const alpha = checkNumber('indexAdd', opts.alpha ?? 1, 'alpha');
  if (!isFloating(x.dtype) && !Number.isInteger(alpha)) throw new ValueError(`indexAdd: alpha must be an integer for a ${x.dtype} input, got ${alpha}`);
  return on1d(x, source, (x1, s1) => {
    const s = alpha === 1 ? s1! : P.binary('mul', s1!, P.scalarOf(alpha, x.dtype, x));
    return P.indexAdd(x1, a.d, a.index, s);
  });
}

/**
 * A copy of `x` whose slice `index[j]` along `dim` is `source`'s slice j (the last j wins for repeated
 * indices). `source` has x's shape with that dim of the index's length.
 */
export function indexCopy(x: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  const a = sliceArgs('indexCopy', x, dim, index);
  checkSliceSrc('indexCopy', x, a, source);
  if (a.idx.length === 0) return P.copy(x);
  return on1d(x, source, (x1, s1) => {
    const owner = new Int32Array(x1.shape[a.d]).fill(-1);
    a.idx.forEach((t, j) => (owner[t] = j));
    const placed = P.indexSelect(s1!, a.d, int32(owner.map((o) => Math.max(o, 0)), x));
    return P.where(dimMask(x1, a.d, a.idx), placed, x1);
  });
}

/** A copy of `x` whose slices `index` along `dim` are filled with `value` (a number or a 0-d tensor). */
export function indexFill(x: Tensor, dim: number, index: Tensor, value: number | Tensor): Tensor {
  const a = sliceArgs('indexFill', x, dim, index);
  const v = fillValue('indexFill', x, value);
  return on1d(x, null, (x1) => P.where(dimMask(x1, a.d, a.idx), v, x1));
}

// ---- single elements (scatter) -------------------------------------------------------------------------

/** How a group of values landing on one element combines in {@link scatterReduce}. */
export type ScatterReduce = 'sum' | 'prod' | 'mean' | 'amax' | 'amin';

interface ScatterArgs {
  d: number;
  /** Flat row-major position in x of each index element (in index's row-major order). */
  dest: Int32Array;
}

/** Checks PyTorch's scatter shape rules and the index range; returns where each index element lands. */
function scatterArgs(op: string, x: Tensor, dim: number, index: Tensor, src: Tensor | null): ScatterArgs {
  checkIndex(op, checkTensor(op, index, 'index'));
  const d = normDim(op, dim, x.ndim);
  if (index.ndim !== x.ndim) throw new ShapeError(`${op}: index must have as many dims as input: input ${fmtShape(x.shape)}, index ${fmtShape(index.shape)}`);
  if (src && src.ndim !== x.ndim) throw new ShapeError(`${op}: src must have as many dims as input: input ${fmtShape(x.shape)}, src ${fmtShape(src.shape)}`);
  index.shape.forEach((s, k) => {
    if (k !== d && s > x.shape[k]) throw new ShapeError(`${op}: index ${fmtShape(index.shape)} is larger than input ${fmtShape(x.shape)} in dim ${k}`);
    if (src && s > src.shape[k]) throw new ShapeError(`${op}: index ${fmtShape(index.shape)} is larger than src ${fmtShape(src.shape)} in dim ${k}`);
  });
  const size = x.ndim === 0 ? 1 : x.shape[d];
  checkIndexRange(op, index, size, `dim ${d}`);
  const idx = index.toTypedArray() as Int32Array;
  const xStrides = x.shape.map((_, k) => sizeOf(x.shape.slice(k + 1)));
  const dest = new Int32Array(idx.length);
  const coord = new Array<number>(index.ndim).fill(0);
  for (let k = 0; k < idx.length; k++) {
    let q = 0;
    for (let e = 0; e < coord.length; e++) q += (e === d ? idx[k] : coord[e]) * xStrides[e];
    dest[k] = q;
    for (let e = coord.length - 1; e >= 0; e--) {
      if (++coord[e] < index.shape[e]) break;
      coord[e] = 0;
    }
  }
  return { d, dest };
}

/** src's index-shaped leading corner, flattened (only that corner takes part, PyTorch's rule). */
function srcValues(src: Tensor, index: Tensor): Tensor {
  const corner = src.shape.every((s, k) => s === index.shape[k]) ? src : P.slice(src, index.shape.map((size) => ({ start: 0, step: 1, size })));
  return P.reshape(corner, [index.numel()]);
}

function checkSrc(op: string, x: Tensor, src: Tensor): Tensor {
  checkTensor(op, src, 'src');
  if (src.dtype !== x.dtype) throw new DTypeError(`${op}: src must have input's dtype ${x.dtype}, got ${src.dtype}`);
  return src;
}

/** Options of {@link scatter}. */
export interface ScatterOptions {
  /** Combine with the existing element instead of replacing it: 'add' or 'multiply'. */
  reduce?: 'add' | 'multiply';
}

/**
 * A copy of `x` with `src[i][j]` written at `[i][index[i][j]]` for dim 1 (and likewise for any dim); `src` is
 * a tensor (its index-shaped corner is used) or a number. With `reduce` the value is added or multiplied in
 * (PyTorch has no gradient for that form; shendu gives the exact one).
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number, opts: ScatterOptions = {}): Tensor {
  checkTensor('scatter', x);
  const isTensor = src instanceof Tensor;
  if (isTensor) checkSrc('scatter', x, src);
  else if (typeof src !== 'number' && typeof src !== 'boolean') throw new ValueError(`scatter: src must be a Tensor or a number, got ${typeof src}`);
  const reduce = opts.reduce;
  if (reduce !== undefined && reduce !== 'add' && reduce !== 'multiply') throw new ValueError(`scatter: reduce must be 'add' or 'multiply', got ${JSON.stringify(reduce)}`);
  const a = scatterArgs('scatter', x, dim, index, isTensor ? src : null);
  const values = () => (isTensor ? srcValues(src, index) : P.filled([index.numel()], Number(src), x.dtype, x.device));
  if (reduce !== undefined) {
    if (x.dtype === 'bool') throw new DTypeError(`scatter: reduce '${reduce}' needs a numeric input, got dtype bool`);
    return combine(reduce === 'add' ? 'sum' : 'prod', x, a.dest, values(), true);
  }
  if (a.dest.length === 0) return P.copy(x);
  const owner = new Int32Array(x.numel()).fill(-1);
  a.dest.forEach((q, k) => (owner[q] = k));
  const hit = boolMask(Uint8Array.from(owner, (o) => (o >= 0 ? 1 : 0)), x.shape, x);
  if (!isTensor) return P.where(hit, P.scalarOf(Number(src), x.dtype, x), x);
  const placed = P.reshape(P.indexSelect(values(), 0, int32(owner.map((o) => Math.max(o, 0)), x)), x.shape);
  return P.where(hit, placed, x);
}

/** Options of {@link scatterReduce}. */
export interface ScatterReduceOptions {
  /** Whether x's own element joins the reduction where something lands (default true). */
  includeSelf?: boolean;
}

/**
 * A copy of `x` where each element that index entries land on (as in {@link scatter}) becomes the `reduce`
 * ('sum', 'prod', 'mean', 'amax', 'amin') of the src values landing there, and of its own value unless
 * `includeSelf` is false; other elements keep theirs. Integer means round down, as PyTorch. Gradients as
 * PyTorch: amax/amin share among ties, prod is exact.
 */
export function scatterReduce(x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduce, opts: ScatterReduceOptions = {}): Tensor {
  checkTensor('scatterReduce', x);
  checkSrc('scatterReduce', x, src);
  if (!['sum', 'prod', 'mean', 'amax', 'amin'].includes(reduce)) {
    throw new ValueError(`scatterReduce: reduce must be 'sum', 'prod', 'mean', 'amax' or 'amin', got ${JSON.stringify(reduce)}`);
  }
  if (x.dtype === 'bool') throw new DTypeError('scatterReduce: input must be numeric, got dtype bool');
  const includeSelf = opts.includeSelf ?? true;
  if (typeof includeSelf !== 'boolean') throw new ValueError(`scatterReduce: includeSelf must be a boolean, got ${typeof includeSelf}`);
  const a = scatterArgs('scatterReduce', x, dim, index, src);
  return combine(reduce, x, a.dest, srcValues(src, index), includeSelf);
}

/** The value that leaves a reduction unchanged (the padding of combine's matrix). */
function identity(reduce: 'prod' | 'amax' | 'amin', float: boolean): number {
  if (reduce === 'prod') return 1;
  if (reduce === 'amax') return float ? -Infinity : INT_MIN;
  return float ? Infinity : INT_MAX;
}

/** sum and mean through the scatterAdd primitive: one pass, no padding, whatever the number of collisions. */
function addUp(reduce: 'sum' | 'mean', x: Tensor, dest: Int32Array, vals: Tensor, includeSelf: boolean): Tensor {
  const n = x.numel();
  const counts = new Float64Array(n).fill(includeSelf ? 1 : 0);
  for (const q of dest) counts[q]++;
  const flat = P.reshape(x, [n]);
  const base = includeSelf ? flat : P.where(boolMask(Uint8Array.from(counts, (c) => (c > 0 ? 1 : 0)), [n], x), P.scalarOf(0, x.dtype, x), flat);
  const total = P.reshape(P.scatterAdd(base, 0, int32(dest, x), vals), x.shape);
  if (reduce === 'sum') return total;
  // untouched elements (count 0 without self) divide by 1 and keep their value
  const c = P.fromHost(counts.map((k) => Math.max(k, 1)), x.shape, 'float64', x.device);
  if (isFloating(x.dtype)) return P.binary('div', total, P.cast(c, x.dtype));
  return P.cast(P.unary('floor', P.binary('div', P.cast(total, 'float64'), c)), x.dtype);
}

/**
 * prod, amax and amin as dense ops: the values landing on each hit element are gathered into one padded row of
 * a [hits, most landing on one] matrix (pads hold the reduction's identity), reduced along the row and put back.
 */
function combine(reduce: ScatterReduce, x: Tensor, dest: Int32Array, vals: Tensor, includeSelf: boolean): Tensor {
  if (dest.length === 0) return P.copy(x);
  if (reduce === 'sum' || reduce === 'mean') return addUp(reduce, x, dest, vals, includeSelf);
  const rowOf = new Int32Array(x.numel()).fill(-1);
  const rows: number[] = [];
  const counts: number[] = [];
  for (const q of dest) {
    if (rowOf[q] < 0) {
      rowOf[q] = rows.length;
      rows.push(q);
      counts.push(0);
    }
    counts[rowOf[q]]++;
  }
  const D = rows.length;
  const C = counts.reduce((a, b) => Math.max(a, b), 0);
  const sel = new Int32Array(D * C);
  const pad = new Uint8Array(D * C).fill(1);
  const used = new Int32Array(D);
  dest.forEach((q, k) => {
    const r = rowOf[q];
    sel[r * C + used[r]] = k;
    pad[r * C + used[r]++] = 0;
  });
  const float = isFloating(x.dtype);
  let m = P.where(boolMask(pad, [D, C], x), P.scalarOf(identity(reduce, float), x.dtype, x), P.reshape(P.indexSelect(vals, 0, int32(sel, x)), [D, C]));
  if (includeSelf) m = P.cat([P.reshape(P.indexSelect(P.reshape(x, [x.numel()]), 0, int32(rows, x)), [D, 1]), m], 1);
  const red = reduce === 'prod' ? prod(m, 1) : P.reduce(reduce === 'amax' ? 'max' : 'min', m, [1], false);
  const hit = boolMask(Uint8Array.from(rowOf, (r) => (r >= 0 ? 1 : 0)), x.shape, x);
  const placed = P.reshape(P.indexSelect(red, 0, int32(rowOf.map((r) => Math.max(r, 0)), x)), x.shape);
  return P.where(hit, placed, x);
}
