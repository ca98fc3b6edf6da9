/**
 * The shared vocabulary of the training loop: logs, the callback hooks, the context a callback sees, and the
 * training state a checkpoint holds.
 * @module
 */
import type { Module, StateDict } from '../nn/module.js';
import type { Optimizer, OptimizerStateDict } from '../optim/optimizer.js';
import type { SchedulerStateDict } from '../optim/schedulers/base.js';
import type { Scheduler } from '../optim/registry.js';
import type { Task } from './task.js';

/** A learning-rate scheduler `fit` can step: an epoch/step schedule or ReduceLROnPlateau. */
export type { Scheduler } from '../optim/registry.js';

/**
 * One epoch's results: `epoch` (1-based), `loss` and the training metrics (e.g. `accuracy`), `val_loss` and
 * `val_`-prefixed validation metrics when there is a validation loader, `lr` (the first group's learning rate
 * at the epoch's start) and `time` (seconds of the epoch, validation included).
 */
export type EpochLogs = { epoch: number } & Record<string, number>;

/**
 * Running values after a batch: `batch` (1-based within the epoch), `size` (samples in this batch), `loss`
 * and the metrics averaged over the epoch's batches so far, and `lr`.
 */
export type BatchLogs = { batch: number; size: number; loss: number } & Record<string, number>;

/** What `fit` returns: one record per epoch (those of a resumed run included) and why it stopped early. */
export interface History {
  /** The epochs' logs, in order. */
  epochs: EpochLogs[];
  /** Why training stopped before the last epoch (set by a callback such as EarlyStopping), else null. */
  stopReason: string | null;
}

/** The state a checkpoint saves at an epoch boundary so that training resumes exactly where it was. */
export interface TrainingState {
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  /** Each of the task's optimizers' state dicts (momentum buffers, step counts, hyper-parameters), by name. */
  optimizers?: Record<string, OptimizerStateDict>;
  /** Each of the task's schedulers' state dicts, by name. */
  schedulers?: Record<string, SchedulerStateDict>;
  /** The task's own state (`Task.stateDict`), when it has one. */
  task?: Record<string, unknown>;
  /** Format 1 (before tasks): the one optimizer's state; read on resume, no longer written. */
  optimizer?: OptimizerStateDict;
  /** Format 1 (before tasks): the one scheduler's state or null; read on resume, no longer written. */
  scheduler?: SchedulerStateDict | null;
  /** Generator states: the default generator's and those of the loaders' samplers (and `generators`). */
  rng: { default: number[]; extra: number[][] };
  /** Each stateful callback's state, by its key. */
  callbacks: Record<string, Record<string, unknown>>;
  /** The logs of the epochs completed. */
  history: EpochLogs[];
}

/** What a callback sees of the training run. */
export interface FitContext {
  /** The task being trained (its model, named optimizers and schedulers, pictures). */
  readonly task?: Task;
  /** The model being trained (the task's model). */
  readonly model: Module;
  /** Its (first) optimizer. */
  readonly optimizer: Optimizer;
  /** Its (first) scheduler, or null. */
  readonly scheduler: Scheduler | null;
  /** The epoch training ends at (fit's `epochs`). */
  readonly epochs: number;
  /** Epochs already completed when this fit call started (non-zero when resuming). */
  readonly initialEpoch: number;
  /** The current epoch, 1-based (the last completed one after training). */
  readonly epoch: number;
  /** Optimizer steps taken so far. */
  readonly step: number;
  /** Batches per epoch, or null when the loader cannot tell. */
  readonly batchesPerEpoch: number | null;
  /** Logs of the epochs completed so far. */
  readonly history: readonly EpochLogs[];
  /** Why training is stopping, once a callback asked it to stop; else null. */
  readonly stopReason: string | null;
  /** Asks training to stop after the current epoch. */
  stop(reason: string): void;
  /** A snapshot of everything needed to resume after this moment (taken at epoch boundaries). */
  trainingState(): TrainingState;
}

/**
 * A training callback: every hook is optional. Order within an epoch: onEpochBegin, per batch
 * onBatchBegin/onBatchEnd, then (after validation and the epoch's scheduler step) every callback's onEpochEnd,
 * then every callback's onCheckpoint — so a checkpoint written there holds every callback's state for the epoch.
 * Callbacks that implement `stateDict`/`loadStateDict` have their state saved in checkpoints and restored on resume.
 */
export interface Callback {
  /** Key of this callback's state in a checkpoint (default: its class name, with `#2`, `#3` for repeats). */
  readonly stateKey?: string;
  /** Before the first epoch (also when resuming). */
  onTrainBegin?(ctx: FitContext): void;
  /** Before epoch `epoch` (1-based). */
  onEpochBegin?(epoch: number, ctx: FitContext): void;
  /** Before batch `batch` (1-based within the epoch). */
  onBatchBegin?(batch: number, ctx: FitContext): void;
  /** After a batch, with running averages. */
  onBatchEnd?(batch: number, logs: BatchLogs, ctx: FitContext): void;
  /** After an epoch (training, validation and the scheduler's epoch step). */
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: FitContext): void;
  /** After every callback's onEpochEnd: the place to save checkpoints. */
  onCheckpoint?(epoch: number, logs: EpochLogs, ctx: FitContext): void;
  /** After the last epoch, or after a callback stopped training. */
  onTrainEnd?(ctx: FitContext): void;
  /** The callback's state for a checkpoint (plain data and tensors). */
  stateDict?(): Record<string, unknown>;
  /** Restores a state from `stateDict()`. */
  loadStateDict?(state: Record<string, unknown>): void;
}

/** A model's weights plus the training state saved with them (what `loadCheckpoint` returns). */
export interface Checkpoint {
  /** The model's state dict. */
  weights: StateDict;
  /** The training state, or null for a weights-only file. */
  state: TrainingState | null;
  /** The file's string metadata. */
  metadata: Record<string, string>;
}
