/**
 * The segmentation task: a model maps images [N, C, H, W] to per-pixel class logits [N, K, H, W]; the loss is
 * cross-entropy averaged over every pixel (F.crossEntropy with a [N, H, W] target, as PyTorch); the metrics are
 * mean IoU and pixel accuracy (`mean_iou`, `pixel_accuracy`); each epoch draws the images, true masks and
 * predicted masks of a fixed batch (`segmentation.png`).
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import type { Layer } from '../../nn/module.js';
import { crossEntropy } from '../../nn/loss.js';
import { narrow } from '../../ops/movement.js';
import { argmax } from '../../ops/reduce.js';
import { Tensor } from '../../tensor/tensor.js';
import { MeanIoU } from '../iou.js';
import type { StepContext, StepResult, TaskPicture } from '../task.js';
import { segmentationPng } from './segmentation-picture.js';
import { SupervisedTask, splitBatch, type SupervisedTaskOptions } from './supervised.js';

/** What the task needs of a model: a layer from images to per-pixel logits, and (optionally) its class count. */
export interface SegmentationModel extends Layer {
  /** Classes scored per pixel (e.g. UNet's). */
  readonly numClasses?: number;
}

/** Options of SegmentationTask: SupervisedTask's without the loss and metrics, plus the class count and picture. */
export type SegmentationTaskOptions = Omit<SupervisedTaskOptions, 'loss' | 'metrics' | 'kind'> & {
  /** Classes per pixel, background included (default the model's `numClasses`). */
  numClasses?: number;
  /** Images [B, C, H, W] and masks [B, H, W] drawn each epoch (default: the first 8 of the first validation batch, else training batch, seen). */
  pictureBatch?: readonly [Tensor, Tensor];
  /** Samples drawn from the first batch when `pictureBatch` is not given (default 8). */
  pictureSize?: number;
};

/** Checks a (logits, mask) pair: logits [N, K, H, W] and an integer mask [N, H, W]. */
function checkPair(op: string, logits: Tensor, mask: Tensor, k: number): void {
  if (logits.ndim !== 4 || logits.shape[1] !== k) throw new ShapeError(`${op}: the model must return logits [N, ${k}, H, W], got shape ${fmtShape(logits.shape)}`);
  if (mask.ndim !== 3 || mask.shape[0] !== logits.shape[0] || mask.shape[1] !== logits.shape[2] || mask.shape[2] !== logits.shape[3]) {
    throw new ShapeError(`${op}: masks must be [N, H, W] = [${logits.shape[0]}, ${logits.shape[2]}, ${logits.shape[3]}] to match the logits ${fmtShape(logits.shape)}, got shape ${fmtShape(mask.shape)}`);
  }
}

/**
 * Trains a segmentation model on batches `[images, masks]` (masks int32 class indices, 0 = background): per-pixel
 * cross-entropy, one optimizer (gradient accumulation, clipping and schedulers as SupervisedTask), and the
 * `MeanIoU` metric on training and validation batches.
 */
export class SegmentationTask extends SupervisedTask {
  /** Classes per pixel. */
  readonly numClasses: number;
  private picture: [Tensor, Tensor] | null;
  private pictureSource: 'option' | 'train' | 'val' | null = null;
  private readonly pictureSize: number;

  /** Creates the task; checks the options. */
  constructor(model: SegmentationModel, opts: SegmentationTaskOptions) {
    const op = 'SegmentationTask';
    if (opts === null || typeof opts !== 'object') throw new ValueError(`${op}: options {optimizer, ...} are required`);
    const k = opts.numClasses ?? model?.numClasses;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 2) {
      throw new ValueError(`${op}: numClasses (background included) must be an integer >= 2, from the options or the model's numClasses, got ${String(k)}`);
    }
    const size = opts.pictureSize ?? 8;
    if (!Number.isInteger(size) || size < 1) throw new ValueError(`${op}: pictureSize must be a positive integer, got ${String(size)}`);
    const numClasses = k;
    const loss = (logits: Tensor, mask: Tensor): Tensor => {
      checkPair('SegmentationTask', logits, mask, numClasses);
      return crossEntropy(logits, mask);
    };
    const { numClasses: _k, pictureBatch, pictureSize: _p, ...rest } = opts;
    super(model, { ...rest, loss, metrics: [new MeanIoU({ numClasses: k })], kind: 'segmentation' });
    this.numClasses = k;
    this.pictureSize = size;
    this.picture = null;
    if (pictureBatch !== undefined) {
      const [images, masks] = Array.isArray(pictureBatch) ? pictureBatch : [];
      if (!(images instanceof Tensor) || !(masks instanceof Tensor) || images.ndim !== 4 || masks.ndim !== 3 || masks.shape[0] !== images.shape[0]) {
        throw new ValueError(`${op}: pictureBatch must be [images [B, C, H, W], masks [B, H, W]] tensors`);
      }
      this.picture = [images, masks];
      this.pictureSource = 'option';
    }
  }

  /** Keeps the first `pictureSize` samples of `batch` for the picture, unless a batch of a stronger source is kept. */
  private remember(batch: unknown, source: 'train' | 'val'): void {
    if (this.pictureSource === 'option' || this.pictureSource === 'val' || this.pictureSource === source) return;
    const { input, target } = splitBatch('fit', batch, true);
    if (input.ndim !== 4 || target === null || target.ndim !== 3) return;
    const b = Math.min(this.pictureSize, input.shape[0]);
    this.picture = [narrow(input, 0, 0, b).detach(), narrow(target, 0, 0, b).detach()];
    this.pictureSource = source;
  }

  /** A training step (SupervisedTask's); the first training batch is kept for the picture until a validation batch is seen. */
  override trainStep(batch: unknown, ctx: StepContext): StepResult {
    this.remember(batch, 'train');
    return super.trainStep(batch, ctx);
  }

  /** A validation step; the first validation batch is kept for the picture. */
  override evalStep(batch: unknown): StepResult {
    this.remember(batch, 'val');
    return super.evalStep(batch);
  }

  /** `segmentation.png`: images, true masks and predicted masks of the fixed batch (model in eval mode). */
  pictures(): TaskPicture[] {
    if (this.picture === null) return [];
    const [images, masks] = this.picture;
    const was = this.model.training;
    this.model.eval();
    try {
      const pred = noGrad(() => argmax(this.net.forward(images), 1));
      return [{ name: 'segmentation', png: segmentationPng(images, masks, pred) }];
    } finally {
      this.model.train(was);
    }
  }
}
