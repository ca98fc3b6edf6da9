/**
 * Sliding windows over a multivariate time series, for sequence models and anomaly detection: cut a series
 * [T, F] into windows [N, size, F], and fold per-step values of the windows (e.g. reconstruction errors) back
 * onto the series, averaging where windows overlap.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of `slidingWindows`. */
export interface WindowOptions {
  /** Steps between window starts (default 1). */
  stride?: number;
  /** Only windows starting at these steps (each in [0, T - size]); overrides `stride`. */
  starts?: readonly number[];
}

function positive(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`${op}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/** The window starts 0, stride, 2 stride, ... of a series of `length` steps (every start with a full window). */
export function windowStarts(length: number, size: number, stride = 1): number[] {
  const op = 'windowStarts';
  positive(op, 'size', size);
  positive(op, 'stride', stride);
  if (!Number.isInteger(length) || length < size) throw new ValueError(`${op}: the series has ${length} steps, fewer than one window of ${size}`);
  const out: number[] = [];
  for (let s = 0; s + size <= length; s += stride) out.push(s);
  return out;
}

/**
 * Windows of `series` [T, F] (or [T]: one feature): a float32 tensor [N, size, F] whose window i holds steps
 * starts[i] .. starts[i] + size - 1.
 */
export function slidingWindows(series: Tensor, size: number, opts: WindowOptions = {}): Tensor {
  const op = 'slidingWindows';
  if (!(series instanceof Tensor)) throw new ValueError(`${op}: series must be a Tensor [T, F], got ${series === null ? 'null' : typeof series}`);
  if (series.ndim !== 1 && series.ndim !== 2) throw new ShapeError(`${op}: series must be [T, F] or [T], got shape ${fmtShape(series.shape)}`);
  positive(op, 'size', size);
  const t = series.shape[0];
  const f = series.ndim === 2 ? series.shape[1] : 1;
  const starts = opts.starts ?? windowStarts(t, size, opts.stride ?? 1);
  for (const s of starts) {
    if (!Number.isInteger(s) || s < 0 || s + size > t) throw new ValueError(`${op}: window start ${s} is outside [0, ${t - size}] for ${t} steps and windows of ${size}`);
  }
  const x = series.toTypedArray();
  const out = new Float32Array(starts.length * size * f);
  starts.forEach((s, i) => {
    for (let k = 0; k < size * f; k++) out[i * size * f + k] = x[s * f + k];
  });
  return tensor(out, { shape: [starts.length, size, f] });
}

/**
 * Per-step values of windows folded back onto a series of `length` steps: `values` [N, size] (window i covering
 * steps starts[i] ..) gives, at each step, the mean over the windows that cover it (NaN where none does).
 */
export function foldWindows(values: Tensor, starts: readonly number[], length: number): Float64Array {
  const op = 'foldWindows';
  if (!(values instanceof Tensor) || values.ndim !== 2) throw new ShapeError(`${op}: values must be a [N, size] tensor, got ${values instanceof Tensor ? `shape ${fmtShape(values.shape)}` : typeof values}`);
  const [n, size] = values.shape;
  if (starts.length !== n) throw new ShapeError(`${op}: ${n} windows of values but ${starts.length} starts`);
  const v = values.toTypedArray();
  const sum = new Float64Array(length);
  const count = new Float64Array(length);
  starts.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 0 || s + size > length) throw new ValueError(`${op}: window start ${s} is outside [0, ${length - size}] for ${length} steps`);
    for (let k = 0; k < size; k++) {
      sum[s + k] += v[i * size + k];
      count[s + k]++;
    }
  });
  return sum.map((x, i) => (count[i] > 0 ? x / count[i] : NaN));
}
