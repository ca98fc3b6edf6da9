/**
 * `text`: tokenizers, vocabularies, batching of variable-length sequences, and word2vec.
 * @module
 */
export { WordTokenizer, CharTokenizer, tokenizeWords, tokenizeChars, type Tokenizer, type WordTokenizerOptions, type CharTokenizerOptions, type PunctuationMode } from './tokenize.js';
export { Vocab, DEFAULT_SPECIALS, countTokens, type VocabOptions, type VocabJSON } from './vocab.js';
export { padBatch, BucketBatchSampler, type PadBatchOptions, type PaddedBatch, type BucketBatchSamplerOptions } from './batch.js';
export { WordVectors, shortestFloat32, type Neighbour, type SimilarityQuery } from './word-vectors.js';
export { Word2Vec, type Word2VecOptions, type Word2VecReport } from './word2vec.js';
export { projectWords, wordProjectionSpec, type WordProjectionOptions } from './word2vec-plot.js';
// CTC decoding (also exported at the top level next to F.ctcLoss)
export { ctcGreedyDecode, ctcBeamSearchDecode, type CtcDecodeOptions, type CtcBeamSearchOptions, type CtcHypothesis } from './ctc-decode.js';
// issue 13: padded batches of token sequences with class or per-token targets (text classification, tagging)
export { PaddedBatches, type PaddedBatchesOptions, type TokenFeatures } from './padded-batches.js';
// issue 13: BLEU for captioning (corpus and sentence BLEU, checked against NLTK)
export { corpusBleu, sentenceBleu, bleuScore, type BleuOptions, type BleuResult, type BleuTokens } from './bleu.js';
