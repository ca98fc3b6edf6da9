/**
 * AlexNet (Krizhevsky et al. 2012) and VGG-11/13/16/19 with and without batch norm (Simonyan & Zisserman 2015),
 * laid out as torchvision's `alexnet` and `vgg*`: `features`, `avgpool`, `classifier`, so torchvision state dicts load.
 * @module
 */
import { flatten } from '../../ops/movement.js';
import { ReLU } from '../../nn/activation.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/conv.js';
import { Dropout } from '../../nn/dropout.js';
import { Linear } from '../../nn/linear.js';
import type { Layer } from '../../nn/module.js';
import { BatchNorm2d, LocalResponseNorm } from '../../nn/normalization.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../../nn/pooling.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ImageClassifier, initLikeTorchvision, positiveInt, probability, type ZooOptions } from './common.js';

/** Options of AlexNet. */
export interface AlexNetOptions extends ZooOptions {
  /** Dropout before the two hidden fully connected layers (default 0.5). */
  dropout?: number;
  /**
   * 'torchvision' (default): torchvision's layout (64/192/384/256/256 channels, no LRN, 61,100,840 parameters).
   * 'original': the paper's single-tower net, 96/256/384/384/256 channels with local response normalization
   * (size 5, alpha 1e-4, beta 0.75, k 2) after the first two ReLUs, 62,378,344 parameters.
   */
  variant?: 'torchvision' | 'original';
}

/** AlexNet: [N, C, H, W] (H, W >= 63; built for 224) -> [N, numClasses]. */
export class AlexNet extends ImageClassifier {
  /** The convolutional part. */
  features: Sequential;
  /** Pools the features to 6x6 whatever the input size. */
  avgpool: AdaptiveAvgPool2d;
  /** Dropout, 4096, 4096, numClasses. */
  classifier: Sequential;

  /** Builds the net (see AlexNetOptions). */
  constructor(opts: AlexNetOptions = {}) {
    const c = positiveInt('alexnet', 'inChannels', opts.inChannels, 3);
    const k = positiveInt('alexnet', 'numClasses', opts.numClasses, 1000);
    super('alexnet', c, k, 63);
    const p = probability('alexnet', 'dropout', opts.dropout, 0.5);
    const variant = opts.variant ?? 'torchvision';
    const ch = variant === 'original' ? [96, 256, 384, 384, 256] : [64, 192, 384, 256, 256];
    const lrn = (): Layer[] => (variant === 'original' ? [new LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 2 })] : []);
    this.features = new Sequential(
      new Conv2d(c, ch[0], 11, { stride: 4, padding: 2 }), new ReLU(), ...lrn(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(ch[0], ch[1], 5, { padding: 2 }), new ReLU(), ...lrn(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(ch[1], ch[2], 3, { padding: 1 }), new ReLU(),
      new Conv2d(ch[2], ch[3], 3, { padding: 1 }), new ReLU(),
      new Conv2d(ch[3], ch[4], 3, { padding: 1 }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
    );
    this.avgpool = new AdaptiveAvgPool2d([6, 6]);
    this.classifier = new Sequential(
      new Dropout(p), new Linear(ch[4] * 36, 4096), new ReLU(),
      new Dropout(p), new Linear(4096, 4096), new ReLU(),
      new Linear(4096, k),
    );
  }

  /** Logits [N, numClasses] of an input checkInput has accepted. */
  protected logits(x: Tensor): Tensor {
    return this.classifier.forward(flatten(this.avgpool.forward(this.features.forward(x)), 1));
  }
}

/** VGG depths and their torchvision configurations (channels of 3x3 convs, 'M' for a 2x2 max pool). */
export const VGG_CONFIGS = {
  11: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  13: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  19: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
} as const;

/** A VGG depth. */
export type VggDepth = keyof typeof VGG_CONFIGS;

/** torchvision's `make_layers`: 3x3 convs (padding 1) with optional batch norm, ReLU, and 2x2 max pools. */
export function vggFeatures(depth: VggDepth, inChannels: number, batchNorm: boolean): Sequential {
  const layers: Layer[] = [];
  let c = inChannels;
  for (const v of VGG_CONFIGS[depth]) {
    if (v === 'M') {
      layers.push(new MaxPool2d(2, { stride: 2 }));
      continue;
    }
    layers.push(new Conv2d(c, v, 3, { padding: 1 }));
    if (batchNorm) layers.push(new BatchNorm2d(v));
    layers.push(new ReLU());
    c = v;
  }
  return new Sequential(...layers);
}

/** Options of VGG. */
export interface VggOptions extends ZooOptions {
  /** Dropout in the classifier (default 0.5). */
  dropout?: number;
}

/** VGG-11/13/16/19 (with batch norm after each conv if asked): [N, C, H, W] (H, W >= 32) -> [N, numClasses]. */
export class VGG extends ImageClassifier {
  /** The convolutional part (torchvision's `features.<i>` keys). */
  features: Sequential;
  /** Pools the features to 7x7 whatever the input size. */
  avgpool: AdaptiveAvgPool2d;
  /** 4096, 4096, numClasses with dropout. */
  classifier: Sequential;

  /** Builds VGG of `depth` layers, with batch norm if `batchNorm`. */
  constructor(depth: VggDepth, batchNorm: boolean, opts: VggOptions = {}) {
    const name = `vgg${depth}${batchNorm ? '_bn' : ''}`;
    const c = positiveInt(name, 'inChannels', opts.inChannels, 3);
    const k = positiveInt(name, 'numClasses', opts.numClasses, 1000);
    super(name, c, k, 32);
    const p = probability(name, 'dropout', opts.dropout, 0.5);
    this.features = vggFeatures(depth, c, batchNorm);
    this.avgpool = new AdaptiveAvgPool2d([7, 7]);
    this.classifier = new Sequential(
      new Linear(512 * 7 * 7, 4096), new ReLU(), new Dropout(p),
      new Linear(4096, 4096), new ReLU(), new Dropout(p),
      new Linear(4096, k),
    );
    initLikeTorchvision(this, 'vgg');
  }

  /** Logits [N, numClasses] of an input checkInput has accepted. */
  protected logits(x: Tensor): Tensor {
    return this.classifier.forward(flatten(this.avgpool.forward(this.features.forward(x)), 1));
  }
}
