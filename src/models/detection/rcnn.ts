/**
 * R-CNN (Girshick, Donahue, Darrell & Malik, Rich feature hierarchies for accurate object detection and semantic
 * segmentation, CVPR 2014): selective-search proposals, each warped (with context padding) to a fixed square crop,
 * each crop through the whole CNN, then class scores and class-specific box regression per crop, per-class NMS.
 * Here the CNN is RegionDetector's small conv stack on 28x28 crops (7x7 maps) and its fc head; the paper's
 * linear SVMs and separate ridge box regressors are replaced by the softmax and regression layers trained
 * jointly with the multi-task loss (the paper reports the softmax only slightly behind its SVMs). Its cost is the
 * point: the conv stack runs once per proposal, hundreds of times per image.
 * @module
 */
import { cat, flatten, narrow } from '../../ops/movement.js';
import { full } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type RegionDetectorOptions, type RegionScores, RegionDetector, convStack, positiveInt } from './region-detector.js';
import { type WarpOptions, warpOptions, warpRegions } from './warp.js';
import type { Sequential } from '../../nn/containers.js';
import { ValueError } from '../../errors.js';

/** Options of RCNN. */
export interface RCNNOptions extends RegionDetectorOptions, WarpOptions {
  /** Side of the warped crops (default 28; a multiple of 4, the conv stack's stride). */
  warpSize?: number;
  /** Crops warped and scored at once (default 256; bounds the memory of scoring hundreds of proposals). */
  chunkSize?: number;
}

/** R-CNN on warped proposal crops (see the module comment). Parameters: `features.*` (convs), `head.*` (fc6, fc7, clsScore, bboxPred). */
export class RCNN extends RegionDetector {
  /** The conv stack run on every crop. */
  readonly features: Sequential;
  /** Crop side. */
  readonly warpSize: number;
  private readonly warp: WarpOptions;
  private readonly chunkSize: number;

  /** Builds the detector (default: 10 classes, grey images, 28x28 crops, context padding 2). */
  constructor(opts: RCNNOptions = {}) {
    const warpSize = opts.warpSize ?? 28;
    if (!Number.isInteger(warpSize) || warpSize < 4 || warpSize % 4 !== 0) throw new ValueError(`rcnn: option warpSize must be a positive multiple of 4, got ${String(warpSize)}`);
    super('rcnn', opts, (c) => c[2] * (warpSize / 4) ** 2);
    this.warpSize = warpSize;
    this.warp = warpOptions('rcnn', warpSize, { contextPadding: opts.contextPadding ?? 2, samplingRatio: opts.samplingRatio ?? 2 });
    this.chunkSize = positiveInt('rcnn', 'chunkSize', opts.chunkSize ?? 256);
    this.features = convStack(this.inChannels, opts.channels ?? [16, 32, 64]);
  }

  /** The CNN on warped crops [R, C, warpSize, warpSize]: class logits [R, K + 1] (the network R-CNN runs per region). */
  forward(crops: Tensor): Tensor {
    return this.scoreCrops(crops).classLogits;
  }

  /** Class scores and box offsets of warped crops [R, C, warpSize, warpSize]. */
  scoreCrops(crops: Tensor): RegionScores {
    return this.head.forward(flatten(this.features.forward(crops), 1));
  }

  /** Each RoI warped from its image, then scored. */
  protected regionScores(images: Tensor, rois: readonly Tensor[]): RegionScores {
    const all = cat(rois.map((r, i) => cat([full([r.shape[0], 1], i, { dtype: r.dtype }), r], 1)));
    const parts: RegionScores[] = [];
    for (let s = 0; s < all.shape[0] || s === 0; s += this.chunkSize) {
      const rows = narrow(all, 0, s, Math.min(this.chunkSize, all.shape[0] - s));
      parts.push(this.scoreCrops(warpRegions(images, rows, this.warpSize, this.warp)));
    }
    return parts.length === 1 ? parts[0] : { classLogits: cat(parts.map((q) => q.classLogits)), boxRegression: cat(parts.map((q) => q.boxRegression)) };
  }
}
