/**
 * YOLO v2's anchor head (Redmon & Farhadi, YOLO9000: Better, Faster, Stronger, CVPR 2017; Darknet's region layer):
 * the loss and the decoding of its raw output.
 *
 * Layout of `pred` [N, Sh, Sw, A, 5 + C] (row i, column j of the grid, anchor a of shape (pw, ph) pixels), all raw:
 * (tx, ty, tw, th, to, class scores). The box is centred at ((j + σ(tx)) · cw, (i + σ(ty)) · ch) with cw × ch the
 * cell size in pixels, its size (pw · e^tw, ph · e^th); its objectness σ(to); its class probabilities the softmax of
 * the class scores. Anchors are in input pixels (Darknet writes them in cells: divide by the cell size to compare).
 *
 * The loss (sums over the batch divided by N; the defaults are Darknet's yolo-voc.cfg):
 * - an object belongs to the cell of its box centre and, in it, to the anchor whose shape has the highest IoU with the
 *   box's shape (both centred; the first such anchor on ties): that prediction is "responsible" for it. When two
 *   objects fall on one cell and anchor, the larger one keeps it (as the v1 grid here).
 * - `loss_coord` = λcoord Σ_resp (2 - w·h) [(σ(tx) - x̂)² + (σ(ty) - ŷ)² + (tw - log(w/pw))² + (th - log(h/ph))²],
 *   x̂, ŷ the centre's offset in its cell, w·h the box's area as a fraction of the image (Darknet's weight, more for
 *   small boxes);
 * - `loss_obj` = λobj Σ_resp (σ(to) - Ĉ)², Ĉ the IoU of the decoded prediction with its object (`rescore`, Darknet's
 *   rescore=1, the default) or 1;
 * - `loss_noobj` = λnoobj Σ σ(to)² over the predictions that are not responsible and whose decoded box has IoU at
 *   most `ignoreThreshold` with every object of the image (a good box that is not responsible is not pushed down);
 * - `loss_class` = λclass Σ_resp cross-entropy of the softmax of the class scores (Darknet's class delta t - p is its
 *   gradient).
 * The responsible predictions, the IoU targets and the ignore mask are constants of the step (no gradient through
 * them). Not kept from Darknet: the early-training term pulling every box towards its anchor (first 12,800 images).
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { logSoftmax, softmax } from '../../ops/activation.js';
import { tensor } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Detection, DetectionTarget } from '../../train/tasks/detection.js';
import { batchedNms } from '../../vision/nms.js';

/** tw, th above this are clamped before e^t when boxes are decoded (torchvision's box coder clamp, log(1000/16)). */
export const YOLOV2_WH_CLAMP = Math.log(1000 / 16);

/** What the head's layout depends on: anchor shapes [A][2] (width, height in pixels), C and the image [H, W]. */
export interface YoloV2Head {
  /** Anchor shapes [width, height] in input pixels, one per prediction of a cell. */
  anchors: Tensor | readonly (readonly number[])[];
  /** Object classes C. */
  numClasses: number;
  /** Image [height, width] in pixels (box coordinates are pixels). */
  imageSize: readonly [number, number];
}

/** Options of yoloV2Loss: the head and the loss weights (defaults: Darknet's yolo-voc.cfg). */
export interface YoloV2LossOptions extends YoloV2Head {
  /** Weight of the coordinate terms (default 1, coord_scale). */
  lambdaCoord?: number;
  /** Weight of the responsible objectness (default 5, object_scale). */
  lambdaObj?: number;
  /** Weight of the objectness of predictions without an object (default 1, noobject_scale). */
  lambdaNoobj?: number;
  /** Weight of the class cross-entropy (default 1, class_scale). */
  lambdaClass?: number;
  /** A prediction whose IoU with some object is above this gets no no-object penalty (default 0.6, thresh). */
  ignoreThreshold?: number;
  /** Objectness target of a responsible prediction: its IoU with the object (true, default) or 1. */
  rescore?: boolean;
}

/** Options of yoloV2Decode: the head and the post-processing. */
export interface YoloV2DecodeOptions extends YoloV2Head {
  /** Scores (objectness x class probability) at or below this are dropped (default 0.01). */
  scoreThreshold?: number;
  /** IoU above which NMS (per class) suppresses a box (default 0.5). */
  nmsThreshold?: number;
  /** Most detections kept per image, best first (default 100). */
  detectionsPerImage?: number;
}

/** Checks anchor shapes [A][2] (a tensor or arrays) and returns them flat (w0, h0, w1, h1, ...); `fn` names the caller. */
export function checkAnchors(fn: string, anchors: unknown): Float64Array {
  if (anchors instanceof Tensor) {
    if (anchors.ndim !== 2 || anchors.shape[1] !== 2 || anchors.shape[0] < 1) throw new ShapeError(`${fn}: anchors must have shape [A, 2] (width, height) with A >= 1, got ${fmtShape(anchors.shape)}`);
    anchors = Array.from({ length: anchors.shape[0] }, (_, a) => Array.from((anchors as Tensor).select(0, a).toTypedArray() as ArrayLike<number>));
  }
  if (!Array.isArray(anchors) || anchors.length === 0) throw new ShapeError(`${fn}: anchors must be a non-empty list of [width, height] pairs, got ${JSON.stringify(anchors)}`);
  const out = new Float64Array(2 * anchors.length);
  anchors.forEach((p: unknown, a) => {
    if (!Array.isArray(p) || p.length !== 2) throw new ShapeError(`${fn}: anchors[${a}] must be a [width, height] pair, got ${JSON.stringify(p)}`);
    if (!p.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new ValueError(`${fn}: anchors[${a}] must be two positive finite sizes in pixels, got ${JSON.stringify(p)}`);
    out[2 * a] = p[0];
    out[2 * a + 1] = p[1];
  });
  return out;
}

function checkHead(fn: string, pred: Tensor, o: YoloV2Head): { anchors: Float64Array; n: number; sh: number; sw: number; na: number; nc: number; h: number; w: number } {
  const anchors = checkAnchors(fn, o.anchors);
  const nc = o.numClasses;
  if (!Number.isInteger(nc) || nc < 1) throw new ValueError(`${fn}: numClasses must be a positive integer, got ${String(nc)}`);
  const sz = o.imageSize;
  if (!Array.isArray(sz) || sz.length !== 2 || !sz.every((v) => Number.isFinite(v) && v > 0)) throw new ValueError(`${fn}: imageSize must be [height, width] in pixels, got ${JSON.stringify(sz)}`);
  const na = anchors.length / 2;
  if (!(pred instanceof Tensor) || pred.ndim !== 5 || pred.shape[3] !== na || pred.shape[4] !== 5 + nc) {
    throw new ShapeError(`${fn}: pred must be [N, Sh, Sw, ${na}, ${5 + nc}] (A = ${na} anchors, 5 + C = ${5 + nc}), got ${pred instanceof Tensor ? fmtShape(pred.shape) : typeof pred}`);
  }
  return { anchors, n: pred.shape[0], sh: pred.shape[1], sw: pred.shape[2], na, nc, h: sz[0], w: sz[1] };
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Box (x1, y1, x2, y2) pixels of prediction `o` (offset into p) in cell (i, j) with anchor (pw, ph). */
function decodeBox(p: ArrayLike<number>, o: number, i: number, j: number, pw: number, ph: number, cw: number, ch: number): [number, number, number, number] {
  const cx = (j + sigmoid(p[o])) * cw;
  const cy = (i + sigmoid(p[o + 1])) * ch;
  const bw = pw * Math.exp(Math.min(p[o + 2], YOLOV2_WH_CLAMP));
  const bh = ph * Math.exp(Math.min(p[o + 3], YOLOV2_WH_CLAMP));
  return [cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2];
}

function iou(a: readonly number[], b: ArrayLike<number>, q: number): number {
  const iw = Math.min(a[2], b[q + 2]) - Math.max(a[0], b[q]);
  const ih = Math.min(a[3], b[q + 3]) - Math.max(a[1], b[q + 1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[q + 2] - b[q]) * (b[q + 3] - b[q + 1]) - inter);
}

function targetArrays(fn: string, t: DetectionTarget, index: number, nc: number): { boxes: ArrayLike<number>; labels: ArrayLike<number> } {
  const boxes = t.boxes.contiguous().toTypedArray() as ArrayLike<number>;
  const labels = t.labels.toTypedArray() as ArrayLike<number>;
  for (let k = 0; k < labels.length; k++) {
    const b = [boxes[4 * k], boxes[4 * k + 1], boxes[4 * k + 2], boxes[4 * k + 3]];
    if (!b.every(Number.isFinite) || b[2] <= b[0] || b[3] <= b[1]) throw new ValueError(`${fn}: target ${index}'s box ${k} must be finite with x2 > x1 and y2 > y1, got [${b.join(', ')}]`);
    if (!Number.isInteger(labels[k]) || labels[k] < 0 || labels[k] >= nc) throw new ValueError(`${fn}: target ${index}'s label ${k} must be in 0..${nc - 1}, got ${labels[k]}`);
  }
  return { boxes, labels };
}

/** YOLO v2's loss of `pred` [N, Sh, Sw, A, 5 + C] against `targets`: {loss_coord, loss_obj, loss_noobj, loss_class} (see the module comment). */
export function yoloV2Loss(pred: Tensor, targets: readonly DetectionTarget[], opts: YoloV2LossOptions): Record<string, Tensor> {
  const fn = 'yoloV2Loss';
  const { anchors, n, sh, sw, na, nc, h, w } = checkHead(fn, pred, opts);
  if (!Array.isArray(targets) || targets.length !== n) throw new ValueError(`${fn}: expected ${n} targets (one per image), got ${Array.isArray(targets) ? targets.length : typeof targets}`);
  const lambda = { coord: opts.lambdaCoord ?? 1, obj: opts.lambdaObj ?? 5, noobj: opts.lambdaNoobj ?? 1, cls: opts.lambdaClass ?? 1 };
  for (const [k, v] of Object.entries(lambda)) if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new ValueError(`${fn}: the loss weights must be non-negative numbers, got ${k} ${String(v)}`);
  const ignore = opts.ignoreThreshold ?? 0.6;
  if (!(ignore >= 0 && ignore <= 1)) throw new ValueError(`${fn}: ignoreThreshold must be in [0, 1], got ${String(ignore)}`);
  const rescore = opts.rescore ?? true;
  const d = 5 + nc;
  const cw = w / sw;
  const ch = h / sh;
  const cells = n * sh * sw * na;
  const p = pred.detach().contiguous().toTypedArray() as ArrayLike<number>;
  const coordW = new Float64Array(cells); // (2 - w·h) at responsible predictions
  const xyT = new Float64Array(cells * 2);
  const whT = new Float64Array(cells * 2);
  const objT = new Float64Array(cells);
  const resp = new Float64Array(cells);
  const noobj = new Float64Array(cells);
  const classT = new Float64Array(cells * nc);
  targets.forEach((t, img) => {
    const { boxes, labels } = targetArrays(fn, t, img, nc);
    const owner = new Map<number, number>(); // prediction index -> object
    const area = (k: number) => (boxes[4 * k + 2] - boxes[4 * k]) * (boxes[4 * k + 3] - boxes[4 * k + 1]);
    for (let k = 0; k < labels.length; k++) {
      const bw = boxes[4 * k + 2] - boxes[4 * k];
      const bh = boxes[4 * k + 3] - boxes[4 * k + 1];
      const j = Math.min(Math.max(Math.floor((boxes[4 * k] + bw / 2) / cw), 0), sw - 1);
      const i = Math.min(Math.max(Math.floor((boxes[4 * k + 1] + bh / 2) / ch), 0), sh - 1);
      let best = 0;
      let bestIou = -1;
      for (let a = 0; a < na; a++) {
        const inter = Math.min(bw, anchors[2 * a]) * Math.min(bh, anchors[2 * a + 1]);
        const s = inter / (bw * bh + anchors[2 * a] * anchors[2 * a + 1] - inter);
        if (s > bestIou) [best, bestIou] = [a, s];
      }
      const at = ((img * sh + i) * sw + j) * na + best;
      const prev = owner.get(at);
      if (prev === undefined || area(k) > area(prev)) owner.set(at, k);
    }
    for (let i = 0; i < sh; i++) {
      for (let j = 0; j < sw; j++) {
        for (let a = 0; a < na; a++) {
          const at = ((img * sh + i) * sw + j) * na + a;
          const box = decodeBox(p, at * d, i, j, anchors[2 * a], anchors[2 * a + 1], cw, ch);
          let most = 0;
          for (let k = 0; k < labels.length; k++) most = Math.max(most, iou(box, boxes, 4 * k));
          const k = owner.get(at);
          if (k === undefined) {
            if (most <= ignore) noobj[at] = 1;
            continue;
          }
          const bw = boxes[4 * k + 2] - boxes[4 * k];
          const bh = boxes[4 * k + 3] - boxes[4 * k + 1];
          resp[at] = 1;
          coordW[at] = 2 - (bw * bh) / (w * h);
          xyT[2 * at] = (boxes[4 * k] + bw / 2) / cw - j;
          xyT[2 * at + 1] = (boxes[4 * k + 1] + bh / 2) / ch - i;
          whT[2 * at] = Math.log(bw / anchors[2 * a]);
          whT[2 * at + 1] = Math.log(bh / anchors[2 * a + 1]);
          objT[at] = rescore ? iou(box, boxes, 4 * k) : 1;
          classT[at * nc + labels[k]] = 1;
        }
      }
    }
  });
  const dtype = pred.dtype === 'float64' ? 'float64' : 'float32';
  const mk = (v: Float64Array, shape: number[]) => tensor(dtype === 'float64' ? v : Float32Array.from(v), { shape, dtype });
  const shape = [n, sh, sw, na];
  const cwT = mk(coordW, [...shape, 1]);
  const xy = pred.narrow(4, 0, 2).sigmoid().sub(mk(xyT, [...shape, 2])).square().mul(cwT).sum();
  const wh = pred.narrow(4, 2, 2).sub(mk(whT, [...shape, 2])).square().mul(cwT).sum();
  const obj = pred.narrow(4, 4, 1).reshape(shape).sigmoid();
  return {
    loss_coord: xy.add(wh).mul(lambda.coord / n),
    loss_obj: obj.sub(mk(objT, shape)).square().mul(mk(resp, shape)).sum().mul(lambda.obj / n),
    loss_noobj: obj.square().mul(mk(noobj, shape)).sum().mul(lambda.noobj / n),
    loss_class: logSoftmax(pred.narrow(4, 5, nc), 4).mul(mk(classT, [...shape, nc])).sum().mul(-lambda.cls / n),
  };
}

/**
 * Detections from `pred` [N, Sh, Sw, A, 5 + C]: every prediction's box (clipped to the image, empty ones dropped)
 * scored per class by objectness x class probability, kept above `scoreThreshold`, NMS per class
 * (vision.batchedNms), at most `detectionsPerImage` per image, best first. Boxes are xyxy pixels, labels int32.
 */
export function yoloV2Decode(pred: Tensor, opts: YoloV2DecodeOptions): Detection[] {
  const fn = 'yoloV2Decode';
  const { anchors, n, sh, sw, na, nc, h, w } = checkHead(fn, pred, opts);
  const scoreThreshold = opts.scoreThreshold ?? 0.01;
  const nmsThreshold = opts.nmsThreshold ?? 0.5;
  const maxDet = opts.detectionsPerImage ?? 100;
  if (!Number.isFinite(scoreThreshold)) throw new ValueError(`${fn}: scoreThreshold must be a finite number, got ${scoreThreshold}`);
  if (!Number.isInteger(maxDet) || maxDet < 1) throw new ValueError(`${fn}: detectionsPerImage must be a positive integer, got ${maxDet}`);
  const d = 5 + nc;
  const cw = w / sw;
  const ch = h / sh;
  const p = pred.detach().contiguous().toTypedArray() as ArrayLike<number>;
  const prob = softmax(pred.detach().narrow(4, 5, nc), 4).contiguous().toTypedArray() as ArrayLike<number>;
  const out: Detection[] = [];
  for (let img = 0; img < n; img++) {
    const boxes: number[] = [];
    const scores: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < sh; i++) {
      for (let j = 0; j < sw; j++) {
        for (let a = 0; a < na; a++) {
          const at = ((img * sh + i) * sw + j) * na + a;
          const [bx1, by1, bx2, by2] = decodeBox(p, at * d, i, j, anchors[2 * a], anchors[2 * a + 1], cw, ch);
          const x1 = Math.min(Math.max(bx1, 0), w);
          const y1 = Math.min(Math.max(by1, 0), h);
          const x2 = Math.min(Math.max(bx2, 0), w);
          const y2 = Math.min(Math.max(by2, 0), h);
          if (!(x2 > x1 && y2 > y1)) continue;
          const obj = sigmoid(p[at * d + 4]);
          for (let c = 0; c < nc; c++) {
            const score = obj * prob[at * nc + c];
            if (!(score > scoreThreshold)) continue;
            boxes.push(x1, y1, x2, y2);
            scores.push(score);
            labels.push(c);
          }
        }
      }
    }
    const k = scores.length;
    const keep = Array.from(batchedNms(tensor(Float32Array.from(boxes), { shape: [k, 4] }), tensor(Float32Array.from(scores), { shape: [k] }), tensor(Int32Array.from(labels), { shape: [k], dtype: 'int32' }), nmsThreshold).toTypedArray()).slice(0, maxDet);
    out.push({
      boxes: tensor(Float32Array.from(keep.flatMap((q) => boxes.slice(4 * q, 4 * q + 4))), { shape: [keep.length, 4] }),
      scores: tensor(Float32Array.from(keep.map((q) => scores[q])), { shape: [keep.length] }),
      labels: tensor(Int32Array.from(keep.map((q) => labels[q])), { shape: [keep.length], dtype: 'int32' }),
    });
  }
  return out;
}
