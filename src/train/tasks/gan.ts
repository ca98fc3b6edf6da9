/**
 * The GAN task (and, for a model with classes, the CGAN task): per batch one discriminator step on real images
 * and generated ones, then one generator step, each with its own optimizer ('discriminator', 'generator'; Adam
 * lr 2e-4, betas [0.5, 0.999] as DCGAN). Latents come from the task's own seeded Generator, whose state
 * checkpoints keep, so a resumed run is bit-identical to an uninterrupted one. Pictures each epoch: a sample grid
 * from a fixed latent batch (for a CGAN one row per class) and both loss curves.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../errors.js';
import { ganDiscriminatorLoss, ganGeneratorLoss, type GanLossKind } from '../../nn/loss-gan.js';
import type { Module } from '../../nn/module.js';
import { sigmoid } from '../../ops/activation.js';
import { detach } from '../../ops/movement.js';
import { mean } from '../../ops/reduce.js';
import { Adam } from '../../optim/adam.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { randn, tensor } from '../../tensor/creation.js';
import { Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { describe } from '../labels.js';
import { imageGridRaster, lineChartRaster } from '../raster.js';
import { TaskBase, type StepContext, type StepResult, type TaskPicture } from '../task.js';
import type { EpochLogs } from '../types.js';
import { splitBatch } from './supervised.js';

/** What the GAN task needs of a model (models/generative's GAN and CGAN implement it). */
export interface GanModel extends Module {
  /** Size of the latent vector z. */
  readonly latentDim: number;
  /** Number of classes of a conditional GAN; 0 for an unconditional one. */
  readonly numClasses: number;
  /** The generator network (the 'generator' optimizer's parameters). */
  readonly generator: Module;
  /** The discriminator network (the 'discriminator' optimizer's parameters). */
  readonly discriminator: Module;
  /** Images [N, C, H, W] in [-1, 1] from z [N, latentDim] (and int32 labels [N] for a CGAN). */
  generate(z: Tensor, labels?: Tensor): Tensor;
  /** Logits [N] (real > 0) for images [N, C, H, W] (and labels [N] for a CGAN). */
  discriminate(x: Tensor, labels?: Tensor): Tensor;
}

/** Options of GanTask. */
export interface GanTaskOptions {
  /** Learning rate of both default Adam optimizers (default 2e-4). */
  lr?: number;
  /** Adam's betas of both default optimizers (default [0.5, 0.999]). */
  betas?: [number, number];
  /** The generator's optimizer (default Adam over `model.generator`'s parameters). */
  generatorOptimizer?: Optimizer;
  /** The discriminator's optimizer (default Adam over `model.discriminator`'s parameters). */
  discriminatorOptimizer?: Optimizer;
  /** The adversarial loss (default 'nonSaturating'; see `F.ganGeneratorLoss`). */
  loss?: GanLossKind;
  /** Seed of the task's latent Generator (default 0). */
  seed?: number;
  /** Size of the fixed latent batch drawn for the sample grid (default 64; for a CGAN, samples per class, default 8). */
  fixedSamples?: number;
}

/**
 * Trains a GanModel on batches `[images, labels]` (or `[images]` / an images tensor for an unconditional GAN):
 * images [N, C, H, W] float, normalized to [-1, 1] like the generator's tanh output (MNIST pixels p in [0, 1] as
 * `2 p - 1`, i.e. Normalize mean 0.5, std 0.5); labels int32 [N] (a CGAN's fake samples get the batch's labels).
 * Logs (per-epoch averages): `d_loss`, `g_loss`, `d_real` = mean D(x) and `d_fake` = mean D(G(z)) as probabilities
 * (before the generator's step); `loss` is d_loss + g_loss. Validation reports the same on held-out images, with
 * latents from a generator reseeded for each validation (so it does not disturb training's stream).
 */
export class GanTask extends TaskBase<unknown> {
  /** 'gan', or 'cgan' for a model with classes. */
  readonly kind: string;
  /** The model trained. */
  readonly gan: GanModel;
  /** The adversarial loss. */
  readonly lossKind: GanLossKind;
  /** The task's latent generator (checkpointed). */
  readonly rng: Generator;
  private readonly seed: number;
  private evalRng: Generator;
  /** The fixed latents [K, latentDim] of the sample grid (checkpointed). */
  fixedZ: Tensor;
  /** The fixed labels [K] of a CGAN's grid: row r is class r. */
  readonly fixedLabels: Tensor | undefined;
  private readonly perRow: number;
  /** Per-epoch d_loss and g_loss, for the curves picture (checkpointed). */
  curves: { d: number[]; g: number[] } = { d: [], g: [] };

  /** Creates the task and its two optimizers; checks the model and options. */
  constructor(model: GanModel, opts: GanTaskOptions = {}) {
    const op = 'GanTask';
    for (const k of ['generator', 'discriminator', 'generate', 'discriminate', 'latentDim'] as const) {
      if (model === null || typeof model !== 'object' || (model as unknown as Record<string, unknown>)[k] === undefined) {
        throw new ValueError(`${op}: model must be a GAN (generator, discriminator, generate, discriminate, latentDim), e.g. createModel('gan'); got ${describe(model)}`);
      }
    }
    if (opts === null || typeof opts !== 'object') throw new ValueError(`${op}: options must be an object, got ${String(opts)}`);
    const lr = opts.lr ?? 2e-4;
    const betas = opts.betas ?? [0.5, 0.999];
    const gOpt = opts.generatorOptimizer ?? new Adam(model.generator.parameters(), { lr, betas });
    const dOpt = opts.discriminatorOptimizer ?? new Adam(model.discriminator.parameters(), { lr, betas });
    super(model, { generator: gOpt, discriminator: dOpt });
    const kind = opts.loss ?? 'nonSaturating';
    if (!['minimax', 'nonSaturating', 'hinge'].includes(kind)) throw new ValueError(`${op}: loss must be 'minimax', 'nonSaturating' or 'hinge', got '${String(kind)}'`);
    this.lossKind = kind;
    this.gan = model;
    this.kind = model.numClasses > 0 ? 'cgan' : 'gan';
    this.seed = opts.seed ?? 0;
    if (!Number.isSafeInteger(this.seed)) throw new ValueError(`${op}: seed must be a safe integer, got ${String(opts.seed)}`);
    this.rng = new Generator(this.seed);
    this.evalRng = new Generator(this.seed + 1);
    const k = opts.fixedSamples ?? (model.numClasses > 0 ? 8 : 64);
    if (!Number.isInteger(k) || k < 1) throw new ValueError(`${op}: fixedSamples must be a positive integer, got ${String(k)}`);
    const total = model.numClasses > 0 ? k * model.numClasses : k;
    this.perRow = model.numClasses > 0 ? k : Math.ceil(Math.sqrt(k));
    this.fixedZ = randn([total, model.latentDim], { generator: this.rng, dtype: this.dtype() });
    this.fixedLabels = model.numClasses > 0 ? tensor(Array.from({ length: total }, (_, i) => Math.floor(i / k)), { dtype: 'int32' }) : undefined;
  }

  private dtype() {
    return this.gan.generator.parameters()[0]?.dtype ?? 'float32';
  }

  private split(batch: unknown): { x: Tensor; y: Tensor | undefined } {
    const op = this.kind;
    const { input: x, target } = splitBatch(op, batch, this.gan.numClasses > 0);
    if (x.ndim !== 4 || x.shape[0] < 1) throw new ShapeError(`${op}: images must be [N, C, H, W], got shape ${fmtShape(x.shape)}`);
    if (x.dtype !== this.dtype()) throw new DTypeError(`${op}: images must be ${this.dtype()} like the model, got ${x.dtype}`);
    if (this.gan.numClasses === 0) return { x, y: undefined };
    const y = target as Tensor;
    if (y.dtype !== 'int32') throw new DTypeError(`${op}: labels must be int32 class indices, got dtype ${y.dtype}`);
    if (y.ndim !== 1 || y.shape[0] !== x.shape[0]) throw new ShapeError(`${op}: labels must be [${x.shape[0]}] (one per image), got shape ${fmtShape(y.shape)}`);
    // checked here, before any latent is drawn, so a bad batch leaves the task's generator where it was
    const v = y.toTypedArray();
    for (let i = 0; i < v.length; i++) {
      if (!(v[i] >= 0 && v[i] < this.gan.numClasses)) throw new ValueError(`${op}: labels must be class indices in [0, ${this.gan.numClasses - 1}], got ${v[i]} at index ${i}`);
    }
    return { x, y };
  }

  /** Discriminator and generator losses (and D's mean probabilities) on one batch; with `train`, the two steps. */
  private step(batch: unknown, rng: Generator, train: boolean): StepResult {
    const { x, y } = this.split(batch);
    const n = x.shape[0];
    const z = randn([n, this.gan.latentDim], { generator: rng, dtype: this.dtype() });
    const dOpt = this.optimizers.discriminator;
    const gOpt = this.optimizers.generator;
    if (train) dOpt.zeroGrad();
    const real = this.gan.discriminate(x, y);
    const fake = this.gan.generate(z, y);
    const fakeLogits = this.gan.discriminate(detach(fake), y);
    const dLoss = ganDiscriminatorLoss(real, fakeLogits, { kind: this.lossKind });
    if (train) {
      dLoss.backward();
      this.optimizerStep('discriminator');
      gOpt.zeroGrad();
    }
    // the generator's loss sees the discriminator as it is after its step, as in PyTorch's DCGAN example
    const gLoss = ganGeneratorLoss(train ? this.gan.discriminate(fake, y) : fakeLogits, { kind: this.lossKind });
    if (train) {
      gLoss.backward();
      this.optimizerStep('generator');
      this.gan.discriminator.zeroGrad(); // the generator's backward left gradients on D; drop them before D's next step
    }
    const [d, g] = [dLoss.item(), gLoss.item()];
    const probs = noGrad(() => [mean(sigmoid(real)).item(), mean(sigmoid(fakeLogits)).item()]);
    return { loss: d + g, n, logs: { d_loss: d, g_loss: g, d_real: probs[0], d_fake: probs[1] }, steps: train ? 1 : undefined };
  }

  /** One discriminator step, then one generator step. */
  trainStep(batch: unknown, _ctx: StepContext): StepResult {
    return this.step(batch, this.rng, true);
  }

  /** The losses on held-out images, with latents from the validation generator. */
  evalStep(batch: unknown): StepResult {
    return this.step(batch, this.evalRng, false);
  }

  /** Also restarts the validation latents, so every validation sees the same ones. */
  override resetMetrics(phase: 'train' | 'val'): void {
    super.resetMetrics(phase);
    if (phase === 'val') this.evalRng = new Generator(this.seed + 1);
  }

  /** Records the epoch's d_loss and g_loss for the curves, then steps per-epoch schedulers. */
  override endEpoch(logs: EpochLogs): void {
    this.curves.d.push(logs.d_loss ?? NaN);
    this.curves.g.push(logs.g_loss ?? NaN);
    super.endEpoch(logs);
  }

  /** Samples [K, C, H, W] of the fixed latents (and, for a CGAN, the fixed labels), eval mode, no gradients. */
  fixedSamples(): Tensor {
    const m = this.gan;
    const was = m.training;
    m.eval();
    try {
      return noGrad(() => m.generate(this.fixedZ, this.fixedLabels));
    } finally {
      m.train(was);
    }
  }

  /** 'samples' (the fixed-latent grid; a CGAN's row r is class r) and 'losses' (d_loss and g_loss per epoch). */
  pictures(): TaskPicture[] {
    return [
      { name: 'samples', png: imageGridRaster(this.fixedSamples(), { nrow: this.perRow, valueRange: [-1, 1], scale: 2 }) },
      { name: 'losses', png: lineChartRaster([{ name: 'd_loss', values: this.curves.d }, { name: 'g_loss', values: this.curves.g }]) },
    ];
  }

  /** The latent generators' states, the fixed latents and the loss curves. */
  stateDict(): Record<string, unknown> {
    return { rng: this.rng.getState(), fixedZ: this.fixedZ, curves: { d: [...this.curves.d], g: [...this.curves.g] } };
  }

  /** Restores `stateDict()`. */
  loadStateDict(state: Record<string, unknown>): void {
    const op = `${this.kind}: loadStateDict`;
    const { rng, fixedZ, curves } = state as { rng: number[]; fixedZ: unknown; curves: { d: number[]; g: number[] } };
    if (!(fixedZ instanceof Tensor) || fixedZ.ndim !== 2 || fixedZ.shape[1] !== this.gan.latentDim || fixedZ.shape[0] !== this.fixedZ.shape[0]) {
      throw new ValueError(`${op}: the checkpoint's fixed latents must be [${this.fixedZ.shape[0]}, ${this.gan.latentDim}], got ${fixedZ instanceof Tensor ? fmtShape(fixedZ.shape) : describe(fixedZ)}; resume with the same model and fixedSamples`);
    }
    this.rng.setState(rng);
    this.fixedZ = fixedZ;
    this.curves = { d: [...(curves?.d ?? [])].map(Number), g: [...(curves?.g ?? [])].map(Number) };
  }
}
