/**
 * Trigonometric and hyperbolic functions and the other bases of exp and log: tan asin acos atan sinh cosh
 * asinh acosh atanh, log2 log10 exp2. Each is one backend primitive (asinh and atanh near 0, log2 of powers of
 * two stay exact, where a formula through exp/log would lose digits). Integer and bool inputs compute in
 * float32, as PyTorch's do. Shapes are unchanged.
 * @module
 */
import type { UnaryOp } from '../backend/types.js';
import * as P from '../autograd/primitives.js';
import { DEFAULT_FLOAT, isFloating } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/** Runs a float-valued unary primitive on `x` (integer and bool inputs become float32 first). */
export function floatMath(op: UnaryOp, x: Tensor, name: string = op, p = 0): Tensor {
  checkTensor(name, x);
  return P.unary(op, isFloating(x.dtype) ? x : P.cast(x, DEFAULT_FLOAT), { p });
}

/** Tangent (radians), elementwise. */
export const tan = (x: Tensor): Tensor => floatMath('tan', x);
/** Arcsine, in [-pi/2, pi/2]; NaN outside [-1, 1]. */
export const asin = (x: Tensor): Tensor => floatMath('asin', x);
/** Arccosine, in [0, pi]; NaN outside [-1, 1]. */
export const acos = (x: Tensor): Tensor => floatMath('acos', x);
/** Arctangent, in (-pi/2, pi/2). */
export const atan = (x: Tensor): Tensor => floatMath('atan', x);
/** Hyperbolic sine. */
export const sinh = (x: Tensor): Tensor => floatMath('sinh', x);
/** Hyperbolic cosine. */
export const cosh = (x: Tensor): Tensor => floatMath('cosh', x);
/** Inverse hyperbolic sine, accurate near 0. */
export const asinh = (x: Tensor): Tensor => floatMath('asinh', x);
/** Inverse hyperbolic cosine; NaN below 1. */
export const acosh = (x: Tensor): Tensor => floatMath('acosh', x);
/** Inverse hyperbolic tangent, accurate near 0; ±inf at ±1, NaN outside [-1, 1]. */
export const atanh = (x: Tensor): Tensor => floatMath('atanh', x);
/** Base-2 logarithm. */
export const log2 = (x: Tensor): Tensor => floatMath('log2', x);
/** Base-10 logarithm. */
export const log10 = (x: Tensor): Tensor => floatMath('log10', x);
/** `2 ** x`. */
export const exp2 = (x: Tensor): Tensor => floatMath('exp2', x);

/** PyTorch's aliases of the inverse functions (torch.arcsin ...). */
export { asin as arcsin, acos as arccos, atan as arctan, asinh as arcsinh, acosh as arccosh, atanh as arctanh };
