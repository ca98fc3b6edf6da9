/**
 * The receiver operating characteristic of binary scores: `rocCurve` (scikit-learn's roc_curve), `rocAuc` (its
 * roc_auc_score: the area under that curve by the trapezoidal rule, so tied scores count half, as the probability
 * that a random positive scores above a random negative with ties split), and the streaming `RocAuc` metric that
 * `fit` logs as `roc_auc`. Higher scores mean "more positive" (for anomaly detection: more anomalous).
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { Metric } from './streaming-metrics.js';

/** Scores or labels: a tensor (any shape, read flat) or an array of numbers. */
export type NumberData = Tensor | ArrayLike<number>;

/** An ROC curve: points (fpr[i], tpr[i]) for "positive when score >= thresholds[i]", thresholds decreasing. */
export interface RocCurve {
  /** False-positive rate at each threshold, from 0 up to 1. */
  fpr: number[];
  /** True-positive rate at each threshold, from 0 up to 1. */
  tpr: number[];
  /**
   * The thresholds, decreasing: each distinct score kept, preceded by max(score) + 1 for the (0, 0) point (what
   * scikit-learn 1.2 writes; 1.3 and later write Infinity there).
   */
  thresholds: number[];
}

/** Options of `rocCurve`. */
export interface RocCurveOptions {
  /** Drop points that lie on a straight segment between their neighbours (default true, as scikit-learn). */
  dropIntermediate?: boolean;
}

function values(op: string, name: string, v: unknown): ArrayLike<number> {
  if (v instanceof Tensor) return v.toTypedArray();
  if (v !== null && typeof v === 'object' && typeof (v as ArrayLike<number>).length === 'number') return v as ArrayLike<number>;
  throw new ValueError(`${op}: ${name} must be a Tensor or an array of numbers, got ${v === null ? 'null' : typeof v}`);
}

/** Checks and reads scores and 0/1 labels of one length; both classes must occur. */
function pairs(op: string, scores: unknown, labels: unknown): { s: ArrayLike<number>; y: ArrayLike<number> } {
  const s = values(op, 'scores', scores);
  const y = values(op, 'labels', labels);
  if (s.length !== y.length) throw new ShapeError(`${op}: scores has ${s.length} values but labels has ${y.length}; they must pair up`);
  let pos = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new ValueError(`${op}: labels must be 0 (negative) or 1 (positive), got ${y[i]} at index ${i}`);
    if (!Number.isFinite(s[i])) throw new ValueError(`${op}: scores must be finite, got ${s[i]} at index ${i}`);
    pos += y[i];
  }
  if (pos === 0 || pos === y.length) {
    throw new ValueError(`${op}: labels must hold both classes to define an ROC curve, got ${y.length} labels that are all ${pos === 0 ? 0 : 1}`);
  }
  return { s, y };
}

/**
 * The ROC curve of `scores` [N] against binary `labels` [N] (1 = positive), as scikit-learn's roc_curve: one point
 * per distinct score (tied scores move the curve diagonally), starting at (0, 0). A ValueError when a label is
 * not 0/1, a score is not finite, or only one class occurs; a ShapeError when the lengths differ.
 */
export function rocCurve(scores: NumberData, labels: NumberData, opts: RocCurveOptions = {}): RocCurve {
  const op = 'rocCurve';
  const { s, y } = pairs(op, scores, labels);
  const drop = opts.dropIntermediate ?? true;
  if (typeof drop !== 'boolean') throw new ValueError(`${op}: dropIntermediate must be a boolean, got ${JSON.stringify(drop)}`);
  const order = Array.from({ length: s.length }, (_, i) => i).sort((a, b) => s[b] - s[a]);
  // Cumulative true and false positives at the last index of each run of equal scores.
  const tps: number[] = [];
  const fps: number[] = [];
  const thr: number[] = [];
  let tp = 0;
  for (let k = 0; k < order.length; k++) {
    tp += y[order[k]];
    if (k === order.length - 1 || s[order[k + 1]] !== s[order[k]]) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thr.push(s[order[k]]);
    }
  }
  let keep = tps.map((_, i) => i);
  if (drop && tps.length > 2) {
    // scikit-learn keeps the ends and every point where the second difference of fps or tps is non-zero.
    keep = keep.filter((i) => i === 0 || i === tps.length - 1 || fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0);
  }
  const P = tps[tps.length - 1];
  const N = fps[fps.length - 1];
  return {
    fpr: [0, ...keep.map((i) => fps[i] / N)],
    tpr: [0, ...keep.map((i) => tps[i] / P)],
    thresholds: [thr[keep[0]] + 1, ...keep.map((i) => thr[i])],
  };
}

/** Area under an ROC curve's points by the trapezoidal rule. */
function area(fpr: readonly number[], tpr: readonly number[]): number {
  let a = 0;
  for (let i = 1; i < fpr.length; i++) a += ((fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1])) / 2;
  return a;
}

/**
 * Area under the ROC curve of `scores` [N] against binary `labels` [N], as scikit-learn's roc_auc_score: 1 when
 * every positive scores above every negative, 0.5 for scores that tell nothing (ties count half). Errors as
 * `rocCurve`.
 */
export function rocAuc(scores: NumberData, labels: NumberData): number {
  const c = rocCurve(scores, labels, { dropIntermediate: false });
  return area(c.fpr, c.tpr);
}

/**
 * Streaming ROC AUC over every batch since `reset`, logged as `roc_auc`. `output` holds binary scores: [N] or
 * [N, 1] (a score or logit of the positive class), or [N, 2] class scores (the positive class's score minus the
 * negative one's, which orders samples as the softmax probability does); `target` [N] holds 0/1 labels.
 * The value is NaN until both classes have been seen.
 */
export class RocAuc implements Metric {
  /** Log key. */
  readonly name: string = 'roc_auc';
  private scores: number[] = [];
  private labels: number[] = [];

  /** Forgets every batch seen. */
  reset(): void {
    this.scores = [];
    this.labels = [];
  }

  /** Adds one batch. */
  update(output: Tensor, target: Tensor): void {
    const op = 'RocAuc';
    if (!(output instanceof Tensor) || !(target instanceof Tensor)) throw new ValueError(`${op}: output and target must be Tensors`);
    const n = target.numel();
    if (target.ndim !== 1) throw new ShapeError(`${op}: target must be [N] labels (0/1), got shape ${fmtShape(target.shape)}`);
    const o = output.toTypedArray();
    let s: ArrayLike<number>;
    if (output.ndim === 1 && output.shape[0] === n) s = o;
    else if (output.ndim === 2 && output.shape[0] === n && output.shape[1] === 1) s = o;
    else if (output.ndim === 2 && output.shape[0] === n && output.shape[1] === 2) s = Float64Array.from({ length: n }, (_, i) => o[2 * i + 1] - o[2 * i]);
    else throw new ShapeError(`${op}: output must be scores [N], [N, 1] or [N, 2] for target [N] = ${fmtShape(target.shape)}, got shape ${fmtShape(output.shape)}`);
    const y = target.toTypedArray();
    for (let i = 0; i < n; i++) {
      if (y[i] !== 0 && y[i] !== 1) throw new ValueError(`${op}: target must hold 0/1 labels, got ${y[i]} at index ${i}`);
      this.scores.push(s[i]);
      this.labels.push(y[i]);
    }
  }

  /** ROC AUC so far (NaN while one class is missing). */
  compute(): number {
    const pos = this.labels.reduce((a, b) => a + b, 0);
    if (pos === 0 || pos === this.labels.length) return NaN;
    return rocAuc(this.scores, this.labels);
  }

  /** A fresh RocAuc. */
  clone(): RocAuc {
    return new RocAuc();
  }
}
