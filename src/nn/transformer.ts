/**
 * Transformer layers and stacks, as PyTorch 1.13's nn.TransformerEncoderLayer / DecoderLayer / Encoder / Decoder /
 * Transformer, with its parameter names (self_attn.*, multihead_attn.*, linear1, linear2, norm1..norm3, layers.k.*),
 * post-norm by default and pre-norm with `normFirst`.
 * @module
 */
import { ValueError } from '../errors.js';
import { gelu, relu } from '../ops/activation.js';
import { causalMask } from '../ops/attention.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { MultiheadAttention } from './attention.js';
import { ModuleList } from './containers.js';
import { Dropout } from './dropout.js';
import { xavierUniform_ } from './init.js';
import { Linear, checkSize } from './linear.js';
import { Module } from './module.js';
import { LayerNorm } from './normalization.js';

/** The feed-forward activation: PyTorch's two by name, or any elementwise function. */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

/** Options of the Transformer layers (PyTorch's defaults). */
export interface TransformerLayerOptions {
  /** Hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block, and on the attention weights (default 0.1). */
  dropout?: number;
  /** Feed-forward activation (default 'relu'). */
  activation?: TransformerActivation;
  /** LayerNorm epsilon (default 1e-5). */
  layerNormEps?: number;
  /** Inputs are [N, T, E] instead of [T, N, E] (default false). */
  batchFirst?: boolean;
  /** Pre-norm: normalize before each block instead of after the residual sum (default false). */
  normFirst?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

function activationOf(layer: string, a: TransformerActivation | undefined): (x: Tensor) => Tensor {
  const act = a ?? 'relu';
  if (typeof act === 'function') return act;
  if (act === 'relu') return relu;
  if (act === 'gelu') return (x) => gelu(x);
  throw new ValueError(`${layer}: activation must be 'relu', 'gelu' or a function, got ${JSON.stringify(act)}`);
}

/** The parts both layers share: self-attention, the feed-forward block and their settings. */
abstract class TransformerLayerBase extends Module {
  /** Self-attention over the layer's input. */
  self_attn: MultiheadAttention;
  /** Whether each block normalizes its input (pre-norm) rather than the residual sum. */
  readonly normFirst: boolean;
  protected readonly act: (x: Tensor) => Tensor;

  constructor(name: string, readonly dModel: number, readonly nhead: number, protected readonly opts: TransformerLayerOptions) {
    super();
    checkSize(name, dModel, 'dModel');
    checkSize(name, nhead, 'nhead');
    checkSize(name, opts.dimFeedforward ?? 2048, 'dimFeedforward');
    const p = opts.dropout ?? 0.1;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`${name}: dropout must be in [0, 1], got ${String(opts.dropout)}`);
    this.act = activationOf(name, opts.activation);
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: opts.batchFirst, dtype: opts.dtype });
    this.normFirst = opts.normFirst ?? false;
  }

  /** A fresh layer with the same options and a copy of this one's parameters (PyTorch's stacks deep-copy a layer). */
  clone(): this {
    const Ctor = this.constructor as new (d: number, h: number, o: TransformerLayerOptions) => this;
    const copy = new Ctor(this.dModel, this.nhead, { ...this.opts, dtype: this.self_attn.out_proj.weight.dtype });
    copy.loadStateDict(this.stateDict());
    return copy.train(this.training);
  }

  /** `dModel=…, nhead=…`. */
  override extraRepr(): string {
    return `dModel=${this.dModel}, nhead=${this.nhead}, normFirst=${this.normFirst}`;
  }
}

/** Masks of `TransformerEncoderLayer.forward` (see MultiheadAttention's attnMask and keyPaddingMask). */
export interface EncoderLayerMasks {
  /** [T, T] or [N * nhead, T, T] self-attention mask (bool: true = may not attend; float: added). */
  srcMask?: Tensor | null;
  /** Shape [N, T]: true marks padding positions. */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * One encoder block: self-attention then a feed-forward network (linear1 -> activation -> dropout -> linear2), each
 * with dropout, a residual connection and LayerNorm (norm1, norm2). src [T, N, dModel] ([N, T, dModel] with
 * batchFirst, [T, dModel] unbatched) -> the same shape.
 */
export class TransformerEncoderLayer extends TransformerLayerBase {
  /** First feed-forward projection dModel -> dimFeedforward. */
  linear1: Linear;
  /** Dropout after the feed-forward activation. */
  dropout: Dropout;
  /** Second feed-forward projection dimFeedforward -> dModel. */
  linear2: Linear;
  /** LayerNorm of the self-attention block. */
  norm1: LayerNorm;
  /** LayerNorm of the feed-forward block. */
  norm2: LayerNorm;
  /** Dropout on the self-attention output. */
  dropout1: Dropout;
  /** Dropout on the feed-forward output. */
  dropout2: Dropout;

  /** Creates the layer. */
  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super('TransformerEncoderLayer', dModel, nhead, opts);
    const ff = opts.dimFeedforward ?? 2048;
    const p = opts.dropout ?? 0.1;
    const norm = { eps: opts.layerNormEps ?? 1e-5, dtype: opts.dtype };
    this.linear1 = new Linear(dModel, ff, { dtype: opts.dtype });
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel, { dtype: opts.dtype });
    this.norm1 = new LayerNorm(dModel, norm);
    this.norm2 = new LayerNorm(dModel, norm);
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
  }

  private sa(x: Tensor, m: EncoderLayerMasks): Tensor {
    const [y] = this.self_attn.forward(x, x, x, { attnMask: m.srcMask, keyPaddingMask: m.srcKeyPaddingMask, needWeights: false });
    return this.dropout1.forward(y);
  }

  private ff(x: Tensor): Tensor {
    return this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.act(this.linear1.forward(x)))));
  }

  /** Encodes `src`. */
  forward(src: Tensor, masks: EncoderLayerMasks = {}): Tensor {
    let x = src;
    if (this.normFirst) {
      x = x.add(this.sa(this.norm1.forward(x), masks));
      return x.add(this.ff(this.norm2.forward(x)));
    }
    x = this.norm1.forward(x.add(this.sa(x, masks)));
    return this.norm2.forward(x.add(this.ff(x)));
  }
}

/** Masks of `TransformerDecoderLayer.forward`. */
export interface DecoderLayerMasks {
  /** [T, T] or [N * nhead, T, T] self-attention mask, e.g. `generateSquareSubsequentMask(T)`. */
  tgtMask?: Tensor | null;
  /** [T, S] or [N * nhead, T, S] mask of the attention to the memory. */
  memoryMask?: Tensor | null;
  /** Shape [N, T]: true marks target padding. */
  tgtKeyPaddingMask?: Tensor | null;
  /** Shape [N, S]: true marks memory padding. */
  memoryKeyPaddingMask?: Tensor | null;
}

/**
 * One decoder block: self-attention, attention to the encoder's output (multihead_attn), then the feed-forward
 * network, each with dropout, a residual connection and LayerNorm (norm1..norm3). tgt [T, N, dModel] and memory
 * [S, N, dModel] (batch first or unbatched alike) -> [T, N, dModel].
 */
export class TransformerDecoderLayer extends TransformerLayerBase {
  /** Attention from the target to the memory (the encoder output). */
  multihead_attn: MultiheadAttention;
  /** First feed-forward projection dModel -> dimFeedforward. */
  linear1: Linear;
  /** Dropout after the feed-forward activation. */
  dropout: Dropout;
  /** Second feed-forward projection dimFeedforward -> dModel. */
  linear2: Linear;
  /** LayerNorm of the self-attention block. */
  norm1: LayerNorm;
  /** LayerNorm of the memory-attention block. */
  norm2: LayerNorm;
  /** LayerNorm of the feed-forward block. */
  norm3: LayerNorm;
  /** Dropout on the self-attention output. */
  dropout1: Dropout;
  /** Dropout on the memory-attention output. */
  dropout2: Dropout;
  /** Dropout on the feed-forward output. */
  dropout3: Dropout;

  /** Creates the layer. */
  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super('TransformerDecoderLayer', dModel, nhead, opts);
    const ff = opts.dimFeedforward ?? 2048;
    const p = opts.dropout ?? 0.1;
    const norm = { eps: opts.layerNormEps ?? 1e-5, dtype: opts.dtype };
    this.multihead_attn = new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: opts.batchFirst, dtype: opts.dtype });
    this.linear1 = new Linear(dModel, ff, { dtype: opts.dtype });
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel, { dtype: opts.dtype });
    this.norm1 = new LayerNorm(dModel, norm);
    this.norm2 = new LayerNorm(dModel, norm);
    this.norm3 = new LayerNorm(dModel, norm);
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    this.dropout3 = new Dropout(p);
  }

  private sa(x: Tensor, m: DecoderLayerMasks): Tensor {
    const [y] = this.self_attn.forward(x, x, x, { attnMask: m.tgtMask, keyPaddingMask: m.tgtKeyPaddingMask, needWeights: false });
    return this.dropout1.forward(y);
  }

  private mha(x: Tensor, mem: Tensor, m: DecoderLayerMasks): Tensor {
    const [y] = this.multihead_attn.forward(x, mem, mem, { attnMask: m.memoryMask, keyPaddingMask: m.memoryKeyPaddingMask, needWeights: false });
    return this.dropout2.forward(y);
  }

  private ff(x: Tensor): Tensor {
    return this.dropout3.forward(this.linear2.forward(this.dropout.forward(this.act(this.linear1.forward(x)))));
  }

  /** Decodes `tgt` attending to `memory`. */
  forward(tgt: Tensor, memory: Tensor, masks: DecoderLayerMasks = {}): Tensor {
    let x = tgt;
    if (this.normFirst) {
      x = x.add(this.sa(this.norm1.forward(x), masks));
      x = x.add(this.mha(this.norm2.forward(x), memory, masks));
      return x.add(this.ff(this.norm3.forward(x)));
    }
    x = this.norm1.forward(x.add(this.sa(x, masks)));
    x = this.norm2.forward(x.add(this.mha(x, memory, masks)));
    return this.norm3.forward(x.add(this.ff(x)));
  }
}

/** Masks of `TransformerEncoder.forward`. */
export interface EncoderMasks {
  /** Self-attention mask of every layer. */
  mask?: Tensor | null;
  /** Shape [N, T]: true marks padding. */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * `numLayers` copies of an encoder layer (layers.0, layers.1, ...) and an optional final norm. Padded positions get
 * the values PyTorch's autograd path computes; PyTorch's inference fast path (eval, no grad, nested tensors) writes 0
 * there instead.
 */
export class TransformerEncoder extends Module {
  /** The stacked layers, each a copy of the given one (same starting values, as PyTorch's deepcopy). */
  layers: ModuleList;
  /** Applied to the last layer's output, or null. */
  norm: Module | null;

  /** Stacks `numLayers` copies of `encoderLayer`. */
  constructor(encoderLayer: TransformerEncoderLayer, readonly numLayers: number, opts: { norm?: Module | null } = {}) {
    super();
    if (!(encoderLayer instanceof TransformerEncoderLayer)) throw new ValueError('TransformerEncoder: encoderLayer must be a TransformerEncoderLayer');
    checkSize('TransformerEncoder', numLayers, 'numLayers');
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => encoderLayer.clone()));
    this.norm = opts.norm ?? null;
  }

  /** src [T, N, E] (as the layer's layout) -> the same shape. */
  forward(src: Tensor, masks: EncoderMasks = {}): Tensor {
    let x = src;
    for (const layer of this.layers.children() as TransformerEncoderLayer[]) x = layer.forward(x, { srcMask: masks.mask, srcKeyPaddingMask: masks.srcKeyPaddingMask });
    return this.norm ? (this.norm as LayerNorm).forward(x) : x;
  }
}

/** `numLayers` copies of a decoder layer (layers.0, layers.1, ...) and an optional final norm. */
export class TransformerDecoder extends Module {
  /** The stacked layers, each a copy of the given one. */
  layers: ModuleList;
  /** Applied to the last layer's output, or null. */
  norm: Module | null;

  /** Stacks `numLayers` copies of `decoderLayer`. */
  constructor(decoderLayer: TransformerDecoderLayer, readonly numLayers: number, opts: { norm?: Module | null } = {}) {
    super();
    if (!(decoderLayer instanceof TransformerDecoderLayer)) throw new ValueError('TransformerDecoder: decoderLayer must be a TransformerDecoderLayer');
    checkSize('TransformerDecoder', numLayers, 'numLayers');
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => decoderLayer.clone()));
    this.norm = opts.norm ?? null;
  }

  /** tgt [T, N, E] attending to memory [S, N, E] -> [T, N, E]. */
  forward(tgt: Tensor, memory: Tensor, masks: DecoderLayerMasks = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers.children() as TransformerDecoderLayer[]) x = layer.forward(x, memory, masks);
    return this.norm ? (this.norm as LayerNorm).forward(x) : x;
  }
}

/** Options of `nn.Transformer` (PyTorch's defaults). */
export interface TransformerOptions extends TransformerLayerOptions {
  /** Model width (default 512). */
  dModel?: number;
  /** Attention heads (default 8). */
  nhead?: number;
  /** Encoder layers (default 6). */
  numEncoderLayers?: number;
  /** Decoder layers (default 6). */
  numDecoderLayers?: number;
}

/** Masks of `Transformer.forward`. */
export interface TransformerMasks extends DecoderLayerMasks {
  /** Encoder self-attention mask. */
  srcMask?: Tensor | null;
  /** Shape [N, S]: true marks source padding. */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * The encoder-decoder Transformer (Vaswani et al., 2017): encoder and decoder stacks, each with a final LayerNorm
 * (encoder.norm, decoder.norm), every matrix Xavier-uniform initialized as PyTorch does. forward(src [S, N, E],
 * tgt [T, N, E]) -> [T, N, E] (batch first with `batchFirst`).
 */
export class Transformer extends Module {
  /** The encoder stack, with its final norm. */
  encoder: TransformerEncoder;
  /** The decoder stack, with its final norm. */
  decoder: TransformerDecoder;
  /** Model width. */
  readonly dModel: number;
  /** Attention heads. */
  readonly nhead: number;

  /** Creates the model. */
  constructor(opts: TransformerOptions = {}) {
    super();
    this.dModel = opts.dModel ?? 512;
    this.nhead = opts.nhead ?? 8;
    const norm = () => new LayerNorm(this.dModel, { eps: opts.layerNormEps ?? 1e-5, dtype: opts.dtype });
    this.encoder = new TransformerEncoder(new TransformerEncoderLayer(this.dModel, this.nhead, opts), opts.numEncoderLayers ?? 6, { norm: norm() });
    this.decoder = new TransformerDecoder(new TransformerDecoderLayer(this.dModel, this.nhead, opts), opts.numDecoderLayers ?? 6, { norm: norm() });
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
  }

  /** Encodes `src` and decodes `tgt` against it. */
  forward(src: Tensor, tgt: Tensor, masks: TransformerMasks = {}): Tensor {
    const memory = this.encoder.forward(src, { mask: masks.srcMask, srcKeyPaddingMask: masks.srcKeyPaddingMask });
    return this.decoder.forward(tgt, memory, masks);
  }

  /** The causal mask [sz, sz] (see `generateSquareSubsequentMask`). */
  static generateSquareSubsequentMask(sz: number, opts: { dtype?: DType } = {}): Tensor {
    return generateSquareSubsequentMask(sz, opts);
  }
}

/** A float [sz, sz] mask with -inf above the diagonal and 0 elsewhere: position i may attend to positions 0..i. */
export function generateSquareSubsequentMask(sz: number, opts: { dtype?: DType } = {}): Tensor {
  checkSize('generateSquareSubsequentMask', sz, 'sz');
  return causalMask(sz, sz, opts.dtype ?? 'float32');
}
