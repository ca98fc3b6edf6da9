/**
 * Data types and PyTorch's type-promotion rules, restricted to shendu's four dtypes.
 * @module
 */
import type { DType } from '../backend/types.js';
import { DTypeError } from '../errors.js';

export type { DType };

/** Every dtype shendu knows, for messages and validation. */
export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** The dtype of new floating tensors when none is given. */
export const DEFAULT_FLOAT: DType = 'float32';

/** True for float32 and float64. */
export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** The dtype two tensors promote to (bool < int32 < float32 < float64). */
export function promoteTypes(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}

/**
 * The dtype a tensor and a JS number promote to: a number does not widen a float tensor (as a Python scalar
 * does not), a fractional number turns an integer tensor float32, a number turns a bool tensor int32.
 */
export function promoteWithScalar(a: DType, value: number | boolean): DType {
  if (typeof value === 'boolean') return a;
  if (isFloating(a)) return a;
  if (!Number.isInteger(value)) return DEFAULT_FLOAT;
  return a === 'bool' ? 'int32' : a;
}

/** Throws a DTypeError unless `dtype` is one of shendu's dtypes. */
export function checkDType(op: string, dtype: unknown): DType {
  if (typeof dtype !== 'string' || !(DTYPES as readonly string[]).includes(dtype)) {
    throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(dtype)}, expected one of ${DTYPES.join(', ')}`);
  }
  return dtype as DType;
}
