/**
 * More elementwise arithmetic, with PyTorch's semantics: fmod (C's, sign of the dividend), remainder (Python's,
 * sign of the divisor), floorDivide (rounds toward -inf), hypot, copysign, lerp, addcmul, addcdiv, frac, sgn,
 * isfinite, nanToNum and clip (an alias of clamp). Binary ops broadcast and promote as `add` does.
 * @module
 */
import type { DType } from '../backend/types.js';
import * as P from '../autograd/primitives.js';
import { DTypeError, ValueError } from '../errors.js';
import { DEFAULT_FLOAT, isFloating } from '../tensor/dtype.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, clamp, mul, div, sign } from './elementwise.js';
import { checkNumber, checkScalarish, checkTensor, operands, resultType, type Scalarish } from './util.js';

function division(op: 'fmod' | 'remainder' | 'floorDivide', a: Scalarish, b: Scalarish): Tensor {
  const dtype = resultType(checkScalarish(op, a, 'input'), checkScalarish(op, b, 'other'));
  if (dtype === 'bool') throw new DTypeError(`${op}: inputs must not both be bool, got dtype bool`);
  const [x, y] = operands(op, a, b, dtype);
  broadcastShapes(op, x.shape, y.shape);
  // Integer division by zero has no value to give (PyTorch raises too); floats give inf/NaN as IEEE says.
  if (!isFloating(dtype) && y.toTypedArray().includes(0)) throw new ValueError(`${op}: integer division by zero: other has a zero element`);
  // floor division has no derivative (PyTorch raises on backward): its result is left out of the graph
  return op === 'floorDivide' ? P.binary(op, P.detach(x), P.detach(y)) : P.binary(op, x, y);
}

/** `a - trunc(a / b) * b` elementwise (C's fmod: the result has the sign of `a`), broadcast. Integers stay integers. */
export const fmod = (a: Scalarish, b: Scalarish): Tensor => division('fmod', a, b);

/** `a - floor(a / b) * b` elementwise (Python's %: the result has the sign of `b`), broadcast. */
export const remainder = (a: Scalarish, b: Scalarish): Tensor => division('remainder', a, b);

/**
 * `floor(a / b)` elementwise, broadcast (PyTorch >= 1.13 rounds toward -inf; integer inputs stay integer). Not
 * differentiable: the result does not require grad (PyTorch's raises when backward reaches it).
 */
export const floorDivide = (a: Scalarish, b: Scalarish): Tensor => division('floorDivide', a, b);

function floatPair(op: 'hypot' | 'copysign', a: Scalarish, b: Scalarish): Tensor {
  let dtype: DType = resultType(checkScalarish(op, a, 'input'), checkScalarish(op, b, 'other'));
  if (!isFloating(dtype)) dtype = DEFAULT_FLOAT;
  const [x, y] = operands(op, a, b, dtype);
  broadcastShapes(op, x.shape, y.shape);
  return P.binary(op, x, y);
}

/** `sqrt(a^2 + b^2)` elementwise without overflow or underflow in the squares, broadcast; integers give float32. */
export const hypot = (a: Scalarish, b: Scalarish): Tensor => floatPair('hypot', a, b);

/** `|a|` with the sign of `b` (its sign bit: -0 counts as negative), broadcast; integers give float32. */
export const copysign = (a: Scalarish, b: Scalarish): Tensor => floatPair('copysign', a, b);

/**
 * Linear interpolation `start + weight * (end - start)`, broadcast over all three; `weight` is a number or a
 * tensor. As PyTorch, |weight| >= 0.5 computes `end - (end - start) * (1 - weight)` so that weight 1 gives `end`
 * exactly. start, end (and a tensor weight) must share one floating dtype.
 */
export function lerp(start: Tensor, end: Tensor, weight: Scalarish): Tensor {
  checkTensor('lerp', start);
  checkTensor('lerp', end, 'end');
  checkScalarish('lerp', weight, 'weight');
  if (!isFloating(start.dtype)) throw new DTypeError(`lerp: input must be a floating-point tensor, got dtype ${start.dtype}`);
  if (end.dtype !== start.dtype) throw new DTypeError(`lerp: end must have the input's dtype ${start.dtype}, got dtype ${end.dtype}`);
  let shape = broadcastShapes('lerp', start.shape, end.shape);
  const diff = P.binary('sub', end, start);
  if (typeof weight !== 'object') {
    const w = checkNumber('lerp', Number(weight), 'weight');
    if (Math.abs(w) < 0.5) return P.binary('add', start, P.binary('mul', P.scalarOf(w, start.dtype, start), diff));
    return P.binary('sub', end, P.binary('mul', diff, P.scalarOf(1 - w, start.dtype, start)));
  }
  if (weight.dtype !== start.dtype) throw new DTypeError(`lerp: weight must have the input's dtype ${start.dtype}, got dtype ${weight.dtype}`);
  shape = broadcastShapes('lerp', shape, weight.shape);
  const small = P.binary('lt', P.unary('abs', P.detach(weight)), P.scalarOf(0.5, weight.dtype, weight));
  const one = P.scalarOf(1, start.dtype, start);
  const lo = P.binary('add', start, P.binary('mul', weight, diff));
  const hi = P.binary('sub', end, P.binary('mul', diff, P.binary('sub', one, weight)));
  return P.expand(P.where(small, lo, hi), shape);
}

/** `input + value * tensor1 * tensor2` (value default 1), broadcast over all three. */
export function addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, opts: { value?: number } = {}): Tensor {
  checkTensor('addcmul', input);
  checkTensor('addcmul', tensor1, 'tensor1');
  checkTensor('addcmul', tensor2, 'tensor2');
  const value = checkNumber('addcmul', opts.value ?? 1, 'value');
  broadcastShapes('addcmul', broadcastShapes('addcmul', input.shape, tensor1.shape), tensor2.shape);
  const prod = mul(tensor1, tensor2);
  return add(input, value === 1 ? prod : mul(prod, value));
}

/** `input + value * tensor1 / tensor2` (value default 1), broadcast over all three; integer division is refused. */
export function addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, opts: { value?: number } = {}): Tensor {
  checkTensor('addcdiv', input);
  checkTensor('addcdiv', tensor1, 'tensor1');
  checkTensor('addcdiv', tensor2, 'tensor2');
  const value = checkNumber('addcdiv', opts.value ?? 1, 'value');
  if (!isFloating(tensor1.dtype) && !isFloating(tensor2.dtype)) {
    throw new DTypeError(`addcdiv: integer division is not supported: tensor1 ${tensor1.dtype}, tensor2 ${tensor2.dtype}; use floating-point tensors`);
  }
  broadcastShapes('addcdiv', broadcastShapes('addcdiv', input.shape, tensor1.shape), tensor2.shape);
  const q = div(tensor1, tensor2);
  return add(input, value === 1 ? q : mul(q, value));
}

/** The fractional part `x - trunc(x)`, with the sign of x (gradient 1); floating-point tensors only. */
export function frac(x: Tensor): Tensor {
  checkTensor('frac', x);
  if (!isFloating(x.dtype)) throw new DTypeError(`frac: input must be a floating-point tensor, got dtype ${x.dtype}`);
  return P.binary('sub', x, P.unary('trunc', x));
}

/** The sign of x (-1, 0 or 1; NaN for NaN): for real tensors, torch.sgn is torch.sign. */
export const sgn = (x: Tensor): Tensor => sign(x);

/** True where x is neither infinite nor NaN (bool, same shape); integer and bool tensors are finite everywhere. */
export function isfinite(x: Tensor): Tensor {
  checkTensor('isfinite', x);
  if (!isFloating(x.dtype)) return P.filled(x.shape, 1, 'bool', x.device);
  const d = P.detach(x);
  return P.binary('eq', P.binary('sub', d, d), P.scalarOf(0, x.dtype, x));
}

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Replaces NaN by `nan` (default 0), +inf by `posinf` and -inf by `neginf` (defaults: the largest and lowest
 * finite values of x's dtype). Integer and bool tensors come back as a copy. The gradient passes where x is
 * finite and is 0 elsewhere, as PyTorch's.
 */
export function nanToNum(x: Tensor, opts: { nan?: number; posinf?: number | null; neginf?: number | null } = {}): Tensor {
  checkTensor('nanToNum', x);
  const nan = checkNumber('nanToNum', opts.nan ?? 0, 'nan');
  const big = x.dtype === 'float32' ? FLOAT32_MAX : Number.MAX_VALUE;
  const posinf = checkNumber('nanToNum', opts.posinf ?? big, 'posinf');
  const neginf = checkNumber('nanToNum', opts.neginf ?? -big, 'neginf');
  if (!isFloating(x.dtype)) return P.copy(x);
  const d = P.detach(x);
  const s = (v: number) => P.scalarOf(v, x.dtype, x);
  const y = P.where(P.binary('eq', d, s(Infinity)), s(posinf), P.where(P.binary('eq', d, s(-Infinity)), s(neginf), x));
  return P.where(P.binary('ne', d, d), s(nan), y);
}

/** Alias of `clamp` (torch.clip): limits values to [min, max]. */
export const clip = (x: Tensor, min?: Scalarish | null, max?: Scalarish | null): Tensor => clamp(x, min, max);
