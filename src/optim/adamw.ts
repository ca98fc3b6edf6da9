/**
 * AdamW: Adam with decoupled weight decay (Loshchilov & Hutter) — PyTorch 1.13's torch.optim.AdamW,
 * update for update.
 * @module
 */
import { neg } from '../ops/elementwise.js';
import { mul_ } from '../ops/inplace.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, type Checker } from './check.js';
import { ADAM_KEYS, ADAM_STATE_KEYS, adamDefaults, adamStep, fusedAdamStep, validateAdam, type AdamHyper } from './adam.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Options of AdamW; every key defaults as in PyTorch (note weightDecay 1e-2). */
export type AdamWOptions = Partial<AdamHyper>;

/**
 * AdamW (torch.optim.AdamW). Per step t: θ ← θ·(1 − lr·λ) first (the decay is not added to the gradient),
 * then the Adam update with g (negated if maximize): m ← β1m + (1 − β1)g; v ← β2v + (1 − β2)g²;
 * v̂ ← max(v̂, v) with AMSGrad, else v; θ ← θ − lr/(1 − β1ᵗ) · m / (√v̂ / √(1 − β2ᵗ) + eps).
 * State per parameter: `step`, `expAvg`, `expAvgSq`, `maxExpAvgSq` (AMSGrad).
 */
export class AdamW extends Optimizer<AdamHyper> {
  /** Builds AdamW over `params` (tensors or groups `{params, lr?, weightDecay?, ...}`). */
  constructor(params: ParamsInput<AdamHyper>, opts: AdamWOptions = {}) {
    super('AdamW', params, adamDefaults(checkOptions('AdamW', opts, ADAM_KEYS), 1e-2));
  }

  /** Checks lr ≥ 0, eps ≥ 0, betas in [0, 1), weightDecay ≥ 0. */
  protected override validate(h: AdamHyper, c: Checker): void {
    validateAdam(h, c);
  }

  /** AdamW keeps `step`, `expAvg`, `expAvgSq` and `maxExpAvgSq`. */
  protected override stateKeys(): readonly string[] {
    return ADAM_STATE_KEYS;
  }

  /** One AdamW update of `p` (see the class comment). */
  protected override update(p: Tensor, grad: Tensor, st: ParamState, h: ParamGroup<AdamHyper>): void {
    const step = ((st.step as number | undefined) ?? 0) + 1;
    st.step = step;
    const decay = 1 - h.lr * h.weightDecay;
    if (decay !== 1) mul_(p, decay);
    if (fusedAdamStep(p, grad, st, h, step, 0)) return;
    const g = h.maximize ? neg(grad) : grad;
    adamStep(p, g, st, h, step);
  }
}
