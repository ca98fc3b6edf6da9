/**
 * Activation layers: Sigmoid, Tanh, ReLU, LeakyReLU, PReLU (learnable slope), ELU, GELU, Softplus, Softmax,
 * LogSoftmax.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { elu, gelu, leakyRelu, logSoftmax, relu, sigmoid, softmax, softplus, tanh } from '../ops/activation.js';
import { prelu } from '../ops/activation-extra.js';
import { full } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module, Parameter, type Layer } from './module.js';

/** Logistic sigmoid. */
export class Sigmoid extends Module implements Layer {
  /** Applies sigmoid. */
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module implements Layer {
  /** Applies tanh. */
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** Rectified linear unit max(x, 0). */
export class ReLU extends Module implements Layer {
  /** Applies relu. */
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** Leaky ReLU with a fixed negative slope (default 0.01). */
export class LeakyReLU extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  /** Applies leaky relu. */
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  /** The slope. */
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** Parametric ReLU: a learned negative slope, one shared (default) or one per channel (dim 1), starting at 0.25. */
export class PReLU extends Module implements Layer {
  /** The learned slopes [numParameters]. */
  weight: Parameter;

  /** Creates the layer. */
  constructor(readonly numParameters = 1, opts: { init?: number; dtype?: DType } = {}) {
    super();
    if (!Number.isInteger(numParameters) || numParameters < 1) throw new ValueError(`PReLU: numParameters must be a positive integer, got ${numParameters}`);
    this.weight = new Parameter(full([numParameters], opts.init ?? 0.25, { dtype: opts.dtype }));
  }

  /** `x` for x > 0, else `weight * x`, the weight broadcast over channels (dim 1): F.prelu. */
  forward(x: Tensor): Tensor {
    if (this.numParameters > 1 && (x.ndim < 2 || x.shape[1] !== this.numParameters)) {
      throw new ShapeError(`PReLU: ${this.numParameters} parameters need input (N, ${this.numParameters}, ...), got shape ${fmtShape(x.shape)}`);
    }
    return prelu(x, this.weight);
  }

  /** The number of slopes. */
  override extraRepr(): string {
    return `numParameters=${this.numParameters}`;
  }
}

/** Exponential linear unit (default alpha 1). */
export class ELU extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly alpha = 1) {
    super();
  }

  /** Applies elu. */
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }

  /** Alpha. */
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** Gaussian error linear unit (exact, or the tanh approximation). */
export class GELU extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
  }

  /** Applies gelu. */
  forward(x: Tensor): Tensor {
    return gelu(x, { approximate: this.approximate });
  }

  /** The approximation. */
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** Softplus log(1 + e^(beta x)) / beta (defaults beta 1, threshold 20). */
export class Softplus extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly opts: { beta?: number; threshold?: number } = {}) {
    super();
  }

  /** Applies softplus. */
  forward(x: Tensor): Tensor {
    return softplus(x, this.opts);
  }

  /** Beta and threshold. */
  override extraRepr(): string {
    return `beta=${this.opts.beta ?? 1}, threshold=${this.opts.threshold ?? 20}`;
  }
}

/** Softmax along `dim`. */
export class Softmax extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) throw new ValueError(`Softmax: dim must be an integer, got ${dim}`);
  }

  /** Applies softmax. */
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }

  /** The dim. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Log-softmax along `dim`. */
export class LogSoftmax extends Module implements Layer {
  /** Creates the layer. */
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) throw new ValueError(`LogSoftmax: dim must be an integer, got ${dim}`);
  }

  /** Applies log-softmax. */
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }

  /** The dim. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
