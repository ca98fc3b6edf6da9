/**
 * Samplers: which dataset indices a DataLoader visits and in what order. Random ones draw from a Generator so
 * a seeded run shuffles the same way every time.
 * @module
 */
import { ValueError } from '../errors.js';
import { Generator, defaultGenerator } from '../tensor/random.js';

/** Produces dataset indices for one pass (epoch). */
export interface Sampler {
  /** Number of indices one pass yields. */
  readonly length: number;
  /** The indices of one pass. */
  [Symbol.iterator](): Iterator<number>;
}

/** 0, 1, ..., n - 1 in order. */
export class SequentialSampler implements Sampler {
  /** Creates the sampler for `n` items. */
  constructor(readonly length: number) {}

  /** Yields 0..n-1. */
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield i;
  }
}

/**
 * A fresh random permutation of 0..n-1 each pass. With `replacement`, `numSamples` (default n) independent
 * uniform draws instead; without it, `numSamples` (default n) indices taken from as many fresh permutations as
 * needed, as PyTorch's RandomSampler.
 */
export class RandomSampler implements Sampler {
  /** Number of indices per pass. */
  readonly length: number;

  /** Creates the sampler for `n` items. */
  constructor(readonly n: number, readonly opts: { replacement?: boolean; numSamples?: number; generator?: Generator } = {}) {
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`RandomSampler: n must be a non-negative integer, got ${n}`);
    const k = opts.numSamples ?? n;
    if (!Number.isInteger(k) || k < 0) throw new ValueError(`RandomSampler: numSamples must be a non-negative integer, got ${k}`);
    if (n === 0 && k > 0) throw new ValueError(`RandomSampler: cannot draw ${k} samples from 0 items`);
    this.length = k;
  }

  /** Yields one pass of random indices. */
  *[Symbol.iterator](): Iterator<number> {
    const g = this.opts.generator ?? defaultGenerator;
    if (this.opts.replacement) {
      for (let i = 0; i < this.length; i++) yield g.randint(0, this.n);
      return;
    }
    for (let done = 0; done < this.length; ) {
      const perm = randomPermutation(this.n, g);
      for (let i = 0; i < this.n && done < this.length; i++, done++) yield perm[i];
    }
  }
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates) drawn from `g`. */
export function randomPermutation(n: number, g: Generator): number[] {
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.randint(0, i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return perm;
}

/**
 * `n` items in batches of `batchSize` built by `make(indices)` (the last batch may be shorter), in order or, with
 * `generator`, reshuffled on each pass: an iterable with a length that a training loop walks once per epoch.
 */
export function indexBatches<B>(op: string, n: number, batchSize: number, make: (indices: number[]) => B, generator?: Generator): Iterable<B> & { readonly length: number } {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`${op}: batchSize must be a positive integer, got ${batchSize}`);
  return {
    length: Math.ceil(n / batchSize),
    *[Symbol.iterator]() {
      const order = generator ? randomPermutation(n, generator) : Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < n; i += batchSize) yield make(order.slice(i, i + batchSize));
    },
  };
}

/** A random permutation of the given indices each pass. */
export class SubsetRandomSampler implements Sampler {
  /** Creates the sampler. */
  constructor(readonly indices: readonly number[], readonly opts: { generator?: Generator } = {}) {}

  /** Number of indices. */
  get length(): number {
    return this.indices.length;
  }

  /** Yields the indices in random order. */
  *[Symbol.iterator](): Iterator<number> {
    const order = new RandomSampler(this.indices.length, { generator: this.opts.generator });
    for (const i of order) yield this.indices[i];
  }
}

/**
 * Draws `numSamples` indices with probability proportional to `weights` (with replacement by default), e.g. to
 * balance classes: weight each sample by 1 / (its class's count).
 */
export class WeightedRandomSampler implements Sampler {
  private readonly cdf: Float64Array;

  /** Creates the sampler; weights must be non-negative with a positive sum. */
  constructor(readonly weights: readonly number[], readonly length: number, readonly opts: { replacement?: boolean; generator?: Generator } = {}) {
    if (weights.some((w) => !(w >= 0) || !Number.isFinite(w))) throw new ValueError('WeightedRandomSampler: weights must be finite and non-negative');
    const total = weights.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new ValueError('WeightedRandomSampler: weights must have a positive sum');
    if (!Number.isInteger(length) || length < 0) throw new ValueError(`WeightedRandomSampler: numSamples must be a non-negative integer, got ${length}`);
    const positive = weights.filter((w) => w > 0).length;
    if (opts.replacement === false && length > positive) {
      throw new ValueError(`WeightedRandomSampler: cannot draw ${length} samples without replacement from ${positive} items with nonzero weight`);
    }
    this.cdf = new Float64Array(weights.length);
    let acc = 0;
    weights.forEach((w, i) => (this.cdf[i] = acc += w / total));
    // The rounded sum may end just below 1; pin it at the last positive weight so that u in [cdf, 1) can never
    // land on a trailing zero-weight item.
    let last = weights.length - 1;
    while (weights[last] === 0) last--;
    this.cdf.fill(1, last);
  }

  /** Yields the sampled indices. */
  *[Symbol.iterator](): Iterator<number> {
    const g = this.opts.generator ?? defaultGenerator;
    if (this.opts.replacement === false) {
      // sequential draws, each removing the drawn item (Efraimidis–Spirakis keys give the same distribution)
      const keys = this.weights.map((w, i) => ({ i, k: w > 0 ? Math.log(g.random() || Number.MIN_VALUE) / w : -Infinity }));
      keys.sort((a, b) => b.k - a.k);
      for (let j = 0; j < this.length; j++) yield keys[j].i;
      return;
    }
    for (let j = 0; j < this.length; j++) {
      const u = g.random();
      let lo = 0;
      let hi = this.cdf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.cdf[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      yield lo;
    }
  }
}
