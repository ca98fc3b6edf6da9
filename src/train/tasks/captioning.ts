/**
 * The image-captioning task: a captioner (image encoder + word decoder) trained with next-word cross-entropy on
 * teacher-forced decoder inputs, padding ignored. Validation also decodes every batch with the model's own decoder
 * and scores the captions over the whole validation pass: `exact` (the caption equals the reference), `wer` (word
 * error rate: edit distance over reference length) and, with a `scorer`, its values (corpus BLEU from `text`, which
 * this level cannot import, so the caller passes it: `scorer: (hyps, refs) => ({bleu4: corpusBleu(refs, hyps)})`).
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ValueError } from '../../errors.js';
import type { Module } from '../../nn/module.js';
import { crossEntropy } from '../../nn/loss.js';
import { reshape } from '../../ops/movement.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { Tensor } from '../../tensor/tensor.js';
import { SequenceScores } from '../edit-distance.js';
import { describe } from '../labels.js';
import { TaskBase, type ScheduleSpec, type SchedulerInterval, type StepContext, type StepResult } from '../task.js';
import type { Scheduler } from '../types.js';

/** What the task trains: an image-to-words model. */
export interface CaptionModel extends Module {
  /** Next-word logits [B, L, V] for images [B, C, H, W] and decoder inputs [B, L] (<bos> first). */
  forward(images: Tensor, targetIn: Tensor, opts?: { teacherForcing?: number }): Tensor;
  /** The decoded word ids of each image (without <bos>/<eos>). */
  decode(images: Tensor): number[][];
}

/** A captioning batch (data's CaptionBatch). */
export interface CaptionTaskBatch {
  /** Images [B, C, H, W]. */
  images: Tensor;
  /** Decoder inputs [B, L] int32. */
  targetIn: Tensor;
  /** Decoder targets [B, L] int32 (padding = the task's padIndex). */
  targetOut: Tensor;
  /** The reference word ids of each image. */
  references: readonly (readonly number[])[];
}

/** Scores a validation pass: decoded captions and their references (one reference each), by metric name. */
export type CaptionScorer = (hypotheses: readonly (readonly number[])[], references: readonly (readonly number[])[]) => Record<string, number>;

/** Options of CaptionTask. */
export interface CaptionTaskOptions {
  /** The optimizer (checkpointed as 'optimizer'). */
  optimizer: Optimizer;
  /** A learning-rate scheduler on it (checkpointed as 'scheduler'). */
  scheduler?: Scheduler;
  /** 'step' or 'epoch' (default: 'step' for CyclicLR/OneCycleLR, else 'epoch'). */
  schedulerInterval?: SchedulerInterval;
  /** Probability of feeding the true previous word in training (default 1: always). */
  teacherForcing?: number;
  /** Rescale gradients so their joint 2-norm is at most this before each step. */
  clipGradNorm?: number;
  /** The padding id of targets, ignored by the loss (default 0). */
  padIndex?: number;
  /** Extra validation metrics of the decoded captions (e.g. corpus BLEU-4). */
  scorer?: CaptionScorer;
}

/** Trains a CaptionModel; see the module doc. */
export class CaptionTask extends TaskBase<CaptionTaskBatch> {
  /** 'captioning'. */
  readonly kind = 'captioning';
  private readonly net: CaptionModel;
  private readonly params;
  private readonly clip: number | undefined;
  private readonly ratio: number;
  private readonly pad: number;
  private readonly scorer: CaptionScorer | undefined;
  private readonly scores = new SequenceScores();
  private hyps: number[][] = [];
  private refs: number[][] = [];

  /** Creates the task; `model` must have `forward(images, targetIn)` and `decode(images)`. */
  constructor(model: CaptionModel, opts: CaptionTaskOptions) {
    if (model === null || typeof model !== 'object' || typeof (model as { decode?: unknown }).decode !== 'function') {
      throw new ValueError(`CaptionTask: the model must have forward(images, targetIn) and decode(images) (e.g. a Captioner), got ${describe(model)}`);
    }
    if (opts === null || typeof opts !== 'object') throw new ValueError(`CaptionTask: options {optimizer, ...} are required, got ${describe(opts)}`);
    const clip = opts.clipGradNorm;
    if (clip !== undefined && !(typeof clip === 'number' && clip > 0)) throw new ValueError(`CaptionTask: clipGradNorm must be a positive number, got ${String(clip)}`);
    const ratio = opts.teacherForcing ?? 1;
    if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) throw new ValueError(`CaptionTask: teacherForcing must be in [0, 1], got ${String(ratio)}`);
    const pad = opts.padIndex ?? 0;
    if (!Number.isInteger(pad)) throw new ValueError(`CaptionTask: padIndex must be an integer, got ${String(pad)}`);
    if (opts.scorer !== undefined && typeof opts.scorer !== 'function') throw new ValueError(`CaptionTask: scorer must be a function (hypotheses, references) => metrics, got ${describe(opts.scorer)}`);
    const schedules: Record<string, ScheduleSpec> = opts.scheduler ? { scheduler: { scheduler: opts.scheduler, interval: opts.schedulerInterval } } : {};
    super(model, { optimizer: opts.optimizer }, schedules);
    this.net = model;
    this.params = opts.optimizer.paramGroups.flatMap((g) => g.params);
    this.clip = clip;
    this.ratio = ratio;
    this.pad = pad;
    this.scorer = opts.scorer;
  }

  private lossOf(batch: CaptionTaskBatch, ratio: number): { loss: Tensor; n: number } {
    const ok = batch !== null && typeof batch === 'object' && batch.images instanceof Tensor && batch.targetIn instanceof Tensor && batch.targetOut instanceof Tensor && Array.isArray(batch.references);
    if (!ok) throw new ValueError(`CaptionTask: each batch must be {images, targetIn, targetOut, references} (e.g. CaptionData.batch), got ${describe(batch)}`);
    if (batch.targetOut.ndim !== 2 || batch.targetOut.shape[0] !== batch.targetIn.shape[0] || batch.targetOut.shape[1] !== batch.targetIn.shape[1]) {
      throw new ValueError(`CaptionTask: targetOut must have targetIn's shape [${batch.targetIn.shape.join(', ')}], got [${batch.targetOut.shape.join(', ')}]`);
    }
    const logits = this.net.forward(batch.images, batch.targetIn, { teacherForcing: ratio });
    const v = logits.shape[logits.ndim - 1];
    const loss = crossEntropy(reshape(logits, [-1, v]), reshape(batch.targetOut, [-1]), { ignoreIndex: this.pad });
    return { loss, n: batch.images.shape[0] };
  }

  /** Forward with teacher forcing, cross-entropy per caption word, backward, clipping, one optimizer step. */
  trainStep(batch: CaptionTaskBatch, ctx: StepContext): StepResult {
    this.optimizers.optimizer.zeroGrad();
    const { loss, n } = this.lossOf(batch, this.ratio);
    const value = this.backwardAndStep(loss, ctx, this.clip === undefined ? undefined : { params: this.params, maxNorm: this.clip });
    return { loss: value, n };
  }

  /** The teacher-forced loss, then the model's own captions kept for the pass's scores. */
  evalStep(batch: CaptionTaskBatch): StepResult {
    const { loss, n } = this.lossOf(batch, 1);
    const hyps = noGrad(() => this.net.decode(batch.images));
    const refs = batch.references.map((r) => [...r]);
    this.scores.update(hyps, refs);
    this.hyps.push(...hyps);
    this.refs.push(...refs);
    return { loss: loss.item(), n };
  }

  /** Clears the phase's metrics (and the validation captions). */
  override resetMetrics(phase: 'train' | 'val'): void {
    super.resetMetrics(phase);
    if (phase === 'val') {
      this.scores.reset();
      this.hyps = [];
      this.refs = [];
    }
  }

  /** Validation adds `exact`, `wer` and the scorer's values. */
  override metricLogs(phase: 'train' | 'val'): Record<string, number> {
    if (phase === 'train') return super.metricLogs(phase);
    const extra = this.scorer !== undefined && this.hyps.length > 0 ? this.scorer(this.hyps, this.refs) : {};
    return { ...super.metricLogs(phase), exact: this.scores.accuracy, wer: this.scores.errorRate, ...extra };
  }
}
