/**
 * Recording: attaches a GradNode to an op's output when grad mode is on and an input requires grad.
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';

/** Vector-Jacobian product: the output's gradient in, one gradient (or null) per input out. */
export type Vjp = (grad: Tensor) => (Tensor | null)[];

/**
 * Marks `out` as produced by op `name` from `inputs`, with `vjp` for backward, when recording applies.
 * Returns `out`.
 */
export function record(out: Tensor, name: string, inputs: readonly Tensor[], vjp: Vjp): Tensor {
  if (!isGradEnabled()) return out;
  if (!inputs.some((t) => t.requiresGrad)) return out;
  out.requiresGrad = true;
  out.gradFn = { name, inputs, vjp };
  return out;
}
