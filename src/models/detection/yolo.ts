/**
 * YOLO v1 (Redmon, Divvala, Girshick & Farhadi, You Only Look Once: Unified, Real-Time Object Detection, CVPR 2016)
 * sized for small canvases: a conv backbone (3x3 conv + batch norm + leaky ReLU 0.1 stages, each halving the size
 * with 2x2 max pooling, until the image is S x S), then the paper's two fully connected layers that see the whole
 * image and output the grid [N, S, S, 5B + C] (see yolo-grid.ts for its layout, loss and decoding). The paper's
 * backbone has 24 convs for 448x448 images and S = 7; here 96x96 canvases, S = 6 (16-pixel cells), B = 2.
 * @module
 */
import { ValueError } from '../../errors.js';
import { LeakyReLU } from '../../nn/activation.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/conv.js';
import { Dropout } from '../../nn/dropout.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { BatchNorm2d } from '../../nn/normalization.js';
import { MaxPool2d } from '../../nn/pooling.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Detection, DetectionModel, DetectionTarget } from '../../train/tasks/detection.js';
import { yoloV1Decode, yoloV1Loss, type YoloGrid } from './yolo-grid.js';

/** Options of YOLOv1 (the zoo name `yolo`). */
export interface YoloOptions {
  /** Object classes C (default 10). */
  numClasses?: number;
  /** Class names (default '0'..'C-1'). */
  classes?: readonly string[];
  /** Input channels (default 1). */
  inChannels?: number;
  /** Input height and width (default 96); must be S times a power of two. */
  inputSize?: number;
  /** Grid cells per side S (default 6). */
  gridSize?: number;
  /** Boxes per cell B (default 2). */
  numBoxes?: number;
  /** Channels of the conv stages, one per 2x2 pooling (default [8, 16, 32, 64]; their count must be log2(inputSize / S)). */
  channels?: readonly number[];
  /** Units of the hidden fully connected layer (default 256; the paper's 4096). */
  hidden?: number;
  /** Dropout after the hidden layer (default 0; the paper's 0.5). */
  dropout?: number;
  /** The loss's λcoord (default 5). */
  lambdaCoord?: number;
  /** The loss's λnoobj (default 0.5). */
  lambdaNoobj?: number;
  /** Confidence target: IoU (default true) or 1. */
  rescore?: boolean;
  /** `detect`: class-specific confidences at or below this are dropped (default 0.01, low for mAP). */
  scoreThreshold?: number;
  /** `detect`: NMS IoU threshold per class (default 0.5). */
  nmsThreshold?: number;
  /** `detect`: most detections per image (default 100). */
  detectionsPerImage?: number;
}

function posInt(name: string, v: unknown, model = 'yolo'): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`${model}: option ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/** The YOLO conv backbone and its geometry (see yoloBackbone). */
export interface YoloBackbone {
  /** [N, inChannels, H, W] -> [N, channels[-1], H / stride, W / stride]. */
  features: Sequential;
  /** The widths of the conv stages, defaults filled in. */
  channels: readonly number[];
  /** Input pixels per grid cell: inputSize / gridSize, a power of two. */
  stride: number;
}

/**
 * The conv backbone `yolo` and `yolov2` share: per stage a 3x3 conv + BN + leaky ReLU(0.1), a 2x2 max pool after
 * each of the log2(inputSize / gridSize) stages, and one more conv at the grid's size (as the paper's last conv
 * layers work on the 7x7 map). `model` names the caller in errors.
 */
export function yoloBackbone(model: string, inChannels: number, inputSize: number, gridSize: number, widths?: readonly number[]): YoloBackbone {
  const stride = inputSize / gridSize;
  const pools = Math.log2(stride);
  if (!Number.isInteger(pools) || pools < 0) throw new ValueError(`${model}: option inputSize must be gridSize times a power of two (the backbone halves it until S x S), got inputSize ${inputSize} and gridSize ${gridSize}`);
  const channels = widths ?? [8, 16, 32, 64].slice(0, Math.max(pools, 1));
  if (!Array.isArray(channels) || channels.length !== Math.max(pools, 1)) throw new ValueError(`${model}: option channels must list ${Math.max(pools, 1)} widths (one per 2x2 pooling from ${inputSize} to ${gridSize}), got ${JSON.stringify(channels)}`);
  channels.forEach((c, i) => posInt(`channels[${i}]`, c, model));
  const layers: Layer[] = [];
  let c = inChannels;
  channels.forEach((o, k) => {
    layers.push(new Conv2d(c, o, 3, { padding: 1, bias: false }), new BatchNorm2d(o), new LeakyReLU(0.1));
    if (k < pools) layers.push(new MaxPool2d(2));
    c = o;
  });
  layers.push(new Conv2d(c, c, 3, { padding: 1, bias: false }), new BatchNorm2d(c), new LeakyReLU(0.1));
  return { features: new Sequential(...layers), channels, stride };
}

/**
 * YOLO v1: images [N, inChannels, inputSize, inputSize] (pixels in [0, 1]) -> grid predictions [N, S, S, 5B + C].
 * Implements DetectionModel: `losses` is the paper's sum-squared loss in four parts, `detect` decodes with per-class
 * NMS. Parameter names: `features.0.weight` ... (conv stages), `head.0.weight`, `head.3.weight` (the two linears).
 */
export class YOLOv1 extends Module implements Layer, DetectionModel {
  /** The conv backbone, [N, C, H, W] -> [N, channels[-1], S, S]. */
  readonly features: Sequential;
  /** Flatten, linear, leaky ReLU, dropout, linear to S·S·(5B + C). */
  readonly head: Sequential;
  /** The object class names. */
  readonly classes: readonly string[];
  /** The options, defaults filled in. */
  readonly options: Required<Omit<YoloOptions, 'classes'>>;
  /** The grid geometry. */
  readonly grid: YoloGrid;

  /** Builds the model. */
  constructor(opts: YoloOptions = {}) {
    super();
    const numClasses = posInt('numClasses', opts.numClasses ?? opts.classes?.length ?? 10);
    const classes = opts.classes ?? Array.from({ length: numClasses }, (_, i) => String(i));
    if (classes.length !== numClasses) throw new ValueError(`yolo: option classes must name the ${numClasses} classes, got ${classes.length} names`);
    const inChannels = posInt('inChannels', opts.inChannels ?? 1);
    const inputSize = posInt('inputSize', opts.inputSize ?? 96);
    const gridSize = posInt('gridSize', opts.gridSize ?? 6);
    const numBoxes = posInt('numBoxes', opts.numBoxes ?? 2);
    const hidden = posInt('hidden', opts.hidden ?? 256);
    const backbone = yoloBackbone('yolo', inChannels, inputSize, gridSize, opts.channels);
    const channels = backbone.channels;
    const dropout = opts.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw new ValueError(`yolo: option dropout must be in [0, 1), got ${String(dropout)}`);
    this.options = {
      numClasses, inChannels, inputSize, gridSize, numBoxes, channels, hidden, dropout,
      lambdaCoord: opts.lambdaCoord ?? 5, lambdaNoobj: opts.lambdaNoobj ?? 0.5, rescore: opts.rescore ?? true,
      scoreThreshold: opts.scoreThreshold ?? 0.01, nmsThreshold: opts.nmsThreshold ?? 0.5, detectionsPerImage: opts.detectionsPerImage ?? 100,
    };
    this.classes = [...classes];
    this.grid = { gridSize, numBoxes, numClasses, imageSize: [inputSize, inputSize] };
    this.features = backbone.features;
    const c = channels[channels.length - 1];
    const out = gridSize * gridSize * (5 * numBoxes + numClasses);
    this.head = new Sequential(new Linear(c * gridSize * gridSize, hidden), new LeakyReLU(0.1), new Dropout(dropout), new Linear(hidden, out));
  }

  /** Grid predictions [N, S, S, 5B + C] for images [N, inChannels, inputSize, inputSize]. */
  forward(x: Tensor): Tensor {
    const { inChannels, inputSize, gridSize: s, numBoxes, numClasses } = this.options;
    if (x.ndim !== 4 || x.shape[1] !== inChannels || x.shape[2] !== inputSize || x.shape[3] !== inputSize) {
      throw new ValueError(`yolo: input must be images [N, ${inChannels}, ${inputSize}, ${inputSize}], got shape [${x.shape.join(', ')}]`);
    }
    const f = this.features.forward(x);
    return this.head.forward(f.reshape([x.shape[0], -1])).reshape([x.shape[0], s, s, 5 * numBoxes + numClasses]);
  }

  /** The paper's loss on a batch: {loss_coord, loss_obj, loss_noobj, loss_class} (see yoloV1Loss). */
  losses(images: Tensor, targets: readonly DetectionTarget[]): Record<string, Tensor> {
    const { lambdaCoord, lambdaNoobj, rescore } = this.options;
    return yoloV1Loss(this.forward(images), targets, { ...this.grid, lambdaCoord, lambdaNoobj, rescore });
  }

  /** Per-image detections (boxes in the input's pixels), decoded with per-class NMS (see yoloV1Decode). */
  detect(images: Tensor): Detection[] {
    const { scoreThreshold, nmsThreshold, detectionsPerImage } = this.options;
    return yoloV1Decode(this.forward(images), { ...this.grid, scoreThreshold, nmsThreshold, detectionsPerImage });
  }

  /** S, B, C. */
  override extraRepr(): string {
    return `S=${this.grid.gridSize}, B=${this.grid.numBoxes}, C=${this.grid.numClasses}`;
  }
}
