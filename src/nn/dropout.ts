/**
 * Dropout layers: Dropout, Dropout2d, DropBlock2d, and DropConnect (a wrapper that drops a layer's weights).
 * All are active only in training mode (`module.train()`), identity in `eval()`.
 * @module
 */
import { ValueError } from '../errors.js';
import { dropBlock2d, dropConnect, dropout, dropout2d } from '../ops/dropout.js';
import type { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { Module, Parameter, type Layer } from './module.js';

function checkP(layer: string, p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`${layer}: dropout probability p must be in [0, 1], got ${p}`);
  return p;
}

/** Zeroes elements with probability p and scales the rest by 1/(1-p) during training. */
export class Dropout extends Module implements Layer {
  /** Creates the layer (default p = 0.5); `generator` makes its masks independent of the global stream. */
  constructor(readonly p = 0.5, readonly opts: { generator?: Generator } = {}) {
    super();
    checkP('Dropout', p);
  }

  /** Applies dropout in training mode. */
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, generator: this.opts.generator });
  }

  /** The probability. */
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Zeroes whole channels of [N, C, ...] with probability p during training (spatial dropout). */
export class Dropout2d extends Module implements Layer {
  /** Creates the layer (default p = 0.5). */
  constructor(readonly p = 0.5, readonly opts: { generator?: Generator } = {}) {
    super();
    checkP('Dropout2d', p);
  }

  /** Applies channel dropout in training mode. */
  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, { training: this.training, generator: this.opts.generator });
  }

  /** The probability. */
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** DropBlock: drops blockSize x blockSize regions of [N, C, H, W] feature maps during training. */
export class DropBlock2d extends Module implements Layer {
  /** Creates the layer dropping about a fraction p of positions in blocks of `blockSize`. */
  constructor(readonly p: number, readonly blockSize: number, readonly opts: { generator?: Generator } = {}) {
    super();
    checkP('DropBlock2d', p);
    if (!Number.isInteger(blockSize) || blockSize < 1) throw new ValueError(`DropBlock2d: blockSize must be a positive integer, got ${blockSize}`);
  }

  /** Applies DropBlock in training mode. */
  forward(x: Tensor): Tensor {
    return dropBlock2d(x, this.p, this.blockSize, { training: this.training, generator: this.opts.generator });
  }

  /** Probability and block size. */
  override extraRepr(): string {
    return `p=${this.p}, blockSize=${this.blockSize}`;
  }
}

/**
 * DropConnect (Wan et al. 2013): wraps a layer that has a `weight` parameter (Linear, Conv2d, ...) and, in
 * training, runs it with each weight dropped with probability p (and the rest scaled by 1/(1-p)).
 */
export class DropConnect extends Module implements Layer {
  /** Wraps `layer`. */
  constructor(readonly layer: Layer & { weight: Parameter }, readonly p = 0.5, readonly opts: { generator?: Generator } = {}) {
    super();
    checkP('DropConnect', p);
    if (!(layer instanceof Module) || !(layer.weight instanceof Tensor)) throw new ValueError('DropConnect: layer must be a Module with a weight parameter');
  }

  /** Runs the wrapped layer, with dropped weights in training mode. */
  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return this.layer.forward(x);
    const weight = this.layer.weight;
    const holder = this.layer as unknown as { weight: Tensor };
    holder.weight = dropConnect(weight, this.p, { training: true, generator: this.opts.generator });
    try {
      return this.layer.forward(x);
    } finally {
      holder.weight = weight;
    }
  }

  /** The probability. */
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
