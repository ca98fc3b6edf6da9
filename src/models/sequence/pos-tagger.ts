/**
 * Part-of-speech tagging (many-to-many sequence labelling): per token, an embedding of the lower-cased word, of its
 * last three letters (a suffix: '-ing', '-ed', '-ly' carry the tag of words never seen) and of its shape
 * (capitalized, upper-case, digits: proper nouns and numbers), concatenated, read by a bidirectional LSTM over the
 * packed batch (padding skipped), and a linear layer to tag logits for every position, as the BiLSTM taggers of
 * Plank, Søgaard & Goldberg (ACL 2016) with suffix features instead of a character LSTM (cheaper on a CPU).
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { Dropout } from '../../nn/dropout.js';
import { Embedding } from '../../nn/embedding.js';
import { Linear } from '../../nn/linear.js';
import { Module, type Layer } from '../../nn/module.js';
import { LSTM } from '../../nn/recurrent.js';
import { packPaddedSequence, padPackedSequence } from '../../nn/rnn-pack.js';
import { select } from '../../ops/indexing.js';
import { cat } from '../../ops/movement.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkDropout, tokenLengths } from './text-classifier.js';

/** Word shapes, index = shape feature: lower-case or other, Capitalized, UPPER, with a digit. */
export const WORD_SHAPES: readonly string[] = Object.freeze(['lower', 'capitalized', 'upper', 'digit']);

/** The shape feature of a word (an index into WORD_SHAPES). */
export function wordShape(word: string): number {
  if (/\d/.test(word)) return 3;
  if (/^\p{Lu}[\p{Lu}\W]*$/u.test(word) && word.length > 1) return 2;
  if (/^\p{Lu}/u.test(word)) return 1;
  return 0;
}

/** The last `n` characters of the lower-cased word (the whole word when shorter). */
export function wordSuffix(word: string, n = 3): string {
  const chars = Array.from(word.toLowerCase());
  return chars.slice(Math.max(0, chars.length - n)).join('');
}

/** Options of POSTagger. */
export interface POSTaggerOptions {
  /** Number of word indices (default 20000). */
  vocabSize?: number;
  /** Number of tags (default 12, the universal tag set). */
  numClasses?: number;
  /** Number of suffix indices; 0 leaves the suffix feature out (default 2000). */
  suffixVocabSize?: number;
  /** Use the word-shape feature (default true). */
  shape?: boolean;
  /** Word embedding size (default 64). */
  embedDim?: number;
  /** Suffix embedding size (default 16). */
  suffixDim?: number;
  /** Shape embedding size (default 4). */
  shapeDim?: number;
  /** LSTM hidden units per direction (default 64). */
  hiddenSize?: number;
  /** Padding index of the word and suffix channels: it ends a sentence (default 1, Vocab's '<pad>'). */
  paddingIdx?: number;
  /** Dropout on the token features and the LSTM output, in training (default 0). */
  dropout?: number;
}

function positive(name: string, v: number, min = 1): number {
  if (!Number.isInteger(v) || v < min) throw new ValueError(`postagger: option ${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

/**
 * BiLSTM tagger: features [N, L, F] (int32; channel 0 the word index, then the suffix index when suffixVocabSize > 0,
 * then the shape index when shape is on; padded with paddingIdx in the word channel) -> logits [N, L, numClasses].
 * Positions after a sentence's end get the read-out of a zero state; losses must ignore them.
 */
export class POSTagger extends Module implements Layer {
  /** Word embedding. */
  readonly embedding: Embedding;
  /** Suffix embedding, or null. */
  readonly suffixEmbedding: Embedding | null;
  /** Shape embedding, or null. */
  readonly shapeEmbedding: Embedding | null;
  /** The bidirectional LSTM. */
  readonly rnn: LSTM;
  /** Dropout. */
  readonly drop: Dropout;
  /** The read-out to tag logits. */
  readonly fc: Linear;
  /** The options it was built with, defaults filled in. */
  readonly options: Required<POSTaggerOptions>;

  /** Builds the model. */
  constructor(opts: POSTaggerOptions = {}) {
    super();
    const vocabSize = positive('vocabSize', opts.vocabSize ?? 20000);
    const numClasses = positive('numClasses', opts.numClasses ?? 12);
    const suffixVocabSize = positive('suffixVocabSize', opts.suffixVocabSize ?? 2000, 0);
    const shape = opts.shape ?? true;
    if (typeof shape !== 'boolean') throw new ValueError(`postagger: option shape must be a boolean, got ${JSON.stringify(shape)}`);
    const embedDim = positive('embedDim', opts.embedDim ?? 64);
    const suffixDim = positive('suffixDim', opts.suffixDim ?? 16);
    const shapeDim = positive('shapeDim', opts.shapeDim ?? 4);
    const hiddenSize = positive('hiddenSize', opts.hiddenSize ?? 64);
    const paddingIdx = opts.paddingIdx ?? 1;
    const smallest = suffixVocabSize > 0 ? Math.min(vocabSize, suffixVocabSize) : vocabSize;
    if (!Number.isInteger(paddingIdx) || paddingIdx < 0 || paddingIdx >= smallest) throw new ValueError(`postagger: option paddingIdx must be an integer in [0, ${smallest}), got ${paddingIdx}`);
    const dropout = checkDropout('postagger', opts.dropout ?? 0);
    this.options = { vocabSize, numClasses, suffixVocabSize, shape, embedDim, suffixDim, shapeDim, hiddenSize, paddingIdx, dropout };
    this.embedding = new Embedding(vocabSize, embedDim, { paddingIdx });
    this.suffixEmbedding = suffixVocabSize > 0 ? new Embedding(suffixVocabSize, suffixDim, { paddingIdx }) : null;
    this.shapeEmbedding = shape ? new Embedding(WORD_SHAPES.length, shapeDim) : null;
    const width = embedDim + (suffixVocabSize > 0 ? suffixDim : 0) + (shape ? shapeDim : 0);
    this.rnn = new LSTM(width, hiddenSize, { batchFirst: true, bidirectional: true });
    this.drop = new Dropout(dropout);
    this.fc = new Linear(2 * hiddenSize, numClasses);
  }

  /** Feature channels the input must have: 1 + (suffix) + (shape). */
  get numFeatures(): number {
    return 1 + (this.suffixEmbedding ? 1 : 0) + (this.shapeEmbedding ? 1 : 0);
  }

  /** Tag logits [N, L, numClasses] for token features [N, L, F]. */
  forward(x: Tensor): Tensor {
    const F = this.numFeatures;
    if (x.ndim !== 3 || x.shape[2] !== F) throw new ShapeError(`postagger: input must be token features [N, L, ${F}] (int32: word${this.suffixEmbedding ? ', suffix' : ''}${this.shapeEmbedding ? ', shape' : ''}), got shape ${fmtShape(x.shape)}`);
    const words = select(x, 2, 0);
    const lengths = tokenLengths('postagger', words, this.options.paddingIdx);
    const parts = [this.embedding.forward(words)];
    let c = 1;
    if (this.suffixEmbedding) parts.push(this.suffixEmbedding.forward(select(x, 2, c++)));
    if (this.shapeEmbedding) parts.push(this.shapeEmbedding.forward(select(x, 2, c++)));
    const e = this.drop.forward(parts.length === 1 ? parts[0] : cat(parts, 2));
    const [packed] = this.rnn.forwardPacked(packPaddedSequence(e, lengths, { batchFirst: true, enforceSorted: false }));
    const [out] = padPackedSequence(packed, { batchFirst: true, totalLength: x.shape[1] });
    return this.fc.forward(this.drop.forward(out));
  }
}
