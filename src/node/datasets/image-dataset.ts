/**
 * ImageDataset: a labeled image dataset held in memory as uint8 pixels (MNIST, Fashion-MNIST, CIFAR), with
 * map-style items for a DataLoader and bulk tensors for fast training loops.
 * @module
 */
import type { Dataset } from '../../data/dataset.js';
import { checkIndex } from '../../data/dataset.js';
import type { Transform } from '../../data/transforms.js';
import { DataError, ValueError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * What every supervised dataset here offers: items `[input, target]`, the per-item input shape, class names
 * (empty for regression), and the whole dataset as two tensors for loops that batch by indexing.
 */
export interface LabeledDataset extends Dataset<[Tensor, number]> {
  /** A short name such as 'MNIST train'. */
  readonly name: string;
  /** Shape of one input: [C, H, W] for images, [F] for tabular rows. */
  readonly inputShape: readonly number[];
  /** Class names, index = label; empty for regression targets. */
  readonly classes: readonly string[];
  /** Number of classes (0 for regression targets). */
  readonly numClasses: number;
  /** All inputs stacked, [N, ...inputShape] float32, without the per-item transform. */
  inputs(): Tensor;
  /** All targets, [N]: int32 class indices, or float32 regression values. */
  targets(): Tensor;
  /** The inputs and targets at `indices`, stacked ([B, ...inputShape] and [B]), without the per-item transform. */
  batch(indices: ArrayLike<number>): [Tensor, Tensor];
}

/** The parts an ImageDataset is made from. */
export interface ImageDatasetInit {
  /** A short name for messages, e.g. 'MNIST train'. */
  name: string;
  /** Pixels, N x C x H x W bytes (each image CHW, rows top to bottom). */
  pixels: Uint8Array;
  /** One class index per image. */
  labels: ArrayLike<number>;
  /** [C, H, W] of every image. */
  imageShape: readonly [number, number, number];
  /** Class names, index = label. */
  classes: readonly string[];
  /** Where the data was read from (files, directory or package), shown by `source`. */
  source: string;
  /** Applied to each image tensor in get(i). */
  transform?: Transform;
}

const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/**
 * Throws a DataError if any label is not an integer in [0, numClasses), naming `source` (the label file) and
 * the index of the first bad label.
 */
export function checkLabels(labels: ArrayLike<number>, numClasses: number, source: string): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!(Number.isInteger(v) && v >= 0 && v < numClasses)) {
      throw new DataError(`${source}: label ${v} at index ${i} is outside 0..${numClasses - 1} (the dataset has ${numClasses} classes)`);
    }
  }
}

/**
 * A labeled image dataset in memory. Item i is `[image, label]`: the image a float32 CHW tensor in [0, 1]
 * (then `transform`, if set), the label a number. `images()`/`labels()` give the whole set as tensors,
 * built once on first use; `batch(indices)` gathers a batch straight from the bytes.
 */
export class ImageDataset implements LabeledDataset {
  /** A short name such as 'MNIST train'. */
  readonly name: string;
  /** Number of images. */
  readonly length: number;
  /** [C, H, W] of every image. */
  readonly imageShape: readonly [number, number, number];
  /** Class names, index = label. */
  readonly classes: readonly string[];
  /** Where the data was read from. */
  readonly source: string;
  /** The raw pixels, N x C x H x W bytes. */
  readonly rawPixels: Uint8Array;
  /** The raw labels, one class index per image. */
  readonly rawLabels: Int32Array;
  /** Applied to each image in get(i) (not in images()/batch()); may be replaced. */
  transform: Transform | undefined;
  private readonly per: number;
  private imagesCache: Tensor | undefined;
  private labelsCache: Tensor | undefined;

  /** Wraps the arrays (not copied); their sizes and the labels' range are checked. */
  constructor(init: ImageDatasetInit) {
    const [c, h, w] = init.imageShape;
    const per = c * h * w;
    if (!(per > 0) || init.pixels.length % per !== 0) {
      throw new ValueError(`ImageDataset ${init.name}: ${init.pixels.length} pixel bytes are not a whole number of ${c}x${h}x${w} images`);
    }
    const n = init.pixels.length / per;
    if (init.labels.length !== n) throw new ValueError(`ImageDataset ${init.name}: ${n} images but ${init.labels.length} labels`);
    if (init.classes.length === 0) throw new ValueError(`ImageDataset ${init.name}: needs at least one class name`);
    checkLabels(init.labels, init.classes.length, init.source);
    this.name = init.name;
    this.length = n;
    this.imageShape = [c, h, w];
    this.per = per;
    this.classes = [...init.classes];
    this.source = init.source;
    this.rawPixels = init.pixels;
    this.rawLabels = init.labels instanceof Int32Array ? init.labels : Int32Array.from(init.labels);
    this.transform = init.transform;
  }

  /** Number of classes. */
  get numClasses(): number {
    return this.classes.length;
  }

  /** Shape of one input, [C, H, W]. */
  get inputShape(): readonly number[] {
    return this.imageShape;
  }

  /** Item `index`: [image (float32 [C, H, W] in [0, 1], then the transform), label]. */
  get(index: number): [Tensor, number] {
    checkIndex(this.name, index, this.length);
    const per = this.per;
    const out = new Float32Array(per);
    const at = index * per;
    for (let k = 0; k < per; k++) out[k] = BYTE_TO_UNIT[this.rawPixels[at + k]];
    const img = tensor(out, { shape: this.imageShape });
    return [this.transform ? this.transform(img) : img, this.rawLabels[index]];
  }

  /** All images, float32 [N, C, H, W] in [0, 1], without the transform; built once and kept. */
  images(): Tensor {
    if (!this.imagesCache) {
      const src = this.rawPixels;
      const out = new Float32Array(src.length);
      for (let k = 0; k < src.length; k++) out[k] = BYTE_TO_UNIT[src[k]];
      this.imagesCache = tensor(out, { shape: [this.length, ...this.imageShape] });
    }
    return this.imagesCache;
  }

  /** All labels, int32 [N]; built once and kept. */
  labels(): Tensor {
    this.labelsCache ??= tensor(this.rawLabels, { shape: [this.length] });
    return this.labelsCache;
  }

  /** Same as images(). */
  inputs(): Tensor {
    return this.images();
  }

  /** Same as labels(). */
  targets(): Tensor {
    return this.labels();
  }

  /** Images float32 [B, C, H, W] in [0, 1] and labels int32 [B] at `indices`, without the transform. */
  batch(indices: ArrayLike<number>): [Tensor, Tensor] {
    const per = this.per;
    const b = indices.length;
    const x = new Float32Array(b * per);
    const y = new Int32Array(b);
    for (let j = 0; j < b; j++) {
      const i = indices[j];
      checkIndex(this.name, i, this.length);
      const at = i * per;
      for (let k = 0; k < per; k++) x[j * per + k] = BYTE_TO_UNIT[this.rawPixels[at + k]];
      y[j] = this.rawLabels[i];
    }
    return [tensor(x, { shape: [b, ...this.imageShape] }), tensor(y, { shape: [b] })];
  }

  /** How many images each class has, index = label. */
  classCounts(): number[] {
    const counts = new Array<number>(this.numClasses).fill(0);
    for (const l of this.rawLabels) counts[l]++;
    return counts;
  }
}
