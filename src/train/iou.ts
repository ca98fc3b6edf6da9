/**
 * Segmentation metrics: per-class intersection over union (the Jaccard index), mean IoU and pixel accuracy of
 * per-pixel predictions, as functions and as the streaming `MeanIoU` metric that the segmentation task logs
 * (`mean_iou`, `pixel_accuracy`). Definitions follow scikit-learn's jaccard_score: a class's IoU is
 * TP / (TP + FP + FN), 0 when the class is neither true nor predicted anywhere; the mean is over the classes that
 * occur in the targets or the predictions (jaccard_score(average='macro')), so a class absent from both neither
 * helps nor hurts.
 *
 * Predictions are read as `metrics.ts` reads them: scores [N, C, H, W] (the highest score is the prediction) or
 * integer labels of the target's shape, against integer targets [N, H, W].
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { ConfusionMatrix } from './metrics.js';
import type { Metric } from './streaming-metrics.js';

/** Options of the IoU functions and MeanIoU. */
export interface IoUOptions {
  /** Number of classes (default: from the scores' C, or the largest label seen + 1). */
  numClasses?: number;
}

/** Per-class IoU, mean IoU and pixel accuracy. */
export interface IoUScores {
  /** IoU of each class: TP / (TP + FP + FN), 0 where the class occurs nowhere. */
  perClass: number[];
  /** Mean of perClass over the classes that occur in targets or predictions (NaN when nothing was counted). */
  meanIoU: number;
  /** Fraction of pixels predicted correctly. */
  pixelAccuracy: number;
}

/** IoU scores from a confusion matrix (rows true class, columns predicted). */
export function iouFromConfusion(matrix: readonly (readonly number[])[]): IoUScores {
  const k = matrix.length;
  if (!Array.isArray(matrix) || matrix.some((row) => !Array.isArray(row) || row.length !== k)) {
    throw new ValueError(`iouFromConfusion: the confusion matrix must be square, got ${k} rows of lengths ${Array.isArray(matrix) ? matrix.map((r) => r?.length).join(', ') : typeof matrix}`);
  }
  const perClass: number[] = [];
  let sum = 0;
  let present = 0;
  let total = 0;
  let correct = 0;
  for (let c = 0; c < k; c++) {
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += matrix[j][c];
      actual += matrix[c][j];
    }
    const tp = matrix[c][c];
    const union = predicted + actual - tp;
    perClass.push(union > 0 ? tp / union : 0);
    if (union > 0) {
      sum += tp / union;
      present++;
    }
    total += actual;
    correct += tp;
  }
  return { perClass, meanIoU: present ? sum / present : NaN, pixelAccuracy: total ? correct / total : NaN };
}

function confusion(op: string, input: Tensor, target: Tensor, opts: IoUOptions): number[][] {
  const cm = new ConfusionMatrix({ numClasses: opts.numClasses });
  try {
    cm.update(input, target);
  } catch (e) {
    if (e instanceof Error) e.message = e.message.replace(/^ConfusionMatrix/, op);
    throw e;
  }
  return cm.matrix;
}

/** IoU of each class of per-pixel predictions `input` ([N, C, ...] scores or labels) against targets [N, ...]. */
export function jaccardIndex(input: Tensor, target: Tensor, opts: IoUOptions = {}): number[] {
  return iouFromConfusion(confusion('jaccardIndex', input, target, opts)).perClass;
}

/** Mean IoU over the classes present in targets or predictions (scikit-learn's jaccard_score, average='macro'). */
export function meanIoU(input: Tensor, target: Tensor, opts: IoUOptions = {}): number {
  return iouFromConfusion(confusion('meanIoU', input, target, opts)).meanIoU;
}

/**
 * Streaming mean IoU and pixel accuracy over all pixels of all batches since `reset` (one confusion matrix, so
 * the value is the IoU of the whole set, not a mean of per-batch IoUs); logged as `mean_iou` and
 * `pixel_accuracy`. `scores()` gives the per-class IoU too.
 */
export class MeanIoU implements Metric {
  /** Log key (values are logged as `mean_iou` and `pixel_accuracy`). */
  readonly name: string = 'mean_iou';
  /** The accumulated confusion matrix. */
  readonly confusion: ConfusionMatrix;

  /** Creates the metric (see ConfusionMatrix for `numClasses`). */
  constructor(readonly opts: IoUOptions = {}) {
    this.confusion = new ConfusionMatrix({ numClasses: opts.numClasses });
  }

  /** Forgets every batch seen. */
  reset(): void {
    this.confusion.reset();
  }

  /** Adds one batch of scores [N, C, H, W] (or labels [N, H, W]) and targets [N, H, W]. */
  update(output: Tensor, target: Tensor): void {
    this.confusion.update(output, target);
  }

  /** Per-class IoU, mean IoU and pixel accuracy so far. */
  scores(): IoUScores {
    return iouFromConfusion(this.confusion.matrix);
  }

  /** Mean IoU and pixel accuracy so far (NaN before any batch). */
  compute(): Record<string, number> {
    const s = this.scores();
    return { mean_iou: s.meanIoU, pixel_accuracy: s.pixelAccuracy };
  }

  /** A fresh MeanIoU with the same settings. */
  clone(): MeanIoU {
    return new MeanIoU(this.opts);
  }
}
