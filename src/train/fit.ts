/**
 * Supervised training in one call: `fit` (epochs of forward, loss, backward and optimizer steps over a loader, with
 * validation, metrics, a scheduler, gradient clipping and accumulation, callbacks and exact resume — `fitTask`
 * (loop.ts) running a SupervisedTask), `evaluate` and `predict`.
 *
 * Scheduler rule (TaskBase's): CyclicLR and OneCycleLR are stepped after every optimizer step, every other scheduler once
 * per epoch after validation (`schedulerInterval` overrides this); ReduceLROnPlateau is stepped per epoch with
 * `val_loss` when there is a validation loader, else the training `loss` (`plateauMonitor` overrides this).
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ValueError } from '../errors.js';
import type { Layer } from '../nn/module.js';
import { cat, narrow } from '../ops/movement.js';
import { Optimizer } from '../optim/optimizer.js';
import { LRScheduler } from '../optim/schedulers/base.js';
import { ReduceLROnPlateau } from '../optim/schedulers/plateau.js';
import { Tensor } from '../tensor/tensor.js';
import { checkLabels, describe } from './labels.js';
import { fitTask, type LoopOptions } from './loop.js';
import { createMetric, metricLogs, type Metric } from './streaming-metrics.js';
import { SupervisedTask, callLoss, isLoss, splitBatch, type LossFn, type MetricSpec } from './tasks/supervised.js';
import type { History, Scheduler } from './types.js';

export { TrainingError } from './task.js';
export type { LossFn, MetricSpec } from './tasks/supervised.js';

/** Options of `fit`: the loop's (loaders, epochs, callbacks, resume) and the supervised task's. */
export interface FitOptions extends LoopOptions {
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
  /** Metrics computed on training batches and on validation. Metric objects are used for validation, clones for training. */
  metrics?: MetricSpec[];
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
  return { ...(loss ? { loss: lossSum / seen } : {}), ...metricLogs(metrics) };
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

/**
 * Trains `model` for epochs `initialEpoch + 1 … epochs`: per batch, forward in train mode, loss, backward
 * (accumulated over `gradAccumulation` batches), optional gradient clipping, an optimizer step; per epoch,
 * validation in eval mode without gradients, the scheduler step and the callbacks. A non-finite loss (or
 * parameter) throws a TrainingError naming the step before anything is saved, so the last checkpoint stays
 * good. With `resumeFrom`, training continues from a checkpoint and, with the same seed and setup, ends with
 * exactly the weights of an uninterrupted run. Returns the history. The model's train/eval mode is restored.
 * This is `fitTask` (loop.ts) with a SupervisedTask; other kinds of training (a GAN, seq2seq) bring their task.
 *
 * @example
 * ```ts
 * const history = train.fit(model, {
 *   trainLoader: new DataLoader(new TensorDataset(x, y), { batchSize: 64, shuffle: true }),
 *   loss: F.crossEntropy,
 *   optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }),
 *   epochs: 5,
 * });
 * console.log(history.epochs.at(-1)); // {epoch: 5, loss, accuracy, ...}
 * ```
 */
export function fit(model: Layer, opts: FitOptions): History {
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
  const interval = opts.schedulerInterval;
  if (interval !== undefined && interval !== 'step' && interval !== 'epoch') throw new ValueError(`fit: schedulerInterval must be 'step' or 'epoch', got ${String(interval)}`);
  if (interval === 'step' && scheduler instanceof ReduceLROnPlateau) throw new ValueError('fit: ReduceLROnPlateau needs a metric, so it is stepped per epoch; drop schedulerInterval: \'step\'');
  const task = new SupervisedTask(model, {
    loss: opts.loss, optimizer, scheduler, schedulerInterval: interval, plateauMonitor: opts.plateauMonitor,
    metrics: opts.metrics, clipGradNorm: opts.clipGradNorm, gradAccumulation: opts.gradAccumulation,
  });
  if (opts.numClasses !== undefined) {
    checkLabels(trainLoader, opts.numClasses);
    if (valLoader) checkLabels(valLoader, opts.numClasses);
  }
  return fitTask(task, opts);
}
