/**
 * Segmentation data made from a labelled image dataset itself: each image's foreground pixels get its class,
 * so MNIST becomes an 11-class segmentation problem (background and the ten digits) without drawing any mask.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { checkIndex, isMapDataset, type Dataset } from './dataset.js';

/**
 * The default foreground threshold: a pixel is foreground when its value (the largest over channels) is above
 * 0.5, i.e. above mid-grey for images in [0, 1]. On MNIST that keeps the strokes' solid core and leaves the
 * anti-aliased rim as background (13.5% of the pixels of 1,000 random training digits are foreground).
 */
export const FOREGROUND_THRESHOLD = 0.5;

/** Options of `segmentationMask` and `SegmentationMasks`. */
export interface SegmentationMaskOptions {
  /** A pixel is foreground when its largest channel value is above this (default FOREGROUND_THRESHOLD, 0.5). */
  threshold?: number;
}

function checkThreshold(op: string, t: unknown): number {
  const v = t ?? FOREGROUND_THRESHOLD;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${op}: threshold must be a finite number, got ${String(t)}`);
  return v;
}

/**
 * The mask of one image [C, H, W] (or [H, W]) with class `label`: an int32 [H, W] tensor holding `label + 1` at
 * foreground pixels (largest channel value above `threshold`) and 0 (background) elsewhere.
 */
export function segmentationMask(image: Tensor, label: number, opts: SegmentationMaskOptions = {}): Tensor {
  const op = 'segmentationMask';
  if (!(image instanceof Tensor)) throw new ValueError(`${op}: image must be a Tensor, got ${image === null ? 'null' : typeof image}`);
  if (image.ndim !== 2 && image.ndim !== 3) throw new ShapeError(`${op}: image must be [C, H, W] or [H, W], got shape ${fmtShape(image.shape)}`);
  if (!Number.isInteger(label) || label < 0) throw new ValueError(`${op}: label must be a non-negative integer class, got ${String(label)}`);
  const threshold = checkThreshold(op, opts.threshold);
  const [c, h, w] = image.ndim === 3 ? image.shape : [1, ...image.shape];
  const x = image.toTypedArray();
  const hw = h * w;
  const mask = new Int32Array(hw);
  for (let p = 0; p < hw; p++) {
    let v = x[p];
    for (let ch = 1; ch < c; ch++) v = Math.max(v, x[ch * hw + p]);
    if (v > threshold) mask[p] = label + 1;
  }
  return tensor(mask, { shape: [h, w], dtype: 'int32' });
}

/** An item of a labelled image dataset: `[image, label]` with the label a number or a one-element tensor (e.g. a TensorDataset's). */
export type LabelledImage = readonly [Tensor, number | Tensor] | readonly Tensor[];

/**
 * A labelled image dataset turned into segmentation pairs: item i is `[image [C, H, W], mask [H, W] int32]`,
 * the mask from `segmentationMask` (background 0, foreground label + 1), so a dataset of K classes gives
 * K + 1 mask classes (`numClasses`). The image is the one the wrapped dataset returns (after its transform;
 * choose the threshold for that scale).
 */
export class SegmentationMasks implements Dataset<[Tensor, Tensor]> {
  /** Mask classes: the wrapped dataset's classes + 1 for the background. */
  readonly numClasses: number;
  private readonly threshold: number;

  /**
   * Wraps `dataset`; `numClasses` is the wrapped dataset's class count (default its `numClasses` property);
   * a label outside [0, numClasses) is a ValueError when the item is read.
   */
  constructor(readonly dataset: Dataset<LabelledImage>, opts: SegmentationMaskOptions & { numClasses?: number } = {}) {
    const op = 'SegmentationMasks';
    if (!isMapDataset(dataset)) throw new ValueError(`${op}: dataset must be a map-style dataset (length and get(i)) of [image, label] items`);
    const k = opts.numClasses ?? (dataset as { numClasses?: unknown }).numClasses;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
      throw new ValueError(`${op}: the number of image classes must be a positive integer (pass numClasses, or a dataset with a numClasses property), got ${String(k)}`);
    }
    this.numClasses = k + 1;
    this.threshold = checkThreshold(op, opts.threshold);
  }

  /** Number of items (the wrapped dataset's). */
  get length(): number {
    return this.dataset.length;
  }

  /** `[image, mask]` of item `index`. */
  get(index: number): [Tensor, Tensor] {
    const op = 'SegmentationMasks';
    checkIndex(op, index, this.length);
    const item = this.dataset.get(index);
    if (!Array.isArray(item) || !(item[0] instanceof Tensor)) throw new ValueError(`${op}: item ${index} of the dataset must be [image tensor, label], got ${typeof item}`);
    const [image, raw] = item as unknown as readonly [Tensor, unknown];
    const label = raw instanceof Tensor ? raw.item() : raw;
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= this.numClasses - 1) {
      throw new ValueError(`${op}: item ${index} has label ${String(label)}, outside the dataset's ${this.numClasses - 1} classes`);
    }
    return [image, segmentationMask(image, label, { threshold: this.threshold })];
  }
}
