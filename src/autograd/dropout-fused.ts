/**
 * Dropout by hashing as a primitive: one backend kernel (`Kernels.dropoutScale`) multiplies each element by its
 * factor, drawn from its index under a seed (backend/cpu/drop-hash.ts), so no mask is made or kept: the gradient
 * is the same kernel on the output gradient (the op is linear), which is itself this primitive, so gradients of
 * gradients flow too.
 * @module
 */
import type { DropoutSpec } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { record } from './node.js';
import { backendOf } from './primitives.js';

/** A float `x` times dropout's factor per element (keepScale where its draw passes the threshold, else 0); x's shape. */
export function dropoutScale(x: Tensor, spec: DropoutSpec): Tensor {
  const y = new Tensor(backendOf(x).dropoutScale(x, spec), x.shape);
  return record(y, 'DropoutBackward', [x], (g) => [dropoutScale(g, spec)], []);
}
