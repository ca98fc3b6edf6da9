/**
 * YOLO v2 (Redmon & Farhadi, YOLO9000: Better, Faster, Stronger, CVPR 2017) sized for small canvases: the same conv
 * backbone as the zoo's `yolo` (3x3 conv + batch norm + leaky ReLU 0.1 stages, each halving the size with 2x2 max
 * pooling, then one conv at the grid size), but the fully connected layers replaced by v2's convolutional anchor
 * head: a 3x3 conv + BN + leaky ReLU, then a 1x1 conv to A (5 + C) channels per cell, read as
 * [N, Sh, Sw, A, 5 + C] (see yolov2-head.ts for its layout, loss and decoding). Fully convolutional, so it takes any
 * image whose sides are multiples of the stride (v2's multi-scale input). Not kept from the paper: the passthrough
 * layer and Darknet-19 (the canvases are 96x96 grey).
 * @module
 */
import { ShapeError, ValueError } from '../../errors.js';
import { LeakyReLU } from '../../nn/activation.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/conv.js';
import { Module, type Layer } from '../../nn/module.js';
import { BatchNorm2d } from '../../nn/normalization.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Detection, DetectionModel, DetectionTarget } from '../../train/tasks/detection.js';
import { checkAnchors, yoloV2Decode, yoloV2Loss, type YoloV2LossOptions } from './yolov2-head.js';
import { yoloBackbone } from './yolo.js';

/**
 * The default anchors [width, height] in pixels: YOLO v2's dimension clusters (vision.kmeansAnchors, k = 5, seed 0,
 * distance 1 - IoU) on the 17,637 boxes of the 5,000 training canvases of the MNIST canvas set; mean IoU of the
 * boxes with their closest anchor 0.7959 (k = 1: 0.6101, k = 9: 0.8394). Produced by
 * `node dist/examples/yolov2-anchors.js --k 5 --seed 0` (two decimals).
 */
export const YOLOV2_CANVAS_ANCHORS: readonly (readonly [number, number])[] = [[8.17, 24.17], [15.13, 20.28], [22.81, 24.37], [20.07, 32.43], [31.1, 35.37]];

/** Options of YOLOv2 (the zoo name `yolov2`). */
export interface YoloV2Options extends Pick<YoloV2LossOptions, 'lambdaCoord' | 'lambdaObj' | 'lambdaNoobj' | 'lambdaClass' | 'ignoreThreshold' | 'rescore'> {
  /** Object classes C (default 10). */
  numClasses?: number;
  /** Class names (default '0'..'C-1'). */
  classes?: readonly string[];
  /** Input channels (default 1). */
  inChannels?: number;
  /** The input height and width it is built for (default 96); with gridSize it sets the stride, a power of two. */
  inputSize?: number;
  /** Grid cells per side at inputSize (default 6: stride 16). */
  gridSize?: number;
  /** Anchor shapes [A][2] (width, height in input pixels; default YOLOV2_CANVAS_ANCHORS). */
  anchors?: Tensor | readonly (readonly number[])[];
  /** Channels of the conv stages, one per 2x2 pooling (default [8, 16, 32, 64]; their count must be log2(stride)). */
  channels?: readonly number[];
  /** Channels of the head's 3x3 conv (default 128). */
  headChannels?: number;
  /** `detect`: scores at or below this are dropped (default 0.01, low for mAP). */
  scoreThreshold?: number;
  /** `detect`: NMS IoU threshold per class (default 0.5). */
  nmsThreshold?: number;
  /** `detect`: most detections per image (default 100). */
  detectionsPerImage?: number;
}

function posInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`yolov2: option ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/**
 * YOLO v2: images [N, inChannels, H, W] (pixels in [0, 1]; H, W multiples of the stride) -> raw predictions
 * [N, H / stride, W / stride, A, 5 + C]. Implements DetectionModel: `losses` is v2's loss in four parts, `detect`
 * decodes with per-class NMS. Parameter names: `features.0.weight` ... (as `yolo`), `head.0.weight` (3x3 conv),
 * `head.3.weight` (1x1 conv).
 */
export class YOLOv2 extends Module implements Layer, DetectionModel {
  /** The conv backbone, [N, C, H, W] -> [N, channels[-1], H / stride, W / stride]. */
  readonly features: Sequential;
  /** 3x3 conv + BN + leaky ReLU, 1x1 conv to A (5 + C). */
  readonly head: Sequential;
  /** The object class names. */
  readonly classes: readonly string[];
  /** The anchors [A][2] in pixels. */
  readonly anchors: readonly (readonly [number, number])[];
  /** Input pixels per grid cell (a power of two). */
  readonly stride: number;
  /** The options, defaults filled in. */
  readonly options: Required<Omit<YoloV2Options, 'classes' | 'anchors'>>;

  /** Builds the model. */
  constructor(opts: YoloV2Options = {}) {
    super();
    const numClasses = posInt('numClasses', opts.numClasses ?? opts.classes?.length ?? 10);
    const classes = opts.classes ?? Array.from({ length: numClasses }, (_, i) => String(i));
    if (classes.length !== numClasses) throw new ValueError(`yolov2: option classes must name the ${numClasses} classes, got ${classes.length} names`);
    const flat = checkAnchors('yolov2', opts.anchors ?? YOLOV2_CANVAS_ANCHORS);
    this.anchors = Array.from({ length: flat.length / 2 }, (_, a) => [flat[2 * a], flat[2 * a + 1]] as const);
    const inChannels = posInt('inChannels', opts.inChannels ?? 1);
    const inputSize = posInt('inputSize', opts.inputSize ?? 96);
    const gridSize = posInt('gridSize', opts.gridSize ?? 6);
    const headChannels = posInt('headChannels', opts.headChannels ?? 128);
    const backbone = yoloBackbone('yolov2', inChannels, inputSize, gridSize, opts.channels);
    const channels = backbone.channels;
    this.stride = backbone.stride;
    this.options = {
      numClasses, inChannels, inputSize, gridSize, channels, headChannels,
      lambdaCoord: opts.lambdaCoord ?? 1, lambdaObj: opts.lambdaObj ?? 5, lambdaNoobj: opts.lambdaNoobj ?? 1, lambdaClass: opts.lambdaClass ?? 1,
      ignoreThreshold: opts.ignoreThreshold ?? 0.6, rescore: opts.rescore ?? true,
      scoreThreshold: opts.scoreThreshold ?? 0.01, nmsThreshold: opts.nmsThreshold ?? 0.5, detectionsPerImage: opts.detectionsPerImage ?? 100,
    };
    this.classes = [...classes];
    this.features = backbone.features;
    const c = channels[channels.length - 1];
    const na = this.anchors.length;
    this.head = new Sequential(new Conv2d(c, headChannels, 3, { padding: 1, bias: false }), new BatchNorm2d(headChannels), new LeakyReLU(0.1), new Conv2d(headChannels, na * (5 + numClasses), 1));
  }

  /** Raw predictions [N, H / stride, W / stride, A, 5 + C] for images [N, inChannels, H, W]. */
  forward(x: Tensor): Tensor {
    const { inChannels, numClasses } = this.options;
    const s = this.stride;
    if (x.ndim !== 4 || x.shape[1] !== inChannels) throw new ShapeError(`yolov2: input must be images [N, ${inChannels}, H, W], got shape [${x.shape.join(', ')}]`);
    const [n, , h, w] = x.shape;
    if (h % s !== 0 || w % s !== 0 || h < s || w < s) throw new ShapeError(`yolov2: image height and width must be positive multiples of the stride ${s} (one grid cell each), got ${h}x${w}`);
    const y = this.head.forward(this.features.forward(x)); // [N, A (5 + C), Sh, Sw]
    return y.reshape([n, this.anchors.length, 5 + numClasses, h / s, w / s]).permute([0, 3, 4, 1, 2]);
  }

  /** v2's loss on a batch: {loss_coord, loss_obj, loss_noobj, loss_class} (see yoloV2Loss). */
  losses(images: Tensor, targets: readonly DetectionTarget[]): Record<string, Tensor> {
    const { numClasses, lambdaCoord, lambdaObj, lambdaNoobj, lambdaClass, ignoreThreshold, rescore } = this.options;
    const pred = this.forward(images);
    return yoloV2Loss(pred, targets, { anchors: this.anchors, numClasses, imageSize: [images.shape[2], images.shape[3]], lambdaCoord, lambdaObj, lambdaNoobj, lambdaClass, ignoreThreshold, rescore });
  }

  /** Per-image detections (boxes in the input's pixels), decoded with per-class NMS (see yoloV2Decode). */
  detect(images: Tensor): Detection[] {
    const { numClasses, scoreThreshold, nmsThreshold, detectionsPerImage } = this.options;
    return yoloV2Decode(this.forward(images), { anchors: this.anchors, numClasses, imageSize: [images.shape[2], images.shape[3]], scoreThreshold, nmsThreshold, detectionsPerImage });
  }

  /** Stride, A, C. */
  override extraRepr(): string {
    return `stride=${this.stride}, A=${this.anchors.length}, C=${this.options.numClasses}`;
  }
}
