/**
 * What every classic estimator shares: checking its inputs (a 2-D X, targets with as many samples, finite
 * values, the feature count seen in fit), reading tensors to float64 host arrays, making output tensors in
 * the input's dtype, and the "not fitted yet" error. Messages name the estimator, the method, the argument
 * and the shapes: `LinearRegression.fit: X has 10 samples (shape [10, 3]) but y has 8 (shape [8])`.
 * @module
 */
import type { DType } from '../backend/types.js';
import { DataError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Generator, defaultGenerator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

/** The floating dtype classic estimators return: float32 for float32 input, float64 for everything else. */
export type FloatDType = 'float32' | 'float64';

/** A row-major matrix on the host, in float64. */
export interface HostMatrix {
  /** rows x cols values, row after row. */
  data: Float64Array;
  /** Number of rows (samples). */
  rows: number;
  /** Number of columns (features). */
  cols: number;
}

/** A checked 2-D input: the tensor, its host copy (float64) and the dtype outputs take. */
export interface CheckedX extends HostMatrix {
  /** The tensor as given. */
  tensor: Tensor;
  /** float32 for float32 input, else float64. */
  dtype: FloatDType;
}

/** The output dtype for an input tensor: float32 stays float32, anything else gives float64. */
export function outDType(x: Tensor): FloatDType {
  return x.dtype === 'float32' ? 'float32' : 'float64';
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return 'an array (wrap it with tensor(...))';
  return typeof x;
}

/** Throws a ValueError unless `x` is a Tensor of a numeric dtype. */
export function checkTensorArg(where: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${where}: ${arg} must be a Tensor, got ${describe(x)}`);
  if (x.dtype === 'bool') throw new ValueError(`${where}: ${arg} must be numeric, got a bool tensor; convert it with ${arg}.double()`);
  return x;
}

/** Throws a DataError at the first NaN or infinite value of a row-major n x d array. */
export function checkFiniteHost(where: string, arg: string, data: ArrayLike<number>, cols: number): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) {
      const what = Number.isNaN(v) ? 'NaN' : String(v);
      const at = cols > 0 ? `row ${Math.floor(i / cols)}, column ${i % cols}` : `index ${i}`;
      throw new DataError(`${where}: ${arg} contains ${what} (${at}); remove or impute missing and infinite values first`);
    }
  }
}

/**
 * Checks a 2-D data matrix X [nSamples, nFeatures]: a numeric tensor, 2-D, at least `minSamples` rows, finite
 * (DataError naming row and column otherwise) and, when `nFeatures` is given, that many columns.
 */
export function checkX(where: string, x: unknown, opts: { arg?: string; nFeatures?: number; minSamples?: number } = {}): CheckedX {
  const t = checkXTensor(where, x, opts);
  const raw = t.toTypedArray();
  const data = raw instanceof Float64Array ? raw : Float64Array.from(raw);
  return { tensor: t, data, rows: t.shape[0], cols: t.shape[1], dtype: outDType(t) };
}

/**
 * Like `checkX` but keeps the data as a tensor (no float64 host copy): for estimators that work with tensor
 * ops on large inputs (logistic regression, ELM). The finiteness scan still reads the values once.
 */
export function checkXTensor(where: string, x: unknown, opts: { arg?: string; nFeatures?: number; minSamples?: number } = {}): Tensor {
  const arg = opts.arg ?? 'X';
  const t = checkTensorArg(where, arg, x);
  if (t.ndim !== 2) {
    const hint = t.ndim === 1 ? `; for one feature reshape it to [${t.shape[0]}, 1] with ${arg}.reshape([-1, 1]), for one sample to [1, ${t.shape[0]}]` : '';
    throw new ShapeError(`${where}: ${arg} must be 2-D [nSamples, nFeatures], got shape ${fmtShape(t.shape)}${hint}`);
  }
  const [n, d] = t.shape;
  const minSamples = opts.minSamples ?? 1;
  if (n < minSamples) throw new ValueError(`${where}: ${arg} needs at least ${minSamples} sample${minSamples === 1 ? '' : 's'}, got shape ${fmtShape(t.shape)}`);
  if (d < 1) throw new ValueError(`${where}: ${arg} needs at least 1 feature, got shape ${fmtShape(t.shape)}`);
  if (opts.nFeatures !== undefined && d !== opts.nFeatures) {
    throw new ShapeError(`${where}: ${arg} has ${d} features (shape ${fmtShape(t.shape)}) but the model was fitted with ${opts.nFeatures}`);
  }
  checkFiniteHost(where, arg, t.toTypedArray(), d);
  return t;
}

/** A checked regression target: [n] or [n, t] values on the host. */
export interface CheckedY extends HostMatrix {
  /** True when y was 1-D (so coefficients and predictions are 1-D too). */
  vector: boolean;
}

/** Throws a ShapeError unless `y` has `n` samples (its first dim), naming both shapes. */
function checkSamples(where: string, xShape: readonly number[], t: Tensor, arg: string): void {
  if (t.ndim === 0 || t.shape[0] !== xShape[0]) {
    throw new ShapeError(
      `${where}: X has ${xShape[0]} samples (shape ${fmtShape(xShape)}) but ${arg} has ${t.ndim === 0 ? 'none (a 0-d tensor)' : t.shape[0]} (shape ${fmtShape(t.shape)})`,
    );
  }
}

/** Checks a regression target y [n] or [n, t] against X's shape; finite values only. */
export function checkY(where: string, y: unknown, xShape: readonly number[], arg = 'y'): CheckedY {
  const t = checkTensorArg(where, arg, y);
  if (t.ndim > 2) throw new ShapeError(`${where}: ${arg} must be 1-D [nSamples] or 2-D [nSamples, nTargets], got shape ${fmtShape(t.shape)}`);
  checkSamples(where, xShape, t, arg);
  const cols = t.ndim === 1 ? 1 : t.shape[1];
  if (cols < 1) throw new ValueError(`${where}: ${arg} needs at least one target column, got shape ${fmtShape(t.shape)}`);
  const raw = t.toTypedArray();
  checkFiniteHost(where, arg, raw, t.ndim === 1 ? 0 : cols);
  return { data: raw instanceof Float64Array ? raw : Float64Array.from(raw), rows: t.shape[0], cols, vector: t.ndim === 1 };
}

/** Class labels of a classification target: the sorted distinct values and each sample's class index. */
export interface CheckedLabels {
  /** The distinct label values, ascending. */
  classes: number[];
  /** Index into `classes` of each sample's label. */
  index: Int32Array;
  /** The dtype of y, kept for predictions (int32 labels predict int32). */
  dtype: DType;
}

/** Checks a 1-D class-label tensor y [n] against X's shape and encodes it. */
export function checkLabels(where: string, y: unknown, xShape: readonly number[], opts: { minClasses?: number; arg?: string } = {}): CheckedLabels {
  const arg = opts.arg ?? 'y';
  const t = checkTensorArg(where, arg, y);
  if (t.ndim !== 1) throw new ShapeError(`${where}: ${arg} must be 1-D [nSamples] class labels, got shape ${fmtShape(t.shape)}`);
  checkSamples(where, xShape, t, arg);
  const raw = t.toTypedArray();
  checkFiniteHost(where, arg, raw, 0);
  const classes = [...new Set(Array.from(raw))].sort((a, b) => a - b);
  const minClasses = opts.minClasses ?? 2;
  if (classes.length < minClasses) {
    throw new ValueError(`${where}: ${arg} must hold at least ${minClasses} distinct classes, got ${classes.length} (${classes.join(', ')})`);
  }
  const lookup = new Map(classes.map((c, i) => [c, i]));
  const index = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) index[i] = lookup.get(raw[i])!;
  return { classes, index, dtype: t.dtype };
}

/** The ValueError for using an estimator before fit. */
export function notFitted(where: string, est: string, how = 'fit(X, y)'): ValueError {
  return new ValueError(`${where}: this ${est} is not fitted yet; call ${how} first`);
}

/** A new tensor from host values in the given dtype. */
export function toTensor(data: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
  return tensor(data as Float64Array, { shape, dtype });
}

/** Throws a ValueError unless `v` is a number >= min (or > min when `open`). */
export function checkNumberOpt(where: string, name: string, v: unknown, min: number, open = false): number {
  if (typeof v !== 'number' || Number.isNaN(v) || (open ? !(v > min) : !(v >= min))) {
    throw new ValueError(`${where}: ${name} must be a number ${open ? '>' : '>='} ${min}, got ${String(v)}`);
  }
  return v;
}

/** Throws a ValueError unless `v` is an integer >= min. */
export function checkIntOpt(where: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError(`${where}: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

/** Throws a ValueError unless `v` is one of `allowed`. */
export function checkChoice<T extends string>(where: string, name: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw new ValueError(`${where}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** Options that seed an estimator's random choices. */
export interface RandomStateOptions {
  /** Seed of a private generator (sklearn's `random_state`); wins over `generator`. */
  seed?: number;
  /** Generator to draw from (default: the global one `manualSeed` seeds). */
  generator?: Generator;
}

/** The generator an estimator draws from: a new one for `seed`, else `generator`, else the default. */
export function generatorFrom(where: string, opts: RandomStateOptions): Generator {
  if (opts.seed !== undefined) {
    if (!Number.isSafeInteger(opts.seed)) throw new ValueError(`${where}: seed must be an integer, got ${String(opts.seed)}`);
    return new Generator(opts.seed);
  }
  const g = opts.generator ?? defaultGenerator;
  if (!(g instanceof Generator)) throw new ValueError(`${where}: generator must be a Generator`);
  return g;
}

/** Column means of a host matrix. */
export function columnMeans(m: HostMatrix): Float64Array {
  const { data, rows, cols } = m;
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) mean[j] += data[o + j];
  }
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  return mean;
}

/** A copy of the matrix with `mean` subtracted from every row. */
export function centered(m: HostMatrix, mean: Float64Array): Float64Array {
  const { data, rows, cols } = m;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[o + j] = data[o + j] - mean[j];
  }
  return out;
}

/** The options object `fit` takes besides X and y. */
export interface FitOptions {
  /** Per-sample weights [n], >= 0 and not all zero (sklearn's sample_weight); default all ones. */
  sampleWeight?: Tensor;
}

/**
 * Checks sample weights against n samples: a 1-D tensor [n] of finite values >= 0 with a positive sum.
 * Returns them as float64, or undefined when none were given.
 */
export function checkSampleWeight(where: string, w: unknown, n: number): Float64Array | undefined {
  if (w === undefined) return undefined;
  const t = checkTensorArg(where, 'sampleWeight', w);
  if (t.ndim !== 1 || t.shape[0] !== n) {
    throw new ShapeError(`${where}: sampleWeight must be 1-D with one weight per sample [${n}], got shape ${fmtShape(t.shape)}`);
  }
  const data = Float64Array.from(t.toTypedArray());
  checkFiniteHost(where, 'sampleWeight', data, 0);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (data[i] < 0) throw new ValueError(`${where}: sampleWeight must be >= 0, got ${data[i]} at index ${i}`);
    sum += data[i];
  }
  if (!(sum > 0)) throw new ValueError(`${where}: sampleWeight must have a positive sum, got all zeros`);
  return data;
}

/** Reads the options object of a fit: only `sampleWeight` is known (a ValueError names any other key). */
export function fitOptions(where: string, opts: unknown, n: number): Float64Array | undefined {
  if (opts === undefined) return undefined;
  if (opts === null || typeof opts !== 'object' || opts instanceof Tensor) {
    const got = opts instanceof Tensor ? `a Tensor (pass it as {sampleWeight: w})` : describe(opts);
    throw new ValueError(`${where}: the options argument must be an object {sampleWeight}, got ${got}`);
  }
  for (const k of Object.keys(opts)) if (k !== 'sampleWeight') throw new ValueError(`${where}: unknown option '${k}'; the fit options are {sampleWeight}`);
  return checkSampleWeight(where, (opts as FitOptions).sampleWeight, n);
}

/** Weighted column means sum_i w_i x_i / sum_i w_i (plain means without weights). */
export function weightedColumnMeans(m: HostMatrix, w: Float64Array | undefined): Float64Array {
  if (!w) return columnMeans(m);
  const { data, rows, cols } = m;
  const mean = new Float64Array(cols);
  let sw = 0;
  for (let i = 0; i < rows; i++) {
    sw += w[i];
    const o = i * cols;
    for (let j = 0; j < cols; j++) mean[j] += w[i] * data[o + j];
  }
  for (let j = 0; j < cols; j++) mean[j] /= sw;
  return mean;
}
