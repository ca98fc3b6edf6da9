/**
 * RAdam: Adam with the variance of the adaptive learning rate rectified (Liu et al. 2019) — PyTorch 1.13's
 * torch.optim.RAdam, update for update.
 * @module
 */
import { add, div, mul, sqrt } from '../ops/elementwise.js';
import { sub_ } from '../ops/inplace.js';
import { zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { validateBetas } from './adamax.js';
import { checkOptions, type Checker } from './check.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Hyper-parameters of RAdam (each group holds all of them). */
export interface RAdamHyper {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates (β1, β2) of the first and second moment averages, each in [0, 1) (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient as λ·θ (default 0). */
  weightDecay: number;
}

/** Options of RAdam; every key defaults as in PyTorch (1.13's RAdam has no `maximize`). */
export type RAdamOptions = Partial<RAdamHyper>;

const KEYS = ['lr', 'betas', 'eps', 'weightDecay'];

/**
 * RAdam (torch.optim.RAdam). Per step t, with g the gradient: g ← g + λθ; m ← β1m + (1 − β1)g;
 * v ← β2v + (1 − β2)g²; m̂ = m/(1 − β1ᵗ); ρ∞ = 2/(1 − β2) − 1, ρₜ = ρ∞ − 2tβ2ᵗ/(1 − β2ᵗ). While ρₜ ≤ 5
 * the step is plain momentum, θ ← θ − lr·m̂; afterwards θ ← θ − lr·r·m̂·√(1 − β2ᵗ)/(√v + eps) with
 * r = √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ)).
 * State per parameter: `step`, `expAvg`, `expAvgSq`.
 */
export class RAdam extends Optimizer<RAdamHyper> {
  /** Builds RAdam over `params` (tensors or groups `{params, lr?, betas?, ...}`). */
  constructor(params: ParamsInput<RAdamHyper>, opts: RAdamOptions = {}) {
    const o = checkOptions('RAdam', opts, KEYS);
    super('RAdam', params, {
      lr: o.lr ?? 1e-3,
      betas: o.betas ?? [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
    });
  }

  /** Checks lr ≥ 0, eps ≥ 0, betas in [0, 1), weightDecay ≥ 0. */
  protected override validate(h: RAdamHyper, c: Checker): void {
    validateBetas(h, c);
    c.number('weightDecay', h.weightDecay, { min: 0 });
  }

  /** RAdam keeps `step`, `expAvg` and `expAvgSq`. */
  protected override stateKeys(): readonly string[] {
    return ['step', 'expAvg', 'expAvgSq'];
  }

  /** One RAdam update of `p` (see the class comment). */
  protected override update(p: Tensor, grad: Tensor, st: ParamState, h: ParamGroup<RAdamHyper>): void {
    const [beta1, beta2] = h.betas;
    const step = ((st.step as number | undefined) ?? 0) + 1;
    st.step = step;
    let g = grad;
    if (h.weightDecay !== 0) g = add(g, p, { alpha: h.weightDecay });
    const m0 = st.expAvg instanceof Tensor ? st.expAvg : zerosLike(p);
    const v0 = st.expAvgSq instanceof Tensor ? st.expAvgSq : zerosLike(p);
    const m = add(mul(m0, beta1), g, { alpha: 1 - beta1 });
    const v = add(mul(v0, beta2), mul(g, g), { alpha: 1 - beta2 });
    st.expAvg = m;
    st.expAvgSq = v;
    const bc1 = 1 - beta1 ** step;
    const bc2 = 1 - beta2 ** step;
    const mHat = div(m, bc1);
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * beta2 ** step) / bc2;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptive = div(Math.sqrt(bc2), add(sqrt(v), h.eps));
      sub_(p, mul(mul(mul(mHat, h.lr), adaptive), rect));
    } else {
      sub_(p, mul(mHat, h.lr));
    }
  }
}
