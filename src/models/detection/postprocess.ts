/**
 * From per-RoI class scores and class-specific box regression to one image's detections, as torchvision's
 * RoIHeads.postprocess_detections: softmax, each class's box decoded from its own offsets and clipped to the image,
 * background dropped, scores above `scoreThresh` and boxes at least `minSize` kept, per-class NMS, the best
 * `detectionsPerImage` returned. Shared by R-CNN and Fast R-CNN (they differ only in how the scores are computed).
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { softmax } from '../../ops/activation.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Detection } from '../../train/tasks/detection.js';
import type { BoxCoder } from '../../vision/box-coder.js';
import { batchedNms } from '../../vision/nms.js';

/** Options of postprocessDetections (torchvision's box_score_thresh, box_nms_thresh, box_detections_per_img). */
export interface PostprocessOptions {
  /** Smallest class probability kept (default 0.05). */
  scoreThresh?: number;
  /** IoU above which a lower-scoring box of the same class is suppressed (default 0.5; R-CNN used 0.3). */
  nmsThresh?: number;
  /** Most detections returned per image (default 100). */
  detectionsPerImage?: number;
  /** Smallest box side kept, in pixels (default 0.01). */
  minSize?: number;
}

/** Checks PostprocessOptions and fills in the defaults; `fn` names the caller in errors. */
export function postprocessOptions(fn: string, opts: PostprocessOptions): Required<PostprocessOptions> {
  const o = { scoreThresh: opts.scoreThresh ?? 0.05, nmsThresh: opts.nmsThresh ?? 0.5, detectionsPerImage: opts.detectionsPerImage ?? 100, minSize: opts.minSize ?? 0.01 };
  if (!(o.scoreThresh >= 0 && o.scoreThresh <= 1)) throw new ValueError(`${fn}: scoreThresh must be in [0, 1], got ${String(o.scoreThresh)}`);
  if (!(o.nmsThresh >= 0 && o.nmsThresh <= 1)) throw new ValueError(`${fn}: nmsThresh must be in [0, 1], got ${String(o.nmsThresh)}`);
  if (!Number.isInteger(o.detectionsPerImage) || o.detectionsPerImage < 1) throw new ValueError(`${fn}: detectionsPerImage must be a positive integer, got ${String(o.detectionsPerImage)}`);
  if (!(o.minSize >= 0)) throw new ValueError(`${fn}: minSize must be a number >= 0, got ${String(o.minSize)}`);
  return o;
}

/**
 * One image's detections from `classLogits` [P, K + 1], `boxRegression` [P, 4 (K + 1)] and the P `proposals` [P, 4]
 * they were computed on, in an image of `imageSize` [H, W]: boxes [D, 4] float32 inside the image, scores [D] and
 * 0-based object labels [D] int32, best first (see the module comment).
 */
export function postprocessDetections(classLogits: Tensor, boxRegression: Tensor, proposals: Tensor, imageSize: readonly [number, number], coder: BoxCoder, opts: PostprocessOptions = {}): Detection {
  const fn = 'postprocessDetections';
  const o = postprocessOptions(fn, opts);
  const [p, c] = classLogits.shape;
  if (classLogits.ndim !== 2 || boxRegression.ndim !== 2 || boxRegression.shape[0] !== p || boxRegression.shape[1] !== 4 * c || proposals.shape[0] !== p) {
    throw new ShapeError(`${fn}: expected classLogits [P, K + 1], boxRegression [P, 4 (K + 1)] and proposals [P, 4], got ${fmtShape(classLogits.shape)}, ${fmtShape(boxRegression.shape)} and ${fmtShape(proposals.shape)}`);
  }
  const [h, w] = imageSize;
  const empty = (): Detection => ({ boxes: tensor(new Float32Array(0), { shape: [0, 4] }), scores: tensor(new Float32Array(0), { shape: [0] }), labels: tensor(new Int32Array(0), { shape: [0] }) });
  if (p === 0) return empty();
  const prob = softmax(classLogits, 1).toTypedArray();
  const dec = coder.decodeSingle(boxRegression, proposals).toTypedArray();
  const boxes: number[] = [];
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < p; i++) {
    for (let k = 1; k < c; k++) {
      const s = prob[i * c + k];
      if (!(s > o.scoreThresh)) continue;
      const q = 4 * (i * c + k);
      const x1 = Math.min(Math.max(dec[q], 0), w);
      const y1 = Math.min(Math.max(dec[q + 1], 0), h);
      const x2 = Math.min(Math.max(dec[q + 2], 0), w);
      const y2 = Math.min(Math.max(dec[q + 3], 0), h);
      if (!(x2 - x1 >= o.minSize && y2 - y1 >= o.minSize)) continue;
      boxes.push(x1, y1, x2, y2);
      scores.push(s);
      labels.push(k - 1);
    }
  }
  if (scores.length === 0) return empty();
  const n = scores.length;
  const bT = tensor(Float32Array.from(boxes), { shape: [n, 4] });
  const sT = tensor(Float32Array.from(scores), { shape: [n] });
  const keep = Array.from(batchedNms(bT, sT, tensor(Int32Array.from(labels), { shape: [n] }), o.nmsThresh).toTypedArray()).slice(0, o.detectionsPerImage);
  const bs = bT.toTypedArray();
  const ss = sT.toTypedArray();
  return {
    boxes: tensor(Float32Array.from(keep.flatMap((i) => [bs[4 * i], bs[4 * i + 1], bs[4 * i + 2], bs[4 * i + 3]])), { shape: [keep.length, 4] }),
    scores: tensor(Float32Array.from(keep.map((i) => ss[i])), { shape: [keep.length] }),
    labels: tensor(Int32Array.from(keep.map((i) => labels[i])), { shape: [keep.length] }),
  };
}
