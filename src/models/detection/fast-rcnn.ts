/**
 * Fast R-CNN (Girshick, ICCV 2015) and an SPP-net head (He, Zhang, Ren & Sun, Spatial Pyramid Pooling in Deep
 * Convolutional Networks for Visual Recognition, ECCV 2014): the conv stack runs once per image, and each
 * proposal's window of the shared feature map (stride 4) is pooled to a fixed size, by RoI max pooling to 7x7
 * ('roi') or by a spatial pyramid of n x n max-pooled bins per level ('spp', levels [1, 2, 4] by default), then
 * the fully connected head scores it. RoI pooling is SPP with one level; the SPP window pooling is
 * nn.spatialPyramidPool applied to each RoI's window of the map (the window rounded to feature cells as RoI
 * pooling rounds it), computed with one roiPool per level. Training follows Fast R-CNN: mini-batches of 2 images
 * x 64 RoIs, 25% positives, the multi-task loss, all layers trained (SPP-net fine-tuned only its fc layers).
 * @module
 */
import { ValueError } from '../../errors.js';
import type { Sequential } from '../../nn/containers.js';
import { cat, flatten } from '../../ops/movement.js';
import type { Tensor } from '../../tensor/tensor.js';
import { roiPool } from '../../vision/roi.js';
import { type RegionDetectorOptions, type RegionScores, RegionDetector, convStack } from './region-detector.js';

/** How region features are pooled: RoI max pooling (Fast R-CNN) or a spatial pyramid (SPP-net). */
export type RegionPooling = 'roi' | 'spp';

/** Options of FastRCNN. */
export interface FastRCNNOptions extends RegionDetectorOptions {
  /** 'roi' (default) or 'spp'. */
  pooling?: RegionPooling;
  /** Output side of RoI pooling (default 7). */
  poolSize?: number;
  /** Bins per side of each SPP level (default [1, 2, 4]). */
  sppLevels?: readonly number[];
}

/**
 * Spatial pyramid pooling of RoIs: for each box of `rois` (per-image [Ri, 4] tensors, image pixels), each level n's
 * n x n max-pooled bins over its window of `features` [N, C, H, W] (at `spatialScale`), flattened and the levels
 * concatenated: [R, C * sum(n^2)], in nn.spatialPyramidPool's order (level by level, channel-major).
 */
export function roiSpatialPyramidPool(features: Tensor, rois: readonly Tensor[], levels: readonly number[], spatialScale: number): Tensor {
  if (!Array.isArray(levels) || levels.length === 0 || !levels.every((n) => Number.isInteger(n) && n > 0)) {
    throw new ValueError(`roiSpatialPyramidPool: levels must be a non-empty list of positive integers, got ${JSON.stringify(levels)}`);
  }
  return cat(levels.map((n) => flatten(roiPool(features, rois, n, { spatialScale }), 1)), 1);
}

/** Fast R-CNN, or SPP-net with pooling 'spp' (see the module comment). Parameters: `features.*` (convs), `head.*`. */
export class FastRCNN extends RegionDetector {
  /** The conv stack, run once per image. */
  readonly features: Sequential;
  /** The region pooling. */
  readonly pooling: RegionPooling;
  /** RoI pooling's output side. */
  readonly poolSize: number;
  /** The SPP levels. */
  readonly sppLevels: readonly number[];

  /** Builds the detector (default: 10 classes, grey images, RoI pooling to 7x7). */
  constructor(opts: FastRCNNOptions = {}) {
    const pooling = opts.pooling ?? 'roi';
    if (pooling !== 'roi' && pooling !== 'spp') throw new ValueError(`fastrcnn: option pooling must be 'roi' or 'spp', got ${JSON.stringify(pooling)}`);
    const poolSize = opts.poolSize ?? 7;
    if (!Number.isInteger(poolSize) || poolSize < 1) throw new ValueError(`fastrcnn: option poolSize must be a positive integer, got ${String(poolSize)}`);
    const levels = opts.sppLevels ?? [1, 2, 4];
    if (!Array.isArray(levels) || levels.length === 0 || !levels.every((n) => Number.isInteger(n) && n > 0)) throw new ValueError(`fastrcnn: option sppLevels must be a non-empty list of positive integers, got ${JSON.stringify(levels)}`);
    const bins = pooling === 'roi' ? poolSize * poolSize : levels.reduce((s, n) => s + n * n, 0);
    super(pooling === 'roi' ? 'fastrcnn' : 'sppnet', opts, (c) => c[2] * bins);
    this.pooling = pooling;
    this.poolSize = poolSize;
    this.sppLevels = [...levels];
    this.features = convStack(this.inChannels, opts.channels ?? [16, 32, 64]);
  }

  /** The shared conv feature map [N, channels[2], H/4, W/4] of images [N, C, H, W] (what runs once per image). */
  forward(images: Tensor): Tensor {
    return this.features.forward(images);
  }

  /** One feature map per image, each RoI pooled from its image's map, then scored. */
  protected regionScores(images: Tensor, rois: readonly Tensor[]): RegionScores {
    const maps = this.features.forward(images);
    const pooled = this.pooling === 'roi'
      ? flatten(roiPool(maps, rois, this.poolSize, { spatialScale: 0.25 }), 1)
      : roiSpatialPyramidPool(maps, rois, this.sppLevels, 0.25);
    return this.head.forward(pooled);
  }
}
