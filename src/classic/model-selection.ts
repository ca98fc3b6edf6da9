/**
 * Cross-validation splits as scikit-learn makes them without shuffling: KFold (consecutive blocks, the first
 * n mod k folds one sample larger) and StratifiedKFold (each class dealt over the folds in proportion, in
 * the order of the data), for the CV estimators (RidgeCV, LassoCV, LogisticRegressionCV).
 * @module
 */
import { ValueError } from '../errors.js';
import { checkIntOpt } from './base.js';

/** One train/test split: sample indices, ascending. */
export interface Split {
  /** Indices of the training samples. */
  train: Int32Array;
  /** Indices of the held-out samples. */
  test: Int32Array;
}

function splitsFromFolds(fold: Int32Array, k: number): Split[] {
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < fold.length; i++) (fold[i] === f ? test : train).push(i);
    return { train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}

/** sklearn's KFold(nSplits) without shuffling over n samples: nSplits consecutive test blocks. */
export function kFold(n: number, nSplits: number, where = 'kFold'): Split[] {
  const k = checkIntOpt(where, 'cv', nSplits, 2);
  if (k > n) throw new ValueError(`${where}: cannot make ${k} folds from ${n} samples; lower cv`);
  const fold = new Int32Array(n);
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    fold.fill(f, start, start + size);
    start += size;
  }
  return splitsFromFolds(fold, k);
}

/**
 * sklearn's StratifiedKFold(nSplits) without shuffling for class indices y [n]: classes in order of first
 * appearance, each fold's share of every class from dealing the sorted labels round-robin, and each class's
 * samples assigned to folds in blocks, in data order.
 */
export function stratifiedKFold(y: ArrayLike<number>, nSplits: number, where = 'stratifiedKFold'): Split[] {
  const k = checkIntOpt(where, 'cv', nSplits, 2);
  const n = y.length;
  const order = new Map<number, number>();
  for (let i = 0; i < n; i++) if (!order.has(y[i])) order.set(y[i], order.size);
  const enc = Int32Array.from({ length: n }, (_, i) => order.get(y[i])!);
  const K = order.size;
  const counts = new Int32Array(K);
  for (let i = 0; i < n; i++) counts[enc[i]]++;
  if (counts.every((c) => k > c)) throw new ValueError(`${where}: cv = ${k} folds is more than the number of members of every class (${Array.from(counts).join(', ')})`);
  const sorted = Array.from(enc).sort((a, b) => a - b);
  // allocation[f][c]: how many of class c fold f tests, from sorted[f::k]
  const allocation = Array.from({ length: k }, (_, f) => {
    const a = new Int32Array(K);
    for (let i = f; i < n; i += k) a[sorted[i]]++;
    return a;
  });
  const fold = new Int32Array(n);
  for (let c = 0; c < K; c++) {
    const folds: number[] = [];
    for (let f = 0; f < k; f++) for (let r = 0; r < allocation[f][c]; r++) folds.push(f);
    let p = 0;
    for (let i = 0; i < n; i++) if (enc[i] === c) fold[i] = folds[p++];
  }
  return splitsFromFolds(fold, k);
}

/** The rows `idx` of a row-major matrix with `cols` columns. */
export function takeRows(data: ArrayLike<number>, cols: number, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length * cols);
  for (let r = 0; r < idx.length; r++) for (let j = 0; j < cols; j++) out[r * cols + j] = data[idx[r] * cols + j];
  return out;
}
