/**
 * GoogLeNet, Inception v1 (Szegedy et al. 2015), laid out as torchvision's `googlenet` (conv + batch norm
 * blocks, `inception3a` ... `inception5b`, `aux1`/`aux2`, `fc`), so torchvision state dicts load.
 * @module
 */
import { relu } from '../../ops/activation.js';
import { add, mul } from '../../ops/elementwise.js';
import { tensor } from '../../tensor/creation.js';
import { cat, flatten } from '../../ops/movement.js';
import { adaptiveAvgPool2d } from '../../ops/pool.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/conv.js';
import { Dropout } from '../../nn/dropout.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { BatchNorm2d } from '../../nn/normalization.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../../nn/pooling.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ValueError } from '../../errors.js';
import { ImageClassifier, initLikeTorchvision, positiveInt, probability, type ZooOptions } from './common.js';

/** Conv (no bias), batch norm (eps 1e-3), ReLU: torchvision's `BasicConv2d`. */
export class BasicConv2d extends Module implements Layer {
  /** The convolution. */
  conv: Conv2d;
  /** Its batch norm. */
  bn: BatchNorm2d;

  /** Creates the block; kernel, stride and padding as Conv2d's. */
  constructor(inC: number, outC: number, kernel: number, opts: { stride?: number; padding?: number } = {}) {
    super();
    this.conv = new Conv2d(inC, outC, kernel, { ...opts, bias: false });
    this.bn = new BatchNorm2d(outC, { eps: 0.001 });
  }

  /** [N, inC, H, W] -> [N, outC, H', W']. */
  forward(x: Tensor): Tensor {
    return relu(this.bn.forward(this.conv.forward(x)));
  }
}

/**
 * An Inception module: 1x1, 1x1->3x3, 1x1->(3x3 or 5x5) and 3x3 max pool->1x1 branches, concatenated along
 * channels. `wide5x5` gives the paper's 5x5 third branch; torchvision's (and its weights') is 3x3.
 */
export class Inception extends Module implements Layer {
  /** 1x1 branch. */
  branch1: BasicConv2d;
  /** 1x1 reduce, 3x3. */
  branch2: Sequential;
  /** 1x1 reduce, 3x3 (torchvision) or 5x5 (paper). */
  branch3: Sequential;
  /** 3x3 max pool, 1x1 projection. */
  branch4: Sequential;

  /** Creates the module with torchvision's argument order. */
  constructor(inC: number, ch1x1: number, ch3x3red: number, ch3x3: number, ch5x5red: number, ch5x5: number, poolProj: number, wide5x5 = false) {
    super();
    this.branch1 = new BasicConv2d(inC, ch1x1, 1);
    this.branch2 = new Sequential(new BasicConv2d(inC, ch3x3red, 1), new BasicConv2d(ch3x3red, ch3x3, 3, { padding: 1 }));
    this.branch3 = new Sequential(new BasicConv2d(inC, ch5x5red, 1),
      wide5x5 ? new BasicConv2d(ch5x5red, ch5x5, 5, { padding: 2 }) : new BasicConv2d(ch5x5red, ch5x5, 3, { padding: 1 }));
    this.branch4 = new Sequential(new MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }), new BasicConv2d(inC, poolProj, 1));
  }

  /** [N, inC, H, W] -> [N, ch1x1 + ch3x3 + ch5x5 + poolProj, H, W]. */
  forward(x: Tensor): Tensor {
    return cat([this.branch1.forward(x), this.branch2.forward(x), this.branch3.forward(x), this.branch4.forward(x)], 1);
  }
}

/** An auxiliary classifier: 4x4 average pool, 1x1 conv to 128, fc 1024, dropout, fc to the classes. */
export class InceptionAux extends Module implements Layer {
  /** 1x1 conv block. */
  conv: BasicConv2d;
  /** 2048 -> 1024. */
  fc1: Linear;
  /** 1024 -> numClasses. */
  fc2: Linear;
  /** Dropout before fc2. */
  dropout: Dropout;

  /** Creates the head for `inC` input channels. */
  constructor(inC: number, numClasses: number, dropout = 0.7) {
    super();
    this.conv = new BasicConv2d(inC, 128, 1);
    this.fc1 = new Linear(2048, 1024);
    this.fc2 = new Linear(1024, numClasses);
    this.dropout = new Dropout(dropout);
  }

  /** [N, inC, H, W] -> [N, numClasses]. */
  forward(x: Tensor): Tensor {
    const y = flatten(this.conv.forward(adaptiveAvgPool2d(x, [4, 4])), 1);
    return this.fc2.forward(this.dropout.forward(relu(this.fc1.forward(y))));
  }
}

/** Options of GoogLeNet. */
export interface GoogLeNetOptions extends ZooOptions {
  /** Build the two auxiliary classifiers (default true, as torchvision's untrained `googlenet()`; its weights have none). */
  auxLogits?: boolean;
  /** Dropout before the last fc (default 0.2, torchvision's). */
  dropout?: number;
  /** Dropout in the auxiliary classifiers (default 0.7). */
  dropoutAux?: number;
  /** 'torchvision' (default): 3x3 convs in the third Inception branch; 'paper': 5x5 as in the paper. */
  variant?: 'torchvision' | 'paper';
  /**
   * Map ImageNet-normalized input to the (x - 0.5) / 0.5 scale torchvision's published weights were trained on
   * (torchvision's transform_input, which it turns on with those weights; default false). Needs 3 channels.
   */
  transformInput?: boolean;
}

/** The logits and, in training mode with auxiliary classifiers, theirs (torchvision's GoogLeNetOutputs). */
export interface GoogLeNetOutputs {
  /** Main logits [N, numClasses]. */
  logits: Tensor;
  /** Logits of the classifier after inception4d, or null. */
  aux2: Tensor | null;
  /** Logits of the classifier after inception4a, or null. */
  aux1: Tensor | null;
}

/** GoogLeNet: [N, C, H, W] (H, W >= 15; built for 224) -> [N, numClasses]. */
export class GoogLeNet extends ImageClassifier {
  /** 7x7 stride-2 stem block. */
  conv1: BasicConv2d;
  /** 3x3 stride-2 max pool (ceil mode). */
  maxpool1: MaxPool2d;
  /** 1x1 block. */
  conv2: BasicConv2d;
  /** 3x3 block to 192 channels. */
  conv3: BasicConv2d;
  /** 3x3 stride-2 max pool (ceil mode). */
  maxpool2: MaxPool2d;
  /** Inception module 3a. */
  inception3a: Inception;
  /** Inception module 3b. */
  inception3b: Inception;
  /** 3x3 stride-2 max pool (ceil mode). */
  maxpool3: MaxPool2d;
  /** Inception module 4a. */
  inception4a: Inception;
  /** Inception module 4b. */
  inception4b: Inception;
  /** Inception module 4c. */
  inception4c: Inception;
  /** Inception module 4d. */
  inception4d: Inception;
  /** Inception module 4e. */
  inception4e: Inception;
  /** 2x2 stride-2 max pool (ceil mode). */
  maxpool4: MaxPool2d;
  /** Inception module 5a. */
  inception5a: Inception;
  /** Inception module 5b. */
  inception5b: Inception;
  /** Auxiliary classifier after inception4a (null without auxLogits). */
  aux1: InceptionAux | null;
  /** Auxiliary classifier after inception4d (null without auxLogits). */
  aux2: InceptionAux | null;
  /** Global average pool. */
  avgpool: AdaptiveAvgPool2d;
  /** Dropout before fc. */
  dropout: Dropout;
  /** Linear layer to the class logits. */
  fc: Linear;
  /** Whether the input is first mapped from ImageNet normalization to (x - 0.5) / 0.5. */
  readonly transformInput: boolean;

  /** Builds the net (see GoogLeNetOptions). */
  constructor(opts: GoogLeNetOptions = {}) {
    const c = positiveInt('googlenet', 'inChannels', opts.inChannels, 3);
    const k = positiveInt('googlenet', 'numClasses', opts.numClasses, 1000);
    // 15x15, as torchvision: its ceil-mode pools then see windows larger than their 2x2 input, which maxPool2d
    // handles as PyTorch 1.13 does (one window)
    super('googlenet', c, k, 15);
    // checked before the millions of weights are drawn
    this.transformInput = opts.transformInput ?? false;
    if (this.transformInput && c !== 3) throw new ValueError(`googlenet: option transformInput needs 3 input channels, got inChannels ${c}`);
    const wide = (opts.variant ?? 'torchvision') === 'paper';
    const inc = (...a: [number, number, number, number, number, number, number]) => new Inception(...a, wide);
    const pool = () => new MaxPool2d(3, { stride: 2, ceilMode: true });
    this.conv1 = new BasicConv2d(c, 64, 7, { stride: 2, padding: 3 });
    this.maxpool1 = pool();
    this.conv2 = new BasicConv2d(64, 64, 1);
    this.conv3 = new BasicConv2d(64, 192, 3, { padding: 1 });
    this.maxpool2 = pool();
    this.inception3a = inc(192, 64, 96, 128, 16, 32, 32);
    this.inception3b = inc(256, 128, 128, 192, 32, 96, 64);
    this.maxpool3 = pool();
    this.inception4a = inc(480, 192, 96, 208, 16, 48, 64);
    this.inception4b = inc(512, 160, 112, 224, 24, 64, 64);
    this.inception4c = inc(512, 128, 128, 256, 24, 64, 64);
    this.inception4d = inc(512, 112, 144, 288, 32, 64, 64);
    this.inception4e = inc(528, 256, 160, 320, 32, 128, 128);
    this.maxpool4 = new MaxPool2d(2, { stride: 2, ceilMode: true });
    this.inception5a = inc(832, 256, 160, 320, 32, 128, 128);
    this.inception5b = inc(832, 384, 192, 384, 48, 128, 128);
    const aux = opts.auxLogits ?? true;
    const pAux = probability('googlenet', 'dropoutAux', opts.dropoutAux, 0.7);
    this.aux1 = aux ? new InceptionAux(512, k, pAux) : null;
    this.aux2 = aux ? new InceptionAux(528, k, pAux) : null;
    this.avgpool = new AdaptiveAvgPool2d([1, 1]);
    this.dropout = new Dropout(probability('googlenet', 'dropout', opts.dropout, 0.2));
    this.fc = new Linear(1024, k);
    initLikeTorchvision(this, 'googlenet');
  }

  /** The logits, plus the auxiliary classifiers' in training mode (null in eval mode or without them). */
  forwardWithAux(x: Tensor): GoogLeNetOutputs {
    this.checkInput(x);
    if (this.transformInput) {
      const stats = (v: number[]) => tensor(v, { shape: [1, 3, 1, 1], dtype: x.dtype });
      x = add(mul(x, stats([0.229 / 0.5, 0.224 / 0.5, 0.225 / 0.5])), stats([(0.485 - 0.5) / 0.5, (0.456 - 0.5) / 0.5, (0.406 - 0.5) / 0.5]));
    }
    let y = this.maxpool2.forward(this.conv3.forward(this.conv2.forward(this.maxpool1.forward(this.conv1.forward(x)))));
    y = this.maxpool3.forward(this.inception3b.forward(this.inception3a.forward(y)));
    y = this.inception4a.forward(y);
    const aux1 = this.aux1 && this.training ? this.aux1.forward(y) : null;
    y = this.inception4d.forward(this.inception4c.forward(this.inception4b.forward(y)));
    const aux2 = this.aux2 && this.training ? this.aux2.forward(y) : null;
    y = this.maxpool4.forward(this.inception4e.forward(y));
    y = flatten(this.avgpool.forward(this.inception5b.forward(this.inception5a.forward(y))), 1);
    return { logits: this.fc.forward(this.dropout.forward(y)), aux2, aux1 };
  }

  /** Logits [N, numClasses] of an input checkInput has accepted. */
  protected logits(x: Tensor): Tensor {
    return this.forwardWithAux(x).logits;
  }
}
