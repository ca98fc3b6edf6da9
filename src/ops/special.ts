/**
 * Special functions: erfc, erfinv, lgamma, digamma, polygamma, and the log-odds family logit and xlogy.
 * erfc/erfinv/lgamma/digamma/polygamma are backend primitives computed to double precision (src/backend/cpu/
 * special.ts); their gradients chain through one another (lgamma' = digamma, digamma' = polygamma(1), ...), so
 * derivatives of any order exist. Integer and bool inputs compute in float32, as PyTorch's do.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DEFAULT_FLOAT, isFloating } from '../tensor/dtype.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { floatMath } from './trig.js';
import { checkInt, checkNumber, checkTensor, operands, resultType, type Scalarish } from './util.js';

/** `1 - erf(x)`, without the cancellation of that formula for large x (erfc(10) = 2.1e-45 in float64). */
export const erfc = (x: Tensor): Tensor => floatMath('erfc', x);
/** The inverse of erf on [-1, 1]: ±inf at ±1, NaN outside. */
export const erfinv = (x: Tensor): Tensor => floatMath('erfinv', x);
/** `log|Gamma(x)|`; +inf at 0 and the negative integers. */
export const lgamma = (x: Tensor): Tensor => floatMath('lgamma', x);
/** The digamma function `Gamma'(x) / Gamma(x)`; ∓inf at ±0, NaN at the negative integers (as PyTorch). */
export const digamma = (x: Tensor): Tensor => floatMath('digamma', x);

/**
 * The polygamma function: the n-th derivative of digamma (`polygamma(0, x)` is digamma). Note the argument
 * order, as torch.polygamma(n, input); the method form is `x.polygamma(n)`.
 */
export function polygamma(n: number, x: Tensor): Tensor {
  checkInt('polygamma', n, 'n', 0);
  return n === 0 ? floatMath('digamma', x, 'polygamma') : floatMath('polygamma', x, 'polygamma', n);
}

/**
 * The log-odds `log(x / (1 - x))`. With `eps`, x is first clamped to [eps, 1 - eps] (the gradient is 0 outside,
 * as PyTorch's); without it, 0 and 1 give -inf and inf and values outside [0, 1] give NaN.
 */
export function logit(x: Tensor, opts: { eps?: number | null } = {}): Tensor {
  checkTensor('logit', x);
  let z = isFloating(x.dtype) ? x : P.cast(x, DEFAULT_FLOAT);
  if (opts.eps !== undefined && opts.eps !== null) {
    const eps = checkNumber('logit', opts.eps, 'eps');
    z = P.unary('clamp', z, { p: eps, q: 1 - eps });
  }
  return P.unary('log', P.binary('div', z, P.binary('sub', P.scalarOf(1, z.dtype, z), z)));
}

/**
 * `x * log(y)`, broadcast, with 0 where x == 0 (even where log(y) is -inf or inf) unless y is NaN. The gradient
 * is PyTorch's: log(y) for x (0 where x == 0 and y <= 0) and x / y for y; where x == 0 and y is 0 or inf the
 * gradients are 0 (PyTorch gives NaN for y and inf for x there). Integer inputs give float32.
 */
export function xlogy(x: Scalarish, y: Scalarish): Tensor {
  let dtype = resultType(x, y);
  if (!isFloating(dtype)) dtype = DEFAULT_FLOAT;
  const [a, b] = operands('xlogy', x, y, dtype);
  broadcastShapes('xlogy', a.shape, b.shape);
  // where x == 0 and log(y) is not finite, log is taken of 1 instead: no 0 * inf = NaN in the value or gradients
  const bd = P.detach(b);
  const zero = P.scalarOf(0, dtype, a);
  const bad = P.binary('logicalOr', P.binary('le', bd, zero), P.binary('eq', bd, P.scalarOf(Infinity, dtype, a)));
  const skip = P.binary('logicalAnd', P.binary('eq', P.detach(a), zero), bad);
  return P.binary('mul', a, P.unary('log', P.where(skip, P.scalarOf(1, dtype, b), b)));
}
