/**
 * The Embedding layer: a learned table of vectors looked up by int32 index.
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ValueError } from '../errors.js';
import { embedding } from '../ops/embedding.js';
import { fill_ } from '../ops/inplace.js';
import { select } from '../ops/indexing.js';
import { zeros } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { normal_ } from './init.js';
import { checkSize } from './linear.js';
import { Module, Parameter, type Layer } from './module.js';

/** Maps int32 indices [...] to vectors [..., embeddingDim]; weights start N(0, 1), the padding row at zero. */
export class Embedding extends Module implements Layer {
  /** The table [numEmbeddings, embeddingDim]. */
  weight: Parameter;
  /** Index whose row stays zero and gets no gradient, or null. */
  readonly paddingIdx: number | null;

  /** Creates the table. */
  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, opts: { paddingIdx?: number | null; dtype?: DType } = {}) {
    super();
    checkSize('Embedding', numEmbeddings, 'numEmbeddings');
    checkSize('Embedding', embeddingDim, 'embeddingDim');
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings) {
        throw new ValueError(`Embedding: paddingIdx must be in [${-numEmbeddings}, ${numEmbeddings - 1}], got ${pad}`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    this.weight = new Parameter(zeros([numEmbeddings, embeddingDim], { dtype: opts.dtype }));
    normal_(this.weight);
    if (pad !== null) noGrad(() => fill_(select(this.weight, 0, pad), 0));
  }

  /** Looks up the rows. */
  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx });
  }

  /** Sizes and padding index. */
  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ''}`;
  }
}
