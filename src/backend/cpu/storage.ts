/**
 * Host memory for the cpu backend: a typed array per storage, and helpers to read strided views.
 * @module
 */
import type { DType, Storage, TypedArray, View } from '../types.js';
import { assertNever } from '../../errors.js';
import { noteStorageBirth } from '../storage-births.js';
import { zerosFloat32 } from '../array-pool.js';

/**
 * Host memory: a plain typed array, garbage-collected like any JS object. The cpu backend's storage, and the
 * wasm backend's too (its kernels copy operands into WebAssembly memory for the duration of a call).
 */
export class HostStorage implements Storage {
  /** Creates a storage around `data`, which it owns from now on, for the backend named `backend`. */
  constructor(readonly dtype: DType, readonly data: TypedArray, readonly backend: string = 'cpu') {
    noteStorageBirth(this);
  }
  /** Number of elements. */
  get length(): number {
    return this.data.length;
  }

  /**
   * Copies this storage's values into `array` (same type and length) and keeps them there from now on: the wasm
   * backend moves a long-lived storage into its kernel memory this way (src/backend/wasm/resident.ts). Every tensor
   * over this storage sees the same values before and after.
   */
  rehome(array: TypedArray): void {
    if (array.length !== this.data.length || array.constructor !== this.data.constructor) {
      throw new RangeError(`HostStorage.rehome: expected a ${this.data.constructor.name} of ${this.data.length} elements, got a ${array.constructor.name} of ${array.length}`);
    }
    array.set(this.data as never);
    (this as { data: TypedArray }).data = array;
  }

  /**
   * Hands over this storage's array for reuse (src/backend/array-pool.ts) and leaves the storage empty, so that a
   * read through it by mistake finds nothing instead of another result's numbers. Only the autograd engine calls
   * it, for gradients and vjp temporaries it knows are dead.
   */
  release(): TypedArray {
    const data = this.data;
    (this as { data: TypedArray }).data = allocArray(this.dtype, 0);
    return data;
  }
}

/** A zero-filled typed array of the host type for `dtype`: new, or (float32) a pooled one cleared. */
export function allocArray(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float32': return zerosFloat32(length);
    case 'float64': return new Float64Array(length);
    case 'int32': return new Int32Array(length);
    case 'bool': return new Uint8Array(length);
    default: return assertNever(dtype, 'dtype');
  }
}

/** The typed array behind a cpu view. */
export function arrayOf(v: View): TypedArray {
  return (v.storage as HostStorage).data;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Row-major strides for a shape. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/** True when the view's elements are laid out row-major without gaps (size-1 dims may have any stride). */
export function isRowMajor(v: View): boolean {
  let expected = 1;
  for (let d = v.shape.length - 1; d >= 0; d--) {
    if (v.shape[d] === 1) continue;
    if (v.strides[d] !== expected) return false;
    expected *= v.shape[d];
  }
  return true;
}

/** Storage offsets of every element of a strided view, in row-major order of its shape. */
export function offsetsOf(shape: readonly number[], strides: readonly number[], offset: number): Int32Array {
  let cur = new Int32Array(1);
  cur[0] = offset;
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    const s = strides[d];
    const next = new Int32Array(cur.length * n);
    let k = 0;
    for (let j = 0; j < cur.length; j++) {
      const o = cur[j];
      for (let i = 0; i < n; i++) next[k++] = o + i * s;
    }
    cur = next;
  }
  return cur;
}

/**
 * Rows at least this long are copied by `set` over a subarray; shorter ones element by element (making the
 * subarray costs ~40 ns: a permuted [64, 4, 32, 16] block took 0.35 ms by rows of 16 through subarrays).
 */
const SET_ROW_LENGTH = 128;

/**
 * The view's elements in row-major order, in the storage's own typed array type. Returns a subarray (no copy)
 * when the view is already row-major, so callers must not write to the result.
 */
export function denseData(v: View): TypedArray {
  const data = arrayOf(v);
  const { shape, strides, offset } = v;
  const n = sizeOf(shape);
  if (isRowMajor(v)) return data.subarray(offset, offset + n);
  const out = allocArray(v.storage.dtype, n);
  if (strides.every((s) => s === 0)) {
    out.fill(data[offset]);
    return out;
  }
  // Copy whole rows when the trailing dims are row-major (e.g. a bias broadcast over a batch).
  let inner = 1;
  let d = shape.length - 1;
  while (d >= 0 && (shape[d] === 1 || strides[d] === inner)) inner *= shape[d--];
  if (inner >= 8) {
    const starts = offsetsOf(shape.slice(0, d + 1), strides.slice(0, d + 1), offset);
    if (inner >= SET_ROW_LENGTH) {
      for (let k = 0; k < starts.length; k++) out.set(data.subarray(starts[k], starts[k] + inner), k * inner);
    } else {
      // short rows (an attention head's 16 features): a subarray object per row would cost more than the copy
      for (let k = 0, o = 0; k < starts.length; k++) {
        const s = starts[k];
        for (let j = 0; j < inner; j++) out[o++] = data[s + j];
      }
    }
    return out;
  }
  // Otherwise walk the last dim with its stride from the start of each row (a transposed matrix, a permuted
  // batch): one offset per row instead of one per element.
  const r = shape.length;
  const last = shape[r - 1];
  const ls = strides[r - 1];
  const starts = offsetsOf(shape.slice(0, r - 1), strides.slice(0, r - 1), offset);
  let k = 0;
  for (let q = 0; q < starts.length; q++) {
    const s = starts[q];
    for (let j = 0; j < last; j++) out[k++] = data[s + j * ls];
  }
  return out;
}

/** Copies `src` into a new array of `dtype`, converting (booleans become 0/1, integers truncate toward zero). */
export function convert(src: TypedArray, dtype: DType): TypedArray {
  const out = allocArray(dtype, src.length);
  if (dtype === 'bool') {
    for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
  } else if (dtype === 'int32') {
    for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]);
  } else {
    out.set(src);
  }
  return out;
}
