/**
 * KL divergences of diagonal Gaussians, the regularizer of a variational auto-encoder: `klNormal` is
 * torch.distributions.kl_divergence(Normal(muP, sigmaP), Normal(muQ, sigmaQ)), `klStandardNormal` the same
 * against N(0, I) with the encoder's (mu, logvar) parameterization, as in PyTorch's VAE example. Both are
 * elementwise by default (as kl_divergence) and take a reduction; built from differentiable ops.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ValueError } from '../errors.js';
import { checkFloat, checkTensor } from '../ops/util.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, reduceLoss, reductionOf, s, sub, type ReductionOptions } from './loss-common.js';

/** Options of the KL divergences: the reduction, default 'none' (one value per element, as kl_divergence). */
export type KLNormalOptions = ReductionOptions;

function operand(fn: string, x: unknown, arg: string, like: Tensor | null): Tensor {
  const t = checkFloat(fn, checkTensor(fn, x, arg), arg);
  if (like !== null && t.device !== like.device) throw new ValueError(`${fn}: ${arg} is on backend ${t.device}, ${like.device} expected (where the first argument is)`);
  return like === null ? t : P.cast(t, like.dtype);
}

function checkPositive(fn: string, t: Tensor, arg: string): void {
  const v = P.detach(t).toTypedArray();
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] > 0)) throw new ValueError(`${fn}: ${arg} must be > 0 everywhere (a standard deviation), got ${v[i]} at flat index ${i}`);
  }
}

/**
 * KL(N(muP, sigmaP^2) || N(muQ, sigmaQ^2)) per element of the broadcast shape of the four tensors:
 * `(r + ((muP - muQ) / sigmaQ)^2 - 1 - log r) / 2` with `r = (sigmaP / sigmaQ)^2`, then reduced
 * (default 'none'). Standard deviations must be positive (a ValueError otherwise, as torch's argument validation);
 * shapes that do not broadcast are a ShapeError.
 */
export function klNormal(muP: Tensor, sigmaP: Tensor, muQ: Tensor, sigmaQ: Tensor, opts: KLNormalOptions = {}): Tensor {
  const fn = 'klNormal';
  const r = reductionOf(fn, opts.reduction ?? 'none');
  const mp = operand(fn, muP, 'muP', null);
  const sp = operand(fn, sigmaP, 'sigmaP', mp);
  const mq = operand(fn, muQ, 'muQ', mp);
  const sq = operand(fn, sigmaQ, 'sigmaQ', mp);
  broadcastShapes(fn, broadcastShapes(fn, broadcastShapes(fn, mp.shape, sp.shape), mq.shape), sq.shape);
  checkPositive(fn, sp, 'sigmaP');
  checkPositive(fn, sq, 'sigmaQ');
  const ratio = div(sp, sq);
  const vr = mul(ratio, ratio);
  const t = div(sub(mp, mq), sq);
  const l = mul(s(0.5, vr), sub(add(vr, mul(t, t)), add(s(1, vr), P.unary('log', vr))));
  return reduceLoss(l, r);
}

/**
 * KL(N(mu, exp(logvar)) || N(0, 1)) per element: `(exp(logvar) + mu^2 - 1 - logvar) / 2`, reduced (default
 * 'none'). With reduction 'sum' over a batch this is the `-0.5 * sum(1 + logvar - mu^2 - exp(logvar))` term of
 * PyTorch's VAE example. `mu` and `logvar` broadcast together (a ShapeError otherwise).
 */
export function klStandardNormal(mu: Tensor, logvar: Tensor, opts: KLNormalOptions = {}): Tensor {
  const fn = 'klStandardNormal';
  const r = reductionOf(fn, opts.reduction ?? 'none');
  const m = operand(fn, mu, 'mu', null);
  const lv = operand(fn, logvar, 'logvar', m);
  broadcastShapes(fn, m.shape, lv.shape);
  const l = mul(s(0.5, m), sub(add(P.unary('exp', lv), mul(m, m)), add(s(1, m), lv)));
  return reduceLoss(l, r);
}
