/**
 * U-Net (Ronneberger, Fischer & Brox 2015): a contracting path of double 3x3 convolutions and 2x2 max pools, an
 * expanding path that upsamples (a 2x2 transposed convolution, or bilinear interpolation) and concatenates the
 * encoder's feature map of the same size (the skip connection) before another double convolution, and a 1x1
 * convolution to per-pixel class logits. Unlike the paper's unpadded convolutions, every 3x3 convolution is padded
 * by 1 (as in most PyTorch ports), so the output has the input's height and width whenever both are multiples of
 * 2^depth; other sizes are refused with a ShapeError that names the sizes that work.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { ReLU } from '../../nn/activation.js';
import { ModuleList, Sequential } from '../../nn/containers.js';
import { Conv2d, ConvTranspose2d } from '../../nn/conv.js';
import { Module, type Layer } from '../../nn/module.js';
import { BatchNorm2d } from '../../nn/normalization.js';
import { MaxPool2d, Upsample } from '../../nn/pooling.js';
import { cat } from '../../ops/movement.js';
import type { Tensor } from '../../tensor/tensor.js';
import { positiveInt } from '../vision/common.js';

/** How the expanding path doubles the resolution. */
export type UNetUpsample = 'transpose' | 'bilinear';

/** Options of UNet. */
export interface UNetOptions {
  /** Input channels (default 1). */
  inChannels?: number;
  /** Classes scored per pixel (default 2, the paper's cell / background). */
  numClasses?: number;
  /** Number of 2x2 poolings (default 4, the paper's); inputs must be multiples of 2^depth. */
  depth?: number;
  /** Channels of the first double convolution; level i has baseWidth * 2^i (default 64, the paper's). */
  baseWidth?: number;
  /**
   * 'transpose' (default, the paper's up-convolution: a 2x2 transposed conv with stride 2 that also halves the
   * channels) or 'bilinear' (interpolation with alignCorners, channels unchanged; fewer parameters).
   */
  upsample?: UNetUpsample;
  /** Batch norm after each 3x3 convolution (default true; the paper predates batch norm). */
  batchNorm?: boolean;
  /** The image size the model is meant for (checked to be a multiple of 2^depth when given). */
  inputSize?: number;
}

/** Two (3x3 conv, optional batch norm, ReLU) layers, padded so the size is kept: [N, inC, H, W] -> [N, outC, H, W]. */
export class DoubleConv extends Module implements Layer {
  /** conv, (bn,) relu, conv, (bn,) relu. */
  conv: Sequential;

  /** Creates the block. */
  constructor(inC: number, outC: number, batchNorm = true) {
    super();
    const layer = (i: number, o: number): Layer[] => batchNorm
      ? [new Conv2d(i, o, 3, { padding: 1, bias: false }), new BatchNorm2d(o), new ReLU()]
      : [new Conv2d(i, o, 3, { padding: 1 }), new ReLU()];
    this.conv = new Sequential(...layer(inC, outC), ...layer(outC, outC));
  }

  /** The two convolutions. */
  forward(x: Tensor): Tensor {
    return this.conv.forward(x);
  }
}

/** One contracting step: 2x2 max pool, then a DoubleConv: [N, inC, H, W] -> [N, outC, H/2, W/2]. */
export class UNetDown extends Module implements Layer {
  /** The 2x2 max pool. */
  pool: MaxPool2d;
  /** The double convolution. */
  conv: DoubleConv;

  /** Creates the step. */
  constructor(inC: number, outC: number, batchNorm = true) {
    super();
    this.pool = new MaxPool2d(2);
    this.conv = new DoubleConv(inC, outC, batchNorm);
  }

  /** Pool, then convolve. */
  forward(x: Tensor): Tensor {
    return this.conv.forward(this.pool.forward(x));
  }
}

/**
 * One expanding step: upsample the coarser map [N, inC, H/2, W/2] to [N, *, H, W], concatenate the skip
 * [N, skipC, H, W] after it along channels (torch.cat([skip, up], 1), as the PyTorch ports), DoubleConv to outC.
 */
export class UNetUp extends Module implements Layer {
  /** A ConvTranspose2d(inC, inC / 2, 2, stride 2) or a bilinear Upsample(scaleFactor 2). */
  up: Layer;
  /** The double convolution over the concatenation. */
  conv: DoubleConv;

  /** Creates the step. */
  constructor(inC: number, skipC: number, outC: number, mode: UNetUpsample, batchNorm = true) {
    super();
    const upC = mode === 'transpose' ? Math.max(1, Math.floor(inC / 2)) : inC;
    this.up = mode === 'transpose'
      ? new ConvTranspose2d(inC, upC, 2, { stride: 2 })
      : new Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: true });
    this.conv = new DoubleConv(skipC + upC, outC, batchNorm);
  }

  /** Upsamples `x`, joins it to `skip`, convolves. */
  forward(x: Tensor, skip?: Tensor): Tensor {
    if (skip === undefined) throw new ValueError('UNetUp.forward: the skip connection (the encoder map of the target size) is required');
    return this.conv.forward(cat([skip, this.up.forward(x)], 1));
  }
}

/** Multiples of `m` nearest to `n` (one below, one above), for error messages. */
function nearMultiples(n: number, m: number): number[] {
  const lo = Math.floor(n / m) * m;
  return [...new Set([lo, lo + m].filter((v) => v >= m))];
}

/**
 * U-Net: [N, inChannels, H, W] -> per-pixel logits [N, numClasses, H, W], for H and W multiples of 2^depth.
 * Parameters are named `inc.conv.0.weight`, `downs.{i}.conv.conv.*`, `ups.{i}.up.*`, `ups.{i}.conv.conv.*`,
 * `outc.weight`; `ups.0` is the deepest expanding step.
 */
export class UNet extends Module implements Layer {
  /** Input channels. */
  readonly inChannels: number;
  /** Classes scored per pixel. */
  readonly numClasses: number;
  /** Number of poolings. */
  readonly depth: number;
  /** Channels at the first level. */
  readonly baseWidth: number;
  /** How the expanding path upsamples. */
  readonly upsample: UNetUpsample;
  /** The first double convolution (full resolution). */
  inc: DoubleConv;
  /** The contracting steps, finest first. */
  downs: ModuleList;
  /** The expanding steps, coarsest first. */
  ups: ModuleList;
  /** The 1x1 convolution to class logits. */
  outc: Conv2d;

  /** Builds the network (see UNetOptions for the defaults). */
  constructor(opts: UNetOptions = {}) {
    super();
    const name = 'UNet';
    this.inChannels = positiveInt(name, 'inChannels', opts.inChannels, 1);
    this.numClasses = positiveInt(name, 'numClasses', opts.numClasses, 2);
    this.depth = positiveInt(name, 'depth', opts.depth, 4);
    this.baseWidth = positiveInt(name, 'baseWidth', opts.baseWidth, 64);
    const mode = opts.upsample ?? 'transpose';
    if (mode !== 'transpose' && mode !== 'bilinear') throw new ValueError(`UNet: option upsample must be 'transpose' or 'bilinear', got ${JSON.stringify(mode)}`);
    this.upsample = mode;
    const bn = opts.batchNorm ?? true;
    if (typeof bn !== 'boolean') throw new ValueError(`UNet: option batchNorm must be a boolean, got ${JSON.stringify(bn)}`);
    if (opts.inputSize !== undefined) {
      const size = positiveInt(name, 'inputSize', opts.inputSize, 1);
      this.checkSize('UNet', size, size, `option inputSize ${size}`);
    }
    const width = (i: number) => this.baseWidth * 2 ** i;
    this.inc = new DoubleConv(this.inChannels, width(0), bn);
    this.downs = new ModuleList(Array.from({ length: this.depth }, (_, i) => new UNetDown(width(i), width(i + 1), bn)));
    this.ups = new ModuleList(Array.from({ length: this.depth }, (_, k) => {
      const level = this.depth - 1 - k; // the resolution this step restores
      return new UNetUp(width(level + 1), width(level), width(level), mode, bn);
    }));
    this.outc = new Conv2d(width(0), this.numClasses, 1);
  }

  private checkSize(op: string, h: number, w: number, what?: string): void {
    const m = 2 ** this.depth;
    if (h % m === 0 && w % m === 0) return;
    const parts = [h % m ? `height ${h}` : '', w % m ? `width ${w}` : ''].filter(Boolean);
    const bad = what ?? `input ${parts.join(' and ')}`;
    const verb = what === undefined && parts.length === 2 ? 'are not multiples' : 'is not a multiple';
    const near = [...new Set([...nearMultiples(h, m), ...nearMultiples(w, m)])].sort((a, b) => a - b);
    let fits = 0;
    while (h % 2 ** (fits + 1) === 0 && w % 2 ** (fits + 1) === 0) fits++;
    throw new ShapeError(`${op}: ${bad} ${verb} of 2^${this.depth} = ${m} (depth ${this.depth}); sizes that work are multiples of ${m} (e.g. ${near.join(', ')}): pad the images${fits > 0 ? `, or use depth <= ${fits}` : ''}`);
  }

  /** Logits [N, numClasses, H, W] for x [N, inChannels, H, W]. */
  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels) {
      throw new ShapeError(`UNet.forward: input must be [N, ${this.inChannels}, H, W], got shape ${fmtShape(x.shape)}`);
    }
    this.checkSize('UNet.forward', x.shape[2], x.shape[3]);
    const skips: Tensor[] = [this.inc.forward(x)];
    for (const d of this.downs) skips.push((d as UNetDown).forward(skips[skips.length - 1]));
    let y = skips[this.depth];
    let k = 0;
    for (const u of this.ups) y = (u as UNetUp).forward(y, skips[this.depth - 1 - k++]);
    return this.outc.forward(y);
  }
}
