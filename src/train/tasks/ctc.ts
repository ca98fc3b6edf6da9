/**
 * The CTC task: a recognizer that scores every frame (column) of its input is trained with connectionist temporal
 * classification against unaligned label sequences (Graves et al., 2006), as the CRNN of Shi, Bai & Yao (2015).
 * Every frame counts as input (input length T for all samples: strips are padded with background, not cut).
 * Metrics: sequence accuracy (`seq_acc`, the whole string right) and character error rate (`cer`, edit distance
 * over reference length) of the model's own decoding (greedy best path unless the model decodes otherwise).
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ValueError } from '../../errors.js';
import type { Module } from '../../nn/module.js';
import { ctcLoss } from '../../nn/loss-ctc.js';
import { logSoftmax } from '../../ops/activation.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { Tensor } from '../../tensor/tensor.js';
import { SequenceScores } from '../edit-distance.js';
import { describe } from '../labels.js';
import { TaskBase, type ScheduleSpec, type SchedulerInterval, type StepContext, type StepResult } from '../task.js';
import type { Scheduler } from '../types.js';

/** What the CTC task trains: per-frame class scores and a decoder of them. */
export interface CtcModel extends Module {
  /** Per-frame class scores (logits) [T, N, C] for a batch of inputs. */
  forward(x: Tensor): Tensor;
  /** Label sequences (blanks removed) read from log-probabilities [T, N, C], one per batch element. */
  decode(logProbs: Tensor): number[][];
  /** The blank class index. */
  readonly blank: number;
}

/** A CTC batch: inputs, padded targets [N, S] int32 and each sample's true target length (data's StripBatch). */
export interface CtcBatch {
  /** The model's input batch. */
  input: Tensor;
  /** Targets [N, S] int32, padded after each length. */
  targets: Tensor;
  /** Each sample's number of labels. */
  targetLengths: readonly number[];
}

/** Options of CtcTask. */
export interface CtcTaskOptions {
  /** The optimizer (checkpointed as 'optimizer'). */
  optimizer: Optimizer;
  /** A learning-rate scheduler on it (checkpointed as 'scheduler'). */
  scheduler?: Scheduler;
  /** 'step' or 'epoch' (default: 'step' for CyclicLR/OneCycleLR, else 'epoch'). */
  schedulerInterval?: SchedulerInterval;
  /** Rescale gradients so their joint 2-norm is at most this before each step (recurrent readers like ~5). */
  clipGradNorm?: number;
  /** Replace the losses of impossible alignments by 0 (default true: a strip too short for its labels is skipped, not fatal). */
  zeroInfinity?: boolean;
}

/** Trains a CtcModel with `ctcLoss` (mean over target lengths, then the batch, as PyTorch); see the module doc. */
export class CtcTask extends TaskBase<CtcBatch> {
  /** 'ctc'. */
  readonly kind = 'ctc';
  private readonly net: CtcModel;
  private readonly params;
  private readonly clip: number | undefined;
  private readonly zeroInfinity: boolean;
  private readonly scores = { train: new SequenceScores(), val: new SequenceScores() };

  /** Creates the task; `model` must have `decode(logProbs)` and `blank`. */
  constructor(model: CtcModel, opts: CtcTaskOptions) {
    if (model === null || typeof model !== 'object' || typeof (model as { decode?: unknown }).decode !== 'function' || !Number.isInteger((model as { blank?: unknown }).blank)) {
      throw new ValueError(`CtcTask: the model must have forward(x) -> [T, N, C], decode(logProbs) and a blank index (e.g. a CRNN), got ${describe(model)}`);
    }
    if (opts === null || typeof opts !== 'object') throw new ValueError(`CtcTask: options {optimizer, ...} are required, got ${describe(opts)}`);
    const clip = opts.clipGradNorm;
    if (clip !== undefined && !(typeof clip === 'number' && clip > 0)) throw new ValueError(`CtcTask: clipGradNorm must be a positive number, got ${String(clip)}`);
    const zi = opts.zeroInfinity ?? true;
    if (typeof zi !== 'boolean') throw new ValueError(`CtcTask: zeroInfinity must be a boolean, got ${String(zi)}`);
    const schedules: Record<string, ScheduleSpec> = opts.scheduler ? { scheduler: { scheduler: opts.scheduler, interval: opts.schedulerInterval } } : {};
    super(model, { optimizer: opts.optimizer }, schedules);
    this.net = model;
    this.params = opts.optimizer.paramGroups.flatMap((g) => g.params);
    this.clip = clip;
    this.zeroInfinity = zi;
  }

  private lossOf(batch: CtcBatch): { loss: Tensor; logProbs: Tensor; refs: number[][] } {
    const ok = batch !== null && typeof batch === 'object' && batch.input instanceof Tensor && batch.targets instanceof Tensor && Array.isArray(batch.targetLengths);
    if (!ok) throw new ValueError(`CtcTask: each batch must be {input, targets [N, S] int32, targetLengths} (e.g. DigitStrips.batch), got ${describe(batch)}`);
    const logits = this.net.forward(batch.input);
    if (logits.ndim !== 3) throw new ValueError(`CtcTask: the model must return frame scores [T, N, C], got shape [${logits.shape.join(', ')}]`);
    const [T, N] = logits.shape;
    const logProbs = logSoftmax(logits, 2);
    const loss = ctcLoss(logProbs, batch.targets, new Array<number>(N).fill(T), batch.targetLengths, { blank: this.net.blank, zeroInfinity: this.zeroInfinity });
    const S = batch.targets.shape[1];
    const tg = batch.targets.toTypedArray();
    const refs = batch.targetLengths.map((l, b) => Array.from(tg.subarray(b * S, b * S + l)));
    return { loss, logProbs, refs };
  }

  private record(phase: 'train' | 'val', logProbs: Tensor, refs: number[][]): void {
    this.scores[phase].update(noGrad(() => this.net.decode(logProbs.detach())), refs);
  }

  /** Forward, CTC loss, backward, clipping, one optimizer step; decodes the batch for the training metrics. */
  trainStep(batch: CtcBatch, ctx: StepContext): StepResult {
    this.optimizers.optimizer.zeroGrad();
    const { loss, logProbs, refs } = this.lossOf(batch);
    const value = this.backwardAndStep(loss, ctx, this.clip === undefined ? undefined : { params: this.params, maxNorm: this.clip });
    this.record('train', logProbs, refs);
    return { loss: value, n: refs.length };
  }

  /** The batch's CTC loss and decoded sequences. */
  evalStep(batch: CtcBatch): StepResult {
    const { loss, logProbs, refs } = this.lossOf(batch);
    this.record('val', logProbs, refs);
    return { loss: loss.item(), n: refs.length };
  }

  /** Clears the phase's sequence scores. */
  override resetMetrics(phase: 'train' | 'val'): void {
    super.resetMetrics(phase);
    this.scores[phase].reset();
  }

  /** `seq_acc` and `cer` of the phase so far. */
  override metricLogs(phase: 'train' | 'val'): Record<string, number> {
    const s = this.scores[phase];
    return { ...super.metricLogs(phase), seq_acc: s.accuracy, cer: s.errorRate };
  }
}
