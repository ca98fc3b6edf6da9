/**
 * Adadelta: step sizes from running averages of squared gradients and squared updates — PyTorch 1.13's
 * torch.optim.Adadelta, update for update.
 * @module
 */
import { add, div, mul, neg, sqrt } from '../ops/elementwise.js';
import { sub_ } from '../ops/inplace.js';
import { zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type Checker } from './check.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Hyper-parameters of Adadelta (each group holds all of them). */
export interface AdadeltaHyper {
  /** Scale applied to the computed update (default 1). */
  lr: number;
  /** Decay ρ of the running averages, in [0, 1] (default 0.9). */
  rho: number;
  /** Added inside both square roots (default 1e-6). */
  eps: number;
  /** L2 penalty λ added to the gradient as λ·θ (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of Adadelta; every key defaults as in PyTorch. */
export type AdadeltaOptions = Partial<AdadeltaHyper>;

const KEYS = ['lr', 'rho', 'eps', 'weightDecay', 'maximize'];

/**
 * Adadelta (torch.optim.Adadelta). Per step, with g the gradient (negated if maximize): g ← g + λθ;
 * v ← ρv + (1 − ρ)g²; Δ ← √(u + eps) / √(v + eps) · g; u ← ρu + (1 − ρ)Δ²; θ ← θ − lr·Δ.
 * State per parameter: `step`, `squareAvg` (v), `accDelta` (u).
 */
export class Adadelta extends Optimizer<AdadeltaHyper> {
  /** Builds Adadelta over `params` (tensors or groups `{params, lr?, ...}`). */
  constructor(params: ParamsInput<AdadeltaHyper>, opts: AdadeltaOptions = {}) {
    const o = checkOptions('Adadelta', opts, KEYS);
    super('Adadelta', params, {
      lr: o.lr ?? 1,
      rho: o.rho ?? 0.9,
      eps: o.eps ?? 1e-6,
      weightDecay: o.weightDecay ?? 0,
      maximize: o.maximize ?? false,
    });
  }

  /** Checks lr ≥ 0, rho in [0, 1], eps ≥ 0, weightDecay ≥ 0. */
  protected override validate(h: AdadeltaHyper, c: Checker): void {
    c.number('lr', h.lr, { min: 0 });
    c.number('rho', h.rho, { min: 0, max: 1 });
    c.number('eps', h.eps, { min: 0 });
    c.number('weightDecay', h.weightDecay, { min: 0 });
    c.bool('maximize', h.maximize);
  }

  /** Adadelta keeps `step`, `squareAvg` and `accDelta`. */
  protected override stateKeys(): readonly string[] {
    return ['step', 'squareAvg', 'accDelta'];
  }

  /** One Adadelta update of `p` (see the class comment). */
  protected override update(p: Tensor, grad: Tensor, st: ParamState, h: ParamGroup<AdadeltaHyper>): void {
    st.step = ((st.step as number | undefined) ?? 0) + 1;
    let g = h.maximize ? neg(grad) : grad;
    if (h.weightDecay !== 0) g = add(g, p, { alpha: h.weightDecay });
    const sq = st.squareAvg instanceof Tensor ? st.squareAvg : zerosLike(p);
    const acc = st.accDelta instanceof Tensor ? st.accDelta : zerosLike(p);
    const squareAvg = add(mul(sq, h.rho), mul(g, g), { alpha: 1 - h.rho });
    const delta = mul(div(sqrt(add(acc, h.eps)), sqrt(add(squareAvg, h.eps))), g);
    st.squareAvg = squareAvg;
    st.accDelta = add(mul(acc, h.rho), mul(delta, delta), { alpha: 1 - h.rho });
    sub_(p, delta, { alpha: h.lr });
  }
}
