/**
 * The reconstruction task: trains an auto-encoder to give back its input. Per batch `[x, y]` (y is ignored):
 * the model's training corruption of x (a denoising AE's noise, drawn from the task's generator), one forward
 * pass giving the reconstruction and the code, the loss against the clean x (MSE or BCE, mean per value) plus
 * the model's sparsity penalty on the code (a sparse AE's), backward, an optimizer step. Logs `recon` (and
 * `penalty`); pictures the fixed batch's inputs next to their reconstructions every epoch.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ValueError, assertNever } from '../../errors.js';
import type { Layer } from '../../nn/module.js';
import { binaryCrossEntropy } from '../../nn/loss-binary.js';
import { mseLoss } from '../../nn/loss.js';
import { add } from '../../ops/elementwise.js';
import type { Optimizer } from '../../optim/optimizer.js';
import type { Generator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { describe } from '../labels.js';
import { TaskBase, TrainingError, type ScheduleSpec, type SchedulerInterval, type StepContext, type StepResult, type TaskPicture } from '../task.js';
import type { Scheduler } from '../types.js';
import {
  FixedBatch, comparisonImages, countOption, restoreGenerator, taskGenerator, type DrawGrid, type GenerativePictureOptions,
} from './generative-common.js';
import { splitBatch } from './supervised.js';

/**
 * What the reconstruction task needs of a model (the auto-encoders of models/generative implement it): one pass
 * giving the reconstruction (the input's shape) and the code, and optionally a training corruption and a penalty.
 */
export interface ReconstructionModel extends Layer {
  /** Reconstruction (x's shape) and code of x. */
  forwardWithCode(x: Tensor): { output: Tensor; code: Tensor };
  /** The training input made from x (noise drawn from `generator`); used in training steps only. */
  corrupt?(x: Tensor, opts: { generator?: Generator }): Tensor;
  /** A scalar penalty on the batch's codes, added to the loss (e.g. sparsity). */
  penalty?(code: Tensor): Tensor;
}

/** The reconstruction loss: mean squared error or binary cross-entropy (outputs in [0, 1]), mean per value. */
export type ReconstructionLoss = 'mse' | 'bce';

/** Options of ReconstructionTask. */
export interface ReconstructionTaskOptions extends GenerativePictureOptions {
  /** The optimizer over the model's parameters (checkpointed as 'optimizer'). */
  optimizer: Optimizer;
  /** A learning-rate scheduler on that optimizer (checkpointed as 'scheduler'). */
  scheduler?: Scheduler;
  /** 'step' or 'epoch' (default: 'step' for CyclicLR/OneCycleLR, else 'epoch'). */
  schedulerInterval?: SchedulerInterval;
  /** 'mse' (default) or 'bce' (needs a sigmoid output). */
  loss?: ReconstructionLoss;
}

function isReconstructionModel(m: unknown): m is ReconstructionModel {
  return m !== null && typeof m === 'object' && typeof (m as ReconstructionModel).forwardWithCode === 'function' && typeof (m as ReconstructionModel).forward === 'function';
}

/** Trains an auto-encoder on `[x, y]` batches (y ignored) to reconstruct x; see the module comment. */
export class ReconstructionTask extends TaskBase<unknown> {
  /** 'reconstruction'. */
  readonly kind = 'reconstruction';
  /** The auto-encoder trained. */
  readonly net: ReconstructionModel;
  /** The loss kind. */
  readonly loss: ReconstructionLoss;
  /** The task's generator (corruption noise); checkpointed. */
  readonly generator: Generator;
  private readonly optimizer: Optimizer;
  private readonly batchForPictures: FixedBatch;
  private readonly drawGrid: DrawGrid | undefined;

  /** Creates the task; checks the model and the options. */
  constructor(model: Layer, opts: ReconstructionTaskOptions) {
    const op = 'ReconstructionTask';
    if (!isReconstructionModel(model)) throw new ValueError(`${op}: the model must be an auto-encoder with forwardWithCode(x) -> {output, code} (ae, dae, sae, convae, convae_t), got ${model?.constructor?.name ?? describe(model)}`);
    if (opts === null || typeof opts !== 'object') throw new ValueError(`${op}: options {optimizer, ...} are required`);
    const schedules: Record<string, ScheduleSpec> = opts.scheduler ? { scheduler: { scheduler: opts.scheduler, interval: opts.schedulerInterval } } : {};
    super(model, { optimizer: opts.optimizer }, schedules);
    const loss = opts.loss ?? 'mse';
    if (loss !== 'mse' && loss !== 'bce') throw new ValueError(`${op}: loss must be 'mse' or 'bce', got ${JSON.stringify(opts.loss)}`);
    if (opts.drawGrid !== undefined && typeof opts.drawGrid !== 'function') throw new ValueError(`${op}: drawGrid must be a function (images, {nrow}) => PNG bytes such as viz.imageGridPng, got ${describe(opts.drawGrid)}`);
    this.net = model;
    this.loss = loss;
    this.optimizer = opts.optimizer;
    this.generator = taskGenerator(op, opts);
    this.drawGrid = opts.drawGrid;
    this.batchForPictures = new FixedBatch(op, countOption(op, 'pictureCount', opts.pictureCount, 16), opts.pictureInputs);
  }

  private reconLoss(output: Tensor, x: Tensor): Tensor {
    const k = this.loss;
    switch (k) {
      case 'mse': return mseLoss(output, x);
      case 'bce': return binaryCrossEntropy(output, x);
      default: return assertNever(k, 'reconstruction loss');
    }
  }

  private losses(x: Tensor, training: boolean): { total: Tensor; logs: Record<string, number> } {
    const input = training && this.net.corrupt ? this.net.corrupt(x, { generator: this.generator }) : x;
    const { output, code } = this.net.forwardWithCode(input);
    const recon = this.reconLoss(output, x);
    if (!this.net.penalty) return { total: recon, logs: { recon: recon.item() } };
    const penalty = this.net.penalty(code);
    return { total: add(recon, penalty), logs: { recon: recon.item(), penalty: penalty.item() } };
  }

  /** Corrupt (in training), reconstruct, loss (+ penalty), backward, optimizer step. */
  trainStep(batch: unknown, ctx: StepContext): StepResult {
    const { input: x } = splitBatch('fit', batch, false);
    this.batchForPictures.seeTrain(x);
    this.optimizer.zeroGrad();
    this.model.zeroGrad();
    const { total, logs } = this.losses(x, true);
    const value = total.item();
    if (!Number.isFinite(value)) {
      throw new TrainingError(`fit: the loss is ${value} at step ${ctx.step + 1} (epoch ${ctx.epoch}, batch ${ctx.batch}); training stopped before this epoch was saved, so the last checkpoint is the last good one — lower the learning rate or check the data`, ctx.epoch, ctx.batch, ctx.step + 1);
    }
    total.backward();
    this.optimizerStep('optimizer');
    return { loss: value, n: x.shape[0], logs };
  }

  /** The batch's loss on clean inputs. */
  evalStep(batch: unknown): StepResult {
    const { input: x } = splitBatch('fit', batch, false);
    this.batchForPictures.seeVal(x);
    const { total, logs } = this.losses(x, false);
    return { loss: total.item(), n: x.shape[0], logs };
  }

  /** 'reconstructions': the fixed batch's inputs, each row followed by the row of their reconstructions. */
  pictures(): TaskPicture[] {
    const x = this.batchForPictures.images;
    if (!this.drawGrid || x === null) return [];
    const was = this.model.training;
    this.model.eval();
    try {
      const recon = noGrad(() => this.net.forwardWithCode(x).output);
      const { images, nrow } = comparisonImages('ReconstructionTask', x, recon);
      return [{ name: 'reconstructions', png: this.drawGrid(images, { nrow }) }];
    } finally {
      this.model.train(was);
    }
  }

  /** The generator's state and the pictured batch. */
  stateDict(): Record<string, unknown> {
    return { generator: this.generator.getState(), pictures: this.batchForPictures.stateDict() };
  }

  /** Restores `stateDict()`. */
  loadStateDict(state: Record<string, unknown>): void {
    restoreGenerator('ReconstructionTask', this.generator, state?.generator);
    this.batchForPictures.loadStateDict((state?.pictures ?? {}) as Record<string, unknown>);
  }
}
