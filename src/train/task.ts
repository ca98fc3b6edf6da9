/**
 * Training tasks. A task owns everything about training that depends on the kind of model: its training step
 * (forward, loss, backward, optimizer steps), its evaluation step and metrics, its named optimizers and schedulers
 * (a classifier has one of each, a GAN two), the module whose weights checkpoints hold, any extra state checkpoints
 * must keep, and the pictures it draws each epoch. `fitTask` (loop.ts) runs any task with the same epochs,
 * validation, callbacks, progress, checkpoints and exact resume; `fit` is `fitTask` with a SupervisedTask.
 *
 * `TaskBase` holds the bookkeeping most tasks share: named optimizers, schedulers stepped per optimizer step or per
 * epoch (the rule: CyclicLR and OneCycleLR per step, every other per epoch after validation; ReduceLROnPlateau with
 * a monitored log value), and separate training and validation metrics.
 * @module
 */
import { ShenduError, ValueError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { clipGradNorm_ } from '../optim/clip.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { LRScheduler } from '../optim/schedulers/base.js';
import { CyclicLR, OneCycleLR } from '../optim/schedulers/cyclic.js';
import { ReduceLROnPlateau } from '../optim/schedulers/plateau.js';
import type { SchedulerInterval } from '../optim/registry.js';
import type { Tensor } from '../tensor/tensor.js';
import { metricLogs, type Metric } from './streaming-metrics.js';
import type { EpochLogs, Scheduler } from './types.js';

/**
 * Training stopped because something went wrong numerically: a non-finite loss, gradient norm or parameter.
 * `step` is the optimizer step that was being computed (1-based), `epoch` and `batch` where it happened.
 */
export class TrainingError extends ShenduError {
  /** Creates the error. */
  constructor(message: string, readonly epoch: number, readonly batch: number, readonly step: number) {
    super(message);
  }
}

/** Where a step happens: the loop's position, passed to every task hook. */
export interface StepContext {
  /** The epoch, 1-based. */
  readonly epoch: number;
  /** The batch within the epoch, 1-based (0 outside a batch, e.g. in `finishEpoch`). */
  readonly batch: number;
  /** Batches per epoch of the training loader, or null when it cannot tell. */
  readonly batchesPerEpoch: number | null;
  /** Optimizer steps taken before this call (as counted from the steps tasks report). */
  readonly step: number;
}

/** What one training or evaluation step reports. */
export interface StepResult {
  /** The batch's loss (the value minimized; for several losses, their sum or the one the task calls its loss). */
  loss: number;
  /** Samples in the batch: the epoch's logs average `loss` and `logs` weighted by it. */
  n: number;
  /** Other per-batch values to average over the epoch (e.g. a GAN's `d_loss` and `g_loss`). */
  logs?: Record<string, number>;
  /** Optimizer steps this call took (default 1 for training steps; 0 while gradients accumulate). */
  steps?: number;
}

/** A picture a task draws: PNG bytes written by the PictureSaver callback as `<name>.png`. */
export interface TaskPicture {
  /** File name without extension (a checked file name: letters, digits, `-`, `_`, `.`). */
  name: string;
  /** The PNG-encoded image. */
  png: Uint8Array;
}

/**
 * A training task, run by `fitTask`. Batches are whatever the loaders yield (`B`); only the task looks inside them.
 * The loop puts `model` in train mode for `trainStep` and in eval mode, without gradients, for `evalStep`.
 */
export interface Task<B = unknown> {
  /** The task's kind, e.g. 'classification' (the registry name). */
  readonly kind: string;
  /** The module trained; its state dict is what checkpoints hold (a container for several networks). */
  readonly model: Module;
  /** The optimizers by name (checkpointed by name). */
  readonly optimizers: Readonly<Record<string, Optimizer>>;
  /** The schedulers by name (checkpointed by name). */
  readonly schedulers: Readonly<Record<string, Scheduler>>;
  /** Checks option consistency before training (called once by fitTask); throws a ValueError. */
  validate?(op: string): void;
  /** One training batch: forward, loss, backward, optimizer steps (and per-step schedulers), metric updates. */
  trainStep(batch: B, ctx: StepContext): StepResult;
  /** After the epoch's last batch, before validation (e.g. the step of a shorter last accumulation group). */
  finishEpoch?(ctx: StepContext): { steps: number };
  /** One validation batch (eval mode, no gradients): loss and metric updates. */
  evalStep(batch: B, ctx: StepContext): StepResult;
  /** Clears the training ('train') or validation ('val') metrics at the start of an epoch / a validation. */
  resetMetrics(phase: 'train' | 'val'): void;
  /** The current values of the training or validation metrics, by log name (without the `val_` prefix). */
  metricLogs(phase: 'train' | 'val'): Record<string, number>;
  /** After validation: steps the per-epoch schedulers (ReduceLROnPlateau reads its monitored value in `logs`). */
  endEpoch(logs: EpochLogs, ctx: StepContext): void;
  /** The learning rate shown in logs and progress (the first optimizer's first group's, by default). */
  learningRate(): number;
  /** Pictures drawn after an epoch (written by the PictureSaver callback). */
  pictures?(epoch: number): TaskPicture[];
  /** State beyond weights, optimizers and schedulers that a checkpoint must keep (plain data and tensors). */
  stateDict?(): Record<string, unknown>;
  /** Restores `stateDict()`. */
  loadStateDict?(state: Record<string, unknown>): void;
}

/** When a scheduler steps: after every optimizer step of its optimizer, or once per epoch after validation. */
export type { SchedulerInterval } from '../optim/registry.js';

/** The default interval of a scheduler: 'step' for CyclicLR and OneCycleLR, else 'epoch'. */
export function defaultInterval(s: Scheduler): SchedulerInterval {
  return s instanceof CyclicLR || s instanceof OneCycleLR ? 'step' : 'epoch';
}

/** One scheduler of a TaskBase: the scheduler, its interval and, for ReduceLROnPlateau, the log value it watches. */
export interface ScheduleSpec {
  /** The scheduler (its optimizer must be one of the task's). */
  scheduler: Scheduler;
  /** When it steps (default `defaultInterval`). */
  interval?: SchedulerInterval;
  /** For ReduceLROnPlateau: the epoch log value it is stepped with (default `val_loss` when present, else `loss`). */
  monitor?: string;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/**
 * Shared bookkeeping of tasks: named optimizers and schedulers with their intervals, and training/validation
 * metric lists. Subclasses write `trainStep` and `evalStep`, call `optimizerStep(name)` after `backward()` (it
 * steps the optimizer and that optimizer's per-step schedulers) and update `trainMetrics` / `valMetrics`.
 */
export abstract class TaskBase<B = unknown> implements Task<B> {
  /** The task's kind (its registry name). */
  abstract readonly kind: string;
  /** The optimizers by name. */
  readonly optimizers: Readonly<Record<string, Optimizer>>;
  /** The schedulers by name. */
  readonly schedulers: Readonly<Record<string, Scheduler>>;
  /** Metrics updated on training batches. */
  readonly trainMetrics: readonly Metric[];
  /** Metrics updated on validation batches. */
  readonly valMetrics: readonly Metric[];
  private readonly specs: [string, Required<Omit<ScheduleSpec, 'monitor'>> & { monitor?: string }][];

  /** Takes the task's optimizers and schedulers by name, and its metrics (cloned for training). */
  constructor(
    readonly model: Module,
    optimizers: Record<string, Optimizer>,
    schedules: Record<string, ScheduleSpec> = {},
    metrics: readonly Metric[] = [],
  ) {
    if (Object.keys(optimizers).length === 0) throw new ValueError('Task: at least one optimizer is needed');
    this.optimizers = { ...optimizers };
    const owned = new Set(Object.values(optimizers));
    this.specs = Object.entries(schedules).map(([name, spec]) => {
      const s = spec?.scheduler;
      if (s === null || typeof s !== 'object' || typeof (s as { step?: unknown }).step !== 'function') {
        throw new ValueError(`Task: schedule '${name}' must hold an LRScheduler or ReduceLROnPlateau, got ${describeValue(s)}`);
      }
      if (!owned.has(s.optimizer)) throw new ValueError(`Task: the scheduler '${name}' is attached to an optimizer that is not one of the task's (${Object.keys(optimizers).join(', ')})`);
      const interval = spec.interval ?? defaultInterval(s);
      if (interval !== 'step' && interval !== 'epoch') throw new ValueError(`Task: schedule '${name}' interval must be 'step' or 'epoch', got ${String(interval)}`);
      if (interval === 'step' && s instanceof ReduceLROnPlateau) throw new ValueError(`Task: ReduceLROnPlateau ('${name}') needs a metric, so it is stepped per epoch; drop interval: 'step'`);
      return [name, { scheduler: s, interval, monitor: spec.monitor }];
    });
    this.schedulers = Object.fromEntries(this.specs.map(([n, s]) => [n, s.scheduler]));
    this.valMetrics = [...metrics];
    this.trainMetrics = metrics.map((m) => m.clone());
  }

  /** One training batch (see Task.trainStep); call `optimizerStep(name)` after backward. */
  abstract trainStep(batch: B, ctx: StepContext): StepResult;
  /** One validation batch (see Task.evalStep). */
  abstract evalStep(batch: B, ctx: StepContext): StepResult;

  /** Steps optimizer `name`, then the per-step schedulers attached to it. */
  protected optimizerStep(name: string): void {
    const opt = this.optimizers[name];
    if (!opt) throw new ValueError(`Task: no optimizer '${name}'; the task has ${Object.keys(this.optimizers).join(', ')}`);
    opt.step();
    for (const [, s] of this.specs) if (s.interval === 'step' && s.scheduler.optimizer === opt) (s.scheduler as LRScheduler).step();
  }

  /**
   * The usual end of a training step: reads the loss (a non-finite one is a TrainingError naming the step), runs
   * backward, clips the gradients of `clip.params` to norm `clip.maxNorm` when given (a non-finite norm is a
   * TrainingError too), then steps optimizer `optimizer` (default 'optimizer'). Returns the loss value.
   */
  protected backwardAndStep(loss: Tensor, ctx: StepContext, clip?: { params: readonly Tensor[]; maxNorm: number }, optimizer = 'optimizer'): number {
    const value = loss.item();
    if (!Number.isFinite(value)) {
      throw new TrainingError(`fit: the loss is ${value} at step ${ctx.step + 1} (epoch ${ctx.epoch}, batch ${ctx.batch}); lower the learning rate or clip gradients`, ctx.epoch, ctx.batch, ctx.step + 1);
    }
    loss.backward();
    if (clip !== undefined) {
      const norm = clipGradNorm_(clip.params, clip.maxNorm);
      if (!Number.isFinite(norm)) throw new TrainingError(`fit: the gradient norm is ${norm} at step ${ctx.step + 1} (epoch ${ctx.epoch}, batch ${ctx.batch})`, ctx.epoch, ctx.batch, ctx.step + 1);
    }
    this.optimizerStep(optimizer);
    return value;
  }

  /** Clears the phase's metrics. */
  resetMetrics(phase: 'train' | 'val'): void {
    for (const m of phase === 'train' ? this.trainMetrics : this.valMetrics) m.reset();
  }

  /** The phase's metric values (a record-valued metric gives one entry per key). */
  metricLogs(phase: 'train' | 'val'): Record<string, number> {
    return metricLogs(phase === 'train' ? this.trainMetrics : this.valMetrics);
  }

  /** Steps every per-epoch scheduler; ReduceLROnPlateau with its monitored log value. */
  endEpoch(logs: EpochLogs): void {
    for (const [, s] of this.specs) {
      if (s.interval !== 'epoch') continue;
      if (s.scheduler instanceof ReduceLROnPlateau) {
        const key = s.monitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
        if (!(key in logs)) throw new ValueError(`fit: plateauMonitor '${key}' is not in the epoch's logs; available: ${Object.keys(logs).join(', ')}`);
        s.scheduler.step(logs[key]);
      } else {
        s.scheduler.step();
      }
    }
  }

  /** The first optimizer's first group's learning rate. */
  learningRate(): number {
    return Object.values(this.optimizers)[0].paramGroups[0].lr;
  }
}
