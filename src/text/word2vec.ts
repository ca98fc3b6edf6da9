/**
 * word2vec (Mikolov et al. 2013) with negative sampling, skip-gram or CBOW, as word2vec.c and gensim's Word2Vec
 * train it, with gensim's defaults: vocabulary of words seen `minCount` times, vectors initialized from
 * U(-1/size, 1/size) and output vectors at zero, subsampling of frequent words (keep probability
 * (sqrt(c / (sample * total)) + 1) * sample * total / c), a reduced window drawn per centre word, negatives drawn
 * from unigram^0.75, and a learning rate decaying linearly from `alpha` to `minAlpha` over all epochs, updated per
 * job of up to 10,000 words. `new Word2Vec(sentences, {vectorSize: 100, sg: true, seed: 1}).wv.mostSimilar('whale')`.
 *
 * The inner loops run in the current backend's native kernel where it has one (src/backend/host-word2vec.ts: the
 * wasm backend's WebAssembly SIMD), else in the plain JavaScript of word2vec-train.ts (the cpu backend). Both draw
 * the same random stream and make the same choices; their float32 rounding differs in the last bits, so the same
 * seed gives the same vectors on the same backend.
 * @module
 */
import { word2vecKernel, type Word2VecJob } from '../backend/host-word2vec.js';
import { getBackend } from '../backend/registry.js';
import { ValueError } from '../errors.js';
import { Generator } from '../tensor/random.js';
import { nowMs } from '../train/platform.js';
import { Vocab } from './vocab.js';
import { WordVectors } from './word-vectors.js';
import { Lcg48, SIGMOID_TABLE, guideTable, trainSentenceCbow, trainSentenceSg, type TrainState } from './word2vec-train.js';

/** Options of Word2Vec (gensim's names in camelCase, gensim's defaults). */
export interface Word2VecOptions {
  /** Dimensions of the word vectors (default 100). */
  vectorSize?: number;
  /** Maximal distance between the centre word and a context word (default 5). */
  window?: number;
  /** Leave out words seen fewer times (default 5). */
  minCount?: number;
  /** Skip-gram (true) or CBOW (default false, as gensim). */
  sg?: boolean;
  /** Negative samples per positive pair (default 5). */
  negative?: number;
  /** Exponent of the negative-sampling distribution (default 0.75). */
  nsExponent?: number;
  /** Subsampling threshold for frequent words (default 1e-3; 0 turns it off). */
  sample?: number;
  /** Initial learning rate (default 0.025). */
  alpha?: number;
  /** Final learning rate (default 0.0001). */
  minAlpha?: number;
  /** Passes over the corpus (default 5). */
  epochs?: number;
  /** CBOW: average the context vectors (default true) or sum them. */
  cbowMean?: boolean;
  /** Seed of the initialization and of the training's generator (default 1, as gensim). */
  seed?: number;
  /** Words per training job (the learning rate is updated between jobs; default 10000, gensim's batch_words). */
  batchWords?: number;
  /** Train in the constructor (default true); false only builds the vocabulary and initializes, for a later `train()`. */
  train?: boolean;
  /** Called after each epoch with its number (from 1) and the words/s so far. */
  onEpoch?: (epoch: number, info: { alpha: number; rawWords: number; effectiveWords: number; seconds: number }) => void;
}

/** What `train` did. */
export interface Word2VecReport {
  /** Corpus words (in the vocabulary or not) processed, all epochs. */
  rawWords: number;
  /** Words kept after the vocabulary cut and subsampling, all epochs. */
  effectiveWords: number;
  /** Wall-clock seconds of training. */
  seconds: number;
  /** rawWords / seconds. */
  wordsPerSecond: number;
}

function num(where: string, name: string, v: unknown, dflt: number, ok: (x: number) => boolean, want: string): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !ok(v)) throw new ValueError(`${where}: ${name} must be ${want}, got ${JSON.stringify(v) ?? String(v)}`);
  return v;
}

const posInt = (x: number) => Number.isInteger(x) && x >= 1;

/** A word2vec model: `vocab` (no specials, by descending count), `wv` (the learned vectors), `syn1neg`. */
export class Word2Vec {
  /** Vector size. */
  readonly vectorSize: number;
  /** Maximal window. */
  readonly window: number;
  /** Minimal count. */
  readonly minCount: number;
  /** Skip-gram (true) or CBOW. */
  readonly sg: boolean;
  /** Negative samples. */
  readonly negative: number;
  /** Negative-sampling exponent. */
  readonly nsExponent: number;
  /** Subsampling threshold. */
  readonly sample: number;
  /** Initial learning rate. */
  readonly alpha: number;
  /** Final learning rate. */
  readonly minAlpha: number;
  /** Epochs. */
  readonly epochs: number;
  /** CBOW mean or sum. */
  readonly cbowMean: boolean;
  /** The seed. */
  readonly seed: number;
  /** Words per job. */
  readonly batchWords: number;
  /** The vocabulary (index = row of the vectors). */
  readonly vocab: Vocab;
  /** The word vectors (syn0). */
  readonly wv: WordVectors;
  /** The output vectors of negative sampling [V * vectorSize]. */
  readonly syn1neg: Float32Array;
  /** The report of the last `train` (null before). */
  lastReport: Word2VecReport | null = null;
  private readonly sentences: readonly (readonly string[])[];
  private readonly onEpoch: Word2VecOptions['onEpoch'];

  /** Builds the vocabulary of `sentences` (token lists; a window never crosses a sentence) and trains. */
  constructor(sentences: readonly (readonly string[])[], opts: Word2VecOptions = {}) {
    const where = 'Word2Vec';
    if (!Array.isArray(sentences) || sentences.some((s) => !Array.isArray(s))) throw new ValueError(`${where}: sentences must be an array of token arrays`);
    this.vectorSize = num(where, 'vectorSize', opts.vectorSize, 100, posInt, 'a positive integer');
    this.window = num(where, 'window', opts.window, 5, posInt, 'a positive integer');
    this.minCount = num(where, 'minCount', opts.minCount, 5, posInt, 'a positive integer');
    this.negative = num(where, 'negative', opts.negative, 5, posInt, 'a positive integer');
    this.nsExponent = num(where, 'nsExponent', opts.nsExponent, 0.75, Number.isFinite, 'a finite number');
    this.sample = num(where, 'sample', opts.sample, 1e-3, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
    this.alpha = num(where, 'alpha', opts.alpha, 0.025, (x) => x > 0 && Number.isFinite(x), 'a positive number');
    this.minAlpha = num(where, 'minAlpha', opts.minAlpha, 0.0001, (x) => x >= 0 && x <= this.alpha, `a number in [0, alpha = ${this.alpha}]`);
    this.epochs = num(where, 'epochs', opts.epochs, 5, posInt, 'a positive integer');
    this.seed = num(where, 'seed', opts.seed, 1, (x) => Number.isInteger(x) && x >= 0, 'a non-negative integer');
    this.batchWords = num(where, 'batchWords', opts.batchWords, 10000, posInt, 'a positive integer');
    if (opts.sg !== undefined && typeof opts.sg !== 'boolean') throw new ValueError(`${where}: sg must be a boolean, got ${JSON.stringify(opts.sg)}`);
    if (opts.cbowMean !== undefined && typeof opts.cbowMean !== 'boolean') throw new ValueError(`${where}: cbowMean must be a boolean, got ${JSON.stringify(opts.cbowMean)}`);
    this.sg = opts.sg ?? false;
    this.cbowMean = opts.cbowMean ?? true;
    this.onEpoch = opts.onEpoch;
    this.sentences = sentences;
    this.vocab = Vocab.build(sentences, { minCount: this.minCount, specials: [], unkToken: null });
    if (this.vocab.length === 0) throw new ValueError(`${where}: no word occurs minCount = ${this.minCount} times; the vocabulary is empty`);
    const V = this.vocab.length;
    const n = this.vectorSize;
    const g = new Generator(this.seed);
    const syn0 = new Float32Array(V * n);
    for (let i = 0; i < syn0.length; i++) syn0[i] = (g.random() * 2 - 1) / n;
    this.wv = new WordVectors(this.vocab.tokens, syn0, n);
    this.syn1neg = new Float32Array(V * n);
    if (opts.train !== undefined && typeof opts.train !== 'boolean') throw new ValueError(`${where}: train must be a boolean, got ${JSON.stringify(opts.train)}`);
    if (opts.train ?? true) this.train();
  }

  /** The cumulative unigram^nsExponent table over [0, 2^31 - 1] (gensim's make_cum_table). */
  private cumTable(): Uint32Array {
    const domain = 2 ** 31 - 1;
    const counts = this.vocab.counts;
    let total = 0;
    for (const c of counts) total += c ** this.nsExponent;
    const t = new Uint32Array(counts.length);
    let acc = 0;
    counts.forEach((c, i) => (t[i] = Math.round(((acc += c ** this.nsExponent) / total) * domain)));
    return t;
  }

  /** Per word, the subsampling keep threshold as a 32-bit integer (gensim's sample_int). */
  private sampleInts(): Float64Array {
    const counts = this.vocab.counts;
    const total = counts.reduce((a, b) => a + b, 0);
    const threshold = this.sample * total;
    return Float64Array.from(counts, (c) => {
      const p = this.sample === 0 ? 1 : Math.min(1, (Math.sqrt(c / threshold) + 1) * (threshold / c));
      return Math.floor(p * (2 ** 32 - 1));
    });
  }

  /** Runs `epochs` passes over the corpus (unless told `train: false`, the constructor ran them once; calling again trains further). */
  train(): Word2VecReport {
    const g = new Generator(this.seed + 0x9e3779b9);
    const sentences = this.sentences.map((s) => {
      const ids: number[] = [];
      for (const w of s) if (this.vocab.has(w)) ids.push(this.vocab.indexOf(w));
      return ids;
    });
    const flat = new Int32Array(sentences.reduce((a, s) => a + s.length, 0));
    const starts = new Int32Array(sentences.length + 1);
    sentences.forEach((s, i) => {
      flat.set(s, starts[i]);
      starts[i + 1] = starts[i] + s.length;
    });
    const cumTable = this.cumTable();
    const longest = sentences.reduce((m, s) => Math.max(m, s.length), 0);
    const s: TrainState = {
      syn0: this.wv.vectors, syn1neg: this.syn1neg, size: this.vectorSize, window: this.window, negative: this.negative,
      cumTable, guide: guideTable(cumTable), sampleInt: this.sampleInts(), sample: this.sample > 0,
      rng: new Lcg48(g.randint(0, 2 ** 24), g.randint(0, 2 ** 24)),
      work: new Float32Array(this.vectorSize), neu1: new Float32Array(this.vectorSize), kept: new Int32Array(longest), rows: new Int32Array(this.negative + 1),
    };
    const native = word2vecKernel(getBackend().name);
    // the same generator object: an epoch the native runner declines goes on with the stream where it left it
    const nativeState = { ...s, sigmoid: SIGMOID_TABLE, sg: this.sg, cbowMean: this.cbowMean, words: flat, starts, longest };
    const t0 = nowMs();
    let raw = 0;
    let effective = 0;
    let alpha = this.alpha;
    for (let epoch = 0; epoch < this.epochs; epoch++) {
      const jobs = this.jobs(epoch);
      for (const sentence of this.sentences) raw += sentence.length;
      let kept = native ? native(nativeState, jobs) : null;
      if (kept === null) {
        kept = 0;
        for (const job of jobs) {
          for (let i = job.first; i < job.last; i++) {
            kept += this.sg
              ? trainSentenceSg(s, flat, starts[i], starts[i + 1], job.alpha)
              : trainSentenceCbow(s, flat, starts[i], starts[i + 1], job.alpha, this.cbowMean);
          }
        }
      }
      effective += kept;
      alpha = jobs.length > 0 ? jobs[jobs.length - 1].alpha : this.nextAlpha(epoch, 0);
      this.onEpoch?.(epoch + 1, { alpha, rawWords: raw, effectiveWords: effective, seconds: (nowMs() - t0) / 1000 });
    }
    this.wv.invalidate();
    const seconds = (nowMs() - t0) / 1000;
    this.lastReport = { rawWords: raw, effectiveWords: effective, seconds, wordsPerSecond: raw / seconds };
    return this.lastReport;
  }

  /**
   * gensim's job producer: sentences are grouped into jobs of at most batchWords raw words (a longer sentence is
   * a job of its own); each job's rate follows the fraction of the epoch's sentences handed out before it.
   */
  private jobs(epoch: number): Word2VecJob[] {
    const jobs: Word2VecJob[] = [];
    const total = this.sentences.length;
    let first = 0;
    let jobWords = 0;
    let alpha = this.nextAlpha(epoch, 0);
    for (let i = 0; i < total; i++) {
      const len = this.sentences[i].length;
      if (jobWords > 0 && jobWords + len > this.batchWords) {
        jobs.push({ first, last: i, alpha });
        alpha = this.nextAlpha(epoch, i / total);
        first = i;
        jobWords = 0;
      }
      jobWords += len;
    }
    if (first < total) jobs.push({ first, last: total, alpha });
    return jobs;
  }

  private nextAlpha(epoch: number, progress: number): number {
    const p = (epoch + progress) / this.epochs;
    return Math.max(this.minAlpha, this.alpha - (this.alpha - this.minAlpha) * p);
  }
}
