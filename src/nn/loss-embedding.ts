/**
 * Margin and embedding losses, as torch.nn.functional's: margin_ranking_loss, hinge_embedding_loss,
 * soft_margin_loss, multilabel_margin_loss, multilabel_soft_margin_loss, cosine_embedding_loss,
 * triplet_margin_loss and triplet_margin_with_distance_loss. Built from differentiable ops, so gradients
 * come from the autograd engine. Inputs that PyTorch would silently broadcast against each other must have
 * one shape here (a mismatch is nearly always a bug): a ShapeError says so.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { pairwiseDistance } from '../ops/distance.js';
import { checkTensor } from '../ops/util.js';
import { isFloating } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  add, broadcastWeight, clampMin, div, floatInput, mul, neg, numberOpt, reduceLoss, reductionOf, s, sameShapeTarget,
  softplusStable, sub, type ReductionOptions,
} from './loss-common.js';

/** Options of the losses with a margin. */
export interface MarginOptions extends ReductionOptions {
  /** The margin (default: 0 for marginRankingLoss and cosineEmbeddingLoss, 1 for the others). */
  margin?: number;
}

/** A second float input of `x`'s shape (backend and dtype checked; cast to x's dtype). */
function sameShapeInput(loss: string, x: Tensor, other: unknown, arg: string): Tensor {
  const t = checkTensor(loss, other, arg);
  if (t.device !== x.device) throw new ValueError(`${loss}: input1 and ${arg} are on different backends: ${x.device} and ${t.device}`);
  if (!isFloating(t.dtype)) throw new DTypeError(`${loss}: ${arg} must be a floating-point tensor, got dtype ${t.dtype}`);
  if (t.ndim !== x.ndim || t.shape.some((d, i) => d !== x.shape[i])) {
    throw new ShapeError(`${loss}: ${arg} shape ${fmtShape(t.shape)} must equal the input1 shape ${fmtShape(x.shape)}`);
  }
  return P.cast(t, x.dtype);
}

/**
 * Ranking loss of scores x1 and x2 (one shape) for targets y of that shape (1: x1 should rank higher, -1: x2):
 * `max(0, -y (x1 - x2) + margin)`, reduced. As PyTorch, y is not checked to be ±1.
 */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const loss = 'marginRankingLoss';
  const r = reductionOf(loss, opts.reduction);
  const margin = numberOpt(loss, opts.margin, 0, 'margin');
  const x1 = floatInput(loss, input1);
  const x2 = sameShapeInput(loss, x1, input2, 'input2');
  const y = sameShapeTarget(loss, x1, target, true);
  return reduceLoss(clampMin(add(neg(mul(y, sub(x1, x2))), s(margin, x1)), 0), r);
}

/**
 * Hinge embedding loss of distances `input` for targets y of its shape: `x` where y = 1, `max(0, margin - x)`
 * where y = -1, reduced (a target that is neither gets both terms, as PyTorch's).
 */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const loss = 'hingeEmbeddingLoss';
  const r = reductionOf(loss, opts.reduction);
  const margin = numberOpt(loss, opts.margin, 1, 'margin');
  const x = floatInput(loss, input);
  const y = sameShapeTarget(loss, x, target, true);
  const zero = s(0, x);
  const marginTerm = P.where(P.binary('ne', y, s(1, y)), clampMin(sub(s(margin, x), x), 0), zero);
  const selfTerm = P.where(P.binary('ne', y, s(-1, y)), x, zero);
  return reduceLoss(add(marginTerm, selfTerm), r);
}

/** Two-class logistic loss for targets y of the input's shape (±1): `log(1 + exp(-y x))`, reduced. */
export function softMarginLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const loss = 'softMarginLoss';
  const r = reductionOf(loss, opts.reduction);
  const x = floatInput(loss, input);
  const y = sameShapeTarget(loss, x, target, true);
  return reduceLoss(softplusStable(neg(mul(y, x))), r);
}

/**
 * Multi-label hinge loss of scores `input` [N, C] or [C] for int32 `target` of the same shape that lists each
 * sample's classes and ends at the first -1: per sample `sum_{j listed} sum_{i not listed} max(0, 1 - (x[j] -
 * x[i])) / C`, reduced over samples ('none' gives [N] or []). A class listed twice counts twice, as PyTorch's.
 */
export function multilabelMarginLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const loss = 'multilabelMarginLoss';
  const r = reductionOf(loss, opts.reduction);
  const x = floatInput(loss, input);
  if (x.ndim !== 1 && x.ndim !== 2) throw new ShapeError(`${loss}: input must be [N, C] or [C], got shape ${fmtShape(x.shape)}`);
  const t = checkTensor(loss, target, 'target');
  if (t.device !== x.device) throw new ValueError(`${loss}: input and target are on different backends: ${x.device} and ${t.device}`);
  if (t.ndim !== x.ndim || t.shape.some((d, i) => d !== x.shape[i])) {
    throw new ShapeError(`${loss}: target shape ${fmtShape(t.shape)} must equal the input shape ${fmtShape(x.shape)}`);
  }
  if (t.dtype !== 'int32') throw new DTypeError(`${loss}: target must be an int32 tensor of class indices, got dtype ${t.dtype}`);
  const x2 = x.ndim === 1 ? P.reshape(x, [1, x.shape[0]]) : x;
  const [N, C] = x2.shape;
  const tv = t.toTypedArray();
  // count[n, j]: how often class j is listed for sample n; listed[n, i]: whether it is at all
  const count = new Float64Array(N * C);
  const listed = new Float64Array(N * C);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < C; k++) {
      const j = tv[n * C + k];
      if (j === -1) break;
      if (!Number.isInteger(j) || j < 0 || j >= C) {
        throw new ValueError(`${loss}: target ${j} (at flat index ${n * C + k}) is out of range for ${C} classes (valid: 0..${C - 1}, or -1 to end the list)`);
      }
      count[n * C + j] += 1;
      listed[n * C + j] = 1;
    }
  }
  const cnt = P.fromHost(count, [N, C, 1], x.dtype, x.device);
  const other = P.fromHost(listed.map((v) => 1 - v), [N, 1, C], x.dtype, x.device);
  // z[n, j, i] = max(0, 1 - x[n, j] + x[n, i]), weighted by count[n, j] * (i not listed)
  const z = P.unary('relu', add(sub(s(1, x2), P.reshape(x2, [N, C, 1])), P.reshape(x2, [N, 1, C])));
  const per = div(P.reduce('sum', mul(mul(z, cnt), other), [1, 2], false), s(C, x2));
  return reduceLoss(x.ndim === 1 ? P.reshape(per, []) : per, r);
}

/** Options of multilabelSoftMarginLoss. */
export interface MultilabelSoftMarginOptions extends ReductionOptions {
  /** Weight of each class [C] (any shape broadcasting to the input's). */
  weight?: Tensor | null;
}

/**
 * Multi-label one-versus-all logistic loss of logits `input` [N, C] (or [C]) for 0/1 targets of its shape: per
 * sample the mean over classes of `w (y log(1 + e^-x) + (1 - y) log(1 + e^x))`, reduced over samples ('none'
 * gives [N]).
 */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, opts: MultilabelSoftMarginOptions = {}): Tensor {
  const loss = 'multilabelSoftMarginLoss';
  const r = reductionOf(loss, opts.reduction);
  const x = floatInput(loss, input);
  if (x.ndim < 1) throw new ShapeError(`${loss}: input must be [N, C] or [C], got shape ${fmtShape(x.shape)}`);
  const y = sameShapeTarget(loss, x, target, true);
  const w = broadcastWeight(loss, opts.weight, x, 'weight');
  let l = add(mul(y, softplusStable(neg(x))), mul(sub(s(1, y), y), softplusStable(x)));
  if (w) l = mul(l, w);
  const cd = x.ndim - 1;
  return reduceLoss(div(P.reduce('sum', l, [cd], false), s(x.shape[cd], x)), r);
}

/**
 * Cosine embedding loss of vectors x1, x2 [N, D] with targets y [N] (or [D], [D] with a 0-d y): `1 - cos` where
 * y = 1, `max(0, cos - margin)` where y = -1 (0 for any other target), with `cos = x1.x2 / sqrt((|x1|^2 + 1e-12)
 * (|x2|^2 + 1e-12))` as PyTorch's; reduced over samples.
 */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const loss = 'cosineEmbeddingLoss';
  const r = reductionOf(loss, opts.reduction);
  const margin = numberOpt(loss, opts.margin, 0, 'margin');
  const x1 = floatInput(loss, input1);
  const x2 = sameShapeInput(loss, x1, input2, 'input2');
  const t = checkTensor(loss, target, 'target');
  if (x1.ndim !== 1 && x1.ndim !== 2) throw new ShapeError(`${loss}: inputs must be [N, D] or [D], got shape ${fmtShape(x1.shape)}`);
  const want = x1.ndim === 2 ? [x1.shape[0]] : [];
  if (t.ndim !== want.length || t.shape.some((d, i) => d !== want[i])) {
    throw new ShapeError(`${loss}: target must have shape ${fmtShape(want)} for inputs ${fmtShape(x1.shape)}, got ${fmtShape(t.shape)}`);
  }
  if (t.device !== x1.device) throw new ValueError(`${loss}: input1 and target are on different backends: ${x1.device} and ${t.device}`);
  if (t.dtype === 'bool') throw new DTypeError(`${loss}: target must be a float or int32 tensor of ±1, got dtype bool`);
  const y = P.cast(t, x1.dtype);
  const d = x1.ndim - 1;
  const eps = 1e-12;
  const dot = P.reduce('sum', mul(x1, x2), [d], false);
  const m1 = add(P.reduce('sum', mul(x1, x1), [d], false), s(eps, x1));
  const m2 = add(P.reduce('sum', mul(x2, x2), [d], false), s(eps, x1));
  const cos = div(dot, P.unary('sqrt', mul(m1, m2)));
  const zero = s(0, cos);
  const pos = P.where(P.binary('eq', y, s(1, y)), sub(s(1, cos), cos), zero);
  const negTerm = P.where(P.binary('eq', y, s(-1, y)), clampMin(sub(cos, s(margin, cos)), 0), zero);
  return reduceLoss(add(pos, negTerm), r);
}

/** Options of tripletMarginLoss. */
export interface TripletMarginOptions extends MarginOptions {
  /** The norm's exponent of the distance (default 2). */
  p?: number;
  /** Added to differences before the norm, as pairwiseDistance's (default 1e-6). */
  eps?: number;
  /** Use the smaller of d(anchor, negative) and d(positive, negative) as the negative distance (default false). */
  swap?: boolean;
}

/** Checks a triplet: three float tensors of one shape, [N, D] or [D] unless `anyRank`. */
function checkTriplet(loss: string, anchor: Tensor, positive: Tensor, negative: Tensor, anyRank = false): [Tensor, Tensor, Tensor] {
  const a = floatInput(loss, anchor);
  if (!anyRank && a.ndim !== 1 && a.ndim !== 2) throw new ShapeError(`${loss}: anchor must be [N, D] or [D], got shape ${fmtShape(a.shape)}`);
  for (const [arg, t] of [['positive', positive], ['negative', negative]] as const) {
    const u = checkTensor(loss, t, arg);
    if (u.ndim !== a.ndim || u.shape.some((d, i) => d !== a.shape[i])) {
      throw new ShapeError(`${loss}: ${arg} shape ${fmtShape(u.shape)} must equal the anchor shape ${fmtShape(a.shape)}`);
    }
  }
  return [a, checkFloatLike(loss, positive, a, 'positive'), checkFloatLike(loss, negative, a, 'negative')];
}

function checkFloatLike(loss: string, t: Tensor, a: Tensor, arg: string): Tensor {
  if (!isFloating(t.dtype)) throw new DTypeError(`${loss}: ${arg} must be a floating-point tensor, got dtype ${t.dtype}`);
  if (t.device !== a.device) throw new ValueError(`${loss}: anchor and ${arg} are on different backends: ${a.device} and ${t.device}`);
  return P.cast(t, a.dtype);
}

/** `max(0, margin + d(a, p) - d(a, n))` (n's distance swapped for d(p, n) where smaller), reduced. */
function tripletFromDistances(dist: (u: Tensor, v: Tensor) => Tensor, a: Tensor, p: Tensor, n: Tensor, margin: number, swap: boolean, r: string): Tensor {
  const dPos = dist(a, p);
  let dNeg = dist(a, n);
  if (swap) dNeg = P.binary('minimum', dNeg, dist(p, n));
  return reduceLoss(clampMin(add(sub(dPos, dNeg), s(margin, dPos)), 0), r);
}

/**
 * Triplet loss of anchors, positives and negatives [N, D] (or [D]): `max(0, margin + d(a, p) - d(a, n))` with
 * `d = pairwiseDistance(., ., {p, eps})`, reduced over samples; `swap` takes min(d(a, n), d(p, n)) (Balntas
 * et al. 2016).
 */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts: TripletMarginOptions = {}): Tensor {
  const loss = 'tripletMarginLoss';
  const r = reductionOf(loss, opts.reduction);
  const margin = numberOpt(loss, opts.margin, 1, 'margin');
  const p = numberOpt(loss, opts.p, 2, 'p', (v) => v >= 0, 'a number >= 0');
  const eps = numberOpt(loss, opts.eps, 1e-6, 'eps', (v) => v >= 0, 'a number >= 0');
  const swap = opts.swap ?? false;
  if (typeof swap !== 'boolean') throw new ValueError(`${loss}: swap must be a boolean, got ${String(swap)}`);
  const [a, pos, neg_] = checkTriplet(loss, anchor, positive, negative);
  return tripletFromDistances((u, v) => pairwiseDistance(u, v, { p, eps }), a, pos, neg_, margin, swap, r);
}

/** Options of tripletMarginWithDistanceLoss. */
export interface TripletDistanceOptions extends MarginOptions {
  /** Distance of two [N, D] batches, giving [N] (default pairwiseDistance with p = 2). */
  distanceFunction?: ((x1: Tensor, x2: Tensor) => Tensor) | null;
  /** Use the smaller of d(anchor, negative) and d(positive, negative) as the negative distance (default false). */
  swap?: boolean;
}

/**
 * tripletMarginLoss with any distance: `max(0, margin + d(a, p) - d(a, n))`, reduced, for anchors, positives
 * and negatives of one shape; `d` is `distanceFunction` (default pairwiseDistance), e.g.
 * `(a, b) => sub(1, cosineSimilarity(a, b, {dim: -1}))`.
 */
export function tripletMarginWithDistanceLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts: TripletDistanceOptions = {}): Tensor {
  const loss = 'tripletMarginWithDistanceLoss';
  const r = reductionOf(loss, opts.reduction);
  const margin = numberOpt(loss, opts.margin, 1, 'margin');
  const swap = opts.swap ?? false;
  if (typeof swap !== 'boolean') throw new ValueError(`${loss}: swap must be a boolean, got ${String(swap)}`);
  const fn = opts.distanceFunction ?? ((u: Tensor, v: Tensor) => pairwiseDistance(u, v));
  if (typeof fn !== 'function') throw new ValueError(`${loss}: distanceFunction must be a function, got ${typeof fn}`);
  const [a, pos, neg_] = checkTriplet(loss, anchor, positive, negative, true);
  return tripletFromDistances(fn, a, pos, neg_, margin, swap, r);
}
