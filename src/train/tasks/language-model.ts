/**
 * The language-model task: next-symbol prediction with truncated back-propagation through time. Batches come from a
 * stream cut into parallel rows (data/bptt.ts), so the recurrent state after batch k is where batch k+1 starts: the
 * task carries it over (detached, so gradients flow back at most one batch) and starts each epoch and each
 * validation from zeros. The loss is the mean cross-entropy per symbol in nats; `bpc` logs it in bits per symbol.
 * @module
 */
import { ValueError } from '../../errors.js';
import type { Module } from '../../nn/module.js';
import { crossEntropy } from '../../nn/loss.js';
import type { Optimizer } from '../../optim/optimizer.js';
import { Tensor } from '../../tensor/tensor.js';
import { describe } from '../labels.js';
import { TaskBase, type ScheduleSpec, type SchedulerInterval, type StepContext, type StepResult } from '../task.js';
import type { Scheduler } from '../types.js';

/** A recurrent state: one tensor (GRU, RNN) or several (LSTM's [h, c]). */
export type RecurrentState = Tensor | readonly Tensor[];

/** What the task trains: a module that maps symbols [N, L] and a state to logits [N, L, V] and the next state. */
export interface RecurrentLanguageModel extends Module {
  /** Logits [N, L, V] for symbols [N, L] from `state` (null: zeros), and the state after the last step. */
  step(x: Tensor, state: RecurrentState | null): [Tensor, RecurrentState];
}

/** Options of LanguageModelTask. */
export interface LanguageModelTaskOptions {
  /** The optimizer (checkpointed as 'optimizer'). */
  optimizer: Optimizer;
  /** A learning-rate scheduler on it (checkpointed as 'scheduler'). */
  scheduler?: Scheduler;
  /** 'step' or 'epoch' (default: 'step' for CyclicLR/OneCycleLR, else 'epoch'). */
  schedulerInterval?: SchedulerInterval;
  /** Rescale gradients so their joint 2-norm is at most this before each step (recurrent nets usually want ~1-5). */
  clipGradNorm?: number;
}

const LN2 = Math.log(2);

/** The state with its history cut. */
function detachState(s: RecurrentState): RecurrentState {
  return s instanceof Tensor ? s.detach() : s.map((t) => t.detach());
}

/** Truncated-BPTT training of a recurrent language model (see the module doc). */
export class LanguageModelTask extends TaskBase<[Tensor, Tensor]> {
  /** 'language-model'. */
  readonly kind = 'language-model';
  private readonly net: RecurrentLanguageModel;
  private readonly params;
  private readonly clip: number | undefined;
  private trainState: RecurrentState | null = null;
  private valState: RecurrentState | null = null;

  /** Creates the task; `model` must have `step(x, state)`. */
  constructor(model: RecurrentLanguageModel, opts: LanguageModelTaskOptions) {
    if (model === null || typeof model !== 'object' || typeof (model as { step?: unknown }).step !== 'function') {
      throw new ValueError(`LanguageModelTask: the model must have step(x, state) -> [logits, state] (e.g. a CharLM), got ${describe(model)}`);
    }
    const clip = opts?.clipGradNorm;
    if (clip !== undefined && !(typeof clip === 'number' && clip > 0)) throw new ValueError(`LanguageModelTask: clipGradNorm must be a positive number, got ${String(clip)}`);
    const schedules: Record<string, ScheduleSpec> = opts.scheduler ? { scheduler: { scheduler: opts.scheduler, interval: opts.schedulerInterval } } : {};
    super(model, { optimizer: opts.optimizer }, schedules);
    this.net = model;
    this.params = opts.optimizer.paramGroups.flatMap((g) => g.params);
    this.clip = clip;
  }

  private lossOf(batch: [Tensor, Tensor], state: RecurrentState | null): { loss: Tensor; state: RecurrentState; n: number } {
    if (!Array.isArray(batch) || !(batch[0] instanceof Tensor) || !(batch[1] instanceof Tensor)) {
      throw new ValueError(`LanguageModelTask: each batch must be [symbols, targets] of tensors [N, L], got ${describe(batch)}`);
    }
    const [x, y] = batch;
    if (x.ndim !== 2 || y.shape.join() !== x.shape.join()) throw new ValueError(`LanguageModelTask: symbols and targets must both be [N, L], got [${x.shape.join(', ')}] and [${y.shape.join(', ')}]`);
    const [logits, next] = this.net.step(x, state);
    const v = logits.shape[logits.ndim - 1];
    return { loss: crossEntropy(logits.reshape([-1, v]), y.reshape([-1])), state: next, n: x.numel() };
  }

  /** Forward from the carried state, loss, backward, clipping, one optimizer step. */
  trainStep(batch: [Tensor, Tensor], ctx: StepContext): StepResult {
    this.optimizers.optimizer.zeroGrad();
    const { loss, state, n } = this.lossOf(batch, this.trainState);
    const value = this.backwardAndStep(loss, ctx, this.clip === undefined ? undefined : { params: this.params, maxNorm: this.clip });
    this.trainState = detachState(state);
    return { loss: value, n, logs: { bpc: value / LN2 } };
  }

  /** The batch's loss from the carried validation state. */
  evalStep(batch: [Tensor, Tensor]): StepResult {
    const { loss, state, n } = this.lossOf(batch, this.valState);
    this.valState = state;
    const value = loss.item();
    return { loss: value, n, logs: { bpc: value / LN2 } };
  }

  /** Clears the phase's metrics and starts its recurrent state from zeros (each epoch, each validation). */
  override resetMetrics(phase: 'train' | 'val'): void {
    super.resetMetrics(phase);
    if (phase === 'train') this.trainState = null;
    else this.valState = null;
  }
}
