/**
 * Gradient clipping, as torch.nn.utils.clip_grad_norm_ and clip_grad_value_: rescale all gradients so their
 * joint norm is at most maxNorm, or clamp each gradient element to [−clipValue, clipValue].
 * @module
 */
import { noGrad } from '../autograd/grad-mode.js';
import { ValueError } from '../errors.js';
import { clamp, mul } from '../ops/elementwise.js';
import { stack } from '../ops/movement.js';
import { norm } from '../ops/reduce.js';
import { Tensor } from '../tensor/tensor.js';
import { Checker, fmtValue } from './check.js';

/** Options of `clipGradNorm_`. */
export interface ClipGradNormOptions {
  /** Order of the norm: any p ≥ 0, Infinity or -Infinity (default 2). */
  normType?: number;
  /** Throw a ValueError when the total norm is NaN or infinite instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
}

function tensorsOf(op: string, params: Tensor | Iterable<Tensor>): Tensor[] {
  if (params instanceof Tensor) return [params];
  if (params === null || typeof params !== 'object' || !(Symbol.iterator in params)) {
    throw new ValueError(`${op}: params must be a Tensor or a list of tensors, got ${fmtValue(params)}`);
  }
  const list = [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new ValueError(`${op}: params[${i}] must be a Tensor, got ${fmtValue(p)}`);
  });
  return list;
}

/**
 * Scales the gradients of `params` so that their joint p-norm (the norm of all gradient elements taken as
 * one vector) is at most `maxNorm`: each grad is multiplied by min(1, maxNorm / (total + 1e-6)). Returns the
 * total norm before clipping (0 when no parameter has a gradient). The third argument is the norm order
 * (PyTorch's positional `norm_type`) or an options object. Parameters whose grad is null are skipped.
 * Each `.grad` is replaced by the scaled tensor rather than overwritten in place, because autograd may hand
 * out gradients that share memory (PyTorch scales them in place).
 */
export function clipGradNorm_(params: Tensor | Iterable<Tensor>, maxNorm: number, opts: number | ClipGradNormOptions = {}): number {
  const op = 'clipGradNorm_';
  const c = new Checker(op);
  const list = tensorsOf(op, params);
  c.number('maxNorm', maxNorm, { min: 0 });
  const o = typeof opts === 'number' ? { normType: opts } : c.options(opts, ['normType', 'errorIfNonfinite']);
  const p = c.number('normType', o.normType ?? 2);
  if (p < 0 && p !== -Infinity) throw c.error(`normType must be a number >= 0, Infinity or -Infinity, got ${p}`);
  const errorIfNonfinite = c.bool('errorIfNonfinite', o.errorIfNonfinite ?? false);
  const withGrad = list.filter((t) => t.grad !== null);
  if (withGrad.length === 0) return 0;
  return noGrad(() => {
    const grads = withGrad.map((t) => t.grad as Tensor);
    const norms = grads.map((g) => norm(g, p));
    const totalT = norms.length === 1 ? norms[0] : norm(stack(norms), p);
    const total = totalT.item();
    if (errorIfNonfinite && !Number.isFinite(total)) {
      throw c.error(`the total norm of order ${p} of the gradients is ${total}, so they cannot be clipped; pass errorIfNonfinite: false to scale them by it anyway`);
    }
    const coef = Math.min(maxNorm / (total + 1e-6), 1);
    // scaling by exactly 1 changes nothing: skip the copies
    if (coef !== 1) for (const t of withGrad) t.grad = mul(t.grad as Tensor, coef);
    return total;
  });
}

/**
 * Clamps every gradient element of `params` to [−clipValue, clipValue] (clipValue ≥ 0). Parameters whose
 * grad is null are skipped; each `.grad` is replaced by the clamped tensor.
 */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  const op = 'clipGradValue_';
  const list = tensorsOf(op, params);
  const v = new Checker(op).number('clipValue', clipValue, { min: 0 });
  noGrad(() => {
    for (const t of list) if (t.grad !== null) t.grad = clamp(t.grad, -v, v);
  });
}
