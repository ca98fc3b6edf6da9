/**
 * Binary cross-entropy of probabilities as a fused primitive: one backend kernel forward
 * (`Kernels.binaryCrossEntropy`) and one backward, in place of the dozen elementwise kernels (and their
 * full-size temporaries) the formula takes op by op; the kernels compute each element with those ops in their
 * order, so the numbers are the same. Under createGraph, and for a target that requires grad, the gradient is
 * built from differentiable primitives.
 * @module
 */
import { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { record } from './node.js';
import { backendOf, binary, scalarOf, unary } from './primitives.js';

/** log(t) clamped below at -100, differentiable. */
const clampedLog = (t: Tensor): Tensor => unary('clamp', unary('log', t), { p: -100, q: Infinity });

/**
 * The elementwise binary cross-entropy of probabilities `x` against targets `y` (same shape and floating dtype):
 * `(y - 1) max(log(1 - x), -100) - y max(log(x), -100)`, with PyTorch's gradient `g (x - y) / max(x (1 - x), eps)`
 * for x and `g (max(log(1 - x), -100) - max(log(x), -100))` for y. `check` is given the least and greatest x (NaN
 * where x holds a NaN), found in the same pass, before anything is recorded: it throws to refuse them.
 */
export function binaryCrossEntropyProbs(x: Tensor, y: Tensor, eps: number, check: (lo: number, hi: number) => void): Tensor {
  const [storage, lo, hi] = backendOf(x).binaryCrossEntropy(x, y);
  check(lo, hi);
  const value = new Tensor(storage, x.shape);
  return record(value, 'BinaryCrossEntropyBackward', [x, y], (g) => {
    const one = scalarOf(1, x.dtype, x);
    let gx: Tensor | null = null;
    if (x.requiresGrad) {
      gx = isGradEnabled()
        ? binary('div', binary('mul', g, binary('sub', x, y)), binary('maximum', binary('mul', x, binary('sub', one, x)), scalarOf(eps, x.dtype, x)))
        : new Tensor(backendOf(g).binaryCrossEntropyBackward(g, x, y, eps), x.shape);
    }
    const gy = y.requiresGrad ? binary('mul', g, binary('sub', clampedLog(binary('sub', one, x)), clampedLog(x))) : null;
    return [gx, gy];
  });
}
