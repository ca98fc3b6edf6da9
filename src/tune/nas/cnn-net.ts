/**
 * From a decoded NAS architecture to a trainable module: `buildCnn(arch)` is an `nn.Sequential` of a stride-2
 * 3x3 stem convolution with ReLU, the stages' layers with 2x2 max-pooling between stages, global average
 * pooling (or flattening) and a linear classifier. No batch normalization: on this machine's one thread it cost more than the
 * convolutions themselves, and every candidate trains with the same recipe, so the comparison stays fair.
 * @module
 */
import { assertNever, ValueError } from '../../errors.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/conv.js';
import { Flatten, Identity, Linear } from '../../nn/linear.js';
import { ReLU } from '../../nn/activation.js';
import { Module, type Layer } from '../../nn/module.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../../nn/pooling.js';
import type { Tensor } from '../../tensor/tensor.js';
import { CNN_OPS, type CnnArchitecture, type CnnLayerSpec, type CnnOp } from './cnn-space.js';

/** Options of `buildCnn`. */
export interface BuildCnnOptions {
  /** Channels of the input images (default 1). */
  inChannels?: number;
  /** Number of classes, the width of the output logits (default 10). */
  numClasses?: number;
  /**
   * The classifier: 'avgpool' (global average pooling, then linear; any input size) or 'flatten' (the last
   * feature map flattened, then linear; needs `imageSize`). Default 'avgpool'.
   */
  head?: 'avgpool' | 'flatten';
  /** Height = width of the input images, for the 'flatten' head (default 28). */
  imageSize?: number;
}

/** The operation of a layer on [N, inC, H, W], giving [N, outC, H, W] (max-pool and identity keep inC). */
function opModule(op: CnnOp, inC: number, outC: number): Layer {
  switch (op) {
    case 'conv3x3':
    case 'conv5x5': {
      const k = op === 'conv3x3' ? 3 : 5;
      return new Sequential(new Conv2d(inC, outC, k, { padding: (k - 1) / 2 }), new ReLU());
    }
    case 'sep3x3':
    case 'sep5x5': {
      const k = op === 'sep3x3' ? 3 : 5;
      // depthwise k x k then pointwise 1x1 (MobileNet's separable convolution)
      return new Sequential(new Conv2d(inC, inC, k, { padding: (k - 1) / 2, groups: inC, bias: false }), new Conv2d(inC, outC, 1), new ReLU());
    }
    case 'maxpool3x3':
      return new MaxPool2d(3, { stride: 1, padding: 1 });
    case 'identity':
      return new Identity();
    default:
      return assertNever(op, 'CNN op');
  }
}

/**
 * One searched layer: x [N, inC, H, W] -> op(x) [N, outC, H, W], plus x itself when `skip` (through a 1x1
 * convolution without bias when inC != outC), as a ResNet shortcut.
 */
export class NasCnnLayer extends Module implements Layer {
  /** The layer's operation. */
  readonly op: Layer;
  /** The shortcut's 1x1 projection, or null (no skip, or channels match). */
  readonly proj: Conv2d | null;
  /** Whether the input is added to the output. */
  readonly skip: boolean;

  /** Creates the layer of `spec` on inputs of `inChannels` channels. */
  constructor(spec: CnnLayerSpec, inChannels: number) {
    super();
    const outC = spec.op === 'maxpool3x3' || spec.op === 'identity' ? inChannels : spec.channels;
    this.op = opModule(spec.op, inChannels, outC);
    this.skip = spec.skip;
    this.proj = spec.skip && outC !== inChannels ? new Conv2d(inChannels, outC, 1, { bias: false }) : null;
  }

  /** x [N, inC, H, W] -> [N, outC, H, W]. */
  forward(x: Tensor): Tensor {
    const y = this.op.forward(x);
    if (!this.skip) return y;
    return y.add(this.proj ? this.proj.forward(x) : x);
  }
}

function checkArchitecture(fn: string, arch: CnnArchitecture): void {
  if (arch === null || typeof arch !== 'object') throw new ValueError(`${fn}: architecture must be an object {stemChannels, stages}, got ${arch === null ? 'null' : typeof arch}`);
  if (!Number.isInteger(arch.stemChannels) || arch.stemChannels < 1) throw new ValueError(`${fn}: stemChannels must be a positive integer, got ${arch.stemChannels}`);
  if (!Array.isArray(arch.stages) || arch.stages.length === 0) throw new ValueError(`${fn}: stages must be a non-empty array of layer lists`);
  arch.stages.forEach((stage, s) => {
    if (!Array.isArray(stage) || stage.length === 0) throw new ValueError(`${fn}: stage ${s} must be a non-empty array of layers`);
    stage.forEach((l, i) => {
      if (!l || !CNN_OPS.includes(l.op)) throw new ValueError(`${fn}: stage ${s} layer ${i}: op must be one of ${CNN_OPS.join(', ')}, got ${JSON.stringify(l?.op)}`);
      if (!Number.isInteger(l.channels) || l.channels < 1) throw new ValueError(`${fn}: stage ${s} layer ${i}: channels must be a positive integer, got ${l.channels}`);
      if (typeof l.skip !== 'boolean') throw new ValueError(`${fn}: stage ${s} layer ${i}: skip must be a boolean, got ${JSON.stringify(l.skip)}`);
    });
  });
}

/**
 * The network of `arch`: images [N, inChannels, H, W] -> logits [N, numClasses]. The stem halves H and W, each
 * stage after the first halves them again, so H and W must be at least 2^stages. Throws ValueError for a
 * malformed architecture (naming the stage, layer and field).
 */
export function buildCnn(arch: CnnArchitecture, opts: BuildCnnOptions = {}): Sequential {
  const fn = 'buildCnn';
  checkArchitecture(fn, arch);
  const inC = opts.inChannels ?? 1;
  const numClasses = opts.numClasses ?? 10;
  if (!Number.isInteger(inC) || inC < 1) throw new ValueError(`${fn}: inChannels must be a positive integer, got ${inC}`);
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError(`${fn}: numClasses must be a positive integer, got ${numClasses}`);
  const layers: Layer[] = [new Conv2d(inC, arch.stemChannels, 3, { stride: 2, padding: 1 }), new ReLU()];
  let channels = arch.stemChannels;
  arch.stages.forEach((stage, s) => {
    if (s > 0) layers.push(new MaxPool2d(2));
    for (const spec of stage) {
      const layer = new NasCnnLayer(spec, channels);
      layers.push(layer);
      if (spec.op !== 'maxpool3x3' && spec.op !== 'identity') channels = spec.channels;
    }
  });
  const head = opts.head ?? 'avgpool';
  if (head === 'avgpool') {
    layers.push(new AdaptiveAvgPool2d(1), new Flatten(), new Linear(channels, numClasses));
  } else if (head === 'flatten') {
    const size = opts.imageSize ?? 28;
    if (!Number.isInteger(size) || size < 2 ** arch.stages.length) throw new ValueError(`${fn}: imageSize must be an integer >= 2^stages = ${2 ** arch.stages.length}, got ${size}`);
    // the stem (3x3, stride 2, padding 1) gives floor((size - 1) / 2) + 1, each 2x2 pooling floors a halving
    let side = Math.floor((size - 1) / 2) + 1;
    for (let s = 1; s < arch.stages.length; s++) side = Math.floor(side / 2);
    layers.push(new Flatten(), new Linear(channels * side * side, numClasses));
  } else {
    throw new ValueError(`${fn}: head must be 'avgpool' or 'flatten', got ${JSON.stringify(head)}`);
  }
  return new Sequential(...layers);
}
