/**
 * DataLoader: batches of a dataset in sampler order, stacked by a collate function, as
 * torch.utils.data.DataLoader (single process; iterate it once per epoch).
 * @module
 */
import { ValueError } from '../errors.js';
import { stack } from '../ops/movement.js';
import { tensor } from '../tensor/creation.js';
import type { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { isMapDataset, type Dataset, type IterableDataset } from './dataset.js';
import { RandomSampler, SequentialSampler, type Sampler } from './sampler.js';

/**
 * Default collate, as PyTorch's: tensors are stacked along a new dim 0; numbers become a 1-D tensor (int32 when
 * all are integers, else float32); booleans a bool tensor; arrays/tuples and plain objects are collated
 * position by position / key by key; strings stay arrays.
 */
export function defaultCollate(samples: readonly unknown[]): unknown {
  if (samples.length === 0) throw new ValueError('collate: cannot collate an empty batch');
  const first = samples[0];
  if (first instanceof Tensor) return stack(samples as Tensor[], 0);
  if (typeof first === 'number') {
    const nums = samples as number[];
    return tensor(nums.every(Number.isInteger) ? Int32Array.from(nums) : Float32Array.from(nums));
  }
  if (typeof first === 'boolean') return tensor(samples as boolean[]);
  if (typeof first === 'string') return [...samples];
  if (Array.isArray(first)) {
    const n = first.length;
    for (const s of samples) {
      if (!Array.isArray(s) || s.length !== n) throw new ValueError(`collate: every sample must be an array of length ${n}`);
    }
    return Array.from({ length: n }, (_, i) => defaultCollate(samples.map((s) => (s as unknown[])[i])));
  }
  if (typeof first === 'object' && first !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(first)) out[k] = defaultCollate(samples.map((s) => (s as Record<string, unknown>)[k]));
    return out;
  }
  throw new ValueError(`collate: cannot collate samples of type ${typeof first}; pass a collate function`);
}

/** Options of DataLoader. */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Reshuffle every epoch (default false); uses `generator`. */
  shuffle?: boolean;
  /** Custom index order (exclusive with shuffle). */
  sampler?: Sampler;
  /** Drop the last batch if it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Turns a list of samples into a batch (default: defaultCollate). */
  collate?: (samples: T[]) => B;
  /** Generator for shuffling (default: the global one). */
  generator?: Generator;
}

/** Iterates a dataset in batches. Each `for (const batch of loader)` is one epoch. */
export class DataLoader<T, B = unknown> implements Iterable<B> {
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether a smaller last batch is dropped. */
  readonly dropLast: boolean;
  /** The index order (map-style datasets only). */
  readonly sampler: Sampler | null;
  private readonly collate: (samples: T[]) => B;

  /** Creates the loader. */
  constructor(readonly dataset: Dataset<T> | IterableDataset<T>, opts: DataLoaderOptions<T, B> = {}) {
    this.batchSize = opts.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new ValueError(`DataLoader: batchSize must be a positive integer, got ${opts.batchSize}`);
    this.dropLast = opts.dropLast ?? false;
    this.collate = opts.collate ?? ((s: T[]) => defaultCollate(s) as B);
    if (opts.sampler && opts.shuffle) throw new ValueError('DataLoader: sampler and shuffle cannot both be given');
    if (isMapDataset<T>(dataset)) {
      this.sampler = opts.sampler ?? (opts.shuffle ? new RandomSampler(dataset.length, { generator: opts.generator }) : new SequentialSampler(dataset.length));
    } else {
      if (opts.sampler || opts.shuffle) throw new ValueError('DataLoader: an iterable dataset takes neither sampler nor shuffle');
      if (typeof (dataset as IterableDataset<T>)[Symbol.iterator] !== 'function') throw new ValueError('DataLoader: dataset must have get(i) and length, or be iterable');
      this.sampler = null;
    }
  }

  /** Number of batches per epoch (map-style datasets). */
  get length(): number {
    if (!this.sampler) throw new ValueError('DataLoader: an iterable dataset has no known length');
    const n = this.sampler.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Yields the batches of one epoch. */
  *[Symbol.iterator](): Iterator<B> {
    let buf: T[] = [];
    const items: Iterable<T> = this.sampler ? mapItems(this.dataset as Dataset<T>, this.sampler) : (this.dataset as IterableDataset<T>);
    for (const item of items) {
      buf.push(item);
      if (buf.length === this.batchSize) {
        yield this.collate(buf);
        buf = [];
      }
    }
    if (buf.length > 0 && !this.dropLast) yield this.collate(buf);
  }
}

function* mapItems<T>(d: Dataset<T>, sampler: Sampler): Iterable<T> {
  for (const i of sampler) yield d.get(i);
}
