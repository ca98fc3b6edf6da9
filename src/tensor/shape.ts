/**
 * Shape arithmetic shared by the ops: sizes, strides, broadcasting and dimension normalization, each with
 * errors that name the op and argument.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';

/** A shape given as a number (1-D) or an array of sizes. */
export type ShapeLike = number | readonly number[];

/** Number of elements of a shape (1 for a 0-d shape). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** True when two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Row-major strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/** Validates a shape argument and returns it as a fresh array. */
export function checkShape(op: string, shape: ShapeLike, arg = 'shape'): number[] {
  const arr = typeof shape === 'number' ? [shape] : Array.isArray(shape) ? shape.slice() : null;
  if (!arr) throw new ValueError(`${op}: ${arg} must be a number or an array of numbers, got ${typeof shape}`);
  for (const s of arr) {
    if (!Number.isInteger(s) || s < 0) {
      throw new ValueError(`${op}: ${arg} must hold non-negative integers, got ${fmtShape(arr)}`);
    }
  }
  const numel = arr.reduce((n, s) => n * s, 1);
  if (numel > MAX_NUMEL) {
    throw new ValueError(`${op}: a tensor of ${arg} ${fmtShape(arr)} would hold ${numel.toExponential(2)} elements, more than the ${MAX_NUMEL} one tensor can hold`);
  }
  return arr;
}

/** The most elements one tensor may hold (kernels index with 32-bit integers). */
export const MAX_NUMEL = 2 ** 31 - 1;

/** Broadcast shape of two shapes, PyTorch rules (align right, size 1 stretches). */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together (dim ${i - n}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalizes a possibly negative dim into [0, ndim). */
export function normDim(op: string, dim: number, ndim: number, arg = 'dim'): number {
  const lo = -Math.max(ndim, 1);
  const hi = Math.max(ndim, 1) - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new ValueError(`${op}: ${arg} must be an integer in [${lo}, ${hi}] for a ${ndim}-D tensor, got ${dim}`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Normalizes a dim or list of dims (undefined = all) into sorted, distinct non-negative dims. */
export function normDims(op: string, dims: number | readonly number[] | undefined | null, ndim: number): number[] {
  if (dims === undefined || dims === null) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof dims !== 'number' && !Array.isArray(dims)) {
    throw new ValueError(`${op}: dim must be an integer or an array of them, got ${JSON.stringify(dims) ?? typeof dims}`);
  }
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normDim(op, d, ndim));
  const sorted = [...new Set(out)].sort((x, y) => x - y);
  if (sorted.length !== out.length) throw new ValueError(`${op}: dim ${fmtShape(list)} names a dimension twice`);
  return ndim === 0 ? [] : sorted;
}
