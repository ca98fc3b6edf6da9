/**
 * Non-maximum suppression as torchvision.ops.nms and batched_nms (its CPU kernel, step for step): boxes are
 * visited by decreasing score (a stable sort, so tied scores keep index order), and a box suppresses every later
 * one whose IoU with it exceeds the threshold. A zero-area box has IoU 0/0 = NaN with another zero-area box, which
 * never exceeds the threshold, so it is kept, as in torchvision. float32 boxes are computed in float32 (each step
 * rounded), so the kept set equals torchvision's at the threshold too. Runs on the host; not differentiable
 * (indices).
 * @module
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { fromHost } from '../autograd/primitives.js';
import { checkTensor } from '../ops/util.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBoxes, checkNoNaN } from './check.js';

function checkScores(fn: string, boxes: Tensor, scores: unknown): Tensor {
  const s = checkTensor(fn, scores, 'scores');
  if (s.ndim !== 1) throw new ShapeError(`${fn}: scores must be 1-D [N], got shape ${fmtShape(s.shape)}`);
  if (s.shape[0] !== boxes.shape[0]) throw new ShapeError(`${fn}: boxes ${fmtShape(boxes.shape)} and scores ${fmtShape(s.shape)} differ in N`);
  if (s.dtype !== boxes.dtype) throw new DTypeError(`${fn}: scores must have the dtype of boxes (${boxes.dtype}), got ${s.dtype}`);
  if (boxes.dtype !== 'float32' && boxes.dtype !== 'float64') throw new DTypeError(`${fn}: boxes must be float32 or float64, got dtype ${boxes.dtype}`);
  if (s.device !== boxes.device) throw new ValueError(`${fn}: boxes and scores are on different backends: ${boxes.device} and ${s.device}`);
  return s;
}

function checkThreshold(fn: string, t: unknown): number {
  if (typeof t !== 'number' || Number.isNaN(t)) throw new ValueError(`${fn}: iouThreshold must be a number, got ${String(t)}`);
  return t;
}

/** Indices of `idx` ordered by decreasing score, ties by position in `idx` (a stable sort). */
function byScore(idx: number[], s: ArrayLike<number>): number[] {
  return idx.map((i, k) => [i, k]).sort((a, b) => s[b[0]] - s[a[0]] || a[1] - b[1]).map((p) => p[0]);
}

/** The greedy suppression over the boxes `idx` (indices into `b`), returning the kept ones in visiting order. */
function suppress(b: ArrayLike<number>, s: ArrayLike<number>, idx: number[], thr: number, f32: boolean): number[] {
  const r = f32 ? Math.fround : (v: number) => v;
  const order = byScore(idx, s);
  const n = order.length;
  // coordinates and areas in visiting order, so the O(n^2) loop reads typed arrays only
  const x1 = new Float64Array(n);
  const y1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const y2 = new Float64Array(n);
  const area = new Float64Array(n);
  order.forEach((i, k) => {
    x1[k] = b[4 * i];
    y1[k] = b[4 * i + 1];
    x2[k] = b[4 * i + 2];
    y2[k] = b[4 * i + 3];
    area[k] = r(r(x2[k] - x1[k]) * r(y2[k] - y1[k]));
  });
  const gone = new Uint8Array(n);
  const keep: number[] = [];
  const fr = Math.fround;
  for (let a = 0; a < n; a++) {
    if (gone[a]) continue;
    keep.push(order[a]);
    // two copies of the inner loop, so that float64 pays for no rounding calls
    if (f32) {
      for (let c = a + 1; c < n; c++) {
        if (gone[c]) continue;
        const w = Math.max(0, fr(Math.min(x2[a], x2[c]) - Math.max(x1[a], x1[c])));
        const h = Math.max(0, fr(Math.min(y2[a], y2[c]) - Math.max(y1[a], y1[c])));
        const inter = fr(w * h);
        if (fr(inter / fr(fr(area[a] + area[c]) - inter)) > thr) gone[c] = 1;
      }
    } else {
      for (let c = a + 1; c < n; c++) {
        if (gone[c]) continue;
        const w = Math.max(0, Math.min(x2[a], x2[c]) - Math.max(x1[a], x1[c]));
        const h = Math.max(0, Math.min(y2[a], y2[c]) - Math.max(y1[a], y1[c]));
        const inter = w * h;
        if (inter / (area[a] + area[c] - inter) > thr) gone[c] = 1;
      }
    }
  }
  return keep;
}

/**
 * Non-maximum suppression of `boxes` [N, 4] (xyxy) with `scores` [N] (same float dtype): the int32 indices [K]
 * of the boxes kept, by decreasing score, dropping every box whose IoU with a higher-scoring kept box is greater
 * than `iouThreshold` (torchvision.ops.nms). Unlike torchvision, NaN boxes or scores raise a ValueError (its
 * result for them depends on where the NaN sorts).
 */
export function nms(boxes: Tensor, scores: Tensor, iouThreshold: number): Tensor {
  checkBoxes('nms', boxes);
  const s = checkScores('nms', boxes, scores);
  const thr = checkThreshold('nms', iouThreshold);
  const b = boxes.toTypedArray();
  const sv = s.toTypedArray();
  checkNoNaN('nms', b, 'boxes');
  checkNoNaN('nms', sv, 'scores');
  const keep = suppress(b, sv, Array.from({ length: boxes.shape[0] }, (_, i) => i), thr, boxes.dtype === 'float32');
  return fromHost(keep, [keep.length], 'int32', boxes.device);
}

/**
 * NMS within each category: boxes [N, 4], scores [N] and category ids `idxs` (int32 [N]); boxes of different
 * categories never suppress each other. Returns the kept int32 indices [K] by decreasing score, ties by index
 * (torchvision.ops.batched_nms). Each category is suppressed on its own (torchvision's "vanilla" path), never by
 * offsetting coordinates (its path for small inputs, which lets negative coordinates of one class reach into the
 * next and, in float32, rounds the shifted coordinates).
 */
export function batchedNms(boxes: Tensor, scores: Tensor, idxs: Tensor, iouThreshold: number): Tensor {
  checkBoxes('batchedNms', boxes);
  const s = checkScores('batchedNms', boxes, scores);
  checkTensor('batchedNms', idxs, 'idxs');
  if (idxs.dtype !== 'int32') throw new DTypeError(`batchedNms: idxs must be an int32 tensor, got dtype ${idxs.dtype}`);
  if (idxs.ndim !== 1 || idxs.shape[0] !== boxes.shape[0]) {
    throw new ShapeError(`batchedNms: idxs must have shape [${boxes.shape[0]}] (one category per box), got ${fmtShape(idxs.shape)}`);
  }
  const thr = checkThreshold('batchedNms', iouThreshold);
  const b = boxes.toTypedArray();
  const sv = s.toTypedArray();
  checkNoNaN('batchedNms', b, 'boxes');
  checkNoNaN('batchedNms', sv, 'scores');
  const cls = idxs.toTypedArray();
  const groups = new Map<number, number[]>();
  for (let i = 0; i < cls.length; i++) {
    const g = groups.get(cls[i]);
    if (g) g.push(i);
    else groups.set(cls[i], [i]);
  }
  const kept: number[] = [];
  for (const g of groups.values()) kept.push(...suppress(b, sv, g, thr, boxes.dtype === 'float32'));
  kept.sort((i, j) => sv[j] - sv[i] || i - j);
  return fromHost(kept, [kept.length], 'int32', boxes.device);
}
