/**
 * Creation, reading and copying kernels of the cpu backend.
 * @module
 */
import type { DType, Storage, TypedArray, View } from '../types.js';
import { HostStorage, allocArray, arrayOf, convert, denseData, isRowMajor, offsetsOf, sizeOf } from './storage.js';

/** A storage of `length` copies of `value`. */
export function fill(length: number, dtype: DType, value: number): Storage {
  const o = allocArray(dtype, length);
  const v = dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
  if (v !== 0) o.fill(v);
  return new HostStorage(dtype, o);
}

/** A storage holding `data` converted to `dtype`. */
export function fromData(data: ArrayLike<number>, dtype: DType): Storage {
  const o = allocArray(dtype, data.length);
  if ((dtype === 'float32' && data instanceof Float32Array) || (dtype === 'float64' && data instanceof Float64Array) || (dtype === 'int32' && data instanceof Int32Array)) {
    o.set(data);
    return new HostStorage(dtype, o);
  }
  if ((dtype === 'float32' || dtype === 'float64') && ArrayBuffer.isView(data)) {
    o.set(data as unknown as ArrayLike<number>);
    return new HostStorage(dtype, o);
  }
  if (dtype === 'bool') for (let i = 0; i < data.length; i++) o[i] = data[i] !== 0 ? 1 : 0;
  else if (dtype === 'int32') for (let i = 0; i < data.length; i++) o[i] = Math.trunc(data[i]);
  else for (let i = 0; i < data.length; i++) o[i] = data[i];
  return new HostStorage(dtype, o);
}

/** A fresh row-major host copy of the view. */
export function read(x: View): TypedArray {
  const d = denseData(x);
  return d.buffer === arrayOf(x).buffer ? d.slice() : d;
}

/** A row-major copy of the view converted to `dtype`. */
export function copy(x: View, dtype: DType): Storage {
  const d = denseData(x);
  if (dtype === x.storage.dtype) return new HostStorage(dtype, d.buffer === arrayOf(x).buffer ? d.slice() : d);
  return new HostStorage(dtype, convert(d, dtype));
}

/** Writes `src` into the elements of `dst`, converting to `dst`'s dtype. */
export function copyInto(dst: View, src: View): void {
  const d = arrayOf(dst);
  const dtype = dst.storage.dtype;
  if (isRowMajor(dst) && (dtype === 'float32' || dtype === 'float64' || dtype === src.storage.dtype)) {
    const n = sizeOf(dst.shape);
    if (src.strides.every((st) => st === 0)) {
      d.fill(arrayOf(src)[src.offset], dst.offset, dst.offset + n);
    } else {
      d.set(denseData(src), dst.offset);
    }
    return;
  }
  const s = denseData(src);
  const offs = offsetsOf(dst.shape, dst.strides, dst.offset);
  if (dst.storage.dtype === 'bool') for (let i = 0; i < offs.length; i++) d[offs[i]] = s[i] !== 0 ? 1 : 0;
  else if (dst.storage.dtype === 'int32') for (let i = 0; i < offs.length; i++) d[offs[i]] = Math.trunc(s[i]);
  else for (let i = 0; i < offs.length; i++) d[offs[i]] = s[i];
}

/**
 * dst += src in place (same shape and floating dtype; src may be broadcast). A dst whose dims are a permutation of a
 * row-major block (a transposed gradient) is walked in memory order, src permuted alike. Each sum is the float32
 * (or float64) sum of the two elements, as the binary add kernels compute it.
 */
export function addInto(dst: View, src: View): void {
  const d = arrayOf(dst);
  const perm = dst.strides.map((_, k) => k).sort((a, b) => dst.strides[b] - dst.strides[a]);
  const pick = (v: View): View => ({ storage: v.storage, shape: perm.map((k) => v.shape[k]), strides: perm.map((k) => v.strides[k]), offset: v.offset });
  const [dv, sv] = perm.some((k, i) => k !== i) ? [pick(dst), pick(src)] : [dst, src];
  if (isRowMajor(dv)) {
    const s = denseData(sv);
    const o = dv.offset;
    for (let i = 0; i < s.length; i++) d[o + i] += s[i];
    return;
  }
  const s = denseData(src);
  const offs = offsetsOf(dst.shape, dst.strides, dst.offset);
  for (let i = 0; i < offs.length; i++) d[offs[i]] += s[i];
}
