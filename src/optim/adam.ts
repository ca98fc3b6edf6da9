/**
 * Adam: bias-corrected running averages of the gradient and its square, with optional AMSGrad and L2
 * weight decay — PyTorch 1.13's torch.optim.Adam, update for update. The moment update is shared with AdamW.
 * @module
 */
import { add, div, maximum, mul, neg, sqrt } from '../ops/elementwise.js';
import { adamUpdate_ } from '../ops/fused.js';
import { sub_ } from '../ops/inplace.js';
import { zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type Checker } from './check.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Hyper-parameters of Adam and AdamW (each group holds all of them). */
export interface AdamHyper {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates (β1, β2) of the first and second moment averages, each in [0, 1) (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay rate (default 1e-2). */
  weightDecay: number;
  /** Use the maximum of all second-moment averages so far (AMSGrad; default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of Adam; every key defaults as in PyTorch. */
export type AdamOptions = Partial<AdamHyper>;

/** Option names of Adam and AdamW. */
export const ADAM_KEYS: readonly string[] = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'];

/** Checks lr ≥ 0, eps ≥ 0, betas in [0, 1), weightDecay ≥ 0 (shared by Adam and AdamW). */
export function validateAdam(h: AdamHyper, c: Checker): void {
  c.number('lr', h.lr, { min: 0 });
  c.number('eps', h.eps, { min: 0 });
  if (!Array.isArray(h.betas) || h.betas.length !== 2) throw c.error(`betas must be a pair [beta1, beta2], got ${JSON.stringify(h.betas)}`);
  c.number('betas[0]', h.betas[0], { min: 0, max: 1, maxOpen: true });
  c.number('betas[1]', h.betas[1], { min: 0, max: 1, maxOpen: true });
  c.number('weightDecay', h.weightDecay, { min: 0 });
  c.bool('amsgrad', h.amsgrad);
  c.bool('maximize', h.maximize);
}

/**
 * The Adam step shared by Adam and AdamW, after any weight decay: updates the moments in `st` from `g`
 * and moves `p` by −lr/(1 − β1ᵗ) · m / (√v̂ / √(1 − β2ᵗ) + eps).
 */
export function adamStep(p: Tensor, g: Tensor, st: ParamState, h: AdamHyper, step: number): void {
  const [beta1, beta2] = h.betas;
  const m0 = st.expAvg instanceof Tensor ? st.expAvg : zerosLike(p);
  const v0 = st.expAvgSq instanceof Tensor ? st.expAvgSq : zerosLike(p);
  const m = add(mul(m0, beta1), g, { alpha: 1 - beta1 });
  const v = add(mul(v0, beta2), mul(g, g), { alpha: 1 - beta2 });
  st.expAvg = m;
  st.expAvgSq = v;
  const stepSize = h.lr / (1 - beta1 ** step);
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  let vHat = v;
  if (h.amsgrad) {
    vHat = st.maxExpAvgSq instanceof Tensor ? maximum(st.maxExpAvgSq, v) : v;
    st.maxExpAvgSq = vHat;
  }
  const denom = add(div(sqrt(vHat), bc2Sqrt), h.eps);
  sub_(p, div(m, denom), { alpha: stepSize });
}

/** The per-parameter state Adam and AdamW keep. */
export const ADAM_STATE_KEYS: readonly string[] = ['step', 'expAvg', 'expAvgSq', 'maxExpAvgSq'];

/** Adam's and AdamW's hyper-parameters from checked options: PyTorch's defaults, and `weightDecay` when not given. */
export function adamDefaults(o: AdamOptions, weightDecay: number): AdamHyper {
  return {
    lr: o.lr ?? 1e-3,
    betas: o.betas ?? [0.9, 0.999],
    eps: o.eps ?? 1e-8,
    weightDecay: o.weightDecay ?? weightDecay,
    amsgrad: o.amsgrad ?? false,
    maximize: o.maximize ?? false,
  };
}

/**
 * The same update as `adamStep` (with the raw gradient, `maximize` and an L2 penalty `l2` folded in) as one
 * fused in-place pass; returns false, changing nothing, when the tensors' layouts do not allow it.
 */
export function fusedAdamStep(p: Tensor, grad: Tensor, st: ParamState, h: AdamHyper, step: number, l2: number): boolean {
  const [beta1, beta2] = h.betas;
  const m = st.expAvg instanceof Tensor ? st.expAvg : zerosLike(p);
  const v = st.expAvgSq instanceof Tensor ? st.expAvgSq : zerosLike(p);
  const vmax = h.amsgrad ? (st.maxExpAvgSq instanceof Tensor ? st.maxExpAvgSq : zerosLike(p)) : null;
  const done = adamUpdate_(p, grad, m, v, vmax, {
    beta1, beta2, stepSize: h.lr / (1 - beta1 ** step), bc2Sqrt: Math.sqrt(1 - beta2 ** step), eps: h.eps,
    weightDecay: l2, maximize: h.maximize,
  });
  if (done) {
    st.expAvg = m;
    st.expAvgSq = v;
    if (vmax) st.maxExpAvgSq = vmax;
  }
  return done;
}

/**
 * Adam (torch.optim.Adam). Per step t, with g the gradient (negated if maximize): g ← g + λθ;
 * m ← β1m + (1 − β1)g; v ← β2v + (1 − β2)g²; v̂ ← max(v̂, v) with AMSGrad, else v;
 * θ ← θ − lr/(1 − β1ᵗ) · m / (√v̂ / √(1 − β2ᵗ) + eps).
 * State per parameter: `step`, `expAvg`, `expAvgSq`, `maxExpAvgSq` (AMSGrad).
 *
 * @example
 * ```ts
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 * const sched = new optim.CosineAnnealingLR(opt, 10); // call sched.step() once per epoch
 * ```
 */
export class Adam extends Optimizer<AdamHyper> {
  /** Builds Adam over `params` (tensors or groups `{params, lr?, betas?, ...}`). */
  constructor(params: ParamsInput<AdamHyper>, opts: AdamOptions = {}) {
    super('Adam', params, adamDefaults(checkOptions('Adam', opts, ADAM_KEYS), 0));
  }

  /** Checks lr ≥ 0, eps ≥ 0, betas in [0, 1), weightDecay ≥ 0. */
  protected override validate(h: AdamHyper, c: Checker): void {
    validateAdam(h, c);
  }

  /** Adam keeps `step`, `expAvg`, `expAvgSq` and `maxExpAvgSq`. */
  protected override stateKeys(): readonly string[] {
    return ADAM_STATE_KEYS;
  }

  /** One Adam update of `p` (see the class comment). */
  protected override update(p: Tensor, grad: Tensor, st: ParamState, h: ParamGroup<AdamHyper>): void {
    const step = ((st.step as number | undefined) ?? 0) + 1;
    st.step = step;
    if (fusedAdamStep(p, grad, st, h, step, h.weightDecay)) return;
    let g = h.maximize ? neg(grad) : grad;
    if (h.weightDecay !== 0) g = add(g, p, { alpha: h.weightDecay });
    adamStep(p, g, st, h, step);
  }
}
