/**
 * RMSprop: gradients divided by a running root-mean-square, optionally centered and with momentum —
 * PyTorch 1.13's torch.optim.RMSprop, update for update.
 * @module
 */
import { add, div, mul, neg, sqrt, sub } from '../ops/elementwise.js';
import { sub_ } from '../ops/inplace.js';
import { zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type Checker } from './check.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Hyper-parameters of RMSprop (each group holds all of them). */
export interface RMSpropHyper {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant α of the running averages (default 0.99). */
  alpha: number;
  /** Added to the root for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient as λ·θ (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by the estimated variance (mean square minus squared mean) instead of the mean square (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of RMSprop; every key defaults as in PyTorch. */
export type RMSpropOptions = Partial<RMSpropHyper>;

const KEYS = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'];

/**
 * RMSprop (torch.optim.RMSprop). Per step, with g the gradient (negated if maximize): g ← g + λθ;
 * v ← αv + (1 − α)g²; if centered, ḡ ← αḡ + (1 − α)g and d ← √(v − ḡ²) + eps, else d ← √v + eps; then with
 * momentum b ← μb + g/d and θ ← θ − lr·b, else θ ← θ − lr·g/d.
 * State per parameter: `step`, `squareAvg`, `momentumBuffer` (momentum > 0), `gradAvg` (centered).
 */
export class RMSprop extends Optimizer<RMSpropHyper> {
  /** Builds RMSprop over `params` (tensors or groups `{params, lr?, ...}`). */
  constructor(params: ParamsInput<RMSpropHyper>, opts: RMSpropOptions = {}) {
    const o = checkOptions('RMSprop', opts, KEYS);
    super('RMSprop', params, {
      lr: o.lr ?? 1e-2,
      alpha: o.alpha ?? 0.99,
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
      momentum: o.momentum ?? 0,
      centered: o.centered ?? false,
      maximize: o.maximize ?? false,
    });
  }

  /** Checks that lr, alpha, eps, weightDecay and momentum are ≥ 0. */
  protected override validate(h: RMSpropHyper, c: Checker): void {
    c.number('lr', h.lr, { min: 0 });
    c.number('alpha', h.alpha, { min: 0 });
    c.number('eps', h.eps, { min: 0 });
    c.number('weightDecay', h.weightDecay, { min: 0 });
    c.number('momentum', h.momentum, { min: 0 });
    c.bool('centered', h.centered);
    c.bool('maximize', h.maximize);
  }

  /** RMSprop keeps `step`, `squareAvg`, `momentumBuffer` and `gradAvg`. */
  protected override stateKeys(): readonly string[] {
    return ['step', 'squareAvg', 'momentumBuffer', 'gradAvg'];
  }

  /** One RMSprop update of `p` (see the class comment). */
  protected override update(p: Tensor, grad: Tensor, st: ParamState, h: ParamGroup<RMSpropHyper>): void {
    st.step = ((st.step as number | undefined) ?? 0) + 1;
    let g = h.maximize ? neg(grad) : grad;
    if (h.weightDecay !== 0) g = add(g, p, { alpha: h.weightDecay });
    const sq = st.squareAvg instanceof Tensor ? st.squareAvg : zerosLike(p);
    const squareAvg = add(mul(sq, h.alpha), mul(g, g), { alpha: 1 - h.alpha });
    st.squareAvg = squareAvg;
    let avg: Tensor;
    if (h.centered) {
      const ga = st.gradAvg instanceof Tensor ? st.gradAvg : zerosLike(p);
      const gradAvg = add(mul(ga, h.alpha), g, { alpha: 1 - h.alpha });
      st.gradAvg = gradAvg;
      avg = sqrt(sub(squareAvg, mul(gradAvg, gradAvg)));
    } else {
      avg = sqrt(squareAvg);
    }
    avg = add(avg, h.eps);
    if (h.momentum > 0) {
      const b = st.momentumBuffer instanceof Tensor ? st.momentumBuffer : zerosLike(p);
      const buf = add(mul(b, h.momentum), div(g, avg));
      st.momentumBuffer = buf;
      sub_(p, buf, { alpha: h.lr });
    } else {
      sub_(p, div(g, avg), { alpha: h.lr });
    }
  }
}
