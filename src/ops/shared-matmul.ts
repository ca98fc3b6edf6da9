/**
 * Many batched products against one shared right operand, with that operand's gradient taken once: the pattern of
 * a decoder that attends to a fixed memory at every step (scores = q_t K^T, context = w_t M). Recorded as ordinary
 * products, each step would add a full [B, K, N] gradient for the memory and the engine would sum them, step by step;
 * here each product records only its left operand's gradient and keeps (left operand, output gradient) aside, and
 * the shared operand's own node, which the engine reaches after every product that used it, sums
 * x_t^T g_t over all steps as one batched product of the concatenations. (The recurrent layers' `sharedProduct`
 * does the same for W_hh.)
 * @module
 */
import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { bmm } from './matmul.js';
import { checkTensor } from './util.js';
import { tracing } from './trace-hook.js';

/**
 * Returns x -> bmm(x, b) for x [B, m, K] (any m per call) and the shared b [B, K, N], the same values as `bmm`, with
 * b's gradient computed once for all the products of one backward pass (see the module doc). Without gradients
 * (noGrad, b not requiring grad) or while tracing, the products are plain `bmm`s. Under createGraph each product
 * returns ordinary differentiable gradients.
 *
 * @example
 * ```ts
 * const attend = sharedMatmul(memory);                  // memory [B, Ls, D]
 * for (...) context = squeeze(attend(unsqueeze(w, 1)), 1); // w [B, Ls] -> context [B, D]
 * ```
 */
export function sharedMatmul(b: Tensor): (x: Tensor) => Tensor {
  checkTensor('sharedMatmul', b, 'b');
  if (b.ndim !== 3) throw new ShapeError(`sharedMatmul: b must be 3-D [B, K, N], got shape ${fmtShape(b.shape)}`);
  const plain = (x: Tensor) => bmm(x, b);
  if (tracing.tracer !== null || !isGradEnabled() || !b.requiresGrad) return plain;
  let lefts: Tensor[] = [];
  let grads: Tensor[] = [];
  // the zero the first product set aside hands the shared node, so that the engine visits it
  let marker: Tensor | null = null;
  const shared = record(new Tensor(b.storage, b.shape, b.strides, b.offset), 'SharedMatmulOperandBackward', [b], (g) => {
    if (lefts.length === 0) return [g];
    const sum = P.matmul(P.permute(P.cat(lefts, 1), [0, 2, 1]), P.cat(grads, 1));
    lefts = [];
    grads = [];
    // other gradients of the shared operand (e.g. through a createGraph gradient) arrive added to the marker
    const other = g !== marker;
    marker = null;
    return [other ? P.binary('add', g, sum) : sum];
  });
  return (x) => {
    checkTensor('sharedMatmul', x, 'x');
    if (x.dtype !== b.dtype) throw new DTypeError(`sharedMatmul: x must have b's dtype ${b.dtype}, got ${x.dtype}`);
    if (x.ndim !== 3 || x.shape[0] !== b.shape[0] || x.shape[2] !== b.shape[1]) {
      throw new ShapeError(`sharedMatmul: x must be [B, m, K] = [${b.shape[0]}, m, ${b.shape[1]}] to multiply b ${fmtShape(b.shape)}, got ${fmtShape(x.shape)}`);
    }
    const y = new Tensor(P.backendOf(x).matmul(x, b, x.dtype), [x.shape[0], x.shape[1], b.shape[2]]);
    return record(y, 'SharedMatmulBackward', [x, shared], (g) => {
      if (isGradEnabled()) return [P.matmul(g, P.permute(shared, [0, 2, 1])), P.matmul(P.permute(x, [0, 2, 1]), g)];
      const first = grads.length === 0;
      lefts.push(x);
      grads.push(g);
      if (first) marker = P.expand(P.scalarOf(0, g.dtype, g), b.shape);
      return [x.requiresGrad ? P.matmul(g, P.permute(shared, [0, 2, 1])) : null, first ? marker : null];
    }, undefined, { keepsGradient: true });
  };
}
