/**
 * Quantiles: quantile and nanquantile over all elements or along one dim, for one q or a 1-D tensor of them,
 * with PyTorch's five interpolation rules. Built on sort (values reach the input's gradient through gather).
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { normDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFloat, checkTensor } from './util.js';

/** How a quantile between two sorted elements is read off: PyTorch's (and NumPy's) names. */
export type QuantileInterpolation = 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest';

const INTERPOLATIONS: readonly QuantileInterpolation[] = ['linear', 'lower', 'higher', 'midpoint', 'nearest'];

/** Options of quantile and nanquantile. */
export interface QuantileOptions {
  /** Keep the reduced dim (every dim, when reducing all elements) with size 1. */
  keepdim?: boolean;
  /** Default 'linear'. */
  interpolation?: QuantileInterpolation;
}

function checkQ(op: string, x: Tensor, q: unknown): Tensor {
  if (typeof q === 'number') {
    if (!(q >= 0 && q <= 1)) throw new ValueError(`${op}: q must be in [0, 1], got ${q}`);
    return P.scalarOf(q, x.dtype, x);
  }
  if (!(q instanceof Tensor)) throw new ValueError(`${op}: q must be a number or a Tensor, got ${q === null ? 'null' : typeof q}`);
  if (q.ndim > 1) throw new ShapeError(`${op}: q must be a number, a 0-D or a 1-D tensor, got shape ${fmtShape(q.shape)}`);
  if (q.dtype !== x.dtype) throw new DTypeError(`${op}: q must have the input's dtype ${x.dtype}, got ${q.dtype}`);
  if (q.numel() > 0) {
    const flat = P.reshape(P.detach(q), [q.numel()]);
    const lo = P.reduce('min', flat, [0], false).item();
    const hi = P.reduce('max', flat, [0], false).item();
    if (!(lo >= 0 && hi <= 1)) throw new ValueError(`${op}: q values must be in [0, 1], got ${!(lo >= 0) ? lo : hi}`);
  }
  return q;
}

function quantileOf(op: 'quantile' | 'nanquantile', x: Tensor, q: number | Tensor, dim: number | null | undefined, opts: QuantileOptions): Tensor {
  checkFloat(op, checkTensor(op, x));
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${op}: options must be an object {keepdim, interpolation}, got ${String(opts)}`);
  const qt = checkQ(op, x, q);
  const mode = opts.interpolation ?? 'linear';
  if (!INTERPOLATIONS.includes(mode)) throw new ValueError(`${op}: interpolation must be one of ${INTERPOLATIONS.join(', ')}, got ${String(mode)}`);
  const keep = opts.keepdim ?? false;
  const all = dim === undefined || dim === null;
  const d = all ? -1 : normDim(op, dim, x.ndim);
  if (x.numel() === 0) throw new ValueError(`${op}: input must be non-empty, got shape ${fmtShape(x.shape)}`);
  // rows: the reduced dim moved last, [...rest, n]
  let rows: Tensor;
  let rest: number[];
  if (all || x.ndim === 0) {
    rows = P.reshape(x, [x.numel()]);
    rest = [];
  } else {
    const perm = x.shape.map((_, i) => i).filter((i) => i !== d);
    rest = perm.map((i) => x.shape[i]);
    rows = P.permute(x, [...perm, d]);
  }
  const last = rows.ndim - 1;
  const n = rows.shape[last];
  const sorted = P.gather(rows, last, P.argsort(rows, last, false));
  const Q = qt.ndim === 0 ? 1 : qt.shape[0];
  const ranks = rankOf(op, rows, P.reshape(qt, [Q]), n, mode);
  const below = P.cast(ranks, 'int32');
  let out = P.gather(sorted, last, below);
  if (mode === 'linear' || mode === 'midpoint') {
    const w = mode === 'midpoint' ? P.scalarOf(0.5, x.dtype, x) : P.binary('sub', ranks, P.cast(below, x.dtype));
    const above = P.gather(sorted, last, P.cast(P.unary('ceil', ranks), 'int32'));
    out = P.binary('add', out, P.binary('mul', w, P.binary('sub', above, out)));
  }
  // [...rest, Q] -> [Q, ...rest], then the kept dims and the q dim as the caller asked
  out = P.permute(out, [last, ...rest.map((_, i) => i)]);
  const kept = all ? x.shape.map(() => 1) : x.shape.map((s, i) => (i === d ? 1 : s));
  const shape = [...(qt.ndim === 0 ? [] : [Q]), ...(keep ? kept : rest)];
  return P.reshape(out, shape);
}

/**
 * Fractional sorted positions [...rows, Q] of each q: q (n - 1) over all n elements, where a row holding a NaN
 * reads its last (NaN) element (quantile), or q (m - 1) over its m non-NaN elements (nanquantile; NaN when m is
 * 0); then floored, ceiled or rounded (half to even) as `mode` says.
 */
function rankOf(op: string, rows: Tensor, q: Tensor, n: number, mode: QuantileInterpolation): Tensor {
  const dt = rows.dtype;
  const last = rows.ndim - 1;
  const nans = P.reduce('sum', P.cast(P.unary('isnan', P.detach(rows), { dtype: 'bool' }), dt), [last], true);
  const s = (v: number) => P.scalarOf(v, dt, rows);
  let r: Tensor;
  if (op === 'nanquantile') {
    r = P.unary('clamp', P.binary('mul', q, P.binary('sub', P.binary('sub', s(n), nans), s(1))), { p: 0, q: Infinity });
  } else {
    r = P.where(P.binary('gt', nans, s(0)), s(n - 1), P.binary('mul', q, s(n - 1)));
  }
  if (mode === 'lower') return P.unary('floor', r);
  if (mode === 'higher') return P.unary('ceil', r);
  if (mode === 'nearest') return P.unary('round', r);
  return r;
}

/**
 * The q-th quantiles of `x` (floating) over all elements or along `dim`: q a number in [0, 1] (that dim is
 * removed) or a 0-D/1-D tensor of them (its values become a new first dim). NaN where a reduced row holds a NaN.
 * Differentiable in `x` (and in a tensor `q` for 'linear').
 */
export function quantile(x: Tensor, q: number | Tensor, dim?: number | null, opts: QuantileOptions = {}): Tensor {
  return quantileOf('quantile', x, q, dim, opts);
}

/** As `quantile`, leaving NaNs out of each row (NaN only where a row is all NaN). */
export function nanquantile(x: Tensor, q: number | Tensor, dim?: number | null, opts: QuantileOptions = {}): Tensor {
  return quantileOf('nanquantile', x, q, dim, opts);
}
