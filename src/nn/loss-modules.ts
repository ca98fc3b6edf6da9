/**
 * Loss modules, as torch.nn's `nn.MSELoss`, `nn.CrossEntropyLoss`, ...: each holds its options (class weights
 * as buffers, so they travel with the state dict, as PyTorch's) and calls the function of the same loss in
 * `loss.ts` in `forward(input, target)`. Options are checked when the module is built.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  crossEntropy, focalLoss, huberLoss, klDiv, l1Loss, mseLoss, multiMarginLoss, nllLoss, smoothL1Loss,
  type CrossEntropyOptions, type FocalOptions, type HuberOptions, type KLDivOptions, type LossReduction, type MultiMarginOptions,
  type NLLOptions, type ReductionOptions, type SmoothL1Options,
} from './loss.js';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, exponentialLoss, hingeLoss, perceptronLoss,
  type BCEOptions, type BCEWithLogitsOptions, type HingeOptions,
} from './loss-binary.js';
import { Module } from './module.js';

function checkReduction(layer: string, r: unknown, allowed: readonly string[] = ['none', 'mean', 'sum']): string {
  const v = r ?? 'mean';
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw new ValueError(`${layer}: reduction must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${typeof v === 'string' ? `'${v}'` : String(v)}`);
  }
  return v;
}

/** Base of the loss modules: the reduction, checked at construction. */
abstract class Loss extends Module {
  /** How per-element losses are combined. */
  readonly reduction: LossReduction;

  constructor(name: string, opts: ReductionOptions) {
    super();
    this.reduction = checkReduction(name, opts.reduction) as LossReduction;
  }

  /** Computes the loss of `input` against `target`. */
  abstract forward(input: Tensor, target: Tensor): Tensor;

  /** `reduction=…`. */
  override extraRepr(): string {
    return `reduction=${this.reduction}`;
  }
}

/** Mean absolute error; see `l1Loss`. */
export class L1Loss extends Loss {
  /** Creates the loss. */
  constructor(opts: ReductionOptions = {}) {
    super('L1Loss', opts);
  }

  /** `l1Loss(input, target)`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Mean squared error; see `mseLoss`. */
export class MSELoss extends Loss {
  /** Creates the loss. */
  constructor(opts: ReductionOptions = {}) {
    super('MSELoss', opts);
  }

  /** `mseLoss(input, target)`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Huber loss with threshold `delta` (default 1); see `huberLoss`. */
export class HuberLoss extends Loss {
  /** Where the loss turns linear. */
  readonly delta: number;

  /** Creates the loss. */
  constructor(opts: HuberOptions = {}) {
    super('HuberLoss', opts);
    this.delta = opts.delta ?? 1;
    if (typeof this.delta !== 'number' || !(this.delta > 0)) throw new ValueError(`HuberLoss: delta must be a number > 0, got ${String(opts.delta)}`);
  }

  /** `huberLoss(input, target, {delta})`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }

  /** `reduction=…, delta=…`. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, delta=${this.delta}`;
  }
}

/** Smooth L1 loss with threshold `beta` (default 1); see `smoothL1Loss`. */
export class SmoothL1Loss extends Loss {
  /** Where the loss turns linear. */
  readonly beta: number;

  /** Creates the loss. */
  constructor(opts: SmoothL1Options = {}) {
    super('SmoothL1Loss', opts);
    this.beta = opts.beta ?? 1;
    if (typeof this.beta !== 'number' || !(this.beta >= 0)) throw new ValueError(`SmoothL1Loss: beta must be a number >= 0, got ${String(opts.beta)}`);
  }

  /** `smoothL1Loss(input, target, {beta})`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }

  /** `reduction=…, beta=…`. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, beta=${this.beta}`;
  }
}

/** Binary cross-entropy on probabilities, with an optional element weight (a buffer); see `binaryCrossEntropy`. */
export class BCELoss extends Loss {
  /** Rescaling weight broadcast to the input (buffer), or null. */
  declare weight: Tensor | null;

  /** Creates the loss. */
  constructor(opts: BCEOptions = {}) {
    super('BCELoss', opts);
    this.registerBuffer('weight', opts.weight ?? null);
  }

  /** `binaryCrossEntropy(input, target, {weight})`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

/** Binary cross-entropy on logits, with optional `weight` and `posWeight` buffers; see `binaryCrossEntropyWithLogits`. */
export class BCEWithLogitsLoss extends Loss {
  /** Rescaling weight broadcast to the input (buffer), or null. */
  declare weight: Tensor | null;
  /** Weight of positive examples broadcast to the input, e.g. one per class (buffer), or null. */
  declare posWeight: Tensor | null;

  /** Creates the loss. */
  constructor(opts: BCEWithLogitsOptions = {}) {
    super('BCEWithLogitsLoss', opts);
    this.registerBuffer('weight', opts.weight ?? null);
    this.registerBuffer('posWeight', opts.posWeight ?? null);
  }

  /** `binaryCrossEntropyWithLogits(input, target, {weight, posWeight})`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { reduction: this.reduction, weight: this.weight, posWeight: this.posWeight });
  }
}

function checkIgnoreIndex(layer: string, v: unknown): number {
  const n = v ?? -100;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new ValueError(`${layer}: ignoreIndex must be an integer, got ${String(v)}`);
  return n;
}

/** Cross-entropy of logits with class-index or class-probability targets; see `crossEntropy`. */
export class CrossEntropyLoss extends Loss {
  /** Per-class weight [C] (buffer), or null. */
  declare weight: Tensor | null;
  /** Target value that is skipped (default -100). */
  readonly ignoreIndex: number;
  /** Label-smoothing amount in [0, 1] (default 0). */
  readonly labelSmoothing: number;

  /** Creates the loss. */
  constructor(opts: CrossEntropyOptions = {}) {
    super('CrossEntropyLoss', opts);
    this.registerBuffer('weight', opts.weight ?? null);
    this.ignoreIndex = checkIgnoreIndex('CrossEntropyLoss', opts.ignoreIndex);
    this.labelSmoothing = opts.labelSmoothing ?? 0;
    if (typeof this.labelSmoothing !== 'number' || !(this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) {
      throw new ValueError(`CrossEntropyLoss: labelSmoothing must be a number in [0, 1], got ${String(opts.labelSmoothing)}`);
    }
  }

  /** `crossEntropy(input, target, {weight, ignoreIndex, labelSmoothing})`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex, labelSmoothing: this.labelSmoothing,
    });
  }

  /** `reduction=…, ignoreIndex=…, labelSmoothing=…`. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, ignoreIndex=${this.ignoreIndex}, labelSmoothing=${this.labelSmoothing}`;
  }
}

/** Negative log-likelihood of log-probabilities at class indices; see `nllLoss`. */
export class NLLLoss extends Loss {
  /** Per-class weight [C] (buffer), or null. */
  declare weight: Tensor | null;
  /** Target value that is skipped (default -100). */
  readonly ignoreIndex: number;

  /** Creates the loss. */
  constructor(opts: NLLOptions = {}) {
    super('NLLLoss', opts);
    this.registerBuffer('weight', opts.weight ?? null);
    this.ignoreIndex = checkIgnoreIndex('NLLLoss', opts.ignoreIndex);
  }

  /** `nllLoss(input, target, {weight, ignoreIndex})`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex });
  }

  /** `reduction=…, ignoreIndex=…`. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, ignoreIndex=${this.ignoreIndex}`;
  }
}

/** Kullback–Leibler divergence of log-probabilities from a target; see `klDiv` (reduction may be 'batchmean'). */
export class KLDivLoss extends Module {
  /** How per-element losses are combined ('batchmean' divides the sum by the batch size). */
  readonly reduction: LossReduction | 'batchmean';
  /** The target is given as log-probabilities. */
  readonly logTarget: boolean;

  /** Creates the loss. */
  constructor(opts: KLDivOptions = {}) {
    super();
    this.reduction = checkReduction('KLDivLoss', opts.reduction, ['none', 'mean', 'sum', 'batchmean']) as LossReduction | 'batchmean';
    this.logTarget = opts.logTarget ?? false;
    if (typeof this.logTarget !== 'boolean') throw new ValueError(`KLDivLoss: logTarget must be a boolean, got ${String(opts.logTarget)}`);
  }

  /** `klDiv(input, target, {logTarget})`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }

  /** `reduction=…, logTarget=…`. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, logTarget=${this.logTarget}`;
  }
}

/** Binary hinge loss `max(0, margin - y x)` for ±1 targets (not in PyTorch); see `hingeLoss`. */
export class HingeLoss extends Loss {
  /** The margin (default 1). */
  readonly margin: number;

  /** Creates the loss. */
  constructor(opts: HingeOptions = {}) {
    super('HingeLoss', opts);
    this.margin = opts.margin ?? 1;
    if (typeof this.margin !== 'number' || Number.isNaN(this.margin)) throw new ValueError(`HingeLoss: margin must be a number, got ${String(opts.margin)}`);
  }

  /** `hingeLoss(input, target, {margin})`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return hingeLoss(input, target, { reduction: this.reduction, margin: this.margin });
  }

  /** `reduction=…, margin=…`. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, margin=${this.margin}`;
  }
}

/** Multi-class hinge loss, as torch's nn.MultiMarginLoss; see `multiMarginLoss`. */
export class MultiMarginLoss extends Loss {
  /** 1 for the hinge, 2 for its square. */
  readonly p: 1 | 2;
  /** The margin (default 1). */
  readonly margin: number;
  /** Per-class weight [C] (buffer), or null. */
  declare weight: Tensor | null;

  /** Creates the loss. */
  constructor(opts: MultiMarginOptions = {}) {
    super('MultiMarginLoss', opts);
    this.p = opts.p ?? 1;
    if (this.p !== 1 && this.p !== 2) throw new ValueError(`MultiMarginLoss: p must be 1 or 2, got ${String(opts.p)}`);
    this.margin = opts.margin ?? 1;
    if (typeof this.margin !== 'number' || Number.isNaN(this.margin)) throw new ValueError(`MultiMarginLoss: margin must be a number, got ${String(opts.margin)}`);
    this.registerBuffer('weight', opts.weight ?? null);
  }

  /** `multiMarginLoss(input, target, {p, margin, weight})`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return multiMarginLoss(input, target, { reduction: this.reduction, p: this.p, margin: this.margin, weight: this.weight });
  }

  /** `reduction=…, p=…, margin=…`. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, p=${this.p}, margin=${this.margin}`;
  }
}

/** Perceptron criterion `max(0, -y x)` for ±1 targets (not in PyTorch); see `perceptronLoss`. */
export class PerceptronLoss extends Loss {
  /** Creates the loss. */
  constructor(opts: ReductionOptions = {}) {
    super('PerceptronLoss', opts);
  }

  /** `perceptronLoss(input, target)`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return perceptronLoss(input, target, { reduction: this.reduction });
  }
}

/** AdaBoost's exponential loss `exp(-y x)` for ±1 targets (not in PyTorch); see `exponentialLoss`. */
export class ExponentialLoss extends Loss {
  /** Creates the loss. */
  constructor(opts: ReductionOptions = {}) {
    super('ExponentialLoss', opts);
  }

  /** `exponentialLoss(input, target)`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return exponentialLoss(input, target, { reduction: this.reduction });
  }
}

/** Multi-class focal loss on logits with per-class `alpha` (a buffer) and `gamma` (not in PyTorch); see `focalLoss`. */
export class FocalLoss extends Loss {
  /** Per-class weights [C] (buffer), or null. */
  declare alpha: Tensor | null;
  /** Focusing exponent (default 2). */
  readonly gamma: number;

  /** Creates the loss. */
  constructor(opts: FocalOptions = {}) {
    super('FocalLoss', opts);
    this.registerBuffer('alpha', opts.alpha ?? null);
    this.gamma = opts.gamma ?? 2;
    if (typeof this.gamma !== 'number' || !(this.gamma >= 0)) throw new ValueError(`FocalLoss: gamma must be a number >= 0, got ${String(opts.gamma)}`);
  }

  /** `focalLoss(input, target, {alpha, gamma})`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return focalLoss(input, target, { reduction: this.reduction, alpha: this.alpha, gamma: this.gamma });
  }

  /** `reduction=…, gamma=…`. */
  override extraRepr(): string {
    return `reduction=${this.reduction}, gamma=${this.gamma}`;
  }
}
