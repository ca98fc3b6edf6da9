/**
 * Text classification (many-to-one): token indices padded into [N, L] -> an embedding of each token -> one vector
 * per text -> class logits. Two encoders: 'bag', the mean of the token embeddings (an embedding bag, as fastText
 * (Joulin et al. 2017) without n-grams: linear in the length, so it reads whole e-mails cheaply and is a strong
 * baseline on topic-like tasks such as spam), and 'bilstm', a bidirectional LSTM run over the packed batch (padding
 * skipped) whose last forward and backward states are concatenated (word order and negation matter in sentiment).
 * Lengths are read from the input: a row's tokens are the entries before its first padding index.
 * @module
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { DTypeError, ShapeError, ValueError, fmtShape, assertNever } from '../../errors.js';
import { Dropout } from '../../nn/dropout.js';
import { Embedding } from '../../nn/embedding.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { LSTM } from '../../nn/recurrent.js';
import { packPaddedSequence } from '../../nn/rnn-pack.js';
import { div, mul } from '../../ops/elementwise.js';
import { copy_ } from '../../ops/inplace.js';
import { select } from '../../ops/indexing.js';
import { cat } from '../../ops/movement.js';
import { sum } from '../../ops/reduce.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/** How a TextClassifier turns token embeddings into one vector. */
export type TextEncoderName = 'bag' | 'bilstm';

/** The encoders a TextClassifier can use. */
export const TEXT_ENCODERS: readonly TextEncoderName[] = ['bag', 'bilstm'];

/** Options of TextClassifier. */
export interface TextClassifierOptions {
  /** Number of token indices (default 20000). */
  vocabSize?: number;
  /** Number of classes (default 2). */
  numClasses?: number;
  /** 'bag' (default) or 'bilstm'. */
  encoder?: TextEncoderName;
  /** Embedding size (default 64). */
  embedDim?: number;
  /** LSTM hidden units per direction ('bilstm' only; default 64). */
  hiddenSize?: number;
  /** The padding index: its embedding row stays zero and it ends a row's tokens (default 1, Vocab's '<pad>'). */
  paddingIdx?: number;
  /** Dropout on the text vector before the classifier, in training (default 0). */
  dropout?: number;
}

function positive(where: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${where}: option ${name} must be a positive integer, got ${v}`);
  return v;
}

/** Checks a dropout probability. */
export function checkDropout(where: string, p: number): number {
  if (!(typeof p === 'number' && p >= 0 && p < 1)) throw new ValueError(`${where}: option dropout must be in [0, 1), got ${p}`);
  return p;
}

/**
 * The length of each row of padded token indices [N, L] (int32): the count of entries before the first `paddingIdx`.
 * A row that starts with padding (no tokens) is a ValueError naming the row.
 */
export function tokenLengths(where: string, ids: Tensor, paddingIdx: number): number[] {
  if (ids.ndim !== 2) throw new ShapeError(`${where}: input must be token indices [N, L] (int32), got shape ${fmtShape(ids.shape)}`);
  if (ids.dtype !== 'int32') throw new DTypeError(`${where}: input must be int32 token indices, got dtype ${ids.dtype}`);
  const [N, L] = ids.shape;
  const data = ids.toTypedArray() as Int32Array;
  const lengths = new Array<number>(N);
  for (let n = 0; n < N; n++) {
    let l = 0;
    while (l < L && data[n * L + l] !== paddingIdx) l++;
    if (l === 0) throw new ValueError(`${where}: row ${n} of the input has no tokens (it starts with the padding index ${paddingIdx})`);
    lengths[n] = l;
  }
  return lengths;
}

/**
 * Text classifier: token indices [N, L] (int32, padded with paddingIdx) -> embedding [N, L, E] -> text vector
 * ([N, E] for 'bag', [N, 2H] for 'bilstm') -> logits [N, numClasses]. Parameter names: `embedding.weight`,
 * `rnn.*` ('bilstm'), `fc.weight` / `fc.bias`.
 */
export class TextClassifier extends Module implements Layer {
  /** The token embedding [vocabSize, embedDim]. */
  readonly embedding: Embedding;
  /** The bidirectional LSTM ('bilstm'), else null. */
  readonly rnn: LSTM | null;
  /** Dropout before the classifier. */
  readonly drop: Dropout;
  /** The classifier. */
  readonly fc: Linear;
  /** The options it was built with, defaults filled in. */
  readonly options: Required<TextClassifierOptions>;

  /** Builds the model. */
  constructor(opts: TextClassifierOptions = {}) {
    super();
    const where = 'textclassifier';
    const vocabSize = positive(where, 'vocabSize', opts.vocabSize ?? 20000);
    const numClasses = positive(where, 'numClasses', opts.numClasses ?? 2);
    const encoder = opts.encoder ?? 'bag';
    if (!TEXT_ENCODERS.includes(encoder)) throw new ValueError(`${where}: option encoder must be one of ${TEXT_ENCODERS.join(', ')}, got '${String(encoder)}'`);
    const embedDim = positive(where, 'embedDim', opts.embedDim ?? 64);
    const hiddenSize = positive(where, 'hiddenSize', opts.hiddenSize ?? 64);
    const paddingIdx = opts.paddingIdx ?? 1;
    if (!Number.isInteger(paddingIdx) || paddingIdx < 0 || paddingIdx >= vocabSize) throw new ValueError(`${where}: option paddingIdx must be an integer in [0, ${vocabSize}), got ${paddingIdx}`);
    const dropout = checkDropout(where, opts.dropout ?? 0);
    this.options = { vocabSize, numClasses, encoder, embedDim, hiddenSize, paddingIdx, dropout };
    this.embedding = new Embedding(vocabSize, embedDim, { paddingIdx });
    let width: number;
    switch (encoder) {
      case 'bag':
        this.rnn = null;
        width = embedDim;
        break;
      case 'bilstm':
        this.rnn = new LSTM(embedDim, hiddenSize, { batchFirst: true, bidirectional: true });
        width = 2 * hiddenSize;
        break;
      default:
        assertNever(encoder, 'text encoder');
    }
    this.drop = new Dropout(dropout);
    this.fc = new Linear(width, numClasses);
  }

  /** The text vectors [N, E] ('bag') or [N, 2H] ('bilstm') of token indices [N, L]. */
  encode(ids: Tensor): Tensor {
    const lengths = tokenLengths('textclassifier', ids, this.options.paddingIdx);
    const e = this.embedding.forward(ids);
    if (this.rnn === null) {
      // the padding rows of the embedding are zero, so the sum runs over the tokens only
      return div(sum(e, 1), tensor(lengths, { dtype: e.dtype, shape: [lengths.length, 1] }));
    }
    const [, [h]] = this.rnn.forwardPacked(packPaddedSequence(e, lengths, { batchFirst: true, enforceSorted: false }));
    return cat([select(h, 0, 0), select(h, 0, 1)], 1);
  }

  /** Logits [N, numClasses] for token indices [N, L]. */
  forward(ids: Tensor): Tensor {
    return this.fc.forward(this.drop.forward(this.encode(ids)));
  }

  /**
   * Replaces the embedding table with `weights` [vocabSize, embedDim] (e.g. word2vec vectors, row i for token i);
   * the padding row is set to zero. `freeze` keeps the table fixed during training (default false: fine-tuned).
   */
  loadEmbeddings(weights: Tensor, opts: { freeze?: boolean } = {}): void {
    const want = [this.options.vocabSize, this.options.embedDim];
    if (weights.ndim !== 2 || weights.shape[0] !== want[0] || weights.shape[1] !== want[1]) throw new ShapeError(`textclassifier.loadEmbeddings: weights must have shape ${fmtShape(want)}, got ${fmtShape(weights.shape)}`);
    noGrad(() => {
      copy_(this.embedding.weight, weights);
      copy_(select(this.embedding.weight, 0, this.options.paddingIdx), mul(select(weights, 0, 0), 0));
    });
    this.embedding.weight.requiresGrad = !(opts.freeze ?? false);
  }
}
