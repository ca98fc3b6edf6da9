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
 * all are integers in int32 range, float64 for larger integers so that none is wrapped, else float32); booleans
 * a bool tensor; typed arrays a [batch, length] tensor of their dtype; arrays/tuples and plain objects are
 * collated position by position / key by key; strings stay arrays. Every sample must have the same structure.
 */
export function defaultCollate(samples: readonly unknown[]): unknown {
  if (samples.length === 0) throw new ValueError('collate: cannot collate an empty batch');
  const first = samples[0];
  const kind = kindOf(first);
  samples.forEach((s, i) => {
    if (kindOf(s) !== kind) throw new ValueError(`collate: sample ${i} is ${kindOf(s)} but sample 0 is ${kind}; every sample in a batch needs the same structure`);
  });
  switch (kind) {
    case 'a tensor':
      return stack(samples as Tensor[], 0);
    case 'a number': {
      const nums = samples as number[];
      if (!nums.every(Number.isInteger)) return tensor(Float32Array.from(nums));
      return tensor(nums.every((v) => v >= -0x80000000 && v <= 0x7fffffff) ? Int32Array.from(nums) : Float64Array.from(nums));
    }
    case 'a boolean':
      return tensor(samples as boolean[]);
    case 'a string':
      return [...samples];
    case 'a typed array':
      return stack((samples as ArrayLike<number>[]).map((s) => tensor(s as Float32Array)), 0);
    case 'an array': {
      const n = (first as unknown[]).length;
      samples.forEach((s, i) => {
        if ((s as unknown[]).length !== n) throw new ValueError(`collate: sample ${i} is an array of length ${(s as unknown[]).length}, sample 0 of length ${n}`);
      });
      return Array.from({ length: n }, (_, j) => defaultCollate(samples.map((s) => (s as unknown[])[j])));
    }
    case 'an object': {
      const keys = Object.keys(first as object);
      const want = [...keys].sort().join(',');
      samples.forEach((s, i) => {
        if ([...Object.keys(s as object)].sort().join(',') !== want) {
          throw new ValueError(`collate: sample ${i} has keys {${Object.keys(s as object).join(', ')}}, sample 0 has {${keys.join(', ')}}`);
        }
      });
      const out: Record<string, unknown> = {};
      for (const k of keys) out[k] = defaultCollate(samples.map((s) => (s as Record<string, unknown>)[k]));
      return out;
    }
    default:
      throw new ValueError(`collate: cannot collate samples that are ${kind}; pass a collate function`);
  }
}

function kindOf(v: unknown): string {
  if (v instanceof Tensor) return 'a tensor';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  if (typeof v === 'string') return 'a string';
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array)) return 'a typed array';
  if (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) return 'an object';
  return typeof v === 'object' ? `an instance of ${(v as object).constructor?.name ?? 'an unknown class'}` : `of type ${typeof v}`;
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

  private readonly source: Dataset<T> | IterableDataset<T>;

  /** Creates the loader; a plain array counts as a map-style dataset (so it can be shuffled), as a list in PyTorch. */
  constructor(readonly dataset: Dataset<T> | IterableDataset<T>, opts: DataLoaderOptions<T, B> = {}) {
    this.batchSize = opts.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new ValueError(`DataLoader: batchSize must be a positive integer, got ${opts.batchSize}`);
    this.dropLast = opts.dropLast ?? false;
    this.collate = opts.collate ?? ((s: T[]) => defaultCollate(s) as B);
    if (opts.sampler && opts.shuffle) throw new ValueError('DataLoader: sampler and shuffle cannot both be given');
    this.source = Array.isArray(dataset) ? { length: dataset.length, get: (i: number) => (dataset as T[])[i] } : dataset;
    const source = this.source;
    if (isMapDataset<T>(source)) {
      this.sampler = opts.sampler ?? (opts.shuffle ? new RandomSampler(source.length, { generator: opts.generator }) : new SequentialSampler(source.length));
    } else {
      if (opts.sampler || opts.shuffle) throw new ValueError('DataLoader: an iterable dataset takes neither sampler nor shuffle');
      if (typeof source !== 'object' || source === null || typeof (source as IterableDataset<T>)[Symbol.iterator] !== 'function') throw new ValueError('DataLoader: dataset must have get(i) and length, or be iterable');
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
    const items: Iterable<T> = this.sampler ? mapItems(this.source as Dataset<T>, this.sampler) : (this.source as IterableDataset<T>);
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
