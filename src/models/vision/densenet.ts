/**
 * DenseNet-121/161/169/201 (Huang et al. 2017) in torchvision's layout (`features.conv0`, `features.denseblock1.
 * denselayer1.norm1`, `features.transition1.conv`, `features.norm5`, `classifier`), so torchvision state dicts
 * load; plus the DenseNet-BC of the paper's CIFAR experiments, built from the same layers.
 * @module
 */
import { relu } from '../../ops/activation.js';
import { cat, flatten } from '../../ops/movement.js';
import { adaptiveAvgPool2d } from '../../ops/pool.js';
import { dropout as dropoutOp } from '../../ops/dropout.js';
import { ValueError } from '../../errors.js';
import { ReLU } from '../../nn/activation.js';
import { Conv2d } from '../../nn/conv.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { BatchNorm2d } from '../../nn/normalization.js';
import { AvgPool2d, MaxPool2d } from '../../nn/pooling.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ImageClassifier, NamedSequential, initLikeTorchvision, positiveInt, probability, type ZooOptions } from './common.js';

/** BN, ReLU, 1x1 conv to bnSize * growthRate, BN, ReLU, 3x3 conv to growthRate (the "B" bottleneck layer). */
export class DenseLayer extends Module implements Layer {
  /** Batch norm before conv1. */
  norm1: BatchNorm2d;
  /** ReLU before conv1. */
  relu1: ReLU;
  /** First convolution. */
  conv1: Conv2d;
  /** Batch norm before conv2. */
  norm2: BatchNorm2d;
  /** ReLU before conv2. */
  relu2: ReLU;
  /** Second convolution. */
  conv2: Conv2d;

  /** Creates the layer; `dropRate` is applied to its new features in training. */
  constructor(inC: number, growthRate: number, bnSize: number, readonly dropRate = 0) {
    super();
    this.norm1 = new BatchNorm2d(inC);
    this.relu1 = new ReLU();
    this.conv1 = new Conv2d(inC, bnSize * growthRate, 1, { bias: false });
    this.norm2 = new BatchNorm2d(bnSize * growthRate);
    this.relu2 = new ReLU();
    this.conv2 = new Conv2d(bnSize * growthRate, growthRate, 3, { padding: 1, bias: false });
  }

  /** [N, inC, H, W] -> the growthRate new feature maps [N, growthRate, H, W]. */
  forward(x: Tensor): Tensor {
    const y = this.conv1.forward(this.relu1.forward(this.norm1.forward(x)));
    const out = this.conv2.forward(this.relu2.forward(this.norm2.forward(y)));
    return this.dropRate > 0 ? dropoutOp(out, this.dropRate, { training: this.training }) : out;
  }
}

/** `numLayers` dense layers, each fed the concatenation of the block input and all earlier layers' outputs. */
export class DenseBlock extends NamedSequential {
  /** Creates `denselayer1` ... `denselayer<numLayers>`. */
  constructor(numLayers: number, inC: number, bnSize: number, growthRate: number, dropRate = 0) {
    super();
    for (let i = 0; i < numLayers; i++) this.add(`denselayer${i + 1}`, new DenseLayer(inC + i * growthRate, growthRate, bnSize, dropRate));
  }

  /** [N, inC, H, W] -> [N, inC + numLayers * growthRate, H, W]. */
  override forward(x: Tensor): Tensor {
    const features = [x];
    for (const layer of this.values() as Layer[]) features.push(layer.forward(features.length === 1 ? x : cat(features, 1)));
    return cat(features, 1);
  }
}

/** BN, ReLU, 1x1 conv (the "C" compression), 2x2 average pool. */
export function transition(inC: number, outC: number): NamedSequential {
  return new NamedSequential([
    ['norm', new BatchNorm2d(inC)], ['relu', new ReLU()],
    ['conv', new Conv2d(inC, outC, 1, { bias: false })], ['pool', new AvgPool2d(2, { stride: 2 })],
  ]);
}

/** Options of DenseNet. */
export interface DenseNetOptions extends ZooOptions {
  /** Dropout after each dense layer (default 0). */
  dropRate?: number;
}

/** The ImageNet configurations: growth rate, layers per block, stem width. */
export const DENSENET_CONFIGS = {
  121: { growthRate: 32, blocks: [6, 12, 24, 16], initFeatures: 64 },
  161: { growthRate: 48, blocks: [6, 12, 36, 24], initFeatures: 96 },
  169: { growthRate: 32, blocks: [6, 12, 32, 32], initFeatures: 64 },
  201: { growthRate: 32, blocks: [6, 12, 48, 32], initFeatures: 64 },
} as const;

/** An ImageNet DenseNet depth. */
export type DenseNetDepth = keyof typeof DENSENET_CONFIGS;

/** The ImageNet DenseNet-BC: 7x7 stem, max pool, four dense blocks with transitions, BN, ReLU, global pool, fc. */
export class DenseNet extends ImageClassifier {
  /** Stem, blocks, transitions and the final batch norm, under torchvision's names. */
  features: NamedSequential;
  /** The linear classifier. */
  classifier: Linear;

  /** Builds DenseNet-`depth` (bottleneck width 4 * growthRate, compression 0.5). */
  constructor(depth: DenseNetDepth, opts: DenseNetOptions = {}) {
    const name = `densenet${depth}`;
    const c = positiveInt(name, 'inChannels', opts.inChannels, 3);
    const k = positiveInt(name, 'numClasses', opts.numClasses, 1000);
    super(name, c, k, 29);
    const drop = probability(name, 'dropRate', opts.dropRate, 0);
    const cfg = DENSENET_CONFIGS[depth];
    this.features = new NamedSequential([
      ['conv0', new Conv2d(c, cfg.initFeatures, 7, { stride: 2, padding: 3, bias: false })],
      ['norm0', new BatchNorm2d(cfg.initFeatures)], ['relu0', new ReLU()],
      ['pool0', new MaxPool2d(3, { stride: 2, padding: 1 })],
    ]);
    let f: number = cfg.initFeatures;
    cfg.blocks.forEach((n, i) => {
      this.features.add(`denseblock${i + 1}`, new DenseBlock(n, f, 4, cfg.growthRate, drop));
      f += n * cfg.growthRate;
      if (i < cfg.blocks.length - 1) {
        this.features.add(`transition${i + 1}`, transition(f, Math.floor(f / 2)));
        f = Math.floor(f / 2);
      }
    });
    this.features.add('norm5', new BatchNorm2d(f));
    this.classifier = new Linear(f, k);
    initLikeTorchvision(this, 'densenet');
  }

  /** Logits [N, numClasses] of an input checkInput has accepted. */
  protected logits(x: Tensor): Tensor {
    return this.classifier.forward(flatten(adaptiveAvgPool2d(relu(this.features.forward(x)), [1, 1]), 1));
  }
}

/** Options of the CIFAR DenseNet-BC. */
export interface DenseNetBCOptions extends DenseNetOptions {
  /** Depth L (default 100): 3 blocks of (L - 4) / 6 bottleneck layers; L - 4 must be a multiple of 6. */
  depth?: number;
  /** Growth rate k (default 12). */
  growthRate?: number;
}

/**
 * DenseNet-BC for 32x32 images (Huang et al. 2017, section 3): 3x3 conv to 2k channels, three dense blocks of
 * bottleneck layers with compression-0.5 transitions, BN, ReLU, global average pool, fc. L=100, k=12: 0.8M parameters.
 */
export class DenseNetBC extends ImageClassifier {
  /** Stem, blocks, transitions and the final batch norm. */
  features: NamedSequential;
  /** The linear classifier. */
  classifier: Linear;

  /** Builds DenseNet-BC (L, k). */
  constructor(opts: DenseNetBCOptions = {}) {
    const c = positiveInt('densenet_bc', 'inChannels', opts.inChannels, 3);
    const k = positiveInt('densenet_bc', 'numClasses', opts.numClasses, 10);
    super('densenet_bc', c, k, 4);
    const depth = positiveInt('densenet_bc', 'depth', opts.depth, 100);
    if ((depth - 4) % 6 !== 0 || depth < 10) throw new ValueError(`densenet_bc: depth - 4 must be a positive multiple of 6 (40, 100, 190, ...), got ${depth}`);
    const g = positiveInt('densenet_bc', 'growthRate', opts.growthRate, 12);
    const drop = probability('densenet_bc', 'dropRate', opts.dropRate, 0);
    const n = (depth - 4) / 6;
    let f = 2 * g;
    this.features = new NamedSequential([['conv0', new Conv2d(c, f, 3, { padding: 1, bias: false })]]);
    for (let i = 0; i < 3; i++) {
      this.features.add(`denseblock${i + 1}`, new DenseBlock(n, f, 4, g, drop));
      f += n * g;
      if (i < 2) {
        this.features.add(`transition${i + 1}`, transition(f, Math.floor(f / 2)));
        f = Math.floor(f / 2);
      }
    }
    this.features.add('norm5', new BatchNorm2d(f));
    this.classifier = new Linear(f, k);
  }

  /** Logits [N, numClasses] of an input checkInput has accepted. */
  protected logits(x: Tensor): Tensor {
    return this.classifier.forward(flatten(adaptiveAvgPool2d(relu(this.features.forward(x)), [1, 1]), 1));
  }
}
