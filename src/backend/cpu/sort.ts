/**
 * Sorting of the cpu backend: the int32 permutation that sorts each row along one axis. The axis is moved
 * last, each row is read densely, and its indices are sorted by a stable comparison sort.
 * @module
 */
import type { Storage, View } from '../types.js';
import { HostStorage, allocArray, denseData, offsetsOf, rowMajorStrides } from './storage.js';

/** Ascending order with NaN after everything (and NaNs equal), so that a stable sort keeps their order too. */
function ascending(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Indices that sort `x` along `axis` (stable; NaN largest, so first when descending). */
export function argsort(x: View, axis: number, descending: boolean): Storage {
  const rank = x.shape.length;
  const perm: number[] = [];
  for (let d = 0; d < rank; d++) if (d !== axis) perm.push(d);
  perm.push(axis);
  const permShape = perm.map((d) => x.shape[d]);
  const a = denseData({ storage: x.storage, shape: permShape, strides: perm.map((d) => x.strides[d]), offset: x.offset });
  const len = x.shape[axis];
  const n = a.length;
  const outStrides = rowMajorStrides(x.shape);
  const dest = offsetsOf(permShape, perm.map((d) => outStrides[d]), 0);
  const o = allocArray('int32', n);
  // Array.prototype.sort is stable (ES2019); descending compares the other way round, so ties still keep
  // their original order, as PyTorch's stable descending sort does
  const row: number[] = new Array<number>(len);
  for (let base = 0; base < n; base += len) {
    for (let i = 0; i < len; i++) row[i] = i;
    if (descending) row.sort((i, j) => ascending(a[base + j], a[base + i]));
    else row.sort((i, j) => ascending(a[base + i], a[base + j]));
    for (let i = 0; i < len; i++) o[dest[base + i]] = row[i];
  }
  return new HostStorage('int32', o);
}
