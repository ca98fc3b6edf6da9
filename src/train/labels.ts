/**
 * `checkLabels`: refuses class labels outside [0, numClasses) before training starts, reading them cheaply from
 * in-memory datasets.
 * @module
 */
import { DataLoader } from '../data/dataloader.js';
import { ConcatDataset, Subset, TensorDataset, isMapDataset } from '../data/dataset.js';
import { DataError, ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';

/** A short description of a value for error messages: `a Tensor of shape [2, 3]`, `an array of 2`, `null`, `number`. */
export function describe(v: unknown): string {
  if (v instanceof Tensor) return `a Tensor of shape [${v.shape.join(', ')}]`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return v === null ? 'null' : typeof v;
}

/** Options of `checkLabels`. */
export interface CheckLabelsOptions {
  /** Position of the label in each item `[input, label]` (default 1). */
  labelIndex?: number;
}

type LabelSource = { values: ArrayLike<number>; index: (i: number) => number };

function labelOfItem(item: unknown, labelIndex: number): ArrayLike<number> | null {
  let v: unknown = item;
  if (Array.isArray(item)) v = item[labelIndex];
  else if (item !== null && typeof item === 'object' && !(item instanceof Tensor)) {
    const o = item as Record<string, unknown>;
    v = o.target ?? o.label ?? o.y;
  }
  if (typeof v === 'number') return [v];
  if (v instanceof Tensor) return v.toTypedArray();
  return null;
}

function fastLabels(ds: unknown, labelIndex: number): LabelSource | null {
  if (ds instanceof TensorDataset) {
    const t = ds.tensors[labelIndex];
    if (!t) return null;
    const per = t.shape.slice(1).reduce((a, b) => a * b, 1);
    return { values: t.toTypedArray(), index: (i) => Math.floor(i / per) };
  }
  if (ds instanceof Subset) {
    const inner = fastLabels(ds.dataset, labelIndex);
    if (!inner || inner.values.length !== ds.dataset.length) return null;
    return { values: ds.indices.map((i) => inner.values[i]), index: (i) => i };
  }
  if (ds instanceof ConcatDataset) {
    const parts = ds.datasets.map((d) => fastLabels(d, labelIndex));
    if (parts.some((p, k) => !p || p.values.length !== ds.datasets[k].length)) return null;
    const values = parts.flatMap((p) => Array.from((p as LabelSource).values));
    return { values, index: (i) => i };
  }
  if (isMapDataset(ds)) {
    const o = ds as unknown as Record<string, unknown>;
    for (const key of ['targets', 'labels']) {
      // a property, or a method without arguments (shendu's LabeledDataset has targets())
      let v = o[key];
      if (typeof v === 'function' && v.length === 0) v = (v as () => unknown).call(ds);
      if (v instanceof Tensor && v.numel() === ds.length) return { values: v.toTypedArray(), index: (i) => i };
      if ((Array.isArray(v) || ArrayBuffer.isView(v)) && (v as ArrayLike<number>).length === ds.length) return { values: v as ArrayLike<number>, index: (i) => i };
    }
  }
  return null;
}

/**
 * Checks, before training, that every class label of `source` — a DataLoader, a dataset of `[input, label]`
 * items (or `{input, target}`), or a tensor of labels — is an integer in [0, numClasses). Cheap for in-memory
 * datasets (TensorDataset, Subset and ConcatDataset of them, datasets with a `targets` or `labels` tensor or
 * array, or a `targets()` / `labels()` method returning one);
 * other datasets are read item by item. Returns the number of samples of each class; a bad label is a
 * DataError naming it and its index.
 */
export function checkLabels(source: unknown, numClasses: number, opts: CheckLabelsOptions = {}): number[] {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError(`checkLabels: numClasses must be a positive integer, got ${numClasses}`);
  const labelIndex = opts.labelIndex ?? 1;
  const counts = new Array<number>(numClasses).fill(0);
  const check = (v: number, where: string) => {
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new DataError(`checkLabels: label ${v} ${where} is outside the ${numClasses} classes [0, ${numClasses - 1}]${Number.isInteger(v) ? '' : ' (labels must be integers)'}`);
    }
    counts[v]++;
  };
  const ds = source instanceof DataLoader ? source.dataset : source;
  if (ds instanceof Tensor) {
    const values = ds.toTypedArray();
    for (let i = 0; i < values.length; i++) check(values[i], `at element ${i}`);
    return counts;
  }
  const fast = fastLabels(ds, labelIndex);
  if (fast) {
    for (let i = 0; i < fast.values.length; i++) check(fast.values[i], `of item ${fast.index(i)}`);
    return counts;
  }
  const items: Iterable<[number, unknown]> | null = isMapDataset(ds)
    ? (function* () {
        for (let i = 0; i < ds.length; i++) yield [i, ds.get(i)] as [number, unknown];
      })()
    : ds !== null && typeof (ds as Iterable<unknown>)?.[Symbol.iterator] === 'function'
      ? (function* () {
          let i = 0;
          for (const item of ds as Iterable<unknown>) yield [i++, item] as [number, unknown];
        })()
      : null;
  if (items === null) throw new ValueError(`checkLabels: source must be a DataLoader, a dataset or a tensor of labels, got ${describe(source)}`);
  for (const [i, item] of items) {
    const labels = labelOfItem(item, labelIndex);
    if (labels === null) throw new DataError(`checkLabels: item ${i} has no class label (expected [input, label] or {input, target}), got ${describe(item)}`);
    for (let j = 0; j < labels.length; j++) check(labels[j], `of item ${i}`);
  }
  return counts;
}
