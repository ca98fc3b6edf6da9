/**
 * NAdam: Adam with Nesterov momentum and a momentum schedule (Dozat 2016) — PyTorch 1.13's torch.optim.NAdam,
 * update for update.
 * @module
 */
import { add, div, mul, sqrt } from '../ops/elementwise.js';
import { sub_ } from '../ops/inplace.js';
import { zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { validateBetas } from './adamax.js';
import { checkOptions, type Checker } from './check.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Hyper-parameters of NAdam (each group holds all of them). */
export interface NAdamHyper {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates (β1, β2) of the first and second moment averages, each in [0, 1) (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient as λ·θ (default 0). */
  weightDecay: number;
  /** ψ of the momentum schedule μₜ = β1(1 − ½·0.96^(tψ)) (default 4e-3). */
  momentumDecay: number;
}

/** Options of NAdam; every key defaults as in PyTorch (1.13's NAdam has no `maximize`). */
export type NAdamOptions = Partial<NAdamHyper>;

const KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay'];

/**
 * NAdam (torch.optim.NAdam). Per step t, with g the gradient: g ← g + λθ; μₜ = β1(1 − ½·0.96^(tψ)),
 * μₜ₊₁ likewise; Πₜ = μ1⋯μₜ; m ← β1m + (1 − β1)g; v ← β2v + (1 − β2)g²; d = √(v/(1 − β2ᵗ)) + eps;
 * θ ← θ − lr(1 − μₜ)/(1 − Πₜ) · g/d − lr·μₜ₊₁/(1 − Πₜμₜ₊₁) · m/d.
 * State per parameter: `step`, `muProduct` (Πₜ, a number), `expAvg`, `expAvgSq`.
 */
export class NAdam extends Optimizer<NAdamHyper> {
  /** Builds NAdam over `params` (tensors or groups `{params, lr?, betas?, ...}`). */
  constructor(params: ParamsInput<NAdamHyper>, opts: NAdamOptions = {}) {
    const o = checkOptions('NAdam', opts, KEYS);
    super('NAdam', params, {
      lr: o.lr ?? 2e-3,
      betas: o.betas ?? [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
      momentumDecay: o.momentumDecay ?? 4e-3,
    });
  }

  /** Checks lr ≥ 0, eps ≥ 0, betas in [0, 1), weightDecay ≥ 0, momentumDecay ≥ 0. */
  protected override validate(h: NAdamHyper, c: Checker): void {
    validateBetas(h, c);
    c.number('weightDecay', h.weightDecay, { min: 0 });
    c.number('momentumDecay', h.momentumDecay, { min: 0 });
  }

  /** NAdam keeps `step`, `muProduct`, `expAvg` and `expAvgSq`. */
  protected override stateKeys(): readonly string[] {
    return ['step', 'muProduct', 'expAvg', 'expAvgSq'];
  }

  /** `step` and `muProduct` are numbers. */
  protected override scalarStateKeys(): readonly string[] {
    return ['step', 'muProduct'];
  }

  /** One NAdam update of `p` (see the class comment). */
  protected override update(p: Tensor, grad: Tensor, st: ParamState, h: ParamGroup<NAdamHyper>): void {
    const [beta1, beta2] = h.betas;
    const step = ((st.step as number | undefined) ?? 0) + 1;
    st.step = step;
    let g = grad;
    if (h.weightDecay !== 0) g = add(g, p, { alpha: h.weightDecay });
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * h.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * h.momentumDecay));
    const muProduct = ((st.muProduct as number | undefined) ?? 1) * mu;
    // PyTorch 1.13 multiplies mu in twice here (fixed in 2.0); kept, so the iterates match 1.13
    const muProductNext = muProduct * mu * muNext;
    st.muProduct = muProduct;
    const m0 = st.expAvg instanceof Tensor ? st.expAvg : zerosLike(p);
    const v0 = st.expAvgSq instanceof Tensor ? st.expAvgSq : zerosLike(p);
    const m = add(mul(m0, beta1), g, { alpha: 1 - beta1 });
    const v = add(mul(v0, beta2), mul(g, g), { alpha: 1 - beta2 });
    st.expAvg = m;
    st.expAvgSq = v;
    const denom = add(sqrt(div(v, 1 - beta2 ** step)), h.eps);
    sub_(p, div(g, denom), { alpha: (h.lr * (1 - mu)) / (1 - muProduct) });
    sub_(p, div(m, denom), { alpha: (h.lr * muNext) / (1 - muProductNext) });
  }
}
