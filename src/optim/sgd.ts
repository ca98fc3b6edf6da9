/**
 * SGD: stochastic gradient descent with optional momentum, dampening, Nesterov momentum, L2 weight decay
 * and maximization — PyTorch 1.13's torch.optim.SGD, update for update.
 * @module
 */
import { add, mul, neg } from '../ops/elementwise.js';
import { sgdUpdate_ } from '../ops/fused.js';
import { sub_ } from '../ops/inplace.js';
import { clone } from '../ops/movement.js';
import { zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type Checker } from './check.js';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

/** Hyper-parameters of SGD (each group holds all of them). */
export interface SGDHyper {
  /** Learning rate. */
  lr: number;
  /** Momentum factor μ (default 0: plain SGD). */
  momentum: number;
  /** Dampening τ of the momentum: the buffer adds (1 − τ)·g (default 0). */
  dampening: number;
  /** L2 penalty λ: the gradient gets λ·θ added (default 0). */
  weightDecay: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0; default false). */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of SGD: `lr` is required, the rest default as in PyTorch. */
export type SGDOptions = Pick<SGDHyper, 'lr'> & Partial<SGDHyper>;

const KEYS = ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize'];

/**
 * Stochastic gradient descent (torch.optim.SGD). Per step, with g the gradient (negated if maximize):
 * g ← g + λθ; with momentum b ← g at the first step, else b ← μb + (1 − τ)g, and g ← g + μb (Nesterov) or
 * g ← b; then θ ← θ − lr·g. Like PyTorch (and unlike Sutskever et al.), lr multiplies the buffer, not the gradient.
 * State per parameter: `momentumBuffer` (when momentum ≠ 0).
 *
 * `new SGD(model.parameters(), {lr: 0.1, momentum: 0.9})`. Unlike PyTorch, `lr` must be given in the options
 * even when every group sets its own.
 *
 * @example
 * ```ts
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 });
 * opt.zeroGrad();
 * F.crossEntropy(model.forward(x), y).backward();
 * opt.step();
 * ```
 */
export class SGD extends Optimizer<SGDHyper> {
  /** Builds SGD over `params` (tensors or groups `{params, lr?, momentum?, ...}`). */
  constructor(params: ParamsInput<SGDHyper>, opts: SGDOptions) {
    const o = checkOptions('SGD', opts, KEYS, ['lr']);
    super('SGD', params, {
      lr: o.lr,
      momentum: o.momentum ?? 0,
      dampening: o.dampening ?? 0,
      weightDecay: o.weightDecay ?? 0,
      nesterov: o.nesterov ?? false,
      maximize: o.maximize ?? false,
    });
  }

  /** Checks lr ≥ 0, momentum ≥ 0, weightDecay ≥ 0, and that Nesterov has momentum and no dampening. */
  protected override validate(h: SGDHyper, c: Checker): void {
    c.number('lr', h.lr, { min: 0 });
    c.number('momentum', h.momentum, { min: 0 });
    c.number('dampening', h.dampening);
    c.number('weightDecay', h.weightDecay, { min: 0 });
    c.bool('nesterov', h.nesterov);
    c.bool('maximize', h.maximize);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
      throw c.error(`Nesterov momentum requires momentum > 0 and dampening 0, got momentum ${h.momentum} and dampening ${h.dampening}`);
    }
  }

  /** SGD keeps `momentumBuffer`. */
  protected override stateKeys(): readonly string[] {
    return ['momentumBuffer'];
  }

  /** One SGD update of `p` (see the class comment). */
  protected override update(p: Tensor, grad: Tensor, st: ParamState, h: ParamGroup<SGDHyper>): void {
    const prevBuf = st.momentumBuffer;
    const first = !(prevBuf instanceof Tensor);
    const buf = h.momentum === 0 ? null : first ? zerosLike(p) : prevBuf;
    if (sgdUpdate_(p, grad, buf, { ...h, first })) {
      if (buf) st.momentumBuffer = buf;
      return;
    }
    let d = h.maximize ? neg(grad) : grad;
    if (h.weightDecay !== 0) d = add(d, p, { alpha: h.weightDecay });
    if (h.momentum !== 0) {
      const prev = st.momentumBuffer;
      const buf = prev instanceof Tensor ? add(mul(prev, h.momentum), d, { alpha: 1 - h.dampening }) : clone(d);
      st.momentumBuffer = buf;
      d = h.nesterov ? add(d, buf, { alpha: h.momentum }) : buf;
    }
    sub_(p, d, { alpha: h.lr });
  }
}
