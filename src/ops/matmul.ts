/**
 * Matrix products: matmul (1-D, 2-D and batched with broadcasting, as torch.matmul), mm, bmm, mv, dot, outer.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { unsqueeze } from './movement.js';
import { checkTensor } from './util.js';
import { traceOp, tracing } from './trace-hook.js';

function checkPair(op: string, a: Tensor, b: Tensor): void {
  checkTensor(op, a, 'a');
  checkTensor(op, b, 'b');
  if (a.dtype !== b.dtype) throw new DTypeError(`${op}: a and b must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  if (a.dtype === 'bool') throw new DTypeError(`${op}: bool tensors cannot be multiplied; cast them first`);
}

/**
 * Matrix product with PyTorch's rules: 1-D x 1-D is a dot product, a 1-D operand is treated as a row (left)
 * or column (right) vector and that dim removed afterwards, and leading batch dims broadcast.
 *
 * @example
 * ```ts
 * matmul(randn([2, 3]), randn([3, 4]));       // [2, 4]
 * matmul(randn([5, 2, 3]), randn([3, 4]));    // batched: [5, 2, 4]
 * matmul(randn([3]), randn([3]));             // dot product: 0-d
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (tracing.tracer !== null) return traceOp('matmul', [a, b], {}, () => matmul(a, b));
  checkPair('matmul', a, b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: both arguments must be at least 1-D, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  const a2 = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const b2 = b.ndim === 1 ? unsqueeze(b, 1) : b;
  const K = a2.shape[a2.ndim - 1];
  if (b2.shape[b2.ndim - 2] !== K) {
    throw new ShapeError(`matmul: inner dimensions differ: a is ${fmtShape(a.shape)}, b is ${fmtShape(b.shape)}`);
  }
  if (a2.ndim >= 3 && b.ndim === 2) {
    // [..., M, K] x [K, N] is one [(...)*M, K] x [K, N] product, as PyTorch folds it: the weight's gradient is then
    // one product too, instead of a product per batch entry and their sum
    const lead = a2.shape.slice(0, -1);
    const rows = lead.reduce((p, s) => p * s, 1);
    return P.reshape(P.matmul(P.reshape(a2, [rows, K]), b2), [...lead, b2.shape[1]]);
  }
  const batch = broadcastShapes('matmul', a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const M = a2.shape[a2.ndim - 2];
  const N = b2.shape[b2.ndim - 1];
  const y = P.matmul(P.expand(a2, [...batch, M, K]), P.expand(b2, [...batch, K, N]));
  let shape = [...batch, M, N];
  if (a.ndim === 1) shape = shape.filter((_, i) => i !== shape.length - 2);
  if (b.ndim === 1) shape = shape.slice(0, -1);
  return P.reshape(y, shape);
}

/** Product of two matrices [n, m] x [m, p]. */
export function mm(a: Tensor, b: Tensor): Tensor {
  checkPair('mm', a, b);
  if (a.ndim !== 2 || b.ndim !== 2) throw new ShapeError(`mm: both arguments must be 2-D, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.shape[1] !== b.shape[0]) throw new ShapeError(`mm: inner dimensions differ: a is ${fmtShape(a.shape)}, b is ${fmtShape(b.shape)}`);
  return P.matmul(a, b);
}

/** Batched product [B, n, m] x [B, m, p] with equal batch sizes (no broadcasting). */
export function bmm(a: Tensor, b: Tensor): Tensor {
  // the same product as a 3-D matmul, and recorded as one
  if (tracing.tracer !== null) return traceOp('matmul', [a, b], {}, () => bmm(a, b));
  checkPair('bmm', a, b);
  if (a.ndim !== 3 || b.ndim !== 3) throw new ShapeError(`bmm: both arguments must be 3-D, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.shape[0] !== b.shape[0]) throw new ShapeError(`bmm: batch sizes differ: a is ${fmtShape(a.shape)}, b is ${fmtShape(b.shape)}`);
  if (a.shape[2] !== b.shape[1]) throw new ShapeError(`bmm: inner dimensions differ: a is ${fmtShape(a.shape)}, b is ${fmtShape(b.shape)}`);
  return P.matmul(a, b);
}

/** Matrix-vector product [n, m] x [m]. */
export function mv(a: Tensor, v: Tensor): Tensor {
  checkPair('mv', a, v);
  if (a.ndim !== 2 || v.ndim !== 1) throw new ShapeError(`mv: expected a 2-D matrix and a 1-D vector, got ${fmtShape(a.shape)} and ${fmtShape(v.shape)}`);
  if (a.shape[1] !== v.shape[0]) throw new ShapeError(`mv: inner dimensions differ: a is ${fmtShape(a.shape)}, b is ${fmtShape(v.shape)}`);
  return matmul(a, v);
}

/** Inner product of two 1-D tensors of equal length (0-d result). */
export function dot(a: Tensor, b: Tensor): Tensor {
  checkPair('dot', a, b);
  if (a.ndim !== 1 || b.ndim !== 1) throw new ShapeError(`dot: both arguments must be 1-D, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.shape[0] !== b.shape[0]) throw new ShapeError(`dot: lengths differ: a is ${fmtShape(a.shape)}, b is ${fmtShape(b.shape)}`);
  return matmul(a, b);
}

/** Outer product of two 1-D tensors: [n] x [m] -> [n, m]. */
export function outer(a: Tensor, b: Tensor): Tensor {
  checkPair('outer', a, b);
  if (a.ndim !== 1 || b.ndim !== 1) throw new ShapeError(`outer: both arguments must be 1-D, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return P.binary('mul', P.reshape(a, [a.shape[0], 1]), P.reshape(b, [1, b.shape[0]]));
}
