/**
 * Negative log-likelihood losses of parametric distributions, as torch.nn.functional's poisson_nll_loss and
 * gaussian_nll_loss. Built from differentiable ops; the target gets a gradient too where PyTorch gives one.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { checkFloat, checkTensor } from '../ops/util.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  add, clampMin, div, floatInput, mul, numberOpt, reduceLoss, reductionOf, s, sameShapeTarget, sub,
  type ReductionOptions,
} from './loss-common.js';

/** Options of poissonNllLoss. */
export interface PoissonNLLOptions extends ReductionOptions {
  /** The input is the log of the rate (default true); false: the rate itself. */
  logInput?: boolean;
  /** Add Stirling's approximation of log(target!), for targets > 1 (default false). */
  full?: boolean;
  /** Added to the rate inside the log when `logInput` is false (default 1e-8). */
  eps?: number;
}

function boolOpt(loss: string, v: unknown, dflt: boolean, arg: string): boolean {
  const b = v ?? dflt;
  if (typeof b !== 'boolean') throw new ValueError(`${loss}: ${arg} must be a boolean, got ${String(v)}`);
  return b;
}

/**
 * Poisson negative log-likelihood of counts `target` under rates given by `input` (one shape): `exp(x) - y x`
 * with `logInput` (default), else `x - y log(x + eps)`; `full` adds `y log y - y + log(2 pi y) / 2` where y > 1.
 * Reduced (default mean).
 */
export function poissonNllLoss(input: Tensor, target: Tensor, opts: PoissonNLLOptions = {}): Tensor {
  const loss = 'poissonNllLoss';
  const r = reductionOf(loss, opts.reduction);
  const logInput = boolOpt(loss, opts.logInput, true, 'logInput');
  const full = boolOpt(loss, opts.full, false, 'full');
  const eps = numberOpt(loss, opts.eps, 1e-8, 'eps');
  const x = floatInput(loss, input);
  const y = sameShapeTarget(loss, x, target, true);
  let l = logInput
    ? sub(P.unary('exp', x), mul(y, x))
    : sub(x, mul(y, P.unary('log', add(x, s(eps, x)))));
  if (full) {
    // the log sees 2 where y <= 1, so no log(0) or log of a negative reaches the gradient of the masked part
    const big = P.binary('gt', y, s(1, y));
    const ys = P.where(big, y, s(2, y));
    const stirling = add(sub(mul(ys, P.unary('log', ys)), ys), mul(s(0.5, ys), P.unary('log', mul(s(2 * Math.PI, ys), ys))));
    l = add(l, P.where(big, stirling, s(0, stirling)));
  }
  return reduceLoss(l, r);
}

/** Options of gaussianNllLoss. */
export interface GaussianNLLOptions extends ReductionOptions {
  /** Add the constant `log(2 pi) / 2` (default false). */
  full?: boolean;
  /** Variances below eps count as eps in the value; their gradient passes straight through (default 1e-6). */
  eps?: number;
}

/**
 * Gaussian negative log-likelihood of `target` under means `input` and variances `variance`:
 * `(log(max(var, eps)) + (x - y)^2 / max(var, eps)) / 2` (+ `log(2 pi) / 2` with `full`), reduced. `variance`
 * has the input's shape (one variance per prediction), or the input's shape without its last dim or with it
 * as 1 (one variance per row), as PyTorch; a negative variance is a ValueError. As PyTorch's, the clamp to
 * eps is not differentiated: a clamped variance gets the gradient at eps.
 */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, opts: GaussianNLLOptions = {}): Tensor {
  const loss = 'gaussianNllLoss';
  const r = reductionOf(loss, opts.reduction);
  const full = boolOpt(loss, opts.full, false, 'full');
  const eps = numberOpt(loss, opts.eps, 1e-6, 'eps', (v) => v >= 0, 'a number >= 0');
  const x = floatInput(loss, input);
  const y = sameShapeTarget(loss, x, target);
  checkFloat(loss, checkTensor(loss, variance, 'variance'), 'variance');
  if (variance.device !== x.device) throw new ValueError(`${loss}: input and variance are on different backends: ${x.device} and ${variance.device}`);
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  const lead = x.shape.slice(0, -1);
  let v = P.cast(variance, x.dtype);
  if (!same(v.shape, x.shape)) {
    if (x.ndim > 0 && same(v.shape, lead)) v = P.reshape(v, [...lead, 1]);
    else if (!(x.ndim > 0 && v.ndim === x.ndim && same(v.shape.slice(0, -1), lead) && v.shape[v.ndim - 1] === 1)) {
      throw new ShapeError(`${loss}: variance of shape ${fmtShape(v.shape)} must have the input's shape ${fmtShape(x.shape)}, or ${fmtShape(lead)} or ${fmtShape([...lead, 1])} (one variance per row)`);
    }
  }
  if (v.numel() > 0 && P.reduceRaw('min', P.reshape(P.detach(v), [v.numel()]), [0], false, v.dtype).item() < 0) {
    throw new ValueError(`${loss}: variance has negative entries`);
  }
  // max(v, eps) in value, v in gradient: v + (max(v, eps) - v) with the correction detached
  const vc = add(v, P.detach(sub(clampMin(v, eps), v)));
  const d = sub(x, y);
  let l = mul(s(0.5, x), add(P.unary('log', vc), div(mul(d, d), vc)));
  if (full) l = add(l, s(0.5 * Math.log(2 * Math.PI), l));
  return reduceLoss(l, r);
}
