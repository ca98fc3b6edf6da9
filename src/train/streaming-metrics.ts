/**
 * Streaming metrics (`Metric`): accumulators that `fit` and `evaluate` update with each batch's (output, target)
 * and compute over all batches since `reset` — exact over many batches, counting in float64 on the host with the
 * same definitions as the functions of metrics.ts; `createMetric` builds one by its log name.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  ConfusionMatrix, checkTensors, crossEntropySum, labelPairs, regressionPairs, topKHits,
  type ClassificationOptions, type ClassificationReport, type ConfusionOptions, type PerplexityOptions,
} from './metrics.js';
import { RocAuc } from './roc.js'; // issue 14: ROC AUC of binary scores

/**
 * A streaming metric: `update` with each batch's (output, target), `compute` the value over all batches
 * since `reset`. A number is logged under `name`; a record under each of its keys. `clone` makes a fresh
 * accumulator with the same settings (fit keeps one for training and one for validation).
 */
export interface Metric {
  /** The log key (e.g. `accuracy`; validation adds the `val_` prefix). */
  readonly name: string;
  /** Forgets every batch seen. */
  reset(): void;
  /** Adds one batch. */
  update(output: Tensor, target: Tensor): void;
  /** The value over the batches seen (NaN before any). */
  compute(): number | Record<string, number>;
  /** A fresh, empty metric with the same settings. */
  clone(): Metric;
}

/** Streaming `accuracy`. */
export class Accuracy implements Metric {
  /** Log key. */
  readonly name: string = 'accuracy';
  private correct = 0;
  private count = 0;

  /** Creates the metric; `threshold` applies to binary scores (see `accuracy`). */
  constructor(readonly opts: ClassificationOptions = {}) {}

  /** Forgets every batch seen. */
  reset(): void {
    this.correct = 0;
    this.count = 0;
  }

  /** Adds one batch. */
  update(output: Tensor, target: Tensor): void {
    const [x, t] = checkTensors('Accuracy', output, target);
    const { pred, truth } = labelPairs('Accuracy', x, t, this.opts);
    for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) this.correct++;
    this.count += pred.length;
  }

  /** Fraction correct so far. */
  compute(): number {
    return this.correct / this.count;
  }

  /** A fresh Accuracy. */
  clone(): Accuracy {
    return new Accuracy(this.opts);
  }
}

/** Streaming `topKAccuracy`, logged as `top{k}_accuracy`. */
export class TopKAccuracy implements Metric {
  /** Log key, e.g. `top5_accuracy`. */
  readonly name: string;
  private hits = 0;
  private count = 0;

  /** Creates the metric for the k highest scores. */
  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 1) throw new ValueError(`TopKAccuracy: k must be a positive integer, got ${k}`);
    this.name = `top${k}_accuracy`;
  }

  /** Forgets every batch seen. */
  reset(): void {
    this.hits = 0;
    this.count = 0;
  }

  /** Adds one batch of scores [N, C, ...] and targets [N, ...]. */
  update(output: Tensor, target: Tensor): void {
    const [x, t] = checkTensors('TopKAccuracy', output, target);
    const r = topKHits('TopKAccuracy', x, t, this.k);
    this.hits += r.hits;
    this.count += r.count;
  }

  /** Fraction of top-k hits so far. */
  compute(): number {
    return this.hits / this.count;
  }

  /** A fresh TopKAccuracy with the same k. */
  clone(): TopKAccuracy {
    return new TopKAccuracy(this.k);
  }
}

/**
 * Streaming precision, recall and F1, logged as their macro averages `precision`, `recall`, `f1`; the
 * per-class values are in `report()` and the counts in `confusion.matrix`.
 */
export class PrecisionRecallF1 implements Metric {
  /** Log key (the values are logged as `precision`, `recall` and `f1`). */
  readonly name: string = 'f1';
  /** The accumulated confusion matrix. */
  readonly confusion: ConfusionMatrix;

  /** Creates the metric (see ConfusionMatrix for `numClasses`). */
  constructor(readonly opts: ConfusionOptions = {}) {
    this.confusion = new ConfusionMatrix(opts);
  }

  /** Forgets every batch seen. */
  reset(): void {
    this.confusion.reset();
  }

  /** Adds one batch. */
  update(output: Tensor, target: Tensor): void {
    this.confusion.update(output, target);
  }

  /** Macro-averaged precision, recall and F1 so far. */
  compute(): Record<string, number> {
    const m = this.confusion.report().macro;
    return { precision: m.precision, recall: m.recall, f1: m.f1 };
  }

  /** The full per-class report so far. */
  report(): ClassificationReport {
    return this.confusion.report();
  }

  /** A fresh PrecisionRecallF1 with the same settings. */
  clone(): PrecisionRecallF1 {
    return new PrecisionRecallF1(this.opts);
  }
}

/** Streaming mean of a per-element error: squared (`mse`) or absolute (`mae`). */
export class MeanError implements Metric {
  private sum = 0;
  private count = 0;

  /** `new MeanError('mse')` or `new MeanError('mae')`. */
  constructor(readonly name: 'mse' | 'mae') {
    if (name !== 'mse' && name !== 'mae') throw new ValueError(`MeanError: kind must be 'mse' or 'mae', got ${String(name)}`);
  }

  /** Forgets every batch seen. */
  reset(): void {
    this.sum = 0;
    this.count = 0;
  }

  /** Adds one batch (output and target of one shape). */
  update(output: Tensor, target: Tensor): void {
    const [a, b] = regressionPairs(this.name === 'mse' ? 'MeanError(mse)' : 'MeanError(mae)', output, target);
    for (let i = 0; i < a.length; i++) this.sum += this.name === 'mse' ? (a[i] - b[i]) ** 2 : Math.abs(a[i] - b[i]);
    this.count += a.length;
  }

  /** The mean error so far. */
  compute(): number {
    return this.sum / this.count;
  }

  /** A fresh MeanError of the same kind. */
  clone(): MeanError {
    return new MeanError(this.name);
  }
}

/** Streaming `perplexity`: exp of the cross-entropy averaged over every target seen. */
export class Perplexity implements Metric {
  /** Log key. */
  readonly name: string = 'perplexity';
  private sum = 0;
  private count = 0;

  /** Creates the metric. */
  constructor(readonly opts: PerplexityOptions = {}) {}

  /** Forgets every batch seen. */
  reset(): void {
    this.sum = 0;
    this.count = 0;
  }

  /** Adds one batch of logits [N, C, ...] and targets [N, ...]. */
  update(output: Tensor, target: Tensor): void {
    const r = crossEntropySum('Perplexity', output, target, this.opts.ignoreIndex ?? -100);
    this.sum += r.sum;
    this.count += r.count;
  }

  /** Perplexity so far. */
  compute(): number {
    return Math.exp(this.sum / this.count);
  }

  /** A fresh Perplexity. */
  clone(): Perplexity {
    return new Perplexity(this.opts);
  }
}

/** The metric names `createMetric` knows (`topK_accuracy` stands for any k, e.g. `top5_accuracy`). */
export const METRIC_NAMES: readonly string[] = ['accuracy', 'topK_accuracy', 'f1', 'mse', 'mae', 'perplexity', 'roc_auc'];

/**
 * A streaming metric by name: 'accuracy', 'top5_accuracy' (any k), 'f1' (logs precision, recall, f1),
 * 'mse', 'mae', 'perplexity', 'roc_auc' (binary scores, see roc.ts). A Metric object is returned as is. Unknown names are a ValueError listing these.
 */
export function createMetric(spec: string | Metric): Metric {
  if (typeof spec === 'object' && spec !== null && typeof spec.update === 'function' && typeof spec.compute === 'function') return spec;
  if (spec === 'accuracy') return new Accuracy();
  if (spec === 'f1') return new PrecisionRecallF1();
  if (spec === 'mse' || spec === 'mae') return new MeanError(spec);
  if (spec === 'perplexity') return new Perplexity();
  if (spec === 'roc_auc') return new RocAuc();
  const m = typeof spec === 'string' ? /^top(\d+)_accuracy$/.exec(spec) : null;
  if (m) return new TopKAccuracy(Number(m[1]));
  throw new ValueError(`createMetric: unknown metric ${JSON.stringify(spec)}; choose one of ${METRIC_NAMES.join(', ')}, or pass a Metric`);
}

/** The values of `metrics` as log entries by name (a record-valued metric gives one entry per key). */
export function metricLogs(metrics: readonly Metric[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of metrics) {
    const v = m.compute();
    if (typeof v === 'number') out[m.name] = v;
    else for (const [k, x] of Object.entries(v)) out[k] = x;
  }
  return out;
}
