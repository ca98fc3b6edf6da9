/**
 * Normalization layers: BatchNorm1d/2d, LayerNorm, GroupNorm, InstanceNorm2d, LocalResponseNorm.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { batchNorm, groupNorm, instanceNorm, layerNorm, localResponseNorm } from '../ops/norm.js';
import { add_ } from '../ops/inplace.js';
import { noGrad } from '../autograd/grad-mode.js';
import { ones, zeros } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkSize } from './linear.js';
import { Module, Parameter, type Layer } from './module.js';

/** Options of the batch-norm layers. */
export interface BatchNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Running-average weight of each batch (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true). */
  trackRunningStats?: boolean;
  /** Parameter dtype. */
  dtype?: DType;
}

abstract class BatchNormBase extends Module implements Layer {
  /** Per-channel scale (gamma), or null without affine. */
  weight: Parameter | null;
  /** Per-channel shift (beta), or null without affine. */
  bias: Parameter | null;
  /** Running mean (buffer), or null without trackRunningStats. */
  runningMean!: Tensor | null;
  /** Running variance (buffer), or null without trackRunningStats. */
  runningVar!: Tensor | null;
  /** Number of training batches seen (buffer). */
  numBatchesTracked!: Tensor | null;

  constructor(readonly layer: string, readonly numFeatures: number, readonly opts: BatchNormLayerOptions) {
    super();
    checkSize(layer, numFeatures, 'numFeatures');
    const affine = opts.affine ?? true;
    this.weight = affine ? new Parameter(ones([numFeatures], { dtype: opts.dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], { dtype: opts.dtype })) : null;
    const track = opts.trackRunningStats ?? true;
    this.registerBuffer('runningMean', track ? zeros([numFeatures], { dtype: opts.dtype }) : null, { stateKey: 'running_mean' });
    this.registerBuffer('runningVar', track ? ones([numFeatures], { dtype: opts.dtype }) : null, { stateKey: 'running_var' });
    this.registerBuffer('numBatchesTracked', track ? zeros([], { dtype: 'int32' }) : null, { stateKey: 'num_batches_tracked' });
  }

  /** Throws a ShapeError unless x has the rank this layer takes. */
  protected abstract checkInput(x: Tensor): void;

  /** Normalizes with batch statistics in training (updating the running ones), else with the running ones. */
  forward(x: Tensor): Tensor {
    this.checkInput(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${this.layer}: expected ${this.numFeatures} channels (dim 1), got input of shape ${fmtShape(x.shape)}`);
    }
    let momentum = this.opts.momentum === undefined ? 0.1 : this.opts.momentum;
    if (this.training && this.numBatchesTracked) {
      noGrad(() => add_(this.numBatchesTracked!, 1));
      if (momentum === null) momentum = 1 / this.numBatchesTracked.item();
    }
    const useBatch = this.training || !this.runningMean;
    return batchNorm(x, useBatch && !this.training ? null : this.runningMean, useBatch && !this.training ? null : this.runningVar, {
      weight: this.weight, bias: this.bias, training: useBatch, momentum: momentum ?? 0.1, eps: this.opts.eps,
    });
  }

  /** Features and options. */
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.opts.eps ?? 1e-5}, momentum=${this.opts.momentum === undefined ? 0.1 : this.opts.momentum}, affine=${this.weight !== null}, trackRunningStats=${this.runningMean !== null}`;
  }
}

/** Batch normalization over [N, C] or [N, C, L] inputs. */
export class BatchNorm1d extends BatchNormBase {
  /** Creates the layer for `numFeatures` channels. */
  constructor(numFeatures: number, opts: BatchNormLayerOptions = {}) {
    super('BatchNorm1d', numFeatures, opts);
  }

  /** Accepts [N, C] and [N, C, L]. */
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) throw new ShapeError(`BatchNorm1d: input must be 2-D (N, C) or 3-D (N, C, L), got shape ${fmtShape(x.shape)}`);
  }
}

/** Batch normalization over [N, C, H, W] inputs. */
export class BatchNorm2d extends BatchNormBase {
  /** Creates the layer for `numFeatures` channels. */
  constructor(numFeatures: number, opts: BatchNormLayerOptions = {}) {
    super('BatchNorm2d', numFeatures, opts);
  }

  /** Accepts [N, C, H, W]. */
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 4) throw new ShapeError(`BatchNorm2d: input must be 4-D (N, C, H, W), got shape ${fmtShape(x.shape)}`);
  }
}

/** Layer normalization over the trailing `normalizedShape` dims, with elementwise affine by default. */
export class LayerNorm extends Module implements Layer {
  /** Elementwise scale, or null. */
  weight: Parameter | null;
  /** Elementwise shift, or null. */
  bias: Parameter | null;
  /** The normalized trailing shape. */
  readonly normalizedShape: number[];

  /** Creates the layer. */
  constructor(normalizedShape: number | readonly number[], readonly opts: { eps?: number; elementwiseAffine?: boolean; dtype?: DType } = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.normalizedShape.forEach((s) => checkSize('LayerNorm', s, 'normalizedShape'));
    const affine = opts.elementwiseAffine ?? true;
    this.weight = affine ? new Parameter(ones(this.normalizedShape, { dtype: opts.dtype })) : null;
    this.bias = affine ? new Parameter(zeros(this.normalizedShape, { dtype: opts.dtype })) : null;
  }

  /** Normalizes. */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.opts.eps });
  }

  /** Shape and options. */
  override extraRepr(): string {
    return `[${this.normalizedShape}], eps=${this.opts.eps ?? 1e-5}, elementwiseAffine=${this.weight !== null}`;
  }
}

/** Group normalization with per-channel affine by default. */
export class GroupNorm extends Module implements Layer {
  /** Per-channel scale, or null. */
  weight: Parameter | null;
  /** Per-channel shift, or null. */
  bias: Parameter | null;

  /** Creates the layer; numChannels must be divisible by numGroups. */
  constructor(readonly numGroups: number, readonly numChannels: number, readonly opts: { eps?: number; affine?: boolean; dtype?: DType } = {}) {
    super();
    checkSize('GroupNorm', numGroups, 'numGroups');
    checkSize('GroupNorm', numChannels, 'numChannels');
    if (numChannels % numGroups !== 0) throw new ValueError(`GroupNorm: numChannels ${numChannels} must be divisible by numGroups ${numGroups}`);
    const affine = opts.affine ?? true;
    this.weight = affine ? new Parameter(ones([numChannels], { dtype: opts.dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numChannels], { dtype: opts.dtype })) : null;
  }

  /** Normalizes. */
  forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new ShapeError(`GroupNorm: expected input (N, ${this.numChannels}, ...), got shape ${fmtShape(x.shape)}`);
    }
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.opts.eps });
  }

  /** Groups, channels and options. */
  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.opts.eps ?? 1e-5}, affine=${this.weight !== null}`;
  }
}

/** Instance normalization of [N, C, H, W]; no affine and no running statistics by default, as PyTorch. */
export class InstanceNorm2d extends Module implements Layer {
  /** Per-channel scale, or null. */
  weight: Parameter | null;
  /** Per-channel shift, or null. */
  bias: Parameter | null;
  /** Running mean (buffer), or null. */
  runningMean!: Tensor | null;
  /** Running variance (buffer), or null. */
  runningVar!: Tensor | null;
  /** Kept for checkpoint compatibility with PyTorch, which stores but never advances it for instance norm. */
  numBatchesTracked!: Tensor | null;

  /** Creates the layer. */
  constructor(readonly numFeatures: number, readonly opts: { eps?: number; momentum?: number; affine?: boolean; trackRunningStats?: boolean; dtype?: DType } = {}) {
    super();
    checkSize('InstanceNorm2d', numFeatures, 'numFeatures');
    const affine = opts.affine ?? false;
    this.weight = affine ? new Parameter(ones([numFeatures], { dtype: opts.dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], { dtype: opts.dtype })) : null;
    const track = opts.trackRunningStats ?? false;
    this.registerBuffer('runningMean', track ? zeros([numFeatures], { dtype: opts.dtype }) : null, { stateKey: 'running_mean' });
    this.registerBuffer('runningVar', track ? ones([numFeatures], { dtype: opts.dtype }) : null, { stateKey: 'running_var' });
    this.registerBuffer('numBatchesTracked', track ? zeros([], { dtype: 'int32' }) : null, { stateKey: 'num_batches_tracked' });
  }

  /** Normalizes each instance (in eval with running statistics, normalizes with those). */
  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`InstanceNorm2d: expected input (N, ${this.numFeatures}, H, W), got shape ${fmtShape(x.shape)}`);
    }
    const useInput = this.training || !this.runningMean;
    return instanceNorm(x, {
      runningMean: this.runningMean, runningVar: this.runningVar,
      weight: this.weight, bias: this.bias, useInputStats: useInput, momentum: this.opts.momentum, eps: this.opts.eps,
    });
  }

  /** Features and options. */
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.opts.eps ?? 1e-5}, affine=${this.weight !== null}, trackRunningStats=${this.runningMean !== null}`;
  }
}

/** Local response normalization across channels (AlexNet). */
export class LocalResponseNorm extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly size: number, readonly opts: { alpha?: number; beta?: number; k?: number } = {}) {
    super();
    checkSize('LocalResponseNorm', size, 'size');
  }

  /** Normalizes. */
  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.size, this.opts);
  }

  /** Size and constants. */
  override extraRepr(): string {
    return `${this.size}, alpha=${this.opts.alpha ?? 1e-4}, beta=${this.opts.beta ?? 0.75}, k=${this.opts.k ?? 1}`;
  }
}
