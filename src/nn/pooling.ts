/**
 * Pooling and resizing layers: MaxPool1d/2d, AvgPool1d/2d, MaxUnpool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d,
 * Upsample, UpsamplingNearest2d, UpsamplingBilinear2d. Thin wrappers over the functions in src/ops/pool.ts and
 * src/ops/resample.ts.
 * @module
 */
import type { Pair } from '../ops/conv.js';
import {
  adaptiveAvgPool2d, adaptiveMaxPool2d, avgPool1d, avgPool2d, maxPool1d, maxPool2d, maxUnpool2d,
  type AvgPool2dOptions, type Pool1dOptions, type Pool2dOptions, type PoolWithIndices,
} from '../ops/pool.js';
import { interpolate, type InterpolateOptions } from '../ops/resample.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module, type Layer } from './module.js';

function repr(o: object): string {
  return Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
}

/** 2-D max pooling layer (use `forwardWithIndices` for the indices MaxUnpool2d needs). */
export class MaxPool2d extends Module implements Layer {
  /** Creates the layer; stride defaults to the kernel size. */
  constructor(readonly kernelSize: Pair, readonly opts: Pool2dOptions = {}) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { ...this.opts, returnIndices: false });
  }

  /** Pools and returns the flat indices of the maxima too. */
  forwardWithIndices(x: Tensor): PoolWithIndices {
    return maxPool2d(x, this.kernelSize, { ...this.opts, returnIndices: true });
  }

  /** Kernel and options. */
  override extraRepr(): string {
    return repr({ kernelSize: this.kernelSize, ...this.opts });
  }
}

/** 1-D max pooling layer. */
export class MaxPool1d extends Module implements Layer {
  /** Creates the layer; stride defaults to the kernel size. */
  constructor(readonly kernelSize: number, readonly opts: Pool1dOptions = {}) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return maxPool1d(x, this.kernelSize, { ...this.opts, returnIndices: false });
  }

  /** Pools and returns the indices of the maxima too. */
  forwardWithIndices(x: Tensor): PoolWithIndices {
    return maxPool1d(x, this.kernelSize, { ...this.opts, returnIndices: true });
  }

  /** Kernel and options. */
  override extraRepr(): string {
    return repr({ kernelSize: this.kernelSize, ...this.opts });
  }
}

/** 2-D average pooling layer. */
export class AvgPool2d extends Module implements Layer {
  /** Creates the layer; stride defaults to the kernel size. */
  constructor(readonly kernelSize: Pair, readonly opts: AvgPool2dOptions = {}) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.opts);
  }

  /** Kernel and options. */
  override extraRepr(): string {
    return repr({ kernelSize: this.kernelSize, ...this.opts });
  }
}

/** 1-D average pooling layer. */
export class AvgPool1d extends Module implements Layer {
  /** Creates the layer; stride defaults to the kernel size. */
  constructor(readonly kernelSize: number, readonly opts: Omit<Pool1dOptions, 'dilation'> & { countIncludePad?: boolean } = {}) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.kernelSize, this.opts);
  }

  /** Kernel and options. */
  override extraRepr(): string {
    return repr({ kernelSize: this.kernelSize, ...this.opts });
  }
}

/** Partial inverse of MaxPool2d: places values at the pooled indices, zeros elsewhere. */
export class MaxUnpool2d extends Module {
  /** Creates the layer with the pooling's kernel, stride and padding. */
  constructor(readonly kernelSize: Pair, readonly opts: { stride?: Pair; padding?: Pair } = {}) {
    super();
  }

  /** Unpools x with the indices from MaxPool2d.forwardWithIndices; `outputSize` picks among possible sizes. */
  forward(x: Tensor, indices: Tensor, outputSize?: readonly number[]): Tensor {
    return maxUnpool2d(x, indices, this.kernelSize, { ...this.opts, outputSize });
  }

  /** Kernel and options. */
  override extraRepr(): string {
    return repr({ kernelSize: this.kernelSize, ...this.opts });
  }
}

/** Average pooling to a fixed output size. */
export class AdaptiveAvgPool2d extends Module implements Layer {
  /** Creates the layer (null in outputSize keeps that input size). */
  constructor(readonly outputSize: Pair | readonly (number | null)[]) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  /** The output size. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}

/** Max pooling to a fixed output size. */
export class AdaptiveMaxPool2d extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly outputSize: Pair | readonly (number | null)[]) {
    super();
  }

  /** Pools. */
  forward(x: Tensor): Tensor {
    return adaptiveMaxPool2d(x, this.outputSize);
  }

  /** Pools and returns the flat indices of the maxima too. */
  forwardWithIndices(x: Tensor): PoolWithIndices {
    return adaptiveMaxPool2d(x, this.outputSize, { returnIndices: true });
  }

  /** The output size. */
  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}

/** Resizes feature maps with any mode of `interpolate` (nearest, nearest-exact, (bi/tri)linear, bicubic, area), as nn.Upsample. */
export class Upsample extends Module implements Layer {
  /** Creates the layer from interpolate's options (size or scaleFactor, mode, alignCorners). */
  constructor(readonly opts: InterpolateOptions) {
    super();
  }

  /** Resizes. */
  forward(x: Tensor): Tensor {
    return interpolate(x, this.opts);
  }

  /** The options. */
  override extraRepr(): string {
    return repr(this.opts);
  }
}

/** Nearest-neighbour resizing of [N, C, H, W] by `size` or `scaleFactor`, as nn.UpsamplingNearest2d. */
export class UpsamplingNearest2d extends Module implements Layer {
  /** Creates the layer from exactly one of size and scaleFactor. */
  constructor(readonly opts: Pick<InterpolateOptions, 'size' | 'scaleFactor'>) {
    super();
  }

  /** Resizes. */
  forward(x: Tensor): Tensor {
    return interpolate(x, { size: this.opts.size, scaleFactor: this.opts.scaleFactor, mode: 'nearest' });
  }

  /** The options. */
  override extraRepr(): string {
    return repr(this.opts);
  }
}

/** Bilinear resizing of [N, C, H, W] with aligned corners by `size` or `scaleFactor`, as nn.UpsamplingBilinear2d. */
export class UpsamplingBilinear2d extends Module implements Layer {
  /** Creates the layer from exactly one of size and scaleFactor. */
  constructor(readonly opts: Pick<InterpolateOptions, 'size' | 'scaleFactor'>) {
    super();
  }

  /** Resizes. */
  forward(x: Tensor): Tensor {
    return interpolate(x, { size: this.opts.size, scaleFactor: this.opts.scaleFactor, mode: 'bilinear', alignCorners: true });
  }

  /** The options. */
  override extraRepr(): string {
    return repr(this.opts);
  }
}
