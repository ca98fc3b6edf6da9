/**
 * The CIFAR-sized (32x32) nets of the papers: ResNet-20/32/44/56/110 and their plain twins (He et al. 2016,
 * section 4.2: a 3x3 conv to 16 channels, three stages of n basic blocks at 16/32/64 channels and 32/16/8 pixels,
 * global average pool, fc; 6n + 2 layers), and a VGG with batch norm for 32x32 inputs.
 * @module
 */
import { ValueError } from '../../errors.js';
import { relu } from '../../ops/activation.js';
import { flatten } from '../../ops/movement.js';
import { pad } from '../../ops/pad.js';
import { maxPool2d } from '../../ops/pool.js';
import { ReLU } from '../../nn/activation.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/conv.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { BatchNorm2d } from '../../nn/normalization.js';
import { AdaptiveAvgPool2d } from '../../nn/pooling.js';
import type { Tensor } from '../../tensor/tensor.js';
import { vggFeatures, VGG_CONFIGS, type VggDepth } from './alexnet-vgg.js';
import { ImageClassifier, initLikeTorchvision, positiveInt, type ZooOptions } from './common.js';
import { BasicBlock, conv1x1 } from './resnet.js';

/**
 * The paper's option A shortcut: identity, subsampled by `stride` and zero-padded with the extra channels
 * (half before, half after), so it has no parameters.
 */
export class ZeroPadShortcut extends Module implements Layer {
  /** Creates the shortcut from inC to outC channels. */
  constructor(readonly inC: number, readonly outC: number, readonly stride: number) {
    super();
  }

  /** [N, inC, H, W] -> [N, outC, ceil(H / stride), ceil(W / stride)]. */
  forward(x: Tensor): Tensor {
    const y = this.stride === 1 ? x : maxPool2d(x, 1, { stride: this.stride });
    const extra = this.outC - this.inC;
    return extra === 0 ? y : pad(y, [0, 0, 0, 0, Math.floor(extra / 2), extra - Math.floor(extra / 2)]);
  }
}

/** A BasicBlock without its shortcut: the "plain" nets' two 3x3 conv + BN layers. */
export class PlainBlock extends BasicBlock {
  /** relu(bn2(conv2(relu(bn1(conv1 x))))). */
  override forward(x: Tensor): Tensor {
    return relu(this.bn2.forward(this.conv2.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x))))));
  }
}

/** Options of the CIFAR ResNets. */
export interface CifarResNetOptions extends ZooOptions {
  /**
   * Shortcut where the shape changes: 'A' (default, the paper's CIFAR choice) zero-pads the identity, no parameters;
   * 'B' projects with a 1x1 conv + batch norm. The plain nets have no shortcuts and ignore this.
   */
  shortcut?: 'A' | 'B';
  /**
   * Initialization: 'default' (default; every layer as PyTorch initializes it, as the bench's PyTorch twins) or
   * 'he', the paper's (He et al. 2015): every conv weight N(0, 2 / fan_out) as torchvision's ResNets do it
   * (kaiming_normal_, mode fan_out, ReLU gain); batch norms weight 1, bias 0 and the fc layer as by default.
   */
  init?: 'default' | 'he';
}

/** The depths of the paper's Table 6, with n blocks per stage. */
export const CIFAR_RESNET_DEPTHS = [20, 32, 44, 56, 110] as const;

/** A CIFAR ResNet (or plain net) of 6n + 2 layers: [N, C, H, W] (H, W >= 1; built for 32x32) -> [N, numClasses]. */
export class CifarResNet extends ImageClassifier {
  /** 3x3 stem convolution to 16 channels. */
  conv1: Conv2d;
  /** Batch norm of the stem. */
  bn1: BatchNorm2d;
  /** ReLU (shared by the places it is applied). */
  relu: ReLU;
  /** Stage 1 (blocks at the stem's resolution). */
  layer1: Sequential;
  /** Stage 2 (stride 2). */
  layer2: Sequential;
  /** Stage 3 (stride 2). */
  layer3: Sequential;
  /** Global average pool. */
  avgpool: AdaptiveAvgPool2d;
  /** Linear layer to the class logits. */
  fc: Linear;

  /** Builds the net of `depth` = 6n + 2 layers, with shortcuts unless `plain`. */
  constructor(depth: number, plain: boolean, opts: CifarResNetOptions = {}) {
    const name = `${plain ? 'plain' : 'resnet'}${depth}`;
    const c = positiveInt(name, 'inChannels', opts.inChannels, 3);
    const k = positiveInt(name, 'numClasses', opts.numClasses, 10);
    super(name, c, k, 1);
    if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) throw new ValueError(`${name}: depth must be 6n + 2 (20, 32, 44, 56, 110, ...), got ${depth}`);
    const shortcut = opts.shortcut ?? 'A';
    if (shortcut !== 'A' && shortcut !== 'B') throw new ValueError(`${name}: option shortcut must be 'A' or 'B', got '${String(shortcut)}'`);
    const init = opts.init ?? 'default';
    if (init !== 'default' && init !== 'he') throw new ValueError(`${name}: option init must be 'default' or 'he', got '${String(init)}'`);
    const n = (depth - 2) / 6;
    this.conv1 = new Conv2d(c, 16, 3, { padding: 1, bias: false });
    this.bn1 = new BatchNorm2d(16);
    this.relu = new ReLU();
    const stage = (inC: number, outC: number, stride: number): Sequential => {
      const blocks: Layer[] = [];
      for (let i = 0; i < n; i++) {
        const [bi, s] = i === 0 ? [inC, stride] : [outC, 1];
        if (plain) {
          blocks.push(new PlainBlock(bi, outC, s));
          continue;
        }
        const changes = s !== 1 || bi !== outC;
        const down = !changes ? null : shortcut === 'A' ? new ZeroPadShortcut(bi, outC, s) : new Sequential(conv1x1(bi, outC, s), new BatchNorm2d(outC));
        blocks.push(new BasicBlock(bi, outC, s, down));
      }
      return new Sequential(...blocks);
    };
    this.layer1 = stage(16, 16, 1);
    this.layer2 = stage(16, 32, 2);
    this.layer3 = stage(32, 64, 2);
    this.avgpool = new AdaptiveAvgPool2d([1, 1]);
    this.fc = new Linear(64, k);
    if (init === 'he') initLikeTorchvision(this, 'resnet');
  }

  /** Logits [N, numClasses] of an input checkInput has accepted. */
  protected logits(x: Tensor): Tensor {
    const y = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    return this.fc.forward(flatten(this.avgpool.forward(this.layer3.forward(this.layer2.forward(this.layer1.forward(y)))), 1));
  }
}

/** Options of the CIFAR VGG. */
export interface CifarVggOptions extends ZooOptions {
  /** 11, 13, 16 (default) or 19 conv + fc layers, with torchvision's channel configurations. */
  depth?: VggDepth;
}

/**
 * VGG for 32x32 images: torchvision's conv configuration with batch norm, five 2x2 pools down to 1x1, then one
 * Linear(512, numClasses) (the common CIFAR form; 14,728,266 parameters at depth 16). Takes exactly inputSize
 * (default 32, a multiple of 32) pixels, as its fc layer is sized for it.
 */
export class CifarVGG extends ImageClassifier {
  /** Conv, batch norm, ReLU layers and pools (`features.<i>`). */
  features: Sequential;
  /** The linear classifier. */
  classifier: Linear;

  /** Builds the net. */
  constructor(opts: CifarVggOptions = {}) {
    const c = positiveInt('vgg_cifar', 'inChannels', opts.inChannels, 3);
    const k = positiveInt('vgg_cifar', 'numClasses', opts.numClasses, 10);
    const s = positiveInt('vgg_cifar', 'inputSize', opts.inputSize, 32);
    if (s % 32 !== 0) throw new ValueError(`vgg_cifar: option inputSize must be a multiple of 32, got ${s}`);
    super('vgg_cifar', c, k, s, s);
    const depth = opts.depth ?? 16;
    if (!Object.hasOwn(VGG_CONFIGS, depth)) throw new ValueError(`vgg_cifar: option depth must be 11, 13, 16 or 19, got ${String(depth)}`);
    this.features = vggFeatures(depth, c, true);
    this.classifier = new Linear(512 * (s / 32) ** 2, k);
  }

  /** Logits [N, numClasses] of an input checkInput has accepted. */
  protected logits(x: Tensor): Tensor {
    return this.classifier.forward(flatten(this.features.forward(x), 1));
  }
}
