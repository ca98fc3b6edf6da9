/**
 * Activation functions and softmax: sigmoid tanh relu leakyRelu elu softplus gelu, softmax and logSoftmax
 * along a dim (stable for logits of 1e4: the row maximum is subtracted first).
 * @module
 */
import type { UnaryOp } from '../backend/types.js';
import * as P from '../autograd/primitives.js';
import { DTypeError, ValueError } from '../errors.js';
import { DEFAULT_FLOAT, isFloating } from '../tensor/dtype.js';
import { normDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { softmaxLastDim } from '../autograd/softmax-fused.js';
import { checkNumber, checkTensor } from './util.js';
import { traceOp, tracing } from './trace-hook.js';

function floatUnary(op: UnaryOp, x: Tensor, params: { p?: number; q?: number } = {}): Tensor {
  checkTensor(op, x);
  return P.unary(op, isFloating(x.dtype) ? x : P.cast(x, DEFAULT_FLOAT), params);
}

/** Logistic sigmoid `1 / (1 + e^-x)`. */
export const sigmoid = (x: Tensor): Tensor => (tracing.tracer !== null ? traceOp('sigmoid', [x], {}, () => sigmoid(x)) : floatUnary('sigmoid', x));

/** Hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => (tracing.tracer !== null ? traceOp('tanh', [x], {}, () => tanh(x)) : floatUnary('tanh', x));

/** `max(x, 0)`; integer tensors stay integer. */
export function relu(x: Tensor): Tensor {
  if (tracing.tracer !== null) return traceOp('relu', [x], {}, () => relu(x));
  checkTensor('relu', x);
  if (x.dtype === 'bool') throw new DTypeError('relu: input must not be bool');
  return P.unary('relu', x);
}

/** `x` for x > 0, else `negativeSlope * x` (default slope 0.01). */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  if (tracing.tracer !== null) return traceOp('leakyRelu', [x], { negativeSlope }, () => leakyRelu(x, negativeSlope));
  return floatUnary('leakyRelu', x, { p: checkNumber('leakyRelu', negativeSlope, 'negativeSlope') });
}

/** `x` for x > 0, else `alpha * (e^x - 1)` (default alpha 1). */
export function elu(x: Tensor, alpha = 1): Tensor {
  if (tracing.tracer !== null) return traceOp('elu', [x], { alpha }, () => elu(x, alpha));
  return floatUnary('elu', x, { p: checkNumber('elu', alpha, 'alpha') });
}

/** `log(1 + e^(beta x)) / beta`, linear where `beta x > threshold` (defaults 1 and 20, as PyTorch). */
export function softplus(x: Tensor, opts: { beta?: number; threshold?: number } = {}): Tensor {
  if (tracing.tracer !== null) return traceOp('softplus', [x], { beta: opts.beta ?? 1, threshold: opts.threshold ?? 20 }, () => softplus(x, opts));
  const beta = checkNumber('softplus', opts.beta ?? 1, 'beta');
  if (beta === 0) throw new ValueError('softplus: beta must be nonzero, got 0');
  return floatUnary('softplus', x, { p: beta, q: checkNumber('softplus', opts.threshold ?? 20, 'threshold') });
}

/**
 * Gaussian error linear unit `x * Phi(x)`; `approximate: 'tanh'` uses
 * `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))` as PyTorch does.
 */
export function gelu(x: Tensor, opts: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  if (tracing.tracer !== null) return traceOp('gelu', [x], { approximate: opts.approximate ?? 'none' }, () => gelu(x, opts));
  const mode = opts.approximate ?? 'none';
  if (mode === 'none') return floatUnary('gelu', x);
  if (mode !== 'tanh') throw new ValueError(`gelu: approximate must be 'none' or 'tanh', got '${String(mode)}'`);
  const xf = isFloating(checkTensor('gelu', x).dtype) ? x : P.cast(x, DEFAULT_FLOAT);
  const c = P.scalarOf(Math.sqrt(2 / Math.PI), xf.dtype, xf);
  const inner = P.binary('mul', c, P.binary('add', xf, P.binary('mul', P.scalarOf(0.044715, xf.dtype, xf), P.unary('powScalar', xf, { p: 3 }))));
  const half = P.binary('mul', P.scalarOf(0.5, xf.dtype, xf), xf);
  return P.binary('mul', half, P.binary('add', P.scalarOf(1, xf.dtype, xf), P.unary('tanh', inner)));
}

/** The checked dim of a softmax-like op over a float `x` (-1 for a 0-d x). */
function softmaxDim(op: string, x: Tensor, dim: number): number {
  checkTensor(op, x);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: input must be a floating-point tensor, got dtype ${x.dtype}`);
  if (dim === undefined || dim === null) throw new ValueError(`${op}: dim is required, got ${String(dim)}`);
  const d = normDim(op, dim, x.ndim);
  return x.ndim === 0 ? -1 : d;
}

/** x minus its maximum along the checked dim `d` (x - x for a 0-d x, d = -1). */
function shifted(x: Tensor, d: number): Tensor {
  if (d < 0) return P.binary('sub', x, x);
  // Subtracting the row maximum keeps exp() finite; the result does not depend on the shift, so it is taken
  // from a detached copy (no gradient flows through it). Rows whose maximum is +-inf are not shifted.
  const m = P.reduce('max', P.detach(x), [d], true);
  const safe = P.where(P.unary('isinf', m, { dtype: 'bool' }), P.scalarOf(0, x.dtype, x), m);
  return P.binary('sub', x, safe);
}

/** `exp(x) / sum(exp(x))` along `dim`. */
export function softmax(x: Tensor, dim: number): Tensor {
  if (tracing.tracer !== null) return traceOp('softmax', [x], { dim }, () => softmax(x, dim));
  // over the last dim (attention weights, class scores): one fused kernel each way (autograd/softmax-fused.ts)
  const d = softmaxDim('softmax', x, dim);
  if (d >= 0 && d === x.ndim - 1) return softmaxLastDim(x);
  const e = P.unary('exp', shifted(x, d));
  if (d < 0) return e;
  return P.binary('div', e, P.reduce('sum', e, [d], true));
}

/** `x - log(sum(exp(x)))` along `dim`, computed without overflow. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  if (tracing.tracer !== null) return traceOp('logSoftmax', [x], { dim }, () => logSoftmax(x, dim));
  const d = softmaxDim('logSoftmax', x, dim);
  const z = shifted(x, d);
  if (d < 0) return z;
  return P.binary('sub', z, P.unary('log', P.reduce('sum', P.unary('exp', z), [d], true)));
}
