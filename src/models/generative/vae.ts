/**
 * Variational auto-encoders (Kingma & Welling 2014). `vae` is PyTorch's own example (pytorch/examples vae/main.py):
 * fc1 784-400 + ReLU, fc21 / fc22 400-20 giving the mean and log-variance of the Gaussian posterior q(z|x), the
 * reparameterized sample z = mu + eps * exp(logvar / 2), fc3 20-400 + ReLU, fc4 400-784 + sigmoid giving the
 * Bernoulli means of p(x|z). `convvae` swaps the MLP for two stride-2 4x4 convs down and two transposed convs up.
 * A Gaussian decoder (`decoder: 'gaussian'`) reads the sigmoid output as the mean of a Gaussian with a learned
 * per-pixel log-variance. `beta` weights the KL term (a beta-VAE for beta > 1); the vae task reads it.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ShapeError, fmtShape } from '../../errors.js';
import { ReLU } from '../../nn/activation.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d, ConvTranspose2d } from '../../nn/conv.js';
import { Linear } from '../../nn/linear.js';
import { gaussianNllLoss } from '../../nn/loss-probabilistic.js';
import { binaryCrossEntropy } from '../../nn/loss-binary.js';
import { Module, Parameter, type Layer } from '../../nn/module.js';
import { relu, sigmoid } from '../../ops/activation.js';
import { add, exp, mul } from '../../ops/elementwise.js';
import { expand, reshape } from '../../ops/movement.js';
import { randn, zeros } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { flattenInput, numIn, oneOf, posInt, type GenerativeZooOptions } from './common.js';

/** The decoder's likelihood p(x|z). */
export type VaeDecoder = 'bernoulli' | 'gaussian';

/** Options every VAE takes. */
export interface VaeBaseOptions extends GenerativeZooOptions {
  /** Size of the latent code z (default 20). */
  latentDim?: number;
  /** 'bernoulli' (default: BCE on the sigmoid outputs) or 'gaussian' (learned per-pixel variance). */
  decoder?: VaeDecoder;
  /** Weight of the KL term in the loss (default 1; > 1 gives a beta-VAE). */
  beta?: number;
}

/** Options of the MLP VAE. */
export interface VaeOptions extends VaeBaseOptions {
  /** Width of the hidden layers (default 400). */
  hidden?: number;
}

/** Options of the generator argument of the sampling methods. */
export interface SampleOptions {
  /** The generator eps and z are drawn from (default: the global one). */
  generator?: Generator;
}

/** One VAE pass: the decoder's means (the input's shape) and the posterior's parameters [N, latentDim]. */
export interface VaeOutput {
  /** Means of p(x|z) for the sampled z, shaped as the input. */
  output: Tensor;
  /** Posterior means [N, latentDim]. */
  mu: Tensor;
  /** Posterior log-variances [N, latentDim]. */
  logvar: Tensor;
}

/**
 * What the VAEs share: reparameterization, the decoder's negative log-likelihood, sampling and reconstruction.
 * Subclasses define `encode` (x -> [mu, logvar]) and `decode` (z -> means [N, C, H, W]).
 */
export abstract class VaeBase extends Module implements Layer {
  /** Image shape [C, H, W]. */
  readonly imageShape: [number, number, number];
  /** Latent size. */
  readonly latentDim: number;
  /** The likelihood of the decoder. */
  readonly decoderKind: VaeDecoder;
  /** KL weight. */
  readonly beta: number;
  /** With the Gaussian decoder: learned log-variance per output value [C * H * W] (else null). */
  decoderLogvar: Parameter | null;

  constructor(readonly modelName: string, opts: VaeBaseOptions) {
    super();
    const c = posInt(modelName, 'inChannels', opts.inChannels, 1);
    const s = posInt(modelName, 'inputSize', opts.inputSize, 28);
    this.imageShape = [c, s, s];
    this.latentDim = posInt(modelName, 'latentDim', opts.latentDim, 20);
    this.decoderKind = oneOf(modelName, 'decoder', opts.decoder, 'bernoulli', ['bernoulli', 'gaussian'] as const);
    this.beta = numIn(modelName, 'beta', opts.beta, 1, 0, Infinity);
    this.decoderLogvar = this.decoderKind === 'gaussian' ? new Parameter(zeros([c * s * s])) : null;
  }

  /** Posterior mean and log-variance, each [N, latentDim], of x. */
  abstract encode(x: Tensor): [mu: Tensor, logvar: Tensor];
  /** Decoder means [N, C, H, W] (in (0, 1)) of codes z [N, latentDim]. */
  abstract decode(z: Tensor): Tensor;

  /** z = mu + eps * exp(logvar / 2), eps ~ N(0, I) from `generator`. */
  reparameterize(mu: Tensor, logvar: Tensor, opts: SampleOptions = {}): Tensor {
    const eps = randn(mu.shape, { dtype: mu.dtype, generator: opts.generator });
    return add(mu, mul(eps, exp(mul(logvar, 0.5))));
  }

  /** Encode, sample z (always, as PyTorch's example, also in eval mode), decode; output shaped as x. */
  forwardVae(x: Tensor, opts: SampleOptions = {}): VaeOutput {
    const [mu, logvar] = this.encode(x);
    const out = this.decode(this.reparameterize(mu, logvar, opts));
    return { output: reshape(out, x.shape), mu, logvar };
  }

  /** The decoder's means for x: z sampled in training mode, z = mu in eval mode. */
  forward(x: Tensor): Tensor {
    if (this.training) return this.forwardVae(x).output;
    return reshape(this.decode(this.encode(x)[0]), x.shape);
  }

  /**
   * The negative log-likelihood of x under p(x|z) with means `output` (x's shape), summed over every value of
   * the batch: BCE for the Bernoulli decoder, `(logvar + (x - mean)^2 / var + log 2 pi) / 2` for the Gaussian.
   */
  nll(output: Tensor, x: Tensor): Tensor {
    if (this.decoderLogvar === null) return binaryCrossEntropy(output, x, { reduction: 'sum' });
    const n = output.shape[0];
    const flat = reshape(output, [n, -1]);
    const v = expand(reshape(exp(this.decoderLogvar), [1, -1]), flat.shape);
    return gaussianNllLoss(flat, reshape(x, flat.shape), v, { reduction: 'sum', full: true });
  }

  /** The decoder means [N, C, H, W] at the posterior means of x (no sampling, no gradients). */
  reconstruct(x: Tensor): Tensor {
    return noGrad(() => reshape(this.decode(this.encode(x)[0]), x.ndim === 4 ? x.shape : [x.shape[0], ...this.imageShape]));
  }

  /** Decoder means [n, C, H, W] of n codes drawn from the prior N(0, I) with `generator` (no gradients). */
  sample(n: number, opts: SampleOptions = {}): Tensor {
    posInt(`${this.modelName}.sample`, 'n', n, 1);
    return noGrad(() => this.decode(randn([n, this.latentDim], { generator: opts.generator })));
  }

  /** Decoder means [N, C, H, W] of given codes z [N, latentDim] (no gradients), e.g. a fixed latent batch. */
  generate(z: Tensor): Tensor {
    if (z.ndim !== 2 || z.shape[1] !== this.latentDim) throw new ShapeError(`${this.modelName}.generate: z must be [N, ${this.latentDim}], got shape ${fmtShape(z.shape)}`);
    return noGrad(() => this.decode(z));
  }

  /** Sizes and options. */
  override extraRepr(): string {
    return `imageShape=[${this.imageShape.join(', ')}], latentDim=${this.latentDim}, decoder=${this.decoderKind}, beta=${this.beta}`;
  }
}

/** PyTorch's example VAE: [N, C, H, W] or [N, C*H*W] -> Bernoulli means (fc1, fc21, fc22, fc3, fc4). */
export class VAE extends VaeBase {
  /** Input to hidden. */
  fc1: Linear;
  /** Hidden to posterior mean. */
  fc21: Linear;
  /** Hidden to posterior log-variance. */
  fc22: Linear;
  /** Latent to hidden. */
  fc3: Linear;
  /** Hidden to output means. */
  fc4: Linear;
  /** Input features C*H*W. */
  readonly inFeatures: number;

  /** Builds the layers (see VaeOptions). */
  constructor(opts: VaeOptions = {}) {
    super('vae', opts);
    const h = posInt('vae', 'hidden', opts.hidden, 400);
    const d = this.imageShape[0] * this.imageShape[1] * this.imageShape[2];
    this.inFeatures = d;
    this.fc1 = new Linear(d, h);
    this.fc21 = new Linear(h, this.latentDim);
    this.fc22 = new Linear(h, this.latentDim);
    this.fc3 = new Linear(this.latentDim, h);
    this.fc4 = new Linear(h, d);
  }

  /** [mu, logvar] of x. */
  encode(x: Tensor): [Tensor, Tensor] {
    const h1 = relu(this.fc1.forward(flattenInput('vae', x, this.inFeatures)));
    return [this.fc21.forward(h1), this.fc22.forward(h1)];
  }

  /** Means [N, C, H, W] of z. */
  decode(z: Tensor): Tensor {
    if (z.ndim !== 2 || z.shape[1] !== this.latentDim) throw new ShapeError(`vae: z must be [N, ${this.latentDim}], got shape ${fmtShape(z.shape)}`);
    const out = sigmoid(this.fc4.forward(relu(this.fc3.forward(z))));
    return reshape(out, [z.shape[0], ...this.imageShape]);
  }
}

/** Options of the convolutional VAE. */
export interface ConvVaeOptions extends VaeBaseOptions {
  /** Channels of the two stride-2 conv stages (default [32, 64]). */
  channels?: readonly [number, number];
}

/**
 * A convolutional VAE: [N, C, S, S] (S = inputSize, divisible by 4) -> two 4x4 stride-2 convs + ReLU (`encoder`),
 * fc21 / fc22 to mu and logvar; fc3 back to the feature maps, two 4x4 stride-2 transposed convs (`decoder`),
 * sigmoid.
 */
export class ConvVAE extends VaeBase {
  /** The conv stages. */
  encoder: Sequential;
  /** Features to posterior mean. */
  fc21: Linear;
  /** Features to posterior log-variance. */
  fc22: Linear;
  /** Latent to features. */
  fc3: Linear;
  /** The transposed-conv stages. */
  decoder: Sequential;
  private readonly mapShape: [number, number, number];

  /** Builds the layers (see ConvVaeOptions). */
  constructor(opts: ConvVaeOptions = {}) {
    super('convvae', opts);
    const [c, s] = this.imageShape;
    if (s % 4 !== 0) throw new ShapeError(`convvae: inputSize must be divisible by 4 (two stride-2 stages), got ${s}`);
    const ch = opts.channels ?? [32, 64];
    const [c1, c2] = [posInt('convvae', 'channels[0]', ch[0], 32), posInt('convvae', 'channels[1]', ch[1], 64)];
    this.mapShape = [c2, s / 4, s / 4];
    const f = c2 * (s / 4) * (s / 4);
    this.encoder = new Sequential(new Conv2d(c, c1, 4, { stride: 2, padding: 1 }), new ReLU(), new Conv2d(c1, c2, 4, { stride: 2, padding: 1 }), new ReLU());
    this.fc21 = new Linear(f, this.latentDim);
    this.fc22 = new Linear(f, this.latentDim);
    this.fc3 = new Linear(this.latentDim, f);
    this.decoder = new Sequential(new ConvTranspose2d(c2, c1, 4, { stride: 2, padding: 1 }), new ReLU(), new ConvTranspose2d(c1, c, 4, { stride: 2, padding: 1 }));
  }

  /** [mu, logvar] of x [N, C, S, S]. */
  encode(x: Tensor): [Tensor, Tensor] {
    const [c, s] = this.imageShape;
    if (x.ndim !== 4 || x.shape[1] !== c || x.shape[2] !== s || x.shape[3] !== s) {
      throw new ShapeError(`convvae: input must be [N, ${c}, ${s}, ${s}] (the inputSize it was built for; build it with inputSize to take another size divisible by 4), got shape ${fmtShape(x.shape)}`);
    }
    const h = reshape(this.encoder.forward(x), [x.shape[0], -1]);
    return [this.fc21.forward(h), this.fc22.forward(h)];
  }

  /** Means [N, C, S, S] of z. */
  decode(z: Tensor): Tensor {
    if (z.ndim !== 2 || z.shape[1] !== this.latentDim) throw new ShapeError(`convvae: z must be [N, ${this.latentDim}], got shape ${fmtShape(z.shape)}`);
    const h = reshape(relu(this.fc3.forward(z)), [z.shape[0], ...this.mapShape]);
    return sigmoid(this.decoder.forward(h));
  }
}
