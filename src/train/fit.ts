/**
 * The training loop: `fit` (epochs of forward, loss, backward and optimizer steps over a loader, with
 * validation, metrics, a scheduler, gradient clipping and accumulation, callbacks and exact resume),
 * `evaluate` and `predict`.
 *
 * Scheduler rule: CyclicLR and OneCycleLR are stepped after every optimizer step, every other scheduler once
 * per epoch after validation (`schedulerInterval` overrides this); ReduceLROnPlateau is stepped per epoch with
 * `val_loss` when there is a validation loader, else the training `loss` (`plateauMonitor` overrides this).
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { DataLoader } from '../data/dataloader.js';
import { ShenduError, ValueError } from '../errors.js';
import type { Layer } from '../nn/module.js';
import { mul } from '../ops/elementwise.js';
import { cat, narrow } from '../ops/movement.js';
import { clipGradNorm_ } from '../optim/clip.js';
import { Optimizer } from '../optim/optimizer.js';
import { LRScheduler } from '../optim/schedulers/base.js';
import { CyclicLR, OneCycleLR } from '../optim/schedulers/cyclic.js';
import { ReduceLROnPlateau } from '../optim/schedulers/plateau.js';
import { Generator, defaultGenerator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { checkLabels, describe } from './labels.js';
import { createMetric, type Metric } from './metrics.js';
import { nowMs } from './platform.js';
import type { BatchLogs, Callback, Checkpoint, EpochLogs, FitContext, History, Scheduler, TrainingState } from './types.js';

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

/** A loss: a function `(output, target) => scalar` (e.g. `F.crossEntropy`) or a loss module (`new nn.CrossEntropyLoss()`). */
export type LossFn = ((output: Tensor, target: Tensor) => Tensor) | { forward(output: Tensor, target: Tensor): Tensor };

/** A metric for fit/evaluate: a Metric object or a name understood by `createMetric` ('accuracy', 'top5_accuracy', 'f1', ...). */
export type MetricSpec = Metric | string;

/** Options of `fit`. */
export interface FitOptions {
  /** Batches of `[input, target]` (or `{input, target}`), e.g. a DataLoader; iterated once per epoch. */
  trainLoader: Iterable<unknown>;
  /** Validation batches, evaluated after every epoch (logged with the `val_` prefix). */
  valLoader?: Iterable<unknown>;
  /** The loss to minimize (mean over the batch, as PyTorch's defaults). */
  loss: LossFn;
  /** The optimizer, over the model's parameters. */
  optimizer: Optimizer;
  /** A learning-rate scheduler (see the module comment for when it is stepped). */
  scheduler?: Scheduler;
  /** 'step': step the scheduler after every optimizer step; 'epoch': once per epoch (default: by scheduler, see above). */
  schedulerInterval?: 'step' | 'epoch';
  /** The log value ReduceLROnPlateau is stepped with (default `val_loss` with validation, else `loss`). */
  plateauMonitor?: string;
  /** The epoch to train up to (total, counting epochs already done when resuming). */
  epochs: number;
  /** Epochs already done (default 0; taken from the checkpoint when resuming). */
  initialEpoch?: number;
  /** Metrics computed on training batches and on validation. Metric objects are used for validation, clones for training. */
  metrics?: MetricSpec[];
  /** Callbacks, called in order. */
  callbacks?: Callback[];
  /** Rescale gradients so their joint 2-norm is at most this before each optimizer step (optim.clipGradNorm_). */
  clipGradNorm?: number;
  /**
   * Batches per optimizer step (default 1). Each batch's loss is divided by the number of batches in its group,
   * so with a mean loss the step uses the mean gradient of the group; the last group of an epoch may be shorter
   * (with a loader of known length its losses are divided by its true size, otherwise by this value).
   */
  gradAccumulation?: number;
  /** When given, `checkLabels` runs on both loaders before training: labels must be integers in [0, numClasses). */
  numClasses?: number;
  /** A checkpoint from `loadCheckpoint` to resume from: weights, optimizer, scheduler, generators, callbacks, history. */
  resumeFrom?: Checkpoint | null;
  /** Extra generators whose states checkpoints save (e.g. one given to random transforms); the loaders' are found. */
  generators?: Generator[];
}

function isLoss(v: unknown): v is LossFn {
  return typeof v === 'function' || (v !== null && typeof v === 'object' && typeof (v as { forward?: unknown }).forward === 'function');
}

function callLoss(op: string, loss: LossFn, output: Tensor, target: Tensor): Tensor {
  const l = typeof loss === 'function' ? loss(output, target) : loss.forward(output, target);
  if (!(l instanceof Tensor) || l.numel() !== 1) {
    throw new ValueError(`${op}: the loss must return a one-element tensor (use reduction 'mean' or 'sum'), got ${l instanceof Tensor ? `shape [${l.shape.join(', ')}]` : typeof l}`);
  }
  return l;
}


/** Splits a batch into input and target: `[input, target, ...]`, `{input, target}` / `{x, y}`, or a bare input tensor. */
function splitBatch(op: string, batch: unknown, needTarget: boolean): { input: Tensor; target: Tensor | null } {
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

/** Values of metrics as log entries (a record metric gives one entry per key). */
function metricLogs(metrics: readonly Metric[], prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of metrics) {
    const v = m.compute();
    if (typeof v === 'number') out[prefix + m.name] = v;
    else for (const [k, x] of Object.entries(v)) out[prefix + k] = x;
  }
  return out;
}

function checkFinite(model: Layer, epoch: number, batch: number, step: number): void {
  for (const [name, p] of model.namedParameters()) {
    const data = p.toTypedArray();
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new TrainingError(`fit: parameter '${name}' became ${data[i]} by step ${step} (epoch ${epoch}); training stopped before this epoch was saved, so the last checkpoint is the last good one — lower the learning rate or clip gradients`, epoch, batch, step);
      }
    }
  }
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** The loss, averaged over all samples (by batch size) into `loss`. */
  loss?: LossFn;
  /** Metrics; Metric objects are reset first and keep their state afterwards (e.g. a confusion matrix). */
  metrics?: MetricSpec[];
}

function evaluateLoop(op: string, model: Layer, loader: Iterable<unknown>, loss: LossFn | undefined, metrics: readonly Metric[]): Record<string, number> {
  for (const m of metrics) m.reset();
  let lossSum = 0;
  let seen = 0;
  let batches = 0;
  const wasTraining = model.training;
  model.eval();
  try {
    noGrad(() => {
      for (const raw of loader) {
        const { input, target } = splitBatch(op, raw, true);
        const output = model.forward(input);
        const n = input.ndim > 0 ? input.shape[0] : 1;
        if (loss) lossSum += callLoss(op, loss, output, target as Tensor).item() * n;
        seen += n;
        batches++;
        for (const m of metrics) m.update(output, target as Tensor);
      }
    });
  } finally {
    model.train(wasTraining);
  }
  if (batches === 0) throw new ValueError(`${op}: the loader yielded no batches`);
  return { ...(loss ? { loss: lossSum / seen } : {}), ...metricLogs(metrics, '') };
}

/**
 * Evaluates `model` (in eval mode, without gradients; its mode is restored afterwards) over `loader`:
 * `{loss, accuracy, ...}` averaged over all samples.
 */
export function evaluate(model: Layer, loader: Iterable<unknown>, opts: EvaluateOptions = {}): Record<string, number> {
  if (opts.loss !== undefined && !isLoss(opts.loss)) throw new ValueError('evaluate: loss must be a function (output, target) => Tensor or a loss module');
  if (loader === null || typeof (loader as Iterable<unknown>)?.[Symbol.iterator] !== 'function') throw new ValueError(`evaluate: loader must be iterable (e.g. a DataLoader), got ${describe(loader)}`);
  return evaluateLoop('evaluate', model, loader, opts.loss, (opts.metrics ?? []).map(createMetric));
}

/** Options of `predict`. */
export interface PredictOptions {
  /** Samples per forward pass when given a tensor (default 256). */
  batchSize?: number;
}

/**
 * The model's outputs (eval mode, no gradients), concatenated along dim 0: over a tensor of inputs (split into
 * batches of `batchSize`) or over a loader's batches (`[input, ...]`, `{input}` or input tensors).
 */
export function predict(model: Layer, inputs: Tensor | Iterable<unknown>, opts: PredictOptions = {}): Tensor {
  const bs = opts.batchSize ?? 256;
  if (!Number.isInteger(bs) || bs < 1) throw new ValueError(`predict: batchSize must be a positive integer, got ${opts.batchSize}`);
  const outs: Tensor[] = [];
  const wasTraining = model.training;
  model.eval();
  try {
    noGrad(() => {
      if (inputs instanceof Tensor) {
        if (inputs.ndim === 0) throw new ValueError('predict: the input tensor needs a batch dimension, got a 0-d tensor');
        const n = inputs.shape[0];
        for (let i = 0; i < n; i += bs) outs.push(model.forward(narrow(inputs, 0, i, Math.min(bs, n - i))));
      } else if (inputs !== null && typeof (inputs as Iterable<unknown>)?.[Symbol.iterator] === 'function') {
        for (const raw of inputs) outs.push(model.forward(splitBatch('predict', raw, false).input));
      } else {
        throw new ValueError(`predict: inputs must be a Tensor or an iterable of batches, got ${describe(inputs)}`);
      }
    });
  } finally {
    model.train(wasTraining);
  }
  if (outs.length === 0) throw new ValueError('predict: no inputs (empty tensor or loader)');
  return outs.length === 1 ? outs[0] : cat(outs, 0);
}

// ---- fit ------------------------------------------------------------------------------------------------------

/** The running state of one fit call, as callbacks see it. */
class Run implements FitContext {
  epoch: number;
  step = 0;
  history: EpochLogs[] = [];
  stopReason: string | null = null;
  readonly scheduler: Scheduler | null;

  constructor(
    readonly model: Layer,
    readonly optimizer: Optimizer,
    scheduler: Scheduler | undefined,
    readonly epochs: number,
    public initialEpoch: number,
    readonly batchesPerEpoch: number | null,
    readonly generators: readonly Generator[],
    readonly callbacks: readonly Callback[],
  ) {
    this.scheduler = scheduler ?? null;
    this.epoch = initialEpoch;
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
    return {
      epoch: this.epoch,
      step: this.step,
      optimizer: this.optimizer.stateDict(),
      scheduler: this.scheduler ? this.scheduler.stateDict() : null,
      rng: { default: defaultGenerator.getState(), extra: this.generators.map((g) => g.getState()) },
      callbacks,
      history: this.history.map((h) => ({ ...h })),
    };
  }

  restore(ck: Checkpoint): void {
    const state = ck.state;
    if (!state) throw new ValueError('fit: resumeFrom is a weights-only checkpoint (no training state); load it with model.loadStateDict to start a new run from its weights');
    if ((state.scheduler === null) !== (this.scheduler === null)) {
      throw new ValueError(state.scheduler === null
        ? 'fit: the checkpoint was saved without a scheduler, but this run has one; resume with the same setup'
        : 'fit: the checkpoint holds a scheduler state, but this run has no scheduler; resume with the same setup');
    }
    if (state.rng.extra.length !== this.generators.length) {
      throw new ValueError(`fit: the checkpoint holds ${state.rng.extra.length} loader/extra generator states, this run has ${this.generators.length} generators; resume with the same loaders (shuffle and generator) and generators`);
    }
    this.model.loadStateDict(ck.weights);
    this.optimizer.loadStateDict(state.optimizer);
    if (this.scheduler && state.scheduler) this.scheduler.loadStateDict(state.scheduler);
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

function positiveInt(op: string, name: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError(`${op}: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

/**
 * Trains `model` for epochs `initialEpoch + 1 … epochs`: per batch, forward in train mode, loss, backward
 * (accumulated over `gradAccumulation` batches), optional gradient clipping, an optimizer step; per epoch,
 * validation in eval mode without gradients, the scheduler step and the callbacks. A non-finite loss (or
 * parameter) throws a TrainingError naming the step before anything is saved, so the last checkpoint stays
 * good. With `resumeFrom`, training continues from a checkpoint and, with the same seed and setup, ends with
 * exactly the weights of an uninterrupted run. Returns the history. The model's train/eval mode is restored.
 */
export function fit(model: Layer, opts: FitOptions): History {
  const op = 'fit';
  if (model === null || typeof model !== 'object' || typeof model.forward !== 'function' || typeof model.parameters !== 'function') {
    throw new ValueError(`fit: model must be a Module with forward(input), got ${describe(model)}`);
  }
  if (opts === null || typeof opts !== 'object') throw new ValueError('fit: options {trainLoader, loss, optimizer, epochs, ...} are required');
  const { trainLoader, valLoader, optimizer, scheduler } = opts;
  if (trainLoader === null || typeof (trainLoader as Iterable<unknown>)?.[Symbol.iterator] !== 'function') throw new ValueError(`fit: trainLoader must be iterable (e.g. a DataLoader), got ${describe(trainLoader)}`);
  if (valLoader !== undefined && (valLoader === null || typeof valLoader[Symbol.iterator] !== 'function')) throw new ValueError(`fit: valLoader must be iterable, got ${describe(valLoader)}`);
  if (!isLoss(opts.loss)) throw new ValueError('fit: loss must be a function (output, target) => Tensor or a loss module');
  if (!(optimizer instanceof Optimizer)) throw new ValueError(`fit: optimizer must be an Optimizer, got ${describe(optimizer)}`);
  if (scheduler !== undefined && !(scheduler instanceof LRScheduler) && !(scheduler instanceof ReduceLROnPlateau)) throw new ValueError(`fit: scheduler must be an LRScheduler or ReduceLROnPlateau, got ${describe(scheduler)}`);
  if (scheduler !== undefined && scheduler.optimizer !== optimizer) throw new ValueError('fit: the scheduler is attached to another optimizer');
  const epochs = positiveInt(op, 'epochs', opts.epochs);
  const accum = positiveInt(op, 'gradAccumulation', opts.gradAccumulation ?? 1);
  let initialEpoch = positiveInt(op, 'initialEpoch', opts.initialEpoch ?? 0, 0);
  const clip = opts.clipGradNorm;
  if (clip !== undefined && !(typeof clip === 'number' && clip > 0)) throw new ValueError(`fit: clipGradNorm must be a positive number, got ${String(clip)}`);
  const interval = opts.schedulerInterval ?? (scheduler instanceof CyclicLR || scheduler instanceof OneCycleLR ? 'step' : 'epoch');
  if (interval !== 'step' && interval !== 'epoch') throw new ValueError(`fit: schedulerInterval must be 'step' or 'epoch', got ${String(interval)}`);
  if (interval === 'step' && scheduler instanceof ReduceLROnPlateau) throw new ValueError('fit: ReduceLROnPlateau needs a metric, so it is stepped per epoch; drop schedulerInterval: \'step\'');
  const callbacks = [...(opts.callbacks ?? [])];
  callbacks.forEach((cb, i) => {
    if (cb === null || typeof cb !== 'object') throw new ValueError(`fit: callbacks[${i}] must be a callback object, got ${describe(cb)}`);
  });
  const valMetrics = (opts.metrics ?? []).map(createMetric);
  const trainMetrics = valMetrics.map((m) => m.clone());
  if (opts.numClasses !== undefined) {
    checkLabels(trainLoader, opts.numClasses);
    if (valLoader) checkLabels(valLoader, opts.numClasses);
  }
  const generators: Generator[] = [];
  for (const g of [samplerGenerator(trainLoader), samplerGenerator(valLoader), ...(opts.generators ?? [])]) {
    if (g !== null && !(g instanceof Generator)) throw new ValueError(`fit: generators must be Generator objects, got ${describe(g)}`);
    if (g && g !== defaultGenerator && !generators.includes(g)) generators.push(g);
  }
  const batchesPerEpoch = lengthOf(trainLoader);
  const run = new Run(model, optimizer, scheduler, epochs, initialEpoch, batchesPerEpoch, generators, callbacks);
  if (opts.resumeFrom) {
    if (opts.initialEpoch !== undefined && opts.initialEpoch !== opts.resumeFrom.state?.epoch) {
      throw new ValueError(`fit: initialEpoch ${opts.initialEpoch} contradicts the checkpoint, which is at epoch ${opts.resumeFrom.state?.epoch}; leave initialEpoch out when resuming`);
    }
    run.restore(opts.resumeFrom);
    initialEpoch = run.initialEpoch;
  }
  const params = optimizer.paramGroups.flatMap((g) => g.params);
  const wasTraining = model.training;

  const optimizerStep = (epoch: number, batch: number) => {
    if (clip !== undefined) {
      const norm = clipGradNorm_(params, clip);
      if (!Number.isFinite(norm)) throw new TrainingError(`fit: the gradient norm is ${norm} at step ${run.step + 1} (epoch ${epoch}, batch ${batch}); training stopped before this epoch was saved, so the last checkpoint is the last good one`, epoch, batch, run.step + 1);
    }
    optimizer.step();
    run.step++;
    if (scheduler && interval === 'step') (scheduler as LRScheduler).step();
  };

  try {
    for (const cb of callbacks) cb.onTrainBegin?.(run);
    for (let epoch = initialEpoch + 1; epoch <= epochs && run.stopReason === null; epoch++) {
      run.epoch = epoch;
      model.train();
      const t0 = nowMs();
      for (const cb of callbacks) cb.onEpochBegin?.(epoch, run);
      const lr0 = optimizer.paramGroups[0].lr;
      for (const m of trainMetrics) m.reset();
      let lossSum = 0;
      let seen = 0;
      let batch = 0;
      let pending = 0;
      let groupSize = accum;
      for (const raw of trainLoader) {
        batch++;
        for (const cb of callbacks) cb.onBatchBegin?.(batch, run);
        const { input, target } = splitBatch(op, raw, true);
        if (pending === 0) {
          optimizer.zeroGrad();
          model.zeroGrad(); // also parameters the optimizer does not update, so their gradients do not pile up
          groupSize = batchesPerEpoch === null ? accum : Math.max(1, Math.min(accum, batchesPerEpoch - batch + 1));
        }
        const output = model.forward(input);
        const loss = callLoss(op, opts.loss, output, target as Tensor);
        const value = loss.item();
        if (!Number.isFinite(value)) {
          throw new TrainingError(`fit: the loss is ${value} at step ${run.step + 1} (epoch ${epoch}, batch ${batch}); training stopped before this epoch was saved, so the last checkpoint is the last good one — lower the learning rate, clip gradients or check the data`, epoch, batch, run.step + 1);
        }
        (groupSize === 1 ? loss : mul(loss, 1 / groupSize)).backward();
        pending++;
        if (pending >= groupSize) {
          optimizerStep(epoch, batch);
          pending = 0;
        }
        const n = input.ndim > 0 ? input.shape[0] : 1;
        lossSum += value * n;
        seen += n;
        if (trainMetrics.length) noGrad(() => trainMetrics.forEach((m) => m.update(output, target as Tensor)));
        if (callbacks.some((cb) => cb.onBatchEnd)) {
          const logs = { batch, size: n, loss: lossSum / seen, ...metricLogs(trainMetrics, ''), lr: optimizer.paramGroups[0].lr } as BatchLogs;
          for (const cb of callbacks) cb.onBatchEnd?.(batch, logs, run);
        }
      }
      if (batch === 0) throw new ValueError('fit: the training loader yielded no batches');
      if (pending > 0) optimizerStep(epoch, batch);
      checkFinite(model, epoch, batch, run.step);
      const logs = { epoch, loss: lossSum / seen, ...metricLogs(trainMetrics, '') } as EpochLogs;
      if (valLoader) {
        const v = evaluateLoop(op, model, valLoader, opts.loss, valMetrics);
        for (const [k, x] of Object.entries(v)) logs[`val_${k}`] = x;
      }
      logs.lr = lr0;
      if (scheduler && interval === 'epoch') {
        if (scheduler instanceof ReduceLROnPlateau) {
          const key = opts.plateauMonitor ?? (valLoader ? 'val_loss' : 'loss');
          if (!(key in logs)) throw new ValueError(`fit: plateauMonitor '${key}' is not in the epoch's logs; available: ${Object.keys(logs).join(', ')}`);
          scheduler.step(logs[key]);
        } else {
          scheduler.step();
        }
      }
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
