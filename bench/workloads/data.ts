/**
 * The data a workload may ask for, loaded lazily (each at most once): MNIST, the char-LM symbols and word2vec's
 * paragraphs, from the files the peers suite wrote when given (so every runner sees the same tokens), else
 * from the packages. Used by the peers child and the profiling scripts.
 * @module
 */
import { loadMnistTrain, type MnistTrain } from './mnist.js';
import type { WorkloadData } from './spec.js';
import { encodeText, readMobyDick, readTokens } from './text.js';
import { mobyDickSentences, readSentences } from './words.js';

/** Lazily loaded workload data; `tokensFile`/`wordsFile` replace the corpus read from the packages. */
export function workloadData(tokensFile?: string, wordsFile?: string): WorkloadData {
  let mnist: MnistTrain | undefined;
  let tokens: Uint8Array | undefined;
  let sentences: string[][] | undefined;
  return {
    mnist: () => (mnist ??= loadMnistTrain()),
    tokens: () => (tokens ??= tokensFile ? readTokens(tokensFile) : encodeText(readMobyDick())),
    sentences: () => (sentences ??= wordsFile ? readSentences(wordsFile) : mobyDickSentences()),
  };
}
