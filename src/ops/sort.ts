/**
 * Sorting and order statistics along one dim: sort, argsort, msort, topk, kthvalue, median, nanmedian and mode.
 * Every one is the backend's stable argsort (NaN as the largest value) followed by gathers, so values get their
 * gradient through gather: it goes to the element each value was picked from, as PyTorch's.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { record } from '../autograd/node.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import { normDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { KeepDim, ValuesIndices } from './reduce.js';
import { checkInt, checkTensor } from './util.js';

/** Options of sort and argsort. */
export interface SortOptions {
  /** Largest first (NaN then comes first). Default false. */
  descending?: boolean;
  /**
   * Keep equal elements in their original order. shendu's sort is always stable, which is also a valid order
   * for PyTorch's default (unstable) sort; the flag is accepted for parity.
   */
  stable?: boolean;
}

/** Options of topk. */
export interface TopkOptions {
  /** The k largest (default) or the k smallest. */
  largest?: boolean;
  /** Return them in sorted order. shendu always does, which PyTorch allows for `sorted: false` too. */
  sorted?: boolean;
}

function keepOf(k: KeepDim): boolean {
  return typeof k === 'boolean' ? k : (k?.keepdim ?? false);
}

/** Runs `f` on `x` along dim `d`, reading a 0-d tensor as one element and giving 0-d results back. */
function along<T extends Tensor[]>(x: Tensor, f: (t: Tensor, d: number) => T, d: number): T {
  if (x.ndim > 0) return f(x, d);
  return f(P.reshape(x, [1]), 0).map((t) => P.reshape(t, [])) as T;
}

/** Drops dim `d` (of size 1) unless keepdim. */
function squeezeUnless(t: Tensor, d: number, keep: boolean): Tensor {
  return keep ? t : P.reshape(t, t.shape.filter((_, i) => i !== d));
}

/** A size-`size` window from `start` along dim `d` (a view). */
function cut(t: Tensor, d: number, start: number, size: number): Tensor {
  return P.slice(t, t.shape.map((s, i) => (i === d ? { start, step: 1, size } : { start: 0, step: 1, size: s })));
}

function sortOpts(op: string, opts: SortOptions | boolean): SortOptions {
  if (typeof opts === 'boolean') return { descending: opts };
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${op}: options must be an object or a boolean (descending), got ${String(opts)}`);
  return opts;
}

/**
 * Sorts along `dim` (default -1): `{values, indices}` of `x`'s shape, indices int32. Ascending by default, NaN
 * as the largest value; stable. `sort(x, 0, true)` is descending.
 */
export function sort(x: Tensor, dim = -1, opts: SortOptions | boolean = {}): ValuesIndices {
  checkTensor('sort', x);
  const desc = sortOpts('sort', opts).descending ?? false;
  const [values, indices] = along(x, (t, d) => {
    const idx = P.argsort(t, d, desc);
    return [P.gather(t, d, idx), idx];
  }, normDim('sort', dim, x.ndim));
  return { values, indices };
}

/** The int32 indices that sort `x` along `dim` (default -1): `sort(x, dim, opts).indices`. */
export function argsort(x: Tensor, dim = -1, opts: SortOptions | boolean = {}): Tensor {
  checkTensor('argsort', x);
  const desc = sortOpts('argsort', opts).descending ?? false;
  return along(x, (t, d) => [P.argsort(t, d, desc)], normDim('argsort', dim, x.ndim))[0];
}

/** `x` sorted along its first dim, ascending (values only). */
export function msort(x: Tensor): Tensor {
  checkTensor('msort', x);
  return sort(x, 0).values;
}

/**
 * The `k` largest (or, with `largest: false`, smallest) elements along `dim` (default -1), sorted:
 * `{values, indices}` with size k in `dim`. NaN counts as the largest value; of tied elements the earlier comes
 * first (PyTorch leaves the order of ties unspecified).
 */
export function topk(x: Tensor, k: number, dim = -1, opts: TopkOptions = {}): ValuesIndices {
  checkTensor('topk', x);
  const d = normDim('topk', dim, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[d];
  if (opts === null || typeof opts !== 'object') throw new ValueError(`topk: options must be an object {largest, sorted}, got ${String(opts)}`);
  checkInt('topk', k, 'k', 0);
  if (k > size) throw new ValueError(`topk: k must be at most the size of dim ${d} (${size}), got ${k}`);
  const largest = opts.largest ?? true;
  const [values, indices] = along(x, (t, dd) => {
    const idx = P.copy(cut(P.argsort(t, dd, largest), dd, 0, k));
    return [P.gather(t, dd, idx), idx];
  }, d);
  return { values, indices };
}

/**
 * The `k`-th smallest element (k from 1) along `dim` (default -1): `{values, indices}`, the dim removed unless
 * keepdim. Among ties the index is that of the stable sort's k-th element (PyTorch's quickselect may pick another).
 */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim?: KeepDim): ValuesIndices {
  checkTensor('kthvalue', x);
  const d = normDim('kthvalue', dim, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[d];
  checkInt('kthvalue', k, 'k', 1);
  if (k > size) throw new ValueError(`kthvalue: k must be at most the size of dim ${d} (${size}), got ${k}`);
  return pickAlong(x, d, keepOf(keepdim), (t, dd) => P.scalarOf(k - 1, 'int32', t));
}

/**
 * The element at ascending sorted position `pos(t, d)` (an int32 tensor that broadcasts to t's shape with dim d
 * of size 1) along dim `d`: its value and its index in `x`, dim d removed unless `keep`.
 */
function pickAlong(x: Tensor, d: number, keep: boolean, pos: (t: Tensor, d: number) => Tensor): ValuesIndices {
  const [values, indices] = along(x, (t, dd) => {
    const order = P.argsort(t, dd, false);
    const at = P.copy(P.expand(pos(t, dd), t.shape.map((s, i) => (i === dd ? 1 : s))));
    const idx = P.gather(order, dd, at);
    return [squeezeUnless(P.gather(t, dd, idx), dd, keep), squeezeUnless(idx, dd, keep)];
  }, d);
  return { values, indices };
}

/**
 * Sorted position of the median along `d`, per row: the lower median ((n - 1) / 2 rounded down) of the values,
 * or for median a row's first NaN (which PyTorch returns when there is one); nanmedian leaves NaNs out.
 */
function medianPos(t: Tensor, d: number, skipNan: boolean): Tensor {
  const n = t.shape[d];
  if (!isFloating(t.dtype)) return P.scalarOf(Math.floor((n - 1) / 2), 'int32', t);
  const s = (v: number) => P.scalarOf(v, 'float64', t);
  const nans = P.reduce('sum', P.cast(P.unary('isnan', P.detach(t), { dtype: 'bool' }), 'float64'), [d], true);
  const valid = P.binary('sub', s(n), nans);
  // floor(max(m - 1, 0) / 2): position 0 for a row of only NaNs
  const lower = P.unary('floor', P.binary('div', P.unary('clamp', P.binary('sub', valid, s(1)), { p: 0, q: Infinity }), s(2)));
  const pos = skipNan ? lower : P.where(P.binary('gt', nans, s(0)), valid, lower);
  return P.cast(pos, 'int32');
}

function checkMedianInput(op: string, x: Tensor, d: number | null): void {
  // as PyTorch, which has no median of bool
  if (x.dtype === 'bool') throw new DTypeError(`${op}: input must be a floating-point or int32 tensor, got dtype bool`);
  if (d !== null && x.ndim > 0 && x.shape[d] === 0) {
    throw new ValueError(`${op}: cannot reduce over a dim of size 0 (input shape ${fmtShape(x.shape)}): the result is undefined`);
  }
}

function medianOf(op: 'median' | 'nanmedian', x: Tensor, dim: number | undefined, keepdim: KeepDim): Tensor | ValuesIndices {
  checkTensor(op, x);
  if (dim !== undefined) {
    const d = normDim(op, dim, x.ndim);
    checkMedianInput(op, x, d);
    return pickAlong(x, d, keepOf(keepdim), (t, dd) => medianPos(t, dd, op === 'nanmedian'));
  }
  checkMedianInput(op, x, null);
  const flat = P.reshape(P.detach(x), [x.numel()]);
  if (x.numel() === 0) {
    if (!isFloating(x.dtype)) throw new ValueError(`${op}: the median of an empty int32 tensor is undefined`);
    return P.filled([], NaN, x.dtype, x.device);
  }
  const v = P.reshape(pickAlong(flat, 0, false, (t, dd) => medianPos(t, dd, op === 'nanmedian')).values, []);
  if (!isFloating(x.dtype)) return v;
  return record(v, op === 'median' ? 'MedianBackward' : 'NanmedianBackward', [x], (g) => {
    // PyTorch's evenly_distribute_backward: every element equal to the median (every NaN, when it is NaN)
    // gets an equal share
    const isNanV = P.unary('isnan', v, { dtype: 'bool' });
    const mask = P.cast(P.where(isNanV, P.unary('isnan', x, { dtype: 'bool' }), P.binary('eq', x, v)), x.dtype);
    return [P.binary('mul', mask, P.binary('div', g, P.reduce('sum', mask, x.shape.map((_, i) => i), false)))];
  });
}

/**
 * Median of all elements (0-d; NaN if any is NaN), or `{values, indices}` along `dim`. The lower of the two
 * middle values for an even count, as PyTorch; on ties the index is the tied element's, in the order a stable
 * sort gives (PyTorch's). Over all elements the gradient is shared evenly among elements equal to the median.
 */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, keepdim?: KeepDim): ValuesIndices;
export function median(x: Tensor, dim?: number, keepdim?: KeepDim): Tensor | ValuesIndices {
  return medianOf('median', x, dim, keepdim);
}

/**
 * As `median`, leaving NaNs out: NaN only where everything is NaN, with index 0 there (PyTorch's index for such a
 * row is whatever its nth_element leaves first: 0 for rows up to 3 long, not in general).
 */
export function nanmedian(x: Tensor): Tensor;
export function nanmedian(x: Tensor, dim: number, keepdim?: KeepDim): ValuesIndices;
export function nanmedian(x: Tensor, dim?: number, keepdim?: KeepDim): Tensor | ValuesIndices {
  return medianOf('nanmedian', x, dim, keepdim);
}

/**
 * The most frequent value along `dim` (default -1), the smallest one on ties, with the index of its last
 * occurrence: `{values, indices}`. (PyTorch returns the last occurrence for rows up to 16 long; for longer rows
 * its index is whichever its unstable sort leaves last.) Each NaN counts as a value of its own.
 */
export function mode(x: Tensor, dim = -1, keepdim?: KeepDim): ValuesIndices {
  checkTensor('mode', x);
  const d = normDim('mode', dim, x.ndim);
  if (x.ndim > 0 && x.shape[d] === 0) throw new ValueError(`mode: cannot reduce over a dim of size 0 (input shape ${fmtShape(x.shape)})`);
  return pickAlong(x, d, keepOf(keepdim), modePos);
}

/**
 * Sorted position of the last element of the longest run of equal values (the first such run, so the smallest
 * value): runs are numbered by a cumsum of "differs from the previous", counted with scatterAdd.
 */
function modePos(t: Tensor, d: number): Tensor {
  const n = t.shape[d];
  const sorted = P.gather(P.detach(t), d, P.argsort(t, d, false));
  const first = P.filled(t.shape.map((s, i) => (i === d ? 1 : s)), 1, 'int32', t.device);
  const starts = P.cat([first, P.cast(P.binary('ne', cut(sorted, d, 1, n - 1), cut(sorted, d, 0, n - 1)), 'int32')], d);
  const run = P.binary('sub', P.scan('cumsum', starts, d), P.scalarOf(1, 'int32', t));
  const counts = P.scatterAdd(P.filled(t.shape, 0, 'int32', t.device), d, run, P.filled(t.shape, 1, 'int32', t.device));
  const best = P.reduceRaw('argmax', counts, [d], true, 'int32');
  const upTo = P.reduce('sum', P.cast(P.binary('le', run, best), 'int32'), [d], true);
  return P.binary('sub', upTo, P.scalarOf(1, 'int32', t));
}
