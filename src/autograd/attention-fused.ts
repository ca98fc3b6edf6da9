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
import { backendOf, binary, fromHost, matmul, permute, reduce, reshape, scalarOf } from './primitives.js';
import { softmaxLastDim } from './softmax-fused.js';

/** The last two dims of a 4-D tensor swapped (a view). */
function mT(x: Tensor): Tensor {
  return permute(x, [0, 1, 3, 2]);
}

/**
 * Strides for a new [N, H, T, last] result laid out as the 4-D view `x` lies: its first three dims in the order
 * of x's strides (largest first) when x is dense in that order, the last dim innermost — so the heads of a
 * projection [N, L, H * d] give results in [N, L, H, d] order, which the output projection reads without a copy.
 * Row-major otherwise.
 */
export function layoutLike(x: Tensor, last: number): number[] {
  const shape = [x.shape[0], x.shape[1], x.shape[2], last];
  const order = [0, 1, 2].sort((a, b) => x.strides[b] - x.strides[a] || a - b);
  let want = x.shape[3];
  let dense = x.shape[3] <= 1 || x.strides[3] === 1;
  for (let i = 2; i >= 0 && dense; i--) {
    const d = order[i];
    if (x.shape[d] > 1 && x.strides[d] !== want) dense = false;
    want *= x.shape[d];
  }
  if (!dense) order.splice(0, 3, 0, 1, 2);
  const strides = new Array<number>(4);
  let size = last;
  strides[3] = 1;
  for (let i = 2; i >= 0; i--) {
    strides[order[i]] = size;
    size *= shape[order[i]];
  }
  return strides;
}

/**
 * dropout(softmax(q * scale x k^T + mask)) x v for q [N, H, L, D], k [N, H, S, D], v [N, H, S, Dv] (one floating
 * dtype, any strides) and an additive `mask` [1 or N * H, L, S] that needs no gradient (null: none):
 * [N, H, L, Dv], laid out as q is (`layoutLike`); the gradients are laid out as q, k and v. A 3-D q [B, L, D]
 * (k, v alike) is taken as [1, B, L, D] and gives [B, L, Dv].
 */
export function attention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, spec: AttentionSpec): Tensor {
  if (q.ndim === 3) {
    const lift = (t: Tensor) => reshape(t, [1, ...t.shape]);
    const y = attention(lift(q), lift(k), lift(v), mask, spec);
    return reshape(y, y.shape.slice(1));
  }
  const [N, H, L] = q.shape;
  const Dv = v.shape[3];
  const outStrides = layoutLike(q, Dv);
  const y = new Tensor(backendOf(q).attention(q, k, v, mask, spec, outStrides), [N, H, L, Dv], outStrides);
  return record(y, 'AttentionBackward', [q, k, v], (g) => {
    if (isGradEnabled()) return attentionGradComposite(q, k, v, mask, spec, g);
    const strides = { dq: layoutLike(q, q.shape[3]), dk: layoutLike(k, k.shape[3]), dv: layoutLike(v, Dv) };
    const [dq, dk, dv] = backendOf(g).attentionBackward(q, k, v, mask, g, spec, strides);
    return [new Tensor(dq, q.shape, strides.dq), new Tensor(dk, k.shape, strides.dk), new Tensor(dv, v.shape, strides.dv)];
  }, mask ? [q, k, v, mask] : [q, k, v]);
}

/** The gradients of `attention` from differentiable primitives: the composite op's backward pass, written out. */
function attentionGradComposite(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, spec: AttentionSpec, g: Tensor): Tensor[] {
  const [N, H, L] = q.shape;
  const S = k.shape[2];
  const scale = scalarOf(spec.scale, q.dtype, q);
  const qs = binary('mul', q, scale);
  const scores = matmul(qs, mT(k));
  const mask4 = mask ? reshape(mask, mask.shape[0] === 1 ? [1, 1, L, S] : [N, H, L, S]) : null;
  const p = softmaxLastDim(mask4 ? binary('add', scores, mask4) : scores);
  const factors = spec.threshold === 0
    ? null
    : fromHost(dropFactors(spec, N * H, L * S, allocArray(q.dtype, N * H * L * S)), [N, H, L, S], q.dtype, q.device);
  const dropped = factors ? binary('mul', p, factors) : p;
  const dDropped = matmul(g, mT(v));
  const dp = factors ? binary('mul', dDropped, factors) : dDropped;
  const ds = binary('mul', p, binary('sub', dp, reduce('sum', binary('mul', dp, p), [3], true)));
  return [binary('mul', matmul(ds, k), scale), matmul(mT(ds), qs), matmul(mT(dropped), g)];
}
