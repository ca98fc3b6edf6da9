/**
 * Box-aware augmentation for detection, after torchvision's detection references (references/detection/
 * transforms.py): a transform takes (image [C, H, W], target) and returns both, moving the boxes with the pixels.
 * Per-box fields of the target (labels, difficult, ...: any tensor whose first dimension is the box count) are
 * kept or dropped together with their boxes. Random choices come from the library's seeded Generator.
 * @module
 */
import { type ColorJitterOptions, colorJitter } from '../data/color.js';
import type { RandomOptions } from '../data/transforms.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { resizeAntialiased } from '../ops/antialias.js';
import { tensor } from '../tensor/creation.js';
import { defaultGenerator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { boxArrayIou } from './box-array.js';

/** A detection target: boxes [K, 4] ([x1, y1, x2, y2], pixel edges), labels [K], and any other per-box [K, ...] tensors. */
export interface BoxTarget {
  /** [K, 4] boxes [x1, y1, x2, y2]. */
  boxes: Tensor;
  /** [K] class indices. */
  labels: Tensor;
  [field: string]: Tensor;
}

/** A box-aware transform. */
export type BoxTransform = (image: Tensor, target: BoxTarget) => [Tensor, BoxTarget];

function check(op: string, image: Tensor, target: BoxTarget): [number, number, number, Float64Array] {
  if (!(image instanceof Tensor) || image.ndim !== 3) throw new ShapeError(`${op}: image must be a [C, H, W] tensor, got ${image instanceof Tensor ? `shape ${fmtShape(image.shape)}` : typeof image}`);
  if (image.dtype !== 'float32' && image.dtype !== 'float64') throw new DTypeError(`${op}: image must be float32 or float64, got dtype ${image.dtype}`);
  const b = target?.boxes;
  if (!(b instanceof Tensor) || b.ndim !== 2 || b.shape[1] !== 4) throw new ShapeError(`${op}: target.boxes must be a [K, 4] tensor, got ${b instanceof Tensor ? `shape ${fmtShape(b.shape)}` : typeof b}`);
  const k = b.shape[0];
  for (const [name, t] of Object.entries(target)) {
    if (!(t instanceof Tensor) || t.ndim < 1 || t.shape[0] !== k) throw new ShapeError(`${op}: target.${name} must be a tensor with ${k} rows (one per box), got ${t instanceof Tensor ? `shape ${fmtShape(t.shape)}` : typeof t}`);
  }
  const d = Float64Array.from(b.toTypedArray());
  for (let i = 0; i < k; i++) {
    const [x1, y1, x2, y2] = d.subarray(i * 4, i * 4 + 4);
    if (![x1, y1, x2, y2].every(Number.isFinite) || x2 < x1 || y2 < y1) throw new ValueError(`${op}: target.boxes[${i}] must be finite with x1 <= x2 and y1 <= y2, got [${x1}, ${y1}, ${x2}, ${y2}]`);
  }
  const [c, h, w] = image.shape;
  return [c, h, w, d];
}

/** The target with boxes replaced by `boxes` ([K', 4] values) and every per-box field restricted to rows `keep`. */
function rebuild(target: BoxTarget, boxes: number[], keep: number[] | null): BoxTarget {
  const out: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(target)) {
    if (name === 'boxes') continue;
    if (keep === null) {
      out[name] = t;
      continue;
    }
    const row = t.shape.slice(1).reduce((a, v) => a * v, 1);
    const src = t.toTypedArray();
    const vals: number[] = [];
    for (const r of keep) for (let j = 0; j < row; j++) vals.push(Number(src[r * row + j]));
    out[name] = tensor(vals, { dtype: t.dtype, shape: [keep.length, ...t.shape.slice(1)] });
  }
  out.boxes = tensor(boxes, { dtype: target.boxes.dtype, shape: [boxes.length / 4, 4] });
  return out as BoxTarget;
}

/** Mirrors image and boxes left-right: x1' = W - x2, x2' = W - x1. */
export function hflipWithBoxes(image: Tensor, target: BoxTarget): [Tensor, BoxTarget] {
  const [c, h, w, d] = check('hflipWithBoxes', image, target);
  const src = image.toTypedArray();
  const o = new (src.constructor as Float64ArrayConstructor)(src.length);
  for (let r = 0; r < c * h; r++) for (let x = 0; x < w; x++) o[r * w + x] = src[r * w + w - 1 - x];
  const boxes: number[] = [];
  for (let i = 0; i < d.length; i += 4) boxes.push(w - d[i + 2], d[i + 1], w - d[i], d[i + 3]);
  return [tensor(o, { dtype: image.dtype, shape: [c, h, w] }), rebuild(target, boxes, null)];
}

/** Horizontal flip of image and boxes with probability p (default 0.5). */
export function randomHorizontalFlipWithBoxes(opts: RandomOptions & { p?: number } = {}): BoxTransform {
  const p = opts.p ?? 0.5;
  if (!(p >= 0 && p <= 1)) throw new ValueError(`randomHorizontalFlipWithBoxes: p must be in [0, 1], got ${p}`);
  return (image, target) => {
    check('randomHorizontalFlipWithBoxes', image, target);
    return (opts.generator ?? defaultGenerator).random() < p ? hflipWithBoxes(image, target) : [image, target];
  };
}

/** Resizes image and boxes by `factor` (antialiased bilinear); boxes scale by the realised newW / W and newH / H. */
export function scaleWithBoxes(image: Tensor, target: BoxTarget, factor: number): [Tensor, BoxTarget] {
  const [, h, w, d] = check('scaleWithBoxes', image, target);
  if (!(Number.isFinite(factor) && factor > 0)) throw new ValueError(`scaleWithBoxes: factor must be a positive number, got ${factor}`);
  const nh = Math.max(1, Math.round(h * factor));
  const nw = Math.max(1, Math.round(w * factor));
  const sx = nw / w;
  const sy = nh / h;
  const boxes = Array.from(d, (v, i) => v * (i % 2 === 0 ? sx : sy));
  const out = resizeAntialiased(image.unsqueeze(0), [nh, nw], 'bilinear').squeeze(0);
  return [out, rebuild(target, boxes, null)];
}

/** Scales by a factor drawn uniformly from `scale` (default [0.5, 1.5]), as torchvision's ScaleJitter. */
export function randomScaleWithBoxes(opts: RandomOptions & { scale?: readonly [number, number] } = {}): BoxTransform {
  const [lo, hi] = opts.scale ?? [0.5, 1.5];
  if (!(lo > 0 && hi >= lo)) throw new ValueError(`randomScaleWithBoxes: scale must be [min, max] with 0 < min <= max, got [${lo}, ${hi}]`);
  return (image, target) => scaleWithBoxes(image, target, lo + (hi - lo) * (opts.generator ?? defaultGenerator).random());
}

/** Options of randomIoUCrop(), torchvision's RandomIoUCrop's. */
export interface RandomIoUCropOptions extends RandomOptions {
  /** Smallest crop side as a fraction of the image side (default 0.3). */
  minScale?: number;
  /** Largest crop side fraction (default 1). */
  maxScale?: number;
  /** Smallest crop width / height (default 0.5). */
  minAspectRatio?: number;
  /** Largest crop width / height (default 2). */
  maxAspectRatio?: number;
  /** Minimum-IoU choices; a value >= 1 means "leave the image as it is" (default [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1]). */
  samplerOptions?: readonly number[];
  /** Crops tried per drawn minimum IoU (default 40). */
  trials?: number;
}

/**
 * SSD's random crop as torchvision's RandomIoUCrop: draw a minimum IoU, then up to `trials` crops of scale
 * [minScale, maxScale] per side and aspect ratio within bounds; a crop is taken when some box centre lies inside
 * it and one of those boxes overlaps the crop by at least the minimum IoU. Boxes whose centres fall outside are
 * dropped (with their per-box fields), the rest shifted and clipped to the crop. Images without boxes are returned
 * unchanged.
 */
export function randomIoUCrop(opts: RandomIoUCropOptions = {}): BoxTransform {
  const minScale = opts.minScale ?? 0.3;
  const maxScale = opts.maxScale ?? 1;
  const minAr = opts.minAspectRatio ?? 0.5;
  const maxAr = opts.maxAspectRatio ?? 2;
  const options = opts.samplerOptions ?? [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1];
  const trials = opts.trials ?? 40;
  if (!(minScale > 0 && maxScale >= minScale && maxScale <= 1)) throw new ValueError(`randomIoUCrop: scales must satisfy 0 < minScale <= maxScale <= 1, got ${minScale} and ${maxScale}`);
  if (!(minAr > 0 && maxAr >= minAr)) throw new ValueError(`randomIoUCrop: aspect ratios must satisfy 0 < minAspectRatio <= maxAspectRatio, got ${minAr} and ${maxAr}`);
  if (!Array.isArray(options) || options.length === 0 || !options.every(Number.isFinite)) throw new ValueError(`randomIoUCrop: samplerOptions must be a non-empty list of numbers, got ${JSON.stringify(options)}`);
  if (!(Number.isInteger(trials) && trials >= 1)) throw new ValueError(`randomIoUCrop: trials must be an integer >= 1, got ${trials}`);
  return (image, target) => {
    const [c, h, w, d] = check('randomIoUCrop', image, target);
    const k = d.length / 4;
    if (k === 0) return [image, target];
    const g = opts.generator ?? defaultGenerator;
    for (;;) {
      const minIou = options[g.randint(0, options.length)];
      if (minIou >= 1) return [image, target];
      for (let t = 0; t < trials; t++) {
        const nw = Math.trunc(w * (minScale + (maxScale - minScale) * g.random()));
        const nh = Math.trunc(h * (minScale + (maxScale - minScale) * g.random()));
        if (nh === 0 || !(minAr <= nw / nh && nw / nh <= maxAr)) continue;
        const left = Math.trunc((w - nw) * g.random());
        const top = Math.trunc((h - nh) * g.random());
        const right = left + nw;
        const bottom = top + nh;
        if (left === right || top === bottom) continue;
        const keep: number[] = [];
        for (let i = 0; i < k; i++) {
          const cx = 0.5 * (d[4 * i] + d[4 * i + 2]);
          const cy = 0.5 * (d[4 * i + 1] + d[4 * i + 3]);
          if (left < cx && cx < right && top < cy && cy < bottom) keep.push(i);
        }
        if (keep.length === 0) continue;
        const crop = [left, top, right, bottom];
        if (Math.max(...keep.map((i) => boxArrayIou(d.subarray(4 * i, 4 * i + 4), crop))) < minIou) continue;
        const boxes: number[] = [];
        for (const i of keep) {
          boxes.push(
            Math.min(Math.max(d[4 * i] - left, 0), nw), Math.min(Math.max(d[4 * i + 1] - top, 0), nh),
            Math.min(Math.max(d[4 * i + 2] - left, 0), nw), Math.min(Math.max(d[4 * i + 3] - top, 0), nh),
          );
        }
        const src = image.toTypedArray();
        const o = new (src.constructor as Float64ArrayConstructor)(c * nh * nw);
        for (let ch = 0; ch < c; ch++) for (let y = 0; y < nh; y++) for (let x = 0; x < nw; x++) o[(ch * nh + y) * nw + x] = src[(ch * h + top + y) * w + left + x];
        return [tensor(o, { dtype: image.dtype, shape: [c, nh, nw] }), rebuild(target, boxes, keep)];
      }
    }
  };
}

/** Colour jitter of the image only (torchvision's ColorJitter; boxes unchanged). */
export function colorJitterWithBoxes(opts: ColorJitterOptions = {}): BoxTransform {
  const jitter = colorJitter(opts);
  return (image, target) => {
    check('colorJitterWithBoxes', image, target);
    return [jitter(image), target];
  };
}

/** Applies box transforms in order. */
export function composeBoxTransforms(...transforms: BoxTransform[]): BoxTransform {
  return (image, target) => transforms.reduce<[Tensor, BoxTarget]>(([i, t], f) => f(i, t), [image, target]);
}
