/**
 * Loss modules of the margin, embedding and likelihood losses, as torch.nn's (`nn.MarginRankingLoss`,
 * `nn.TripletMarginLoss`, `nn.GaussianNLLLoss`, ...): each checks its options when built and calls the function
 * of the same name (src/nn/loss-embedding.ts, loss-probabilistic.ts) in `forward`.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { numberOpt, reductionOf, type LossReduction, type ReductionOptions } from './loss-common.js';
import {
  cosineEmbeddingLoss, hingeEmbeddingLoss, marginRankingLoss, multilabelMarginLoss, multilabelSoftMarginLoss,
  softMarginLoss, tripletMarginLoss, tripletMarginWithDistanceLoss,
  type MarginOptions, type MultilabelSoftMarginOptions, type TripletDistanceOptions, type TripletMarginOptions,
} from './loss-embedding.js';
import { gaussianNllLoss, poissonNllLoss, type GaussianNLLOptions, type PoissonNLLOptions } from './loss-probabilistic.js';
import { Module } from './module.js';

function boolOpt(layer: string, v: unknown, dflt: boolean, arg: string): boolean {
  const b = v ?? dflt;
  if (typeof b !== 'boolean') throw new ValueError(`${layer}: ${arg} must be a boolean, got ${String(v)}`);
  return b;
}

/** Base of these loss modules: the reduction, checked at construction. */
abstract class ReducedLoss extends Module {
  /** How per-element losses are combined. */
  readonly reduction: LossReduction;

  constructor(name: string, opts: ReductionOptions) {
    super();
    this.reduction = reductionOf(name, opts.reduction) as LossReduction;
  }

  /** `reduction=…`. */
  override extraRepr(): string {
    return `reduction=${this.reduction}`;
  }
}

/** A reduced loss with a margin. */
abstract class MarginLoss extends ReducedLoss {
  /** The margin. */
  readonly margin: number;

  constructor(name: string, opts: MarginOptions, dflt: number) {
    super(name, opts);
    this.margin = numberOpt(name, opts.margin, dflt, 'margin');
  }

  /** `margin=…, reduction=…`. */
  override extraRepr(): string {
    return `margin=${this.margin}, reduction=${this.reduction}`;
  }
}

/** Ranking loss `max(0, -y (x1 - x2) + margin)` (default margin 0); see `marginRankingLoss`. */
export class MarginRankingLoss extends MarginLoss {
  /** Creates the loss. */
  constructor(opts: MarginOptions = {}) {
    super('MarginRankingLoss', opts, 0);
  }

  /** `marginRankingLoss(input1, input2, target)`. */
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return marginRankingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** Hinge embedding loss (default margin 1); see `hingeEmbeddingLoss`. */
export class HingeEmbeddingLoss extends MarginLoss {
  /** Creates the loss. */
  constructor(opts: MarginOptions = {}) {
    super('HingeEmbeddingLoss', opts, 1);
  }

  /** `hingeEmbeddingLoss(input, target)`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** Two-class logistic loss `log(1 + exp(-y x))`; see `softMarginLoss`. */
export class SoftMarginLoss extends ReducedLoss {
  /** Creates the loss. */
  constructor(opts: ReductionOptions = {}) {
    super('SoftMarginLoss', opts);
  }

  /** `softMarginLoss(input, target)`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return softMarginLoss(input, target, { reduction: this.reduction });
  }
}

/** Multi-label hinge loss for -1-terminated int32 class lists; see `multilabelMarginLoss`. */
export class MultiLabelMarginLoss extends ReducedLoss {
  /** Creates the loss. */
  constructor(opts: ReductionOptions = {}) {
    super('MultiLabelMarginLoss', opts);
  }

  /** `multilabelMarginLoss(input, target)`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
}

/** Multi-label one-versus-all logistic loss with an optional class weight (a buffer); see `multilabelSoftMarginLoss`. */
export class MultiLabelSoftMarginLoss extends ReducedLoss {
  /** Per-class weight (buffer), or null. */
  declare weight: Tensor | null;

  /** Creates the loss. */
  constructor(opts: MultilabelSoftMarginOptions = {}) {
    super('MultiLabelSoftMarginLoss', opts);
    this.registerBuffer('weight', opts.weight ?? null);
  }

  /** `multilabelSoftMarginLoss(input, target, {weight})`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return multilabelSoftMarginLoss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** Cosine embedding loss (default margin 0); see `cosineEmbeddingLoss`. */
export class CosineEmbeddingLoss extends MarginLoss {
  /** Creates the loss. */
  constructor(opts: MarginOptions = {}) {
    super('CosineEmbeddingLoss', opts, 0);
  }

  /** `cosineEmbeddingLoss(input1, input2, target)`. */
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return cosineEmbeddingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** Triplet loss with the p-norm distance (default margin 1, p 2, eps 1e-6, no swap); see `tripletMarginLoss`. */
export class TripletMarginLoss extends MarginLoss {
  /** The norm's exponent. */
  readonly p: number;
  /** Added to differences before the norm. */
  readonly eps: number;
  /** Whether the negative distance is min(d(a, n), d(p, n)). */
  readonly swap: boolean;

  /** Creates the loss. */
  constructor(opts: TripletMarginOptions = {}) {
    super('TripletMarginLoss', opts, 1);
    this.p = numberOpt('TripletMarginLoss', opts.p, 2, 'p', (v) => v >= 0, 'a number >= 0');
    this.eps = numberOpt('TripletMarginLoss', opts.eps, 1e-6, 'eps', (v) => v >= 0, 'a number >= 0');
    this.swap = boolOpt('TripletMarginLoss', opts.swap, false, 'swap');
  }

  /** `tripletMarginLoss(anchor, positive, negative)`. */
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginLoss(anchor, positive, negative, { margin: this.margin, p: this.p, eps: this.eps, swap: this.swap, reduction: this.reduction });
  }

  /** `margin=…, p=…, eps=…, swap=…, reduction=…`. */
  override extraRepr(): string {
    return `margin=${this.margin}, p=${this.p}, eps=${this.eps}, swap=${this.swap}, reduction=${this.reduction}`;
  }
}

/** Triplet loss with any distance function (default pairwiseDistance); see `tripletMarginWithDistanceLoss`. */
export class TripletMarginWithDistanceLoss extends MarginLoss {
  /** The distance of two batches, or null for pairwiseDistance. */
  readonly distanceFunction: ((x1: Tensor, x2: Tensor) => Tensor) | null;
  /** Whether the negative distance is min(d(a, n), d(p, n)). */
  readonly swap: boolean;

  /** Creates the loss. */
  constructor(opts: TripletDistanceOptions = {}) {
    super('TripletMarginWithDistanceLoss', opts, 1);
    this.distanceFunction = opts.distanceFunction ?? null;
    if (this.distanceFunction !== null && typeof this.distanceFunction !== 'function') {
      throw new ValueError(`TripletMarginWithDistanceLoss: distanceFunction must be a function, got ${typeof this.distanceFunction}`);
    }
    this.swap = boolOpt('TripletMarginWithDistanceLoss', opts.swap, false, 'swap');
  }

  /** `tripletMarginWithDistanceLoss(anchor, positive, negative)`. */
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginWithDistanceLoss(anchor, positive, negative, {
      distanceFunction: this.distanceFunction, margin: this.margin, swap: this.swap, reduction: this.reduction,
    });
  }
}

/** Poisson negative log-likelihood (default logInput true, full false, eps 1e-8); see `poissonNllLoss`. */
export class PoissonNLLLoss extends ReducedLoss {
  /** Whether the input is the log of the rate. */
  readonly logInput: boolean;
  /** Whether Stirling's term is added. */
  readonly full: boolean;
  /** Added to the rate inside the log when logInput is false. */
  readonly eps: number;

  /** Creates the loss. */
  constructor(opts: PoissonNLLOptions = {}) {
    super('PoissonNLLLoss', opts);
    this.logInput = boolOpt('PoissonNLLLoss', opts.logInput, true, 'logInput');
    this.full = boolOpt('PoissonNLLLoss', opts.full, false, 'full');
    this.eps = numberOpt('PoissonNLLLoss', opts.eps, 1e-8, 'eps');
  }

  /** `poissonNllLoss(input, target)`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return poissonNllLoss(input, target, { logInput: this.logInput, full: this.full, eps: this.eps, reduction: this.reduction });
  }

  /** `logInput=…, full=…, eps=…, reduction=…`. */
  override extraRepr(): string {
    return `logInput=${this.logInput}, full=${this.full}, eps=${this.eps}, reduction=${this.reduction}`;
  }
}

/** Gaussian negative log-likelihood with given variances (default full false, eps 1e-6); see `gaussianNllLoss`. */
export class GaussianNLLLoss extends ReducedLoss {
  /** Whether the constant log(2 pi) / 2 is added. */
  readonly full: boolean;
  /** Lower bound of the variance. */
  readonly eps: number;

  /** Creates the loss. */
  constructor(opts: GaussianNLLOptions = {}) {
    super('GaussianNLLLoss', opts);
    this.full = boolOpt('GaussianNLLLoss', opts.full, false, 'full');
    this.eps = numberOpt('GaussianNLLLoss', opts.eps, 1e-6, 'eps', (v) => v >= 0, 'a number >= 0');
  }

  /** `gaussianNllLoss(input, target, variance)`. */
  forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return gaussianNllLoss(input, target, variance, { full: this.full, eps: this.eps, reduction: this.reduction });
  }

  /** `full=…, eps=…, reduction=…`. */
  override extraRepr(): string {
    return `full=${this.full}, eps=${this.eps}, reduction=${this.reduction}`;
  }
}
