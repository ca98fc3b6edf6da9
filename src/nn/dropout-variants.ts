/**
 * Dropout layers for 1-D and 3-D feature maps (Dropout1d, Dropout3d) and for SELU networks (AlphaDropout,
 * FeatureAlphaDropout). Active only in training mode (`module.train()`), the identity in `eval()`.
 * @module
 */
import { ValueError } from '../errors.js';
import { alphaDropout, dropout1d, dropout3d, featureAlphaDropout } from '../ops/dropout-variants.js';
import type { DropoutOptions } from '../ops/dropout.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module, type Layer } from './module.js';

type DropFn = (x: Tensor, p: number, opts: DropoutOptions) => Tensor;

/** A dropout layer: probability p (default 0.5) and an optional generator of its own. */
abstract class DropoutLayer extends Module implements Layer {
  protected abstract readonly fn: DropFn;

  constructor(name: string, readonly p: number, readonly opts: { generator?: Generator }) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`${name}: dropout probability p must be in [0, 1], got ${p}`);
  }

  /** Applies the noise in training mode; the identity in eval mode. */
  forward(x: Tensor): Tensor {
    return this.fn(x, this.p, { training: this.training, generator: this.opts.generator });
  }

  /** The probability. */
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Zeroes whole channels of [N, C, L] (or [C, L]) with probability p during training; see `dropout1d`. */
export class Dropout1d extends DropoutLayer {
  /** The function applied in training. */
  protected readonly fn = dropout1d;

  /** Creates the layer (default p = 0.5). */
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super('Dropout1d', p, opts);
  }
}

/** Zeroes whole channels of [N, C, D, H, W] (or [C, D, H, W]) with probability p during training; see `dropout3d`. */
export class Dropout3d extends DropoutLayer {
  /** The function applied in training. */
  protected readonly fn = dropout3d;

  /** Creates the layer (default p = 0.5). */
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super('Dropout3d', p, opts);
  }
}

/** Alpha dropout of elements during training, keeping SELU activations' mean and variance; see `alphaDropout`. */
export class AlphaDropout extends DropoutLayer {
  /** The function applied in training. */
  protected readonly fn = alphaDropout;

  /** Creates the layer (default p = 0.5). */
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super('AlphaDropout', p, opts);
  }
}

/** Alpha dropout of whole channels of [N, C, ...] during training; see `featureAlphaDropout`. */
export class FeatureAlphaDropout extends DropoutLayer {
  /** The function applied in training. */
  protected readonly fn = featureAlphaDropout;

  /** Creates the layer (default p = 0.5). */
  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super('FeatureAlphaDropout', p, opts);
  }
}
