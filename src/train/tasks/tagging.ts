/**
 * The token-tagging task (sequence labelling: part-of-speech tags, named entities): a model maps a padded batch of
 * token inputs to logits [N, L, C], the targets are tag indices [N, L] holding `ignoreIndex` (default -100, as
 * PyTorch's cross_entropy) at the padding, and the loss is the mean cross-entropy over the real tokens only.
 * Logs the loss per token and `accuracy`, the share of real tokens whose arg-max tag is right.
 * @module
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../errors.js';
import type { Layer } from '../../nn/module.js';
import { crossEntropy } from '../../nn/loss.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { reshape } from '../../ops/movement.js';
import { argmax } from '../../ops/reduce.js';
import { Tensor } from '../../tensor/tensor.js';
import { describe } from '../labels.js';
import { TaskBase, type ScheduleSpec, type SchedulerInterval, type StepContext, type StepResult } from '../task.js';
import type { Scheduler } from '../types.js';

/** Options of TaggingTask. */
export interface TaggingTaskOptions {
  /** The optimizer (checkpointed as 'optimizer'). */
  optimizer: Optimizer;
  /** A learning-rate scheduler on it (checkpointed as 'scheduler'). */
  scheduler?: Scheduler;
  /** 'step' or 'epoch' (default: 'step' for CyclicLR/OneCycleLR, else 'epoch'). */
  schedulerInterval?: SchedulerInterval;
  /** Rescale gradients so their joint 2-norm is at most this before each step. */
  clipGradNorm?: number;
  /** The target value of padding positions, left out of loss and accuracy (default -100). */
  ignoreIndex?: number;
}

/** The logits [N, L, C] and tags [N, L] of a batch, checked; and the number of real (not ignored) tokens. */
export function checkTagging(where: string, logits: Tensor, tags: Tensor, ignoreIndex: number): number {
  if (logits.ndim !== 3) throw new ShapeError(`${where}: the model must return logits [N, L, C], got shape ${fmtShape(logits.shape)}`);
  if (tags.ndim !== 2 || tags.shape[0] !== logits.shape[0] || tags.shape[1] !== logits.shape[1]) {
    throw new ShapeError(`${where}: tags must be [N, L] = ${fmtShape(logits.shape.slice(0, 2))} to fit the logits ${fmtShape(logits.shape)}, got ${fmtShape(tags.shape)}`);
  }
  if (tags.dtype !== 'int32') throw new DTypeError(`${where}: tags must be int32 tag indices, got dtype ${tags.dtype}`);
  let n = 0;
  for (const t of tags.toTypedArray()) if (t !== ignoreIndex) n++;
  if (n === 0) throw new ValueError(`${where}: every tag of the batch is the ignoreIndex ${ignoreIndex}: there is nothing to learn from`);
  return n;
}

/** Counts right arg-max tags among the real tokens: [right, total]. */
export function taggingHits(logits: Tensor, tags: Tensor, ignoreIndex: number): [number, number] {
  const pred = argmax(logits, 2).toTypedArray();
  const t = tags.toTypedArray();
  let right = 0;
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === ignoreIndex) continue;
    total++;
    if (pred[i] === t[i]) right++;
  }
  return [right, total];
}

/** Trains a tagger on batches [inputs, tags [N, L]] (see the module doc). */
export class TaggingTask extends TaskBase<[Tensor, Tensor]> {
  /** 'tagging'. */
  readonly kind = 'tagging';
  /** The padding target value. */
  readonly ignoreIndex: number;
  private readonly net: Layer;
  private readonly params;
  private readonly clip: number | undefined;
  private readonly hits = { train: [0, 0], val: [0, 0] };

  /** Creates the task; `model` maps a batch's inputs to logits [N, L, C]. */
  constructor(model: Layer, opts: TaggingTaskOptions) {
    if (opts === null || typeof opts !== 'object') throw new ValueError('TaggingTask: options {optimizer, ...} are required');
    const clip = opts.clipGradNorm;
    if (clip !== undefined && !(typeof clip === 'number' && clip > 0)) throw new ValueError(`TaggingTask: clipGradNorm must be a positive number, got ${String(clip)}`);
    const ignore = opts.ignoreIndex ?? -100;
    if (!Number.isInteger(ignore)) throw new ValueError(`TaggingTask: ignoreIndex must be an integer, got ${String(ignore)}`);
    const schedules: Record<string, ScheduleSpec> = opts.scheduler ? { scheduler: { scheduler: opts.scheduler, interval: opts.schedulerInterval } } : {};
    super(model, { optimizer: opts.optimizer }, schedules);
    this.net = model;
    this.params = opts.optimizer.paramGroups.flatMap((g) => g.params);
    this.clip = clip;
    this.ignoreIndex = ignore;
  }

  private lossOf(batch: [Tensor, Tensor], phase: 'train' | 'val'): { loss: Tensor; n: number } {
    if (!Array.isArray(batch) || !(batch[0] instanceof Tensor) || !(batch[1] instanceof Tensor)) {
      throw new ValueError(`TaggingTask: each batch must be [inputs, tags] of tensors, got ${describe(batch)}`);
    }
    const [x, tags] = batch;
    const logits = this.net.forward(x);
    const n = checkTagging('TaggingTask', logits, tags, this.ignoreIndex);
    const C = logits.shape[2];
    const loss = crossEntropy(reshape(logits, [-1, C]), reshape(tags, [-1]), { ignoreIndex: this.ignoreIndex });
    const [right, total] = taggingHits(logits, tags, this.ignoreIndex);
    this.hits[phase][0] += right;
    this.hits[phase][1] += total;
    return { loss, n };
  }

  /** Forward, loss over the real tokens, backward, clipping, one optimizer step. */
  trainStep(batch: [Tensor, Tensor], ctx: StepContext): StepResult {
    this.optimizers.optimizer.zeroGrad();
    const { loss, n } = this.lossOf(batch, 'train');
    const value = this.backwardAndStep(loss, ctx, this.clip === undefined ? undefined : { params: this.params, maxNorm: this.clip });
    return { loss: value, n };
  }

  /** The batch's loss over its real tokens and the accuracy counts. */
  evalStep(batch: [Tensor, Tensor]): StepResult {
    const { loss, n } = this.lossOf(batch, 'val');
    return { loss: loss.item(), n };
  }

  /** Clears the phase's accuracy counts. */
  override resetMetrics(phase: 'train' | 'val'): void {
    super.resetMetrics(phase);
    this.hits[phase] = [0, 0];
  }

  /** `accuracy`: right tags / real tokens of the phase so far. */
  override metricLogs(phase: 'train' | 'val'): Record<string, number> {
    const [right, total] = this.hits[phase];
    return { ...super.metricLogs(phase), ...(total > 0 ? { accuracy: right / total } : {}) };
  }
}
