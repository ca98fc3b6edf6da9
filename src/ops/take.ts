/**
 * Picking elements by data-dependent positions: maskedSelect, take, takeAlongDim, nonzero, repeatInterleave.
 * The positions are worked out on the host and the values picked with indexSelect or gather, so gradients
 * come from those primitives. Indices are int32 (shendu has no int64).
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { broadcastShapes, normDim, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { gather } from './indexing.js';
import { checkIndex, checkInt, checkTensor } from './util.js';

function int32(data: ArrayLike<number>, shape: readonly number[], like: Tensor): Tensor {
  return P.fromHost(data, shape, 'int32', like.device);
}

/** The elements of `x` where the bool `mask` is true (both broadcast to a common shape), as a 1-D tensor. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  checkTensor('maskedSelect', x);
  checkTensor('maskedSelect', mask, 'mask');
  if (mask.dtype !== 'bool') throw new DTypeError(`maskedSelect: mask must be a bool tensor, got dtype ${mask.dtype}`);
  const shape = broadcastShapes('maskedSelect', x.shape, mask.shape);
  const m = P.expand(mask, shape).toTypedArray();
  const pos: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i]) pos.push(i);
  const flat = P.reshape(P.expand(x, shape), [sizeOf(shape)]);
  return P.indexSelect(flat, 0, int32(pos, [pos.length], x));
}

/**
 * The elements of `x` read as 1-D (row-major) at the int32 positions in `index` (negative ones count from the
 * end); the result has index's shape, as torch.take.
 */
export function take(x: Tensor, index: Tensor): Tensor {
  checkTensor('take', x);
  checkIndex('take', checkTensor('take', index, 'index'));
  const n = x.numel();
  const idx = Int32Array.from(index.toTypedArray());
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < -n || idx[i] >= n) throw new ValueError(`take: index ${idx[i]} is out of range for a tensor of ${n} elements (shape ${fmtShape(x.shape)})`);
    if (idx[i] < 0) idx[i] += n;
  }
  const flat = P.reshape(x, [n]);
  return P.reshape(P.indexSelect(flat, 0, int32(idx, [idx.length], x)), index.shape);
}

/**
 * `gather` with broadcasting: `x` and `indices` (same number of dims) broadcast in every dim but `dim`, then
 * values are picked along `dim`. Without `dim` both are read as 1-D, as torch.take_along_dim.
 */
export function takeAlongDim(x: Tensor, indices: Tensor, dim?: number): Tensor {
  checkTensor('takeAlongDim', x);
  checkIndex('takeAlongDim', checkTensor('takeAlongDim', indices, 'indices'), 'indices');
  if (dim === undefined || dim === null) return gather(P.reshape(x, [x.numel()]), 0, P.reshape(indices, [indices.numel()]));
  if (x.ndim !== indices.ndim) {
    throw new ShapeError(`takeAlongDim: input and indices must have the same number of dims, got ${fmtShape(x.shape)} and ${fmtShape(indices.shape)}`);
  }
  const d = normDim('takeAlongDim', dim, x.ndim);
  if (x.ndim === 0) return gather(x, 0, indices);
  const shape = broadcastShapes('takeAlongDim', x.shape.map((s, k) => (k === d ? indices.shape[d] : s)), indices.shape);
  const xb = P.expand(x, shape.map((s, k) => (k === d ? x.shape[d] : s)));
  return gather(xb, d, P.expand(indices, shape));
}

/** Options of {@link nonzero}. */
export interface NonzeroOptions {
  /** Return one 1-D int32 tensor per dim instead of one [count, ndim] tensor. */
  asTuple?: boolean;
}

/**
 * Positions of the nonzero (true) elements in row-major order: an int32 [count, ndim] tensor, or with
 * `asTuple` one int32 [count] tensor per dim (a 0-d input counts as 1-D there), as torch.nonzero.
 */
export function nonzero(x: Tensor, opts: { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, opts?: { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, opts: NonzeroOptions = {}): Tensor | Tensor[] {
  checkTensor('nonzero', x);
  const v = x.toTypedArray();
  const hits: number[] = [];
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) hits.push(i);
  const r = x.ndim;
  const coords = new Int32Array(hits.length * r);
  hits.forEach((flat, h) => {
    for (let d = r - 1, rest = flat; d >= 0; d--) {
      coords[h * r + d] = rest % x.shape[d];
      rest = Math.floor(rest / x.shape[d]);
    }
  });
  if (!opts.asTuple) return int32(coords, [hits.length, r], x);
  if (r === 0) return [int32(hits.map(() => 0), [hits.length], x)];
  return x.shape.map((_, d) => int32(hits.map((_h, h) => coords[h * r + d]), [hits.length], x));
}

/**
 * Repeats each slice of `x` along `dim` (each element of x read as 1-D without `dim`) `repeats` times, or
 * `repeats[i]` times for slice i when repeats is an int32 tensor, as torch.repeat_interleave. With no
 * repeats, `x` is itself the int32 repeats and the result is [0 x repeats[0], 1 x repeats[1], ...].
 */
export function repeatInterleave(x: Tensor, repeats?: number | Tensor, dim?: number): Tensor {
  checkTensor('repeatInterleave', x);
  if (repeats === undefined) {
    checkIndex('repeatInterleave', x, 'repeats');
    if (x.ndim > 1) throw new ShapeError(`repeatInterleave: repeats must be 0-D or 1-D, got shape ${fmtShape(x.shape)}`);
    const counts = readRepeats(x);
    return int32(spread(counts), [sum(counts)], x);
  }
  const flatInput = dim === undefined || dim === null;
  const src = flatInput ? P.reshape(x, [x.numel()]) : x;
  if (src.ndim === 0) throw new ShapeError('repeatInterleave: cannot repeat along a dim of a 0-d tensor; leave dim out');
  const d = flatInput ? 0 : normDim('repeatInterleave', dim, x.ndim);
  const n = src.shape[d];
  let counts: number[];
  if (repeats instanceof Tensor) {
    checkIndex('repeatInterleave', repeats, 'repeats');
    if (repeats.ndim > 1) throw new ShapeError(`repeatInterleave: repeats must be 0-D or 1-D, got shape ${fmtShape(repeats.shape)}`);
    counts = readRepeats(repeats);
    if (counts.length === 1 && n !== 1) counts = new Array<number>(n).fill(counts[0]);
    if (counts.length !== n) throw new ShapeError(`repeatInterleave: repeats must have one entry per slice (${n}) along dim ${d}, got shape ${fmtShape(repeats.shape)}`);
  } else {
    counts = new Array<number>(n).fill(checkInt('repeatInterleave', repeats, 'repeats', 0));
  }
  return P.indexSelect(src, d, int32(spread(counts), [sum(counts)], x));
}

function readRepeats(t: Tensor): number[] {
  const counts = Array.from(t.toTypedArray());
  if (counts.some((c) => c < 0)) throw new ValueError(`repeatInterleave: repeats must be >= 0, got ${counts.find((c) => c < 0)}`);
  return counts;
}

function spread(counts: readonly number[]): number[] {
  const out: number[] = [];
  counts.forEach((c, i) => {
    for (let k = 0; k < c; k++) out.push(i);
  });
  return out;
}

function sum(counts: readonly number[]): number {
  return counts.reduce((a, b) => a + b, 0);
}
