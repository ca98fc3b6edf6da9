/**
 * Fused in-place optimizer updates: one backend pass per parameter (`Kernels.adamUpdate` / `sgdUpdate`)
 * instead of a temporary tensor per arithmetic step. They apply when the parameter, its gradient and its
 * state share one floating dtype and shape and are all contiguous; otherwise they return false and the
 * optimizer takes its op-by-op path, which computes the same update.
 * @module
 */
import type { AdamUpdate, SgdUpdate } from '../backend/types.js';
import { backendOf, isContiguous } from '../autograd/primitives.js';
import { isFloating } from '../tensor/dtype.js';
import { sameShape } from '../tensor/shape.js';
import { bumpVersion, type Tensor } from '../tensor/tensor.js';

function fusable(p: Tensor, others: readonly (Tensor | null)[]): boolean {
  if (!isFloating(p.dtype) || !isContiguous(p)) return false;
  return others.every((t) => t === null || (t.dtype === p.dtype && isContiguous(t) && sameShape(t.shape, p.shape) && t.storage !== p.storage));
}

/** Adam's update of `p` in place (state `m`, `v`, `vmax` too); false when the layouts do not allow it. */
export function adamUpdate_(p: Tensor, grad: Tensor, m: Tensor, v: Tensor, vmax: Tensor | null, h: AdamUpdate): boolean {
  if (!fusable(p, [grad, m, v, vmax])) return false;
  backendOf(p).adamUpdate(p, grad, m, v, vmax, h);
  for (const t of [p, m, v, vmax]) if (t) bumpVersion(t);
  return true;
}

/** SGD's update of `p` in place (and its momentum buffer); false when the layouts do not allow it. */
export function sgdUpdate_(p: Tensor, grad: Tensor, buf: Tensor | null, h: SgdUpdate): boolean {
  if (!fusable(p, [grad, buf])) return false;
  backendOf(p).sgdUpdate(p, grad, buf, h);
  bumpVersion(p);
  if (buf) bumpVersion(buf);
  return true;
}
