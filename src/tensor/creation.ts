/**
 * Creating tensors: from nested arrays and typed arrays, constant fills, ranges, identity, and seeded
 * random tensors, plus the `*Like` forms. New tensors go to the current backend.
 * @module
 */
import type { DType, TypedArray } from '../backend/types.js';
import { getBackend } from '../backend/registry.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { DEFAULT_FLOAT, checkDType, isFloating } from './dtype.js';
import { Generator, defaultGenerator } from './random.js';
import { checkShape, sizeOf, type ShapeLike } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

/** Options every creation function takes. */
export interface CreateOptions {
  /** Element type (default: float32, or as stated per function). */
  dtype?: DType;
  /** Track gradients for the new tensor (floating dtypes only). */
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreateOptions {
  /** Generator to draw from (default: the global one `manualSeed` seeds). */
  generator?: Generator;
}

function make(op: string, data: ArrayLike<number>, shape: readonly number[], opts: CreateOptions, fallback: DType): Tensor {
  const dtype = opts.dtype === undefined ? fallback : checkDType(op, opts.dtype);
  const t = new Tensor(getBackend().fromData(data, dtype), shape);
  if (opts.requiresGrad) {
    if (!isFloating(dtype)) throw new DTypeError(`${op}: only floating-point tensors can require gradients, got dtype ${dtype}`);
    t.requiresGrad = true;
  }
  return t;
}

function filledTensor(op: string, shape: ShapeLike, value: number, opts: CreateOptions, fallback: DType): Tensor {
  const s = checkShape(op, shape);
  const dtype = opts.dtype === undefined ? fallback : checkDType(op, opts.dtype);
  const t = new Tensor(allocating(op, s, dtype, () => getBackend().fill(sizeOf(s), dtype, value)), s);
  if (opts.requiresGrad) {
    if (!isFloating(dtype)) throw new DTypeError(`${op}: only floating-point tensors can require gradients, got dtype ${dtype}`);
    t.requiresGrad = true;
  }
  return t;
}

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** Runs an allocation, turning the engine's bare RangeError (out of memory) into a ValueError naming the size. */
function allocating<T>(op: string, shape: readonly number[], dtype: DType, alloc: () => T): T {
  try {
    return alloc();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const n = sizeOf(shape);
    throw new ValueError(`${op}: cannot allocate a ${dtype} tensor of shape ${fmtShape(shape)} (${n} elements, ${((n * BYTES[dtype]) / 2 ** 30).toFixed(1)} GiB): ${e.message}`);
  }
}

function typedDType(data: TypedArray | ArrayLike<number>): DType {
  // Uint32Array values do not all fit int32; float64 holds them exactly.
  if (data instanceof Float64Array || data instanceof Uint32Array) return 'float64';
  if (data instanceof Int32Array || data instanceof Int16Array || data instanceof Int8Array || data instanceof Uint16Array || data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'int32';
  return DEFAULT_FLOAT;
}

/**
 * A tensor from a number, boolean, nested array or typed array. Numbers become float32 (JS has one number
 * type, so unlike torch.tensor integers are not inferred), booleans bool; a typed array keeps its type
 * (Int32Array and the narrower integer arrays give int32, Uint32Array float64) and may be given a `shape`.
 * The data is copied.
 */
export function tensor(data: NestedArray | TypedArray | ArrayLike<number>, opts: CreateOptions & { shape?: ShapeLike } = {}): Tensor {
  if (ArrayBuffer.isView(data)) {
    if (data instanceof DataView || data instanceof BigInt64Array || data instanceof BigUint64Array) {
      throw new DTypeError(`tensor: cannot make a tensor from a ${data.constructor.name}; pass a number typed array (Float32Array, Float64Array, Int32Array, ...)`);
    }
    const arr = data as unknown as ArrayLike<number>;
    const shape = opts.shape === undefined ? [arr.length] : checkShape('tensor', opts.shape);
    if (sizeOf(shape) !== arr.length) {
      throw new ShapeError(`tensor: shape ${fmtShape(shape)} holds ${sizeOf(shape)} elements but the data has ${arr.length}`);
    }
    return make('tensor', arr, shape, opts, typedDType(arr));
  }
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const flat: number[] = [];
  let sawBool = false;
  let sawNumber = false;
  const walk = (v: unknown, d: number, path: string) => {
    if (d === shape.length) {
      if (typeof v === 'boolean') { sawBool = true; flat.push(v ? 1 : 0); return; }
      if (typeof v === 'number') { sawNumber = true; flat.push(v); return; }
      if (Array.isArray(v)) {
        throw new ShapeError(`tensor: ragged nested array: element ${path || '(root)'} should be a number or boolean (depth ${shape.length}), got an array`);
      }
      throw new ValueError(`tensor: element ${path || '(root)'} must be a number or boolean, got ${v === null ? 'null' : typeof v}`);
    }
    if (!Array.isArray(v) || v.length !== shape[d]) {
      throw new ShapeError(`tensor: ragged nested array: element ${path || '(root)'} should be an array of length ${shape[d]}, got ${Array.isArray(v) ? `length ${v.length}` : typeof v}`);
    }
    v.forEach((x, i) => walk(x, d + 1, `${path}[${i}]`));
  };
  walk(data, 0, '');
  if (opts.shape !== undefined) {
    const s = checkShape('tensor', opts.shape);
    if (sizeOf(s) !== flat.length) throw new ShapeError(`tensor: shape ${fmtShape(s)} holds ${sizeOf(s)} elements but the data has ${flat.length}`);
    return make('tensor', flat, s, opts, sawBool && !sawNumber ? 'bool' : DEFAULT_FLOAT);
  }
  return make('tensor', flat, shape, opts, sawBool && !sawNumber ? 'bool' : DEFAULT_FLOAT);
}

/** A tensor of zeros. */
export function zeros(shape: ShapeLike, opts: CreateOptions = {}): Tensor {
  return filledTensor('zeros', shape, 0, opts, DEFAULT_FLOAT);
}

/** A tensor of ones. */
export function ones(shape: ShapeLike, opts: CreateOptions = {}): Tensor {
  return filledTensor('ones', shape, 1, opts, DEFAULT_FLOAT);
}

/** A tensor filled with `value` (dtype: bool for a boolean, else float32). */
export function full(shape: ShapeLike, value: number | boolean, opts: CreateOptions = {}): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError(`full: value must be a number or boolean, got ${typeof value}`);
  return filledTensor('full', shape, Number(value), opts, typeof value === 'boolean' ? 'bool' : DEFAULT_FLOAT);
}

function likeOpts(t: Tensor, opts: CreateOptions): CreateOptions {
  if (!(t instanceof Tensor)) throw new ValueError('*Like: the first argument must be a Tensor');
  return { dtype: opts.dtype ?? t.dtype, requiresGrad: opts.requiresGrad };
}

/** Zeros with `t`'s shape and dtype. */
export function zerosLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  return zeros(t.shape, likeOpts(t, opts));
}

/** Ones with `t`'s shape and dtype. */
export function onesLike(t: Tensor, opts: CreateOptions = {}): Tensor {
  return ones(t.shape, likeOpts(t, opts));
}

/** `value` with `t`'s shape and dtype. */
export function fullLike(t: Tensor, value: number | boolean, opts: CreateOptions = {}): Tensor {
  return full(t.shape, value, likeOpts(t, opts));
}

/**
 * Values from `start` to `end` (exclusive) in steps of `step`; `arange(n)` is 0..n-1. As in PyTorch, integer
 * arguments give int32 and any fractional one float32.
 */
export function arange(start: number, end?: number, step = 1, opts: CreateOptions = {}): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  for (const [name, v] of [['start', start], ['end', end], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`arange: ${name} must be a finite number, got ${v}`);
  }
  if (step === 0) throw new ValueError('arange: step must be nonzero, got 0');
  if ((end - start) * step < 0) throw new ValueError(`arange: upper bound and step are inconsistent: start ${start}, end ${end}, step ${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  const allInt = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  return make('arange', data, [n], opts, allInt ? 'int32' : DEFAULT_FLOAT);
}

/**
 * `steps` evenly spaced values from `start` to `end` inclusive. Values are computed in float64 and rounded
 * once to the dtype, so a float32 result can differ from torch.linspace (which computes in float32) in the
 * last bit; e.g. the middle of `linspace(-1, 1, 7)` is exactly 0 here and -2.98e-8 in PyTorch.
 */
export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new ValueError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const data = new Float64Array(steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends, as PyTorch does, so the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  if (steps === 1) data[0] = start; // one step is just `start`, as in PyTorch
  return make('linspace', data, [steps], opts, DEFAULT_FLOAT);
}

/** An n x m identity matrix (m defaults to n). */
export function eye(n: number, m: number = n, opts: CreateOptions = {}): Tensor {
  const [rows, cols] = checkShape('eye', [n, m], 'size');
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) data[i * cols + i] = 1;
  return make('eye', data, [rows, cols], opts, DEFAULT_FLOAT);
}

/** The generator `opts` names (default: the global one), checked; `op` names the caller in the error. */
export function generatorOf(op: string, opts: RandomOptions): Generator {
  const g = opts.generator ?? defaultGenerator;
  if (!(g instanceof Generator)) throw new ValueError(`${op}: generator must be a Generator`);
  return g;
}

/**
 * A float tensor of `shape` filled by `fill` with the generator's numbers, straight into the dtype's array (a
 * float32 element rounds once, as a float64 draw copied over would).
 */
function randomTensor(op: string, shape: ShapeLike, opts: RandomOptions, fill: (g: Generator, out: Float32Array | Float64Array) => void): Tensor {
  const s = checkShape(op, shape);
  const g = generatorOf(op, opts);
  const dtype = opts.dtype === undefined ? DEFAULT_FLOAT : checkDType(op, opts.dtype);
  if (!isFloating(dtype)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  const data = dtype === 'float32' ? new Float32Array(sizeOf(s)) : new Float64Array(sizeOf(s));
  fill(g, data);
  return make(op, data, s, opts, dtype);
}

/** Uniform samples in [0, 1) (the numbers of `random()` one at a time, drawn in one loop). */
export function rand(shape: ShapeLike, opts: RandomOptions = {}): Tensor {
  return randomTensor('rand', shape, opts, (g, out) => g.fillRandom(out));
}

/** Standard normal samples. */
export function randn(shape: ShapeLike, opts: RandomOptions = {}): Tensor {
  return randomTensor('randn', shape, opts, (g, out) => g.fillNormal(out));
}

/** Uniform integers in [low, high) as int32 (or the dtype given). */
export function randint(low: number, high: number, shape: ShapeLike, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randint: need integers low < high, got low ${low}, high ${high}`);
  }
  const s = checkShape('randint', shape);
  const g = generatorOf('randint', opts);
  const n = sizeOf(s);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = g.randint(low, high);
  return make('randint', data, s, opts, 'int32');
}

/** A random permutation of 0..n-1 (int32), by Fisher-Yates. */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`randperm: n must be a non-negative integer, got ${n}`);
  const g = generatorOf('randperm', opts);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.randint(0, i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return make('randperm', p, [n], opts, 'int32');
}

/** Uniform samples in [0, 1) with `t`'s shape and dtype. */
export function randLike(t: Tensor, opts: RandomOptions = {}): Tensor {
  return rand(t.shape, { ...opts, dtype: opts.dtype ?? t.dtype });
}

/** Standard normal samples with `t`'s shape and dtype. */
export function randnLike(t: Tensor, opts: RandomOptions = {}): Tensor {
  return randn(t.shape, { ...opts, dtype: opts.dtype ?? t.dtype });
}

/** Uniform integers in [low, high) with `t`'s shape. */
export function randintLike(t: Tensor, low: number, high: number, opts: RandomOptions = {}): Tensor {
  return randint(low, high, t.shape, { ...opts, dtype: opts.dtype ?? t.dtype });
}
