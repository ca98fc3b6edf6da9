/**
 * PASCAL VOC detection evaluation, as py-faster-rcnn's `voc_eval` (the VOC devkit's logic): per class, detections
 * ranked by score are matched greedily to the ground truth of their image (the highest-IoU box, whether or not
 * it is already taken); IoU above the threshold with an unmatched box is a true positive, with a matched box or
 * below the threshold a false positive, and with a `difficult` box neither. Recall counts non-difficult boxes
 * only. Precision/recall arrays and AP (`vocAp`) per class, mAP over the classes that have ground truth.
 * @module
 */
import { ValueError } from '../errors.js';
import { vocAp } from './ap.js';

/** A class label: a number or a name. */
export type DetectionLabel = number | string;

/** One detection: the image it is in, its class, its confidence and its box (x1, y1, x2, y2). */
export interface Detection {
  /** The image's id. */
  imageId: number | string;
  /** The detected class. */
  label: DetectionLabel;
  /** Confidence; higher ranks first. */
  score: number;
  /** Box (x1, y1, x2, y2), x2 >= x1 and y2 >= y1. */
  box: readonly [number, number, number, number];
}

/** One ground-truth object. */
export interface GroundTruthBox {
  /** The image's id. */
  imageId: number | string;
  /** Its class. */
  label: DetectionLabel;
  /** Box (x1, y1, x2, y2), x2 >= x1 and y2 >= y1. */
  box: readonly [number, number, number, number];
  /** VOC's difficult flag: a match is neither a true nor a false positive, and the box does not count for recall. */
  difficult?: boolean;
}

/** Options of `vocEvaluate`. */
export interface VocEvalOptions {
  /** A detection is a hit when its IoU is strictly above this (default 0.5). */
  iouThreshold?: number;
  /** VOC2007's 11-point AP instead of the all-point AP (default false). */
  use07Metric?: boolean;
  /**
   * Boxes are in VOC's inclusive integer pixel coordinates, so a box spans x2 - x1 + 1 pixels, as the devkit and
   * py-faster-rcnn count (default true); false for continuous coordinates (width x2 - x1), as torchvision's boxes.
   */
  pixelInclusive?: boolean;
  /** The classes to evaluate, in this order (default: every label of the ground truth and detections, sorted). */
  classes?: readonly DetectionLabel[];
}

/** The evaluation of one class. */
export interface ClassEvaluation {
  /** The class. */
  label: DetectionLabel;
  /** Average precision; NaN when the class has no non-difficult ground truth. */
  ap: number;
  /** Recall after each ranked detection [D]. */
  recall: Float64Array;
  /** Precision after each ranked detection [D]. */
  precision: Float64Array;
  /** Scores of the ranked detections [D], decreasing. */
  scores: Float64Array;
  /** 1 for a true positive, 0 otherwise, per ranked detection [D]. */
  truePositive: Uint8Array;
  /** 1 for a false positive, 0 otherwise (a detection matching a difficult box is neither) [D]. */
  falsePositive: Uint8Array;
  /** Non-difficult ground-truth boxes. */
  numPositives: number;
}

/** The evaluation of every class and their mean. */
export interface VocEvaluation {
  /** Per class, in `classes` order. */
  classes: ClassEvaluation[];
  /** Mean AP over the classes with non-difficult ground truth (NaN when there are none). */
  mAP: number;
}

function checkBox(fn: string, box: unknown, what: string): readonly number[] {
  if (!Array.isArray(box) || box.length !== 4 || !box.every((v) => typeof v === 'number')) {
    throw new ValueError(`${fn}: ${what} box must be [x1, y1, x2, y2] (four numbers), got ${JSON.stringify(box)}`);
  }
  if (!box.every(Number.isFinite)) throw new ValueError(`${fn}: ${what} box must be finite, got [${box.join(', ')}]`);
  if (box[2] < box[0] || box[3] < box[1]) throw new ValueError(`${fn}: ${what} box must have x2 >= x1 and y2 >= y1, got [${box.join(', ')}]`);
  return box;
}

function checkLabel(fn: string, v: unknown, what: string): DetectionLabel {
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string') return v;
  throw new ValueError(`${fn}: ${what} label must be a number or a string, got ${JSON.stringify(v)}`);
}

function checkId(fn: string, v: unknown, what: string): number | string {
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string') return v;
  throw new ValueError(`${fn}: ${what} imageId must be a number or a string, got ${JSON.stringify(v)}`);
}

/** A class's ground truth by image id. */
interface ImageTruth {
  boxes: (readonly number[])[];
  difficult: boolean[];
  taken: boolean[];
}

/** Ranks one class's detections and marks true and false positives against its ground truth. */
function evaluateClass(label: DetectionLabel, dets: Detection[], truth: Map<number | string, ImageTruth>, npos: number, thr: number, one: number, use07: boolean): ClassEvaluation {
  // a stable sort: tied scores keep their input order (numpy's default argsort leaves ties unspecified)
  const ranked = dets.map((d, i) => [d, i] as const).sort((a, b) => b[0].score - a[0].score || a[1] - b[1]).map((p) => p[0]);
  const D = ranked.length;
  const tp = new Uint8Array(D);
  const fp = new Uint8Array(D);
  for (const t of truth.values()) t.taken.fill(false);
  ranked.forEach((d, k) => {
    const t = truth.get(d.imageId);
    const [bx1, by1, bx2, by2] = d.box;
    let ovmax = -Infinity;
    let jmax = -1;
    if (t) {
      t.boxes.forEach((g, j) => {
        const iw = Math.max(Math.min(g[2], bx2) - Math.max(g[0], bx1) + one, 0);
        const ih = Math.max(Math.min(g[3], by2) - Math.max(g[1], by1) + one, 0);
        const inter = iw * ih;
        const uni = (bx2 - bx1 + one) * (by2 - by1 + one) + (g[2] - g[0] + one) * (g[3] - g[1] + one) - inter;
        const ov = inter / uni;
        if (ov > ovmax) {
          ovmax = ov;
          jmax = j;
        }
      });
    }
    if (ovmax > thr) {
      if (!t!.difficult[jmax]) {
        if (!t!.taken[jmax]) {
          tp[k] = 1;
          t!.taken[jmax] = true;
        } else fp[k] = 1;
      }
    } else fp[k] = 1;
  });
  const recall = new Float64Array(D);
  const precision = new Float64Array(D);
  let ctp = 0;
  let cfp = 0;
  for (let k = 0; k < D; k++) {
    ctp += tp[k];
    cfp += fp[k];
    recall[k] = ctp / npos;
    precision[k] = ctp / Math.max(ctp + cfp, Number.EPSILON);
  }
  const ap = npos === 0 ? NaN : vocAp(recall, precision, { use07Metric: use07 });
  return { label, ap, recall, precision, scores: Float64Array.from(ranked, (d) => d.score), truePositive: tp, falsePositive: fp, numPositives: npos };
}

/**
 * VOC-style evaluation of `detections` against `groundTruth`: per-class AP, precision and recall, and their
 * mean (py-faster-rcnn's voc_eval for every class). Images without ground truth may hold detections (all false
 * positives); boxes must be finite with x2 >= x1 and y2 >= y1, scores not NaN.
 */
export function vocEvaluate(detections: readonly Detection[], groundTruth: readonly GroundTruthBox[], opts: VocEvalOptions = {}): VocEvaluation {
  const fn = 'vocEvaluate';
  if (!Array.isArray(detections)) throw new ValueError(`${fn}: detections must be an array of {imageId, label, score, box}`);
  if (!Array.isArray(groundTruth)) throw new ValueError(`${fn}: groundTruth must be an array of {imageId, label, box, difficult}`);
  const thr = opts.iouThreshold ?? 0.5;
  if (typeof thr !== 'number' || !(thr >= 0 && thr <= 1)) throw new ValueError(`${fn}: iouThreshold must be in [0, 1], got ${String(thr)}`);
  const one = (opts.pixelInclusive ?? true) ? 1 : 0;
  const truthByClass = new Map<DetectionLabel, Map<number | string, ImageTruth>>();
  const npos = new Map<DetectionLabel, number>();
  groundTruth.forEach((g, i) => {
    const label = checkLabel(fn, g?.label, `groundTruth[${i}]`);
    const id = checkId(fn, g.imageId, `groundTruth[${i}]`);
    const box = checkBox(fn, g.box, `groundTruth[${i}]`);
    const difficult = g.difficult ?? false;
    if (typeof difficult !== 'boolean') throw new ValueError(`${fn}: groundTruth[${i}] difficult must be a boolean, got ${JSON.stringify(difficult)}`);
    let byImage = truthByClass.get(label);
    if (!byImage) truthByClass.set(label, (byImage = new Map()));
    let t = byImage.get(id);
    if (!t) byImage.set(id, (t = { boxes: [], difficult: [], taken: [] }));
    t.boxes.push(box);
    t.difficult.push(difficult);
    t.taken.push(false);
    npos.set(label, (npos.get(label) ?? 0) + (difficult ? 0 : 1));
  });
  const detsByClass = new Map<DetectionLabel, Detection[]>();
  detections.forEach((d, i) => {
    const label = checkLabel(fn, d?.label, `detections[${i}]`);
    checkId(fn, d.imageId, `detections[${i}]`);
    checkBox(fn, d.box, `detections[${i}]`);
    if (typeof d.score !== 'number' || Number.isNaN(d.score)) throw new ValueError(`${fn}: detections[${i}] score must be a number, got ${String(d.score)}`);
    let list = detsByClass.get(label);
    if (!list) detsByClass.set(label, (list = []));
    list.push(d);
  });
  let classes = opts.classes;
  if (classes === undefined) {
    const all = [...new Set([...truthByClass.keys(), ...detsByClass.keys()])];
    classes = all.sort((a, b) => (typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === 'number' ? -1 : 1));
  } else {
    if (!Array.isArray(classes)) throw new ValueError(`${fn}: classes must be an array of labels, got ${typeof classes}`);
    classes.forEach((c, i) => checkLabel(fn, c, `classes[${i}]`));
  }
  const results = classes.map((label) =>
    evaluateClass(label, detsByClass.get(label) ?? [], truthByClass.get(label) ?? new Map(), npos.get(label) ?? 0, thr, one, opts.use07Metric ?? false),
  );
  const scored = results.filter((r) => r.numPositives > 0);
  const mAP = scored.length === 0 ? NaN : scored.reduce((s, r) => s + r.ap, 0) / scored.length;
  return { classes: results, mAP };
}
