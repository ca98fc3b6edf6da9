/**
 * The VAE task, as pytorch/examples vae/main.py trains: per batch `[x, y]` (y ignored), encode, reparameterize
 * with the task's generator, decode; the loss is the decoder's negative log-likelihood summed over the batch
 * (BCE for a Bernoulli decoder) plus beta times the KL divergence of q(z|x) from N(0, I) summed over the batch;
 * backward of that sum (the example's gradient), an optimizer step. The logged `loss`, `recon` and `kl` are per
 * image, so an epoch's `loss` / `val_loss` is the example's "average loss" (its test loss also samples z).
 * Pictures every epoch: the fixed batch's inputs next to their reconstructions (decoded posterior means) and the
 * decoded samples of a fixed latent batch, drawn once from the task's generator and kept in the checkpoint.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { klStandardNormal } from '../../nn/loss-generative.js';
import type { Layer } from '../../nn/module.js';
import { add, mul } from '../../ops/elementwise.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { randn } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { describe } from '../labels.js';
import { TaskBase, TrainingError, type ScheduleSpec, type SchedulerInterval, type StepContext, type StepResult, type TaskPicture } from '../task.js';
import type { Scheduler } from '../types.js';
import {
  FixedBatch, comparisonImages, countOption, restoreGenerator, taskGenerator, type DrawGrid, type GenerativePictureOptions,
} from './generative-common.js';
import { splitBatch } from './supervised.js';

/** What the VAE task needs of a model (models/generative's VAE and ConvVAE implement it). */
export interface VaeModel extends Layer {
  /** Size of z. */
  readonly latentDim: number;
  /** Weight of the KL term. */
  readonly beta: number;
  /** Encode, sample z with `generator`, decode: the decoder's means (x's shape) and the posterior's mu, logvar. */
  forwardVae(x: Tensor, opts: { generator?: Generator }): { output: Tensor; mu: Tensor; logvar: Tensor };
  /** Negative log-likelihood of x under the decoder with means `output`, summed over the batch. */
  nll(output: Tensor, x: Tensor): Tensor;
  /** Decoder means [N, C, H, W] of codes z [N, latentDim], without gradients. */
  generate(z: Tensor): Tensor;
  /** Decoder means at the posterior means of x, without gradients. */
  reconstruct(x: Tensor): Tensor;
}

/** Options of VaeTask. */
export interface VaeTaskOptions extends GenerativePictureOptions {
  /** The optimizer over the model's parameters (checkpointed as 'optimizer'). */
  optimizer: Optimizer;
  /** A learning-rate scheduler on that optimizer (checkpointed as 'scheduler'). */
  scheduler?: Scheduler;
  /** 'step' or 'epoch' (default: 'step' for CyclicLR/OneCycleLR, else 'epoch'). */
  schedulerInterval?: SchedulerInterval;
  /** Weight of the KL term (default: the model's `beta`). */
  beta?: number;
  /** How many images the sample grid shows (default 64, 8 per row). */
  sampleCount?: number;
}

function isVaeModel(m: unknown): m is VaeModel {
  const v = m as VaeModel;
  return v !== null && typeof v === 'object' && typeof v.forwardVae === 'function' && typeof v.nll === 'function'
    && typeof v.generate === 'function' && Number.isInteger(v.latentDim);
}

/** Trains a VAE on `[x, y]` batches (y ignored); see the module comment. */
export class VaeTask extends TaskBase<unknown> {
  /** 'vae'. */
  readonly kind = 'vae';
  /** The VAE trained. */
  readonly net: VaeModel;
  /** KL weight. */
  readonly beta: number;
  /** The task's generator (reparameterization, the fixed latent batch); checkpointed. */
  readonly generator: Generator;
  private readonly optimizer: Optimizer;
  private readonly batchForPictures: FixedBatch;
  private readonly drawGrid: DrawGrid | undefined;
  private fixedZ: Tensor;

  /** Creates the task; checks the model and the options; draws the fixed latent batch. */
  constructor(model: Layer, opts: VaeTaskOptions) {
    const op = 'VaeTask';
    if (!isVaeModel(model)) throw new ValueError(`${op}: the model must be a VAE (forwardVae, nll, generate, latentDim: vae, convvae), got ${model?.constructor?.name ?? describe(model)}`);
    if (opts === null || typeof opts !== 'object') throw new ValueError(`${op}: options {optimizer, ...} are required`);
    const schedules: Record<string, ScheduleSpec> = opts.scheduler ? { scheduler: { scheduler: opts.scheduler, interval: opts.schedulerInterval } } : {};
    super(model, { optimizer: opts.optimizer }, schedules);
    const beta = opts.beta ?? model.beta ?? 1;
    if (typeof beta !== 'number' || !(beta >= 0) || !Number.isFinite(beta)) throw new ValueError(`${op}: beta must be a finite number >= 0, got ${String(opts.beta)}`);
    if (opts.drawGrid !== undefined && typeof opts.drawGrid !== 'function') throw new ValueError(`${op}: drawGrid must be a function (images, {nrow}) => PNG bytes such as viz.imageGridPng, got ${describe(opts.drawGrid)}`);
    this.net = model;
    this.beta = beta;
    this.optimizer = opts.optimizer;
    this.generator = taskGenerator(op, opts);
    this.drawGrid = opts.drawGrid;
    this.batchForPictures = new FixedBatch(op, countOption(op, 'pictureCount', opts.pictureCount, 16), opts.pictureInputs);
    this.fixedZ = randn([countOption(op, 'sampleCount', opts.sampleCount, 64), model.latentDim], { generator: this.generator });
  }

  /** The fixed latent batch [sampleCount, latentDim] the sample grid decodes every epoch. */
  get fixedLatents(): Tensor {
    return this.fixedZ;
  }

  private losses(x: Tensor): { sum: Tensor; n: number; logs: Record<string, number> } {
    const { output, mu, logvar } = this.net.forwardVae(x, { generator: this.generator });
    const recon = this.net.nll(output, x);
    const kl = klStandardNormal(mu, logvar, { reduction: 'sum' });
    const n = x.shape[0];
    const sum = this.beta === 1 ? add(recon, kl) : add(recon, mul(kl, this.beta));
    return { sum, n, logs: { recon: recon.item() / n, kl: kl.item() / n } };
  }

  /** Forward with a sampled z, the summed loss, backward, an optimizer step; logs per image. */
  trainStep(batch: unknown, ctx: StepContext): StepResult {
    const { input: x } = splitBatch('fit', batch, false);
    this.batchForPictures.seeTrain(x);
    this.optimizer.zeroGrad();
    this.model.zeroGrad();
    const { sum, n, logs } = this.losses(x);
    const value = sum.item() / n;
    if (!Number.isFinite(value)) {
      throw new TrainingError(`fit: the loss is ${value} at step ${ctx.step + 1} (epoch ${ctx.epoch}, batch ${ctx.batch}); training stopped before this epoch was saved, so the last checkpoint is the last good one — lower the learning rate or check the data`, ctx.epoch, ctx.batch, ctx.step + 1);
    }
    sum.backward();
    this.optimizerStep('optimizer');
    return { loss: value, n, logs };
  }

  /** The batch's loss per image (z sampled, as the example's test loss). */
  evalStep(batch: unknown): StepResult {
    const { input: x } = splitBatch('fit', batch, false);
    this.batchForPictures.seeVal(x);
    const { sum, n, logs } = this.losses(x);
    return { loss: sum.item() / n, n, logs };
  }

  /** 'reconstructions' (inputs above their reconstructions) and 'samples' (the fixed latent batch decoded). */
  pictures(): TaskPicture[] {
    if (!this.drawGrid) return [];
    const was = this.model.training;
    this.model.eval();
    try {
      const out: TaskPicture[] = [{ name: 'samples', png: this.drawGrid(this.net.generate(this.fixedZ), { nrow: 8 }) }];
      const x = this.batchForPictures.images;
      if (x !== null) {
        const { images, nrow } = comparisonImages('VaeTask', x, this.net.reconstruct(x));
        out.push({ name: 'reconstructions', png: this.drawGrid(images, { nrow }) });
      }
      return out;
    } finally {
      this.model.train(was);
    }
  }

  /** The generator's state, the fixed latent batch and the pictured batch. */
  stateDict(): Record<string, unknown> {
    return { generator: this.generator.getState(), fixedZ: this.fixedZ, pictures: this.batchForPictures.stateDict() };
  }

  /** Restores `stateDict()`; a latent batch of another size than the model's is a ShapeError. */
  loadStateDict(state: Record<string, unknown>): void {
    const z = state?.fixedZ;
    if (!(z instanceof Tensor) || z.ndim !== 2 || z.shape[1] !== this.net.latentDim) {
      throw new ShapeError(`VaeTask: the checkpoint's fixed latent batch must be [N, ${this.net.latentDim}] (the model's latentDim), got ${z instanceof Tensor ? fmtShape(z.shape) : describe(z)}`);
    }
    restoreGenerator('VaeTask', this.generator, state.generator);
    this.batchForPictures.loadStateDict((state.pictures ?? {}) as Record<string, unknown>);
    this.fixedZ = z;
  }
}
