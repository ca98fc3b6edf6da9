/**
 * ResNet-18/34/50/101/152 (He et al. 2016) in torchvision's layout: a block class (BasicBlock, Bottleneck), a
 * `makeLayer`, one builder per depth, and torchvision's module names (`layer1.0.conv1.weight`,
 * `layer2.0.downsample.0.weight`), so torchvision state dicts load.
 * @module
 */
import { relu } from '../../ops/activation.js';
import { add } from '../../ops/elementwise.js';
import { flatten } from '../../ops/movement.js';
import { ReLU } from '../../nn/activation.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/conv.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { BatchNorm2d } from '../../nn/normalization.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../../nn/pooling.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ImageClassifier, initLikeTorchvision, positiveInt, type ZooOptions } from './common.js';

/** A 3x3 convolution with padding 1 and no bias (a batch norm follows). */
export function conv3x3(inC: number, outC: number, stride = 1): Conv2d {
  return new Conv2d(inC, outC, 3, { stride, padding: 1, bias: false });
}

/** A 1x1 convolution without bias. */
export function conv1x1(inC: number, outC: number, stride = 1): Conv2d {
  return new Conv2d(inC, outC, 1, { stride, bias: false });
}

/** Two 3x3 conv + batch norm layers with a shortcut around them (ResNet-18/34): output channels = planes. */
export class BasicBlock extends Module implements Layer {
  /** Channels out per `planes`. */
  static readonly expansion = 1;
  /** First convolution. */
  conv1: Conv2d;
  /** Batch norm of conv1. */
  bn1: BatchNorm2d;
  /** ReLU (shared by the places it is applied). */
  relu: ReLU;
  /** Second convolution. */
  conv2: Conv2d;
  /** Batch norm of conv2. */
  bn2: BatchNorm2d;
  /** Projection of the shortcut when the shape changes, else null (identity). */
  downsample: Layer | null;

  /** Creates the block; the first conv has `stride`. */
  constructor(inplanes: number, planes: number, stride = 1, downsample: Layer | null = null) {
    super();
    this.conv1 = conv3x3(inplanes, planes, stride);
    this.bn1 = new BatchNorm2d(planes);
    this.relu = new ReLU();
    this.conv2 = conv3x3(planes, planes);
    this.bn2 = new BatchNorm2d(planes);
    this.downsample = downsample;
  }

  /** relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x)). */
  forward(x: Tensor): Tensor {
    const out = this.bn2.forward(this.conv2.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x)))));
    return relu(add(out, this.downsample ? this.downsample.forward(x) : x));
  }
}

/** 1x1 reduce, 3x3 (with the stride, as torchvision's "ResNet v1.5"), 1x1 expand to 4 * planes, plus a shortcut. */
export class Bottleneck extends Module implements Layer {
  /** Channels out per `planes`. */
  static readonly expansion = 4;
  /** First convolution. */
  conv1: Conv2d;
  /** Batch norm of conv1. */
  bn1: BatchNorm2d;
  /** Second convolution. */
  conv2: Conv2d;
  /** Batch norm of conv2. */
  bn2: BatchNorm2d;
  /** Third convolution. */
  conv3: Conv2d;
  /** Batch norm of conv3. */
  bn3: BatchNorm2d;
  /** ReLU (shared by the places it is applied). */
  relu: ReLU;
  /** Projection of the shortcut when the shape changes, else null (identity). */
  downsample: Layer | null;

  /** Creates the block. */
  constructor(inplanes: number, planes: number, stride = 1, downsample: Layer | null = null) {
    super();
    this.conv1 = conv1x1(inplanes, planes);
    this.bn1 = new BatchNorm2d(planes);
    this.conv2 = conv3x3(planes, planes, stride);
    this.bn2 = new BatchNorm2d(planes);
    this.conv3 = conv1x1(planes, planes * Bottleneck.expansion);
    this.bn3 = new BatchNorm2d(planes * Bottleneck.expansion);
    this.relu = new ReLU();
    this.downsample = downsample;
  }

  /** The three convs with batch norm and ReLU, plus the shortcut, then ReLU. */
  forward(x: Tensor): Tensor {
    let out = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    out = this.relu.forward(this.bn2.forward(this.conv2.forward(out)));
    out = this.bn3.forward(this.conv3.forward(out));
    return relu(add(out, this.downsample ? this.downsample.forward(x) : x));
  }
}

/** A residual block class: BasicBlock or Bottleneck. */
export type ResidualBlock = typeof BasicBlock | typeof Bottleneck;

/** The depths torchvision builds, with their block and blocks per stage. */
export const RESNET_DEPTHS = {
  18: { block: BasicBlock, layers: [2, 2, 2, 2] },
  34: { block: BasicBlock, layers: [3, 4, 6, 3] },
  50: { block: Bottleneck, layers: [3, 4, 6, 3] },
  101: { block: Bottleneck, layers: [3, 4, 23, 3] },
  152: { block: Bottleneck, layers: [3, 8, 36, 3] },
} as const;

/** An ImageNet ResNet depth. */
export type ResNetDepth = keyof typeof RESNET_DEPTHS;

/** ResNet: 7x7 stem, max pool, four stages, global average pool, fc. [N, C, H, W] (H, W >= 1) -> [N, numClasses]. */
export class ResNet extends ImageClassifier {
  /** 7x7 stride-2 stem convolution. */
  conv1: Conv2d;
  /** Batch norm of the stem. */
  bn1: BatchNorm2d;
  /** ReLU (shared by the places it is applied). */
  relu: ReLU;
  /** 3x3 stride-2 max pool after the stem. */
  maxpool: MaxPool2d;
  /** Stage 1 (blocks at the stem's resolution). */
  layer1: Sequential;
  /** Stage 2 (stride 2). */
  layer2: Sequential;
  /** Stage 3 (stride 2). */
  layer3: Sequential;
  /** Stage 4 (stride 2). */
  layer4: Sequential;
  /** Global average pool. */
  avgpool: AdaptiveAvgPool2d;
  /** Linear layer to the class logits. */
  fc: Linear;
  private inplanes = 64;

  /** Builds a ResNet of `block`s, `layers[i]` blocks in stage i. */
  constructor(name: string, block: ResidualBlock, layers: readonly [number, number, number, number], opts: ZooOptions = {}) {
    const c = positiveInt(name, 'inChannels', opts.inChannels, 3);
    const k = positiveInt(name, 'numClasses', opts.numClasses, 1000);
    super(name, c, k, 1);
    this.conv1 = new Conv2d(c, 64, 7, { stride: 2, padding: 3, bias: false });
    this.bn1 = new BatchNorm2d(64);
    this.relu = new ReLU();
    this.maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });
    this.layer1 = this.makeLayer(block, 64, layers[0]);
    this.layer2 = this.makeLayer(block, 128, layers[1], 2);
    this.layer3 = this.makeLayer(block, 256, layers[2], 2);
    this.layer4 = this.makeLayer(block, 512, layers[3], 2);
    this.avgpool = new AdaptiveAvgPool2d([1, 1]);
    this.fc = new Linear(512 * block.expansion, k);
    initLikeTorchvision(this, 'resnet');
  }

  /** One stage: the first block changes stride/width (with a 1x1 conv + BN shortcut), the rest keep it. */
  makeLayer(block: ResidualBlock, planes: number, blocks: number, stride = 1): Sequential {
    const out = planes * block.expansion;
    const downsample = stride !== 1 || this.inplanes !== out ? new Sequential(conv1x1(this.inplanes, out, stride), new BatchNorm2d(out)) : null;
    const layers: Layer[] = [new block(this.inplanes, planes, stride, downsample)];
    this.inplanes = out;
    for (let i = 1; i < blocks; i++) layers.push(new block(this.inplanes, planes));
    return new Sequential(...layers);
  }

  /** Logits [N, numClasses] of an input checkInput has accepted. */
  protected logits(x: Tensor): Tensor {
    let y = this.maxpool.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x))));
    y = this.layer4.forward(this.layer3.forward(this.layer2.forward(this.layer1.forward(y))));
    return this.fc.forward(flatten(this.avgpool.forward(y), 1));
  }
}

/** torchvision's `resnet<depth>()`: ResNet-18/34 (basic blocks) or 50/101/152 (bottlenecks). */
export function resnet(depth: ResNetDepth, opts: ZooOptions = {}): ResNet {
  const d = RESNET_DEPTHS[depth];
  return new ResNet(`resnet${depth}`, d.block, d.layers, opts);
}

/** ResNet-18: 11,689,512 parameters at 1000 classes. */
export const resnet18 = (opts: ZooOptions = {}): ResNet => resnet(18, opts);
/** ResNet-34: 21,797,672 parameters at 1000 classes. */
export const resnet34 = (opts: ZooOptions = {}): ResNet => resnet(34, opts);
/** ResNet-50: 25,557,032 parameters at 1000 classes. */
export const resnet50 = (opts: ZooOptions = {}): ResNet => resnet(50, opts);
/** ResNet-101: 44,549,160 parameters at 1000 classes. */
export const resnet101 = (opts: ZooOptions = {}): ResNet => resnet(101, opts);
/** ResNet-152: 60,192,808 parameters at 1000 classes. */
export const resnet152 = (opts: ZooOptions = {}): ResNet => resnet(152, opts);
