/**
 * Linear, Identity and Flatten layers.
 * @module
 */
import { ValueError } from '../errors.js';
import { flatten } from '../ops/movement.js';
import { zeros } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { linear } from './functional.js';
import { kaimingUniform_, uniform_ } from './init.js';
import { Module, Parameter, type Layer } from './module.js';

/** Checks a positive integer size argument of a layer. */
export function checkSize(layer: string, v: unknown, arg: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`${layer}: ${arg} must be a positive integer, got ${JSON.stringify(v) ?? String(v)}`);
  return v;
}

/**
 * y = x W^T + b for x [..., inFeatures]. Weight [out, in] and bias [out] start as PyTorch's (U(+-1/sqrt(in))).
 *
 * @example
 * ```ts
 * const fc = new nn.Linear(784, 10);
 * const logits = fc.forward(x.flatten(1)); // x [64, 1, 28, 28] -> logits [64, 10]
 * ```
 */
export class Linear extends Module implements Layer {
  /** Learned weight [outFeatures, inFeatures]. */
  weight: Parameter;
  /** Learned bias [outFeatures], or null when created with `bias: false`. */
  bias: Parameter | null;

  /** Creates the layer. */
  constructor(readonly inFeatures: number, readonly outFeatures: number, opts: { bias?: boolean; dtype?: DType } = {}) {
    super();
    checkSize('Linear', inFeatures, 'inFeatures');
    checkSize('Linear', outFeatures, 'outFeatures');
    this.weight = new Parameter(zeros([outFeatures, inFeatures], { dtype: opts.dtype }));
    this.bias = opts.bias === false ? null : new Parameter(zeros([outFeatures], { dtype: opts.dtype }));
    this.resetParameters();
  }

  /** Re-draws the parameters with PyTorch's default initialization. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) uniform_(this.bias, -1 / Math.sqrt(this.inFeatures), 1 / Math.sqrt(this.inFeatures));
  }

  /** Applies the affine map. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  /** `in_features=…, out_features=…, bias=…`. */
  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/** Returns its input unchanged (stands in for a layer that is switched off, as nn.Identity). */
export class Identity extends Module implements Layer {
  /** Returns x. */
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** Flattens dims startDim..endDim (default 1..-1, keeping the batch dim). */
export class Flatten extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }

  /** Flattens. */
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  /** The dims. */
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}
