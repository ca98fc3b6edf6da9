/**
 * The supervised task: `output = model(input)`, `loss(output, target)`, one optimizer, at most one scheduler,
 * metrics on (output, target) — what `fit(model, {...})` trains, and (with cross-entropy and accuracy as
 * defaults) the classification task of the CLI and the zoo.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ValueError } from '../../errors.js';
import type { Layer } from '../../nn/module.js';
import { crossEntropy } from '../../nn/loss.js';
import { mul } from '../../ops/elementwise.js';
import { clipGradNorm_ } from '../../optim/clip.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { Tensor } from '../../tensor/tensor.js';
import { describe } from '../labels.js';
import { createMetric, type Metric } from '../streaming-metrics.js';
import { TaskBase, TrainingError, type ScheduleSpec, type SchedulerInterval, type StepContext, type StepResult } from '../task.js';
import type { Scheduler } from '../types.js';
import { checkInt } from '../../ops/util.js';

/** A loss: a function `(output, target) => scalar` (e.g. `F.crossEntropy`) or a loss module (`new nn.CrossEntropyLoss()`). */
export type LossFn = ((output: Tensor, target: Tensor) => Tensor) | { forward(output: Tensor, target: Tensor): Tensor };

/** A metric: a Metric object or a name understood by `createMetric` ('accuracy', 'top5_accuracy', 'f1', ...). */
export type MetricSpec = Metric | string;

/** True for a loss function or loss module. */
export function isLoss(v: unknown): v is LossFn {
  return typeof v === 'function' || (v !== null && typeof v === 'object' && typeof (v as { forward?: unknown }).forward === 'function');
}

/** Calls a loss and checks it returned a one-element tensor. */
export function callLoss(op: string, loss: LossFn, output: Tensor, target: Tensor): Tensor {
  const l = typeof loss === 'function' ? loss(output, target) : loss.forward(output, target);
  if (!(l instanceof Tensor) || l.numel() !== 1) {
    throw new ValueError(`${op}: the loss must return a one-element tensor (use reduction 'mean' or 'sum'), got ${l instanceof Tensor ? `shape [${l.shape.join(', ')}]` : typeof l}`);
  }
  return l;
}

/** Splits a batch into input and target: `[input, target, ...]`, `{input, target}` / `{x, y}`, or a bare input tensor. */
export function splitBatch(op: string, batch: unknown, needTarget: boolean): { input: Tensor; target: Tensor | null } {
  let input: unknown;
  let target: unknown = null;
  if (batch instanceof Tensor) input = batch;
  else if (Array.isArray(batch)) [input, target = null] = batch;
  else if (batch !== null && typeof batch === 'object') {
    const o = batch as Record<string, unknown>;
    input = o.input ?? o.x;
    target = o.target ?? o.y ?? null;
  }
  if (!(input instanceof Tensor) || (target !== null && !(target instanceof Tensor)) || (needTarget && target === null)) {
    throw new ValueError(`${op}: each batch must be [input, target] or {input, target} of tensors${needTarget ? '' : ' (or an input tensor)'}, got ${describe(batch)}`);
  }
  return { input, target: target as Tensor | null };
}

/** Options of SupervisedTask. */
export interface SupervisedTaskOptions {
  /** The loss to minimize (mean over the batch, as PyTorch's defaults). */
  loss: LossFn;
  /** The optimizer over the model's parameters (checkpointed as 'optimizer'). */
  optimizer: Optimizer;
  /** A learning-rate scheduler on that optimizer (checkpointed as 'scheduler'). */
  scheduler?: Scheduler;
  /** 'step' or 'epoch' (default: 'step' for CyclicLR/OneCycleLR, else 'epoch'). */
  schedulerInterval?: SchedulerInterval;
  /** The log value ReduceLROnPlateau is stepped with (default `val_loss` with validation, else `loss`). */
  plateauMonitor?: string;
  /** Metrics on training and validation batches (objects are used for validation, clones for training). */
  metrics?: MetricSpec[];
  /** Rescale gradients so their joint 2-norm is at most this before each optimizer step. */
  clipGradNorm?: number;
  /**
   * Batches per optimizer step (default 1). Each batch's loss is divided by the number of batches in its group,
   * so with a mean loss the step uses the mean gradient of the group; the last group of an epoch may be shorter
   * (with a loader of known length its losses are divided by its true size, otherwise by this value).
   */
  gradAccumulation?: number;
  /** Log name of this task's kind (default 'supervised'). */
  kind?: string;
}

/**
 * Trains `model` on batches `[input, target]`: per batch, forward in train mode, loss, backward (accumulated over
 * `gradAccumulation` batches), optional gradient clipping, an optimizer step; validation computes the loss and
 * metrics. A non-finite loss or gradient norm throws a TrainingError naming the step.
 */
export class SupervisedTask extends TaskBase<unknown> {
  /** 'supervised', or the kind given (e.g. 'classification'). */
  readonly kind: string;
  /** The loss minimized. */
  readonly loss: LossFn;
  /** The network trained (the task's model, typed as a Layer). */
  readonly net: Layer;
  private readonly optimizer: Optimizer;
  private readonly params;
  private readonly clip: number | undefined;
  private readonly accum: number;
  private pending = 0;
  private groupSize = 1;

  /** Creates the task; checks the options. */
  constructor(model: Layer, opts: SupervisedTaskOptions) {
    const op = 'fit';
    if (opts === null || typeof opts !== 'object') throw new ValueError(`${op}: options {loss, optimizer, ...} are required`);
    if (!isLoss(opts.loss)) throw new ValueError(`${op}: loss must be a function (output, target) => Tensor or a loss module`);
    const clip = opts.clipGradNorm;
    if (clip !== undefined && !(typeof clip === 'number' && clip > 0)) throw new ValueError(`${op}: clipGradNorm must be a positive number, got ${String(clip)}`);
    const accum = checkInt(op, opts.gradAccumulation ?? 1, 'gradAccumulation', 1);
    const schedules: Record<string, ScheduleSpec> = opts.scheduler ? { scheduler: { scheduler: opts.scheduler, interval: opts.schedulerInterval, monitor: opts.plateauMonitor } } : {};
    super(model, { optimizer: opts.optimizer }, schedules, (opts.metrics ?? []).map(createMetric));
    this.kind = opts.kind ?? 'supervised';
    this.net = model;
    this.loss = opts.loss;
    this.optimizer = opts.optimizer;
    this.params = opts.optimizer.paramGroups.flatMap((g) => g.params);
    this.clip = clip;
    this.accum = accum;
  }

  private step(ctx: StepContext): void {
    if (this.clip !== undefined) {
      const norm = clipGradNorm_(this.params, this.clip);
      if (!Number.isFinite(norm)) throw new TrainingError(`fit: the gradient norm is ${norm} at step ${ctx.step + 1} (epoch ${ctx.epoch}, batch ${ctx.batch}); training stopped before this epoch was saved, so the last checkpoint is the last good one`, ctx.epoch, ctx.batch, ctx.step + 1);
    }
    this.optimizerStep('optimizer');
    this.pending = 0;
  }

  /** Forward, loss, backward, and (at the end of an accumulation group) the optimizer step. */
  trainStep(batch: unknown, ctx: StepContext): StepResult {
    const { input, target } = splitBatch('fit', batch, true);
    if (this.pending === 0) {
      this.optimizer.zeroGrad();
      this.model.zeroGrad(); // also parameters the optimizer does not update, so their gradients do not pile up
      this.groupSize = ctx.batchesPerEpoch === null ? this.accum : Math.max(1, Math.min(this.accum, ctx.batchesPerEpoch - ctx.batch + 1));
    }
    const output = this.net.forward(input);
    const loss = callLoss('fit', this.loss, output, target as Tensor);
    const value = loss.item();
    if (!Number.isFinite(value)) {
      throw new TrainingError(`fit: the loss is ${value} at step ${ctx.step + 1} (epoch ${ctx.epoch}, batch ${ctx.batch}); training stopped before this epoch was saved, so the last checkpoint is the last good one — lower the learning rate, clip gradients or check the data`, ctx.epoch, ctx.batch, ctx.step + 1);
    }
    (this.groupSize === 1 ? loss : mul(loss, 1 / this.groupSize)).backward();
    this.pending++;
    let steps = 0;
    if (this.pending >= this.groupSize) {
      this.step(ctx);
      steps = 1;
    }
    if (this.trainMetrics.length) noGrad(() => this.trainMetrics.forEach((m) => m.update(output, target as Tensor)));
    return { loss: value, n: input.ndim > 0 ? input.shape[0] : 1, steps };
  }

  /** Steps on the gradients of a last, unfinished accumulation group. */
  finishEpoch(ctx: StepContext): { steps: number } {
    if (this.pending === 0) return { steps: 0 };
    this.step(ctx);
    return { steps: 1 };
  }

  /** The batch's loss and metric updates. */
  evalStep(batch: unknown): StepResult {
    const { input, target } = splitBatch('fit', batch, true);
    const output = this.net.forward(input);
    const loss = callLoss('fit', this.loss, output, target as Tensor).item();
    for (const m of this.valMetrics) m.update(output, target as Tensor);
    return { loss, n: input.ndim > 0 ? input.shape[0] : 1 };
  }
}

/** Options of ClassificationTask: SupervisedTask's, with the loss optional. */
export type ClassificationTaskOptions = Omit<SupervisedTaskOptions, 'loss' | 'kind'> & {
  /** The loss (default cross-entropy on logits [N, C] and class indices [N]). */
  loss?: LossFn;
};

/** Classification: a SupervisedTask with cross-entropy and accuracy by default. */
export class ClassificationTask extends SupervisedTask {
  /** Creates the task (metrics default to ['accuracy']). */
  constructor(model: Layer, opts: ClassificationTaskOptions) {
    super(model, { ...opts, loss: opts?.loss ?? crossEntropy, metrics: opts?.metrics ?? ['accuracy'], kind: 'classification' });
  }
}
