/**
 * Recording: attaches a GradNode to an op's output when grad mode is on and an input requires grad.
 * @module
 */
import { Tensor, type GradEdge } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';

/** Vector-Jacobian product: the output's gradient in, one gradient (or null) per input out. */
export type Vjp = (grad: Tensor) => (Tensor | null)[];

/** Options of `record`. */
export interface RecordOptions {
  /**
   * The vjp keeps the gradient it is given after it returns (sets it aside to sum later). Without this the engine
   * gives the gradient's memory back to the array pool once the vjp has returned (src/autograd/engine.ts).
   */
  keepsGradient?: boolean;
}

/**
 * Marks `out` as produced by op `name` from `inputs`, with `vjp` for backward, when recording applies.
 * `saved` lists the tensors whose values `vjp` reads (default: the inputs and `out`); their version counters
 * are remembered, so that backward refuses to run after one of them was changed in place. An op whose vjp reads
 * no values (a view, an addition) passes `[]`, and its output may then be updated in place, as in PyTorch. A vjp
 * must not keep the gradient it is given past its return unless `opts.keepsGradient` says so.
 * Returns `out`.
 */
export function record(out: Tensor, name: string, inputs: readonly Tensor[], vjp: Vjp, saved?: readonly Tensor[], opts: RecordOptions = {}): Tensor {
  if (!isGradEnabled()) return out;
  if (!inputs.some((t) => t.requiresGrad)) return out;
  // Edges are fixed now: a later in-place update gives an input a new gradFn, which must not rewire this node.
  const edges: GradEdge[] = inputs.map((t) => (t.requiresGrad ? t.gradFn ?? t : null));
  const keep = saved ?? [...inputs, out];
  out.requiresGrad = true;
  out.gradFn = { name, inputs, edges, vjp, saved: keep.map((t) => ({ tensor: t, version: t.version })) };
  if (opts.keepsGradient) out.gradFn.keepsGradient = true;
  return out;
}
