/**
 * Convolution layers: Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d, initialized as PyTorch's.
 * @module
 */
import { ValueError } from '../errors.js';
import { conv1d, conv2d, convTranspose1d, convTranspose2d, pair, type Pair } from '../ops/conv.js';
import { zeros } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { calculateFans, kaimingUniform_, uniform_ } from './init.js';
import { checkSize } from './linear.js';
import { Module, Parameter, type Layer } from './module.js';

/** Options of Conv1d/Conv2d. */
export interface ConvLayerOptions {
  /** Step between windows (default 1). */
  stride?: Pair;
  /** Zero padding, or 'same' / 'valid' (default 0). */
  padding?: Pair | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Channel groups (default 1). */
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** A conv layer's weight of `shape` and bias [outChannels] (unless `bias: false`), initialized as PyTorch's. */
export function convParameters(shape: number[], outChannels: number, opts: { bias?: boolean; dtype?: DType }): { weight: Parameter; bias: Parameter | null } {
  const weight = new Parameter(zeros(shape, { dtype: opts.dtype }));
  const bias = opts.bias === false ? null : new Parameter(zeros([outChannels], { dtype: opts.dtype }));
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const { fanIn } = calculateFans(weight);
    const b = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -b, b);
  }
  return { weight, bias };
}

function checkSamePadding(layer: string, padding: unknown, stride: Pair | undefined): void {
  const strided = stride !== undefined && (typeof stride === 'number' ? stride !== 1 : stride.some((s) => s !== 1));
  if (padding === 'same' && strided) throw new ValueError(`${layer}: padding 'same' is not supported for strided convolutions (stride ${JSON.stringify(stride)})`);
}

/** Checks a conv layer's groups divide both channel counts. */
export function checkGroups(layer: string, inC: number, outC: number, groups: number): void {
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${layer}: groups must be a positive integer, got ${groups}`);
  if (inC % groups !== 0 || outC % groups !== 0) {
    throw new ValueError(`${layer}: inChannels ${inC} and outChannels ${outC} must be divisible by groups ${groups}`);
  }
}

/**
 * 2-D convolution layer: x [N, inChannels, H, W] -> [N, outChannels, oh, ow].
 *
 * @example
 * ```ts
 * const conv = new nn.Conv2d(1, 6, 5, { padding: 2 });
 * const y = conv.forward(randn([8, 1, 28, 28])); // [8, 6, 28, 28]
 * ```
 */
export class Conv2d extends Module implements Layer {
  /** Learned kernels [outChannels, inChannels / groups, kh, kw]. */
  weight: Parameter;
  /** Learned bias [outChannels], or null. */
  bias: Parameter | null;
  /** Kernel size [kh, kw]. */
  readonly kernelSize: [number, number];

  /** Creates the layer with PyTorch's default initialization. */
  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, readonly opts: ConvLayerOptions = {}) {
    super();
    checkSize('Conv2d', inChannels, 'inChannels');
    checkSize('Conv2d', outChannels, 'outChannels');
    const groups = opts.groups ?? 1;
    checkGroups('Conv2d', inChannels, outChannels, groups);
    this.kernelSize = pair('Conv2d', kernelSize, 1, 'kernelSize', 1);
    checkSamePadding('Conv2d', opts.padding, opts.stride);
    ({ weight: this.weight, bias: this.bias } = convParameters([outChannels, inChannels / groups, ...this.kernelSize], outChannels, opts));
  }

  /** Convolves. */
  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, groups } = this.opts;
    return conv2d(x, this.weight, this.bias, { stride, padding, dilation, groups });
  }

  /** Channels, kernel and options. */
  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}]${optsRepr(this.opts)}`;
  }
}

/** The options that were given, as `, key=value` pairs for a layer's repr. */
export function optsRepr(o: object): string {
  const parts = Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'dtype').map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length ? `, ${parts.join(', ')}` : '';
}

/** Options of Conv1d. */
export interface Conv1dLayerOptions {
  /** Step between windows (default 1). */
  stride?: number;
  /** Zero padding, or 'same' / 'valid'. */
  padding?: number | 'same' | 'valid';
  /** Spacing between kernel taps. */
  dilation?: number;
  /** Channel groups. */
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Parameter dtype. */
  dtype?: DType;
}

/** 1-D convolution layer: x [N, inChannels, L] -> [N, outChannels, l]. */
export class Conv1d extends Module implements Layer {
  /** Learned kernels [outChannels, inChannels / groups, kernelSize]. */
  weight: Parameter;
  /** Learned bias [outChannels], or null. */
  bias: Parameter | null;

  /** Creates the layer with PyTorch's default initialization. */
  constructor(readonly inChannels: number, readonly outChannels: number, readonly kernelSize: number, readonly opts: Conv1dLayerOptions = {}) {
    super();
    checkSize('Conv1d', inChannels, 'inChannels');
    checkSize('Conv1d', outChannels, 'outChannels');
    checkSize('Conv1d', kernelSize, 'kernelSize');
    checkSamePadding('Conv1d', opts.padding, opts.stride);
    const groups = opts.groups ?? 1;
    checkGroups('Conv1d', inChannels, outChannels, groups);
    ({ weight: this.weight, bias: this.bias } = convParameters([outChannels, inChannels / groups, kernelSize], outChannels, opts));
  }

  /** Convolves. */
  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, groups } = this.opts;
    return conv1d(x, this.weight, this.bias, { stride, padding, dilation, groups });
  }

  /** Channels, kernel and options. */
  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}${optsRepr(this.opts)}`;
  }
}

/** Options of ConvTranspose2d. */
export interface ConvTransposeLayerOptions {
  /** Stride (default 1). */
  stride?: Pair;
  /** Padding (default 0). */
  padding?: Pair;
  /** Output padding (default 0). */
  outputPadding?: Pair;
  /** Dilation (default 1). */
  dilation?: Pair;
  /** Groups (default 1). */
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Parameter dtype. */
  dtype?: DType;
}

/** Transposed 2-D convolution layer (learned upsampling): x [N, inChannels, H, W] -> [N, outChannels, OH, OW]. */
export class ConvTranspose2d extends Module implements Layer {
  /** Learned kernels [inChannels, outChannels / groups, kh, kw]. */
  weight: Parameter;
  /** Learned bias [outChannels], or null. */
  bias: Parameter | null;
  /** Kernel size [kh, kw]. */
  readonly kernelSize: [number, number];

  /** Creates the layer with PyTorch's default initialization. */
  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, readonly opts: ConvTransposeLayerOptions = {}) {
    super();
    checkSize('ConvTranspose2d', inChannels, 'inChannels');
    checkSize('ConvTranspose2d', outChannels, 'outChannels');
    const groups = opts.groups ?? 1;
    checkGroups('ConvTranspose2d', inChannels, outChannels, groups);
    this.kernelSize = pair('ConvTranspose2d', kernelSize, 1, 'kernelSize', 1);
    ({ weight: this.weight, bias: this.bias } = convParameters([inChannels, outChannels / groups, ...this.kernelSize], outChannels, opts));
  }

  /** Applies the transposed convolution. */
  forward(x: Tensor): Tensor {
    const { stride, padding, outputPadding, dilation, groups } = this.opts;
    return convTranspose2d(x, this.weight, this.bias, { stride, padding, outputPadding, dilation, groups });
  }

  /** Channels, kernel and options. */
  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}]${optsRepr(this.opts)}`;
  }
}

/** Transposed 1-D convolution layer: x [N, inChannels, L] -> [N, outChannels, l]. */
export class ConvTranspose1d extends Module implements Layer {
  /** Learned kernels [inChannels, outChannels / groups, kernelSize]. */
  weight: Parameter;
  /** Learned bias [outChannels], or null. */
  bias: Parameter | null;

  /** Creates the layer with PyTorch's default initialization. */
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    readonly opts: { stride?: number; padding?: number; outputPadding?: number; dilation?: number; groups?: number; bias?: boolean; dtype?: DType } = {},
  ) {
    super();
    checkSize('ConvTranspose1d', inChannels, 'inChannels');
    checkSize('ConvTranspose1d', outChannels, 'outChannels');
    checkSize('ConvTranspose1d', kernelSize, 'kernelSize');
    const groups = opts.groups ?? 1;
    checkGroups('ConvTranspose1d', inChannels, outChannels, groups);
    ({ weight: this.weight, bias: this.bias } = convParameters([inChannels, outChannels / groups, kernelSize], outChannels, opts));
  }

  /** Applies the transposed convolution. */
  forward(x: Tensor): Tensor {
    const { stride, padding, outputPadding, dilation, groups } = this.opts;
    return convTranspose1d(x, this.weight, this.bias, { stride, padding, outputPadding, dilation, groups });
  }

  /** Channels, kernel and options. */
  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}${optsRepr(this.opts)}`;
  }
}
