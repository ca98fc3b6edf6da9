/**
 * Adamax: Adam with the infinity norm in place of the second moment — PyTorch 1.13's torch.optim.Adamax,
 * update for update.
 * @module
 */
import { abs, add, div, maximum, mul, neg } from '../ops/elementwise.js';
import { sub_ } from '../ops/inplace.js';
import { zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type Checker } from './check.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Hyper-parameters of Adamax (each group holds all of them). */
export interface AdamaxHyper {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates (β1, β2) of the first moment and of the infinity norm, each in [0, 1) (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to |g| before the running maximum, for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient as λ·θ (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of Adamax; every key defaults as in PyTorch. */
export type AdamaxOptions = Partial<AdamaxHyper>;

const KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'maximize'];

/** Checks lr ≥ 0, eps ≥ 0, betas in [0, 1) (shared by Adamax, NAdam, RAdam and SparseAdam). */
export function validateBetas(h: { lr: number; eps: number; betas: [number, number] }, c: Checker): void {
  c.number('lr', h.lr, { min: 0 });
  c.number('eps', h.eps, { min: 0 });
  if (!Array.isArray(h.betas) || h.betas.length !== 2) throw c.error(`betas must be a pair [beta1, beta2], got ${JSON.stringify(h.betas)}`);
  c.number('betas[0]', h.betas[0], { min: 0, max: 1, maxOpen: true });
  c.number('betas[1]', h.betas[1], { min: 0, max: 1, maxOpen: true });
}

/**
 * Adamax (torch.optim.Adamax, Kingma & Ba 2015 §7.1). Per step t, with g the gradient (negated if
 * maximize): g ← g + λθ; m ← β1m + (1 − β1)g; u ← max(β2u, |g| + eps); θ ← θ − lr/(1 − β1ᵗ) · m/u.
 * State per parameter: `step`, `expAvg` (m), `expInf` (u).
 */
export class Adamax extends Optimizer<AdamaxHyper> {
  /** Builds Adamax over `params` (tensors or groups `{params, lr?, betas?, ...}`). */
  constructor(params: ParamsInput<AdamaxHyper>, opts: AdamaxOptions = {}) {
    const o = checkOptions('Adamax', opts, KEYS);
    super('Adamax', params, {
      lr: o.lr ?? 2e-3,
      betas: o.betas ?? [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
      maximize: o.maximize ?? false,
    });
  }

  /** Checks lr ≥ 0, eps ≥ 0, betas in [0, 1), weightDecay ≥ 0. */
  protected override validate(h: AdamaxHyper, c: Checker): void {
    validateBetas(h, c);
    c.number('weightDecay', h.weightDecay, { min: 0 });
    c.bool('maximize', h.maximize);
  }

  /** Adamax keeps `step`, `expAvg` and `expInf`. */
  protected override stateKeys(): readonly string[] {
    return ['step', 'expAvg', 'expInf'];
  }

  /** One Adamax update of `p` (see the class comment). */
  protected override update(p: Tensor, grad: Tensor, st: ParamState, h: ParamGroup<AdamaxHyper>): void {
    const [beta1, beta2] = h.betas;
    const step = ((st.step as number | undefined) ?? 0) + 1;
    st.step = step;
    let g = h.maximize ? neg(grad) : grad;
    if (h.weightDecay !== 0) g = add(g, p, { alpha: h.weightDecay });
    const m0 = st.expAvg instanceof Tensor ? st.expAvg : zerosLike(p);
    const u0 = st.expInf instanceof Tensor ? st.expInf : zerosLike(p);
    const m = add(mul(m0, beta1), g, { alpha: 1 - beta1 });
    const u = maximum(mul(u0, beta2), add(abs(g), h.eps));
    st.expAvg = m;
    st.expInf = u;
    sub_(p, div(m, u), { alpha: h.lr / (1 - beta1 ** step) });
  }
}
