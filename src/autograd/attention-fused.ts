/**
 * Scaled dot-product attention as a fused primitive: one backend kernel forward (`Kernels.attention`) and one
 * backward, instead of the scaled q, the scores, the masked scores, the softmax, the dropout mask and the dropped
 * weights — each a [B, L, S] tensor copied in and out of the kernels — and their gradients. Dropout's draws are a
 * hash of each weight's index under a seed (backend/cpu/drop-hash.ts), so the backward pass recomputes the weights
 * instead of keeping them. Under createGraph the gradient is built from differentiable primitives (with the same
 * dropout factors as a tensor), so gradients of gradients still flow.
 * @module
 */
import { dropFactors } from '../backend/cpu/drop-hash.js';
import { allocArray } from '../backend/cpu/storage.js';
import type { AttentionSpec } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { record } from './node.js';
import { backendOf, binary, fromHost, matmul, permute, reduce, scalarOf } from './primitives.js';
import { softmaxLastDim } from './softmax-fused.js';

/** The last two dims of a 3-D tensor swapped (a view). */
function mT(x: Tensor): Tensor {
  return permute(x, [0, 2, 1]);
}

/**
 * dropout(softmax(q * scale x k^T + mask)) x v for q [B, L, D], k [B, S, D], v [B, S, Dv] (one floating dtype) and
 * an additive `mask` [1 or B, L, S] that needs no gradient (null: none): [B, L, Dv].
 */
export function attention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, spec: AttentionSpec): Tensor {
  const [B, L] = q.shape;
  const y = new Tensor(backendOf(q).attention(q, k, v, mask, spec), [B, L, v.shape[2]]);
  return record(y, 'AttentionBackward', [q, k, v], (g) => {
    if (isGradEnabled()) return attentionGradComposite(q, k, v, mask, spec, g);
    const [dq, dk, dv] = backendOf(g).attentionBackward(q, k, v, mask, g, spec);
    return [new Tensor(dq, q.shape), new Tensor(dk, k.shape), new Tensor(dv, v.shape)];
  }, mask ? [q, k, v, mask] : [q, k, v]);
}

/** The gradients of `attention` from differentiable primitives: the composite op's backward pass, written out. */
function attentionGradComposite(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, spec: AttentionSpec, g: Tensor): Tensor[] {
  const [B, L] = q.shape;
  const S = k.shape[1];
  const scale = scalarOf(spec.scale, q.dtype, q);
  const qs = binary('mul', q, scale);
  const scores = matmul(qs, mT(k));
  const p = softmaxLastDim(mask ? binary('add', scores, mask) : scores);
  const factors = spec.threshold === 0
    ? null
    : fromHost(dropFactors(spec, B, L * S, allocArray(q.dtype, B * L * S)), [B, L, S], q.dtype, q.device);
  const dropped = factors ? binary('mul', p, factors) : p;
  const dDropped = matmul(g, mT(v));
  const dp = factors ? binary('mul', dDropped, factors) : dDropped;
  const ds = binary('mul', p, binary('sub', dp, reduce('sum', binary('mul', dp, p), [2], true)));
  return [binary('mul', matmul(ds, k), scale), matmul(mT(ds), qs), matmul(mT(dropped), g)];
}
