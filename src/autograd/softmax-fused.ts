/**
 * Softmax over the last dim as a fused primitive: one backend kernel forward (`Kernels.softmaxLastDim`) and one
 * backward, y (g - sum(g y)) per row, instead of the max, shift, exp, sum and division (and their gradients),
 * each a kernel with a full-size temporary. Under createGraph the gradient is built from differentiable
 * primitives on the output instead, so gradients of gradients still flow.
 * @module
 */
import { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { record } from './node.js';
import { backendOf, binary, reduce } from './primitives.js';

/** Softmax of a float `x` [..., n] (at least 1-D) over its last dim; x's shape. */
export function softmaxLastDim(x: Tensor): Tensor {
  const y = new Tensor(backendOf(x).softmaxLastDim(x), x.shape);
  return record(y, 'SoftmaxBackward', [x], (g) => {
    if (isGradEnabled()) return [binary('mul', y, binary('sub', g, reduce('sum', binary('mul', g, y), [x.ndim - 1], true)))];
    return [new Tensor(backendOf(g).softmaxLastDimBackward(y, g), x.shape)];
  }, [y]);
}
