/**
 * Convolutional auto-encoders. `convae` (SegNet's decoder idea, Badrinarayanan et al. 2017): each encoder
 * stage is conv 3x3 + ReLU + 2x2 max pooling whose indices the matching decoder stage gives to `maxUnpool2d`,
 * which puts every value back where its maximum came from, followed by a 3x3 conv. `convae_t` upsamples with
 * 2x2 stride-2 transposed convolutions instead (no indices). Both end in a sigmoid, for pixels in [0, 1].
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { ModuleList } from '../../nn/containers.js';
import { Conv2d, ConvTranspose2d } from '../../nn/conv.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { MaxPool2d, MaxUnpool2d } from '../../nn/pooling.js';
import { relu, sigmoid } from '../../ops/activation.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { AutoEncoded } from './autoencoder.js';
import { posInt, type GenerativeZooOptions } from './common.js';

/**
 * Options of the convolutional auto-encoders. inputSize is used only with codeSize (without it any size the model
 * takes works, see the class).
 */
export interface ConvAutoEncoderOptions extends GenerativeZooOptions {
  /** Channels of the encoder stages, one 2x2 pooling each (default [16, 32]: 28x28 -> 32 maps of 7x7). */
  channels?: readonly number[];
  /**
   * A dense bottleneck (convae_t only): the last feature map is flattened to `codeSize` numbers by a linear layer
   * (`toCode`) and expanded back by another (`fromCode`, then ReLU), so the code is [N, codeSize] and the input must
   * be inputSize x inputSize. Default none: the code is the last feature map itself (32 x 7 x 7 at 28x28).
   */
  codeSize?: number;
}

/** How a convolutional auto-encoder's decoder upsamples. */
export type ConvUpsampling = 'unpool' | 'transposed';

/** Encoder state the unpooling decoder needs: each stage's pooling indices and the size before pooling. */
interface PoolRecord {
  indices: Tensor;
  size: [number, number];
}

/**
 * A convolutional auto-encoder: [N, C, H, W] -> a reconstruction of the same shape. `encoder.i` are the
 * 3x3 convs of the encoder stages; `decoder.i` the decoder's 3x3 convs (`convae`, after unpooling) or its
 * 2x2 stride-2 transposed convs (`convae_t`). Sizes that work: `convae` takes any H, W >= 2^stages (the
 * unpooling restores each stage's size, odd ones included); `convae_t` needs H and W divisible by 2^stages
 * (4 with the default two stages: 28, 32, 64, ...).
 */
export class ConvAutoEncoder extends Module implements Layer {
  /** Image channels. */
  readonly inChannels: number;
  /** Encoder stage channels. */
  readonly channels: readonly number[];
  /** Encoder convs. */
  encoder: ModuleList;
  /** Decoder convs (or transposed convs). */
  decoder: ModuleList;
  /** With codeSize: the linear layer from the flattened last feature map to the code, else null. */
  toCode: Linear | null = null;
  /** With codeSize: the linear layer from the code back to the flattened feature map, else null. */
  fromCode: Linear | null = null;
  /** With codeSize: the last feature map's shape [C, h, w] and the input size it comes from; else null. */
  readonly bottleneck: { readonly map: readonly [number, number, number]; readonly inputSize: number } | null = null;
  private readonly pool = new MaxPool2d(2);
  private readonly unpool = new MaxUnpool2d(2);

  /** Builds the layers; `upsampling` picks convae ('unpool') or convae_t ('transposed'). */
  constructor(opts: ConvAutoEncoderOptions = {}, readonly upsampling: ConvUpsampling = 'unpool') {
    super();
    const name = this.modelName;
    this.inChannels = posInt(name, 'inChannels', opts.inChannels, 1);
    const ch = opts.channels ?? [16, 32];
    if (!Array.isArray(ch) || ch.length === 0) throw new ValueError(`${name}: option channels must be a non-empty array of positive integers, got ${JSON.stringify(opts.channels)}`);
    ch.forEach((c, i) => posInt(name, `channels[${i}]`, c, 1));
    this.channels = [...ch];
    const enc: Module[] = [];
    let c = this.inChannels;
    for (const out of ch) {
      enc.push(new Conv2d(c, out, 3, { padding: 1 }));
      c = out;
    }
    const dec: Module[] = [];
    for (let i = ch.length - 1; i >= 0; i--) {
      const out = i === 0 ? this.inChannels : ch[i - 1];
      dec.push(upsampling === 'unpool' ? new Conv2d(ch[i], out, 3, { padding: 1 }) : new ConvTranspose2d(ch[i], out, 2, { stride: 2 }));
    }
    this.encoder = new ModuleList(enc);
    this.decoder = new ModuleList(dec);
    if (opts.codeSize !== undefined) {
      // the unpooling decoder's indices would carry the image around any bottleneck
      if (upsampling !== 'transposed') throw new ValueError(`${name}: option codeSize needs convae_t (convae's decoder gets the pooling indices, which carry the image past a bottleneck)`);
      const code = posInt(name, 'codeSize', opts.codeSize, 1);
      const size = posInt(name, 'inputSize', opts.inputSize, 28);
      const k = 2 ** ch.length;
      if (size % k !== 0) throw new ValueError(`${name}: option inputSize must be divisible by ${k} (${ch.length} stages of 2x2 pooling), got ${size}`);
      const map = [ch[ch.length - 1], size / k, size / k] as const;
      this.bottleneck = { map, inputSize: size };
      this.toCode = new Linear(map[0] * map[1] * map[2], code);
      this.fromCode = new Linear(code, map[0] * map[1] * map[2]);
    }
  }

  /** 'convae' or 'convae_t', for error messages. */
  get modelName(): string {
    return this.upsampling === 'unpool' ? 'convae' : 'convae_t';
  }

  /** Throws a ShapeError saying which inputs the model takes unless x is one of them. */
  checkInput(x: Tensor): void {
    const k = 2 ** this.channels.length;
    const [h, w] = x.ndim === 4 ? [x.shape[2], x.shape[3]] : [0, 0];
    const b = this.bottleneck;
    const sizeOk = b ? h === b.inputSize && w === b.inputSize : this.upsampling === 'unpool' ? h >= k && w >= k : h > 0 && w > 0 && h % k === 0 && w % k === 0;
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels || !sizeOk) {
      const sizes = b ? `H = W = ${b.inputSize} (its bottleneck is sized for them)` : this.upsampling === 'unpool' ? `H, W >= ${k}` : `H and W divisible by ${k} (e.g. 28 or 32)`;
      throw new ShapeError(`${this.modelName}: input must be [N, ${this.inChannels}, H, W] with ${sizes} (${this.channels.length} stages of 2x2 pooling), got shape ${fmtShape(x.shape)}`);
    }
  }

  private encodeWithIndices(x: Tensor): { code: Tensor; records: PoolRecord[] } {
    this.checkInput(x);
    const records: PoolRecord[] = [];
    let h = x;
    for (const conv of this.encoder) {
      h = relu((conv as Layer).forward(h));
      const { values, indices } = this.pool.forwardWithIndices(h);
      records.push({ indices, size: [h.shape[2], h.shape[3]] });
      h = values;
    }
    if (this.toCode) h = this.toCode.forward(h.reshape([h.shape[0], -1]));
    return { code: h, records };
  }

  /** The code of x [N, C, H, W]: [N, channels[-1], H / 2^stages, W / 2^stages], or [N, codeSize] with a bottleneck. */
  encode(x: Tensor): Tensor {
    return this.encodeWithIndices(x).code;
  }

  private decode(code: Tensor, records: readonly PoolRecord[]): Tensor {
    let h = code;
    if (this.fromCode && this.bottleneck) h = relu(this.fromCode.forward(h)).reshape([h.shape[0], ...this.bottleneck.map]);
    const n = this.decoder.length;
    for (let j = 0; j < n; j++) {
      const layer = this.decoder.at(j) as Layer;
      if (this.upsampling === 'unpool') {
        const r = records[n - 1 - j];
        h = layer.forward(this.unpool.forward(h, r.indices, r.size));
      } else {
        h = layer.forward(h);
      }
      h = j < n - 1 ? relu(h) : sigmoid(h);
    }
    return h;
  }

  /** Reconstruction and code in one pass. */
  forwardWithCode(x: Tensor): AutoEncoded {
    const { code, records } = this.encodeWithIndices(x);
    return { output: this.decode(code, records), code };
  }

  /** The reconstruction [N, C, H, W] of x. */
  forward(x: Tensor): Tensor {
    return this.forwardWithCode(x).output;
  }

  /** The reconstruction of x without gradients. */
  reconstruct(x: Tensor): Tensor {
    return noGrad(() => this.forward(x));
  }

  /** Channels and upsampling. */
  override extraRepr(): string {
    return `inChannels=${this.inChannels}, channels=[${this.channels.join(', ')}], upsampling=${this.upsampling}${this.toCode ? `, codeSize=${this.toCode.outFeatures}` : ''}`;
  }
}
