/**
 * Distances and similarities between vectors, as torch.nn.functional's `normalize`, `cosine_similarity` and
 * `pairwise_distance`. Composite ops: their gradients come from the elementwise ops and `norm`.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from './elementwise.js';
import { norm, sum } from './reduce.js';
import { checkFloat, checkTensor } from './util.js';

function checkP(op: string, p: unknown): number {
  if (typeof p !== 'number' || Number.isNaN(p) || (p < 0 && p !== -Infinity)) {
    throw new ValueError(`${op}: p must be a number >= 0, Infinity or -Infinity, got ${String(p)}`);
  }
  return p;
}

function checkEps(op: string, eps: unknown): number {
  if (typeof eps !== 'number' || Number.isNaN(eps) || eps < 0) throw new ValueError(`${op}: eps must be a number >= 0, got ${String(eps)}`);
  return eps;
}

/** `dim` checked against a rank `ndim` and made non-negative. */
function checkDim(op: string, dim: unknown, ndim: number, shape: readonly number[]): number {
  const lo = -Math.max(ndim, 1);
  const hi = Math.max(ndim, 1) - 1;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new ValueError(`${op}: dim must be an integer in [${lo}, ${hi}] for shape ${fmtShape(shape)}, got ${String(dim)}`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Options of normalize. */
export interface NormalizeOptions {
  /** The exponent of the norm (default 2). */
  p?: number;
  /** The dim whose vectors are normalized (default 1). */
  dim?: number;
  /** Lower bound of the divisor, so a zero vector stays zero (default 1e-12). */
  eps?: number;
}

/** `x / max(||x||_p, eps)` along `dim`: unit vectors (in the p-norm) of any shape; same shape as x. */
export function normalize(x: Tensor, opts: NormalizeOptions = {}): Tensor {
  const op = 'normalize';
  checkFloat(op, checkTensor(op, x));
  const p = checkP(op, opts.p ?? 2);
  const eps = checkEps(op, opts.eps ?? 1e-12);
  const dim = checkDim(op, opts.dim ?? 1, x.ndim, x.shape);
  const n = x.ndim === 0 ? norm(x, p) : norm(x, p, dim, true);
  return div(x, P.unary('clamp', n, { p: eps, q: Infinity }));
}

/** Options of cosineSimilarity. */
export interface CosineSimilarityOptions {
  /** The dim holding the vectors (default 1). */
  dim?: number;
  /** Lower bound of each vector's norm (default 1e-8). */
  eps?: number;
}

/**
 * Cosine of the angle between the vectors of x1 and x2 along `dim` (after broadcasting them to one shape), the
 * result having that dim removed: `sum(x1 / max(||x1||, eps) * x2 / max(||x2||, eps))`, as PyTorch 1.13
 * (each norm clamped on its own, rather than their product, with PyTorch's gradient: see the comment inside).
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, opts: CosineSimilarityOptions = {}): Tensor {
  const op = 'cosineSimilarity';
  checkFloat(op, checkTensor(op, x1, 'x1'), 'x1');
  checkFloat(op, checkTensor(op, x2, 'x2'), 'x2');
  const eps = checkEps(op, opts.eps ?? 1e-8);
  const shape = broadcastShapes(op, x1.shape, x2.shape);
  if (shape.length === 0) throw new ShapeError(`${op}: inputs must have at least 1 dimension, got x1 ${fmtShape(x1.shape)} and x2 ${fmtShape(x2.shape)}`);
  const dim = checkDim(op, opts.dim ?? 1, shape.length, shape);
  const unit = (x: Tensor) => {
    const xb = P.expand(x, shape);
    // PyTorch clamps the norm in place under no_grad, after the norm saved it for its backward: the value is
    // max(|x|, eps) and the norm's gradient x / max(|x|, eps). Matched here: n = nc + <x, sg(x / nc)> - sg(same).
    const nc = P.unary('clamp', P.detach(norm(xb, 2, dim, true)), { p: eps, q: Infinity });
    const lin = sum(mul(xb, P.detach(div(xb, nc))), dim, true);
    return div(xb, P.binary('add', nc, P.binary('sub', lin, P.detach(lin))));
  };
  return sum(mul(unit(x1), unit(x2)), dim);
}

/** Options of pairwiseDistance. */
export interface PairwiseDistanceOptions {
  /** The exponent of the norm (default 2). */
  p?: number;
  /** Added to the difference, so that the norm's gradient is defined when x1 equals x2 (default 1e-6). */
  eps?: number;
  /** Keep the reduced last dim as size 1 (default false). */
  keepdim?: boolean;
}

/**
 * The p-norm distance `||x1 - x2 + eps||_p` over the last dim between x1 [..., D] and x2 [..., D] (broadcast
 * to one shape): shape [...] (or [..., 1] with keepdim).
 */
export function pairwiseDistance(x1: Tensor, x2: Tensor, opts: PairwiseDistanceOptions = {}): Tensor {
  const op = 'pairwiseDistance';
  checkFloat(op, checkTensor(op, x1, 'x1'), 'x1');
  checkFloat(op, checkTensor(op, x2, 'x2'), 'x2');
  const p = checkP(op, opts.p ?? 2);
  const eps = checkEps(op, opts.eps ?? 1e-6);
  const keepdim = opts.keepdim ?? false;
  if (typeof keepdim !== 'boolean') throw new ValueError(`${op}: keepdim must be a boolean, got ${String(keepdim)}`);
  const shape = broadcastShapes(op, x1.shape, x2.shape);
  if (shape.length === 0) throw new ShapeError(`${op}: inputs must have at least 1 dimension, got x1 ${fmtShape(x1.shape)} and x2 ${fmtShape(x2.shape)}`);
  return norm(add(sub(x1, x2), eps), p, shape.length - 1, keepdim);
}
