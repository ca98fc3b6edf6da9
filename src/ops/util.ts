/**
 * Argument handling shared by the op families: tensor checks, scalar wrapping and dtype promotion.
 * @module
 */
import type { DType } from '../backend/types.js';
import * as P from '../autograd/primitives.js';
import { DTypeError, ValueError } from '../errors.js';
import { isFloating, resultTypeOf } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** A tensor, or a JS number/boolean standing for a 0-d tensor. */
export type Scalarish = Tensor | number | boolean;

/** Throws a ValueError unless `x` is a Tensor. */
export function checkTensor(op: string, x: unknown, arg = 'input'): Tensor {
  if (!(x instanceof Tensor)) {
    throw new ValueError(`${op}: ${arg} must be a Tensor, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
  }
  return x;
}

/** Throws a ValueError unless `x` is a Tensor or a number/boolean. */
export function checkScalarish(op: string, x: unknown, arg: string): Scalarish {
  if (x instanceof Tensor || typeof x === 'number' || typeof x === 'boolean') return x;
  throw new ValueError(`${op}: ${arg} must be a Tensor or a number, got ${x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x}`);
}

/** Throws a ValueError unless `v` is a finite-or-infinite number (not NaN unless allowed). */
export function checkNumber(op: string, v: unknown, arg: string): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new ValueError(`${op}: ${arg} must be a number, got ${String(v)}`);
  return v;
}

/** Throws a ValueError unless `v` is an integer >= `min`. */
export function checkInt(op: string, v: unknown, arg: string, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ValueError(`${op}: ${arg} must be an integer${min > -Infinity ? ` >= ${min}` : ''}, got ${String(v)}`);
  }
  return v;
}

/** Throws a DTypeError unless `x` is float32 or float64. */
export function checkFloat(op: string, x: Tensor, arg = 'input'): Tensor {
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: ${arg} must be a floating-point tensor, got dtype ${x.dtype}`);
  return x;
}

/** Throws a DTypeError unless `x` is int32 (index tensors). */
export function checkIndex(op: string, x: Tensor, arg = 'index'): Tensor {
  if (x.dtype !== 'int32') throw new DTypeError(`${op}: ${arg} must be an int32 tensor, got dtype ${x.dtype}`);
  return x;
}

/**
 * The dtype an op's operands promote to: the one place promotion is decided, as torch.result_type (see
 * `resultTypeOf`: a 0-d tensor does not widen a tensor with dims of its own category, a JS number counts as a
 * Python scalar). Two JS numbers give bool (two booleans), int32 (integers) or float32.
 */
export function resultType(...xs: Scalarish[]): DType {
  return resultTypeOf(xs);
}

/** `x` as a tensor of `dtype` on the backend of `like` (numbers become 0-d tensors). */
export function asTensor(x: Scalarish, dtype: DType, like: Tensor): Tensor {
  if (x instanceof Tensor) return P.cast(x, dtype);
  return P.scalarOf(Number(x), dtype, like);
}

/** Both operands as tensors of their common dtype, checked; at least one must be a tensor. */
export function operands(op: string, a: Scalarish, b: Scalarish, dtype?: DType): [Tensor, Tensor] {
  checkScalarish(op, a, 'input');
  checkScalarish(op, b, 'other');
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : null;
  if (!like) throw new ValueError(`${op}: at least one argument must be a Tensor, got two numbers`);
  if (a instanceof Tensor && b instanceof Tensor && a.device !== b.device) {
    throw new ValueError(`${op}: tensors are on different backends: ${a.device} and ${b.device}`);
  }
  const t = dtype ?? resultType(a, b);
  return [asTensor(a, t, like), asTensor(b, t, like)];
}
