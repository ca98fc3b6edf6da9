/**
 * The training loop every task runs: `fitTask(task, {trainLoader, valLoader, epochs, callbacks, resumeFrom})`.
 * Epochs of the task's training steps, validation with its evaluation steps (eval mode, no gradients), the
 * task's per-epoch schedulers, callbacks (progress, loggers, checkpoints, early stopping) and exact resume from
 * a checkpoint: weights, every named optimizer and scheduler, the task's own state, generators, callbacks, history.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { DataLoader } from '../data/dataloader.js';
import { ValueError } from '../errors.js';
import { Optimizer } from '../optim/optimizer.js';
import { Generator, defaultGenerator } from '../tensor/random.js';
import { describe } from './labels.js';
import { nowMs } from './platform.js';
import { TrainingError, type StepContext, type Task } from './task.js';
import type { BatchLogs, Callback, Checkpoint, EpochLogs, FitContext, History, Scheduler, TrainingState } from './types.js';
import { checkInt } from '../ops/util.js';

/** Options of `fitTask` (what the loop needs besides the task). */
export interface LoopOptions {
  /** Training batches, iterated once per epoch (e.g. a DataLoader); each batch goes to `task.trainStep`. */
  trainLoader: Iterable<unknown>;
  /** Validation batches, evaluated after every epoch with `task.evalStep` (logged with the `val_` prefix). */
  valLoader?: Iterable<unknown>;
  /** The epoch to train up to (total, counting epochs already done when resuming). */
  epochs: number;
  /** Epochs already done (default 0; taken from the checkpoint when resuming). */
  initialEpoch?: number;
  /** Callbacks, called in order. */
  callbacks?: Callback[];
  /** A checkpoint from `loadCheckpoint` to resume from. */
  resumeFrom?: Checkpoint | null;
  /** Extra generators whose states checkpoints save (e.g. one given to random transforms); the loaders' are found. */
  generators?: Generator[];
}

/** Number of batches of a loader, or null when it cannot tell (an iterable dataset, a plain iterable). */
function lengthOf(loader: Iterable<unknown>): number | null {
  try {
    const n = (loader as { length?: unknown }).length;
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
  } catch {
    return null;
  }
}

function samplerGenerator(loader: unknown): Generator | null {
  if (!(loader instanceof DataLoader)) return null;
  const g = (loader.sampler as { opts?: { generator?: unknown } } | null)?.opts?.generator;
  return g instanceof Generator ? g : null;
}

function checkFinite(task: Task, epoch: number, batch: number, step: number): void {
  for (const [name, p] of task.model.namedParameters()) {
    const data = p.toTypedArray();
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new TrainingError(`fit: parameter '${name}' became ${data[i]} by step ${step} (epoch ${epoch}); training stopped before this epoch was saved, so the last checkpoint is the last good one — lower the learning rate or clip gradients`, epoch, batch, step);
      }
    }
  }
}

/** Sums of per-batch values weighted by batch size, for an epoch's averages. */
class Averages {
  private sums: Record<string, number> = {};
  seen = 0;

  add(loss: number, n: number, logs: Record<string, number> | undefined): void {
    this.sums.loss = (this.sums.loss ?? 0) + loss * n;
    for (const [k, v] of Object.entries(logs ?? {})) this.sums[k] = (this.sums[k] ?? 0) + v * n;
    this.seen += n;
  }

  values(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.sums).map(([k, v]) => [k, v / this.seen]));
  }
}

/** The running state of one fitTask call, as callbacks see it. */
class Run implements FitContext {
  epoch: number;
  step = 0;
  history: EpochLogs[] = [];
  stopReason: string | null = null;

  constructor(
    readonly task: Task,
    readonly epochs: number,
    public initialEpoch: number,
    readonly batchesPerEpoch: number | null,
    readonly generators: readonly Generator[],
    readonly callbacks: readonly Callback[],
  ) {
    this.epoch = initialEpoch;
  }

  get model() {
    return this.task.model;
  }

  get optimizer(): Optimizer {
    return Object.values(this.task.optimizers)[0];
  }

  get scheduler(): Scheduler | null {
    return Object.values(this.task.schedulers)[0] ?? null;
  }

  stop(reason: string): void {
    this.stopReason ??= String(reason);
  }

  /** Each stateful callback with its checkpoint key. */
  statefulCallbacks(): [string, Callback][] {
    const seen = new Map<string, number>();
    const out: [string, Callback][] = [];
    for (const cb of this.callbacks) {
      const base = cb.stateKey ?? cb.constructor?.name ?? 'Callback';
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      if (typeof cb.stateDict === 'function') out.push([n === 1 ? base : `${base}#${n}`, cb]);
    }
    return out;
  }

  trainingState(): TrainingState {
    const callbacks: Record<string, Record<string, unknown>> = {};
    for (const [key, cb] of this.statefulCallbacks()) callbacks[key] = (cb.stateDict as () => Record<string, unknown>)();
    const task = this.task.stateDict?.();
    return {
      epoch: this.epoch,
      step: this.step,
      optimizers: Object.fromEntries(Object.entries(this.task.optimizers).map(([k, o]) => [k, o.stateDict()])),
      schedulers: Object.fromEntries(Object.entries(this.task.schedulers).map(([k, s]) => [k, s.stateDict()])),
      ...(task ? { task } : {}),
      rng: { default: defaultGenerator.getState(), extra: this.generators.map((g) => g.getState()) },
      callbacks,
      history: this.history.map((h) => ({ ...h })),
    };
  }

  restore(ck: Checkpoint): void {
    const state = ck.state;
    if (!state) throw new ValueError('fit: resumeFrom is a weights-only checkpoint (no training state); load it with model.loadStateDict to start a new run from its weights');
    const optNames = Object.keys(this.task.optimizers);
    const schedNames = Object.keys(this.task.schedulers);
    const saved = namedStates(state, optNames, schedNames);
    const missing = optNames.filter((n) => !(n in saved.optimizers));
    if (missing.length || Object.keys(saved.optimizers).length !== optNames.length) {
      throw new ValueError(`fit: the checkpoint holds optimizers ${list(Object.keys(saved.optimizers))}, this run has ${list(optNames)}; resume with the same task`);
    }
    const savedScheds = Object.keys(saved.schedulers);
    if (savedScheds.length !== schedNames.length || schedNames.some((n) => !(n in saved.schedulers))) {
      throw new ValueError(savedScheds.length === 0
        ? 'fit: the checkpoint was saved without a scheduler, but this run has one; resume with the same setup'
        : schedNames.length === 0
          ? 'fit: the checkpoint holds a scheduler state, but this run has no scheduler; resume with the same setup'
          : `fit: the checkpoint holds schedulers ${list(savedScheds)}, this run has ${list(schedNames)}; resume with the same setup`);
    }
    if (state.rng.extra.length !== this.generators.length) {
      throw new ValueError(`fit: the checkpoint holds ${state.rng.extra.length} loader/extra generator states, this run has ${this.generators.length} generators; resume with the same loaders (shuffle and generator) and generators`);
    }
    this.task.model.loadStateDict(ck.weights);
    for (const n of optNames) this.task.optimizers[n].loadStateDict(saved.optimizers[n]);
    for (const n of schedNames) this.task.schedulers[n].loadStateDict(saved.schedulers[n]);
    if (state.task !== undefined && typeof this.task.loadStateDict === 'function') this.task.loadStateDict(state.task);
    for (const [key, cb] of this.statefulCallbacks()) {
      const s = state.callbacks[key];
      if (s !== undefined && typeof cb.loadStateDict === 'function') cb.loadStateDict(s);
    }
    defaultGenerator.setState(state.rng.default);
    this.generators.forEach((g, i) => g.setState(state.rng.extra[i]));
    this.history = state.history.map((h) => ({ ...h }));
    this.step = state.step;
    this.initialEpoch = state.epoch;
    this.epoch = state.epoch;
  }
}

function list(names: string[]): string {
  return names.length ? names.map((n) => `'${n}'`).join(', ') : 'none';
}

/** The named optimizer/scheduler states of a training state; a format-1 state (one of each) maps onto the only names. */
function namedStates(state: TrainingState, optNames: string[], schedNames: string[]): Pick<Required<TrainingState>, 'optimizers' | 'schedulers'> {
  if (state.optimizers) return { optimizers: state.optimizers, schedulers: state.schedulers ?? {} };
  const optimizers = state.optimizer && optNames.length === 1 ? { [optNames[0]]: state.optimizer } : {};
  const schedulers = state.scheduler ? { [schedNames.length === 1 ? schedNames[0] : 'scheduler']: state.scheduler } : {};
  return { optimizers, schedulers };
}

/**
 * Trains `task` for epochs `initialEpoch + 1 … epochs`: per batch `task.trainStep` (model in train mode); per epoch
 * `task.finishEpoch`, a check that every parameter is finite, validation with `task.evalStep` (eval mode, no
 * gradients), `task.endEpoch` (per-epoch schedulers), then the callbacks' onEpochEnd and onCheckpoint. A
 * TrainingError (non-finite loss, gradient or parameter) stops training before anything of the epoch is saved.
 * With `resumeFrom`, training continues from a checkpoint and, with the same seed and setup, ends with exactly the
 * weights of an uninterrupted run. Returns the history; the model's train/eval mode is restored.
 *
 * @example
 * ```ts
 * const task = new train.ClassificationTask(model, { optimizer: new optim.SGD(model.parameters(), { lr: 0.05 }) });
 * const history = train.fitTask(task, { trainLoader: loader, valLoader, epochs: 3 });
 * ```
 */
export function fitTask(task: Task, opts: LoopOptions): History {
  const op = 'fit';
  if (task === null || typeof task !== 'object' || typeof task.trainStep !== 'function' || typeof task.evalStep !== 'function') {
    throw new ValueError(`fitTask: task must be a Task (trainStep, evalStep, model, optimizers, ...), got ${describe(task)}`);
  }
  if (opts === null || typeof opts !== 'object') throw new ValueError('fit: options {trainLoader, epochs, ...} are required');
  const { trainLoader, valLoader } = opts;
  if (trainLoader === null || typeof (trainLoader as Iterable<unknown>)?.[Symbol.iterator] !== 'function') throw new ValueError(`fit: trainLoader must be iterable (e.g. a DataLoader), got ${describe(trainLoader)}`);
  if (valLoader !== undefined && (valLoader === null || typeof valLoader[Symbol.iterator] !== 'function')) throw new ValueError(`fit: valLoader must be iterable, got ${describe(valLoader)}`);
  for (const [name, o] of Object.entries(task.optimizers)) {
    if (!(o instanceof Optimizer)) throw new ValueError(`fit: optimizer '${name}' must be an Optimizer, got ${describe(o)}`);
  }
  const epochs = checkInt(op, opts.epochs, 'epochs', 1);
  let initialEpoch = checkInt(op, opts.initialEpoch ?? 0, 'initialEpoch', 0);
  task.validate?.(op);
  const callbacks = [...(opts.callbacks ?? [])];
  callbacks.forEach((cb, i) => {
    if (cb === null || typeof cb !== 'object') throw new ValueError(`fit: callbacks[${i}] must be a callback object, got ${describe(cb)}`);
  });
  const generators: Generator[] = [];
  for (const g of [samplerGenerator(trainLoader), samplerGenerator(valLoader), ...(opts.generators ?? [])]) {
    if (g !== null && !(g instanceof Generator)) throw new ValueError(`fit: generators must be Generator objects, got ${describe(g)}`);
    if (g && g !== defaultGenerator && !generators.includes(g)) generators.push(g);
  }
  const batchesPerEpoch = lengthOf(trainLoader);
  const run = new Run(task, epochs, initialEpoch, batchesPerEpoch, generators, callbacks);
  if (opts.resumeFrom) {
    if (opts.initialEpoch !== undefined && opts.initialEpoch !== opts.resumeFrom.state?.epoch) {
      throw new ValueError(`fit: initialEpoch ${opts.initialEpoch} contradicts the checkpoint, which is at epoch ${opts.resumeFrom.state?.epoch}; leave initialEpoch out when resuming`);
    }
    run.restore(opts.resumeFrom);
    initialEpoch = run.initialEpoch;
  }
  const model = task.model;
  const wasTraining = model.training;
  const ctx = (epoch: number, batch: number): StepContext => ({ epoch, batch, batchesPerEpoch, step: run.step });
  const wantBatchLogs = callbacks.some((cb) => cb.onBatchEnd);

  try {
    for (const cb of callbacks) cb.onTrainBegin?.(run);
    for (let epoch = initialEpoch + 1; epoch <= epochs && run.stopReason === null; epoch++) {
      run.epoch = epoch;
      model.train();
      const t0 = nowMs();
      for (const cb of callbacks) cb.onEpochBegin?.(epoch, run);
      const lr0 = task.learningRate();
      task.resetMetrics('train');
      const avg = new Averages();
      let batch = 0;
      for (const raw of trainLoader) {
        batch++;
        for (const cb of callbacks) cb.onBatchBegin?.(batch, run);
        const r = task.trainStep(raw, ctx(epoch, batch));
        if (!Number.isFinite(r.loss)) {
          throw new TrainingError(`fit: the loss is ${r.loss} at step ${run.step + 1} (epoch ${epoch}, batch ${batch}); training stopped before this epoch was saved, so the last checkpoint is the last good one`, epoch, batch, run.step + 1);
        }
        run.step += r.steps ?? 1;
        avg.add(r.loss, r.n, r.logs);
        if (wantBatchLogs) {
          const logs = { batch, size: r.n, ...avg.values(), ...task.metricLogs('train'), lr: task.learningRate() } as unknown as BatchLogs;
          for (const cb of callbacks) cb.onBatchEnd?.(batch, logs, run);
        }
      }
      if (batch === 0) throw new ValueError('fit: the training loader yielded no batches');
      run.step += task.finishEpoch?.(ctx(epoch, 0)).steps ?? 0;
      checkFinite(task, epoch, batch, run.step);
      const logs = { epoch, ...avg.values(), ...task.metricLogs('train') } as EpochLogs;
      if (valLoader) {
        for (const [k, x] of Object.entries(evaluateTask(task, valLoader, ctx(epoch, 0)))) logs[`val_${k}`] = x;
      }
      logs.lr = lr0;
      task.endEpoch(logs, ctx(epoch, 0));
      logs.time = (nowMs() - t0) / 1000;
      run.history.push(logs);
      for (const cb of callbacks) cb.onEpochEnd?.(epoch, logs, run);
      for (const cb of callbacks) cb.onCheckpoint?.(epoch, logs, run);
    }
    for (const cb of callbacks) cb.onTrainEnd?.(run);
  } finally {
    model.train(wasTraining);
  }
  return { epochs: run.history, stopReason: run.stopReason };
}

/**
 * Runs `task.evalStep` over `loader` in eval mode without gradients (the model's mode is restored) and returns the
 * batch-size-weighted averages of the loss and step logs, and the validation metrics.
 */
export function evaluateTask(task: Task, loader: Iterable<unknown>, ctx: StepContext = { epoch: 0, batch: 0, batchesPerEpoch: null, step: 0 }): Record<string, number> {
  task.resetMetrics('val');
  const avg = new Averages();
  const wasTraining = task.model.training;
  task.model.eval();
  try {
    noGrad(() => {
      let batch = 0;
      for (const raw of loader) {
        const r = task.evalStep(raw, { ...ctx, batch: ++batch });
        avg.add(r.loss, r.n, r.logs);
      }
    });
  } finally {
    task.model.train(wasTraining);
  }
  if (avg.seen === 0) throw new ValueError('fit: the validation loader yielded no batches');
  return { ...avg.values(), ...task.metricLogs('val') };
}
