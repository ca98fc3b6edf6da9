/**
 * The sequence-to-sequence task (G2P, translation-like problems): an encoder-decoder trained with next-token
 * cross-entropy on teacher-forced decoder inputs (padding ignored), the teacher-forcing ratio an option.
 * Validation also decodes every batch with the model's own decoder (no teacher forcing) and scores it: `seq_acc`
 * (the whole output right: G2P's word accuracy) and `ter` (token error rate, edit distance over reference length:
 * G2P's phoneme error rate).
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

/** What the task trains: an encoder-decoder over padded id batches. */
export interface Seq2SeqModel extends Module {
  /** Next-token logits [B, Lt, V] for source ids [B, Ls] and decoder inputs [B, Lt] (<bos> first). */
  forward(source: Tensor, sourceLengths: readonly number[], targetIn: Tensor, opts?: { teacherForcing?: number }): Tensor;
  /** The decoded token ids of each source sequence (without <bos>/<eos>). */
  decode(source: Tensor, sourceLengths: readonly number[]): number[][];
}

/** A seq2seq batch (data's G2PBatch). */
export interface Seq2SeqBatch {
  /** Source ids [B, Ls] int32. */
  source: Tensor;
  /** Each source's length. */
  sourceLengths: readonly number[];
  /** Decoder inputs [B, Lt] int32. */
  targetIn: Tensor;
  /** Decoder targets [B, Lt] int32 (padding = the task's padIndex). */
  targetOut: Tensor;
  /** The reference output ids of each sample. */
  references: readonly (readonly number[])[];
}

/** Options of Seq2SeqTask. */
export interface Seq2SeqTaskOptions {
  /** The optimizer (checkpointed as 'optimizer'). */
  optimizer: Optimizer;
  /** A learning-rate scheduler on it (checkpointed as 'scheduler'). */
  scheduler?: Scheduler;
  /** 'step' or 'epoch' (default: 'step' for CyclicLR/OneCycleLR, else 'epoch'). */
  schedulerInterval?: SchedulerInterval;
  /** Probability of feeding the true previous token in training (default 1: always). */
  teacherForcing?: number;
  /** Rescale gradients so their joint 2-norm is at most this before each step. */
  clipGradNorm?: number;
  /** The padding id of targets, ignored by the loss (default 0). */
  padIndex?: number;
}

/** Trains a Seq2SeqModel; see the module doc. */
export class Seq2SeqTask extends TaskBase<Seq2SeqBatch> {
  /** 'seq2seq'. */
  readonly kind = 'seq2seq';
  private readonly net: Seq2SeqModel;
  private readonly params;
  private readonly clip: number | undefined;
  private readonly ratio: number;
  private readonly pad: number;
  private readonly scores = new SequenceScores();

  /** Creates the task; `model` must have `forward(source, lengths, targetIn)` and `decode(source, lengths)`. */
  constructor(model: Seq2SeqModel, opts: Seq2SeqTaskOptions) {
    if (model === null || typeof model !== 'object' || typeof (model as { decode?: unknown }).decode !== 'function') {
      throw new ValueError(`Seq2SeqTask: the model must have forward(source, sourceLengths, targetIn) and decode(source, sourceLengths) (e.g. a G2P), got ${describe(model)}`);
    }
    if (opts === null || typeof opts !== 'object') throw new ValueError(`Seq2SeqTask: options {optimizer, ...} are required, got ${describe(opts)}`);
    const clip = opts.clipGradNorm;
    if (clip !== undefined && !(typeof clip === 'number' && clip > 0)) throw new ValueError(`Seq2SeqTask: clipGradNorm must be a positive number, got ${String(clip)}`);
    const ratio = opts.teacherForcing ?? 1;
    if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) throw new ValueError(`Seq2SeqTask: teacherForcing must be in [0, 1], got ${String(ratio)}`);
    const pad = opts.padIndex ?? 0;
    if (!Number.isInteger(pad)) throw new ValueError(`Seq2SeqTask: padIndex must be an integer, got ${String(pad)}`);
    const schedules: Record<string, ScheduleSpec> = opts.scheduler ? { scheduler: { scheduler: opts.scheduler, interval: opts.schedulerInterval } } : {};
    super(model, { optimizer: opts.optimizer }, schedules);
    this.net = model;
    this.params = opts.optimizer.paramGroups.flatMap((g) => g.params);
    this.clip = clip;
    this.ratio = ratio;
    this.pad = pad;
  }

  private lossOf(batch: Seq2SeqBatch, ratio: number): { loss: Tensor; n: number } {
    const ok = batch !== null && typeof batch === 'object' && batch.source instanceof Tensor && batch.targetIn instanceof Tensor && batch.targetOut instanceof Tensor && Array.isArray(batch.sourceLengths);
    if (!ok) throw new ValueError(`Seq2SeqTask: each batch must be {source, sourceLengths, targetIn, targetOut, references} (e.g. G2PData.batch), got ${describe(batch)}`);
    const logits = this.net.forward(batch.source, batch.sourceLengths, batch.targetIn, { teacherForcing: ratio });
    const v = logits.shape[logits.ndim - 1];
    const loss = crossEntropy(reshape(logits, [-1, v]), reshape(batch.targetOut, [-1]), { ignoreIndex: this.pad });
    return { loss, n: batch.source.shape[0] };
  }

  /** Forward with teacher forcing, cross-entropy per target token, backward, clipping, one optimizer step. */
  trainStep(batch: Seq2SeqBatch, ctx: StepContext): StepResult {
    this.optimizers.optimizer.zeroGrad();
    const { loss, n } = this.lossOf(batch, this.ratio);
    const value = this.backwardAndStep(loss, ctx, this.clip === undefined ? undefined : { params: this.params, maxNorm: this.clip });
    return { loss: value, n };
  }

  /** The teacher-forced loss, then the model's own decoding scored against the references. */
  evalStep(batch: Seq2SeqBatch): StepResult {
    const { loss, n } = this.lossOf(batch, 1);
    this.scores.update(noGrad(() => this.net.decode(batch.source, batch.sourceLengths)), batch.references as number[][]);
    return { loss: loss.item(), n };
  }

  /** Clears the phase's metrics (and the validation sequence scores). */
  override resetMetrics(phase: 'train' | 'val'): void {
    super.resetMetrics(phase);
    if (phase === 'val') this.scores.reset();
  }

  /** Validation adds `seq_acc` and `ter` of the decoded outputs. */
  override metricLogs(phase: 'train' | 'val'): Record<string, number> {
    if (phase === 'train') return super.metricLogs(phase);
    return { ...super.metricLogs(phase), seq_acc: this.scores.accuracy, ter: this.scores.errorRate };
  }
}
