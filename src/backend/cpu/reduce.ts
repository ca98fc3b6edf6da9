/**
 * Reductions and scans of the cpu backend. Both move the working axes last, read the view densely in that
 * order, and run one loop per output element.
 * @module
 */
import type { DType, ReduceOp, ScanOp, Storage, TypedArray, View } from '../types.js';
import { assertNever } from '../../errors.js';
import { HostStorage, allocArray, denseData, offsetsOf, rowMajorStrides } from './storage.js';

/** Reduces the given axes to size 1. Float sums accumulate in float64. */
export function reduce(op: ReduceOp, x: View, axes: readonly number[], dtype: DType): Storage {
  const rank = x.shape.length;
  const reduced = new Set(axes);
  const perm: number[] = [];
  for (let d = 0; d < rank; d++) if (!reduced.has(d)) perm.push(d);
  let inner = 1;
  for (const d of axes) {
    perm.push(d);
    inner *= x.shape[d];
  }
  const view = { storage: x.storage, shape: perm.map((d) => x.shape[d]), strides: perm.map((d) => x.strides[d]), offset: x.offset };
  const a = denseData(view);
  const outer = inner === 0 ? sizeWithout(x.shape, reduced) : a.length / inner;
  const o = allocArray(dtype, outer);
  for (let r = 0; r < outer; r++) {
    const base = r * inner;
    switch (op) {
      case 'sum': {
        let s = 0;
        for (let i = 0; i < inner; i++) s += a[base + i];
        o[r] = s;
        break;
      }
      case 'prod': {
        let s = 1;
        for (let i = 0; i < inner; i++) s *= a[base + i];
        o[r] = s;
        break;
      }
      case 'max': {
        let m = -Infinity;
        for (let i = 0; i < inner; i++) {
          const v = a[base + i];
          if (v > m || v !== v) { m = v; if (v !== v) break; }
        }
        o[r] = m;
        break;
      }
      case 'min': {
        let m = Infinity;
        for (let i = 0; i < inner; i++) {
          const v = a[base + i];
          if (v < m || v !== v) { m = v; if (v !== v) break; }
        }
        o[r] = m;
        break;
      }
      case 'argmax': {
        let m = -Infinity;
        let k = 0;
        for (let i = 0; i < inner; i++) {
          const v = a[base + i];
          if (v > m || v !== v) { m = v; k = i; if (v !== v) break; }
        }
        o[r] = k;
        break;
      }
      case 'argmin': {
        let m = Infinity;
        let k = 0;
        for (let i = 0; i < inner; i++) {
          const v = a[base + i];
          if (v < m || v !== v) { m = v; k = i; if (v !== v) break; }
        }
        o[r] = k;
        break;
      }
      default: assertNever(op, 'reduce op');
    }
  }
  return new HostStorage(dtype, o);
}

function sizeWithout(shape: readonly number[], drop: Set<number>): number {
  let n = 1;
  shape.forEach((s, d) => { if (!drop.has(d)) n *= s; });
  return n;
}

/** Inclusive cumulative sum or product along `axis`. */
export function scan(op: ScanOp, x: View, axis: number, dtype: DType): Storage {
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
  const o = allocArray(dtype, n);
  if (op === 'logcumsumexp' || op === 'argcummax' || op === 'argcummin') {
    for (let base = 0; base < n; base += len) (op === 'logcumsumexp' ? logcumsumexpRow : argcumRow(op))(a, base, len, dest, o);
    return new HostStorage(dtype, o);
  }
  // a new ScanOp that reaches the sum/product loop below without a kernel of its own fails to compile here
  op satisfies 'cumsum' | 'cumprod';
  for (let base = 0; base < n; base += len) {
    switch (op) {
      case 'cumsum': {
        let acc = 0;
        for (let i = 0; i < len; i++) o[dest[base + i]] = acc += a[base + i];
        break;
      }
      case 'cumprod': {
        let acc = 1;
        for (let i = 0; i < len; i++) o[dest[base + i]] = acc *= a[base + i];
        break;
      }
      default: assertNever(op, 'scan op');
    }
  }
  return new HostStorage(dtype, o);
}

type Row = (a: TypedArray, base: number, len: number, dest: Int32Array, o: TypedArray) => void;

/** Running log(sum(exp)), one log-add-exp per step (PyTorch's rule: equal infinities stay as they are). */
const logcumsumexpRow: Row = (a, base, len, dest, o) => {
  let acc = -Infinity;
  for (let i = 0; i < len; i++) {
    const v = a[base + i];
    const lo = Math.min(acc, v);
    const hi = Math.max(acc, v);
    if (lo !== hi || Number.isFinite(lo)) acc = hi + Math.log1p(Math.exp(lo - hi));
    o[dest[base + i]] = acc;
  }
};

/** Index of the running max (min): `>=` (`<=`) moves it to the latest tie; after a NaN only a NaN moves it. */
function argcumRow(op: 'argcummax' | 'argcummin'): Row {
  const max = op === 'argcummax';
  return (a, base, len, dest, o) => {
    let best = a[base];
    let k = 0;
    for (let i = 0; i < len; i++) {
      const v = a[base + i];
      if (v !== v || (best === best && (max ? v >= best : v <= best))) {
        best = v;
        k = i;
      }
      o[dest[base + i]] = k;
    }
  };
}
