/**
 * More pooling layers, thin wrappers over the functions in src/ops: MaxPool3d, AvgPool3d, AdaptiveAvgPool1d/3d,
 * AdaptiveMaxPool1d/3d, LPPool1d/2d, FractionalMaxPool2d, MaxUnpool1d/3d, and the sliding-block layers Unfold
 * and Fold.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Pair } from '../ops/conv.js';
import { fold, unfold, type FoldOptions } from '../ops/fold.js';
import { maxUnpool1d, type MaxUnpool1dOptions, type PoolWithIndices } from '../ops/pool.js';
import { adaptiveAvgPool1d, adaptiveAvgPool3d, adaptiveMaxPool1d, adaptiveMaxPool3d, type AdaptiveSize } from '../ops/pool-adaptive.js';
import { avgPool3d, maxPool3d, maxUnpool3d, type AvgPool3dOptions, type MaxPool3dOptions, type MaxUnpool3dOptions } from '../ops/pool3d.js';
import { fractionalMaxPool2d, lpPool1d, lpPool2d, type FractionalMaxPool2dOptions } from '../ops/pool-special.js';
import type { Triple } from '../ops/window.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module, type Layer } from './module.js';

function repr(o: object): string {
  return Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
}

/** 3-D max pooling layer (use `forwardWithIndices` for the indices). */
export class MaxPool3d extends Module implements Layer {
  /** Creates the layer; stride defaults to the kernel size. */
  constructor(readonly kernelSize: Triple, readonly opts: MaxPool3dOptions = {}) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return maxPool3d(x, this.kernelSize, { ...this.opts, returnIndices: false });
  }

  /** Pools and returns the flat indices (into D * H * W) of the maxima too. */
  forwardWithIndices(x: Tensor): PoolWithIndices {
    return maxPool3d(x, this.kernelSize, { ...this.opts, returnIndices: true });
  }

  /** Kernel and options. */
  override extraRepr(): string {
    return repr({ kernelSize: this.kernelSize, ...this.opts });
  }
}

/** 3-D average pooling layer. */
export class AvgPool3d extends Module implements Layer {
  /** Creates the layer; stride defaults to the kernel size. */
  constructor(readonly kernelSize: Triple, readonly opts: AvgPool3dOptions = {}) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return avgPool3d(x, this.kernelSize, this.opts);
  }

  /** Kernel and options. */
  override extraRepr(): string {
    return repr({ kernelSize: this.kernelSize, ...this.opts });
  }
}

/** Average pooling of [N, C, L] to a fixed length. */
export class AdaptiveAvgPool1d extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly outputSize: number) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool1d(x, this.outputSize);
  }

  /** The output size. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}

/** Average pooling of [N, C, D, H, W] to a fixed size (null keeps that input size). */
export class AdaptiveAvgPool3d extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly outputSize: AdaptiveSize) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool3d(x, this.outputSize);
  }

  /** The output size. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}

/** Max pooling of [N, C, L] to a fixed length. */
export class AdaptiveMaxPool1d extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly outputSize: number) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return adaptiveMaxPool1d(x, this.outputSize);
  }

  /** Pools and returns the indices of the maxima too. */
  forwardWithIndices(x: Tensor): PoolWithIndices {
    return adaptiveMaxPool1d(x, this.outputSize, { returnIndices: true });
  }

  /** The output size. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}

/** Max pooling of [N, C, D, H, W] to a fixed size (null keeps that input size). */
export class AdaptiveMaxPool3d extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly outputSize: AdaptiveSize) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return adaptiveMaxPool3d(x, this.outputSize);
  }

  /** Pools and returns the flat indices (into D * H * W) of the maxima too. */
  forwardWithIndices(x: Tensor): PoolWithIndices {
    return adaptiveMaxPool3d(x, this.outputSize, { returnIndices: true });
  }

  /** The output size. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}

/** 1-D power-average pooling layer: the normType-norm of each window. */
export class LPPool1d extends Module implements Layer {
  /** Creates the layer; stride defaults to the kernel size. */
  constructor(readonly normType: number, readonly kernelSize: number, readonly opts: { stride?: number; ceilMode?: boolean } = {}) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return lpPool1d(x, this.normType, this.kernelSize, this.opts);
  }

  /** Norm, kernel and options. */
  override extraRepr(): string {
    return repr({ normType: this.normType, kernelSize: this.kernelSize, ...this.opts });
  }
}

/** 2-D power-average pooling layer: the normType-norm of each window. */
export class LPPool2d extends Module implements Layer {
  /** Creates the layer; stride defaults to the kernel size. */
  constructor(readonly normType: number, readonly kernelSize: Pair, readonly opts: { stride?: Pair; ceilMode?: boolean } = {}) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return lpPool2d(x, this.normType, this.kernelSize, this.opts);
  }

  /** Norm, kernel and options. */
  override extraRepr(): string {
    return repr({ normType: this.normType, kernelSize: this.kernelSize, ...this.opts });
  }
}

/** Fractional max pooling layer: windows placed afresh from the seeded generator on every call. */
export class FractionalMaxPool2d extends Module implements Layer {
  /** Creates the layer from the kernel and exactly one of outputSize and outputRatio (in (0, 1)). */
  constructor(readonly kernelSize: Pair, readonly opts: Omit<FractionalMaxPool2dOptions, 'returnIndices'>) {
    super();
    if ((opts.outputSize === undefined) === (opts.outputRatio === undefined)) throw new ValueError('FractionalMaxPool2d: give exactly one of outputSize and outputRatio');
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return fractionalMaxPool2d(x, this.kernelSize, { ...this.opts, returnIndices: false });
  }

  /** Pools and returns the flat indices (into H * W) of the maxima too. */
  forwardWithIndices(x: Tensor): PoolWithIndices {
    return fractionalMaxPool2d(x, this.kernelSize, { ...this.opts, returnIndices: true });
  }

  /** Kernel and output size or ratio. */
  override extraRepr(): string {
    return repr({ kernelSize: this.kernelSize, outputSize: this.opts.outputSize, outputRatio: this.opts.outputRatio });
  }
}

/** Partial inverse of MaxPool1d: places values at the pooled indices, zeros elsewhere. */
export class MaxUnpool1d extends Module {
  /** Creates the layer with the pooling's kernel, stride and padding. */
  constructor(readonly kernelSize: number, readonly opts: Omit<MaxUnpool1dOptions, 'outputSize'> = {}) {
    super();
  }

  /** Unpools x with the indices from MaxPool1d.forwardWithIndices; `outputSize` picks among possible sizes. */
  forward(x: Tensor, indices: Tensor, outputSize?: readonly number[]): Tensor {
    return maxUnpool1d(x, indices, this.kernelSize, { ...this.opts, outputSize });
  }

  /** Kernel and options. */
  override extraRepr(): string {
    return repr({ kernelSize: this.kernelSize, ...this.opts });
  }
}

/** Partial inverse of MaxPool3d: places values at the pooled indices, zeros elsewhere. */
export class MaxUnpool3d extends Module {
  /** Creates the layer with the pooling's kernel, stride and padding. */
  constructor(readonly kernelSize: Triple, readonly opts: Omit<MaxUnpool3dOptions, 'outputSize'> = {}) {
    super();
  }

  /** Unpools x with the indices from MaxPool3d.forwardWithIndices; `outputSize` picks among possible sizes. */
  forward(x: Tensor, indices: Tensor, outputSize?: readonly number[]): Tensor {
    return maxUnpool3d(x, indices, this.kernelSize, { ...this.opts, outputSize });
  }

  /** Kernel and options. */
  override extraRepr(): string {
    return repr({ kernelSize: this.kernelSize, ...this.opts });
  }
}

/** Extracts sliding blocks: [N, C, H, W] -> [N, C * kh * kw, L] (F.unfold). */
export class Unfold extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly kernelSize: Pair, readonly opts: FoldOptions = {}) {
    super();
  }

  /** Unfolds. */
  forward(x: Tensor): Tensor {
    return unfold(x, this.kernelSize, this.opts);
  }

  /** Kernel and options. */
  override extraRepr(): string {
    return repr({ kernelSize: this.kernelSize, ...this.opts });
  }
}

/** Sums sliding blocks back into an image: [N, C * kh * kw, L] -> [N, C, ...outputSize] (F.fold). */
export class Fold extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly outputSize: Pair, readonly kernelSize: Pair, readonly opts: FoldOptions = {}) {
    super();
  }

  /** Folds. */
  forward(x: Tensor): Tensor {
    return fold(x, this.outputSize, this.kernelSize, this.opts);
  }

  /** Output size, kernel and options. */
  override extraRepr(): string {
    return repr({ outputSize: this.outputSize, kernelSize: this.kernelSize, ...this.opts });
  }
}
