/**
 * Reductions over all elements or given dims, with keepdim: sum mean prod max min amax amin argmax argmin
 * var std logsumexp norm, and the scans cumsum and cumprod.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { record } from '../autograd/node.js';
import { ValueError, fmtShape } from '../errors.js';
import { DEFAULT_FLOAT, isFloating } from '../tensor/dtype.js';
import { normDim, normDims } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFloat, checkTensor } from './util.js';
import { traceOp, tracing } from './trace-hook.js';

/** Dims to reduce: one dim, several, or all when omitted/null. */
export type Dims = number | readonly number[] | null | undefined;

/** Whether reduced dims are kept with size 1: a boolean, or `{keepdim}`. */
export type KeepDim = boolean | { keepdim?: boolean } | undefined;

/** Reduced dims as recorded for graph capture (null: all). */
const dimsAttr = (dim: Dims): number | readonly number[] | null => dim ?? null;

/** keepdim as recorded for graph capture. */
const keepAttr = (k: KeepDim): boolean => (typeof k === 'object' ? k.keepdim === true : k === true);

function keepOf(op: string, k: KeepDim): boolean {
  const keep = typeof k === 'object' && k !== null ? k.keepdim : k;
  if (keep === undefined || keep === null) return false;
  if (typeof keep !== 'boolean') throw new ValueError(`${op}: keepdim must be a boolean, got ${JSON.stringify(keep) ?? typeof keep}`);
  return keep;
}

function sumDType(x: Tensor) {
  return isFloating(x.dtype) ? x.dtype : 'int32';
}

/** Sum of elements over `dim` (all by default); integer and bool tensors sum to int32. */
export function sum(x: Tensor, dim?: Dims, keepdim?: KeepDim): Tensor {
  if (tracing.tracer !== null) return traceOp('sum', [x], { dim: dimsAttr(dim), keepdim: keepAttr(keepdim) }, () => sum(x, dim, keepdim));
  checkTensor('sum', x);
  const axes = normDims('sum', dim, x.ndim);
  const input = x.dtype === 'bool' ? P.cast(x, 'int32') : x;
  return P.reduce('sum', input, axes, keepOf('sum', keepdim), sumDType(x));
}

/** Mean over `dim` (all by default); floating tensors only, as in PyTorch. An empty reduction gives NaN. */
export function mean(x: Tensor, dim?: Dims, keepdim?: KeepDim): Tensor {
  if (tracing.tracer !== null) return traceOp('mean', [x], { dim: dimsAttr(dim), keepdim: keepAttr(keepdim) }, () => mean(x, dim, keepdim));
  checkFloat('mean', checkTensor('mean', x));
  const axes = normDims('mean', dim, x.ndim);
  const count = axes.reduce((n, d) => n * x.shape[d], 1);
  return P.binary('div', P.reduce('sum', x, axes, keepOf('mean', keepdim)), P.scalarOf(count, x.dtype, x));
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
  return P.reduce('max', x, axes, keepOf('amax', keepdim));
}

/** Minimum over `dim` (all by default); the gradient is shared evenly among tied minima. */
export function amin(x: Tensor, dim?: Dims, keepdim?: KeepDim): Tensor {
  checkTensor('amin', x);
  const axes = normDims('amin', dim, x.ndim);
  checkNonEmpty('amin', x, axes);
  return P.reduce('min', x, axes, keepOf('amin', keepdim));
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
  if (x.ndim === 0) return { values: P.copy(x), indices: P.filled([], 0, 'int32', x.device) };
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
  if (dim === undefined) {
    checkNonEmpty('max', x, []);
    return amax(x);
  }
  return extremeAlong('max', x, dim, keepOf('max', keepdim));
}

/** Minimum of all elements (0-d), or `{values, indices}` along `dim`; the gradient goes to the returned index. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: KeepDim): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim?: KeepDim): Tensor | ValuesIndices {
  checkTensor('min', x);
  if (dim === undefined) {
    checkNonEmpty('min', x, []);
    return amin(x);
  }
  return extremeAlong('min', x, dim, keepOf('min', keepdim));
}

function argExtreme(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: KeepDim): Tensor {
  checkTensor(op, x);
  if (dim === undefined || dim === null) {
    if (x.numel() === 0) throw new ValueError(`${op}: cannot take ${op} of an empty tensor`);
    const flat = P.reshape(x, [x.numel()]);
    const r = P.reduceRaw(op, flat, [0], false, 'int32');
    return keepOf(op, keepdim) ? P.reshape(r, x.shape.map(() => 1)) : r;
  }
  const d = normDim(op, dim, x.ndim);
  if (x.ndim === 0) return P.filled([], 0, 'int32', x.device);
  checkNonEmpty(op, x, [d]);
  return P.reduceRaw(op, x, [d], keepOf(op, keepdim), 'int32');
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

function varianceOf(op: string, x: Tensor, dim: Dims, opts: VarOptions | boolean): Tensor {
  checkFloat(op, checkTensor(op, x));
  const o = typeof opts === 'boolean' ? { keepdim: opts } : opts;
  const correction = o.correction ?? 1;
  if (typeof correction !== 'number' || !(correction >= 0)) throw new ValueError(`${op}: correction must be a number >= 0, got ${correction}`);
  const axes = normDims(op, dim, x.ndim);
  const n = axes.reduce((k, d) => k * x.shape[d], 1);
  // as PyTorch, N - correction is clamped at 0: a positive sum over 0 gives inf, 0/0 gives NaN
  const denom = Math.max(n - correction, 0);
  const dev = (t: Tensor) => P.binary('sub', t, P.binary('div', P.reduce('sum', t, axes, true), P.scalarOf(n, t.dtype, t)));
  const y = P.binary('div', P.reduce('sum', P.unary('square', dev(P.detach(x))), axes, o.keepdim ?? false), P.scalarOf(denom, x.dtype, x));
  return record(y, 'VarBackward', [x], (g) => {
    // d var / d x_i = 2 (x_i - mean) / (N - correction); the path through the mean contributes exactly 0, so it
    // is left out rather than computed as inf - inf when N - correction is 0
    const gk = P.reshape(g, x.shape.map((s, d) => (axes.includes(d) ? 1 : s)));
    return [P.binary('mul', P.binary('mul', gk, P.scalarOf(2 / denom, x.dtype, x)), dev(x))];
  });
}

/** Variance over `dim` (all by default), `sum((x - mean)^2) / max(N - correction, 0)`. */
export function variance(x: Tensor, dim?: Dims, opts: VarOptions | boolean = {}): Tensor {
  return varianceOf('var', x, dim, opts);
}

/** Standard deviation over `dim`: `sqrt(var)`; its gradient is 0 where the deviation is 0, as PyTorch's. */
export function std(x: Tensor, dim?: Dims, opts: VarOptions | boolean = {}): Tensor {
  const v = varianceOf('std', x, dim, opts);
  const y = P.unary('sqrt', P.detach(v));
  return record(y, 'StdBackward', [v], (g) => {
    const s = P.unary('sqrt', v);
    const zero = P.scalarOf(0, s.dtype, s);
    return [P.where(P.binary('eq', s, zero), zero, P.binary('div', g, P.binary('mul', s, P.scalarOf(2, s.dtype, s))))];
  });
}

/** `log(sum(exp(x)))` over `dim`, without overflow; integer and bool inputs give float32, as PyTorch. */
export function logsumexp(input: Tensor, dim: Dims, keepdim?: KeepDim): Tensor {
  checkTensor('logsumexp', input);
  // integer and bool inputs compute in the default float, as PyTorch's
  const x = isFloating(input.dtype) ? input : P.cast(input, DEFAULT_FLOAT);
  const axes = normDims('logsumexp', dim, x.ndim);
  if (x.numel() === 0) return P.unary('log', P.reduce('sum', x, axes, keepOf('logsumexp', keepdim)));
  const m = P.detach(P.reduce('max', x, axes, true));
  const safe = P.where(P.unary('isinf', m, { dtype: 'bool' }), P.scalarOf(0, x.dtype, x), m);
  const s = P.unary('log', P.reduce('sum', P.unary('exp', P.binary('sub', x, safe)), axes, true));
  const out = P.binary('add', s, safe);
  return keepOf('logsumexp', keepdim) ? out : P.reshape(out, x.shape.filter((_, d) => !axes.includes(d)));
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
  const keep = keepOf('norm', keepdim);
  const abs = () => P.unary('abs', x);
  // the max/min of nothing has no value (PyTorch raises too); the sums below are 0 over nothing
  if (ord === Infinity || ord === -Infinity) checkNonEmpty(`norm (p = ${ord})`, x, axes);
  if (ord === Infinity) return P.reduce('max', abs(), axes, keep);
  if (ord === -Infinity) return P.reduce('min', abs(), axes, keep);
  if (ord === 0) {
    // a count: piecewise constant, so its gradient is 0 (recorded, as PyTorch's, so backward through it works)
    const count = P.reduce('sum', P.cast(P.binary('ne', x, P.scalarOf(0, x.dtype, x)), x.dtype), axes, keep);
    return record(count, 'NormBackward', [x], () => [P.filled(x.shape, 0, x.dtype, x.device)]);
  }
  if (ord === 1) return P.reduce('sum', abs(), axes, keep);
  // p = 2 (clipGradNorm's): x*x is |x|^2 exactly, one kernel in place of abs and a power
  const powered = ord === 2 ? P.unary('square', P.detach(x)) : P.unary('powScalar', P.detach(abs()), { p: ord });
  const y = P.detach(P.unary('powScalar', P.reduce('sum', powered, axes, true), { p: 1 / ord }));
  const out = keep ? y : P.reshape(y, x.shape.filter((_, d) => !axes.includes(d)));
  return record(out, 'NormBackward', [x], (g) => {
    // d|x|_p / dx = sign(x) |x|^(p-1) / |x|_p^(p-1), taken as 0 where the norm is 0. The norm is read from the
    // recorded output, so that this gradient is itself differentiable.
    const gk = P.reshape(g, y.shape);
    const yk = P.reshape(out, y.shape);
    const zero = P.scalarOf(0, x.dtype, x);
    let num = P.binary('mul', P.unary('sign', x), P.unary('powScalar', P.unary('abs', x), { p: ord - 1 }));
    // for p < 1, |x|^(p-1) is infinite at x = 0 (0 * inf = NaN): PyTorch takes the gradient there as 0
    if (ord < 1) num = P.where(P.binary('eq', x, zero), zero, num);
    const den = P.unary('powScalar', yk, { p: ord - 1 });
    const ratio = P.where(P.binary('eq', yk, zero), zero, P.binary('div', P.binary('mul', gk, num), den));
    return [P.expand(ratio, x.shape)];
  });
}

/** Product of elements over `dim` (all by default); exact gradients even where elements are zero. */
export function prod(x: Tensor, dim?: number | null, keepdim?: KeepDim): Tensor {
  checkTensor('prod', x);
  const keep = keepOf('prod', keepdim);
  if (dim === undefined || dim === null) {
    const flat = P.reshape(x, [x.numel()]);
    const r = prodAlong(flat, 0, false);
    return keep ? P.reshape(r, x.shape.map(() => 1)) : r;
  }
  const d = normDim('prod', dim, x.ndim);
  if (x.ndim === 0) return P.copy(P.cast(x, isFloating(x.dtype) ? x.dtype : 'int32'));
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
  if (x.ndim === 0) return P.copy(input);
  return P.scan('cumsum', input, d);
}

/** Cumulative product along `dim`; integer and bool tensors give int32. Exact gradients where elements are zero. */
export function cumprod(x: Tensor, dim: number): Tensor {
  checkTensor('cumprod', x);
  const d = normDim('cumprod', dim, x.ndim);
  const input = isFloating(x.dtype) ? x : P.cast(x, 'int32');
  if (x.ndim === 0) return P.copy(input);
  if (!isFloating(input.dtype)) return P.scan('cumprod', input, d);
  const y = P.scan('cumprod', P.detach(input), d);
  return record(y, 'CumprodBackward', [input], (g) => [cumprodGrad(input, y, g, d)]);
}

/**
 * d/dx_i of sum_j g_j y_j with y = cumprod(x): sum_{j >= i} g_j prod_{k <= j, k != i} x_k. Before the first zero
 * of a row that is the reversed cumsum of g*y divided by x_i; at the first zero it is the same sum over a cumprod
 * with that zero replaced by 1; after it every term holds the zero, so it is 0. (y's own gradFn keeps this
 * differentiable for higher-order gradients.)
 */
function cumprodGrad(x: Tensor, y: Tensor, g: Tensor, d: number): Tensor {
  const dtype = x.dtype;
  const zero = P.scalarOf(0, dtype, x);
  const one = P.scalarOf(1, dtype, x);
  const revCumsum = (t: Tensor) => P.flip(P.scan('cumsum', P.flip(t, [d]), d), [d]);
  const isZero = P.binary('eq', x, zero);
  const zerosSoFar = P.scan('cumsum', P.cast(isZero, dtype), d);
  const before = P.binary('eq', zerosSoFar, zero);
  const first = P.binary('logicalAnd', isZero, P.binary('eq', zerosSoFar, one));
  const beforeGrad = P.binary('div', revCumsum(P.binary('mul', g, y)), P.where(before, x, one));
  const skipped = P.scan('cumprod', P.where(first, one, x), d);
  const firstGrad = revCumsum(P.binary('mul', g, skipped));
  return P.where(before, beforeGrad, P.where(first, firstGrad, zero));
}
