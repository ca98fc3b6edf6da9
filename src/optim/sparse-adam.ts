/**
 * SparseAdam: Adam for gradients that touch few rows (embedding tables) — PyTorch 1.13's
 * torch.optim.SparseAdam, update for update, on shendu's dense gradients.
 * @module
 */
import { abs, add, div, mul, neg, sqrt, sub } from '../ops/elementwise.js';
import { ne, where } from '../ops/compare.js';
import { sub_ } from '../ops/inplace.js';
import { amax } from '../ops/reduce.js';
import { reshape } from '../ops/movement.js';
import { zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { validateBetas } from './adamax.js';
import { checkOptions, type Checker } from './check.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Hyper-parameters of SparseAdam (each group holds all of them). */
export interface SparseAdamHyper {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates (β1, β2) of the first and second moment averages, each in [0, 1) (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of SparseAdam; every key defaults as in PyTorch. */
export type SparseAdamOptions = Partial<SparseAdamHyper>;

const KEYS = ['lr', 'betas', 'eps', 'maximize'];

/**
 * A bool mask broadcastable to `g`: true for the rows (slices along dim 0; elements of a vector) holding
 * any nonzero gradient — the rows a sparse gradient of torch.nn.Embedding(sparse=True) would list.
 */
function touchedRows(g: Tensor): Tensor {
  if (g.ndim <= 1) return ne(g, 0);
  const rest = g.shape.slice(1).map((_, d) => d + 1);
  const rowMax = amax(abs(g), rest, false);
  return reshape(ne(rowMax, 0), [g.shape[0], ...g.shape.slice(1).map(() => 1)]);
}

/**
 * SparseAdam (torch.optim.SparseAdam). shendu's gradients are dense, so SparseAdam reads a gradient as
 * PyTorch's sparse one: the rows (slices along dim 0; for a vector, its elements) holding a nonzero value
 * are the gradient's entries, and only they update. Per step t, on those rows only, with g the gradient
 * (negated if maximize): m ← m + (1 − β1)(g − m); v ← v + (1 − β2)(g² − v);
 * θ ← θ − lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m/(√v + eps). Untouched rows keep their moments and values (unlike
 * Adam, whose moments decay every step). The step count `t` counts the parameter's steps, as in PyTorch.
 * No weight decay, as in PyTorch (it would make every row's gradient nonzero).
 * State per parameter: `step`, `expAvg`, `expAvgSq`.
 */
export class SparseAdam extends Optimizer<SparseAdamHyper> {
  /** Builds SparseAdam over `params` (tensors or groups `{params, lr?, betas?, ...}`), typically an embedding's weight. */
  constructor(params: ParamsInput<SparseAdamHyper>, opts: SparseAdamOptions = {}) {
    const o = checkOptions('SparseAdam', opts, KEYS);
    super('SparseAdam', params, {
      lr: o.lr ?? 1e-3,
      betas: o.betas ?? [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      maximize: o.maximize ?? false,
    });
  }

  /** Checks lr > 0, eps > 0 (as PyTorch's SparseAdam) and betas in [0, 1). */
  protected override validate(h: SparseAdamHyper, c: Checker): void {
    c.number('lr', h.lr, { min: 0, minOpen: true });
    c.number('eps', h.eps, { min: 0, minOpen: true });
    validateBetas(h, c);
    c.bool('maximize', h.maximize);
  }

  /** SparseAdam keeps `step`, `expAvg` and `expAvgSq`. */
  protected override stateKeys(): readonly string[] {
    return ['step', 'expAvg', 'expAvgSq'];
  }

  /** One SparseAdam update of the touched rows of `p` (see the class comment). */
  protected override update(p: Tensor, grad: Tensor, st: ParamState, h: ParamGroup<SparseAdamHyper>): void {
    const [beta1, beta2] = h.betas;
    const step = ((st.step as number | undefined) ?? 0) + 1;
    st.step = step;
    const g = h.maximize ? neg(grad) : grad;
    const rows = touchedRows(g);
    const m0 = st.expAvg instanceof Tensor ? st.expAvg : zerosLike(p);
    const v0 = st.expAvgSq instanceof Tensor ? st.expAvgSq : zerosLike(p);
    const m = add(m0, where(rows, mul(sub(g, m0), 1 - beta1), zerosLike(p)));
    const v = add(v0, where(rows, mul(sub(mul(g, g), v0), 1 - beta2), zerosLike(p)));
    st.expAvg = m;
    st.expAvgSq = v;
    const stepSize = (h.lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
    const delta = where(rows, mul(div(m, add(sqrt(v), h.eps)), stepSize), zerosLike(p));
    sub_(p, delta);
  }
}
