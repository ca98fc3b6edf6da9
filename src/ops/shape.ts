/**
 * More shape ops, all built from views, slices and cat: roll tile unbind movedim swapaxes unflatten broadcastTo
 * rot90, the stacking helpers hstack vstack dstack columnStack, and meshgrid.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { normDim, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cat, flip, narrow, repeat, reshape, transpose } from './movement.js';
import { checkInt, checkTensor } from './util.js';

function intList(op: string, v: number | readonly number[], arg: string): number[] {
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list)) throw new ValueError(`${op}: ${arg} must be an integer or an array of integers, got ${typeof v}`);
  return list.map((s) => checkInt(op, s, arg));
}

/**
 * Shifts elements cyclically by `shifts` along `dims` (one shift per dim); without dims the tensor is rolled
 * as if flattened and then given its shape back, as torch.roll.
 */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  checkTensor('roll', x);
  const s = intList('roll', shifts, 'shifts');
  if (dims === undefined || dims === null) {
    if (s.length !== 1) throw new ValueError(`roll: without dims, shifts must be one integer, got ${fmtShape(s)}`);
    return reshape(roll(reshape(x, [x.numel()]), s, 0), x.shape);
  }
  const d = intList('roll', dims, 'dims').map((k) => normDim('roll', k, x.ndim, 'dims'));
  if (d.length !== s.length) throw new ValueError(`roll: shifts and dims must have the same length, got ${s.length} shifts and ${d.length} dims`);
  if (x.ndim === 0) return P.copy(x);
  let y = x;
  d.forEach((dim, i) => {
    const n = y.shape[dim];
    const k = n === 0 ? 0 : ((s[i] % n) + n) % n;
    if (k !== 0) y = cat([narrow(y, dim, n - k, k), narrow(y, dim, 0, n - k)], dim);
  });
  return y === x ? P.copy(x) : y;
}

/** Repeats `x` `reps[i]` times along dim i; fewer reps than dims are padded with leading 1s, as torch.tile. */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  checkTensor('tile', x);
  if (!Array.isArray(reps)) throw new ValueError(`tile: reps must be an array of integers, got ${typeof reps}`);
  for (const r of reps) checkInt('tile', r, 'reps', 0);
  return repeat(x, [...x.shape.slice(0, Math.max(0, x.ndim - reps.length)).map(() => 1), ...reps]);
}

/** The slices of `x` along `dim`, that dim removed: n views of shape x.shape without dim. */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  checkTensor('unbind', x);
  if (x.ndim === 0) throw new ShapeError('unbind: cannot unbind a 0-d tensor');
  const d = normDim('unbind', dim, x.ndim);
  const keep = x.shape.filter((_, k) => k !== d);
  return Array.from({ length: x.shape[d] }, (_, i) => P.reshape(narrow(x, d, i, 1), keep));
}

/**
 * Moves dims `source` to positions `destination` (the other dims keep their order), as torch.movedim; a view.
 */
export function movedim(x: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  return moveAs('movedim', x, source, destination);
}

/** Alias of {@link movedim} (NumPy's name). */
export function moveaxis(x: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  return moveAs('moveaxis', x, source, destination);
}

function moveAs(op: string, x: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  checkTensor(op, x);
  const src = intList(op, source, 'source').map((d) => normDim(op, d, x.ndim, 'source'));
  const dst = intList(op, destination, 'destination').map((d) => normDim(op, d, x.ndim, 'destination'));
  if (src.length !== dst.length) {
    throw new ValueError(`${op}: source and destination must have the same number of dims, got ${src.length} and ${dst.length}`);
  }
  if (new Set(src).size !== src.length) throw new ValueError(`${op}: source dims must be distinct, got ${fmtShape(src)}`);
  if (new Set(dst).size !== dst.length) throw new ValueError(`${op}: destination dims must be distinct, got ${fmtShape(dst)}`);
  if (x.ndim === 0) return x;
  const perm = new Array<number>(x.ndim).fill(-1);
  src.forEach((s, i) => (perm[dst[i]] = s));
  const rest = x.shape.map((_, d) => d).filter((d) => !src.includes(d));
  for (let i = 0, r = 0; i < perm.length; i++) if (perm[i] === -1) perm[i] = rest[r++];
  return P.permute(x, perm);
}

/** Swaps two dims, as transpose (NumPy's name); a view. */
export function swapaxes(x: Tensor, axis0: number, axis1: number): Tensor {
  checkTensor('swapaxes', x);
  return transpose(x, normDim('swapaxes', axis0, x.ndim, 'axis0'), normDim('swapaxes', axis1, x.ndim, 'axis1'));
}

/** Swaps two dims, as transpose; a view. */
export function swapdims(x: Tensor, dim0: number, dim1: number): Tensor {
  checkTensor('swapdims', x);
  return transpose(x, normDim('swapdims', dim0, x.ndim, 'dim0'), normDim('swapdims', dim1, x.ndim, 'dim1'));
}

/** Splits dim `dim` into `sizes` (their product must be its size; one may be -1), as torch.unflatten. */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  checkTensor('unflatten', x);
  if (x.ndim === 0) throw new ShapeError('unflatten: cannot unflatten a 0-d tensor');
  const d = normDim('unflatten', dim, x.ndim);
  if (!Array.isArray(sizes) || sizes.length === 0) throw new ValueError(`unflatten: sizes must be a non-empty array of integers, got ${JSON.stringify(sizes)}`);
  sizes.forEach((s) => checkInt('unflatten', s, 'sizes', -1));
  const out = sizes.slice();
  const free = out.indexOf(-1);
  if (out.filter((s) => s === -1).length > 1) throw new ValueError(`unflatten: only one size can be -1, got ${fmtShape(sizes)}`);
  const known = sizeOf(out.filter((s) => s !== -1));
  if (free >= 0 && known > 0 && x.shape[d] % known === 0) out[free] = x.shape[d] / known;
  if (out.includes(-1) || sizeOf(out) !== x.shape[d]) {
    throw new ShapeError(`unflatten: sizes ${fmtShape(sizes)} do not multiply to the size ${x.shape[d]} of dim ${d} (input shape ${fmtShape(x.shape)})`);
  }
  return reshape(x, [...x.shape.slice(0, d), ...out, ...x.shape.slice(d + 1)]); // the ops-level reshape reports to a tracer
}

/** Broadcasts `x` to `shape` as a view (size-1 dims stretch, new dims go on the left, -1 keeps a size). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('broadcastTo', x);
  if (!Array.isArray(shape) || shape.length < x.ndim) {
    throw new ShapeError(`broadcastTo: shape ${JSON.stringify(shape)} must have at least ${x.ndim} dims (input shape ${fmtShape(x.shape)})`);
  }
  const lead = shape.length - x.ndim;
  const out = shape.map((s, d) => {
    const have = d >= lead ? x.shape[d - lead] : undefined;
    if (s === -1 && have !== undefined) return have;
    checkInt('broadcastTo', s, 'shape', 0);
    if (have !== undefined && have !== s && have !== 1) {
      throw new ShapeError(`broadcastTo: cannot broadcast shape ${fmtShape(x.shape)} to ${fmtShape(shape)}: dim ${d} has size ${have}, which is neither ${s} nor 1`);
    }
    return s;
  });
  return P.expand(x, out);
}

/** Rotates by 90 degrees `k` times in the plane of `dims`, from the first dim toward the second, as torch.rot90. */
export function rot90(x: Tensor, k = 1, dims: readonly number[] = [0, 1]): Tensor {
  checkTensor('rot90', x);
  checkInt('rot90', k, 'k');
  if (!Array.isArray(dims) || dims.length !== 2) throw new ValueError(`rot90: dims must list two dims, got ${JSON.stringify(dims)}`);
  if (x.ndim < 2) throw new ShapeError(`rot90: expects at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const a = normDim('rot90', dims[0], x.ndim, 'dims');
  const b = normDim('rot90', dims[1], x.ndim, 'dims');
  if (a === b) throw new ValueError(`rot90: dims must be different, got ${fmtShape(dims)}`);
  const turns = ((k % 4) + 4) % 4;
  if (turns === 1) return transpose(flip(x, b), a, b);
  if (turns === 2) return flip(x, [a, b]);
  if (turns === 3) return flip(transpose(x, a, b), b);
  return P.copy(x);
}

function checkList(op: string, xs: readonly Tensor[]): void {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError(`${op}: expected a non-empty array of tensors`);
  xs.forEach((x, i) => checkTensor(op, x, `tensors[${i}]`));
}

/** cat with the stacking op's name in the error when the (reshaped) tensors do not line up. */
function join(op: string, ys: readonly Tensor[], dim: number): Tensor {
  ys.forEach((y, i) => {
    if (y.ndim !== ys[0].ndim || y.shape.some((s, k) => k !== dim && s !== ys[0].shape[k])) {
      throw new ShapeError(`${op}: tensors[${i}] (as shape ${fmtShape(y.shape)}) does not match tensors[0] (as shape ${fmtShape(ys[0].shape)}) outside dim ${dim}`);
    }
  });
  return cat(ys, dim);
}

/** Joins along dim 1 (dim 0 for 1-D tensors); 0-d tensors count as 1-D, as torch.hstack. */
export function hstack(xs: readonly Tensor[]): Tensor {
  checkList('hstack', xs);
  const ys = xs.map((x) => (x.ndim === 0 ? P.reshape(x, [1]) : x));
  return join('hstack', ys, ys[0].ndim === 1 ? 0 : 1);
}

/** Joins along dim 0 after making every tensor at least 2-D (a 1-D [n] becomes a row [1, n]), as torch.vstack. */
export function vstack(xs: readonly Tensor[]): Tensor {
  checkList('vstack', xs);
  return join('vstack', xs.map((x) => (x.ndim < 2 ? P.reshape(x, [1, x.numel()]) : x)), 0);
}

/** Joins along dim 2 after making every tensor at least 3-D ([n] -> [1, n, 1], [m, n] -> [m, n, 1]), as torch.dstack. */
export function dstack(xs: readonly Tensor[]): Tensor {
  checkList('dstack', xs);
  const at3 = (x: Tensor) => (x.ndim === 0 ? [1, 1, 1] : x.ndim === 1 ? [1, x.shape[0], 1] : x.ndim === 2 ? [...x.shape, 1] : x.shape);
  return join('dstack', xs.map((x) => P.reshape(x, at3(x))), 2);
}

/** Joins along dim 1 after turning 0-d and 1-D tensors into columns [n, 1], as torch.column_stack. */
export function columnStack(xs: readonly Tensor[]): Tensor {
  checkList('columnStack', xs);
  return join('columnStack', xs.map((x) => (x.ndim < 2 ? P.reshape(x, [x.numel(), 1]) : x)), 1);
}

/** Options of {@link meshgrid}. */
export interface MeshgridOptions {
  /** 'ij' (default, matrix indexing: output dim i follows input i) or 'xy' (the first two dims swapped). */
  indexing?: 'ij' | 'xy';
}

/**
 * Coordinate grids from 1-D (or 0-d) tensors of sizes n1..nk: k views of shape [n1, ..., nk] (with 'xy',
 * [n2, n1, n3, ...]), output i varying along input i's dim.
 */
export function meshgrid(xs: readonly Tensor[], opts: MeshgridOptions = {}): Tensor[] {
  checkList('meshgrid', xs);
  const indexing = opts.indexing ?? 'ij';
  if (indexing !== 'ij' && indexing !== 'xy') throw new ValueError(`meshgrid: indexing must be 'ij' or 'xy', got ${JSON.stringify(indexing)}`);
  xs.forEach((x, i) => {
    if (x.ndim > 1) throw new ShapeError(`meshgrid: tensors[${i}] must be 0-D or 1-D, got shape ${fmtShape(x.shape)}`);
    if (x.dtype !== xs[0].dtype) throw new ValueError(`meshgrid: every tensor must have the same dtype: tensors[${i}] is ${x.dtype}, tensors[0] is ${xs[0].dtype}`);
  });
  const pos = xs.map((_, i) => i);
  if (indexing === 'xy' && xs.length >= 2) [pos[0], pos[1]] = [1, 0];
  const shape = new Array<number>(xs.length);
  xs.forEach((x, i) => (shape[pos[i]] = x.numel()));
  return xs.map((x, i) => P.expand(P.reshape(x, shape.map((s, d) => (d === pos[i] ? s : 1))), shape));
}
