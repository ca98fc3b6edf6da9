/**
 * Reductions over all elements or given dims, with keepdim: sum mean prod max min amax amin argmax argmin
 * var std logsumexp norm, and the scans cumsum and cumprod.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { record } from '../autograd/node.js';
import { ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import { normDim, normDims } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFloat, checkTensor } from './util.js';

/** Dims to reduce: one dim, several, or all when omitted/null. */
export type Dims = number | readonly number[] | null | undefined;

/** Whether reduced dims are kept with size 1: a boolean, or `{keepdim}`. */
export type KeepDim = boolean | { keepdim?: boolean } | undefined;

function keepOf(k: KeepDim): boolean {
  return typeof k === 'boolean' ? k : (k?.keepdim ?? false);
}

function sumDType(x: Tensor) {
  return isFloating(x.dtype) ? x.dtype : 'int32';
}

/** Sum of elements over `dim` (all by default); integer and bool tensors sum to int32. */
export function sum(x: Tensor, dim?: Dims, keepdim?: KeepDim): Tensor {
  checkTensor('sum', x);
  const axes = normDims('sum', dim, x.ndim);
  const input = x.dtype === 'bool' ? P.cast(x, 'int32') : x;
  return P.reduce('sum', input, axes, keepOf(keepdim), sumDType(x));
}

/** Mean over `dim` (all by default); floating tensors only, as in PyTorch. An empty reduction gives NaN. */
export function mean(x: Tensor, dim?: Dims, keepdim?: KeepDim): Tensor {
  checkFloat('mean', checkTensor('mean', x));
  const axes = normDims('mean', dim, x.ndim);
  const count = axes.reduce((n, d) => n * x.shape[d], 1);
  return P.binary('div', P.reduce('sum', x, axes, keepOf(keepdim)), P.scalarOf(count, x.dtype, x));
}

function checkNonEmpty(op: string, x: Tensor, axes: readonly number[]): void {
  if (axes.some((d) => x.shape[d] === 0) || (axes.length === 0 && x.numel() === 0)) {
    throw new ValueError(`${op}: cannot reduce over a dim of size 0 (input shape ${fmtShape(x.shape)}): the result is undefined`);
  }
}

/** Maximum over `dim` (all by default); the gradient is shared evenly among tied maxima. */
export function amax(x: Tensor, dim?: Dims, keepdim?: KeepDim): Tensor {
  checkTensor('amax', x);
  const axes = normDims('amax', dim, x.ndim);
  checkNonEmpty('amax', x, axes);
  return P.reduce('max', x, axes, keepOf(keepdim));
}

/** Minimum over `dim` (all by default); the gradient is shared evenly among tied minima. */
export function amin(x: Tensor, dim?: Dims, keepdim?: KeepDim): Tensor {
  checkTensor('amin', x);
  const axes = normDims('amin', dim, x.ndim);
  checkNonEmpty('amin', x, axes);
  return P.reduce('min', x, axes, keepOf(keepdim));
}

/** Values and their int32 indices, as `max(x, dim)` and `min(x, dim)` return them. */
export interface ValuesIndices {
  /** The extreme values. */
  values: Tensor;
  /** Where they are along the reduced dim (first occurrence on ties). */
  indices: Tensor;
}

function extremeAlong(op: 'max' | 'min', x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const d = normDim(op, dim, x.ndim);
  if (x.ndim === 0) return { values: x, indices: P.filled([], 0, 'int32', x.device) };
  checkNonEmpty(op, x, [d]);
  const idx = P.reduceRaw(op === 'max' ? 'argmax' : 'argmin', x, [d], true, 'int32');
  const values = P.gather(x, d, idx);
  if (keepdim) return { values, indices: idx };
  const shape = x.shape.filter((_, i) => i !== d);
  return { values: P.reshape(values, shape), indices: P.reshape(idx, shape) };
}

/** Maximum of all elements (0-d), or `{values, indices}` along `dim`; the gradient goes to the returned index. */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: KeepDim): ValuesIndices;
export function max(x: Tensor, dim?: number, keepdim?: KeepDim): Tensor | ValuesIndices {
  checkTensor('max', x);
  if (dim === undefined) return amax(x);
  return extremeAlong('max', x, dim, keepOf(keepdim));
}

/** Minimum of all elements (0-d), or `{values, indices}` along `dim`; the gradient goes to the returned index. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: KeepDim): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim?: KeepDim): Tensor | ValuesIndices {
  checkTensor('min', x);
  if (dim === undefined) return amin(x);
  return extremeAlong('min', x, dim, keepOf(keepdim));
}

function argExtreme(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: KeepDim): Tensor {
  checkTensor(op, x);
  if (dim === undefined || dim === null) {
    if (x.numel() === 0) throw new ValueError(`${op}: cannot take ${op} of an empty tensor`);
    const flat = P.reshape(x, [x.numel()]);
    const r = P.reduceRaw(op, flat, [0], false, 'int32');
    return keepOf(keepdim) ? P.reshape(r, x.shape.map(() => 1)) : r;
  }
  const d = normDim(op, dim, x.ndim);
  if (x.ndim === 0) return P.filled([], 0, 'int32', x.device);
  checkNonEmpty(op, x, [d]);
  return P.reduceRaw(op, x, [d], keepOf(keepdim), 'int32');
}

/** Index (int32) of the first maximum over all elements (flattened) or along `dim`. */
export function argmax(x: Tensor, dim?: number, keepdim?: KeepDim): Tensor {
  return argExtreme('argmax', x, dim, keepdim);
}

/** Index (int32) of the first minimum over all elements (flattened) or along `dim`. */
export function argmin(x: Tensor, dim?: number, keepdim?: KeepDim): Tensor {
  return argExtreme('argmin', x, dim, keepdim);
}

/** Options of var and std. */
export interface VarOptions {
  /** Subtracted from the count in the denominator: 1 (default) is the unbiased estimate, 0 the population one. */
  correction?: number;
  /** Keep reduced dims with size 1. */
  keepdim?: boolean;
}

/** Variance over `dim` (all by default), `sum((x - mean)^2) / (N - correction)`. */
export function variance(x: Tensor, dim?: Dims, opts: VarOptions | boolean = {}): Tensor {
  checkFloat('var', checkTensor('var', x));
  const o = typeof opts === 'boolean' ? { keepdim: opts } : opts;
  const correction = o.correction ?? 1;
  if (typeof correction !== 'number' || correction < 0) throw new ValueError(`var: correction must be a number >= 0, got ${correction}`);
  const axes = normDims('var', dim, x.ndim);
  const n = axes.reduce((k, d) => k * x.shape[d], 1);
  const mu = P.binary('div', P.reduce('sum', x, axes, true), P.scalarOf(n, x.dtype, x));
  const sq = P.unary('square', P.binary('sub', x, mu));
  return P.binary('div', P.reduce('sum', sq, axes, o.keepdim ?? false), P.scalarOf(Math.max(n - correction, 0), x.dtype, x));
}

/** Standard deviation over `dim`: `sqrt(var)`. */
export function std(x: Tensor, dim?: Dims, opts: VarOptions | boolean = {}): Tensor {
  return P.unary('sqrt', variance(x, dim, opts));
}

/** `log(sum(exp(x)))` over `dim`, without overflow. */
export function logsumexp(x: Tensor, dim: Dims, keepdim?: KeepDim): Tensor {
  checkFloat('logsumexp', checkTensor('logsumexp', x));
  const axes = normDims('logsumexp', dim, x.ndim);
  if (x.numel() === 0) return P.unary('log', P.reduce('sum', x, axes, keepOf(keepdim)));
  const m = P.detach(P.reduce('max', x, axes, true));
  const safe = P.where(P.unary('isinf', m, { dtype: 'bool' }), P.scalarOf(0, x.dtype, x), m);
  const s = P.unary('log', P.reduce('sum', P.unary('exp', P.binary('sub', x, safe)), axes, true));
  const out = P.binary('add', s, safe);
  return keepOf(keepdim) ? out : P.reshape(out, x.shape.filter((_, d) => !axes.includes(d)));
}

/**
 * Vector p-norm over `dim` (all elements by default): p = 2 ('fro') by default, any p > 0, Infinity, -Infinity,
 * or 0 (count of nonzeros). The gradient at a zero vector is 0, as PyTorch's.
 */
export function norm(x: Tensor, p: number | 'fro' = 2, dim?: Dims, keepdim?: KeepDim): Tensor {
  checkFloat('norm', checkTensor('norm', x));
  const ord = p === 'fro' ? 2 : p;
  if (typeof ord !== 'number' || Number.isNaN(ord) || ord < 0 && ord !== -Infinity) {
    throw new ValueError(`norm: p must be 'fro', a number >= 0, Infinity or -Infinity, got ${String(p)}`);
  }
  const axes = normDims('norm', dim, x.ndim);
  const keep = keepOf(keepdim);
  const a = P.unary('abs', x);
  if (ord === Infinity) return P.reduce('max', a, axes, keep);
  if (ord === -Infinity) return P.reduce('min', a, axes, keep);
  if (ord === 0) return P.reduce('sum', P.cast(P.binary('ne', x, P.scalarOf(0, x.dtype, x)), x.dtype), axes, keep);
  if (ord === 1) return P.reduce('sum', a, axes, keep);
  const y = P.detach(P.unary('powScalar', P.reduce('sum', P.unary('powScalar', P.detach(a), { p: ord }), axes, true), { p: 1 / ord }));
  const out = keep ? y : P.reshape(y, x.shape.filter((_, d) => !axes.includes(d)));
  return record(out, 'NormBackward', [x], (g) => {
    // d|x|_p / dx = sign(x) |x|^(p-1) / |x|_p^(p-1), taken as 0 where the norm is 0
    const gk = P.reshape(g, y.shape);
    const num = P.binary('mul', P.unary('sign', x), P.unary('powScalar', P.unary('abs', x), { p: ord - 1 }));
    const den = P.unary('powScalar', y, { p: ord - 1 });
    const zero = P.scalarOf(0, x.dtype, x);
    const ratio = P.where(P.binary('eq', y, zero), zero, P.binary('div', P.binary('mul', gk, num), den));
    return [P.expand(ratio, x.shape)];
  });
}

/** Product of elements over `dim` (all by default); exact gradients even where elements are zero. */
export function prod(x: Tensor, dim?: number | null, keepdim?: KeepDim): Tensor {
  checkTensor('prod', x);
  const keep = keepOf(keepdim);
  if (dim === undefined || dim === null) {
    const flat = P.reshape(x, [x.numel()]);
    const r = prodAlong(flat, 0, false);
    return keep ? P.reshape(r, x.shape.map(() => 1)) : r;
  }
  const d = normDim('prod', dim, x.ndim);
  if (x.ndim === 0) return x;
  return prodAlong(x, d, keep);
}

function prodAlong(x: Tensor, d: number, keepdim: boolean): Tensor {
  const dtype = isFloating(x.dtype) ? x.dtype : 'int32';
  const input = P.cast(x, dtype);
  const y = P.reduceRaw('prod', P.detach(input), [d], keepdim, dtype);
  if (!isFloating(dtype)) return y;
  return record(y, 'ProdBackward', [input], (g) => {
    // grad_i = product of the other elements = (exclusive prefix product) * (exclusive suffix product)
    const n = input.shape[d];
    if (n === 0) return [P.filled(input.shape, 0, dtype, input.device)];
    const ones = P.filled(input.shape.map((s, i) => (i === d ? 1 : s)), 1, dtype, input.device);
    const cut = (t: Tensor, start: number, len: number) =>
      P.slice(t, t.shape.map((s, i) => (i === d ? { start, step: 1, size: len } : { start: 0, step: 1, size: s })));
    const left = P.scan('cumprod', P.cat([ones, cut(input, 0, n - 1)], d), d);
    const rightRev = P.scan('cumprod', P.cat([ones, cut(P.flip(input, [d]), 0, n - 1)], d), d);
    const others = P.binary('mul', left, P.flip(rightRev, [d]));
    const gk = P.reshape(g, input.shape.map((s, i) => (i === d ? 1 : s)));
    return [P.binary('mul', others, gk)];
  });
}

/** Cumulative sum along `dim`; integer and bool tensors give int32. */
export function cumsum(x: Tensor, dim: number): Tensor {
  checkTensor('cumsum', x);
  const d = normDim('cumsum', dim, x.ndim);
  const input = isFloating(x.dtype) ? x : P.cast(x, 'int32');
  if (x.ndim === 0) return input;
  return P.scan('cumsum', input, d);
}

/** Cumulative product along `dim`; integer and bool tensors give int32 (gradient assumes no zeros). */
export function cumprod(x: Tensor, dim: number): Tensor {
  checkTensor('cumprod', x);
  const d = normDim('cumprod', dim, x.ndim);
  const input = isFloating(x.dtype) ? x : P.cast(x, 'int32');
  if (x.ndim === 0) return input;
  return P.scan('cumprod', input, d);
}
