/**
 * Fully connected auto-encoders (Hinton & Salakhutdinov 2006's stacked layout, trained end to end): `ae` maps
 * an image through Linear layers down to a code and back (784-256-64-256-784 with a sigmoid output by default);
 * `dae` corrupts its input during training (Vincent et al. 2008: additive Gaussian or masking noise) and learns
 * to restore the clean image; `sae` adds a sparsity penalty on the codes (an L1 norm, or Ng's KL divergence of
 * the mean activations from a target rho). The training task (train/tasks/reconstruction.ts) applies the noise
 * with its own generator and adds the penalty the model returns.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ValueError, assertNever } from '../../errors.js';
import { Sigmoid } from '../../nn/activation.js';
import { Sequential } from '../../nn/containers.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { abs, add, clamp, log, mul, sub } from '../../ops/elementwise.js';
import { reshape, to } from '../../ops/movement.js';
import { ge } from '../../ops/compare.js';
import { mean, sum } from '../../ops/reduce.js';
import { rand, randn } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { activationLayer, flattenInput, numIn, oneOf, posInt, type AeActivation, type GenerativeZooOptions } from './common.js';

/** Options of the MLP auto-encoders. */
export interface AutoEncoderOptions extends GenerativeZooOptions {
  /**
   * inChannels and inputSize set the input features D = C*H*W when `sizes` is left out (default 1 and 28).
   * Layer widths from the input to the output through the code, which is the middle one (default
   * [D, 256, 64, 256, D] with D = inChannels * inputSize^2, 784 for MNIST); an odd count >= 3, first = last =
   * the input's features.
   */
  sizes?: readonly number[];
  /** Nonlinearity of the hidden layers (default 'relu'). */
  activation?: AeActivation;
  /** Nonlinearity of the code layer (default 'none': a linear code, as Hinton & Salakhutdinov; sae with 'kl': 'sigmoid'). */
  codeActivation?: AeActivation | 'none';
  /** The output layer's nonlinearity (default 'sigmoid', for pixels in [0, 1] and a BCE loss). */
  outputActivation?: 'sigmoid' | 'none';
}

/** What one forward pass gives: the reconstruction (the input's shape) and the code [N, codeSize]. */
export interface AutoEncoded {
  /** The reconstruction, shaped as the input. */
  output: Tensor;
  /** The code [N, codeSize]. */
  code: Tensor;
}

function checkSizes(model: string, opts: AutoEncoderOptions): number[] {
  const v = opts.sizes;
  const d = posInt(model, 'inChannels', opts.inChannels, 1) * posInt(model, 'inputSize', opts.inputSize, 28) ** 2;
  const sizes = (v ?? [d, 256, 64, 256, d]) as number[];
  if (!Array.isArray(sizes) || sizes.length < 3 || sizes.length % 2 === 0 || sizes.some((s) => !Number.isInteger(s) || s < 1) || sizes[0] !== sizes[sizes.length - 1]) {
    throw new ValueError(`${model}: option sizes must be an odd number (>= 3) of positive integers from input to output through the middle code layer, with first = last, e.g. [784, 256, 64, 256, 784]; got ${JSON.stringify(v)}`);
  }
  if ((opts.inChannels !== undefined || opts.inputSize !== undefined) && sizes[0] !== d) {
    throw new ValueError(`${model}: option sizes starts with ${sizes[0]} features, but inChannels and inputSize give ${d}`);
  }
  return [...sizes];
}

/**
 * A stacked fully connected auto-encoder: [N, C, H, W] (or [N, features]) -> a reconstruction of the same
 * shape. `encoder` holds Linear + activation pairs down to the code, `decoder` the way back (state-dict names
 * `encoder.0.weight`, `decoder.0.weight`, ...).
 */
export class AutoEncoder extends Module implements Layer {
  /** Input (and output) features. */
  readonly inFeatures: number;
  /** Width of the code layer. */
  readonly codeSize: number;
  /** Input to code. */
  encoder: Sequential;
  /** Code to reconstruction. */
  decoder: Sequential;

  /** Builds the layers (see AutoEncoderOptions); `modelName` is used in error messages. */
  constructor(opts: AutoEncoderOptions = {}, readonly modelName = 'ae') {
    super();
    const sizes = checkSizes(modelName, opts);
    const mid = (sizes.length - 1) / 2;
    this.inFeatures = sizes[0];
    this.codeSize = sizes[mid];
    const hidden = opts.activation ?? 'relu';
    activationLayer(modelName, 'activation', hidden);
    const codeAct = oneOf(modelName, 'codeActivation', opts.codeActivation, 'none', ['none', 'relu', 'sigmoid', 'tanh'] as const);
    const outAct = oneOf(modelName, 'outputActivation', opts.outputActivation, 'sigmoid', ['sigmoid', 'none'] as const);
    const enc: Layer[] = [];
    for (let i = 0; i < mid; i++) {
      enc.push(new Linear(sizes[i], sizes[i + 1]));
      if (i < mid - 1) enc.push(activationLayer(modelName, 'activation', hidden));
      else if (codeAct !== 'none') enc.push(activationLayer(modelName, 'codeActivation', codeAct));
    }
    const dec: Layer[] = [];
    for (let i = mid; i < sizes.length - 1; i++) {
      dec.push(new Linear(sizes[i], sizes[i + 1]));
      if (i < sizes.length - 2) dec.push(activationLayer(modelName, 'activation', hidden));
      else if (outAct === 'sigmoid') dec.push(new Sigmoid());
    }
    this.encoder = new Sequential(...enc);
    this.decoder = new Sequential(...dec);
  }

  /** The code [N, codeSize] of x [N, C, H, W] or [N, features]. */
  encode(x: Tensor): Tensor {
    return this.encoder.forward(flattenInput(this.modelName, x, this.inFeatures));
  }

  /** The decoded output [N, features] of codes z [N, codeSize]. */
  decode(z: Tensor): Tensor {
    return this.decoder.forward(z);
  }

  /** Reconstruction (shaped as x) and code in one pass. */
  forwardWithCode(x: Tensor): AutoEncoded {
    const code = this.encode(x);
    const out = this.decode(code);
    return { output: x.ndim === 2 ? out : reshape(out, x.shape), code };
  }

  /** The reconstruction of x, shaped as x. */
  forward(x: Tensor): Tensor {
    return this.forwardWithCode(x).output;
  }

  /** The reconstruction of x without gradients and without training noise (what the pictures show). */
  reconstruct(x: Tensor): Tensor {
    return noGrad(() => this.forward(x));
  }

  /** Sizes and code width. */
  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, codeSize=${this.codeSize}`;
  }
}

/** The corruption of a denoising auto-encoder. */
export type NoiseKind = 'gaussian' | 'masking';

/** Options of the denoising auto-encoder. */
export interface DenoisingOptions extends AutoEncoderOptions {
  /** 'gaussian' (default): x + std * N(0, 1); 'masking': each input value set to 0 with probability maskProb. */
  noise?: NoiseKind;
  /** Standard deviation of the Gaussian noise (default 0.3). */
  noiseStd?: number;
  /** Probability that masking noise zeroes an input value (default 0.25, Vincent et al.'s 25%). */
  maskProb?: number;
}

/**
 * Options for corrupting a batch (what the reconstruction task passes): the generator the noise is drawn from.
 */
export interface CorruptOptions {
  /** The generator the noise is drawn from (the task's, so runs and resumes are reproducible). */
  generator?: Generator;
}

/**
 * A denoising auto-encoder: an AutoEncoder whose training inputs are corrupted by `corrupt` (called by the
 * reconstruction task in training only); `forward`, `encode` and `reconstruct` never add noise.
 */
export class DenoisingAutoEncoder extends AutoEncoder {
  /** The corruption. */
  readonly noise: NoiseKind;
  /** Gaussian noise standard deviation. */
  readonly noiseStd: number;
  /** Masking probability. */
  readonly maskProb: number;

  /** Builds the layers and checks the noise options. */
  constructor(opts: DenoisingOptions = {}) {
    super(opts, 'dae');
    this.noise = oneOf('dae', 'noise', opts.noise, 'gaussian', ['gaussian', 'masking'] as const);
    this.noiseStd = numIn('dae', 'noiseStd', opts.noiseStd, 0.3, 0, Infinity);
    this.maskProb = numIn('dae', 'maskProb', opts.maskProb, 0.25, 0, 1);
    if (this.maskProb === 1) throw new ValueError('dae: option maskProb must be below 1 (1 would erase every input), got 1');
  }

  /** x with training noise: Gaussian (x + std * eps) or masking (x * keep, keep ~ Bernoulli(1 - maskProb)). */
  corrupt(x: Tensor, opts: CorruptOptions = {}): Tensor {
    const k = this.noise;
    switch (k) {
      case 'gaussian':
        return this.noiseStd === 0 ? x : add(x, mul(randn(x.shape, { dtype: x.dtype, generator: opts.generator }), this.noiseStd));
      case 'masking': {
        if (this.maskProb === 0) return x;
        const keep = ge(rand(x.shape, { dtype: x.dtype, generator: opts.generator }), this.maskProb);
        return mul(x, to(keep, x.dtype));
      }
      default: return assertNever(k, 'dae noise');
    }
  }

  /** Sizes and noise. */
  override extraRepr(): string {
    return `${super.extraRepr()}, noise=${this.noise}, ${this.noise === 'gaussian' ? `noiseStd=${this.noiseStd}` : `maskProb=${this.maskProb}`}`;
  }
}

/** The sparsity penalty of a sparse auto-encoder. */
export type SparsityPenalty = 'l1' | 'kl';

/** Options of the sparse auto-encoder. */
export interface SparseOptions extends AutoEncoderOptions {
  /** 'kl' (default): beta * sum_j KL(rho || mean activation of unit j), codes squashed by a sigmoid; 'l1': l1Weight * mean |code| sum. */
  penalty?: SparsityPenalty;
  /** Weight of the L1 penalty, per image (default 1e-3). */
  l1Weight?: number;
  /** Target mean activation of the code units for 'kl' (default 0.05). */
  rho?: number;
  /** Weight of the KL penalty (default 3, as Ng's sparse auto-encoder notes). */
  beta?: number;
}

/**
 * A sparse auto-encoder: an AutoEncoder whose `penalty(code)` the reconstruction task adds to the loss. With
 * 'kl' the code layer is a sigmoid (activations in (0, 1)); with 'l1' a ReLU unless codeActivation says otherwise.
 */
export class SparseAutoEncoder extends AutoEncoder {
  /** The penalty kind. */
  readonly penaltyKind: SparsityPenalty;
  /** L1 weight. */
  readonly l1Weight: number;
  /** KL target activation. */
  readonly rho: number;
  /** KL weight. */
  readonly beta: number;

  /** Builds the layers and checks the sparsity options. */
  constructor(opts: SparseOptions = {}) {
    const kind = oneOf('sae', 'penalty', opts.penalty, 'kl', ['kl', 'l1'] as const);
    if (kind === 'kl' && opts.codeActivation !== undefined && opts.codeActivation !== 'sigmoid') {
      throw new ValueError(`sae: the 'kl' penalty needs code activations in (0, 1), so codeActivation must be 'sigmoid' (or left out), got '${String(opts.codeActivation)}'`);
    }
    super({ ...opts, codeActivation: opts.codeActivation ?? (kind === 'kl' ? 'sigmoid' : 'relu') }, 'sae');
    this.penaltyKind = kind;
    this.l1Weight = numIn('sae', 'l1Weight', opts.l1Weight, 1e-3, 0, Infinity);
    this.rho = numIn('sae', 'rho', opts.rho, 0.05, 0, 1, true);
    this.beta = numIn('sae', 'beta', opts.beta, 3, 0, Infinity);
  }

  /**
   * The sparsity penalty (a scalar) of a batch of codes [N, codeSize]: `l1Weight * sum|code| / N`, or
   * `beta * sum_j (rho log(rho / q_j) + (1 - rho) log((1 - rho) / (1 - q_j)))` with q_j the batch mean of unit j.
   */
  penalty(code: Tensor): Tensor {
    const k = this.penaltyKind;
    switch (k) {
      case 'l1': return mul(sum(abs(code)), this.l1Weight / Math.max(1, code.shape[0]));
      case 'kl': {
        // the clamp keeps log finite for a unit that is saturated over the whole batch
        const q = clamp(mean(code, 0), 1e-6, 1 - 1e-6);
        const r = this.rho;
        const kl = add(mul(log(mul(q, 1 / r)), -r), mul(log(mul(sub(1, q), 1 / (1 - r))), -(1 - r)));
        return mul(sum(kl), this.beta);
      }
      default: return assertNever(k, 'sae penalty');
    }
  }

  /** Sizes and penalty. */
  override extraRepr(): string {
    return `${super.extraRepr()}, penalty=${this.penaltyKind}, ${this.penaltyKind === 'l1' ? `l1Weight=${this.l1Weight}` : `rho=${this.rho}, beta=${this.beta}`}`;
  }
}
