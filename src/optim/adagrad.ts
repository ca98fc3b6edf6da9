/**
 * Adagrad: per-coordinate learning rates from the running sum of squared gradients — PyTorch 1.13's
 * torch.optim.Adagrad, update for update.
 * @module
 */
import { add, div, mul, neg, sqrt } from '../ops/elementwise.js';
import { sub_ } from '../ops/inplace.js';
import { fullLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type Checker } from './check.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Hyper-parameters of Adagrad (each group holds all of them). */
export interface AdagradHyper {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay: step t uses lr / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty λ added to the gradient as λ·θ (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Added to the root of the sum for numerical stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of Adagrad; every key defaults as in PyTorch. */
export type AdagradOptions = Partial<AdagradHyper>;

const KEYS = ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize'];

/**
 * Adagrad (torch.optim.Adagrad). Per step t, with g the gradient (negated if maximize): g ← g + λθ;
 * s ← s + g²; θ ← θ − lr/(1 + (t − 1)·lrDecay) · g / (√s + eps). State per parameter: `step`, `sum`.
 * The accumulator starts at the group's `initialAccumulatorValue` (PyTorch 1.13 uses the constructor's
 * value for every group, ignoring a group's own).
 */
export class Adagrad extends Optimizer<AdagradHyper> {
  /** Builds Adagrad over `params` (tensors or groups `{params, lr?, ...}`). */
  constructor(params: ParamsInput<AdagradHyper>, opts: AdagradOptions = {}) {
    const o = checkOptions('Adagrad', opts, KEYS);
    super('Adagrad', params, {
      lr: o.lr ?? 1e-2,
      lrDecay: o.lrDecay ?? 0,
      weightDecay: o.weightDecay ?? 0,
      initialAccumulatorValue: o.initialAccumulatorValue ?? 0,
      eps: o.eps ?? 1e-10,
      maximize: o.maximize ?? false,
    });
  }

  /** Checks that lr, lrDecay, weightDecay, initialAccumulatorValue and eps are ≥ 0. */
  protected override validate(h: AdagradHyper, c: Checker): void {
    c.number('lr', h.lr, { min: 0 });
    c.number('lrDecay', h.lrDecay, { min: 0 });
    c.number('weightDecay', h.weightDecay, { min: 0 });
    c.number('initialAccumulatorValue', h.initialAccumulatorValue, { min: 0 });
    c.number('eps', h.eps, { min: 0 });
    c.bool('maximize', h.maximize);
  }

  /** Adagrad keeps `step` and `sum`. */
  protected override stateKeys(): readonly string[] {
    return ['step', 'sum'];
  }

  /** One Adagrad update of `p` (see the class comment). */
  protected override update(p: Tensor, grad: Tensor, st: ParamState, h: ParamGroup<AdagradHyper>): void {
    const step = ((st.step as number | undefined) ?? 0) + 1;
    st.step = step;
    let g = h.maximize ? neg(grad) : grad;
    if (h.weightDecay !== 0) g = add(g, p, { alpha: h.weightDecay });
    const clr = h.lr / (1 + (step - 1) * h.lrDecay);
    const prev = st.sum instanceof Tensor ? st.sum : fullLike(p, h.initialAccumulatorValue);
    const sum = add(prev, mul(g, g));
    st.sum = sum;
    sub_(p, div(g, add(sqrt(sum), h.eps)), { alpha: clr });
  }
}
