/**
 * Index-driven kernels of the cpu backend: gather / scatterAdd along a dim, indexSelect / indexAdd of slices.
 * Index values are trusted: the ops layer checks their range before calling.
 * @module
 */
import type { Storage, View } from '../types.js';
import { HostStorage, arrayOf, denseData, isRowMajor, offsetsOf, rowMajorStrides, sizeOf } from './storage.js';
import { copy } from './movement.js';

function withStride(strides: readonly number[], dim: number, s: number): number[] {
  const out = strides.slice();
  out[dim] = s;
  return out;
}

/** Coordinate along `dim` of every element of `shape`, in row-major order. */
function coordsAlong(shape: readonly number[], dim: number): Int32Array {
  return offsetsOf(shape, shape.map((_, d) => (d === dim ? 1 : 0)), 0);
}

/**
 * The [outer, K, inner] split of a row-major `x` when `index` has its shape in every dim but `dim` (the common
 * gather/scatter layout: picking along one axis), or null.
 */
function alongAxis(x: View, dim: number, index: View): { outer: number; inner: number; kx: number; ki: number } | null {
  if (!isRowMajor(x) || index.shape.length !== x.shape.length) return null;
  if (index.shape.some((s, d) => d !== dim && s !== x.shape[d])) return null;
  return {
    outer: sizeOf(x.shape.slice(0, dim)),
    inner: sizeOf(x.shape.slice(dim + 1)),
    kx: x.shape[dim],
    ki: index.shape[dim],
  };
}

/** `out[p] = x[p with p[dim] := index[p]]`. */
export function gather(x: View, dim: number, index: View): Storage {
  const idx = denseData(index);
  const split = alongAxis(x, dim, index);
  if (split) {
    const { outer, inner, kx, ki } = split;
    const src = arrayOf(x);
    const o = new (src.constructor as Float64ArrayConstructor)(idx.length);
    let k = 0;
    for (let a = 0; a < outer; a++) {
      const base = x.offset + a * kx * inner;
      for (let j = 0; j < ki; j++) {
        for (let i = 0; i < inner; i++, k++) o[k] = src[base + idx[k] * inner + i];
      }
    }
    return new HostStorage(x.storage.dtype, o);
  }
  const base = offsetsOf(index.shape, withStride(x.strides, dim, 0), x.offset);
  const src = arrayOf(x);
  const o = new (src.constructor as Float64ArrayConstructor)(idx.length);
  const s = x.strides[dim];
  for (let i = 0; i < idx.length; i++) o[i] = src[base[i] + idx[i] * s];
  return new HostStorage(x.storage.dtype, o);
}

/** `out = base; out[p with p[dim] := index[p]] += src[p]` for p over `index`'s shape. */
export function scatterAdd(base: View, dim: number, index: View, src: View): Storage {
  const out = copy(base, base.storage.dtype) as HostStorage;
  const o = out.data;
  const strides = rowMajorStrides(base.shape);
  const idx = denseData(index);
  const vals = denseData({ storage: src.storage, shape: index.shape, strides: src.strides, offset: src.offset });
  const split = alongAxis({ storage: out, shape: base.shape, strides, offset: 0 }, dim, index);
  if (split) {
    const { outer, inner, kx, ki } = split;
    let k = 0;
    for (let a = 0; a < outer; a++) {
      const b0 = a * kx * inner;
      for (let j = 0; j < ki; j++) {
        for (let i = 0; i < inner; i++, k++) o[b0 + idx[k] * inner + i] += vals[k];
      }
    }
    return out;
  }
  const dest = offsetsOf(index.shape, withStride(strides, dim, 0), 0);
  const s = strides[dim];
  for (let i = 0; i < idx.length; i++) o[dest[i] + idx[i] * s] += vals[i];
  return out;
}

/** Sizes before and after `dim` of `shape` (the [outer, K, inner] split of a row-major array). */
function splitAt(shape: readonly number[], dim: number): { outer: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, dim)), inner: sizeOf(shape.slice(dim + 1)) };
}

/** Slices `index[j]` of `x` along `dim`, stacked in order. */
export function indexSelect(x: View, dim: number, index: View): Storage {
  const idx = denseData(index);
  const shape = x.shape.slice();
  shape[dim] = idx.length;
  if (isRowMajor(x)) {
    // whole rows of `inner` elements (an embedding lookup: dim 0), copied block by block
    const { outer, inner } = splitAt(x.shape, dim);
    const src = arrayOf(x);
    const o = new (src.constructor as Float64ArrayConstructor)(sizeOf(shape));
    const kx = x.shape[dim];
    for (let a = 0; a < outer; a++) {
      for (let j = 0; j < idx.length; j++) {
        const from = x.offset + (a * kx + idx[j]) * inner;
        o.set(src.subarray(from, from + inner), (a * idx.length + j) * inner);
      }
    }
    return new HostStorage(x.storage.dtype, o);
  }
  const base = offsetsOf(shape, withStride(x.strides, dim, 0), x.offset);
  const coord = coordsAlong(shape, dim);
  const src = arrayOf(x);
  const n = sizeOf(shape);
  const o = new (src.constructor as Float64ArrayConstructor)(n);
  const s = x.strides[dim];
  for (let i = 0; i < n; i++) o[i] = src[base[i] + idx[coord[i]] * s];
  return new HostStorage(x.storage.dtype, o);
}

/** `out = base; out[slice index[j] along dim] += src[slice j]`. */
export function indexAdd(base: View, dim: number, index: View, src: View): Storage {
  const out = copy(base, base.storage.dtype) as HostStorage;
  const o = out.data;
  const strides = rowMajorStrides(base.shape);
  const idx = denseData(index);
  const vals = denseData(src);
  const { outer, inner } = splitAt(base.shape, dim);
  if (inner > 1) {
    // row by row (an embedding's gradient: dim 0), adding in the same order as the element loop below
    const kx = base.shape[dim];
    let k = 0;
    for (let a = 0; a < outer; a++) {
      for (let j = 0; j < idx.length; j++) {
        const row = (a * kx + idx[j]) * inner;
        for (let i = 0; i < inner; i++, k++) o[row + i] += vals[k];
      }
    }
    return out;
  }
  const dest = offsetsOf(src.shape, withStride(strides, dim, 0), 0);
  const coord = coordsAlong(src.shape, dim);
  const s = strides[dim];
  for (let i = 0; i < vals.length; i++) o[dest[i] + idx[coord[i]] * s] += vals[i];
  return out;
}
