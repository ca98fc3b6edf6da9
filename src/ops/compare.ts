/**
 * Comparisons and logic: eq ne lt le gt ge (bool results, broadcasting), logical and/or/xor/not, isnan,
 * isinf, where, and the whole-tensor checks equal and allclose.
 * @module
 */
import type { BinaryOp } from '../backend/types.js';
import * as P from '../autograd/primitives.js';
import { DTypeError, ValueError } from '../errors.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkNumber, checkScalarish, checkTensor, operands, resultType, type Scalarish } from './util.js';

function compare(op: BinaryOp, a: Scalarish, b: Scalarish): Tensor {
  const [x, y] = operands(op, a, b);
  broadcastShapes(op, x.shape, y.shape);
  return P.binary(op, x, y);
}

/** `a == b` elementwise (bool). */
export const eq = (a: Scalarish, b: Scalarish): Tensor => compare('eq', a, b);
/** `a != b` elementwise (bool). */
export const ne = (a: Scalarish, b: Scalarish): Tensor => compare('ne', a, b);
/** `a < b` elementwise (bool). */
export const lt = (a: Scalarish, b: Scalarish): Tensor => compare('lt', a, b);
/** `a <= b` elementwise (bool). */
export const le = (a: Scalarish, b: Scalarish): Tensor => compare('le', a, b);
/** `a > b` elementwise (bool). */
export const gt = (a: Scalarish, b: Scalarish): Tensor => compare('gt', a, b);
/** `a >= b` elementwise (bool). */
export const ge = (a: Scalarish, b: Scalarish): Tensor => compare('ge', a, b);
/** Logical and of truthiness (bool). */
export const logicalAnd = (a: Scalarish, b: Scalarish): Tensor => compare('logicalAnd', a, b);
/** Logical or of truthiness (bool). */
export const logicalOr = (a: Scalarish, b: Scalarish): Tensor => compare('logicalOr', a, b);
/** Logical exclusive or of truthiness (bool). */
export const logicalXor = (a: Scalarish, b: Scalarish): Tensor => compare('logicalXor', a, b);

// Bool results have no gradient: the input is detached so that nothing is recorded for them.
function boolUnary(op: 'logicalNot' | 'isnan' | 'isinf', x: Tensor): Tensor {
  return P.unary(op, P.detach(checkTensor(op, x)), { dtype: 'bool' });
}

/** Logical not of truthiness (bool). */
export function logicalNot(x: Tensor): Tensor {
  return boolUnary('logicalNot', x);
}

/** True where x is NaN. */
export function isnan(x: Tensor): Tensor {
  return boolUnary('isnan', x);
}

/** True where x is +-Infinity. */
export function isinf(x: Tensor): Tensor {
  return boolUnary('isinf', x);
}

/**
 * Picks `a` where `cond` (bool) is true and `b` elsewhere, broadcasting all three; a and b may be numbers (two
 * integers give int32, as PyTorch's int64). Gradients flow to each tensor branch where it was picked.
 */
export function where(cond: Tensor, a: Scalarish, b: Scalarish): Tensor {
  checkTensor('where', cond, 'condition');
  if (cond.dtype !== 'bool') throw new DTypeError(`where: condition must be a bool tensor, got dtype ${cond.dtype}`);
  checkScalarish('where', a, 'input');
  checkScalarish('where', b, 'other');
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : cond;
  const dtype = resultType(a, b);
  const x = a instanceof Tensor ? P.cast(a, dtype) : P.scalarOf(Number(a), dtype, like);
  const y = b instanceof Tensor ? P.cast(b, dtype) : P.scalarOf(Number(b), dtype, like);
  broadcastShapes('where', broadcastShapes('where', cond.shape, x.shape), y.shape);
  return P.where(cond, x, y);
}

/** True when both tensors have the same shape and equal elements. */
export function equal(a: Tensor, b: Tensor): boolean {
  checkTensor('equal', a);
  checkTensor('equal', b, 'other');
  if (a.ndim !== b.ndim || a.shape.some((s, i) => s !== b.shape[i])) return false;
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * True when `|a - b| <= atol + rtol * |b|` everywhere (shapes broadcast), as torch.allclose; an infinity is close
 * only to the same infinity, and NaNs are close to each other only with `equalNan`.
 */
export function allclose(a: Tensor, b: Tensor, opts: { rtol?: number; atol?: number; equalNan?: boolean } = {}): boolean {
  checkTensor('allclose', a);
  checkTensor('allclose', b, 'other');
  const rtol = checkNumber('allclose', opts.rtol ?? 1e-5, 'rtol');
  const atol = checkNumber('allclose', opts.atol ?? 1e-8, 'atol');
  if (rtol < 0 || atol < 0) throw new ValueError(`allclose: rtol and atol must be >= 0, got ${rtol} and ${atol}`);
  const shape = broadcastShapes('allclose', a.shape, b.shape);
  const x = P.expand(a, shape).toTypedArray();
  const y = P.expand(b, shape).toTypedArray();
  const nanOk = opts.equalNan ?? false;
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    if (Number.isNaN(u) || Number.isNaN(v)) {
      if (nanOk && Number.isNaN(u) && Number.isNaN(v)) continue;
      return false;
    }
    if (u === v) continue;
    if (!Number.isFinite(u) || !Number.isFinite(v)) return false;
    if (!(Math.abs(u - v) <= atol + rtol * Math.abs(v))) return false;
  }
  return true;
}
