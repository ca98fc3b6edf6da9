/**
 * Datasets, as torch.utils.data: map-style (`length` + `get(i)`) and iterable ones, TensorDataset, Subset,
 * ConcatDataset and randomSplit.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { select } from '../ops/indexing.js';
import { Generator, defaultGenerator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { randomPermutation } from './sampler.js';

/** A map-style dataset: `length` items, item i from `get(i)`. */
export interface Dataset<T> {
  /** Number of items. */
  readonly length: number;
  /** Item `index` (0 <= index < length). */
  get(index: number): T;
}

/** An iterable-style dataset: items come from iterating it (streams, generators). */
export interface IterableDataset<T> {
  /** Yields the items. */
  [Symbol.iterator](): Iterator<T>;
}

/** True when `d` is a map-style dataset. */
export function isMapDataset<T>(d: unknown): d is Dataset<T> {
  return typeof d === 'object' && d !== null && typeof (d as Dataset<T>).get === 'function' && typeof (d as Dataset<T>).length === 'number';
}

/** Throws a ValueError unless `index` is an integer in [0, length). */
export function checkIndex(what: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new ValueError(`${what}: index ${index} is out of range for ${length} items`);
  }
}

/** Items are the i-th slices (along dim 0) of each tensor, e.g. TensorDataset(images, labels). */
export class TensorDataset implements Dataset<Tensor[]> {
  /** The tensors, all with the same size along dim 0. */
  readonly tensors: Tensor[];

  /** Wraps the tensors; their first dims must agree. */
  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new ValueError('TensorDataset: needs at least one tensor');
    const n = tensors[0].shape[0];
    tensors.forEach((t, i) => {
      if (t.ndim === 0 || t.shape[0] !== n) {
        throw new ShapeError(`TensorDataset: every tensor needs the same size in dim 0: tensors[0] has ${n}, tensors[${i}] has shape ${fmtShape(t.shape)}`);
      }
    });
    this.tensors = tensors;
  }

  /** Number of items (size of dim 0). */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /** Slice `index` of every tensor. */
  get(index: number): Tensor[] {
    checkIndex('TensorDataset', index, this.length);
    return this.tensors.map((t) => select(t, 0, index));
  }
}

/** The items of `dataset` at `indices`, in that order. */
export class Subset<T> implements Dataset<T> {
  /** Creates the view; indices are checked against the dataset's length. */
  constructor(readonly dataset: Dataset<T>, readonly indices: readonly number[]) {
    for (const i of indices) checkIndex('Subset', i, dataset.length);
  }

  /** Number of indices. */
  get length(): number {
    return this.indices.length;
  }

  /** Item `indices[index]` of the underlying dataset. */
  get(index: number): T {
    checkIndex('Subset', index, this.indices.length);
    return this.dataset.get(this.indices[index]);
  }
}

/** Several datasets one after another. */
export class ConcatDataset<T> implements Dataset<T> {
  private readonly ends: number[] = [];

  /** Joins the datasets (map-style ones only, as PyTorch). */
  constructor(readonly datasets: readonly Dataset<T>[]) {
    let n = 0;
    for (const [i, d] of datasets.entries()) {
      if (!isMapDataset(d)) throw new ValueError(`ConcatDataset: datasets[${i}] is not a map-style dataset (it needs length and get(i))`);
      n += d.length;
      this.ends.push(n);
    }
  }

  /** Total number of items. */
  get length(): number {
    return this.ends.length ? this.ends[this.ends.length - 1] : 0;
  }

  /** Item `index` counted across the datasets. */
  get(index: number): T {
    checkIndex('ConcatDataset', index, this.length);
    const k = this.ends.findIndex((e) => index < e);
    return this.datasets[k].get(index - (k === 0 ? 0 : this.ends[k - 1]));
  }
}

/**
 * Splits a dataset into non-overlapping random subsets of the given lengths (counts, or fractions summing to
 * 1 with the remainder spread round-robin as PyTorch does), drawn from `generator`.
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], opts: { generator?: Generator } = {}): Subset<T>[] {
  const n = dataset.length;
  let counts = [...lengths];
  // As PyTorch: lengths summing to 1 are fractions (integer counts summing to 1 give the same split either way),
  // even when the dataset happens to have exactly 1 item.
  const isFrac = counts.length > 0 && counts.every((v) => v >= 0 && v <= 1) && Math.abs(counts.reduce((a, b) => a + b, 0) - 1) < 1e-9;
  if (isFrac) {
    counts = counts.map((f) => Math.floor(n * f));
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]++;
  }
  if (counts.some((c) => !Number.isInteger(c) || c < 0) || counts.reduce((a, b) => a + b, 0) !== n) {
    throw new ValueError(`randomSplit: lengths ${JSON.stringify(lengths)} must be counts summing to the dataset's ${n} items, or fractions summing to 1`);
  }
  const g = opts.generator ?? defaultGenerator;
  const perm = randomPermutation(n, g);
  let at = 0;
  return counts.map((c) => {
    const s = new Subset(dataset, perm.slice(at, at + c));
    at += c;
    return s;
  });
}
