/**
 * Rprop: resilient back-propagation (Riedmiller & Braun 1993), a step size per element that grows while the
 * gradient keeps its sign and shrinks when it flips — PyTorch 1.13's torch.optim.Rprop, update for update.
 * @module
 */
import { clamp, mul, neg, sign } from '../ops/elementwise.js';
import { gt, lt, where } from '../ops/compare.js';
import { sub_ } from '../ops/inplace.js';
import { fullLike, onesLike, zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type Checker } from './check.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Hyper-parameters of Rprop (each group holds all of them). */
export interface RpropHyper {
  /** Learning rate: every element's initial step size (default 1e-2). */
  lr: number;
  /** Factors (η−, η+) with 0 < η− < 1 < η+ that shrink and grow the step sizes (default [0.5, 1.2]). */
  etas: [number, number];
  /** Smallest and largest step size (default [1e-6, 50]). */
  stepSizes: [number, number];
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of Rprop; every key defaults as in PyTorch. */
export type RpropOptions = Partial<RpropHyper>;

const KEYS = ['lr', 'etas', 'stepSizes', 'maximize'];

/**
 * Rprop (torch.optim.Rprop). Per step, with g the gradient (negated if maximize) and g' the previous one:
 * where g·g' > 0 the step size s ← min(s·η+, max), where g·g' < 0 s ← max(s·η−, min) and g is taken as 0
 * (so the next step does not shrink again), else s is kept; then θ ← θ − sign(g)·s and g' ← g.
 * State per parameter: `step`, `prev` (g'), `stepSize` (s, starting at lr).
 */
export class Rprop extends Optimizer<RpropHyper> {
  /** Builds Rprop over `params` (tensors or groups `{params, lr?, etas?, stepSizes?}`). */
  constructor(params: ParamsInput<RpropHyper>, opts: RpropOptions = {}) {
    const o = checkOptions('Rprop', opts, KEYS);
    super('Rprop', params, {
      lr: o.lr ?? 1e-2,
      etas: o.etas ?? [0.5, 1.2],
      stepSizes: o.stepSizes ?? [1e-6, 50],
      maximize: o.maximize ?? false,
    });
  }

  /** Checks lr ≥ 0, 0 < etas[0] < 1 < etas[1], and stepSizes a pair of numbers. */
  protected override validate(h: RpropHyper, c: Checker): void {
    c.number('lr', h.lr, { min: 0 });
    if (!Array.isArray(h.etas) || h.etas.length !== 2) throw c.error(`etas must be a pair [etaminus, etaplus], got ${JSON.stringify(h.etas)}`);
    c.number('etas[0]', h.etas[0], { min: 0, max: 1, minOpen: true, maxOpen: true });
    c.number('etas[1]', h.etas[1], { min: 1, minOpen: true });
    if (!Array.isArray(h.stepSizes) || h.stepSizes.length !== 2) throw c.error(`stepSizes must be a pair [min, max], got ${JSON.stringify(h.stepSizes)}`);
    c.number('stepSizes[0]', h.stepSizes[0], { min: 0 });
    c.number('stepSizes[1]', h.stepSizes[1], { min: h.stepSizes[0] });
    c.bool('maximize', h.maximize);
  }

  /** Rprop keeps `step`, `prev` and `stepSize`. */
  protected override stateKeys(): readonly string[] {
    return ['step', 'prev', 'stepSize'];
  }

  /** One Rprop update of `p` (see the class comment). */
  protected override update(p: Tensor, grad: Tensor, st: ParamState, h: ParamGroup<RpropHyper>): void {
    st.step = ((st.step as number | undefined) ?? 0) + 1;
    const [etaMinus, etaPlus] = h.etas;
    const g = h.maximize ? neg(grad) : grad;
    const prev = st.prev instanceof Tensor ? st.prev : zerosLike(p);
    const s0 = st.stepSize instanceof Tensor ? st.stepSize : fullLike(p, h.lr);
    const prod = mul(g, prev);
    const flipped = lt(prod, 0);
    const factor = where(gt(prod, 0), fullLike(p, etaPlus), where(flipped, fullLike(p, etaMinus), onesLike(p)));
    const s = clamp(mul(s0, factor), h.stepSizes[0], h.stepSizes[1]);
    const gKept = where(flipped, zerosLike(p), g);
    st.stepSize = s;
    st.prev = gKept;
    sub_(p, mul(sign(gKept), s));
  }
}
