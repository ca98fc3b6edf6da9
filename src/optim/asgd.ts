/**
 * ASGD: averaged stochastic gradient descent (Polyak & Juditsky 1992) — PyTorch 1.13's torch.optim.ASGD,
 * update for update.
 * @module
 */
import { add, mul, neg, sub } from '../ops/elementwise.js';
import { mul_, sub_ } from '../ops/inplace.js';
import { clone } from '../ops/movement.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type Checker } from './check.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Hyper-parameters of ASGD (each group holds all of them). */
export interface ASGDHyper {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Decay term λ: each step shrinks θ by the factor 1 − λη (default 1e-4). */
  lambd: number;
  /** Power of the step-size decay ηₜ = lr/(1 + λ·lr·t)^α (default 0.75). */
  alpha: number;
  /** The step after which averaging starts (default 1e6). */
  t0: number;
  /** L2 penalty added to the gradient as weightDecay·θ (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of ASGD; every key defaults as in PyTorch. */
export type ASGDOptions = Partial<ASGDHyper>;

const KEYS = ['lr', 'lambd', 'alpha', 't0', 'weightDecay', 'maximize'];

/**
 * ASGD (torch.optim.ASGD). Per step t, with g the gradient (negated if maximize): g ← g + wd·θ;
 * θ ← θ(1 − λη) − ηg; the average a ← θ while μ = 1, else a ← a + μ(θ − a); then η ← lr/(1 + λ·lr·t)^α and
 * μ ← 1/max(1, t − t0). The averaged parameters are `state.get(p).ax`; as in PyTorch, the parameters
 * themselves are not replaced by the average.
 * State per parameter: `step`, `eta` (η) and `mu` (μ) as numbers, `ax` (the average).
 */
export class ASGD extends Optimizer<ASGDHyper> {
  /** Builds ASGD over `params` (tensors or groups `{params, lr?, lambd?, ...}`). */
  constructor(params: ParamsInput<ASGDHyper>, opts: ASGDOptions = {}) {
    const o = checkOptions('ASGD', opts, KEYS);
    super('ASGD', params, {
      lr: o.lr ?? 1e-2,
      lambd: o.lambd ?? 1e-4,
      alpha: o.alpha ?? 0.75,
      t0: o.t0 ?? 1e6,
      weightDecay: o.weightDecay ?? 0,
      maximize: o.maximize ?? false,
    });
  }

  /** Checks lr ≥ 0, weightDecay ≥ 0 and that lambd, alpha and t0 are numbers. */
  protected override validate(h: ASGDHyper, c: Checker): void {
    c.number('lr', h.lr, { min: 0 });
    c.number('lambd', h.lambd);
    c.number('alpha', h.alpha);
    c.number('t0', h.t0);
    c.number('weightDecay', h.weightDecay, { min: 0 });
    c.bool('maximize', h.maximize);
  }

  /** ASGD keeps `step`, `eta`, `mu` and `ax`. */
  protected override stateKeys(): readonly string[] {
    return ['step', 'eta', 'mu', 'ax'];
  }

  /** `step`, `eta` and `mu` are numbers. */
  protected override scalarStateKeys(): readonly string[] {
    return ['step', 'eta', 'mu'];
  }

  /** One ASGD update of `p` (see the class comment). */
  protected override update(p: Tensor, grad: Tensor, st: ParamState, h: ParamGroup<ASGDHyper>): void {
    const step = ((st.step as number | undefined) ?? 0) + 1;
    st.step = step;
    const eta = (st.eta as number | undefined) ?? h.lr;
    const mu = (st.mu as number | undefined) ?? 1;
    let g = h.maximize ? neg(grad) : grad;
    if (h.weightDecay !== 0) g = add(g, p, { alpha: h.weightDecay });
    mul_(p, 1 - h.lambd * eta);
    sub_(p, g, { alpha: eta });
    st.ax = mu !== 1 && st.ax instanceof Tensor ? add(st.ax, mul(sub(p, st.ax), mu)) : clone(p);
    st.eta = h.lr / (1 + h.lambd * h.lr * step) ** h.alpha;
    st.mu = 1 / Math.max(1, step - h.t0);
  }
}
