/**
 * word2vec's training (src/text/word2vec.ts) can run its inner loops in a backend's native kernels: a backend that
 * has them registers an epoch runner here under its name when it loads (the wasm backend does), and the trainer
 * asks for the current backend's. Unlike the float64 kernels of host-f64-kernels.ts, a runner need not give the
 * same bits as the JavaScript loops of src/text/word2vec-train.ts — only the same random stream and choices
 * (the words kept, the windows, the negative rows) with its own float32 rounding — so it is tied to a backend,
 * and the same seed on the same backend still gives the same vectors.
 * @module
 */

/** Everything an epoch of word2vec training reads and writes (the fields of word2vec-train.ts's TrainState). */
export interface Word2VecEpochState {
  /** Input vectors [V * size], updated in place. */
  syn0: Float32Array;
  /** Output vectors of negative sampling [V * size], updated in place. */
  syn1neg: Float32Array;
  /** Vector size. */
  size: number;
  /** Maximal window. */
  window: number;
  /** Negative samples per positive pair. */
  negative: number;
  /** Cumulative unigram^0.75 table [V], scaled to [0, 2^31 - 1]. */
  cumTable: Uint32Array;
  /** Its guide table (word2vec-train.ts's guideTable). */
  guide: Int32Array;
  /** Per word, the subsampling keep threshold, an integer in [0, 2^32 - 1]. */
  sampleInt: Float64Array;
  /** Whether subsampling is on. */
  sample: boolean;
  /** The sigmoid table (1000 entries over [-6, 6]). */
  sigmoid: Float32Array;
  /** Skip-gram (true) or CBOW. */
  sg: boolean;
  /** CBOW: mean (true) or sum of the context vectors. */
  cbowMean: boolean;
  /** The corpus as vocabulary indices, sentence after sentence. */
  words: Int32Array;
  /** Sentence s is words[starts[s] : starts[s + 1]]. */
  starts: Int32Array;
  /** Length of the longest sentence. */
  longest: number;
  /** The 48-bit generator's state hi * 2^24 + lo, read at the start and advanced. */
  rng: { hi: number; lo: number };
}

/** A run of sentences [first, last) trained at one learning rate. */
export interface Word2VecJob {
  /** First sentence. */
  first: number;
  /** One past the last sentence. */
  last: number;
  /** Learning rate. */
  alpha: number;
}

/**
 * Trains the jobs of one epoch in order, updating syn0, syn1neg and rng in place; returns the words kept after
 * subsampling, or null, before changing anything, when it cannot run (the operands do not fit its memory) and
 * the caller should use the JavaScript loops instead.
 */
export type Word2VecEpochKernel = (s: Word2VecEpochState, jobs: readonly Word2VecJob[]) => number | null;

const registered = new Map<string, Word2VecEpochKernel>();

/** Registers (or, with null, removes) the epoch runner of the backend called `backend`. */
export function registerWord2VecKernel(backend: string, fn: Word2VecEpochKernel | null): void {
  if (fn) registered.set(backend, fn);
  else registered.delete(backend);
}

/** The epoch runner of the backend called `backend`, or null when it has none. */
export function word2vecKernel(backend: string): Word2VecEpochKernel | null {
  return registered.get(backend) ?? null;
}
