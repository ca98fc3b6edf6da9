/**
 * Faster R-CNN's backbone for small images: a truncated ResNet made of the zoo's blocks (models/vision/resnet's
 * `conv3x3`, `BasicBlock` and its 1x1 conv + batch-norm shortcut), one 3x3 stride-2 stem and two stride-2 residual
 * stages, so a 96x96 canvas becomes a 12x12 map (stride 8) whose cells see the 22-56 px objects.
 * @module
 */
import { ValueError } from '../../../errors.js';
import { ReLU } from '../../../nn/activation.js';
import { Sequential } from '../../../nn/containers.js';
import { Module, type Layer } from '../../../nn/module.js';
import { BatchNorm2d } from '../../../nn/normalization.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { BasicBlock, conv1x1, conv3x3 } from '../../vision/resnet.js';

/** Options of `ResNetBackbone`. */
export interface ResNetBackboneOptions {
  /** Input channels (default 1). */
  inChannels?: number;
  /** Widths of the stem and of each residual stage (default [16, 32, 64]; each stage halves the resolution). */
  widths?: readonly number[];
  /** Basic blocks per stage (default 1). */
  blocksPerStage?: number;
}

/**
 * A small ResNet feature extractor: [N, inChannels, H, W] -> [N, widths.at(-1), H / 2^k, W / 2^k] with k =
 * widths.length (stem and stages each stride 2); `outChannels` and `stride` tell the detector heads what it gives.
 */
export class ResNetBackbone extends Module implements Layer {
  /** 3x3 stride-2 conv, batch norm, ReLU. */
  stem: Sequential;
  /** The residual stages (the first block of each has stride 2 and a projection shortcut). */
  stages: Sequential;
  /** Channels of the feature map. */
  readonly outChannels: number;
  /** Image pixels per feature-map cell. */
  readonly stride: number;
  /** Input channels. */
  readonly inChannels: number;

  /** Builds the stem and stages from `opts`. */
  constructor(opts: ResNetBackboneOptions = {}) {
    super();
    const inC = opts.inChannels ?? 1;
    const widths = opts.widths ?? [16, 32, 64];
    const blocks = opts.blocksPerStage ?? 1;
    if (!Number.isInteger(inC) || inC < 1) throw new ValueError(`ResNetBackbone: inChannels must be a positive integer, got ${String(inC)}`);
    if (!Array.isArray(widths) || widths.length < 1 || !widths.every((w) => Number.isInteger(w) && w > 0)) throw new ValueError(`ResNetBackbone: widths must be a non-empty list of positive integers, got ${JSON.stringify(widths)}`);
    if (!Number.isInteger(blocks) || blocks < 1) throw new ValueError(`ResNetBackbone: blocksPerStage must be a positive integer, got ${String(blocks)}`);
    this.inChannels = inC;
    this.stem = new Sequential(conv3x3(inC, widths[0], 2), new BatchNorm2d(widths[0]), new ReLU());
    const stages: Layer[] = [];
    for (let s = 1; s < widths.length; s++) {
      const down = new Sequential(conv1x1(widths[s - 1], widths[s], 2), new BatchNorm2d(widths[s]));
      stages.push(new BasicBlock(widths[s - 1], widths[s], 2, down));
      for (let b = 1; b < blocks; b++) stages.push(new BasicBlock(widths[s], widths[s]));
    }
    this.stages = new Sequential(...stages);
    this.outChannels = widths[widths.length - 1];
    this.stride = 2 ** widths.length;
  }

  /** The feature map [N, outChannels, H / stride, W / stride] of images [N, inChannels, H, W]. */
  forward(x: Tensor): Tensor {
    return this.stages.forward(this.stem.forward(x));
  }
}
