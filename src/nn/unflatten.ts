/**
 * The Unflatten layer (Flatten's inverse), as torch.nn.Unflatten.
 * @module
 */
import { unflatten } from '../ops/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module, type Layer } from './module.js';

/** Splits dim `dim` of its input into `sizes` (one may be -1): [N, 12] -> [N, 3, 4] for dim 1, sizes [3, 4]. */
export class Unflatten extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly dim: number, readonly sizes: readonly number[]) {
    super();
  }

  /** Unflattens. */
  forward(x: Tensor): Tensor {
    return unflatten(x, this.dim, this.sizes);
  }

  /** The dim and sizes. */
  override extraRepr(): string {
    return `dim=${this.dim}, unflattenedSize=[${this.sizes.join(', ')}]`;
  }
}
