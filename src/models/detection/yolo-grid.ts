/**
 * YOLO v1's S x S grid (Redmon, Divvala, Girshick & Farhadi, You Only Look Once: Unified, Real-Time Object
 * Detection, CVPR 2016): target encoding, the sum-squared loss and decoding of the grid predictions.
 *
 * Layout of a prediction `pred` [N, S, S, 5B + C] (row i, column j of the grid): for each of the B predictors
 * (x, y, √w, √h, confidence), then the C class probabilities of the cell. x, y are the box centre's offset inside
 * its cell in [0, 1]; √w, √h the square roots of the box width and height as fractions of the image (the paper
 * and Darknet's `sqrt=1` predict the roots, so small boxes' errors weigh more); confidence is Pr(object) x IoU.
 * All outputs are linear, as in the paper.
 *
 * An object belongs to the cell holding its box centre; as in YOLO v1 a cell holds one object (here the largest
 * when several centres fall in one cell). Of the cell's B predictors the one whose predicted box has the highest
 * IoU with the object is "responsible" for it.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { batchedNms } from '../../vision/nms.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Detection, DetectionTarget } from '../../train/tasks/detection.js';

/** The grid's geometry: S, B, C and the image size [H, W] in pixels. */
export interface YoloGrid {
  /** Cells per side (S). */
  gridSize: number;
  /** Boxes per cell (B). */
  numBoxes: number;
  /** Object classes (C). */
  numClasses: number;
  /** Image [height, width] in pixels (box coordinates are pixels). */
  imageSize: readonly [number, number];
}

/** Options of yoloV1Loss: the grid and the loss weights. */
export interface YoloLossOptions extends YoloGrid {
  /** Weight of the coordinate terms (default 5, the paper's λcoord). */
  lambdaCoord?: number;
  /** Weight of the confidence of predictors without an object (default 0.5, the paper's λnoobj). */
  lambdaNoobj?: number;
  /** Confidence target of a responsible predictor: its IoU with the object (true, default, Darknet's rescore=1) or 1. */
  rescore?: boolean;
}

/** Options of yoloV1Decode: the grid and the post-processing. */
export interface YoloDecodeOptions extends YoloGrid {
  /** Class-specific confidences (confidence x class probability) at or below this are dropped (default 0.01). */
  scoreThreshold?: number;
  /** IoU above which NMS (per class) suppresses a box (default 0.5). */
  nmsThreshold?: number;
  /** Most detections kept per image, best first (default 100). */
  detectionsPerImage?: number;
}

/** One image's objects assigned to cells: per cell (i * S + j) the object index, or -1. */
interface CellAssignment {
  cells: Int32Array;
  boxes: Float32Array | Float64Array;
  labels: Int32Array | Float32Array | Float64Array | Uint8Array;
}

function checkGrid(fn: string, g: YoloGrid): void {
  for (const k of ['gridSize', 'numBoxes', 'numClasses'] as const) {
    if (!Number.isInteger(g[k]) || g[k] < 1) throw new ValueError(`${fn}: ${k} must be a positive integer, got ${String(g[k])}`);
  }
  const sz = g.imageSize;
  if (!Array.isArray(sz) || sz.length !== 2 || !sz.every((v) => Number.isFinite(v) && v > 0)) {
    throw new ValueError(`${fn}: imageSize must be [height, width] in pixels, got ${JSON.stringify(sz)}`);
  }
}

function checkPred(fn: string, pred: Tensor, g: YoloGrid): void {
  const d = 5 * g.numBoxes + g.numClasses;
  const s = g.gridSize;
  if (pred.ndim !== 4 || pred.shape[1] !== s || pred.shape[2] !== s || pred.shape[3] !== d) {
    throw new ShapeError(`${fn}: pred must be [N, ${s}, ${s}, ${d}] (S = ${s}, 5B + C = ${d}), got ${fmtShape(pred.shape)}`);
  }
}

/** Places each object of one target in the cell of its centre (the largest object wins a shared cell). */
function assignCells(fn: string, t: DetectionTarget, g: YoloGrid, index: number): CellAssignment {
  const s = g.gridSize;
  const [h, w] = g.imageSize;
  const boxes = t.boxes.toTypedArray() as Float32Array | Float64Array;
  const labels = t.labels.toTypedArray() as CellAssignment['labels'];
  const cells = new Int32Array(s * s).fill(-1);
  const area = (k: number) => (boxes[4 * k + 2] - boxes[4 * k]) * (boxes[4 * k + 3] - boxes[4 * k + 1]);
  for (let k = 0; k < labels.length; k++) {
    const [x1, y1, x2, y2] = [boxes[4 * k], boxes[4 * k + 1], boxes[4 * k + 2], boxes[4 * k + 3]];
    if (![x1, y1, x2, y2].every(Number.isFinite) || x2 <= x1 || y2 <= y1) {
      throw new ValueError(`${fn}: target ${index}'s box ${k} must be finite with x2 > x1 and y2 > y1, got [${x1}, ${y1}, ${x2}, ${y2}]`);
    }
    const c = labels[k];
    if (!Number.isInteger(c) || c < 0 || c >= g.numClasses) throw new ValueError(`${fn}: target ${index}'s label ${k} must be in 0..${g.numClasses - 1}, got ${c}`);
    const j = Math.min(Math.max(Math.floor(((x1 + x2) / 2 / w) * s), 0), s - 1);
    const i = Math.min(Math.max(Math.floor(((y1 + y2) / 2 / h) * s), 0), s - 1);
    const prev = cells[i * s + j];
    if (prev < 0 || area(k) > area(prev)) cells[i * s + j] = k;
  }
  return { cells, boxes, labels };
}

/** The cell-relative encoding (x, y, √w, √h) of box k in cell (i, j). */
function encodeBox(a: CellAssignment, k: number, i: number, j: number, g: YoloGrid): [number, number, number, number] {
  const [h, w] = g.imageSize;
  const s = g.gridSize;
  const b = a.boxes;
  const cx = (b[4 * k] + b[4 * k + 2]) / 2;
  const cy = (b[4 * k + 1] + b[4 * k + 3]) / 2;
  return [(cx / w) * s - j, (cy / h) * s - i, Math.sqrt((b[4 * k + 2] - b[4 * k]) / w), Math.sqrt((b[4 * k + 3] - b[4 * k + 1]) / h)];
}

/** IoU of two boxes given as (cx, cy, w, h) in image fractions. */
function iouCxcywh(a: readonly number[], b: readonly number[]): number {
  const ix = Math.min(a[0] + a[2] / 2, b[0] + b[2] / 2) - Math.max(a[0] - a[2] / 2, b[0] - b[2] / 2);
  const iy = Math.min(a[1] + a[3] / 2, b[1] + b[3] / 2) - Math.max(a[1] - a[3] / 2, b[1] - b[3] / 2);
  const inter = Math.max(ix, 0) * Math.max(iy, 0);
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/** A predictor's (x, y, √w, √h) in cell (i, j) as (cx, cy, w, h) image fractions. */
function toCxcywh(x: number, y: number, sw: number, sh: number, i: number, j: number, s: number): number[] {
  return [(j + x) / s, (i + y) / s, sw * sw, sh * sh];
}

function checkTargets(fn: string, targets: readonly DetectionTarget[], n: number): void {
  if (!Array.isArray(targets) || targets.length !== n) throw new ValueError(`${fn}: expected ${n} targets (one per image), got ${Array.isArray(targets) ? targets.length : typeof targets}`);
}

/**
 * The grid tensor [N, S, S, 5B + C] a perfect detector would output for `targets`: in each object's cell the first
 * predictor holds its (x, y, √w, √h) with confidence 1 (the other predictors confidence 0) and the class
 * probabilities are one-hot. yoloV1Decode turns it back into the boxes; its yoloV1Loss (rescore) is 0.
 */
export function yoloV1Encode(targets: readonly DetectionTarget[], g: YoloGrid, opts: { dtype?: 'float32' | 'float64' } = {}): Tensor {
  checkGrid('yoloV1Encode', g);
  const { gridSize: s, numBoxes: nb, numClasses: nc } = g;
  const d = 5 * nb + nc;
  const n = targets.length;
  const out = new Float64Array(n * s * s * d);
  targets.forEach((t, img) => {
    const a = assignCells('yoloV1Encode', t, g, img);
    for (let cell = 0; cell < s * s; cell++) {
      const k = a.cells[cell];
      if (k < 0) continue;
      const i = Math.floor(cell / s);
      const j = cell % s;
      const base = (img * s * s + cell) * d;
      out.set(encodeBox(a, k, i, j, g), base);
      out[base + 4] = 1;
      out[base + 5 * nb + a.labels[k]] = 1;
    }
  });
  const dtype = opts.dtype ?? 'float32';
  return tensor(dtype === 'float32' ? Float32Array.from(out) : out, { shape: [n, s, s, d], dtype });
}

/**
 * YOLO v1's sum-squared loss of `pred` [N, S, S, 5B + C] against `targets`, divided by N, as four named scalars:
 * `loss_coord` = λcoord Σ resp [(x - x̂)² + (y - ŷ)² + (√w - √ŵ)² + (√h - √ĥ)²], `loss_obj` = Σ resp (C - Ĉ)²
 * (Ĉ the responsible box's IoU with its object, or 1 without rescore), `loss_noobj` = λnoobj Σ (1 - resp) C², and
 * `loss_class` = Σ over cells with an object of Σ_c (p(c) - p̂(c))². The choice of the responsible predictor and
 * the IoU target are constants of the step (no gradient flows through them).
 */
export function yoloV1Loss(pred: Tensor, targets: readonly DetectionTarget[], opts: YoloLossOptions): Record<string, Tensor> {
  checkGrid('yoloV1Loss', opts);
  checkPred('yoloV1Loss', pred, opts);
  const n = pred.shape[0];
  checkTargets('yoloV1Loss', targets, n);
  const lambdaCoord = opts.lambdaCoord ?? 5;
  const lambdaNoobj = opts.lambdaNoobj ?? 0.5;
  if (!(lambdaCoord >= 0) || !(lambdaNoobj >= 0)) throw new ValueError(`yoloV1Loss: lambdaCoord and lambdaNoobj must be non-negative numbers, got ${lambdaCoord} and ${lambdaNoobj}`);
  const rescore = opts.rescore ?? true;
  const { gridSize: s, numBoxes: nb, numClasses: nc } = opts;
  const d = 5 * nb + nc;
  const p = pred.detach().toTypedArray();
  const resp = new Float64Array(n * s * s * nb);
  const coordT = new Float64Array(n * s * s * nb * 4);
  const confT = new Float64Array(n * s * s * nb);
  const cellMask = new Float64Array(n * s * s);
  const classT = new Float64Array(n * s * s * nc);
  targets.forEach((t, img) => {
    const a = assignCells('yoloV1Loss', t, opts, img);
    for (let cell = 0; cell < s * s; cell++) {
      const k = a.cells[cell];
      if (k < 0) continue;
      const i = Math.floor(cell / s);
      const j = cell % s;
      const enc = encodeBox(a, k, i, j, opts);
      const truth = toCxcywh(enc[0], enc[1], enc[2], enc[3], i, j, s);
      const at = img * s * s + cell;
      let best = 0;
      let bestIou = -1;
      for (let b = 0; b < nb; b++) {
        const o = at * d + 5 * b;
        const iou = iouCxcywh(toCxcywh(p[o], p[o + 1], p[o + 2], p[o + 3], i, j, s), truth);
        if (iou > bestIou) [best, bestIou] = [b, iou];
      }
      resp[at * nb + best] = 1;
      coordT.set(enc, (at * nb + best) * 4);
      confT[at * nb + best] = rescore ? bestIou : 1;
      cellMask[at] = 1;
      classT[at * nc + a.labels[k]] = 1;
    }
  });
  const mk = (v: Float64Array, shape: number[]) => tensor(pred.dtype === 'float64' ? v : Float32Array.from(v), { shape, dtype: pred.dtype === 'float64' ? 'float64' : 'float32' });
  const boxes = pred.narrow(3, 0, 5 * nb).reshape([n, s, s, nb, 5]);
  const coords = boxes.narrow(4, 0, 4);
  const conf = boxes.narrow(4, 4, 1).reshape([n, s, s, nb]);
  const cls = pred.narrow(3, 5 * nb, nc);
  const respT = mk(resp, [n, s, s, nb]);
  const noobj = respT.neg().add(1);
  return {
    loss_coord: coords.sub(mk(coordT, [n, s, s, nb, 4])).square().mul(respT.reshape([n, s, s, nb, 1])).sum().mul(lambdaCoord / n),
    loss_obj: conf.sub(mk(confT, [n, s, s, nb])).square().mul(respT).sum().div(n),
    loss_noobj: conf.square().mul(noobj).sum().mul(lambdaNoobj / n),
    loss_class: cls.sub(mk(classT, [n, s, s, nc])).square().mul(mk(cellMask, [n, s, s, 1])).sum().div(n),
  };
}

/**
 * Detections from `pred` [N, S, S, 5B + C]: every predictor's box (clipped to the image, empty ones dropped) scored
 * per class by confidence x class probability, kept above `scoreThreshold`, NMS per class (vision.batchedNms), at
 * most `detectionsPerImage` per image, best first. Boxes are xyxy pixels, labels int32 class indices.
 */
export function yoloV1Decode(pred: Tensor, opts: YoloDecodeOptions): Detection[] {
  checkGrid('yoloV1Decode', opts);
  checkPred('yoloV1Decode', pred, opts);
  const scoreThreshold = opts.scoreThreshold ?? 0.01;
  const nmsThreshold = opts.nmsThreshold ?? 0.5;
  const maxDet = opts.detectionsPerImage ?? 100;
  if (!Number.isFinite(scoreThreshold)) throw new ValueError(`yoloV1Decode: scoreThreshold must be a finite number, got ${scoreThreshold}`);
  if (!Number.isInteger(maxDet) || maxDet < 1) throw new ValueError(`yoloV1Decode: detectionsPerImage must be a positive integer, got ${maxDet}`);
  const { gridSize: s, numBoxes: nb, numClasses: nc } = opts;
  const [h, w] = opts.imageSize;
  const d = 5 * nb + nc;
  const n = pred.shape[0];
  const p = pred.detach().toTypedArray();
  const out: Detection[] = [];
  for (let img = 0; img < n; img++) {
    const boxes: number[] = [];
    const scores: number[] = [];
    const labels: number[] = [];
    for (let cell = 0; cell < s * s; cell++) {
      const i = Math.floor(cell / s);
      const j = cell % s;
      const at = (img * s * s + cell) * d;
      for (let b = 0; b < nb; b++) {
        const o = at + 5 * b;
        const [cx, cy, bw, bh] = toCxcywh(p[o], p[o + 1], p[o + 2], p[o + 3], i, j, s);
        const x1 = Math.min(Math.max((cx - bw / 2) * w, 0), w);
        const y1 = Math.min(Math.max((cy - bh / 2) * h, 0), h);
        const x2 = Math.min(Math.max((cx + bw / 2) * w, 0), w);
        const y2 = Math.min(Math.max((cy + bh / 2) * h, 0), h);
        if (!(x2 > x1 && y2 > y1)) continue;
        for (let c = 0; c < nc; c++) {
          const score = p[o + 4] * p[at + 5 * nb + c];
          if (!(score > scoreThreshold)) continue;
          boxes.push(x1, y1, x2, y2);
          scores.push(score);
          labels.push(c);
        }
      }
    }
    const k = scores.length;
    const bt = tensor(Float32Array.from(boxes), { shape: [k, 4] });
    const st = tensor(Float32Array.from(scores), { shape: [k] });
    const lt = tensor(Int32Array.from(labels), { shape: [k], dtype: 'int32' });
    const keep = Array.from(batchedNms(bt, st, lt, nmsThreshold).toTypedArray()).slice(0, maxDet);
    out.push({
      boxes: tensor(Float32Array.from(keep.flatMap((q) => boxes.slice(4 * q, 4 * q + 4))), { shape: [keep.length, 4] }),
      scores: tensor(Float32Array.from(keep.map((q) => scores[q])), { shape: [keep.length] }),
      labels: tensor(Int32Array.from(keep.map((q) => labels[q])), { shape: [keep.length], dtype: 'int32' }),
    });
  }
  return out;
}
