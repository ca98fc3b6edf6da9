/**
 * 3-D convolution layers: Conv3d and ConvTranspose3d over [N, C, D, H, W] (or unbatched [C, D, H, W]),
 * initialized as PyTorch's.
 * @module
 */
import { ValueError } from '../errors.js';
import { conv3d, convTranspose3d } from '../ops/conv3d.js';
import { triple, type Triple } from '../ops/window.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkGroups, convParameters, optsRepr } from './conv.js';
import { checkSize } from './linear.js';
import { Module, Parameter, type Layer } from './module.js';

/** Options of Conv3d. */
export interface Conv3dLayerOptions {
  /** Step between windows (default 1). */
  stride?: Triple;
  /** Zero padding, or 'same' / 'valid' (default 0). */
  padding?: Triple | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: Triple;
  /** Channel groups (default 1). */
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** 3-D convolution layer: x [N, inChannels, D, H, W] -> [N, outChannels, od, oh, ow]. */
export class Conv3d extends Module implements Layer {
  /** Learned kernels [outChannels, inChannels / groups, kd, kh, kw]. */
  weight: Parameter;
  /** Learned bias [outChannels], or null. */
  bias: Parameter | null;
  /** Kernel size [kd, kh, kw]. */
  readonly kernelSize: [number, number, number];

  /** Creates the layer with PyTorch's default initialization. */
  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Triple, readonly opts: Conv3dLayerOptions = {}) {
    super();
    checkSize('Conv3d', inChannels, 'inChannels');
    checkSize('Conv3d', outChannels, 'outChannels');
    const groups = opts.groups ?? 1;
    checkGroups('Conv3d', inChannels, outChannels, groups);
    this.kernelSize = triple('Conv3d', kernelSize, 1, 'kernelSize', 1);
    const s = opts.stride;
    if (opts.padding === 'same' && s !== undefined && (typeof s === 'number' ? s !== 1 : s.some((v) => v !== 1))) {
      throw new ValueError(`Conv3d: padding 'same' is not supported for strided convolutions (stride ${JSON.stringify(s)})`);
    }
    ({ weight: this.weight, bias: this.bias } = convParameters([outChannels, inChannels / groups, ...this.kernelSize], outChannels, opts));
  }

  /** Convolves. */
  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, groups } = this.opts;
    return conv3d(x, this.weight, this.bias, { stride, padding, dilation, groups });
  }

  /** Channels, kernel and options. */
  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}]${optsRepr(this.opts)}`;
  }
}

/** Options of ConvTranspose3d. */
export interface ConvTranspose3dLayerOptions {
  /** Stride (default 1). */
  stride?: Triple;
  /** Padding (default 0). */
  padding?: Triple;
  /** Output padding (default 0). */
  outputPadding?: Triple;
  /** Dilation (default 1). */
  dilation?: Triple;
  /** Groups (default 1). */
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Parameter dtype. */
  dtype?: DType;
}

/** Transposed 3-D convolution layer (learned upsampling): x [N, inChannels, D, H, W] -> [N, outChannels, OD, OH, OW]. */
export class ConvTranspose3d extends Module implements Layer {
  /** Learned kernels [inChannels, outChannels / groups, kd, kh, kw]. */
  weight: Parameter;
  /** Learned bias [outChannels], or null. */
  bias: Parameter | null;
  /** Kernel size [kd, kh, kw]. */
  readonly kernelSize: [number, number, number];

  /** Creates the layer with PyTorch's default initialization. */
  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Triple, readonly opts: ConvTranspose3dLayerOptions = {}) {
    super();
    checkSize('ConvTranspose3d', inChannels, 'inChannels');
    checkSize('ConvTranspose3d', outChannels, 'outChannels');
    const groups = opts.groups ?? 1;
    checkGroups('ConvTranspose3d', inChannels, outChannels, groups);
    this.kernelSize = triple('ConvTranspose3d', kernelSize, 1, 'kernelSize', 1);
    ({ weight: this.weight, bias: this.bias } = convParameters([inChannels, outChannels / groups, ...this.kernelSize], outChannels, opts));
  }

  /** Applies the transposed convolution. */
  forward(x: Tensor): Tensor {
    const { stride, padding, outputPadding, dilation, groups } = this.opts;
    return convTranspose3d(x, this.weight, this.bias, { stride, padding, outputPadding, dilation, groups });
  }

  /** Channels, kernel and options. */
  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}]${optsRepr(this.opts)}`;
  }
}
