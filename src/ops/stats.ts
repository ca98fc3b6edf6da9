/**
 * More reductions: nansum, nanmean, all, any, countNonzero, stdMean, varMean and aminmax.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { record } from '../autograd/node.js';
import { ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import { normDim, normDims } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { amax, amin, mean, std, sum, variance, type Dims, type KeepDim, type VarOptions } from './reduce.js';
import { checkFloat, checkTensor } from './util.js';

function keepOf(k: KeepDim): boolean {
  return typeof k === 'boolean' ? k : (k?.keepdim ?? false);
}

/**
 * `x` with NaNs replaced by 0; other dtypes unchanged. The gradient is g times a 0/1 mask (PyTorch's nansum
 * backward), so an infinite upstream gradient, as nanmean gives a row of only NaNs, turns into NaN as in torch.
 */
function zeroNans(x: Tensor): Tensor {
  if (!isFloating(x.dtype)) return x;
  const nan = P.unary('isnan', P.detach(x), { dtype: 'bool' });
  const zero = P.scalarOf(0, x.dtype, x);
  const y = P.where(nan, zero, P.detach(x));
  return record(y, 'NansumBackward', [x], (g) => [P.binary('mul', g, P.cast(P.unary('logicalNot', nan), g.dtype))]);
}

/** Sum over `dim` (all by default) treating NaN as 0; integer and bool tensors sum to int32, as `sum`. */
export function nansum(x: Tensor, dim?: Dims, keepdim?: KeepDim): Tensor {
  checkTensor('nansum', x);
  normDims('nansum', dim, x.ndim);
  return sum(zeroNans(x), dim, keepdim);
}

/** Mean over `dim` (all by default) of the non-NaN elements (NaN where there are none); floating tensors only. */
export function nanmean(x: Tensor, dim?: Dims, keepdim?: KeepDim): Tensor {
  checkFloat('nanmean', checkTensor('nanmean', x));
  const axes = normDims('nanmean', dim, x.ndim);
  const keep = keepOf(keepdim);
  const count = P.reduce('sum', P.cast(P.unary('isnan', P.detach(x), { dtype: 'bool' }), x.dtype), axes, keep);
  const n = P.binary('sub', P.scalarOf(axes.reduce((k, d) => k * x.shape[d], 1), x.dtype, x), count);
  return P.binary('div', P.reduce('sum', zeroNans(x), axes, keep), n);
}

/** How many elements over `axes` are zero (`zero`) or nonzero, as int32. NaN counts as nonzero. */
function countWhere(x: Tensor, axes: readonly number[], keep: boolean, zero: boolean): Tensor {
  const hit = P.binary(zero ? 'eq' : 'ne', P.detach(x), P.scalarOf(0, x.dtype, x));
  return P.reduce('sum', P.cast(hit, 'int32'), axes, keep);
}

/** True where every element over `dim` (all by default) is nonzero (true over nothing); a bool tensor. */
export function all(x: Tensor, dim?: Dims, keepdim?: KeepDim): Tensor {
  checkTensor('all', x);
  const axes = normDims('all', dim, x.ndim);
  const zeros = countWhere(x, axes, keepOf(keepdim), true);
  return P.binary('eq', zeros, P.scalarOf(0, 'int32', zeros));
}

/** True where some element over `dim` (all by default) is nonzero (false over nothing); a bool tensor. */
export function any(x: Tensor, dim?: Dims, keepdim?: KeepDim): Tensor {
  checkTensor('any', x);
  const axes = normDims('any', dim, x.ndim);
  const nonzeros = countWhere(x, axes, keepOf(keepdim), false);
  return P.binary('gt', nonzeros, P.scalarOf(0, 'int32', nonzeros));
}

/** Number of nonzero elements over `dim` (all by default), as int32 (PyTorch's is int64); no keepdim, as PyTorch. */
export function countNonzero(x: Tensor, dim?: Dims): Tensor {
  checkTensor('countNonzero', x);
  return countWhere(x, normDims('countNonzero', dim, x.ndim), false, false);
}

/** `[std(x, dim, opts), mean(x, dim, keepdim)]` in one call, as torch.std_mean; floating tensors only. */
export function stdMean(x: Tensor, dim?: Dims, opts: VarOptions | boolean = {}): [Tensor, Tensor] {
  checkFloat('stdMean', checkTensor('stdMean', x));
  return [std(x, dim, opts), mean(x, dim, typeof opts === 'boolean' ? opts : opts.keepdim)];
}

/** `[var(x, dim, opts), mean(x, dim, keepdim)]` in one call, as torch.var_mean; floating tensors only. */
export function varMean(x: Tensor, dim?: Dims, opts: VarOptions | boolean = {}): [Tensor, Tensor] {
  checkFloat('varMean', checkTensor('varMean', x));
  return [variance(x, dim, opts), mean(x, dim, typeof opts === 'boolean' ? opts : opts.keepdim)];
}

/** Options of aminmax. */
export interface AminmaxOptions {
  /** The one dim to reduce; all elements when omitted. */
  dim?: number;
  /** Keep the reduced dims with size 1. */
  keepdim?: boolean;
}

/**
 * The minimum and the maximum over `dim` (all by default): `{min, max}`. Gradients are amin's and amax's (shared
 * among ties), the formula later PyTorch versions give aminmax; PyTorch 1.13's aminmax has no derivative.
 */
export function aminmax(x: Tensor, opts: AminmaxOptions = {}): { min: Tensor; max: Tensor } {
  checkTensor('aminmax', x);
  if (opts === null || typeof opts !== 'object') throw new ValueError(`aminmax: options must be an object {dim, keepdim}, got ${String(opts)}`);
  const dim = opts.dim === undefined ? undefined : normDim('aminmax', opts.dim, x.ndim);
  if (dim === undefined ? x.numel() === 0 : x.ndim > 0 && x.shape[dim] === 0) {
    throw new ValueError(`aminmax: cannot reduce over an empty ${dim === undefined ? 'tensor' : `dim ${dim}`} (input shape ${fmtShape(x.shape)}): it has no minimum or maximum`);
  }
  const keepdim = opts.keepdim ?? false;
  return { min: amin(x, dim, keepdim), max: amax(x, dim, keepdim) };
}
