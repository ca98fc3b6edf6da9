/**
 * Indexing: slicing with steps and negative indices, select, indexSelect, gather, scatterAdd, maskedFill and
 * oneHot. Index tensors are int32 and are range-checked before any kernel runs.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { broadcastShapes, normDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { squeeze } from './movement.js';
import { traceOp, tracing } from './trace-hook.js';
import { checkIndex, checkInt, checkTensor } from './util.js';

/**
 * One entry of a slice: an integer (picks one index and drops the dim), null or ':' (the whole dim),
 * a Python-style string 'start:stop:step' (any part may be empty, e.g. '1:', '::2', '-3:'), a tuple
 * [start, stop, step] (undefined/null for defaults), or '...' (as many whole dims as needed).
 */
export type SliceSpec = number | null | string | readonly (number | null | undefined)[];

interface Part {
  start?: number;
  stop?: number;
  step?: number;
}

function parsePart(op: string, spec: string | readonly (number | null | undefined)[]): Part {
  const raw = typeof spec === 'string' ? spec.split(':').map((s) => (s.trim() === '' ? undefined : Number(s))) : spec;
  if (raw.length < 1 || raw.length > 3 || raw.some((v) => v !== undefined && v !== null && !Number.isInteger(v))) {
    throw new ValueError(`${op}: cannot read slice ${JSON.stringify(spec)}; use 'start:stop:step' with integers, or [start, stop, step]`);
  }
  const [start, stop, step] = raw.map((v) => (v === null ? undefined : v));
  if (typeof spec === 'string' && raw.length === 1) throw new ValueError(`${op}: '${spec}' is not a slice; pass a number to pick one index`);
  return { start, stop, step };
}

/**
 * Python/PyTorch-style basic indexing: `x.slice(0, '1:', '::2')` is `x[0, 1:, ::2]`. Returns a view;
 * steps must be positive (use flip to reverse).
 */
export function slice(x: Tensor, ...specs: SliceSpec[]): Tensor {
  checkTensor('slice', x);
  return sliceAs('slice', x, specs);
}

function sliceAs(op: string, x: Tensor, specs: readonly SliceSpec[]): Tensor {
  const ell = specs.filter((s) => s === '...').length;
  if (ell > 1) throw new ValueError(`${op}: only one '...' is allowed`);
  const explicit = specs.length - ell;
  if (explicit > x.ndim) throw new ShapeError(`${op}: too many indices (${explicit}) for a tensor of shape ${fmtShape(x.shape)}`);
  const full: SliceSpec[] = [];
  for (const s of specs) {
    if (s === '...') for (let k = 0; k < x.ndim - explicit; k++) full.push(null);
    else full.push(s);
  }
  while (full.length < x.ndim) full.push(null);
  const ranges: P.Range[] = [];
  const drop: number[] = [];
  full.forEach((s, d) => {
    const n = x.shape[d];
    if (typeof s === 'number') {
      if (!Number.isInteger(s) || s < -n || s >= n) throw new ValueError(`${op}: index ${s} is out of bounds for dim ${d} with size ${n}`);
      ranges.push({ start: s < 0 ? s + n : s, step: 1, size: 1 });
      drop.push(d);
      return;
    }
    if (s === null || s === ':' || s === '::') return void ranges.push({ start: 0, step: 1, size: n });
    if (typeof s !== 'string' && !Array.isArray(s)) {
      const got = s instanceof Tensor ? 'a Tensor (use indexSelect, gather or maskedFill)' : typeof s;
      throw new ValueError(`${op}: index ${d} must be a number, null, a 'start:stop:step' string, a [start, stop, step] array or '...', got ${got}`);
    }
    const part = parsePart(op, s);
    const step = part.step ?? 1;
    if (step <= 0) throw new ValueError(`${op}: step must be positive, got ${step} in dim ${d}; use flip() to reverse`);
    const norm = (v: number | undefined, dflt: number) => (v === undefined ? dflt : Math.min(Math.max(v < 0 ? v + n : v, 0), n));
    const start = norm(part.start, 0);
    const stop = norm(part.stop, n);
    ranges.push({ start, step, size: Math.max(0, Math.ceil((stop - start) / step)) });
  });
  const y = P.slice(x, ranges);
  return drop.length ? squeeze(y, drop) : y;
}

/** The sub-tensor at `index` along `dim`, with that dim removed (a view). */
export function select(x: Tensor, dim: number, index: number): Tensor {
  if (tracing.tracer !== null) return traceOp('select', [x], { dim, index }, () => select(x, dim, index));
  checkTensor('select', x);
  if (x.ndim === 0) throw new ShapeError('select: cannot select from a 0-d tensor');
  const d = normDim('select', dim, x.ndim);
  const specs: SliceSpec[] = x.shape.map(() => null);
  specs[d] = checkInt('select', index, 'index');
  return sliceAs('select', x, specs);
}

/** Throws a ValueError unless every value of `index` lies in [0, size). */
export function checkIndexRange(op: string, index: Tensor, size: number, what: string): void {
  if (index.numel() === 0) return;
  const flat = P.reshape(index, [index.numel()]);
  const lo = P.reduceRaw('min', flat, [0], false, 'int32').item();
  const hi = P.reduceRaw('max', flat, [0], false, 'int32').item();
  if (lo < 0 || hi >= size) {
    throw new ValueError(`${op}: index ${lo < 0 ? lo : hi} is out of range for ${what} of size ${size}`);
  }
}

/**
 * Slices of `x` along `dim` at the positions in the 1-D (or 0-D, read as one position) int32 `index`. A 0-d
 * `x` takes a one-element index and gives a 0-d result, as PyTorch.
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('indexSelect', x);
  checkIndex('indexSelect', checkTensor('indexSelect', index, 'index'));
  if (index.ndim > 1) throw new ShapeError(`indexSelect: index must be 0-D or 1-D, got shape ${fmtShape(index.shape)}`);
  const idx = index.ndim === 0 ? P.reshape(index, [1]) : index;
  if (x.ndim === 0) {
    normDim('indexSelect', dim, 0);
    if (idx.numel() !== 1) throw new ShapeError(`indexSelect: a 0-d input takes a one-element index, got shape ${fmtShape(index.shape)}`);
    checkIndexRange('indexSelect', idx, 1, 'a 0-d tensor');
    return P.reshape(P.indexSelect(P.reshape(x, [1]), 0, idx), []);
  }
  const d = normDim('indexSelect', dim, x.ndim);
  checkIndexRange('indexSelect', idx, x.shape[d], `dim ${d}`);
  return P.indexSelect(x, d, idx);
}

function checkGatherShapes(op: string, x: Tensor, d: number, index: Tensor, src?: Tensor): void {
  if (index.ndim !== x.ndim) {
    throw new ShapeError(`${op}: index must have as many dims as input: input ${fmtShape(x.shape)}, index ${fmtShape(index.shape)}`);
  }
  index.shape.forEach((s, k) => {
    if (k !== d && s > x.shape[k]) {
      throw new ShapeError(`${op}: index ${fmtShape(index.shape)} is larger than input ${fmtShape(x.shape)} in dim ${k}`);
    }
    if (src && s > src.shape[k]) {
      throw new ShapeError(`${op}: index ${fmtShape(index.shape)} is larger than src ${fmtShape(src.shape)} in dim ${k}`);
    }
  });
}

/** `out[i][j] = x[i][index[i][j]]` for dim 1 (and likewise for any dim); output has `index`'s shape. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('gather', x);
  checkIndex('gather', checkTensor('gather', index, 'index'));
  const d = normDim('gather', dim, x.ndim);
  checkGatherShapes('gather', x, d, index);
  checkIndexRange('gather', index, x.ndim === 0 ? 1 : x.shape[d], `dim ${d}`);
  if (x.ndim === 0) return P.reshape(P.gather(P.reshape(x, [1]), 0, P.reshape(index, [1])), []);
  return P.gather(x, d, index);
}

/**
 * A copy of `x` with `src[i][j]` added at `[i][index[i][j]]` for dim 1 (and likewise for any dim); repeated
 * indices add up. `src` may be larger than `index`: only its index-shaped leading corner is used.
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkTensor('scatterAdd', x);
  checkIndex('scatterAdd', checkTensor('scatterAdd', index, 'index'));
  checkTensor('scatterAdd', src, 'src');
  if (src.dtype !== x.dtype) throw new DTypeError(`scatterAdd: src must have input's dtype ${x.dtype}, got ${src.dtype}`);
  const d = normDim('scatterAdd', dim, x.ndim);
  if (src.ndim !== x.ndim) throw new ShapeError(`scatterAdd: src must have as many dims as input: input ${fmtShape(x.shape)}, src ${fmtShape(src.shape)}`);
  checkGatherShapes('scatterAdd', x, d, index, src);
  if (x.ndim === 0) {
    checkIndexRange('scatterAdd', index, 1, 'a 0-d tensor');
    return P.reshape(P.scatterAdd(P.reshape(x, [1]), 0, P.reshape(index, [1]), P.reshape(src, [1])), []);
  }
  checkIndexRange('scatterAdd', index, x.shape[d], `dim ${d}`);
  // only src's index-shaped corner takes part (PyTorch's rule); cutting it off keeps src's gradient in shape
  const used = src.shape.every((s, k) => s === index.shape[k]) ? src : P.slice(src, index.shape.map((size) => ({ start: 0, step: 1, size })));
  return P.scatterAdd(x, d, index, used);
}

/** `x` with `value` wherever the bool `mask` (broadcast to x's shape) is true. */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  if (tracing.tracer !== null) return traceOp('maskedFill', [x, mask, value], {}, () => maskedFill(x, mask, value));
  checkTensor('maskedFill', x);
  checkTensor('maskedFill', mask, 'mask');
  if (mask.dtype !== 'bool') throw new DTypeError(`maskedFill: mask must be a bool tensor, got dtype ${mask.dtype}`);
  const shape = broadcastShapes('maskedFill', x.shape, mask.shape);
  if (shape.length !== x.ndim || shape.some((s, i) => s !== x.shape[i])) {
    throw new ShapeError(`maskedFill: mask ${fmtShape(mask.shape)} must broadcast to the input's shape ${fmtShape(x.shape)}`);
  }
  let v: Tensor;
  if (value instanceof Tensor) {
    if (value.ndim !== 0) throw new ShapeError(`maskedFill: a tensor value must be 0-d, got shape ${fmtShape(value.shape)}`);
    v = P.cast(value, x.dtype);
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    v = P.scalarOf(Number(value), x.dtype, x);
  } else {
    throw new ValueError(`maskedFill: value must be a number or a 0-d Tensor, got ${typeof value}`);
  }
  return P.where(mask, v, x);
}

/** One-hot encoding of int32 class indices: shape [...index.shape, numClasses] of 0/1 (int32). */
export function oneHot(index: Tensor, numClasses = -1): Tensor {
  checkIndex('oneHot', checkTensor('oneHot', index, 'index'));
  let n = numClasses;
  if (n === -1) {
    if (index.numel() === 0) throw new ValueError('oneHot: cannot infer numClasses from an empty tensor; pass it');
    n = P.reduceRaw('max', P.reshape(index, [index.numel()]), [0], false, 'int32').item() + 1;
  }
  checkInt('oneHot', n, 'numClasses', 1);
  checkIndexRange('oneHot', index, n, 'numClasses');
  const classes = P.fromHost(Int32Array.from({ length: n }, (_, i) => i), [n], 'int32', index.device);
  const hit = P.binary('eq', P.reshape(index, [...index.shape, 1]), classes);
  return P.cast(hit, 'int32');
}
