/**
 * More activation layers, with torch.nn's names and defaults: Hardtanh, ReLU6, SiLU, Mish, SELU, CELU,
 * Softsign, Hardsigmoid, Hardswish, LogSigmoid, Softmin, GLU, Threshold, Tanhshrink, Softshrink, Hardshrink and
 * RReLU (random slopes in training mode, the mean slope in eval mode). Each wraps its function in
 * src/ops/activation-extra.ts; constructors check their arguments.
 * @module
 */
import { ValueError } from '../errors.js';
import {
  celu, glu, hardshrink, hardsigmoid, hardswish, hardtanh, logsigmoid, mish, relu6, rrelu, selu, silu, softmin, softshrink,
  softsign, tanhshrink, threshold,
} from '../ops/activation-extra.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module, type Layer } from './module.js';

function num(layer: string, v: unknown, arg: string): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new ValueError(`${layer}: ${arg} must be a number, got ${String(v)}`);
  return v;
}

function intDim(layer: string, dim: unknown): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim)) throw new ValueError(`${layer}: dim must be an integer, got ${String(dim)}`);
  return dim;
}

/** A layer applying a parameter-free function. */
abstract class Elementwise extends Module implements Layer {
  abstract forward(x: Tensor): Tensor;
}

/** Clamps to [minVal, maxVal] (defaults -1, 1) with zero gradient at and beyond the bounds. */
export class Hardtanh extends Elementwise {
  /** Creates the layer; minVal must not exceed maxVal. */
  constructor(readonly minVal = -1, readonly maxVal = 1) {
    super();
    num('Hardtanh', minVal, 'minVal');
    num('Hardtanh', maxVal, 'maxVal');
    if (minVal > maxVal) throw new ValueError(`Hardtanh: minVal must be <= maxVal, got minVal ${minVal} and maxVal ${maxVal}`);
  }

  /** Applies hardtanh. */
  forward(x: Tensor): Tensor {
    return hardtanh(x, { minVal: this.minVal, maxVal: this.maxVal });
  }

  /** The bounds. */
  override extraRepr(): string {
    return `minVal=${this.minVal}, maxVal=${this.maxVal}`;
  }
}

/** `min(max(x, 0), 6)`. */
export class ReLU6 extends Elementwise {
  /** Applies relu6. */
  forward(x: Tensor): Tensor {
    return relu6(x);
  }
}

/** `x * sigmoid(x)` (swish). */
export class SiLU extends Elementwise {
  /** Applies silu. */
  forward(x: Tensor): Tensor {
    return silu(x);
  }
}

/** `x * tanh(softplus(x))`. */
export class Mish extends Elementwise {
  /** Applies mish. */
  forward(x: Tensor): Tensor {
    return mish(x);
  }
}

/** The self-normalizing `scale * elu(x, alpha)` with Klambauer et al.'s constants. */
export class SELU extends Elementwise {
  /** Applies selu. */
  forward(x: Tensor): Tensor {
    return selu(x);
  }
}

/** `x` for x > 0, else `alpha * (exp(x / alpha) - 1)` (default alpha 1, nonzero). */
export class CELU extends Elementwise {
  /** Creates the layer. */
  constructor(readonly alpha = 1) {
    super();
    if (num('CELU', alpha, 'alpha') === 0) throw new ValueError('CELU: alpha must be nonzero, got 0');
  }

  /** Applies celu. */
  forward(x: Tensor): Tensor {
    return celu(x, { alpha: this.alpha });
  }

  /** Alpha. */
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** `x / (1 + |x|)`. */
export class Softsign extends Elementwise {
  /** Applies softsign. */
  forward(x: Tensor): Tensor {
    return softsign(x);
  }
}

/** The piecewise-linear sigmoid `clamp(x / 6 + 1/2, 0, 1)`. */
export class Hardsigmoid extends Elementwise {
  /** Applies hardsigmoid. */
  forward(x: Tensor): Tensor {
    return hardsigmoid(x);
  }
}

/** `x * hardsigmoid(x)`. */
export class Hardswish extends Elementwise {
  /** Applies hardswish. */
  forward(x: Tensor): Tensor {
    return hardswish(x);
  }
}

/** `log(sigmoid(x))`, finite for any x. */
export class LogSigmoid extends Elementwise {
  /** Applies logsigmoid. */
  forward(x: Tensor): Tensor {
    return logsigmoid(x);
  }
}

/** `softmax(-x)` along `dim`. */
export class Softmin extends Elementwise {
  /** Creates the layer. */
  constructor(readonly dim: number) {
    super();
    intDim('Softmin', dim);
  }

  /** Applies softmin. */
  forward(x: Tensor): Tensor {
    return softmin(x, this.dim);
  }

  /** The dim. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** The gated linear unit: halves a, b of `dim` (default -1) give `a * sigmoid(b)`. */
export class GLU extends Elementwise {
  /** Creates the layer. */
  constructor(readonly dim = -1) {
    super();
    intDim('GLU', dim);
  }

  /** Applies glu. */
  forward(x: Tensor): Tensor {
    return glu(x, this.dim);
  }

  /** The dim. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** `x` where x > threshold, else `value`. */
export class Threshold extends Elementwise {
  /** Creates the layer (both arguments required, as torch.nn.Threshold). */
  constructor(readonly threshold: number, readonly value: number) {
    super();
    num('Threshold', threshold, 'threshold');
    num('Threshold', value, 'value');
  }

  /** Applies threshold. */
  forward(x: Tensor): Tensor {
    return threshold(x, this.threshold, this.value);
  }

  /** Threshold and value. */
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}`;
  }
}

/** `x - tanh(x)`. */
export class Tanhshrink extends Elementwise {
  /** Applies tanhshrink. */
  forward(x: Tensor): Tensor {
    return tanhshrink(x);
  }
}

/** Soft shrinkage toward 0 by `lambd` (default 0.5, >= 0). */
export class Softshrink extends Elementwise {
  /** Creates the layer. */
  constructor(readonly lambd = 0.5) {
    super();
    if (num('Softshrink', lambd, 'lambd') < 0) throw new ValueError(`Softshrink: lambd must be >= 0, got ${lambd}`);
  }

  /** Applies softshrink. */
  forward(x: Tensor): Tensor {
    return softshrink(x, { lambd: this.lambd });
  }

  /** Lambda. */
  override extraRepr(): string {
    return `lambd=${this.lambd}`;
  }
}

/** `x` where |x| > lambd (default 0.5), else 0. */
export class Hardshrink extends Elementwise {
  /** Creates the layer. */
  constructor(readonly lambd = 0.5) {
    super();
    num('Hardshrink', lambd, 'lambd');
  }

  /** Applies hardshrink. */
  forward(x: Tensor): Tensor {
    return hardshrink(x, { lambd: this.lambd });
  }

  /** Lambda. */
  override extraRepr(): string {
    return `lambd=${this.lambd}`;
  }
}

/**
 * Randomized leaky ReLU: in training mode each negative element gets a slope drawn from U(lower, upper)
 * (defaults 1/8, 1/3) by the seeded generator (or `opts.generator`); in eval mode the slope is their mean.
 */
export class RReLU extends Elementwise {
  /** Creates the layer; lower must not exceed upper. */
  constructor(readonly lower = 1 / 8, readonly upper = 1 / 3, readonly opts: { generator?: Generator } = {}) {
    super();
    num('RReLU', lower, 'lower');
    num('RReLU', upper, 'upper');
    if (lower > upper) throw new ValueError(`RReLU: lower must be <= upper, got lower ${lower} and upper ${upper}`);
  }

  /** Applies rrelu, random in training mode. */
  forward(x: Tensor): Tensor {
    return rrelu(x, { lower: this.lower, upper: this.upper, training: this.training, generator: this.opts.generator });
  }

  /** The bounds. */
  override extraRepr(): string {
    return `lower=${this.lower}, upper=${this.upper}`;
  }
}
