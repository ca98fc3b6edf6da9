/**
 * Shared machinery of `src/linalg`: argument checks, moving batches of matrices between tensors and host
 * arrays, multi-output recording, and the small differentiable helpers (transpose, triangle masks,
 * diagonals) that the vector-Jacobian products are written with.
 * @module
 */
import type { DType } from '../backend/types.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import * as P from '../autograd/primitives.js';
import { DTypeError, LinAlgError, ShapeError, fmtShape } from '../errors.js';
import { matmul } from '../ops/matmul.js';
import { checkTensor } from '../ops/util.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Machine epsilon of a floating dtype (PyTorch's default tolerances scale with it). */
export function epsOf(dtype: DType): number {
  return dtype === 'float32' ? 1.1920928955078125e-7 : 2.220446049250313e-16;
}

/** Throws unless `x` is a float32/float64 tensor; integer matrices are refused as torch.linalg does. */
export function checkFloatTensor(op: string, x: unknown, arg: string): Tensor {
  const t = checkTensor(op, x, arg);
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    throw new DTypeError(`${op}: ${arg} must be a float32 or float64 tensor, got dtype ${t.dtype}; convert it first, e.g. ${arg}.double()`);
  }
  return t;
}

/** Checks a batch of matrices [..., m, n] (float, at least 2-D, optionally square) and returns [m, n]. */
export function checkMatrix(op: string, x: unknown, arg: string, square = false): [number, number] {
  const t = checkFloatTensor(op, x, arg);
  if (t.ndim < 2) {
    throw new ShapeError(`${op}: ${arg} must be a matrix or a batch of matrices with shape [..., m, n], got shape ${fmtShape(t.shape)}`);
  }
  const m = t.shape[t.ndim - 2];
  const n = t.shape[t.ndim - 1];
  if (square && m !== n) {
    throw new ShapeError(`${op}: ${arg} must be a square matrix or a batch of square matrices [..., n, n], got shape ${fmtShape(t.shape)} (${m} x ${n})`);
  }
  return [m, n];
}

/** Throws a DTypeError unless the two tensors share a dtype. */
export function checkSameDType(op: string, a: Tensor, b: Tensor, names: [string, string]): void {
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`${op}: ${names[0]} and ${names[1]} must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  }
}

/** A batch of matrices copied to the host as float64. */
export interface HostBatch {
  /** All matrices, row-major, one after another. */
  data: Float64Array;
  /** The leading (batch) dims. */
  batchShape: number[];
  /** Number of matrices. */
  count: number;
  /** Rows of each matrix. */
  m: number;
  /** Columns of each matrix. */
  n: number;
}

/** Reads `x` [..., m, n] into a HostBatch. */
export function readBatch(x: Tensor): HostBatch {
  const m = x.shape[x.ndim - 2];
  const n = x.shape[x.ndim - 1];
  const batchShape = x.shape.slice(0, -2);
  return { data: Float64Array.from(x.toTypedArray()), batchShape, count: sizeOf(batchShape), m, n };
}

/** Matrix `i` of a batch (a view of its data). */
export function matrixAt(b: HostBatch, i: number): Float64Array {
  return b.data.subarray(i * b.m * b.n, (i + 1) * b.m * b.n);
}

/** A new tensor of `shape` holding `data`, with the dtype and backend of `like`. */
export function fromHostLike(data: ArrayLike<number>, shape: readonly number[], like: Tensor, dtype: DType = like.dtype): Tensor {
  return P.fromHost(data, shape, dtype, like.device);
}

/** ` (matrix i of the batch)` when the input is batched, else the empty string: for error messages. */
export function batchNote(b: HostBatch, i: number): string {
  return b.batchShape.length > 0 ? ` (matrix ${i} of the batch, index ${fmtShape(unravel(i, b.batchShape))})` : '';
}

function unravel(i: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return out;
}

/** One output of a multi-output op: per-matrix shape and the data of the whole batch. */
export interface HostPart {
  /** Shape of one batch entry of this output. */
  shape: readonly number[];
  /** count * sizeOf(shape) values, batch entry after batch entry. */
  data: Float64Array;
}

/**
 * Wraps the outputs of a multi-output op (U, S, V of an SVD, ...) as tensors of `[...batchShape, ...shape]`.
 * When autograd records, they are views into one packed tensor carrying a single GradNode, so the vjp sees
 * all outputs' gradients at once (zeros for unused outputs).
 */
export function multiOutput(
  name: string,
  inputs: readonly Tensor[],
  batchShape: readonly number[],
  parts: readonly HostPart[],
  like: Tensor,
  vjp: (grads: Tensor[], outs: Tensor[]) => (Tensor | null)[],
): Tensor[] {
  const count = sizeOf(batchShape);
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) {
    return parts.map((p) => fromHostLike(p.data, [...batchShape, ...p.shape], like));
  }
  const sizes = parts.map((p) => sizeOf(p.shape));
  const total = sizes.reduce((a, b) => a + b, 0);
  const packed = new Float64Array(count * total);
  for (let b = 0; b < count; b++) {
    let at = b * total;
    parts.forEach((p, k) => {
      packed.set(p.data.subarray(b * sizes[k], (b + 1) * sizes[k]), at);
      at += sizes[k];
    });
  }
  const whole = fromHostLike(packed, [...batchShape, total], like);
  const split = (t: Tensor): Tensor[] => {
    let at = 0;
    return parts.map((p, k) => {
      const ranges = [...batchShape.map((s) => ({ start: 0, step: 1, size: s })), { start: at, step: 1, size: sizes[k] }];
      at += sizes[k];
      return P.reshape(P.slice(t, ranges), [...batchShape, ...p.shape]);
    });
  };
  let outs: Tensor[] = [];
  record(whole, name, inputs, (g) => vjp(split(g), outs));
  outs = split(whole);
  return outs;
}

// ---- differentiable helpers for the vjps ---------------------------------------------------------------

/** Swaps the last two dims (a differentiable view). */
export function tr(x: Tensor): Tensor {
  const perm = x.shape.map((_, d) => d);
  perm[x.ndim - 2] = x.ndim - 1;
  perm[x.ndim - 1] = x.ndim - 2;
  return P.permute(x, perm);
}

/** Batched matrix product with broadcasting (torch.matmul). */
export function mm(a: Tensor, b: Tensor): Tensor {
  return matmul(a, b);
}

/** a + b, a - b, a * b elementwise with broadcasting (same dtype). */
export function add(a: Tensor, b: Tensor): Tensor {
  return P.binary('add', a, b);
}
/** a - b elementwise with broadcasting. */
export function sub(a: Tensor, b: Tensor): Tensor {
  return P.binary('sub', a, b);
}
/** a * b elementwise with broadcasting. */
export function mul(a: Tensor, b: Tensor): Tensor {
  return P.binary('mul', a, b);
}
/** a / b elementwise with broadcasting. */
export function div(a: Tensor, b: Tensor): Tensor {
  return P.binary('div', a, b);
}
/** x times a JS number. */
export function scale(x: Tensor, s: number): Tensor {
  return P.binary('mul', x, P.scalarOf(s, x.dtype, x));
}
/** -x. */
export function neg(x: Tensor): Tensor {
  return P.unary('neg', x);
}

/** The n x n identity in the dtype and backend of `like`. */
export function eyeLike(n: number, like: Tensor): Tensor {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = 1;
  return fromHostLike(d, [n, n], like);
}

/** An m x n mask: 1 where j - i <= k (lower) or j - i >= k (upper), else 0. */
function triMask(m: number, n: number, k: number, lower: boolean, like: Tensor): Tensor {
  const d = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) d[i * n + j] = (lower ? j - i <= k : j - i >= k) ? 1 : 0;
  return fromHostLike(d, [m, n], like);
}

/** The lower triangle of the last two dims, on and below diagonal `k` (torch.tril). */
export function tril(x: Tensor, k = 0): Tensor {
  return mul(x, triMask(x.shape[x.ndim - 2], x.shape[x.ndim - 1], k, true, x));
}

/** The upper triangle of the last two dims, on and above diagonal `k` (torch.triu). */
export function triu(x: Tensor, k = 0): Tensor {
  return mul(x, triMask(x.shape[x.ndim - 2], x.shape[x.ndim - 1], k, false, x));
}

/** [..., k] -> [..., k, k] with the vector on the diagonal (torch.diag_embed). */
export function diagEmbed(v: Tensor): Tensor {
  const k = v.shape[v.ndim - 1];
  return mul(P.reshape(v, [...v.shape, 1]), eyeLike(k, v));
}

/** The main diagonal of square matrices: [..., n, n] -> [..., n]. */
export function diagonalOf(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1];
  return P.reduce('sum', mul(x, eyeLike(n, x)), [x.ndim - 1], false);
}

/** x with a size-1 dim inserted at `dim` (negative counts from the end of the new shape). */
export function unsq(x: Tensor, dim: number): Tensor {
  const d = dim < 0 ? dim + x.ndim + 1 : dim;
  const shape = x.shape.slice();
  shape.splice(d, 0, 1);
  return P.reshape(x, shape);
}

/** Narrows the last dim (or the second-last with `rows`) to [start, start + size): a differentiable view. */
export function narrowLast(x: Tensor, start: number, size: number, rows = false): Tensor {
  const d = x.ndim - (rows ? 2 : 1);
  return P.slice(x, x.shape.map((s, k) => (k === d ? { start, step: 1, size } : { start: 0, step: 1, size: s })));
}

/** True when every element of `x` is zero (read on the host; used to pick a vjp's branch). */
export function allZero(x: Tensor): boolean {
  const d = x.toTypedArray();
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) return false;
  return true;
}

/** Throws a LinAlgError when an iterative decomposition did not converge. */
export function notConverged(op: string, b: HostBatch, i: number): never {
  throw new LinAlgError(
    `${op}: the algorithm did not converge${batchNote(b, i)}; the input contains NaN or infinity (or is badly scaled), check it with isfinite`,
  );
}

/** Throws a LinAlgError if any value of the batch is NaN or infinite. */
export function checkFinite(op: string, b: HostBatch, arg: string): void {
  const size = b.m * b.n;
  for (let i = 0; i < b.data.length; i++) {
    if (!Number.isFinite(b.data[i])) {
      const k = Math.floor(i / Math.max(size, 1));
      throw new LinAlgError(`${op}: ${arg} contains non-finite values (${b.data[i]} at flat index ${i}${batchNote(b, k)}); the decomposition is undefined`);
    }
  }
}
