/**
 * Metrics as functions of (model output, target) — accuracy, top-k accuracy, confusion matrix, per-class
 * precision/recall/F1, MSE, MAE, perplexity; their streaming accumulators, which `fit` and `evaluate` update batch
 * by batch, are in streaming-metrics.ts and count with the same pair helpers (exported for it) and the
 * `ConfusionMatrix` accumulator that the functions build on. Definitions follow scikit-learn: confusion-matrix rows are true classes and columns
 * predicted ones; a precision or recall whose denominator is 0 counts as 0. Counting is done in float64 on the
 * host, so a metric over many batches is exact.
 *
 * Outputs are read as: class scores `[N, C, ...]` (logits or probabilities; the prediction is the first
 * highest score) against integer targets `[N, ...]`; or, with the target's shape, integer predictions, or
 * floating binary scores thresholded at `threshold` (default 0.5, for probabilities: pass 0 for logits).
 * Scores `[N, 1]` against targets `[N]` are binary scores too.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { crossEntropy } from '../nn/loss.js';
import { isFloating } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of the classification metrics. */
export interface ClassificationOptions {
  /** Threshold of binary scores given with the target's shape: score > threshold is class 1 (default 0.5). */
  threshold?: number;
}

/** Both arguments as tensors, or a ValueError naming the metric (`op`) and what was got. */
export function checkTensors(op: string, input: unknown, target: unknown): [Tensor, Tensor] {
  if (!(input instanceof Tensor)) throw new ValueError(`${op}: input must be a Tensor, got ${input === null ? 'null' : typeof input}`);
  if (!(target instanceof Tensor)) throw new ValueError(`${op}: target must be a Tensor, got ${target === null ? 'null' : typeof target}`);
  return [input, target];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Integer class labels of a target tensor (any dtype; values must be integers). */
function targetLabels(op: string, target: Tensor): Float64Array {
  const raw = target.toTypedArray();
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (!Number.isInteger(v)) throw new ValueError(`${op}: target must hold integer class labels, got ${v} at element ${i}`);
    out[i] = v;
  }
  return out;
}

/** Class scores laid out as [N, C, ...rest]: row r (over N and rest) and class c. */
interface Scores {
  data: ArrayLike<number>;
  rows: number;
  classes: number;
  /** Index in `data` of row r, class 0; classes are `stride` apart. */
  base(r: number): number;
  stride: number;
}

function asScores(input: Tensor): Scores {
  const data = input.toTypedArray();
  const n = input.shape[0];
  const c = input.shape[1];
  const rest = input.shape.slice(2).reduce((a, b) => a * b, 1);
  return { data, rows: n * rest, classes: c, stride: rest, base: (r) => Math.floor(r / rest) * c * rest + (r % rest) };
}

/** How `input` is read against `target`. */
function layout(op: string, input: Tensor, target: Tensor): 'scores' | 'binary' | 'labels' {
  const scoreShape = input.ndim === target.ndim + 1 && input.ndim >= 2 && input.shape[0] === target.shape[0] && sameShape(input.shape.slice(2), target.shape.slice(1));
  if (scoreShape && isFloating(input.dtype)) return input.shape[1] === 1 ? 'binary' : 'scores';
  if (sameShape(input.shape, target.shape)) return isFloating(input.dtype) ? 'binary' : 'labels';
  throw new ShapeError(`${op}: input of shape ${fmtShape(input.shape)} does not fit target of shape ${fmtShape(target.shape)}: expected class scores [N, C, ...] against targets [N, ...], or predictions of the target's shape`);
}

/** Predicted and true labels, one pair per sample (and position). */
export function labelPairs(op: string, input: Tensor, target: Tensor, opts: ClassificationOptions = {}): { pred: Float64Array; truth: Float64Array; classes: number | null } {
  const threshold = opts.threshold ?? 0.5;
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new ValueError(`${op}: threshold must be a number, got ${String(opts.threshold)}`);
  const kind = layout(op, input, target);
  const truth = targetLabels(op, target);
  const pred = new Float64Array(truth.length);
  if (kind === 'scores') {
    const s = asScores(input);
    for (let r = 0; r < s.rows; r++) {
      const b = s.base(r);
      let best = 0;
      let bestV = s.data[b];
      for (let c = 1; c < s.classes; c++) {
        const v = s.data[b + c * s.stride];
        if (v > bestV || (Number.isNaN(bestV) && !Number.isNaN(v))) {
          bestV = v;
          best = c;
        }
      }
      pred[r] = best;
    }
    return { pred, truth, classes: s.classes };
  }
  const data = input.toTypedArray();
  if (kind === 'binary') {
    for (let i = 0; i < pred.length; i++) pred[i] = data[i] > threshold ? 1 : 0;
    return { pred, truth, classes: 2 };
  }
  for (let i = 0; i < pred.length; i++) pred[i] = data[i];
  return { pred, truth, classes: null };
}

/** Fraction of samples whose predicted class equals the target (NaN for no samples). */
export function accuracy(input: Tensor, target: Tensor, opts: ClassificationOptions = {}): number {
  const [x, t] = checkTensors('accuracy', input, target);
  const { pred, truth } = labelPairs('accuracy', x, t, opts);
  let hit = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) hit++;
  return hit / pred.length;
}

/** Number of top-k hits in a batch of scores (ties broken toward the lower class index, as argmax does). */
export function topKHits(op: string, input: Tensor, target: Tensor, k: number): { hits: number; count: number } {
  if (!Number.isInteger(k) || k < 1) throw new ValueError(`${op}: k must be a positive integer, got ${k}`);
  if (layout(op, input, target) !== 'scores') {
    throw new ShapeError(`${op}: needs class scores [N, C, ...] against targets [N, ...], got input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)}`);
  }
  const s = asScores(input);
  const truth = targetLabels(op, target);
  let hits = 0;
  for (let r = 0; r < s.rows; r++) {
    const t = truth[r];
    if (t < 0 || t >= s.classes) throw new ValueError(`${op}: target ${t} at element ${r} is outside the ${s.classes} classes`);
    const b = s.base(r);
    const vt = s.data[b + t * s.stride];
    let rank = 0;
    for (let c = 0; c < s.classes && rank < k; c++) {
      const v = s.data[b + c * s.stride];
      if (v > vt || (v === vt && c < t)) rank++;
    }
    if (rank < k && !Number.isNaN(vt)) hits++;
  }
  return { hits, count: s.rows };
}

/**
 * Fraction of samples whose target is among the k highest scores (scores [N, C, ...], targets [N, ...]).
 * With k = 1 it equals `accuracy`.
 */
export function topKAccuracy(input: Tensor, target: Tensor, k: number): number {
  const [x, t] = checkTensors('topKAccuracy', input, target);
  const { hits, count } = topKHits('topKAccuracy', x, t, k);
  return hits / count;
}

/** Options of `confusionMatrix` and `precisionRecallF1`. */
export interface ConfusionOptions extends ClassificationOptions {
  /** Number of classes (default: C of class scores, 2 for binary scores, else 1 + the largest label seen). */
  numClasses?: number;
}

/**
 * The confusion matrix: entry [i][j] counts samples of true class i predicted as class j (scikit-learn's
 * layout), numClasses × numClasses.
 */
export function confusionMatrix(input: Tensor, target: Tensor, opts: ConfusionOptions = {}): number[][] {
  const [x, t] = checkTensors('confusionMatrix', input, target);
  const cm = new ConfusionMatrix({ numClasses: opts.numClasses, threshold: opts.threshold });
  cm.update(x, t);
  return cm.matrix.map((row) => row.slice());
}

/** Precision, recall and F1 per class, with their support, and macro and weighted averages. */
export interface ClassificationReport {
  /** Per class: true positives / predicted positives (0 when nothing was predicted as the class). */
  precision: number[];
  /** Per class: true positives / actual positives (0 when the class never occurs). */
  recall: number[];
  /** Per class: harmonic mean of precision and recall (0 when both are 0). */
  f1: number[];
  /** Per class: number of samples of the class. */
  support: number[];
  /** Unweighted means over the classes. */
  macro: { precision: number; recall: number; f1: number };
  /** Means weighted by support. */
  weighted: { precision: number; recall: number; f1: number };
  /** Fraction of samples predicted correctly. */
  accuracy: number;
}

/** Precision, recall, F1 and support per class (and their averages) from a confusion matrix (rows = true). */
export function classificationReport(matrix: readonly (readonly number[])[]): ClassificationReport {
  const k = matrix.length;
  if (matrix.some((row) => row.length !== k)) throw new ValueError(`classificationReport: the confusion matrix must be square, got ${k} rows of lengths ${matrix.map((r) => r.length).join(', ')}`);
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const support: number[] = [];
  let total = 0;
  let correct = 0;
  for (let c = 0; c < k; c++) {
    const tp = matrix[c][c];
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += matrix[j][c];
      actual += matrix[c][j];
    }
    const p = predicted > 0 ? tp / predicted : 0;
    const r = actual > 0 ? tp / actual : 0;
    precision.push(p);
    recall.push(r);
    f1.push(p + r > 0 ? (2 * p * r) / (p + r) : 0);
    support.push(actual);
    total += actual;
    correct += tp;
  }
  const mean = (v: number[]) => (k ? v.reduce((a, b) => a + b, 0) / k : NaN);
  const wmean = (v: number[]) => (total ? v.reduce((a, b, i) => a + b * support[i], 0) / total : NaN);
  return {
    precision, recall, f1, support,
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
    weighted: { precision: wmean(precision), recall: wmean(recall), f1: wmean(f1) },
    accuracy: total ? correct / total : NaN,
  };
}

/** Per-class precision, recall and F1 with macro and weighted averages (scikit-learn's classification report). */
export function precisionRecallF1(input: Tensor, target: Tensor, opts: ConfusionOptions = {}): ClassificationReport {
  return classificationReport(confusionMatrix(input, target, opts));
}

/** The values of a regression output and its target, checked to be tensors of one shape. */
export function regressionPairs(op: string, input: unknown, target: unknown): [ArrayLike<number>, ArrayLike<number>] {
  const [x, t] = checkTensors(op, input, target);
  if (!sameShape(x.shape, t.shape)) throw new ShapeError(`${op}: input shape ${fmtShape(x.shape)} must equal the target shape ${fmtShape(t.shape)}`);
  return [x.toTypedArray(), t.toTypedArray()];
}

/** Mean squared error over all elements (input and target of one shape). */
export function mse(input: Tensor, target: Tensor): number {
  const [a, b] = regressionPairs('mse', input, target);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

/** Mean absolute error over all elements (input and target of one shape). */
export function mae(input: Tensor, target: Tensor): number {
  const [a, b] = regressionPairs('mae', input, target);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** Options of `perplexity`. */
export interface PerplexityOptions {
  /** Target value that is skipped (default -100, as crossEntropy). */
  ignoreIndex?: number;
}

/** Summed cross-entropy (in nats) and the number of targets it covers. */
export function crossEntropySum(op: string, logits: Tensor, target: Tensor, ignoreIndex: number): { sum: number; count: number } {
  const [x, t] = checkTensors(op, logits, target);
  const sum = noGrad(() => crossEntropy(x, t, { reduction: 'sum', ignoreIndex })).item();
  const labels = t.toTypedArray();
  let count = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] !== ignoreIndex) count++;
  return { sum, count };
}

/**
 * Perplexity: exp of the mean cross-entropy of `logits` [N, C, ...] at the class-index targets [N, ...]
 * (targets equal to ignoreIndex are skipped). For a language model with outputs [N, T, C], permute to [N, C, T].
 */
export function perplexity(logits: Tensor, target: Tensor, opts: PerplexityOptions = {}): number {
  const { sum, count } = crossEntropySum('perplexity', logits, target, opts.ignoreIndex ?? -100);
  return Math.exp(sum / count);
}

/**
 * A confusion matrix accumulated over batches (rows true class, columns predicted). With `numClasses` a label
 * outside [0, numClasses) is a ValueError; without, the class count comes from the scores' C (2 for binary
 * scores) or grows with the largest label seen.
 */
export class ConfusionMatrix {
  /** The counts, `matrix[true][predicted]`. */
  matrix: number[][] = [];
  private readonly fixed: number | null;

  /** Creates an empty matrix. */
  constructor(readonly opts: ConfusionOptions = {}) {
    const n = opts.numClasses;
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new ValueError(`ConfusionMatrix: numClasses must be a positive integer, got ${n}`);
    this.fixed = n ?? null;
    if (n !== undefined) this.grow(n);
  }

  private grow(n: number): void {
    for (const row of this.matrix) while (row.length < n) row.push(0);
    while (this.matrix.length < n) this.matrix.push(new Array(n).fill(0));
  }

  /** Number of classes so far. */
  get numClasses(): number {
    return this.matrix.length;
  }

  /** Zeroes the counts (keeping the class count given at construction). */
  reset(): void {
    this.matrix = [];
    if (this.fixed !== null) this.grow(this.fixed);
  }

  /** Adds one batch. */
  update(output: Tensor, target: Tensor): void {
    const [x, t] = checkTensors('ConfusionMatrix', output, target);
    const { pred, truth, classes } = labelPairs('ConfusionMatrix', x, t, this.opts);
    let need = classes ?? 0;
    for (let i = 0; i < pred.length; i++) need = Math.max(need, pred[i] + 1, truth[i] + 1);
    if (this.fixed !== null && need > this.fixed) {
      const bad = [...truth, ...pred].find((v) => v >= (this.fixed as number));
      throw new ValueError(`ConfusionMatrix: label ${bad ?? need - 1} is outside the ${this.fixed} classes`);
    }
    for (let i = 0; i < pred.length; i++) {
      if (pred[i] < 0 || truth[i] < 0) throw new ValueError(`ConfusionMatrix: negative label ${Math.min(pred[i], truth[i])} at element ${i}`);
    }
    this.grow(need);
    for (let i = 0; i < pred.length; i++) this.matrix[truth[i]][pred[i]]++;
  }

  /** Precision, recall and F1 of the counts so far. */
  report(): ClassificationReport {
    return classificationReport(this.matrix);
  }
}
