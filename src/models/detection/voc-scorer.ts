/**
 * The validation scorer of detectors: VOC mean average precision (all-point by default, torchvision's continuous
 * box coordinates) of a DetectionTask's validation detections, as the `map` log: mAP at `iouThreshold` (default 0.5).
 * @module
 */
import { ValueError } from '../../errors.js';
import type { Detection, DetectionScorer, DetectionTarget } from '../../train/tasks/detection.js';
import { VocEvaluator } from '../../vision/voc-evaluator.js';
import type { VocEvalOptions } from '../../vision/detection-eval.js';

/** Options of vocScorer: vocEvaluate's, with `pixelInclusive` defaulting to false (torchvision's boxes). */
export type VocScorerOptions = VocEvalOptions;

/** A DetectionScorer that collects every validation image and reports `map` (VOC mAP over `classes`, 0-based labels). */
export class VocScorer implements DetectionScorer {
  private evaluator: VocEvaluator;
  private next = 0;
  private readonly opts: VocEvalOptions;

  /** A scorer over `numClasses` classes (labels 0..numClasses-1: a class never detected nor present scores no AP). */
  constructor(numClasses: number, opts: VocScorerOptions = {}) {
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError(`VocScorer: numClasses must be a positive integer, got ${String(numClasses)}`);
    this.opts = { pixelInclusive: false, classes: Array.from({ length: numClasses }, (_, i) => i), ...opts };
    this.evaluator = new VocEvaluator(this.opts);
  }

  /** Forgets every image added. */
  reset(): void {
    this.evaluator = new VocEvaluator(this.opts);
    this.next = 0;
  }

  /** Adds a batch's detections and targets, one image each. */
  add(detections: readonly Detection[], targets: readonly DetectionTarget[]): void {
    if (detections.length !== targets.length) throw new ValueError(`VocScorer.add: ${detections.length} detections for ${targets.length} targets`);
    detections.forEach((d, i) => this.evaluator.addImage(this.next++, d, targets[i]));
  }

  /** {map}: the mean AP over the classes present in the ground truth (NaN before any image). */
  compute(): Record<string, number> {
    return { map: this.next === 0 ? NaN : this.evaluator.compute().mAP };
  }
}

/** The scorer factory a DetectionTask takes: `new DetectionTask(model, {optimizer, scorer: vocScorer(10)})`. */
export function vocScorer(numClasses: number, opts: VocScorerOptions = {}): () => VocScorer {
  return () => new VocScorer(numClasses, opts);
}
