/**
 * The EmbeddingBag layer: a learned table of vectors, summed, averaged or max-pooled per bag of indices.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ValueError } from '../errors.js';
import { embeddingBag, type EmbeddingBagMode } from '../ops/embedding-bag.js';
import { fill_ } from '../ops/inplace.js';
import { select } from '../ops/indexing.js';
import { zeros } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { normal_ } from './init.js';
import { checkSize } from './linear.js';
import { Module, Parameter } from './module.js';

/** Options of EmbeddingBag. */
export interface EmbeddingBagLayerOptions {
  /** 'sum', 'mean' (default) or 'max'. */
  mode?: EmbeddingBagMode;
  /** `offsets` passed to forward have B + 1 entries, the last being the input's length (default false). */
  includeLastOffset?: boolean;
  /** Index whose row starts at zero and is left out of every bag, or null. */
  paddingIdx?: number | null;
  /** dtype of the table (default float32). */
  dtype?: DType;
}

/** Bags of int32 indices to [B, embeddingDim] (see `embeddingBag`); weights start N(0, 1), the padding row at zero. */
export class EmbeddingBag extends Module {
  /** The table [numEmbeddings, embeddingDim]. */
  weight: Parameter;
  /** How a bag's rows are combined. */
  readonly mode: EmbeddingBagMode;
  /** Whether offsets end with the input's length. */
  readonly includeLastOffset: boolean;
  /** Index left out of the bags, or null. */
  readonly paddingIdx: number | null;

  /** Creates the table. */
  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, opts: EmbeddingBagLayerOptions = {}) {
    super();
    checkSize('EmbeddingBag', numEmbeddings, 'numEmbeddings');
    checkSize('EmbeddingBag', embeddingDim, 'embeddingDim');
    this.mode = opts.mode ?? 'mean';
    if (this.mode !== 'sum' && this.mode !== 'mean' && this.mode !== 'max') {
      throw new ValueError(`EmbeddingBag: mode must be 'sum', 'mean' or 'max', got ${String(opts.mode)}`);
    }
    this.includeLastOffset = opts.includeLastOffset ?? false;
    if (typeof this.includeLastOffset !== 'boolean') throw new ValueError(`EmbeddingBag: includeLastOffset must be a boolean, got ${String(opts.includeLastOffset)}`);
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings) {
        throw new ValueError(`EmbeddingBag: paddingIdx must be in [${-numEmbeddings}, ${numEmbeddings - 1}], got ${pad}`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    this.weight = new Parameter(zeros([numEmbeddings, embeddingDim], { dtype: opts.dtype }));
    normal_(this.weight);
    if (pad !== null) noGrad(() => fill_(select(this.weight, 0, pad), 0));
  }

  /** Looks up and reduces the bags of `input` (2-D [B, L], or 1-D cut at `offsets`). */
  forward(input: Tensor, offsets: Tensor | null = null, perSampleWeights: Tensor | null = null): Tensor {
    return embeddingBag(input, this.weight, {
      offsets, perSampleWeights, mode: this.mode, includeLastOffset: this.includeLastOffset, paddingIdx: this.paddingIdx,
    });
  }

  /** Sizes, mode and padding index. */
  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}, mode=${this.mode}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ''}`;
  }
}
