/**
 * What the vision zoo's classifiers share: the options they take, the input check that names what a model
 * accepts, a named sequential container for torchvision's `nn.Sequential(OrderedDict(...))` layouts, and
 * torchvision's re-initialization of each family.
 * @module
 */
import { ShapeError, ValueError, assertNever, fmtShape } from '../../errors.js';
import { ModuleDict } from '../../nn/containers.js';
import { Conv2d } from '../../nn/conv.js';
import { kaimingNormal_, normal_, truncNormal_, zeros_ } from '../../nn/init.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Options every zoo classifier takes. */
export interface ZooOptions {
  /** Input channels (default 3). */
  inChannels?: number;
  /** Number of classes (default 1000 for the ImageNet models, 10 for the CIFAR ones). */
  numClasses?: number;
  /** The image size the model is meant for (default 224 or 32); models with adaptive pooling take others too. */
  inputSize?: number;
}

/** Reads a positive-integer option, refusing anything else with the model's name. */
export function positiveInt(model: string, name: string, v: number | undefined, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`${model}: option ${name} must be a positive integer, got ${String(n)}`);
  return n;
}

/** Reads a probability option in [0, 1). */
export function probability(model: string, name: string, v: number | undefined, dflt: number): number {
  const p = v ?? dflt;
  if (typeof p !== 'number' || !(p >= 0 && p < 1)) throw new ValueError(`${model}: option ${name} must be in [0, 1), got ${String(p)}`);
  return p;
}

/**
 * Base of the zoo's image classifiers: [N, inChannels, H, W] -> logits [N, numClasses]. `forward` checks the
 * input (rank, channels, and a size the architecture can take) before running `logits`.
 */
export abstract class ImageClassifier extends Module implements Layer {
  /** The zoo name (e.g. 'resnet50'), used in error messages. */
  readonly modelName: string;
  /** Channels the first layer takes. */
  readonly inChannels: number;
  /** Classes the last layer scores. */
  readonly numClasses: number;
  /** Smallest height/width the layers can take (pooling must not run out of pixels). */
  readonly minSize: number;
  /** The one height/width the model takes, when its head has a fixed size (else null: any size >= minSize). */
  readonly fixedSize: number | null;

  constructor(modelName: string, inChannels: number, numClasses: number, minSize: number, fixedSize: number | null = null) {
    super();
    this.modelName = modelName;
    this.inChannels = inChannels;
    this.numClasses = numClasses;
    this.minSize = minSize;
    this.fixedSize = fixedSize;
  }

  /** Throws a ShapeError naming what the model takes unless x is [N, inChannels, H, W] of a size it can take. */
  checkInput(x: Tensor): void {
    const want = this.fixedSize !== null
      ? `[N, ${this.inChannels}, ${this.fixedSize}, ${this.fixedSize}]`
      : `[N, ${this.inChannels}, H, W] with H, W >= ${this.minSize}`;
    const ok = x.ndim === 4 && x.shape[1] === this.inChannels && (this.fixedSize !== null
      ? x.shape[2] === this.fixedSize && x.shape[3] === this.fixedSize
      : x.shape[2] >= this.minSize && x.shape[3] >= this.minSize);
    if (!ok) throw new ShapeError(`${this.modelName}: input must be ${want}, got shape ${fmtShape(x.shape)}`);
  }

  /** Class logits [N, numClasses] of a checked input. */
  protected abstract logits(x: Tensor): Tensor;

  /** Checks x, then computes the logits [N, numClasses]. */
  forward(x: Tensor): Tensor {
    this.checkInput(x);
    return this.logits(x);
  }
}

/**
 * A chain of named layers run in insertion order: torchvision's `nn.Sequential(OrderedDict(...))`, whose
 * state-dict keys carry the names (`features.conv0.weight`) instead of positions.
 */
export class NamedSequential extends ModuleDict implements Layer {
  /** Creates the chain from [name, layer] pairs. */
  constructor(layers: readonly [string, Layer][] = []) {
    super();
    for (const [k, m] of layers) this.set(k, m);
  }

  /** Appends a named layer; returns this. */
  add(name: string, layer: Layer): this {
    if (this.has(name)) throw new ValueError(`NamedSequential.add: a layer '${name}' exists already`);
    return this.set(name, layer);
  }

  /** Applies every layer in turn. */
  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.values() as Layer[]) y = m.forward(y);
    return y;
  }
}

/** The zoo families whose torchvision constructors re-initialize their layers after building them. */
export type TorchvisionInit = 'resnet' | 'vgg' | 'densenet' | 'googlenet';

/**
 * Re-initializes a freshly built model as torchvision's constructor of that family does (batch norms are already
 * weight 1, bias 0, as torchvision sets them):
 * - 'resnet': every conv N(0, 2 / fan_out) (kaiming_normal_, fan_out, ReLU); linear layers keep PyTorch's default;
 * - 'vgg': convs as 'resnet' with zero bias; linear layers N(0, 0.01²) with zero bias;
 * - 'densenet': every conv N(0, 2 / fan_in) (kaiming_normal_ with its defaults); linear biases zero;
 * - 'googlenet': conv and linear weights N(0, 0.01²) truncated to [-2, 2]; linear biases keep the default.
 * AlexNet keeps PyTorch's default initialization, as torchvision's does.
 */
export function initLikeTorchvision(model: Module, family: TorchvisionInit): void {
  for (const m of model.modules()) {
    if (m instanceof Conv2d) {
      switch (family) {
        case 'resnet': case 'vgg': kaimingNormal_(m.weight, { mode: 'fanOut', nonlinearity: 'relu' }); break;
        case 'densenet': kaimingNormal_(m.weight); break;
        case 'googlenet': truncNormal_(m.weight, 0, 0.01, -2, 2); break;
        default: assertNever(family, 'torchvision initialization family');
      }
      if (m.bias && family === 'vgg') zeros_(m.bias);
    } else if (m instanceof Linear) {
      if (family === 'vgg') normal_(m.weight, 0, 0.01);
      if (family === 'googlenet') truncNormal_(m.weight, 0, 0.01, -2, 2);
      if (m.bias && (family === 'vgg' || family === 'densenet')) zeros_(m.bias);
    }
  }
}
