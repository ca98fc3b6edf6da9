/**
 * PaddedBatches: a loader of variable-length token sequences with labels, for `fitTask`. Each batch is
 * `[inputs, targets]`: inputs int32 [N, L] (one index per token) or [N, L, F] (F features per token), padded with
 * `paddingValue`; targets int32 [N] (one class per sequence) or [N, L] (one tag per token, `targetPadding` after
 * each sequence's end). Shuffled passes group sequences of similar length (BucketBatchSampler), so an RNN over a
 * packed batch wastes little; unshuffled passes keep the data's order.
 * @module
 */
import { ValueError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { BucketBatchSampler } from './batch.js';

/** Options of PaddedBatches. */
export interface PaddedBatchesOptions {
  /** Sequences per batch (default 32). */
  batchSize?: number;
  /** Shuffle (bucketed by length) each pass (default true). */
  shuffle?: boolean;
  /** Sequences sorted together before cutting batches, when shuffling (default 50 * batchSize). */
  bucketSize?: number;
  /** Generator for the shuffling (default the global one). */
  generator?: Generator;
  /** Input value after a sequence's end (default 1, Vocab's '<pad>'). */
  paddingValue?: number;
  /** Per-token target value after a sequence's end (default -100, the tagging task's ignoreIndex). */
  targetPadding?: number;
}

/** A token: one index, or a fixed number of feature indices. */
export type TokenFeatures = number | readonly number[];

/** Batches of padded sequences and their class or per-token targets (see the module doc). */
export class PaddedBatches implements Iterable<[Tensor, Tensor]> {
  /** Sequences per batch. */
  readonly batchSize: number;
  /** Features per token (0: one bare index per token, inputs [N, L]). */
  readonly numFeatures: number;
  private readonly sampler: BucketBatchSampler | null;
  private readonly pad: number;
  private readonly targetPad: number;

  /**
   * `sequences[i]` is sequence i's tokens (indices, or equal-length feature arrays); `targets[i]` is its class
   * index, or an array with one tag per token.
   */
  constructor(readonly sequences: readonly (readonly TokenFeatures[])[], readonly targets: readonly (number | readonly number[])[], opts: PaddedBatchesOptions = {}) {
    const where = 'PaddedBatches';
    if (!Array.isArray(sequences) || sequences.length === 0) throw new ValueError(`${where}: sequences must be a non-empty array, got ${Array.isArray(sequences) ? 'an empty array' : typeof sequences}`);
    if (!Array.isArray(targets) || targets.length !== sequences.length) throw new ValueError(`${where}: targets must have one entry per sequence (${sequences.length}), got ${Array.isArray(targets) ? targets.length : typeof targets}`);
    const first = sequences[0]?.[0];
    this.numFeatures = Array.isArray(first) ? first.length : 0;
    const perToken = Array.isArray(targets[0]);
    sequences.forEach((s, i) => {
      if (!Array.isArray(s) || s.length === 0) throw new ValueError(`${where}: sequences[${i}] must be a non-empty array of tokens, got ${Array.isArray(s) ? 'an empty array' : typeof s}`);
      for (const tok of s) {
        const ok = this.numFeatures === 0 ? Number.isInteger(tok) : Array.isArray(tok) && tok.length === this.numFeatures && tok.every(Number.isInteger);
        if (!ok) throw new ValueError(`${where}: sequences[${i}] has token ${JSON.stringify(tok)}; expected ${this.numFeatures === 0 ? 'an integer index' : `${this.numFeatures} integer features (as the first token)`}`);
      }
      const t = targets[i];
      if (perToken ? !(Array.isArray(t) && t.length === s.length && t.every(Number.isInteger)) : !Number.isInteger(t)) {
        throw new ValueError(`${where}: targets[${i}] must be ${perToken ? `${s.length} integer tags (one per token)` : 'an integer class index'}, got ${JSON.stringify(t)}`);
      }
    });
    const batchSize = opts.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`${where}: batchSize must be a positive integer, got ${batchSize}`);
    this.batchSize = batchSize;
    this.pad = opts.paddingValue ?? 1;
    this.targetPad = opts.targetPadding ?? -100;
    if (!Number.isInteger(this.pad) || !Number.isInteger(this.targetPad)) throw new ValueError(`${where}: paddingValue and targetPadding must be integers, got ${this.pad} and ${this.targetPad}`);
    this.sampler = (opts.shuffle ?? true)
      ? new BucketBatchSampler(sequences.map((s) => s.length), batchSize, { bucketSize: Math.max(batchSize, opts.bucketSize ?? 50 * batchSize), generator: opts.generator })
      : null;
  }

  /** Batches per pass. */
  get length(): number {
    return this.sampler ? this.sampler.length : Math.ceil(this.sequences.length / this.batchSize);
  }

  /** The batch of the given sequence indices: [inputs, targets]. */
  batch(indices: readonly number[]): [Tensor, Tensor] {
    const N = indices.length;
    const L = Math.max(...indices.map((i) => this.sequences[i].length));
    const F = Math.max(1, this.numFeatures);
    const x = new Int32Array(N * L * F).fill(this.pad);
    const perToken = Array.isArray(this.targets[0]);
    const y = new Int32Array(perToken ? N * L : N).fill(this.targetPad);
    indices.forEach((s, n) => {
      const seq = this.sequences[s];
      seq.forEach((tok, t) => {
        if (this.numFeatures === 0) x[n * L + t] = tok as number;
        else for (let f = 0; f < F; f++) x[(n * L + t) * F + f] = (tok as readonly number[])[f];
      });
      const tg = this.targets[s];
      if (perToken) (tg as readonly number[]).forEach((v, t) => { y[n * L + t] = v; });
      else y[n] = tg as number;
    });
    return [
      tensor(x, { dtype: 'int32', shape: this.numFeatures === 0 ? [N, L] : [N, L, F] }),
      tensor(y, { dtype: 'int32', shape: perToken ? [N, L] : [N] }),
    ];
  }

  /** One pass of batches. */
  *[Symbol.iterator](): Iterator<[Tensor, Tensor]> {
    if (this.sampler) {
      for (const b of this.sampler) yield this.batch(b);
      return;
    }
    for (let s = 0; s < this.sequences.length; s += this.batchSize) {
      yield this.batch(Array.from({ length: Math.min(this.batchSize, this.sequences.length - s) }, (_, i) => s + i));
    }
  }
}
