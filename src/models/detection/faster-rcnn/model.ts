/**
 * Faster R-CNN (Ren, He, Girshick & Sun, NeurIPS 2015) as torchvision's FasterRCNN, a train DetectionModel: a
 * backbone feature map, the region proposal network, and the RoI heads. `losses(images, targets)` returns
 * torchvision's four named losses; `detect(images)` per-image boxes, scores and 0-based labels. torchvision's
 * GeneralizedRCNNTransform (normalize, resize to 800 px) is left out: images go in as given, all one size, and
 * the anchors and top-k counts default to sizes that suit the 96x96 canvas set (see FasterRcnnOptions).
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../../../errors.js';
import { Module } from '../../../nn/module.js';
import { checkTensor } from '../../../ops/util.js';
import { Generator } from '../../../tensor/random.js';
import { Tensor } from '../../../tensor/tensor.js';
import type { Detection, DetectionModel, DetectionTarget } from '../../../train/tasks/detection.js';
import { AnchorGenerator } from '../../../vision/anchors.js';
import { ResNetBackbone, type ResNetBackboneOptions } from './backbone.js';
import { RegionProposalNetwork, type RpnOptions } from './rpn.js';
import { RoIHeads, type RoIHeadsOptions } from './roi-heads.js';

/** Options of `FasterRCNN` (and of the zoo's `fasterrcnn`). */
export interface FasterRcnnOptions {
  /** Image channels (default 1). */
  inChannels?: number;
  /** Object classes, without background (default 10: the canvas set's digits). */
  numClasses?: number;
  /** Names of the object classes (default '0', '1', ...). */
  classes?: readonly string[];
  /** The input size the zoo entry describes (default 96; any size works). */
  inputSize?: number;
  /** Backbone widths per stage (default [16, 32, 64]: stride 8). */
  backboneWidths?: readonly number[];
  /** Anchor sizes (one feature level; default [20, 32, 48] for 22-56 px objects). */
  anchorSizes?: readonly number[];
  /** Anchor height/width ratios (default [1, 2, 3]: digits are upright). */
  aspectRatios?: readonly number[];
  /** Width of the two fully connected layers of the box head (default 128; torchvision's 1024). */
  representationSize?: number;
  /**
   * RPN options; the top-k counts default to [400, 300] before NMS and [128, 100] after (torchvision's [2000, 1000]
   * and [2000, 1000] are for 800 px images; 128 training proposals also bound the RoI heads' work per image).
   */
  rpn?: RpnOptions;
  /** RoI-head options (torchvision's defaults). */
  roiHeads?: RoIHeadsOptions;
  /** Seed of the generator that samples anchors and proposals for the losses (default: the global generator). */
  samplerSeed?: number;
}

function checkTargets(fn: string, targets: unknown, n: number, numClasses: number): readonly DetectionTarget[] {
  if (!Array.isArray(targets) || targets.length !== n) throw new ValueError(`${fn}: targets must be an array of ${n} {boxes [K, 4], labels [K]} (one per image), got ${Array.isArray(targets) ? `${targets.length} targets` : String(targets)}`);
  targets.forEach((t: DetectionTarget, i) => {
    if (t === null || typeof t !== 'object' || !(t.boxes instanceof Tensor) || !(t.labels instanceof Tensor)) throw new ValueError(`${fn}: targets[${i}] must be {boxes [K, 4], labels [K]}, got ${String(t)}`);
    const k = t.labels.ndim === 1 ? t.labels.shape[0] : -1;
    const shapeOk = k >= 0 && ((t.boxes.ndim === 2 && t.boxes.shape[1] === 4 && t.boxes.shape[0] === k) || (k === 0 && t.boxes.numel() === 0));
    if (!shapeOk) throw new ShapeError(`${fn}: targets[${i}] must have boxes [K, 4] and labels [K], got boxes ${fmtShape(t.boxes.shape)} and labels ${fmtShape(t.labels.shape)}`);
    const b = t.boxes.toTypedArray();
    for (let j = 0; j < k; j++) {
      const [x1, y1, x2, y2] = [b[4 * j], b[4 * j + 1], b[4 * j + 2], b[4 * j + 3]];
      if (![x1, y1, x2, y2].every(Number.isFinite) || !(x2 > x1 && y2 > y1)) {
        throw new ValueError(`${fn}: targets[${i}].boxes[${j}] must be finite (x1, y1, x2, y2) with x2 > x1 and y2 > y1 (positive width and height), got [${x1}, ${y1}, ${x2}, ${y2}]`);
      }
    }
    const l = t.labels.toTypedArray();
    for (let j = 0; j < k; j++) {
      if (!Number.isInteger(l[j]) || l[j] < 0 || l[j] >= numClasses) throw new ValueError(`${fn}: targets[${i}].labels[${j}] must be a class index in [0, ${numClasses - 1}], got ${l[j]}`);
    }
  });
  return targets as readonly DetectionTarget[];
}

/** Faster R-CNN: backbone, RPN and RoI heads (see the module comment); images [N, inChannels, H, W]. */
export class FasterRCNN extends Module implements DetectionModel {
  /** The feature extractor (stride 8 by default). */
  backbone: ResNetBackbone;
  /** The region proposal network. */
  rpn: RegionProposalNetwork;
  /** Box head, predictor and postprocessing. */
  roiHeads: RoIHeads;
  /** Object class names (labels index them). */
  readonly classes: readonly string[];
  /** Image channels. */
  readonly inChannels: number;

  /** Builds the detector from `opts`. */
  constructor(opts: FasterRcnnOptions = {}) {
    super();
    const k = opts.numClasses ?? opts.classes?.length ?? 10;
    if (!Number.isInteger(k) || k < 1) throw new ValueError(`FasterRCNN: numClasses must be a positive integer, got ${String(opts.numClasses)}`);
    const classes = opts.classes ?? Array.from({ length: k }, (_, i) => String(i));
    if (!Array.isArray(classes) || classes.length !== k) throw new ValueError(`FasterRCNN: classes must name the ${k} classes, got ${JSON.stringify(opts.classes)}`);
    const rep = opts.representationSize ?? 128;
    if (!Number.isInteger(rep) || rep < 1) throw new ValueError(`FasterRCNN: representationSize must be a positive integer, got ${String(rep)}`);
    const backboneOpts: ResNetBackboneOptions = { inChannels: opts.inChannels ?? 1, widths: opts.backboneWidths ?? [16, 32, 64] };
    this.backbone = new ResNetBackbone(backboneOpts);
    this.inChannels = this.backbone.inChannels;
    const generator = opts.samplerSeed === undefined ? undefined : new Generator(opts.samplerSeed);
    const anchors = new AnchorGenerator({ sizes: [opts.anchorSizes ?? [20, 32, 48]], aspectRatios: [opts.aspectRatios ?? [1, 2, 3]] });
    this.rpn = new RegionProposalNetwork(this.backbone.outChannels, anchors, { preNmsTopN: [400, 300], postNmsTopN: [128, 100], ...opts.rpn }, generator);
    this.roiHeads = new RoIHeads(this.backbone.outChannels, k + 1, rep, opts.roiHeads, generator);
    this.classes = classes;
  }

  private checkImages(fn: string, images: unknown): [number, [number, number]] {
    const x = checkTensor(fn, images, 'images');
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels || x.shape[2] < this.backbone.stride || x.shape[3] < this.backbone.stride) {
      throw new ShapeError(`${fn}: images must be [N, ${this.inChannels}, H, W] with H, W >= ${this.backbone.stride}, got shape ${fmtShape(x.shape)}`);
    }
    if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new ValueError(`${fn}: images must be float32 or float64, got ${x.dtype}`);
    return [x.shape[0], [x.shape[2], x.shape[3]]];
  }

  /** Named scalar losses of a batch: loss_objectness, loss_rpn_box_reg, loss_classifier, loss_box_reg (torchvision's). */
  losses(images: Tensor, targets: readonly DetectionTarget[]): Record<string, Tensor> {
    const [n, size] = this.checkImages('FasterRCNN.losses', images);
    const checked = checkTargets('FasterRCNN.losses', targets, n, this.classes.length);
    const features = this.backbone.forward(images);
    const rpn = this.rpn.run(features, size, checked);
    return { ...this.roiHeads.losses(features, rpn.proposals, size, checked), ...rpn.losses };
  }

  /** Detections per image: boxes [D, 4] clipped to the image, scores [D], 0-based labels [D], best first per image. */
  detect(images: Tensor): Detection[] {
    const [, size] = this.checkImages('FasterRCNN.detect', images);
    const features = this.backbone.forward(images);
    return this.roiHeads.detect(features, this.rpn.run(features, size).proposals, size);
  }

  /** The detections (as `detect`); lets `shendu summary` and tracing run the model. */
  forward(images: Tensor): Detection[] {
    return this.detect(images);
  }
}
