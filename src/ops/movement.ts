/**
 * Shape and layout ops: reshape view flatten squeeze unsqueeze transpose permute expand repeat cat stack split
 * chunk narrow flip contiguous clone detach and dtype conversion. Views share storage with their input.
 * @module
 */
import type { DType } from '../backend/types.js';
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { checkDType, promoteTypes } from '../tensor/dtype.js';
import { normDim, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInt, checkTensor } from './util.js';
import { traceOp, tracing } from './trace-hook.js';

function inferShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) throw new ValueError(`${op}: shape must be an array of integers, got ${typeof shape}`);
  const out = shape.slice();
  const free = out.indexOf(-1);
  if (out.filter((s) => s === -1).length > 1) throw new ValueError(`${op}: only one dimension can be -1, got ${fmtShape(shape)}`);
  for (const s of out) {
    if (!Number.isInteger(s) || s < -1) throw new ValueError(`${op}: shape must hold integers >= 0 (or one -1), got ${fmtShape(shape)}`);
  }
  const n = x.numel();
  if (free >= 0) {
    const rest = sizeOf(out.filter((s) => s !== -1));
    if (rest === 0 || n % rest !== 0) {
      throw new ShapeError(`${op}: cannot reshape a tensor of shape ${fmtShape(x.shape)} (${n} elements) into ${fmtShape(shape)}`);
    }
    out[free] = n / rest;
  }
  if (sizeOf(out) !== n) {
    throw new ShapeError(`${op}: cannot reshape a tensor of shape ${fmtShape(x.shape)} (${n} elements) into ${fmtShape(shape)} (${sizeOf(out)} elements)`);
  }
  return out;
}

/** `x` as `shape` (same element count): a view whenever the strides allow one, else a row-major copy. */
function reshapeTo(x: Tensor, shape: readonly number[]): Tensor {
  return P.reshape(x, shape);
}

/**
 * The same elements in a new shape (one size may be -1). A view when the strides allow it (always for
 * contiguous data), else a copy, as PyTorch.
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  if (tracing.tracer !== null) return traceOp('reshape', [x], { shape }, () => reshape(x, shape));
  checkTensor('reshape', x);
  return reshapeTo(x, inferShape('reshape', x, shape));
}

/**
 * Like reshape, but never copies: throws a ShapeError when `x`'s strides do not allow the new shape as a view
 * (e.g. merging the dims of a transposed matrix). Contiguous tensors can always be viewed.
 */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  if (tracing.tracer !== null) return traceOp('reshape', [x], { shape }, () => view(x, shape));
  checkTensor('view', x);
  const s = inferShape('view', x, shape);
  if (P.viewStrides(x, s) === null) {
    throw new ShapeError(
      `view: the tensor's strides do not allow shape ${fmtShape(s)} without a copy (shape ${fmtShape(x.shape)}, strides ${fmtShape(x.strides)}, not contiguous); use reshape(), which copies when needed`,
    );
  }
  return reshapeTo(x, s);
}

/** Merges dims `startDim`..`endDim` into one (a view when the strides allow it, as reshape). */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (tracing.tracer !== null) return traceOp('flatten', [x], { startDim, endDim }, () => flatten(x, startDim, endDim));
  checkTensor('flatten', x);
  if (x.ndim === 0) return reshapeTo(x, [1]);
  const s = normDim('flatten', startDim, x.ndim, 'startDim');
  const e = normDim('flatten', endDim, x.ndim, 'endDim');
  if (s > e) throw new ValueError(`flatten: startDim (${startDim}) must not come after endDim (${endDim})`);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshapeTo(x, shape);
}

/**
 * Removes size-1 dims: all of them, or the given ones (a given dim of another size is left alone, as PyTorch).
 * Always a view.
 */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  if (tracing.tracer !== null) return traceOp('squeeze', [x], { dim: dim ?? null }, () => squeeze(x, dim));
  checkTensor('squeeze', x);
  const dims = dim === undefined ? x.shape.map((_, d) => d) : (typeof dim === 'number' ? [dim] : dim).map((d) => normDim('squeeze', d, x.ndim));
  return reshapeTo(x, x.shape.filter((s, d) => !(s === 1 && dims.includes(d))));
}

/** Inserts a size-1 dim at `dim` (in [-ndim-1, ndim]); always a view. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  if (tracing.tracer !== null) return traceOp('unsqueeze', [x], { dim }, () => unsqueeze(x, dim));
  checkTensor('unsqueeze', x);
  const d = normDim('unsqueeze', dim, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(d, 0, 1);
  return reshapeTo(x, shape);
}

/** Reorders dims: output dim i is input dim `dims[i]` (a view). */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (tracing.tracer !== null) return traceOp('permute', [x], { dims }, () => permute(x, dims));
  checkTensor('permute', x);
  if (!Array.isArray(dims) || dims.length !== x.ndim) {
    throw new ShapeError(`permute: dims must list all ${x.ndim} dims of a tensor of shape ${fmtShape(x.shape)}, got ${JSON.stringify(dims)}`);
  }
  const p = dims.map((d) => normDim('permute', d, x.ndim));
  if (new Set(p).size !== p.length) throw new ValueError(`permute: dims must be a permutation, got ${fmtShape(dims)}`);
  return P.permute(x, p);
}

/** Swaps two dims (a view). */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  if (tracing.tracer !== null) return traceOp('transpose', [x], { dim0, dim1 }, () => transpose(x, dim0, dim1));
  checkTensor('transpose', x);
  if (x.ndim === 0) return x;
  const a = normDim('transpose', dim0, x.ndim, 'dim0');
  const b = normDim('transpose', dim1, x.ndim, 'dim1');
  const perm = x.shape.map((_, d) => (d === a ? b : d === b ? a : d));
  return P.permute(x, perm);
}

/** Transpose of a matrix (0-D and 1-D tensors are returned as they are). */
export function t(x: Tensor): Tensor {
  checkTensor('t', x);
  if (x.ndim > 2) throw new ShapeError(`t: expects a tensor with at most 2 dims, got shape ${fmtShape(x.shape)}; use transpose or mT`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

/** Swaps the last two dims (batched matrix transpose). */
export function mT(x: Tensor): Tensor {
  checkTensor('mT', x);
  if (x.ndim < 2) throw new ShapeError(`mT: expects at least 2 dims, got shape ${fmtShape(x.shape)}`);
  return transpose(x, -2, -1);
}

/** Broadcasts to `shape` without copying; -1 keeps a size, size-1 dims stretch, new dims go on the left. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (tracing.tracer !== null) return traceOp('expand', [x], { shape }, () => expand(x, shape));
  checkTensor('expand', x);
  if (!Array.isArray(shape) || shape.length < x.ndim) {
    throw new ShapeError(`expand: the target shape ${JSON.stringify(shape)} must have at least ${x.ndim} dims (input shape ${fmtShape(x.shape)})`);
  }
  const lead = shape.length - x.ndim;
  const out = shape.map((s, d) => {
    const src = d >= lead ? x.shape[d - lead] : undefined;
    if (s === -1) {
      if (src === undefined) throw new ValueError(`expand: -1 is not allowed for a new leading dim (dim ${d})`);
      return src;
    }
    if (!Number.isInteger(s) || s < 0) throw new ValueError(`expand: sizes must be integers >= 0, got ${fmtShape(shape)}`);
    if (src !== undefined && src !== s && src !== 1) {
      throw new ShapeError(`expand: cannot expand shape ${fmtShape(x.shape)} to ${fmtShape(shape)}: dim ${d} has size ${src}, which is not 1`);
    }
    return s;
  });
  return P.expand(x, out);
}

/** Expands `x` to `other`'s shape. */
export function expandAs(x: Tensor, other: Tensor): Tensor {
  return expand(x, checkTensor('expandAs', other, 'other').shape);
}

/** Tiles `x`: dim i is repeated `reps[i]` times (extra leading reps add dims), as torch's repeat. */
export function repeat(x: Tensor, reps: readonly number[]): Tensor {
  checkTensor('repeat', x);
  if (!Array.isArray(reps) || reps.length < x.ndim) {
    throw new ShapeError(`repeat: need at least ${x.ndim} repeat counts for shape ${fmtShape(x.shape)}, got ${JSON.stringify(reps)}`);
  }
  for (const r of reps) checkInt('repeat', r, 'reps', 0);
  const padded = [...reps.slice(0, reps.length - x.ndim).map(() => 1), ...x.shape];
  const inter: number[] = [];
  const big: number[] = [];
  padded.forEach((s, i) => {
    inter.push(1, s);
    big.push(reps[i], s);
  });
  const e = P.expand(reshapeTo(x, inter), big);
  return P.reshape(P.copy(e), padded.map((s, i) => s * reps[i]));
}

function checkList(op: string, xs: readonly Tensor[]): void {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError(`${op}: expected a non-empty array of tensors`);
  xs.forEach((x, i) => checkTensor(op, x, `tensors[${i}]`));
}

/** Joins tensors along an existing dim; other dims must match. Dtypes promote as in arithmetic. */
export function cat(xs: readonly Tensor[], dim = 0): Tensor {
  if (tracing.tracer !== null) return traceOp('cat', xs, { dim }, () => cat(xs, dim));
  checkList('cat', xs);
  const ref = xs[0];
  const d = normDim('cat', dim, ref.ndim);
  if (ref.ndim === 0) throw new ShapeError('cat: zero-dimensional tensors cannot be concatenated; use stack');
  xs.forEach((x, i) => {
    if (x.ndim !== ref.ndim || x.shape.some((s, k) => k !== d && s !== ref.shape[k])) {
      throw new ShapeError(`cat: tensors[${i}] has shape ${fmtShape(x.shape)}, which does not match tensors[0] ${fmtShape(ref.shape)} outside dim ${d}`);
    }
    if (x.device !== ref.device) throw new ValueError(`cat: tensors[${i}] is on backend ${x.device}, tensors[0] on ${ref.device}`);
  });
  const dtype = xs.reduce<DType>((t, x) => promoteTypes(t, x.dtype), ref.dtype);
  return P.cat(xs.map((x) => P.cast(x, dtype)), d);
}

/** Joins same-shape tensors along a new dim. */
export function stack(xs: readonly Tensor[], dim = 0): Tensor {
  checkList('stack', xs);
  const ref = xs[0];
  xs.forEach((x, i) => {
    if (x.ndim !== ref.ndim || x.shape.some((s, k) => s !== ref.shape[k])) {
      throw new ShapeError(`stack: every tensor must have the same shape: tensors[${i}] is ${fmtShape(x.shape)}, tensors[0] is ${fmtShape(ref.shape)}`);
    }
  });
  const d = normDim('stack', dim, ref.ndim + 1);
  return cat(xs.map((x) => unsqueeze(x, d)), d);
}

/** `length` elements of `dim` from `start` (a view). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  if (tracing.tracer !== null) return traceOp('narrow', [x], { dim, start, length }, () => narrow(x, dim, start, length));
  checkTensor('narrow', x);
  if (x.ndim === 0) throw new ShapeError('narrow: cannot narrow a 0-d tensor');
  const d = normDim('narrow', dim, x.ndim);
  const n = x.shape[d];
  checkInt('narrow', start, 'start');
  checkInt('narrow', length, 'length', 0);
  const s = start < 0 ? start + n : start;
  if (s < 0 || s > n || s + length > n) {
    throw new ValueError(`narrow: start ${start} and length ${length} exceed dim ${d} of size ${n}`);
  }
  return P.slice(x, x.shape.map((size, k) => (k === d ? { start: s, step: 1, size: length } : { start: 0, step: 1, size })));
}

/** Splits into pieces of `size` along `dim` (the last may be smaller), or into the listed sizes. */
export function split(x: Tensor, sizes: number | readonly number[], dim = 0): Tensor[] {
  checkTensor('split', x);
  if (x.ndim === 0) throw new ShapeError('split: expects a tensor with at least 1 dim, got shape []');
  const d = normDim('split', dim, x.ndim);
  const n = x.shape[d];
  let list: number[];
  if (typeof sizes === 'number') {
    checkInt('split', sizes, 'splitSize', 1);
    list = [];
    for (let at = 0; at < n; at += sizes) list.push(Math.min(sizes, n - at));
    if (n === 0) list = [0];
  } else {
    if (!Array.isArray(sizes)) throw new ValueError(`split: sizes must be a number or an array of numbers, got ${typeof sizes}`);
    list = sizes.map((s) => checkInt('split', s, 'sections', 0));
    const total = list.reduce((a, b) => a + b, 0);
    if (total !== n) throw new ShapeError(`split: sections ${fmtShape(list)} sum to ${total}, but dim ${d} has size ${n}`);
  }
  let at = 0;
  return list.map((len) => {
    const piece = narrow(x, d, at, len);
    at += len;
    return piece;
  });
}

/**
 * Splits into pieces of size ceil(n / chunks) along `dim` (fewer if they run out, `chunks` empty pieces for
 * an empty dim), as PyTorch.
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  checkTensor('chunk', x);
  if (x.ndim === 0) throw new ShapeError('chunk: expects a tensor with at least 1 dim, got shape []');
  checkInt('chunk', chunks, 'chunks', 1);
  const d = normDim('chunk', dim, x.ndim);
  const n = x.shape[d];
  if (n === 0) return Array.from({ length: chunks }, () => narrow(x, d, 0, 0));
  return split(x, Math.ceil(n / chunks), d);
}

/** Reverses the order of elements along each of `dims`. */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  checkTensor('flip', x);
  if (typeof dims !== 'number' && !Array.isArray(dims)) {
    throw new ValueError(`flip: dims must be an integer or an array of them, got ${JSON.stringify(dims) ?? typeof dims}`);
  }
  const list = (typeof dims === 'number' ? [dims] : dims).map((d) => normDim('flip', d, x.ndim));
  if (new Set(list).size !== list.length) throw new ValueError(`flip: dims must be distinct, got ${fmtShape(list)}`);
  return P.copy(x.ndim === 0 ? x : P.flip(x, list));
}

/** `x` itself when row-major, else a row-major copy. */
export function contiguous(x: Tensor): Tensor {
  if (tracing.tracer !== null) return traceOp('identity', [x], {}, () => contiguous(x));
  checkTensor('contiguous', x);
  return P.isContiguous(x) ? x : P.copy(x);
}

/** A copy with its own storage (gradients flow through it). */
export function clone(x: Tensor): Tensor {
  if (tracing.tracer !== null) return traceOp('identity', [x], {}, () => clone(x));
  return P.copy(checkTensor('clone', x));
}

/** The same data, cut off from the graph (requiresGrad false). */
export function detach(x: Tensor): Tensor {
  return P.detach(checkTensor('detach', x));
}

/** Converts to `dtype` (returns `x` itself if it already has it); float-to-float conversions keep gradients. */
export function to(x: Tensor, dtype: DType): Tensor {
  checkTensor('to', x);
  checkDType('to', dtype);
  return P.cast(x, dtype);
}
