/**
 * Weight penalties to add to a loss by hand (the "regularization" chapter): l1Penalty = Σ|w| (lasso) and
 * l2Penalty = Σw²/2 (ridge / weight decay). Both are differentiable 0-d tensors.
 * @module
 */
import { ValueError } from '../errors.js';
import { abs, add, div, square } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { fmtValue } from './check.js';

function termsOf(op: string, params: Tensor | Iterable<Tensor>, f: (w: Tensor) => Tensor): Tensor {
  let list: unknown[];
  if (params instanceof Tensor) list = [params];
  else if (params !== null && typeof params === 'object' && Symbol.iterator in params) list = [...params];
  else throw new ValueError(`${op}: params must be a Tensor or a list of tensors, got ${fmtValue(params)}`);
  let total: Tensor | null = null;
  list.forEach((w, i) => {
    if (!(w instanceof Tensor)) throw new ValueError(`${op}: params[${i}] must be a Tensor, got ${fmtValue(w)}`);
    const term = sum(f(w));
    total = total === null ? term : add(total, term);
  });
  return total ?? tensor(0);
}

/**
 * Σ|w| over every element of `params`: a 0-d tensor to add to the loss as `lambda * l1Penalty(params)`
 * (its gradient is sign(w), 0 at 0). No parameters give 0.
 */
export function l1Penalty(params: Tensor | Iterable<Tensor>): Tensor {
  return termsOf('l1Penalty', params, abs);
}

/**
 * Σw²/2 over every element of `params`: a 0-d tensor whose gradient is w itself, so adding
 * `lambda * l2Penalty(params)` to the loss is the same as SGD's `weightDecay: lambda` (the half is the
 * convention of d2l.ai's `l2_penalty`). No parameters give 0.
 */
export function l2Penalty(params: Tensor | Iterable<Tensor>): Tensor {
  return termsOf('l2Penalty', params, (w) => div(square(w), 2));
}
