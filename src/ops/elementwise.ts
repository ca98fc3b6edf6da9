/**
 * Elementwise arithmetic and math: add sub mul div pow neg maximum minimum clamp, and exp log … square.
 * Binary ops broadcast as in PyTorch and promote dtypes (int op float -> float; a JS number does not widen a
 * float tensor). Math functions of integer tensors compute in float32, as PyTorch's do.
 * @module
 */
import type { DType, UnaryOp } from '../backend/types.js';
import * as P from '../autograd/primitives.js';
import { DTypeError, ValueError } from '../errors.js';
import { DEFAULT_FLOAT, isFloating } from '../tensor/dtype.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { asTensor, checkNumber, checkScalarish, checkTensor, operands, resultType, type Scalarish } from './util.js';
import { traceOp, tracing } from './trace-hook.js';

type ArithOp = 'add' | 'sub' | 'mul' | 'maximum' | 'minimum' | 'atan2';

function arithType(op: ArithOp, a: Scalarish, b: Scalarish): DType {
  const dtype = resultType(checkScalarish(op, a, 'input'), checkScalarish(op, b, 'other'));
  // Arithmetic on bool operands counts them as 0/1 integers (PyTorch would give bool; this is less surprising).
  if (dtype === 'bool') return 'int32';
  return op === 'atan2' && !isFloating(dtype) ? DEFAULT_FLOAT : dtype;
}

function arith(op: ArithOp, a: Scalarish, b: Scalarish): Tensor {
  const [x, y] = operands(op, a, b, arithType(op, a, b));
  broadcastShapes(op, x.shape, y.shape);
  return P.binary(op, x, y);
}

// a ± alpha * b, with alpha applied in the result dtype (so a number or 0-d `b` promotes as it would unscaled)
function addSub(op: 'add' | 'sub', a: Scalarish, b: Scalarish, alpha: number | undefined): Tensor {
  if (alpha === undefined) return arith(op, a, b);
  const al = checkNumber(op, alpha, 'alpha');
  if (al === 1) return arith(op, a, b);
  const dtype = arithType(op, a, b);
  if (!isFloating(dtype) && !Number.isInteger(al)) {
    throw new ValueError(`${op}: alpha must be an integer for integer operands (result dtype ${dtype}), got ${al}`);
  }
  const [x, y] = operands(op, a, b, dtype);
  broadcastShapes(op, x.shape, y.shape);
  return P.binary(op, x, P.binary('mul', y, P.scalarOf(al, dtype, y)));
}

/** `a + alpha * b` elementwise, with broadcasting. Two bool tensors add as int32 0/1 (PyTorch gives a logical or). */
export function add(a: Scalarish, b: Scalarish, opts: { alpha?: number } = {}): Tensor {
  if (tracing.tracer !== null) return traceOp('add', [a, b], { alpha: opts.alpha ?? 1 }, () => add(a, b, opts));
  return addSub('add', a, b, opts.alpha);
}

/** `a - alpha * b` elementwise, with broadcasting. */
export function sub(a: Scalarish, b: Scalarish, opts: { alpha?: number } = {}): Tensor {
  if (tracing.tracer !== null) return traceOp('sub', [a, b], { alpha: opts.alpha ?? 1 }, () => sub(a, b, opts));
  return addSub('sub', a, b, opts.alpha);
}

/** `a * b` elementwise, with broadcasting. Two bool tensors multiply as int32 0/1 (PyTorch gives a logical and). */
export function mul(a: Scalarish, b: Scalarish): Tensor {
  if (tracing.tracer !== null) return traceOp('mul', [a, b], {}, () => mul(a, b));
  return arith('mul', a, b);
}

/** `a / b` elementwise (true division: integer inputs give float32), with broadcasting. */
export function div(a: Scalarish, b: Scalarish): Tensor {
  if (tracing.tracer !== null) return traceOp('div', [a, b], {}, () => div(a, b));
  let dtype = resultType(checkScalarish('div', a, 'input'), checkScalarish('div', b, 'other'));
  if (!isFloating(dtype)) dtype = DEFAULT_FLOAT;
  const [x, y] = operands('div', a, b, dtype);
  broadcastShapes('div', x.shape, y.shape);
  return P.binary('div', x, y);
}

/** `a ** b` elementwise; a number exponent takes the fast single-input path. */
export function pow(a: Scalarish, b: Scalarish): Tensor {
  checkScalarish('pow', a, 'input');
  checkScalarish('pow', b, 'exponent');
  if (a instanceof Tensor && typeof b === 'number') {
    let dtype = resultType(a, b);
    if (dtype === 'bool') dtype = 'int32';
    if (!isFloating(dtype) && b < 0) throw new ValueError(`pow: integer tensors cannot be raised to negative powers, got exponent ${b}`);
    if (b === 2) return P.unary('square', P.cast(a, dtype));
    if (b === 1) return P.cast(a, dtype);
    return P.unary('powScalar', P.cast(a, dtype), { p: b });
  }
  let dtype = resultType(a, b);
  if (dtype === 'bool') dtype = 'int32';
  const [x, y] = operands('pow', a, b, dtype);
  broadcastShapes('pow', x.shape, y.shape);
  return P.binary('pow', x, y);
}

/** Elementwise maximum of two tensors (gradient split evenly on ties, as PyTorch). */
export function maximum(a: Tensor, b: Scalarish): Tensor {
  checkTensor('maximum', a);
  return arith('maximum', a, b);
}

/** Elementwise minimum of two tensors (gradient split evenly on ties, as PyTorch). */
export function minimum(a: Tensor, b: Scalarish): Tensor {
  checkTensor('minimum', a);
  return arith('minimum', a, b);
}

/** Elementwise angle atan2(a, b) in radians. */
export function atan2(a: Scalarish, b: Scalarish): Tensor {
  return arith('atan2', a, b);
}

/**
 * Limits values to [min, max] as `min(max(x, min), max)`: when min > max every element becomes max, as PyTorch.
 * Either bound may be null. Number bounds use one fused kernel; tensor bounds broadcast with x, and dtypes promote
 * as torch.result_type. Gradients as PyTorch's: x gets it where min <= x <= max, a tensor min where x < min < max,
 * a tensor max where x > max or max < min (so where x < min = max, nothing does).
 */
export function clamp(x: Tensor, min?: Scalarish | null, max?: Scalarish | null): Tensor {
  checkTensor('clamp', x);
  const lo = min ?? null;
  const hi = max ?? null;
  if (lo === null && hi === null) throw new ValueError('clamp: at least one of min and max must be given');
  if (lo !== null) checkScalarish('clamp', lo, 'min');
  if (hi !== null) checkScalarish('clamp', hi, 'max');
  if (x.dtype === 'bool') throw new DTypeError('clamp: input must not be bool, got dtype bool');
  const dtype = resultType(x, ...[lo, hi].filter((b): b is Scalarish => b !== null));
  if (!(lo instanceof Tensor) && !(hi instanceof Tensor)) {
    return P.unary('clamp', P.cast(x, dtype), { p: lo === null ? -Infinity : Number(lo), q: hi === null ? Infinity : Number(hi) });
  }
  const a = P.cast(x, dtype);
  const m = lo === null ? null : asTensor(lo, dtype, x);
  const n = hi === null ? null : asTensor(hi, dtype, x);
  broadcastShapes('clamp', broadcastShapes('clamp', a.shape, m?.shape ?? []), n?.shape ?? []);
  if (m === null) return P.where(P.binary('gt', a, n!), n!, a);
  if (n === null) return P.where(P.binary('lt', a, m), m, a);
  // The three masks pick which input the gradient goes to; the leftover elements (x < min == max, NaN x) take
  // the clamped value without a gradient.
  const [ad, md, nd] = [P.detach(a), P.detach(m), P.detach(n)];
  const up = P.where(P.binary('lt', ad, md), md, ad);
  const value = P.where(P.binary('gt', up, nd), nd, up);
  const inX = P.binary('logicalAnd', P.binary('ge', a, m), P.binary('le', a, n));
  const inMin = P.binary('logicalAnd', P.binary('lt', a, m), P.binary('lt', m, n));
  const notNan = P.binary('eq', ad, ad);
  const inMax = P.binary('logicalOr', P.binary('gt', a, n), P.binary('logicalAnd', P.binary('lt', n, m), notNan));
  return P.where(inX, a, P.where(inMin, m, P.where(inMax, n, value)));
}

/** Runs a unary kernel; `floatOnly` ops compute integer inputs in float32. */
function unaryOp(op: UnaryOp, x: Tensor, floatOnly: boolean, params: { p?: number; q?: number } = {}): Tensor {
  checkTensor(op, x);
  if (x.dtype === 'bool' && op !== 'logicalNot') {
    if (!floatOnly) throw new DTypeError(`${op}: input must not be bool, got dtype bool`);
  }
  const input = floatOnly && !isFloating(x.dtype) ? P.cast(x, DEFAULT_FLOAT) : x;
  return P.unary(op, input, params);
}

/** `-x`. */
export const neg = (x: Tensor): Tensor => unaryOp('neg', x, false);
/** `|x|`. */
export const abs = (x: Tensor): Tensor => unaryOp('abs', x, false);
/** -1, 0 or 1 by the sign of x (zero gradient). */
export const sign = (x: Tensor): Tensor => unaryOp('sign', x, false);
/** `x * x`. */
export const square = (x: Tensor): Tensor => unaryOp('square', x, false);
/** `e ** x`. */
export const exp = (x: Tensor): Tensor => unaryOp('exp', x, true);
/** `e ** x - 1`, accurate near 0. */
export const expm1 = (x: Tensor): Tensor => unaryOp('expm1', x, true);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unaryOp('log', x, true);
/** `log(1 + x)`, accurate near 0. */
export const log1p = (x: Tensor): Tensor => unaryOp('log1p', x, true);
/** Square root. */
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x, true);
/** `1 / sqrt(x)`. */
export const rsqrt = (x: Tensor): Tensor => unaryOp('rsqrt', x, true);
/** `1 / x`. */
export const reciprocal = (x: Tensor): Tensor => unaryOp('reciprocal', x, true);
/** Sine (radians). */
export const sin = (x: Tensor): Tensor => unaryOp('sin', x, true);
/** Cosine (radians). */
export const cos = (x: Tensor): Tensor => unaryOp('cos', x, true);
/** The error function. */
export const erf = (x: Tensor): Tensor => unaryOp('erf', x, true);
/** Round down (zero gradient). */
export const floor = (x: Tensor): Tensor => (isFloating(checkTensor('floor', x).dtype) ? unaryOp('floor', x, true) : x);
/** Round up (zero gradient). */
export const ceil = (x: Tensor): Tensor => (isFloating(checkTensor('ceil', x).dtype) ? unaryOp('ceil', x, true) : x);
/** Round to nearest, ties to even (zero gradient). */
export const round = (x: Tensor): Tensor => (isFloating(checkTensor('round', x).dtype) ? unaryOp('round', x, true) : x);
/** Round toward zero (zero gradient). */
export const trunc = (x: Tensor): Tensor => (isFloating(checkTensor('trunc', x).dtype) ? unaryOp('trunc', x, true) : x);
