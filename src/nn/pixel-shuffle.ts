/**
 * Sub-pixel layers: PixelShuffle (channels to space, for super-resolution upsampling) and PixelUnshuffle.
 * @module
 */
import { ValueError } from '../errors.js';
import { pixelShuffle, pixelUnshuffle } from '../ops/pixel-shuffle.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module, type Layer } from './module.js';

function checkFactor(layer: string, arg: string, r: unknown): void {
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1) throw new ValueError(`${layer}: ${arg} must be a positive integer, got ${String(r)}`);
}

/** [*, C r^2, H, W] to [*, C, H r, W r]; see `pixelShuffle`. */
export class PixelShuffle extends Module implements Layer {
  /** Creates the layer with upscale factor r. */
  constructor(readonly upscaleFactor: number) {
    super();
    checkFactor('PixelShuffle', 'upscaleFactor', upscaleFactor);
  }

  /** `pixelShuffle(x, upscaleFactor)`. */
  forward(x: Tensor): Tensor {
    return pixelShuffle(x, this.upscaleFactor);
  }

  /** `upscaleFactor=…`. */
  override extraRepr(): string {
    return `upscaleFactor=${this.upscaleFactor}`;
  }
}

/** [*, C, H r, W r] to [*, C r^2, H, W]; see `pixelUnshuffle`. */
export class PixelUnshuffle extends Module implements Layer {
  /** Creates the layer with downscale factor r. */
  constructor(readonly downscaleFactor: number) {
    super();
    checkFactor('PixelUnshuffle', 'downscaleFactor', downscaleFactor);
  }

  /** `pixelUnshuffle(x, downscaleFactor)`. */
  forward(x: Tensor): Tensor {
    return pixelUnshuffle(x, this.downscaleFactor);
  }

  /** `downscaleFactor=…`. */
  override extraRepr(): string {
    return `downscaleFactor=${this.downscaleFactor}`;
  }
}
