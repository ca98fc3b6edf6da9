/**
 * The adversarial losses of GANs, on discriminator logits (no sigmoid applied): the minimax loss of Goodfellow et
 * al. (2014), its non-saturating generator loss, and the hinge loss (Lim & Ye 2017, Miyato et al. 2018). PyTorch
 * has no functions for these; each is written here as the PyTorch expression it equals (TSDoc), and built from
 * differentiable ops with a softplus that is exact and overflow-free for any logit.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { add, clampMin, floatInput, neg, reduceLoss, reductionOf, s, softplusStable, sub, type ReductionOptions } from './loss-common.js';
import type { Tensor } from '../tensor/tensor.js';

/** The adversarial loss: 'minimax' (the original game), 'nonSaturating' (its usual generator loss) or 'hinge'. */
export type GanLossKind = 'minimax' | 'nonSaturating' | 'hinge';

/** Options of the GAN losses. */
export interface GanLossOptions extends ReductionOptions {
  /** Which loss (default 'nonSaturating'; for the discriminator 'minimax' and 'nonSaturating' are the same). */
  kind?: GanLossKind;
}

const KINDS: readonly GanLossKind[] = ['minimax', 'nonSaturating', 'hinge'];

function kindOf(loss: string, k: unknown): GanLossKind {
  const v = k ?? 'nonSaturating';
  if (!KINDS.includes(v as GanLossKind)) throw new ValueError(`${loss}: kind must be one of ${KINDS.map((x) => `'${x}'`).join(', ')}, got ${typeof v === 'string' ? `'${v}'` : String(v)}`);
  return v as GanLossKind;
}

/**
 * The discriminator's loss on logits for real samples `real` [...] and generated ones `fake` [...]:
 * minimax / nonSaturating: `-log D(x) - log(1 - D(G(z)))`, i.e. PyTorch's
 * `F.binary_cross_entropy_with_logits(real, ones) + F.binary_cross_entropy_with_logits(fake, zeros)`
 * = `softplus(-real).mean() + softplus(fake).mean()`; hinge: `relu(1 - real).mean() + relu(1 + fake).mean()`.
 * Each term is reduced over its own tensor ('mean' default, 'sum'); 'none' needs real and fake of one shape and
 * returns the per-element sum of the two terms.
 */
export function ganDiscriminatorLoss(real: Tensor, fake: Tensor, opts: GanLossOptions = {}): Tensor {
  const loss = 'ganDiscriminatorLoss';
  const r = reductionOf(loss, opts.reduction);
  const kind = kindOf(loss, opts.kind);
  const xr = floatInput(loss, real);
  const xf = P.cast(floatInput(loss, fake), xr.dtype);
  if (r === 'none' && (xr.ndim !== xf.ndim || xr.shape.some((d, i) => d !== xf.shape[i]))) {
    throw new ShapeError(`${loss}: with reduction 'none' real and fake logits must have one shape, got ${fmtShape(xr.shape)} and ${fmtShape(xf.shape)}`);
  }
  const [lr, lf] = kind === 'hinge'
    ? [clampMin(sub(s(1, xr), xr), 0), clampMin(add(s(1, xf), xf), 0)]
    : [softplusStable(neg(xr)), softplusStable(xf)];
  return add(reduceLoss(lr, r), reduceLoss(lf, r));
}

/**
 * The generator's loss on the discriminator's logits for generated samples `fake` [...]: minimax: `log(1 - D(G(z)))`
 * = `-softplus(fake)` (PyTorch: `-F.binary_cross_entropy_with_logits(fake, zeros)`; saturates when D wins);
 * nonSaturating: `-log D(G(z))` = `softplus(-fake)` (`F.binary_cross_entropy_with_logits(fake, ones)`);
 * hinge: `-fake`. Reduced ('mean' default, 'sum', 'none').
 */
export function ganGeneratorLoss(fake: Tensor, opts: GanLossOptions = {}): Tensor {
  const loss = 'ganGeneratorLoss';
  const r = reductionOf(loss, opts.reduction);
  const kind = kindOf(loss, opts.kind);
  const x = floatInput(loss, fake);
  const l = kind === 'minimax' ? neg(softplusStable(x)) : kind === 'nonSaturating' ? softplusStable(neg(x)) : neg(x);
  return reduceLoss(l, r);
}
