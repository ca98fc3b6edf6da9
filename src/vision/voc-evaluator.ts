/**
 * An accumulator over a test set for `vocEvaluate`: a detector's per-image outputs (tensors, as torchvision's
 * detection models return them) and targets are added image by image, then evaluated in one go.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { vocEvaluate, type Detection, type GroundTruthBox, type VocEvalOptions, type VocEvaluation } from './detection-eval.js';

/** One image's detections: boxes [K, 4] (xyxy), scores [K] and class labels [K], as tensors or arrays. */
export interface ImageDetections {
  /** Boxes [K, 4]. */
  boxes: Tensor | readonly (readonly number[])[];
  /** Scores [K]. */
  scores: Tensor | readonly number[];
  /** Labels [K]. */
  labels: Tensor | readonly number[];
}

/** One image's ground truth: boxes [G, 4] (xyxy), labels [G] and optional difficult flags [G]. */
export interface ImageTargets {
  /** Boxes [G, 4]. */
  boxes: Tensor | readonly (readonly number[])[];
  /** Labels [G]. */
  labels: Tensor | readonly number[];
  /** Difficult flags [G] (default none difficult). */
  difficult?: Tensor | readonly boolean[];
}

function rows(fn: string, v: unknown, arg: string): number[][] {
  if (v instanceof Tensor) {
    if (v.ndim !== 2 || v.shape[1] !== 4) {
      if (!(v.ndim === 1 && v.shape[0] === 0)) throw new ShapeError(`${fn}: ${arg} must have shape [K, 4], got ${fmtShape(v.shape)}`);
    }
    const d = Array.from(v.toTypedArray());
    return Array.from({ length: d.length / 4 }, (_, i) => d.slice(4 * i, 4 * i + 4));
  }
  if (!Array.isArray(v)) throw new ValueError(`${fn}: ${arg} must be a [K, 4] tensor or an array of [x1, y1, x2, y2], got ${typeof v}`);
  return v.map((b) => [...(b as number[])]);
}

function flat(fn: string, v: unknown, arg: string, n: number): number[] {
  let out: number[];
  if (v instanceof Tensor) {
    if (v.ndim !== 1) throw new ShapeError(`${fn}: ${arg} must be 1-D [${n}], got ${fmtShape(v.shape)}`);
    out = Array.from(v.toTypedArray());
  } else if (Array.isArray(v)) out = v.map((x) => (typeof x === 'boolean' ? Number(x) : x));
  else throw new ValueError(`${fn}: ${arg} must be a 1-D tensor or an array, got ${typeof v}`);
  if (out.length !== n) throw new ShapeError(`${fn}: ${arg} has ${out.length} values for ${n} boxes`);
  return out;
}

/** Collects detections and ground truth image by image; `compute` evaluates them as `vocEvaluate`. */
export class VocEvaluator {
  private readonly detections: Detection[] = [];
  private readonly truth: GroundTruthBox[] = [];
  private readonly seen = new Set<number | string>();

  /** An empty evaluator; `opts` are vocEvaluate's (IoU threshold, 11-point metric, pixel convention, classes). */
  constructor(readonly opts: VocEvalOptions = {}) {}

  /** Adds one image's detections and ground truth (an image id may be added once). */
  addImage(imageId: number | string, detections: ImageDetections, targets: ImageTargets): void {
    const fn = 'VocEvaluator.addImage';
    if (this.seen.has(imageId)) throw new ValueError(`${fn}: image ${JSON.stringify(imageId)} was already added`);
    const boxes = rows(fn, detections?.boxes, 'detections.boxes');
    const scores = flat(fn, detections.scores, 'detections.scores', boxes.length);
    const labels = flat(fn, detections.labels, 'detections.labels', boxes.length);
    const gBoxes = rows(fn, targets?.boxes, 'targets.boxes');
    const gLabels = flat(fn, targets.labels, 'targets.labels', gBoxes.length);
    const diff = targets.difficult === undefined ? gBoxes.map(() => 0) : flat(fn, targets.difficult, 'targets.difficult', gBoxes.length);
    const dets: Detection[] = boxes.map((b, i) => ({ imageId, label: labels[i], score: scores[i], box: b as unknown as Detection['box'] }));
    const gts: GroundTruthBox[] = gBoxes.map((b, i) => ({ imageId, label: gLabels[i], box: b as unknown as GroundTruthBox['box'], difficult: diff[i] !== 0 }));
    // check this image alone now, so that a bad box is reported by the call that added it
    vocEvaluate(dets, gts, { ...this.opts, classes: [] });
    this.seen.add(imageId);
    this.detections.push(...dets);
    this.truth.push(...gts);
  }

  /** Images added so far. */
  get numImages(): number {
    return this.seen.size;
  }

  /** Per-class AP, precision and recall, and the mAP, over everything added. */
  compute(): VocEvaluation {
    return vocEvaluate(this.detections, this.truth, this.opts);
  }
}
