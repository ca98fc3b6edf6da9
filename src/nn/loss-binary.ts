/**
 * The binary-classification losses, as torch.nn.functional's (`F.binaryCrossEntropy`, `F.binaryCrossEntropyWithLogits`,
 * torchvision's `sigmoidFocalLoss`) plus the course's margin losses on ±1 targets (hinge, perceptron, exponential).
 * Conventions as in loss.ts: `reduction` 'none' | 'mean' | 'sum', gradients from the autograd engine, a target of
 * another shape than the input is a ShapeError.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { binaryCrossEntropyProbs } from '../autograd/bce-fused.js';
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  s, add, sub, mul, neg, clampMin, reductionOf, reduceLoss, numberOpt, floatInput, sameShapeTarget, broadcastWeight, checkPlusMinusOne,
  softplusStable, powOf, type ReductionOptions,
} from './loss-common.js';

/** Options of binaryCrossEntropy. */
export interface BCEOptions extends ReductionOptions {
  /** Rescaling weight of each element's loss, broadcast to the input's shape. */
  weight?: Tensor | null;
}

// PyTorch's EPSILON of the BCE gradient is the float32 nearest to 1e-12, in float64 too
const BCE_EPS = Math.fround(1e-12);

/**
 * Binary cross-entropy on probabilities: `-w (y log x + (1 - y) log(1 - x))`, each log clamped to >= -100 as
 * PyTorch does, so x = 0 or 1 gives a finite loss. The input must lie in [0, 1]. The gradient is PyTorch's
 * `w (x - y) / max(x (1 - x), 1e-12)`, so a saturated sigmoid (x exactly 0 or 1) gives a finite gradient rather
 * than NaN. Prefer binaryCrossEntropyWithLogits on logits: it is stable without clamping.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BCEOptions = {}): Tensor {
  const r = reductionOf('binaryCrossEntropy', opts.reduction);
  const x = floatInput('binaryCrossEntropy', input);
  const y = sameShapeTarget('binaryCrossEntropy', x, target);
  const w = broadcastWeight('binaryCrossEntropy', opts.weight, x, 'weight');
  // one kernel each way (autograd/bce-fused.ts), the numbers of the formula op by op; the same pass finds x's range
  const l = binaryCrossEntropyProbs(x, y, BCE_EPS, (lo, hi) => {
    if (x.numel() > 0 && !(lo >= 0 && hi <= 1)) {
      throw new ValueError(`binaryCrossEntropy: input must hold probabilities in [0, 1], got values in [${lo}, ${hi}] (for logits use binaryCrossEntropyWithLogits)`);
    }
  });
  return reduceLoss(w ? mul(l, w) : l, r);
}

/** Options of binaryCrossEntropyWithLogits. */
export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of the positive term, broadcast to the input's shape (e.g. one per class, [C]): > 1 raises recall. */
  posWeight?: Tensor | null;
}

/**
 * Binary cross-entropy on logits: `w [(1 - y) x + (1 + (pw - 1) y) log(1 + e^-x)]`, which equals
 * `-w [pw y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))]`, computed without overflow for any logit (±100 and
 * beyond) and with the exact gradient `w ((1 + (pw - 1) y) sigmoid(x) - pw y)` everywhere, x = 0 included.
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BCEWithLogitsOptions = {}): Tensor {
  const loss = 'binaryCrossEntropyWithLogits';
  const r = reductionOf(loss, opts.reduction);
  const x = floatInput(loss, input);
  const y = sameShapeTarget(loss, x, target);
  const w = broadcastWeight(loss, opts.weight, x, 'weight');
  const pw = broadcastWeight(loss, opts.posWeight, x, 'posWeight');
  return reduceLoss(bceWithLogitsElementwise(x, y, w, pw), r);
}

function bceWithLogitsElementwise(x: Tensor, y: Tensor, w: Tensor | null, pw: Tensor | null): Tensor {
  const one = s(1, x);
  const sp = softplusStable(neg(x));
  const logWeight = pw ? add(mul(sub(pw, one), y), one) : null;
  const l = add(mul(sub(one, y), x), logWeight ? mul(logWeight, sp) : sp);
  return w ? mul(l, w) : l;
}

/** Options of hingeLoss. */
export interface HingeOptions extends ReductionOptions {
  /** The margin m in `max(0, m - y x)` (default 1). */
  margin?: number;
}

/** Checks a ±1-label loss's input and target; returns them with the target cast to the input's dtype. */
function signedPair(loss: string, input: Tensor, target: Tensor): [Tensor, Tensor] {
  const x = floatInput(loss, input);
  const y = sameShapeTarget(loss, x, target, true);
  checkPlusMinusOne(loss, y);
  return [x, y];
}

/**
 * Binary hinge loss (the linear SVM's) for targets in {-1, 1}: `max(0, margin - y x)`, reduced (default mean).
 * Not in PyTorch by this name (torch's hinge_embedding_loss is a different loss). Targets may be float or int32;
 * any value other than ±1 is a ValueError. The gradient at the kink is taken as -y, as torch.clamp's.
 */
export function hingeLoss(input: Tensor, target: Tensor, opts: HingeOptions = {}): Tensor {
  const r = reductionOf('hingeLoss', opts.reduction);
  const margin = numberOpt('hingeLoss', opts.margin, 1, 'margin');
  const [x, y] = signedPair('hingeLoss', input, target);
  return reduceLoss(clampMin(sub(s(margin, x), mul(y, x)), 0), r);
}

/**
 * Rosenblatt's perceptron criterion for targets in {-1, 1}: `max(0, -y x)`, reduced (default mean): zero for a
 * correctly classified sample, its distance-like score otherwise. Not in PyTorch; equals hingeLoss with margin 0.
 */
export function perceptronLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const r = reductionOf('perceptronLoss', opts.reduction);
  const [x, y] = signedPair('perceptronLoss', input, target);
  return reduceLoss(clampMin(neg(mul(y, x)), 0), r);
}

/**
 * The exponential loss `exp(-y x)` for targets in {-1, 1}, reduced (default mean): the loss AdaBoost minimizes
 * stage-wise. Not in PyTorch. It grows exponentially with the margin violation, so outliers dominate it.
 */
export function exponentialLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const r = reductionOf('exponentialLoss', opts.reduction);
  const [x, y] = signedPair('exponentialLoss', input, target);
  return reduceLoss(P.unary('exp', neg(mul(y, x))), r);
}

/** Options of sigmoidFocalLoss. */
export interface SigmoidFocalOptions extends ReductionOptions {
  /** Weight of the positive class in [0, 1], negatives get 1 - alpha (default 0.25); -1 turns weighting off. */
  alpha?: number;
  /** Focusing exponent: easy examples are down-weighted by (1 - p_t)^gamma (default 2; >= 0). */
  gamma?: number;
}

/**
 * torchvision.ops.sigmoid_focal_loss (Lin et al., RetinaNet) on logits with float targets in [0, 1] of the same
 * shape: `alpha_t (1 - p_t)^gamma BCEWithLogits(x, y)` with `p = sigmoid(x)`, `p_t = p y + (1 - p)(1 - y)` and
 * `alpha_t = alpha y + (1 - alpha)(1 - y)`. Its default reduction is 'none', as torchvision's (unlike the
 * other losses here).
 */
export function sigmoidFocalLoss(input: Tensor, target: Tensor, opts: SigmoidFocalOptions = {}): Tensor {
  const loss = 'sigmoidFocalLoss';
  const r = reductionOf(loss, opts.reduction ?? 'none');
  const alpha = numberOpt(loss, opts.alpha, 0.25, 'alpha');
  const gamma = numberOpt(loss, opts.gamma, 2, 'gamma', (v) => v >= 0, 'a number >= 0');
  const x = floatInput(loss, input);
  const y = sameShapeTarget(loss, x, target);
  const one = s(1, x);
  const p = P.unary('sigmoid', x);
  const ce = bceWithLogitsElementwise(x, y, null, null);
  const pt = add(mul(p, y), mul(sub(one, p), sub(one, y)));
  let l = mul(ce, powOf(sub(one, pt), gamma));
  if (alpha >= 0) l = mul(add(mul(s(alpha, y), y), mul(s(1 - alpha, y), sub(one, y))), l);
  return reduceLoss(l, r);
}
