/**
 * Generative adversarial networks for small images (28x28 MNIST by default): a DCGAN-style generator
 * (transposed convolutions, batch norm, ReLU, tanh output) and discriminator (strided convolutions, LeakyReLU
 * 0.2), or an MLP pair, held by one container module `GAN` so that checkpoints keep both networks under
 * `generator.*` and `discriminator.*`. The conditional variant (CGAN, cgan.ts) passes `cond` to the same networks.
 * Images are in [-1, 1] (the tanh range): train on pixels normalized as `x * 2 - 1`.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { BatchNorm1d, BatchNorm2d } from '../../nn/normalization.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d, ConvTranspose2d } from '../../nn/conv.js';
import { Embedding } from '../../nn/embedding.js';
import { Flatten, Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { LeakyReLU, ReLU, Tanh } from '../../nn/activation.js';
import { Unflatten } from '../../nn/unflatten.js';
import { normal_, xavierUniform_, zeros_ } from '../../nn/init.js';
import { add, mul } from '../../ops/elementwise.js';
import { cat, flatten, reshape } from '../../ops/movement.js';
import { sum } from '../../ops/reduce.js';
import { randn } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { positiveInt } from '../vision/common.js';

/** The two network families: DCGAN-style convolutions, or multi-layer perceptrons. */
export type GanArch = 'dcgan' | 'mlp';

/** Options of GAN (and, with the conditioning ones, CGAN). */
export interface GanOptions {
  /** Size of the latent vector z (default 100). */
  latentDim?: number;
  /** 'dcgan' (default) or 'mlp'. */
  arch?: GanArch;
  /** dcgan: channels of the widest-resolution layer (default 64; the 7x7 layer has twice that); mlp: first hidden width (default 256; the second is twice that). */
  width?: number;
  /** Image channels (default 1). */
  inChannels?: number;
  /** Image height and width (default 28; a multiple of 4 for dcgan). */
  inputSize?: number;
  /** Classes of the data: what a CGAN conditions on (default 10); an unconditional GAN ignores it. */
  numClasses?: number;
}

/** How the discriminator of a CGAN sees the label: concatenated to its input, or by a projection (Miyato & Koyama 2018). */
export type Conditioning = 'concat' | 'projection';

/** The conditional part of a GAN's networks (absent for an unconditional GAN). */
export interface GanCondition {
  /** Number of classes. */
  numClasses: number;
  /** Size of the generator's label embedding, concatenated to z. */
  embedDim: number;
  /** How the discriminator uses the label. */
  conditioning: Conditioning;
}

/** Checked options with defaults. */
export interface GanConfig {
  /** Size of the latent vector z. */
  latentDim: number;
  /** 'dcgan' (transposed convolutions) or 'mlp'. */
  arch: GanArch;
  /** Base width (channels of the DCGAN's last hidden layer, or MLP units). */
  width: number;
  /** Image channels. */
  channels: number;
  /** Image height and width. */
  imageSize: number;
}

/** Reads and checks GanOptions (`model` names the caller in errors). */
export function ganConfig(model: string, opts: GanOptions = {}): GanConfig {
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${model}: options must be an object, got ${String(opts)}`);
  const arch = opts.arch ?? 'dcgan';
  if (arch !== 'dcgan' && arch !== 'mlp') throw new ValueError(`${model}: option arch must be 'dcgan' or 'mlp', got '${String(arch)}'`);
  const cfg = {
    latentDim: positiveInt(model, 'latentDim', opts.latentDim, 100),
    arch,
    width: positiveInt(model, 'width', opts.width, arch === 'dcgan' ? 64 : 256),
    channels: positiveInt(model, 'inChannels', opts.inChannels, 1),
    imageSize: positiveInt(model, 'inputSize', opts.inputSize, 28),
  };
  if (arch === 'dcgan' && cfg.imageSize % 4 !== 0) {
    throw new ValueError(`${model}: option inputSize must be a multiple of 4 for arch 'dcgan' (two stride-2 layers), got ${cfg.imageSize}; 28 and 32 work`);
  }
  return cfg;
}

/** DCGAN's initialization (Radford et al. 2016, PyTorch's example): conv weights N(0, 0.02), batch-norm scales N(1, 0.02), biases 0. */
function dcganInit(m: Module): void {
  noGrad(() => {
    for (const mod of m.modules()) {
      if (mod instanceof Conv2d || mod instanceof ConvTranspose2d) normal_(mod.weight, 0, 0.02);
      else if (mod instanceof BatchNorm2d || mod instanceof BatchNorm1d) {
        if (mod.weight) normal_(mod.weight, 1, 0.02);
        if (mod.bias) zeros_(mod.bias);
      }
    }
  });
}

/**
 * The generator: z [N, latentDim] (with a CGAN, plus labels [N]) to images [N, channels, imageSize, imageSize] in
 * [-1, 1]. dcgan: z as a 1x1 map, ConvTranspose2d to (imageSize/4)^2 at 2*width channels, then two stride-2
 * ConvTranspose2d (4x4) up to imageSize, batch norm and ReLU between, tanh at the end.
 */
export class GanGenerator extends Module {
  /** Label embedding [numClasses, embedDim] (CGAN only), concatenated to z. */
  declare embed: Embedding | null;
  /** The network from [N, latentDim (+ embedDim)] to images. */
  declare net: Sequential;

  /** Builds the generator for `cfg`, conditional when `cond` is given. */
  constructor(readonly cfg: GanConfig, readonly cond: GanCondition | null = null) {
    super();
    this.embed = cond ? new Embedding(cond.numClasses, cond.embedDim) : null;
    const zin = cfg.latentDim + (cond ? cond.embedDim : 0);
    const { width: w, channels: c, imageSize: s } = cfg;
    if (cfg.arch === 'dcgan') {
      const s4 = s / 4;
      this.net = new Sequential(
        new Unflatten(1, [zin, 1, 1]),
        new ConvTranspose2d(zin, 2 * w, s4, { bias: false }), new BatchNorm2d(2 * w), new ReLU(),
        new ConvTranspose2d(2 * w, w, 4, { stride: 2, padding: 1, bias: false }), new BatchNorm2d(w), new ReLU(),
        new ConvTranspose2d(w, c, 4, { stride: 2, padding: 1, bias: false }), new Tanh(),
      );
      dcganInit(this.net);
    } else {
      this.net = new Sequential(
        new Linear(zin, w), new BatchNorm1d(w), new ReLU(),
        new Linear(w, 2 * w), new BatchNorm1d(2 * w), new ReLU(),
        new Linear(2 * w, c * s * s), new Tanh(),
        new Unflatten(1, [c, s, s]),
      );
    }
  }

  /** Images [N, C, H, W] from latents z [N, latentDim] (and class indices [N] for a conditional generator). */
  forward(z: Tensor, labels?: Tensor): Tensor {
    const h = this.embed && labels ? cat([z, this.embed.forward(labels)], 1) : z;
    return this.net.forward(h);
  }
}

/**
 * The discriminator: images [N, channels, imageSize, imageSize] (with a CGAN, plus labels [N]) to logits [N]
 * (real > 0). dcgan: two stride-2 4x4 convolutions (width, 2*width channels; LeakyReLU 0.2, batch norm on the
 * second), flattened, one Linear to the logit (the DCGAN example's final full-size convolution). CGAN 'concat'
 * adds the label as an extra input channel (an embedding the size of the image; mlp: of numClasses values
 * concatenated to the flattened image); 'projection' adds `<embed(y), features>` to the logit, the embedding
 * initialized Glorot-uniform.
 */
export class GanDiscriminator extends Module {
  /** Label embedding (CGAN only): an image-sized map or vector ('concat') or a feature-sized vector ('projection'). */
  declare embed: Embedding | null;
  /** Images (with the label channel for 'concat') to features [N, F]. */
  declare features: Sequential;
  /** Features to the logit. */
  declare out: Linear;

  /** Builds the discriminator for `cfg`, conditional when `cond` is given. */
  constructor(readonly cfg: GanConfig, readonly cond: GanCondition | null = null) {
    super();
    const { width: w, channels: c, imageSize: s, arch } = cfg;
    const concat = cond?.conditioning === 'concat';
    const featureSize = arch === 'dcgan' ? 2 * w * (s / 4) * (s / 4) : w;
    this.embed = !cond ? null : new Embedding(cond.numClasses, concat ? (arch === 'dcgan' ? s * s : cond.numClasses) : featureSize);
    if (arch === 'dcgan') {
      this.features = new Sequential(
        new Conv2d(c + (concat ? 1 : 0), w, 4, { stride: 2, padding: 1, bias: false }), new LeakyReLU(0.2),
        new Conv2d(w, 2 * w, 4, { stride: 2, padding: 1, bias: false }), new BatchNorm2d(2 * w), new LeakyReLU(0.2),
        new Flatten(),
      );
      dcganInit(this.features);
    } else {
      this.features = new Sequential(
        new Linear(c * s * s + (concat ? cond!.numClasses : 0), 2 * w), new LeakyReLU(0.2),
        new Linear(2 * w, w), new LeakyReLU(0.2),
      );
    }
    this.out = new Linear(featureSize, 1);
    // the projection vectors start Glorot-uniform as in the projection discriminator's reference code
    // (pfnet-research/sngan_projection): with Embedding's N(0, 1) the term <embed(y), features> starts as large as
    // the whole logit's scale, and Adam's steps of about lr per update hardly move unit-scale vectors
    if (cond && !concat) noGrad(() => xavierUniform_(this.embed!.weight));
  }

  /** Logits [N] for images x [N, C, H, W] (and class indices [N] for a conditional discriminator). */
  forward(x: Tensor, labels?: Tensor): Tensor {
    const n = x.shape[0];
    let h = x;
    const withLabels = this.embed !== null && labels !== undefined;
    if (withLabels && this.cond!.conditioning === 'concat') {
      const e = this.embed!.forward(labels);
      h = this.cfg.arch === 'dcgan'
        ? cat([x, reshape(e, [n, 1, this.cfg.imageSize, this.cfg.imageSize])], 1)
        : cat([flatten(x, 1), e], 1);
    } else if (this.cfg.arch === 'mlp') {
      h = flatten(x, 1);
    }
    const f = this.features.forward(h);
    let logit = this.out.forward(f);
    if (withLabels && this.cond!.conditioning === 'projection') {
      logit = add(logit, sum(mul(this.embed!.forward(labels), f), 1, true));
    }
    return reshape(logit, [n]);
  }
}

/** Options of `sample`. */
export interface SampleOptions {
  /** The generator the latents are drawn from (default: the global one). */
  generator?: Generator;
  /** CGAN: the class of each sample — a tensor or array of n class indices, or one index for all (default i mod numClasses). */
  labels?: Tensor | readonly number[] | number;
}

/**
 * An unconditional GAN: `generator` (z [N, latentDim] to images [N, C, H, W] in [-1, 1]) and `discriminator`
 * (images to logits [N]) in one module, so its state dict holds `generator.*` and `discriminator.*`.
 * `forward(z)` is the generator. Train it with the 'gan' task (src/train/tasks/gan.ts).
 */
export class GAN extends Module implements Layer {
  /** The model's name in errors. */
  protected readonly label: string = 'GAN';
  /** Size of the latent vector. */
  readonly latentDim: number;
  /** Number of classes a conditional GAN is conditioned on (0: unconditional). */
  readonly numClasses: number = 0;
  /** The checked options. */
  readonly config: GanConfig;
  /** The generator network. */
  declare generator: GanGenerator;
  /** The discriminator network. */
  declare discriminator: GanDiscriminator;

  /** Builds both networks (see GanOptions); `cond` makes them conditional (CGAN passes it). */
  constructor(opts: GanOptions = {}, cond: GanCondition | null = null, model = 'GAN') {
    super();
    this.config = ganConfig(model, opts);
    this.latentDim = this.config.latentDim;
    this.generator = new GanGenerator(this.config, cond);
    this.discriminator = new GanDiscriminator(this.config, cond);
  }

  /** Images [N, C, H, W] from latents z [N, latentDim] (the generator's forward). */
  forward(z: Tensor, labels?: Tensor): Tensor {
    return this.generate(z, labels);
  }

  /** Checked labels [N] for a batch of N (refused for an unconditional GAN). */
  protected checkLabels(op: string, labels: Tensor | undefined, n: number): Tensor | undefined {
    if (labels !== undefined) throw new ValueError(`${op}: an unconditional GAN takes no labels (use a CGAN to condition on classes)`);
    return undefined;
  }

  /** The generator's images [N, C, H, W] in [-1, 1] for latents z [N, latentDim]. */
  generate(z: Tensor, labels?: Tensor): Tensor {
    const op = `${this.label}.generate`;
    if (!(z instanceof Tensor)) throw new ValueError(`${op}: z must be a Tensor [N, ${this.latentDim}], got ${z === null ? 'null' : typeof z}`);
    if (z.ndim !== 2 || z.shape[1] !== this.latentDim || z.shape[0] < 1) {
      throw new ShapeError(`${op}: z must be [N, ${this.latentDim}] (N >= 1, the model's latentDim ${this.latentDim}), got shape ${fmtShape(z.shape)}`);
    }
    return this.generator.forward(z, this.checkLabels(op, labels, z.shape[0]));
  }

  /** The discriminator's logits [N] (real > 0) for images [N, C, H, W] in [-1, 1]. */
  discriminate(x: Tensor, labels?: Tensor): Tensor {
    const op = `${this.label}.discriminate`;
    const { channels: c, imageSize: s } = this.config;
    if (!(x instanceof Tensor)) throw new ValueError(`${op}: images must be a Tensor [N, ${c}, ${s}, ${s}], got ${x === null ? 'null' : typeof x}`);
    if (x.ndim !== 4 || x.shape[1] !== c || x.shape[2] !== s || x.shape[3] !== s || x.shape[0] < 1) {
      throw new ShapeError(`${op}: images must be [N, ${c}, ${s}, ${s}], got shape ${fmtShape(x.shape)}`);
    }
    return this.discriminator.forward(x, this.checkLabels(op, labels, x.shape[0]));
  }

  /** Labels for `sample` (none for an unconditional GAN). */
  protected sampleLabels(op: string, n: number, labels: SampleOptions['labels']): Tensor | undefined {
    if (labels !== undefined) throw new ValueError(`${op}: an unconditional GAN takes no labels (use a CGAN to condition on classes)`);
    return undefined;
  }

  /**
   * `n` images [n, C, H, W] in [-1, 1] from latents drawn from N(0, 1) with `opts.generator`, without gradients and
   * in eval mode (batch norm uses its running statistics; the module's mode is restored).
   */
  sample(n: number, opts: SampleOptions = {}): Tensor {
    const op = `${this.label}.sample`;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ValueError(`${op}: n must be a positive integer, got ${String(n)}`);
    if (opts === null || typeof opts !== 'object') throw new ValueError(`${op}: options must be an object, got ${String(opts)}`);
    const labels = this.sampleLabels(op, n, opts.labels);
    const dtype = this.generator.parameters()[0]?.dtype ?? 'float32';
    const z = randn([n, this.latentDim], { generator: opts.generator, dtype });
    const wasTraining = this.training;
    this.eval();
    try {
      return noGrad(() => this.generate(z, labels));
    } finally {
      this.train(wasTraining);
    }
  }
}

/** Builds an unconditional GAN (zoo name 'gan'). */
export function gan(opts: GanOptions = {}): GAN {
  return new GAN(opts);
}
