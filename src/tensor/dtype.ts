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
  return resultTypeOf([{ dtype: a, ndim: 1 }, value]);
}

/** An operand as type promotion sees it: a tensor (its dtype and number of dims) or a JS number/boolean. */
export type PromotionOperand = { readonly dtype: DType; readonly ndim: number } | number | boolean;

type Maybe = DType | null;

function promoteMaybe(a: Maybe, b: Maybe): Maybe {
  return a === null ? b : b === null ? a : promoteTypes(a, b);
}

// PyTorch's combine_categories: the lower-priority group counts only when it is of a higher category.
function combineCategories(higher: Maybe, lower: Maybe): Maybe {
  if (higher !== null && isFloating(higher)) return higher;
  if (higher === 'bool' || (lower !== null && isFloating(lower))) return promoteMaybe(higher, lower);
  return higher ?? lower;
}

/**
 * The dtype an op's operands promote to, exactly as torch.result_type: tensors with dims outrank 0-d tensors,
 * which outrank JS numbers, unless the lower-ranked group is of a higher category (bool < integer < float).
 * So float32 [2] with a float64 0-d gives float32, int32 [2] with a float64 0-d gives float64, and int32 [2]
 * with the number 2.5 gives float32. A JS number counts as a Python scalar: an integer as int (int32 here), a
 * fractional or infinite number as the default float, a boolean as bool.
 */
export function resultTypeOf(operands: readonly PromotionOperand[]): DType {
  let dim: Maybe = null;
  let zero: Maybe = null;
  let wrapped: Maybe = null;
  for (const x of operands) {
    if (typeof x === 'boolean') wrapped = promoteMaybe(wrapped, 'bool');
    else if (typeof x === 'number') wrapped = promoteMaybe(wrapped, Number.isInteger(x) ? 'int32' : DEFAULT_FLOAT);
    else if (x.ndim > 0) dim = promoteMaybe(dim, x.dtype);
    else zero = promoteMaybe(zero, x.dtype);
  }
  return combineCategories(dim, combineCategories(zero, wrapped)) ?? DEFAULT_FLOAT;
}

/**
 * Whether a result of dtype `from` may be written into a tensor of dtype `to` (torch.can_cast): not a float into
 * an integer or bool tensor, not an integer into a bool tensor. In-place ops check this before they write.
 */
export function canCast(from: DType, to: DType): boolean {
  if (isFloating(from)) return isFloating(to);
  return from === 'bool' || to !== 'bool';
}

/** Throws a DTypeError unless `dtype` is one of shendu's dtypes. */
export function checkDType(op: string, dtype: unknown): DType {
  if (typeof dtype !== 'string' || !(DTYPES as readonly string[]).includes(dtype)) {
    throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(dtype)}, expected one of ${DTYPES.join(', ')}`);
  }
  return dtype as DType;
}
