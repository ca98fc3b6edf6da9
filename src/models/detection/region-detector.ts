/**
 * What R-CNN and Fast R-CNN share: region proposals (a ProposalCache), the same small conv stack and fully
 * connected head (fc6, fc7, then K + 1 class scores and 4 (K + 1) class-specific box offsets), the training targets
 * (labelled, sampled RoIs), the multi-task loss and the postprocessing. They differ only in where the conv stack
 * runs: on each warped proposal (R-CNN) or once per image, the proposals pooled from its feature map (Fast
 * R-CNN, SPP-net); a subclass supplies that as `regionScores`. The stack: three 3x3 convs (ReLU) with a 2x2 max
 * pool after the first two, so its stride is 4 and a 28x28 crop becomes a 7x7 map, the size RoI pooling makes.
 * @module
 */
import { ReLU } from '../../nn/activation.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/conv.js';
import { normal_, zeros_ } from '../../nn/init.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { MaxPool2d } from '../../nn/pooling.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../errors.js';
import { relu } from '../../ops/activation.js';
import { cat, unsqueeze } from '../../ops/movement.js';
import { select } from '../../ops/indexing.js';
import { tensor } from '../../tensor/creation.js';
import { Generator, defaultGenerator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Detection, DetectionModel, DetectionTarget } from '../../train/tasks/detection.js';
import { describe } from '../../train/labels.js';
import { BoxCoder } from '../../vision/box-coder.js';
import { fastRcnnLoss } from './fast-rcnn-loss.js';
import { type PostprocessOptions, postprocessDetections, postprocessOptions } from './postprocess.js';
import { ProposalCache, type ProposalOptions } from './proposals.js';
import { type RoiTargetOptions, roiTargets } from './proposal-targets.js';

/** Options shared by R-CNN and Fast R-CNN. */
export interface RegionDetectorOptions extends PostprocessOptions {
  /** Object classes, without background (default 10: the canvas set's digits). */
  numClasses?: number;
  /** Their names (default '0', '1', ...). */
  classes?: readonly string[];
  /** Image channels (default 1). */
  inChannels?: number;
  /** Channels of the three convs (default [16, 32, 64]). */
  channels?: readonly [number, number, number];
  /** Units of fc6 and fc7 (default 256). */
  hidden?: number;
  /** A proposal cache to share (e.g. between detectors), or the options of a new one (default: a new 'fast' one). */
  proposals?: ProposalCache | ProposalOptions;
  /** Training RoIs per image (default 64). */
  roisPerImage?: number;
  /** Largest share of positives among them (default 0.25). */
  positiveFraction?: number;
  /** IoU for an object label (default 0.5). */
  fgIou?: number;
  /** Background IoU range [low, high) (default [0, 0.5)). */
  bgIou?: readonly [number, number];
  /** Add ground-truth boxes to the training proposals (default true). */
  includeGroundTruth?: boolean;
  /** Box coder weights (default [10, 10, 5, 5], torchvision's RoI heads). */
  boxCoderWeights?: readonly [number, number, number, number];
  /** Smooth-L1 beta of the box loss (default 1/9). */
  smoothL1Beta?: number;
  /** Seed of the RoI sampling's own generator (default: the global generator, seeded by manualSeed). */
  samplingSeed?: number;
}

/** The class scores and box offsets of RoIs, in the order of the per-image RoI lists concatenated. */
export interface RegionScores {
  /** [R, K + 1]. */
  classLogits: Tensor;
  /** [R, 4 (K + 1)]. */
  boxRegression: Tensor;
}

/** The conv stack [N, C, H, W] -> [N, channels[2], H/4, W/4] (see the module comment). */
export function convStack(inChannels: number, channels: readonly [number, number, number]): Sequential {
  const [a, b, c] = channels;
  return new Sequential(
    new Conv2d(inChannels, a, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2),
    new Conv2d(a, b, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2),
    new Conv2d(b, c, 3, { padding: 1 }), new ReLU(),
  );
}

/** The fully connected head: features [R, D] -> fc6, fc7 (ReLU) -> class scores [R, K + 1] and box offsets [R, 4 (K + 1)]. */
export class BoxHead extends Module {
  /** First hidden layer. */
  readonly fc6: Linear;
  /** Second hidden layer. */
  readonly fc7: Linear;
  /** Class scores, background first. */
  readonly clsScore: Linear;
  /** Class-specific box offsets (dx, dy, dw, dh) per class. */
  readonly bboxPred: Linear;

  /** A head on `inFeatures` features with `hidden` units and `numClasses` + 1 outputs (torchvision's output init). */
  constructor(inFeatures: number, hidden: number, numClasses: number) {
    super();
    this.fc6 = new Linear(inFeatures, hidden);
    this.fc7 = new Linear(hidden, hidden);
    this.clsScore = new Linear(hidden, numClasses + 1);
    this.bboxPred = new Linear(hidden, 4 * (numClasses + 1));
    normal_(this.clsScore.weight, 0, 0.01);
    normal_(this.bboxPred.weight, 0, 0.001);
    for (const l of [this.clsScore, this.bboxPred]) if (l.bias) zeros_(l.bias);
  }

  /** Scores of features [R, D]. */
  forward(x: Tensor): RegionScores {
    const h = relu(this.fc7.forward(relu(this.fc6.forward(x))));
    return { classLogits: this.clsScore.forward(h), boxRegression: this.bboxPred.forward(h) };
  }
}

/** Throws unless option `name` of `fn` is a positive integer; returns it. */
export function positiveInt(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`${fn}: option ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/** Per image, its ground truth as flat host arrays, checked against the detector. */
interface HostTarget {
  boxes: Float32Array;
  labels: Int32Array;
}

/** The base of R-CNN and Fast R-CNN: everything but `regionScores` (see the module comment). */
export abstract class RegionDetector extends Module implements DetectionModel {
  /** Object class names (labels index them; the network's class 0 is background). */
  readonly classes: readonly string[];
  /** Object classes K. */
  readonly numClasses: number;
  /** Image channels. */
  readonly inChannels: number;
  /** The region proposals (shareable, see ProposalCache). */
  readonly proposals: ProposalCache;
  /** The box coder of the regression targets. */
  readonly boxCoder: BoxCoder;
  /** The fully connected head. */
  readonly head: BoxHead;
  private readonly targetOpts: RoiTargetOptions;
  private readonly post: Required<PostprocessOptions>;
  private readonly beta: number;

  /** Sets up the shared parts; `name` names the model in errors, `featureSize` is the head's input width. */
  protected constructor(protected readonly name: string, opts: RegionDetectorOptions, featureSize: (channels: readonly [number, number, number]) => number) {
    super();
    const fn = name;
    this.numClasses = positiveInt(fn, 'numClasses', opts.numClasses ?? opts.classes?.length ?? 10);
    const classes = opts.classes ?? Array.from({ length: this.numClasses }, (_, i) => String(i));
    if (!Array.isArray(classes) || classes.length !== this.numClasses) throw new ValueError(`${fn}: option classes must name the ${this.numClasses} classes, got ${describe(classes)}`);
    this.classes = [...classes];
    this.inChannels = positiveInt(fn, 'inChannels', opts.inChannels ?? 1);
    const channels = opts.channels ?? [16, 32, 64];
    if (!Array.isArray(channels) || channels.length !== 3) throw new ValueError(`${fn}: option channels must be three positive integers, got ${JSON.stringify(channels)}`);
    channels.forEach((c, i) => positiveInt(fn, `channels[${i}]`, c));
    const hidden = positiveInt(fn, 'hidden', opts.hidden ?? 256);
    this.proposals = opts.proposals instanceof ProposalCache ? opts.proposals : new ProposalCache(opts.proposals ?? {});
    this.boxCoder = new BoxCoder(opts.boxCoderWeights ?? [10, 10, 5, 5]);
    this.head = new BoxHead(featureSize(channels), hidden, this.numClasses);
    const generator = opts.samplingSeed === undefined ? defaultGenerator : new Generator(opts.samplingSeed);
    this.targetOpts = {
      batchSize: positiveInt(fn, 'roisPerImage', opts.roisPerImage ?? 64), positiveFraction: opts.positiveFraction ?? 0.25,
      fgIou: opts.fgIou ?? 0.5, bgIou: opts.bgIou ?? [0, 0.5], includeGroundTruth: opts.includeGroundTruth ?? true, generator,
    };
    this.post = postprocessOptions(fn, opts);
    this.beta = opts.smoothL1Beta ?? 1 / 9;
    if (!(this.beta >= 0)) throw new ValueError(`${fn}: option smoothL1Beta must be a number >= 0, got ${String(this.beta)}`);
  }

  /** Class scores and box offsets of each image's RoIs (`rois[i]` [Ri, 4] float32 on image i of `images` [N, C, H, W]). */
  protected abstract regionScores(images: Tensor, rois: readonly Tensor[]): RegionScores;

  /** Throws unless `images` is a float [N, inChannels, H, W] tensor; returns it. */
  protected checkImages(fn: string, images: unknown): Tensor {
    if (!(images instanceof Tensor)) throw new ValueError(`${fn}: images must be a [N, ${this.inChannels}, H, W] tensor, got ${describe(images)}`);
    if (images.ndim !== 4 || images.shape[1] !== this.inChannels || images.shape[2] < 1 || images.shape[3] < 1) throw new ShapeError(`${fn}: images must be [N, ${this.inChannels}, H, W], got ${fmtShape(images.shape)}`);
    if (images.dtype !== 'float32' && images.dtype !== 'float64') throw new DTypeError(`${fn}: images must be float32 or float64, got ${images.dtype}`);
    return images;
  }

  private hostTargets(fn: string, n: number, targets: readonly DetectionTarget[]): HostTarget[] {
    if (!Array.isArray(targets) || targets.length !== n) throw new ValueError(`${fn}: targets must hold one {boxes, labels} per image (${n}), got ${describe(targets)}`);
    return targets.map((t, i) => {
      if (t === null || typeof t !== 'object' || !(t.boxes instanceof Tensor) || !(t.labels instanceof Tensor)) throw new ValueError(`${fn}: targets[${i}] must be {boxes [K, 4], labels [K]}, got ${describe(t)}`);
      if (t.labels.dtype !== 'int32') throw new DTypeError(`${fn}: targets[${i}].labels must be int32, got ${t.labels.dtype}`);
      const k = t.labels.numel();
      if (t.labels.ndim !== 1 || !((t.boxes.ndim === 2 && t.boxes.shape[1] === 4 && t.boxes.shape[0] === k) || (k === 0 && t.boxes.numel() === 0))) {
        throw new ShapeError(`${fn}: targets[${i}] must have boxes [K, 4] and labels [K], got boxes ${fmtShape(t.boxes.shape)} and labels ${fmtShape(t.labels.shape)}`);
      }
      const labels = Int32Array.from(t.labels.toTypedArray());
      labels.forEach((l, j) => {
        if (l < 0 || l >= this.numClasses) throw new ValueError(`${fn}: targets[${i}].labels[${j}] is ${l}; labels must be in [0, ${this.numClasses - 1}]`);
      });
      const boxes = Float32Array.from(t.boxes.toTypedArray());
      for (let j = 0; j < k; j++) {
        const b = boxes.subarray(4 * j, 4 * j + 4);
        if (!b.every(Number.isFinite) || b[2] < b[0] || b[3] < b[1]) throw new ValueError(`${fn}: targets[${i}].boxes[${j}] must be finite with x1 <= x2 and y1 <= y2, got [${Array.from(b).join(', ')}]`);
      }
      return { boxes, labels };
    });
  }

  /** Each image's proposals [P, 4] from the cache. */
  protected proposalsOf(images: Tensor): Tensor[] {
    return Array.from({ length: images.shape[0] }, (_, i) => {
      const flat = this.proposals.get(select(images, 0, i));
      return tensor(flat, { shape: [flat.length / 4, 4] });
    });
  }

  /**
   * The multi-task loss on `roisPerImage` sampled proposals per image: {loss_classifier, loss_box_reg}
   * (torchvision's names). `images` [N, C, H, W], one target per image (boxes [K, 4] xyxy, labels [K] int32).
   */
  losses(images: Tensor, targets: readonly DetectionTarget[]): Record<string, Tensor> {
    const fn = `${this.name}.losses`;
    const x = this.checkImages(fn, images);
    const host = this.hostTargets(fn, x.shape[0], targets);
    const props = this.proposalsOf(x);
    const sampled = host.map((t, i) => roiTargets(props[i].toTypedArray(), t.boxes, t.labels, this.boxCoder, this.targetOpts));
    if (sampled.every((s) => s.labels.numel() === 0)) throw new ValueError(`${fn}: no proposal of the batch could be labelled (no proposals, or none in the background IoU range ${JSON.stringify(this.targetOpts.bgIou)})`);
    const scores = this.regionScores(x, sampled.map((s) => s.rois));
    const { lossClassifier, lossBoxReg } = fastRcnnLoss(
      scores.classLogits, scores.boxRegression, cat(sampled.map((s) => s.labels)), cat(sampled.map((s) => s.regressionTargets)), { beta: this.beta },
    );
    return { loss_classifier: lossClassifier, loss_box_reg: lossBoxReg };
  }

  /** Detections of each image of `images` [N, C, H, W]: all its proposals scored, then postprocessed (see postprocess.ts). */
  detect(images: Tensor): Detection[] {
    const x = this.checkImages(`${this.name}.detect`, images);
    const size: [number, number] = [x.shape[2], x.shape[3]];
    return this.proposalsOf(x).map((p, i) => {
      const { classLogits, boxRegression } = this.regionScores(unsqueeze(select(x, 0, i), 0), [p]);
      return postprocessDetections(classLogits, boxRegression, p, size, this.boxCoder, this.post);
    });
  }
}

