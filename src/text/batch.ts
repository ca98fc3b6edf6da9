/**
 * Batching variable-length token sequences: `padBatch` pads lists of token indices into one int32 tensor with
 * their lengths (what `nn.utils.rnn.packPaddedSequence` takes next), and `BucketBatchSampler` groups sequences of
 * similar length into batches so that little of each batch is padding.
 * @module
 */
import { ValueError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Generator, defaultGenerator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { randomPermutation } from '../data/sampler.js';

/** Options of padBatch. */
export interface PadBatchOptions {
  /** Index written after the end of each shorter sequence (default 0; pass `vocab.indexOf('<pad>')`). */
  paddingValue?: number;
  /** Shape [N, L] (default true) or, false, [L, N] as PyTorch's RNNs take without batchFirst. */
  batchFirst?: boolean;
  /** Pad to this length instead of the longest sequence's (must be at least that long). */
  totalLength?: number;
}

/** A padded batch: `data` int32 [N, L] (or [L, N]) and each sequence's length. */
export interface PaddedBatch {
  /** The token indices, padded. */
  data: Tensor;
  /** Length of each sequence, in batch order. */
  lengths: number[];
}

/** Pads N sequences of token indices (lengths may differ) into `data` int32 [N, maxLen] and their `lengths`. */
export function padBatch(seqs: readonly (readonly number[] | ArrayLike<number>)[], opts: PadBatchOptions = {}): PaddedBatch {
  const where = 'padBatch';
  if (!Array.isArray(seqs) || seqs.length === 0) throw new ValueError(`${where}: seqs must be a non-empty array of index sequences, got ${Array.isArray(seqs) ? 'an empty array' : typeof seqs}`);
  const lengths = seqs.map((s, i) => {
    if (s === null || typeof s !== 'object' || typeof (s as ArrayLike<number>).length !== 'number') throw new ValueError(`${where}: seqs[${i}] must be an array of indices, got ${s === null ? 'null' : typeof s}`);
    return s.length;
  });
  const longest = Math.max(...lengths);
  const L = opts.totalLength ?? longest;
  if (!Number.isInteger(L) || L < longest) throw new ValueError(`${where}: totalLength must be an integer >= the longest sequence's length ${longest}, got ${L}`);
  const pad = opts.paddingValue ?? 0;
  if (!Number.isInteger(pad)) throw new ValueError(`${where}: paddingValue must be an integer, got ${pad}`);
  const batchFirst = opts.batchFirst ?? true;
  const N = seqs.length;
  const out = new Int32Array(N * L).fill(pad);
  seqs.forEach((s, n) => {
    for (let t = 0; t < s.length; t++) {
      const v = s[t];
      if (!Number.isInteger(v)) throw new ValueError(`${where}: seqs[${n}][${t}] must be an integer index, got ${v}`);
      out[batchFirst ? n * L + t : t * N + n] = v;
    }
  });
  return { data: tensor(out, { dtype: 'int32', shape: batchFirst ? [N, L] : [L, N] }), lengths };
}

/** Options of BucketBatchSampler. */
export interface BucketBatchSamplerOptions {
  /** Sequences sorted together into one bucket before it is cut into batches (default 100 * batchSize). */
  bucketSize?: number;
  /** Shuffle each pass (default true): the order of the items before bucketing, and of the batches. */
  shuffle?: boolean;
  /** Drop a bucket's last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Generator for the shuffling (default: the global one; seed it for a reproducible order). */
  generator?: Generator;
}

/**
 * Batches of indices of sequences with similar lengths: each pass takes the items in a (shuffled) order, sorts
 * every run of `bucketSize` of them by length, cuts each run into batches of `batchSize`, and shuffles the
 * batches. Every index appears in exactly one batch (unless dropLast). Iterate it for one epoch's batches.
 */
export class BucketBatchSampler implements Iterable<number[]> {
  /** Sequences per batch. */
  readonly batchSize: number;
  /** Sequences per bucket. */
  readonly bucketSize: number;
  /** Whether each pass is shuffled. */
  readonly shuffle: boolean;
  /** Whether short batches are dropped. */
  readonly dropLast: boolean;
  private readonly lengths: readonly number[];
  private readonly generator: Generator | undefined;

  /** Creates the sampler for sequences of the given `lengths`. */
  constructor(lengths: readonly number[], batchSize: number, opts: BucketBatchSamplerOptions = {}) {
    const where = 'BucketBatchSampler';
    if (!Array.isArray(lengths) || lengths.some((l) => !Number.isInteger(l) || l < 0)) throw new ValueError(`${where}: lengths must be an array of non-negative integers`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`${where}: batchSize must be a positive integer, got ${batchSize}`);
    const bucket = opts.bucketSize ?? 100 * batchSize;
    if (!Number.isInteger(bucket) || bucket < batchSize) throw new ValueError(`${where}: bucketSize must be an integer >= batchSize (${batchSize}), got ${bucket}`);
    this.lengths = lengths.slice();
    this.batchSize = batchSize;
    this.bucketSize = bucket;
    this.shuffle = opts.shuffle ?? true;
    this.dropLast = opts.dropLast ?? false;
    this.generator = opts.generator;
  }

  /** Number of batches per pass. */
  get length(): number {
    let n = 0;
    for (let s = 0; s < this.lengths.length; s += this.bucketSize) {
      const m = Math.min(this.bucketSize, this.lengths.length - s);
      n += this.dropLast ? Math.floor(m / this.batchSize) : Math.ceil(m / this.batchSize);
    }
    return n;
  }

  /** Yields one pass of batches (arrays of sequence indices). */
  *[Symbol.iterator](): Iterator<number[]> {
    const g = this.generator ?? defaultGenerator;
    const n = this.lengths.length;
    const order = this.shuffle ? randomPermutation(n, g) : Array.from({ length: n }, (_, i) => i);
    const batches: number[][] = [];
    for (let s = 0; s < n; s += this.bucketSize) {
      // stable sort by length; shuffled input order breaks ties at random
      const bucket = order.slice(s, s + this.bucketSize).sort((a, b) => this.lengths[a] - this.lengths[b]);
      for (let b = 0; b < bucket.length; b += this.batchSize) {
        const batch = bucket.slice(b, b + this.batchSize);
        if (batch.length === this.batchSize || !this.dropLast) batches.push(batch);
      }
    }
    const perm = this.shuffle ? randomPermutation(batches.length, g) : batches.map((_, i) => i);
    for (const i of perm) yield batches[i];
  }
}
