/**
 * Loss functions, as torch.nn.functional's (`F.mseLoss`, `F.crossEntropy`, ...) plus the course's classic ones
 * that PyTorch lacks (multi-class focal) and the 0-1 loss as a metric; the binary ones (BCE, hinge, perceptron,
 * exponential, sigmoid focal) are in loss-binary.ts. Each
 * takes `(input, target, opts)` with `reduction: 'none' | 'mean' | 'sum'` (default 'mean' unless PyTorch's
 * default differs) and is built from differentiable ops, so gradients (for input and float targets) come from
 * the autograd engine. Targets must have the input's shape where PyTorch would broadcast them with a warning:
 * a mismatch is nearly always a bug, so shendu throws a ShapeError instead.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { logSoftmax } from '../ops/activation.js';
import { checkFloat, checkTensor } from '../ops/util.js';
import { traceOp, tracing } from '../ops/trace-hook.js';
import { isFloating } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { crossEntropyRows } from './cross-entropy-fused.js';
import {
  s, add, sub, mul, div, neg, sumAll, reductionOf, reduceLoss, numberOpt, floatInput, sameShapeTarget, powOf,
  type LossReduction, type ReductionOptions,
} from './loss-common.js';

export type { LossReduction, ReductionOptions } from './loss-common.js';

// ---- regression losses ---------------------------------------------------------------------------------

/** Mean absolute error `|input - target|`, reduced; input and target of one shape. */
export function l1Loss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const r = reductionOf('l1Loss', opts.reduction);
  const x = floatInput('l1Loss', input);
  return reduceLoss(P.unary('abs', sub(x, sameShapeTarget('l1Loss', x, target))), r);
}

/** Mean squared error `(input - target)^2`, reduced; input and target of one shape. */
export function mseLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const r = reductionOf('mseLoss', opts.reduction);
  const x = floatInput('mseLoss', input);
  return reduceLoss(P.unary('square', sub(x, sameShapeTarget('mseLoss', x, target))), r);
}

/** Options of huberLoss. */
export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1; must be > 0). */
  delta?: number;
}

/** Huber loss: `0.5 d^2` where `|d| < delta`, else `delta (|d| - 0.5 delta)`, with d = input - target. */
export function huberLoss(input: Tensor, target: Tensor, opts: HuberOptions = {}): Tensor {
  const r = reductionOf('huberLoss', opts.reduction);
  const delta = numberOpt('huberLoss', opts.delta, 1, 'delta', (v) => v > 0, 'a number > 0');
  const x = floatInput('huberLoss', input);
  const d = sub(x, sameShapeTarget('huberLoss', x, target));
  const a = P.unary('abs', d);
  const quad = mul(s(0.5, d), P.unary('square', d));
  const lin = mul(s(delta, d), sub(a, s(0.5 * delta, d)));
  return reduceLoss(P.where(P.binary('lt', a, s(delta, a)), quad, lin), r);
}

/** Options of smoothL1Loss. */
export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1; must be >= 0; 0 gives the L1 loss). */
  beta?: number;
}

/** Smooth L1 loss: `0.5 d^2 / beta` where `|d| < beta`, else `|d| - 0.5 beta` (huberLoss / beta). */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: SmoothL1Options = {}): Tensor {
  const r = reductionOf('smoothL1Loss', opts.reduction);
  const beta = numberOpt('smoothL1Loss', opts.beta, 1, 'beta', (v) => v >= 0, 'a number >= 0');
  const x = floatInput('smoothL1Loss', input);
  const d = sub(x, sameShapeTarget('smoothL1Loss', x, target));
  const a = P.unary('abs', d);
  if (beta === 0) return reduceLoss(a, r);
  const quad = div(mul(s(0.5, d), P.unary('square', d)), s(beta, d));
  const lin = sub(a, s(0.5 * beta, a));
  return reduceLoss(P.where(P.binary('lt', a, s(beta, a)), quad, lin), r);
}

// ---- multi-class classification ------------------------------------------------------------------------

/** A checked class-index target: the class count, the target as [N, ...] and the shape results take. */
interface ClassTarget {
  /** Number of classes C. */
  C: number;
  /** Scores/log-probs with the class dim at 1: [N, C, ...] (a [C] input becomes [1, C]). */
  x: Tensor;
  /** int32 targets [N, ...] (a 0-d target becomes [1]). */
  t: Tensor;
  /** Shape of an unreduced result (the target's). */
  outShape: readonly number[];
  /** The target's values, row-major. */
  values: ArrayLike<number>;
}

function expectedTargetShape(x: Tensor): number[] {
  return x.ndim === 1 ? [] : [x.shape[0], ...x.shape.slice(2)];
}

/** Validates an int32 class-index target against input [N, C, d1, ...] or [C]; ignoreIndex values may be anything. */
function classTarget(loss: string, x: Tensor, target: unknown, ignoreIndex: number | null, allowProbs: boolean): ClassTarget {
  const t = checkTensor(loss, target, 'target');
  if (x.ndim < 1) throw new ShapeError(`${loss}: input must be [N, C], [N, C, d1, ...] or [C], got shape ${fmtShape(x.shape)}`);
  if (t.device !== x.device) throw new ValueError(`${loss}: input and target are on different backends: ${x.device} and ${t.device}`);
  const want = expectedTargetShape(x);
  const alt = allowProbs ? ` (class indices) or ${fmtShape(x.shape)} (class probabilities)` : ' (class indices)';
  if (t.ndim !== want.length || t.shape.some((d, i) => d !== want[i])) {
    throw new ShapeError(`${loss}: target shape ${fmtShape(t.shape)} does not fit input ${fmtShape(x.shape)}: expected ${fmtShape(want)}${alt}`);
  }
  if (t.dtype !== 'int32') {
    throw new DTypeError(`${loss}: a class-index target must be an int32 tensor, got dtype ${t.dtype}${allowProbs ? `; a float target must have the input's shape ${fmtShape(x.shape)} to hold class probabilities` : ''}`);
  }
  const C = x.ndim === 1 ? x.shape[0] : x.shape[1];
  const v = t.toTypedArray();
  for (let i = 0; i < v.length; i++) {
    if (v[i] === ignoreIndex) continue;
    if (v[i] < 0 || v[i] >= C) {
      const ign = ignoreIndex === null ? '' : `, or ignoreIndex ${ignoreIndex}`;
      throw new ValueError(`${loss}: target ${v[i]} (at flat index ${i}) is out of range for ${C} classes (valid: 0..${C - 1}${ign})`);
    }
  }
  return x.ndim === 1
    ? { C, x: P.reshape(x, [1, C]), t: P.reshape(t, [1]), outShape: [], values: v }
    : { C, x, t, outShape: t.shape, values: v };
}

/** A per-class weight [C], checked and cast to `x`'s dtype. */
function classWeight(loss: string, w: Tensor | null | undefined, C: number, x: Tensor, arg = 'weight'): Tensor | null {
  if (w === undefined || w === null) return null;
  checkFloat(loss, checkTensor(loss, w, arg), arg);
  if (w.ndim !== 1 || w.shape[0] !== C) throw new ShapeError(`${loss}: ${arg} must have shape [${C}] (one per class), got ${fmtShape(w.shape)}`);
  return P.cast(w, x.dtype);
}

function ignoreIndexOf(loss: string, v: unknown): number {
  const n = v ?? -100;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new ValueError(`${loss}: ignoreIndex must be an integer, got ${String(v)}`);
  return n;
}

/** Per-class values `w[t]` for int32 targets t (any shape), as a tensor of t's shape. */
function perTarget(w: Tensor, t: Tensor): Tensor {
  return P.reshape(P.indexSelect(w, 0, P.reshape(t, [t.numel()])), t.shape);
}

/** `lp[n, t[n, ...], ...]` for lp [N, C, ...] and int32 t [N, ...]: shape of t. */
function pickClass(lp: Tensor, t: Tensor): Tensor {
  const idx = P.reshape(t, [t.shape[0], 1, ...t.shape.slice(1)]);
  return P.reshape(P.gather(lp, 1, idx), t.shape);
}

/**
 * The negative log-likelihood part shared by nllLoss and crossEntropy: per-element `-w[t] lp[t]` (0 where
 * ignored), the per-element weights (0 where ignored) and the ignore mask.
 */
function nllParts(ct: ClassTarget, lp: Tensor, w: Tensor | null, ignoreIndex: number) {
  const keep = P.binary('ne', ct.t, P.scalarOf(ignoreIndex, 'int32', ct.t));
  const safeT = P.where(keep, ct.t, P.scalarOf(0, 'int32', ct.t));
  const zero = s(0, lp);
  const wRaw = w ? perTarget(w, safeT) : s(1, lp);
  // masked with where, not multiplied by 0: when every target is ignored, 'mean' is 0/0 = NaN and its
  // infinite gradient must still give 0 (not inf * 0) to the ignored entries, as PyTorch's does
  const nll = P.where(keep, neg(mul(pickClass(lp, safeT), wRaw)), zero);
  return { nll, wt: P.where(keep, wRaw, zero), keep };
}

/** Options of nllLoss. */
export interface NLLOptions extends ReductionOptions {
  /** Weight of each class [C]; 'mean' divides by the summed weights of the counted targets. */
  weight?: Tensor | null;
  /** Targets equal to this value count for nothing, not even in the mean's denominator (default -100). */
  ignoreIndex?: number;
}

/**
 * Negative log-likelihood of log-probabilities `input` [N, C], [N, C, d1, ...] or [C] at int32 class indices
 * `target` [N], [N, d1, ...] or []: `-weight[t] input[t]`. 'mean' divides by the sum of the weights of the
 * non-ignored targets (NaN when all are ignored), as PyTorch.
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NLLOptions = {}): Tensor {
  const r = reductionOf('nllLoss', opts.reduction);
  const ignoreIndex = ignoreIndexOf('nllLoss', opts.ignoreIndex);
  const x = floatInput('nllLoss', input);
  const ct = classTarget('nllLoss', x, target, ignoreIndex, false);
  const w = classWeight('nllLoss', opts.weight, ct.C, x);
  const { nll, wt } = nllParts(ct, ct.x, w, ignoreIndex);
  if (r === 'none') return P.reshape(nll, ct.outShape);
  return r === 'sum' ? sumAll(nll) : div(sumAll(nll), sumAll(wt));
}

/** Options of crossEntropy. */
export interface CrossEntropyOptions extends NLLOptions {
  /**
   * Mixes the target with the uniform distribution: (1 - eps) target + eps / C (default 0; in [0, 1]).
   * Works with both class-index and probability targets.
   */
  labelSmoothing?: number;
}

/**
 * Cross-entropy of logits `input` [N, C], [N, C, d1, ...] or [C] with either int32 class indices `target`
 * [N], [N, d1, ...] or [] (weight, ignoreIndex, labelSmoothing; 'mean' divides by the summed weights of the
 * non-ignored targets, as PyTorch) or class probabilities of the input's shape (float; 'mean' divides by the
 * number of samples N·d1·…; ignoreIndex must stay negative). As PyTorch, the target kind follows its shape:
 * the input's shape means probabilities. Equals `nllLoss(logSoftmax(input, 1), target)` without smoothing.
 *
 * @example
 * ```ts
 * const loss = F.crossEntropy(logits, labels);                       // logits [N, C], labels [N] int32
 * const smooth = F.crossEntropy(logits, labels, { labelSmoothing: 0.1, ignoreIndex: -100 });
 * ```
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  if (tracing.tracer !== null) {
    const attrs = { reduction: opts.reduction ?? 'mean', ignoreIndex: opts.ignoreIndex ?? -100, labelSmoothing: opts.labelSmoothing ?? 0 };
    return traceOp('crossEntropy', [input, target, opts.weight ?? null], attrs, () => crossEntropy(input, target, opts));
  }
  const loss = 'crossEntropy';
  const r = reductionOf(loss, opts.reduction);
  const ignoreIndex = ignoreIndexOf(loss, opts.ignoreIndex);
  const eps = numberOpt(loss, opts.labelSmoothing, 0, 'labelSmoothing', (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
  const x = floatInput(loss, input);
  if (x.ndim < 1) throw new ShapeError(`${loss}: input must be [N, C], [N, C, d1, ...] or [C], got shape ${fmtShape(x.shape)}`);
  const t = checkTensor(loss, target, 'target');
  const cd = x.ndim === 1 ? 0 : 1;
  const C = x.shape[cd];
  if (t.ndim === x.ndim && t.shape.every((d, i) => d === x.shape[i])) {
    // class probabilities
    if (t.device !== x.device) throw new ValueError(`${loss}: input and target are on different backends: ${x.device} and ${t.device}`);
    if (!isFloating(t.dtype)) {
      throw new DTypeError(`${loss}: a target of the input's shape ${fmtShape(x.shape)} holds class probabilities and must be floating-point, got dtype ${t.dtype}`);
    }
    if (opts.ignoreIndex !== undefined && ignoreIndex >= 0) {
      throw new ValueError(`${loss}: ignoreIndex is not supported with class-probability targets, got ${ignoreIndex}`);
    }
    const w = classWeight(loss, opts.weight, C, x);
    const lp = logSoftmax(x, cd);
    let p = P.cast(t, x.dtype);
    if (eps > 0) p = add(mul(p, s(1 - eps, p)), s(eps / C, p));
    let prod = mul(lp, p);
    if (w) prod = mul(prod, P.reshape(w, x.shape.map((d, i) => (i === cd ? d : 1))));
    if (r === 'none') return neg(P.reduce('sum', prod, [cd], false));
    const total = neg(sumAll(prod));
    return r === 'sum' ? total : div(total, s(x.numel() / C, total));
  }
  const ct = classTarget(loss, x, t, ignoreIndex, true);
  const w = classWeight(loss, opts.weight, C, x);
  if (eps === 0 && ct.x.ndim === 2) {
    const l = crossEntropyRows(ct.x, ct.values, w && w.toTypedArray(), ignoreIndex, r as LossReduction);
    return r === 'none' ? P.reshape(l, ct.outShape) : l;
  }
  const lp2 = logSoftmax(ct.x, 1);
  const { nll, wt, keep } = nllParts(ct, lp2, w, ignoreIndex);
  let l = nll;
  if (eps > 0) {
    const weighted = w ? mul(lp2, P.reshape(w, lp2.shape.map((d, i) => (i === 1 ? d : 1)))) : lp2;
    const smooth = P.where(keep, neg(P.reduce('sum', weighted, [1], false)), s(0, lp2));
    l = add(mul(nll, s(1 - eps, nll)), mul(smooth, s(eps / C, smooth)));
  }
  if (r === 'none') return P.reshape(l, ct.outShape);
  return r === 'sum' ? sumAll(l) : div(sumAll(l), sumAll(wt));
}

/** Options of multiMarginLoss. */
export interface MultiMarginOptions extends ReductionOptions {
  /** 1 (default) for the hinge, 2 for its square. */
  p?: 1 | 2;
  /** The margin (default 1). */
  margin?: number;
  /** Weight of each class [C], applied by the target's class. */
  weight?: Tensor | null;
}

/**
 * Multi-class hinge loss (Weston–Watkins / torch's multi_margin_loss) of scores `input` [N, C] or [C] at int32
 * class indices `target` [N] or []: per sample `sum_{j != y} w[y] max(0, margin - x[y] + x[j])^p / C`.
 * (PyTorch's docs put w[y] inside the power; its code, followed here, multiplies after.)
 */
export function multiMarginLoss(input: Tensor, target: Tensor, opts: MultiMarginOptions = {}): Tensor {
  const loss = 'multiMarginLoss';
  const r = reductionOf(loss, opts.reduction);
  const p = opts.p ?? 1;
  if (p !== 1 && p !== 2) throw new ValueError(`${loss}: p must be 1 or 2, got ${String(opts.p)}`);
  const margin = numberOpt(loss, opts.margin, 1, 'margin');
  const x = floatInput(loss, input);
  if (x.ndim !== 1 && x.ndim !== 2) throw new ShapeError(`${loss}: input must be [N, C] or [C], got shape ${fmtShape(x.shape)}`);
  const ct = classTarget(loss, x, target, null, false);
  const w = classWeight(loss, opts.weight, ct.C, x);
  const x2 = ct.x;
  const [N, C] = x2.shape;
  const col = P.reshape(ct.t, [N, 1]);
  const z = add(sub(s(margin, x2), P.gather(x2, 1, col)), x2);
  const hinge = P.unary('relu', z);
  let h = p === 2 ? P.unary('square', hinge) : hinge;
  const classes = P.fromHost(Int32Array.from({ length: C }, (_, i) => i), [C], 'int32', x.device);
  h = mul(h, P.cast(P.binary('ne', col, classes), x.dtype));
  if (w) h = mul(h, P.reshape(perTarget(w, ct.t), [N, 1]));
  const per = div(P.reduce('sum', h, [1], false), s(C, h));
  return reduceLoss(r === 'none' ? P.reshape(per, ct.outShape) : per, r);
}

/** Options of focalLoss. */
export interface FocalOptions extends ReductionOptions {
  /** Per-class weights alpha [C] (alpha_t = alpha[target]); none by default (alpha_t = 1). */
  alpha?: Tensor | null;
  /** Focusing exponent gamma >= 0 (default 2); 0 gives (alpha-weighted) cross-entropy. */
  gamma?: number;
}

/**
 * Multi-class focal loss (Lin et al. 2017) of logits `input` [N, C], [N, C, d1, ...] or [C] at int32 class
 * indices `target`: per sample `-alpha_t (1 - p_t)^gamma log p_t` with `log p_t = logSoftmax(input)[target]` and
 * `alpha_t = alpha[target]` (1 without alpha). 'mean' is the plain mean over samples (not divided by the summed
 * alpha, unlike crossEntropy's weights); there is no ignoreIndex. PyTorch has no multi-class focal loss; see sigmoidFocalLoss for
 * torchvision's binary one.
 */
export function focalLoss(input: Tensor, target: Tensor, opts: FocalOptions = {}): Tensor {
  const loss = 'focalLoss';
  const r = reductionOf(loss, opts.reduction);
  const gamma = numberOpt(loss, opts.gamma, 2, 'gamma', (v) => v >= 0, 'a number >= 0');
  const x = floatInput(loss, input);
  const ct = classTarget(loss, x, target, null, false);
  const alpha = classWeight(loss, opts.alpha, ct.C, x, 'alpha');
  const logpt = pickClass(logSoftmax(ct.x, 1), ct.t);
  // 1 - p_t as -expm1(log p_t): accurate when p_t is close to 1, where the focal term matters
  const focus = powOf(neg(P.unary('expm1', logpt)), gamma);
  let l = neg(mul(focus, logpt));
  if (alpha) l = mul(perTarget(alpha, ct.t), l);
  return reduceLoss(r === 'none' ? P.reshape(l, ct.outShape) : l, r);
}

// ---- distributions -------------------------------------------------------------------------------------

/** Options of klDiv. */
export interface KLDivOptions {
  /** 'batchmean' (sum / batch size) is the true KL divergence; 'mean' (default, as PyTorch) averages every element. */
  reduction?: LossReduction | 'batchmean';
  /** The target is given as log-probabilities too (default false). */
  logTarget?: boolean;
}

/**
 * Kullback–Leibler divergence KL(target || model) with `input` the model's log-probabilities: per element
 * `target (log target - input)` (0 where target is 0, with a target gradient of 0 there, where PyTorch's is NaN), or `exp(target) (target - input)` with `logTarget`.
 * The default reduction is PyTorch's 'mean' over all elements; 'batchmean' (divide the sum by input.shape[0])
 * is the one that matches the mathematical definition.
 */
export function klDiv(input: Tensor, target: Tensor, opts: KLDivOptions = {}): Tensor {
  const r = reductionOf('klDiv', opts.reduction, ['none', 'mean', 'sum', 'batchmean']);
  const logTarget = opts.logTarget ?? false;
  if (typeof logTarget !== 'boolean') throw new ValueError(`klDiv: logTarget must be a boolean, got ${String(logTarget)}`);
  const x = floatInput('klDiv', input);
  const y = sameShapeTarget('klDiv', x, target);
  let l: Tensor;
  if (logTarget) {
    l = mul(P.unary('exp', y), sub(y, x));
  } else {
    // xlogy(y, y): 0 where y is 0; the log sees 1 there so that no 0 * -inf reaches the gradient
    const zero = s(0, y);
    const isZero = P.binary('eq', y, zero);
    const ylogy = P.where(isZero, zero, mul(y, P.unary('log', P.where(isZero, s(1, y), y))));
    l = sub(ylogy, mul(y, x));
  }
  if (r === 'batchmean') {
    const total = sumAll(l);
    return x.ndim === 0 ? total : div(total, s(x.shape[0], total));
  }
  return reduceLoss(l, r);
}

// ---- metric --------------------------------------------------------------------------------------------

/** Options of zeroOneLoss. */
export interface ZeroOneOptions {
  /** Return the fraction of misclassified samples (default true) or, with false, their count. */
  normalize?: boolean;
}

/**
 * The 0-1 loss, a metric (not differentiable): the fraction (or, with `normalize: false`, the count) of samples
 * whose prediction differs from `target`. `pred` is either labels of the target's shape (any dtype, compared
 * by value; for binary scores with ±1 targets pass `sign(scores)`) or scores/logits [N, C] (or [N, C, d1, ...],
 * or [C] with a 0-d target) whose argmax over dim 1 is the predicted class. Returns a plain number, as
 * scikit-learn's zero_one_loss; an empty target gives NaN when normalized.
 */
export function zeroOneLoss(pred: Tensor, target: Tensor, opts: ZeroOneOptions = {}): number {
  const loss = 'zeroOneLoss';
  checkTensor(loss, pred, 'pred');
  const t = checkTensor(loss, target, 'target');
  const normalize = opts.normalize ?? true;
  if (typeof normalize !== 'boolean') throw new ValueError(`${loss}: normalize must be a boolean, got ${String(normalize)}`);
  let labels: Tensor;
  if (pred.ndim === t.ndim && pred.shape.every((d, i) => d === t.shape[i])) {
    labels = pred;
  } else if (pred.ndim === t.ndim + 1 && isFloating(pred.dtype)) {
    const want = expectedTargetShape(pred);
    if (want.length !== t.ndim || want.some((d, i) => d !== t.shape[i])) {
      throw new ShapeError(`${loss}: scores ${fmtShape(pred.shape)} do not fit target ${fmtShape(t.shape)}: expected target ${fmtShape(want)}`);
    }
    if (pred.shape[pred.ndim === 1 ? 0 : 1] === 0) throw new ShapeError(`${loss}: scores ${fmtShape(pred.shape)} have no classes`);
    labels = P.reduceRaw('argmax', pred, [pred.ndim === 1 ? 0 : 1], false, 'int32');
  } else {
    throw new ShapeError(`${loss}: pred ${fmtShape(pred.shape)} must be labels of the target's shape ${fmtShape(t.shape)} or float scores [N, C, ...] (target [N, ...])`);
  }
  const a = labels.toTypedArray();
  const b = t.toTypedArray();
  let wrong = 0;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) wrong++;
  return normalize ? wrong / b.length : wrong;
}
