/**
 * Scans beyond cumsum/cumprod (those are in reduce.ts): cummax, cummin and logcumsumexp along one dim.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { record } from '../autograd/node.js';
import { normDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ValuesIndices } from './reduce.js';
import { checkFloat, checkTensor } from './util.js';

function runningExtreme(op: 'cummax' | 'cummin', x: Tensor, dim: number): ValuesIndices {
  checkTensor(op, x);
  const d = normDim(op, dim, x.ndim);
  if (x.ndim === 0) return { values: P.copy(x), indices: P.filled([], 0, 'int32', x.device) };
  const indices = P.scanRaw(op === 'cummax' ? 'argcummax' : 'argcummin', x, d, 'int32');
  return { values: P.gather(x, d, indices), indices };
}

/**
 * Running maximum along `dim`: `{values, indices}` of `x`'s shape, indices (int32) of the latest element equal to
 * the running maximum; once a NaN is met the values stay NaN. The gradient goes to those indices, as PyTorch's.
 */
export function cummax(x: Tensor, dim: number): ValuesIndices {
  return runningExtreme('cummax', x, dim);
}

/** Running minimum along `dim`: `{values, indices}`, with cummax's rules for ties, NaN and gradients. */
export function cummin(x: Tensor, dim: number): ValuesIndices {
  return runningExtreme('cummin', x, dim);
}

/** `log(cumsum(exp(x)))` along `dim`, computed without overflow or underflow; floating tensors only. */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  checkFloat('logcumsumexp', checkTensor('logcumsumexp', x));
  const d = normDim('logcumsumexp', dim, x.ndim);
  if (x.ndim === 0) return P.copy(x);
  const y = P.scanRaw('logcumsumexp', x, d, x.dtype);
  return record(y, 'LogcumsumexpBackward', [x], (g) => [logcumsumexpGrad(x, y, g, d)]);
}

/**
 * d/dx_i of sum_j g_j y_j is sum_{j >= i} g_j exp(x_i - y_j). PyTorch's way keeps it finite: the positive and
 * negative parts of g go through a reversed logcumsumexp in log space. Built from recorded ops (y included),
 * so it is itself differentiable.
 */
function logcumsumexpGrad(x: Tensor, y: Tensor, g: Tensor, d: number): Tensor {
  const dt = x.dtype;
  // the most negative finite number stands for log 0, so that "log 0 - y" is never -inf - -inf = NaN
  const lowest = P.scalarOf(dt === 'float32' ? -3.4028234663852886e38 : -Number.MAX_VALUE, dt, x);
  const zero = P.scalarOf(0, dt, x);
  const one = P.scalarOf(1, dt, x);
  const logPart = (mask: Tensor, mag: Tensor) => P.where(mask, P.unary('log', P.where(mask, mag, one)), lowest);
  const revLcse = (t: Tensor) => P.flip(logcumsumexp(P.flip(t, [d]), d), [d]);
  const part = (mask: Tensor, mag: Tensor) => P.unary('exp', P.binary('add', revLcse(P.binary('sub', logPart(mask, mag), y)), x));
  const pos = part(P.binary('gt', g, zero), g);
  const neg = part(P.binary('lt', g, zero), P.unary('neg', g));
  return P.binary('sub', pos, neg);
}
