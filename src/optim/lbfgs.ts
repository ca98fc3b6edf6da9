/**
 * L-BFGS: limited-memory BFGS with an optional strong-Wolfe line search — PyTorch 1.13's torch.optim.LBFGS,
 * iterate for iterate. `step(closure)` re-evaluates the loss as often as it needs.
 * @module
 */
import { ValueError, fmtShape } from '../errors.js';
import { add_, copy_ } from '../ops/inplace.js';
import { clone } from '../ops/movement.js';
import { noGrad, enableGrad } from '../autograd/grad-mode.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, fmtValue, type Checker } from './check.js';
import { absMaxHost, dotHost, strongWolfe } from './line-search.js';
import { Optimizer, type ParamGroup, type ParamGroupSpec, type ParamState, type ParamsInput } from './optimizer.js';

/** Hyper-parameters of LBFGS (its single group holds all of them). */
export interface LBFGSHyper {
  /** Learning rate: the initial step length of each iteration (default 1). */
  lr: number;
  /** Most iterations per `step()` (default 20). */
  maxIter: number;
  /** Most loss evaluations per `step()` (default maxIter · 5/4, rounded down). */
  maxEval: number;
  /** Stop when max |gradient| is at most this (default 1e-7). */
  toleranceGrad: number;
  /** Stop when the loss or the step changes by less than this (default 1e-9). */
  toleranceChange: number;
  /** How many (s, y) pairs the inverse-Hessian approximation remembers (default 100). */
  historySize: number;
  /** 'strong_wolfe' for a line search, or null for fixed steps of length lr (default null). */
  lineSearchFn: 'strong_wolfe' | null;
}

/** Options of LBFGS; every key defaults as in PyTorch. */
export type LBFGSOptions = Partial<LBFGSHyper>;

const KEYS = ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn'];
const NUMBER_KEYS = ['funcEvals', 'nIter', 't', 'HDiag', 'prevLoss'];
const VECTOR_KEYS = ['d', 'prevFlatGrad'];
const LIST_KEYS = ['oldDirs', 'oldStps'];

/** The loss a closure returned, as a number. */
function lossValue(v: unknown): number {
  if (v instanceof Tensor) {
    if (v.numel() !== 1) throw new ValueError(`LBFGS.step: the closure must return a scalar loss, got a Tensor of shape ${fmtShape(v.shape)}`);
    return v.item();
  }
  if (typeof v === 'number') return v;
  throw new ValueError(`LBFGS.step: the closure must return the loss (a scalar Tensor or a number), got ${fmtValue(v)}`);
}

/**
 * L-BFGS (torch.optim.LBFGS). Each `step(closure)` runs up to `maxIter` iterations: the direction is
 * −H∇f by the two-loop recursion over the last `historySize` pairs (s, y) (pairs with yᵀs ≤ 1e-10 are
 * skipped), the initial Hessian scale yᵀs/yᵀy; the first iteration's step is min(1, 1/‖∇f‖₁)·lr, later ones lr,
 * refined by the strong-Wolfe search when `lineSearchFn` is 'strong_wolfe'. It stops at max|∇f| ≤
 * toleranceGrad, a step or loss change below toleranceChange, or `maxEval` evaluations. Returns the loss of
 * the closure's first call.
 *
 * Like PyTorch: one parameter group only; all parameters are treated as one flat vector. The history is
 * kept in the parameters' dtype and the two-loop arithmetic runs in float64. State (on the first parameter,
 * as PyTorch keeps it): `funcEvals`, `nIter`, `d`, `t`, `oldDirs`, `oldStps`, `ro`, `HDiag`, `prevFlatGrad`,
 * `prevLoss` (PyTorch's scratch list `al` is not kept).
 */
export class LBFGS extends Optimizer<LBFGSHyper> {
  /** Builds LBFGS over `params` (one list of tensors, or a single group). */
  constructor(params: ParamsInput<LBFGSHyper>, opts: LBFGSOptions = {}) {
    const o = checkOptions('LBFGS', opts, KEYS);
    const maxIter = o.maxIter ?? 20;
    super('LBFGS', params, {
      lr: o.lr ?? 1,
      maxIter,
      maxEval: o.maxEval ?? Math.floor((maxIter * 5) / 4),
      toleranceGrad: o.toleranceGrad ?? 1e-7,
      toleranceChange: o.toleranceChange ?? 1e-9,
      historySize: o.historySize ?? 100,
      lineSearchFn: o.lineSearchFn ?? null,
    });
  }

  /** As PyTorch, LBFGS takes a single parameter group. */
  override addParamGroup(spec: ParamGroupSpec<LBFGSHyper>): void {
    if (this.paramGroups.length > 0) throw new ValueError("LBFGS: doesn't support per-parameter options (parameter groups); pass one list of tensors");
    super.addParamGroup(spec);
  }

  /** Checks lr ≥ 0, maxIter ≥ 1, maxEval ≥ 1, tolerances ≥ 0, historySize ≥ 1, lineSearchFn 'strong_wolfe' or null. */
  protected override validate(h: LBFGSHyper, c: Checker): void {
    c.number('lr', h.lr, { min: 0 });
    c.int('maxIter', h.maxIter, 1);
    c.int('maxEval', h.maxEval, 1);
    c.number('toleranceGrad', h.toleranceGrad, { min: 0 });
    c.number('toleranceChange', h.toleranceChange, { min: 0 });
    c.int('historySize', h.historySize, 1);
    if (h.lineSearchFn !== null) c.oneOf('lineSearchFn', h.lineSearchFn, ['strong_wolfe'] as const);
  }

  /** LBFGS keeps its history and counters (see the class comment). */
  protected override stateKeys(): readonly string[] {
    return [...NUMBER_KEYS, ...VECTOR_KEYS, ...LIST_KEYS, 'ro'];
  }

  /** Numbers, flat vectors of all parameters' size, lists of them, and `ro` a list of numbers. */
  protected override checkStateValue(key: string, v: unknown, p: Tensor): string | null {
    if (p !== this.paramGroups[0].params[0]) return 'is kept on the first parameter only';
    const n = this.paramGroups[0].params.reduce((s, q) => s + q.numel(), 0);
    const isVector = (x: unknown) => x instanceof Tensor && x.ndim === 1 && x.numel() === n;
    if (NUMBER_KEYS.includes(key)) return typeof v === 'number' || (key === 'prevLoss' && v === null) ? null : `must be a number, got ${fmtValue(v)}`;
    if (VECTOR_KEYS.includes(key)) return isVector(v) ? null : `must be a 1-D Tensor of ${n} elements (all parameters, flattened), got ${fmtValue(v)}`;
    if (LIST_KEYS.includes(key)) return Array.isArray(v) && v.every(isVector) ? null : `must be a list of 1-D Tensors of ${n} elements, got ${fmtValue(v)}`;
    return Array.isArray(v) && v.every((x) => typeof x === 'number') ? null : `must be a list of numbers, got ${fmtValue(v)}`;
  }

  /** Never called: LBFGS moves all parameters together in `step(closure)`. */
  protected override update(): void {
    throw new ValueError('LBFGS: parameters are updated together by step(closure)');
  }

  private flatGrad(): Float64Array {
    const params = this.paramGroups[0].params;
    const out = new Float64Array(params.reduce((s, p) => s + p.numel(), 0));
    let at = 0;
    for (const p of params) {
      if (p.grad !== null) out.set(p.grad.toTypedArray(), at);
      at += p.numel();
    }
    return out;
  }

  /** θ ← θ + t·d, parameter by parameter. */
  private addStep(t: number, d: Float64Array): void {
    let at = 0;
    for (const p of this.paramGroups[0].params) {
      add_(p, tensor(d.subarray(at, at + p.numel()), { dtype: p.dtype, shape: [...p.shape] }), { alpha: t });
      at += p.numel();
    }
  }

  /** A flat vector as a state tensor in the parameters' dtype. */
  private toState(v: Float64Array): Tensor {
    return tensor(Float64Array.from(v), { dtype: this.paramGroups[0].params[0].dtype });
  }

  /**
   * Runs up to `maxIter` L-BFGS iterations. `closure` must zero the gradients, compute the loss, call
   * `backward()` and return the loss; it is called once or more per iteration. Returns its first result.
   */
  override step<T = undefined>(closure?: () => T): T | undefined {
    if (typeof closure !== 'function') throw new ValueError(`LBFGS.step: needs a closure that recomputes the loss, got ${fmtValue(closure)}`);
    const group = this.paramGroups[0] as ParamGroup<LBFGSHyper>;
    const params = group.params;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn } = group;
    let st = this.state.get(params[0]);
    if (st === undefined) {
      st = { funcEvals: 0, nIter: 0 };
      this.state.set(params[0], st);
    }
    const state: ParamState = st;
    const evaluate = (): number => lossValue(enableGrad(closure));
    const origLoss = enableGrad(closure);
    let loss = lossValue(origLoss);
    let currentEvals = 1;
    state.funcEvals = (state.funcEvals as number) + 1;
    let flatGrad = this.flatGrad();
    if (absMaxHost(flatGrad) <= toleranceGrad) return origLoss;

    const host = (x: unknown) => Float64Array.from((x as Tensor).toTypedArray());
    let d = state.d instanceof Tensor ? host(state.d) : new Float64Array(0);
    let t = (state.t as number | undefined) ?? 0;
    let oldDirs = ((state.oldDirs as Tensor[] | undefined) ?? []).map(host);
    let oldStps = ((state.oldStps as Tensor[] | undefined) ?? []).map(host);
    let ro = [...((state.ro as number[] | undefined) ?? [])];
    let HDiag = (state.HDiag as number | undefined) ?? 1;
    let prevFlatGrad = state.prevFlatGrad instanceof Tensor ? host(state.prevFlatGrad) : null;
    let prevLoss = (state.prevLoss as number | null | undefined) ?? null;

    noGrad(() => {
      let nIter = 0;
      while (nIter < maxIter) {
        nIter++;
        state.nIter = (state.nIter as number) + 1;
        if (state.nIter === 1) {
          d = flatGrad.map((v) => -v);
          oldDirs = [];
          oldStps = [];
          ro = [];
          HDiag = 1;
        } else {
          const y = flatGrad.map((v, i) => v - (prevFlatGrad as Float64Array)[i]);
          const s = d.map((v) => v * t);
          const ys = dotHost(y, s);
          if (ys > 1e-10) {
            if (oldDirs.length === historySize) {
              oldDirs.shift();
              oldStps.shift();
              ro.shift();
            }
            oldDirs.push(y);
            oldStps.push(s);
            ro.push(1 / ys);
            HDiag = ys / dotHost(y, y);
          }
          // two-loop recursion: d = -H g
          const al = new Array<number>(oldDirs.length);
          const q = flatGrad.map((v) => -v);
          for (let i = oldDirs.length - 1; i >= 0; i--) {
            al[i] = dotHost(oldStps[i], q) * ro[i];
            for (let j = 0; j < q.length; j++) q[j] -= al[i] * oldDirs[i][j];
          }
          d = q.map((v) => v * HDiag);
          for (let i = 0; i < oldDirs.length; i++) {
            const be = dotHost(oldDirs[i], d) * ro[i];
            for (let j = 0; j < d.length; j++) d[j] += (al[i] - be) * oldStps[i][j];
          }
        }
        prevFlatGrad = Float64Array.from(flatGrad);
        prevLoss = loss;
        if (state.nIter === 1) {
          let l1 = 0;
          for (const v of flatGrad) l1 += Math.abs(v);
          t = Math.min(1, 1 / l1) * lr;
        } else {
          t = lr;
        }
        const gtd = dotHost(flatGrad, d);
        if (gtd > -toleranceChange) break;

        let lsEvals = 0;
        let optCond = false;
        if (lineSearchFn === 'strong_wolfe') {
          const x0 = params.map((p) => clone(p));
          const dir = d;
          const r = strongWolfe((tt) => {
            this.addStep(tt, dir);
            const l = evaluate();
            const g = this.flatGrad();
            params.forEach((p, i) => copy_(p, x0[i]));
            return { loss: l, grad: g };
          }, t, d, loss, flatGrad, gtd);
          ({ loss, grad: flatGrad, t, evals: lsEvals } = r);
          this.addStep(t, d);
          optCond = absMaxHost(flatGrad) <= toleranceGrad;
        } else {
          this.addStep(t, d);
          if (nIter !== maxIter) {
            loss = evaluate();
            flatGrad = this.flatGrad();
            optCond = absMaxHost(flatGrad) <= toleranceGrad;
            lsEvals = 1;
          }
        }
        currentEvals += lsEvals;
        state.funcEvals = (state.funcEvals as number) + lsEvals;
        if (nIter === maxIter || currentEvals >= maxEval || optCond) break;
        if (absMaxHost(d.map((v) => v * t)) <= toleranceChange) break;
        if (Math.abs(loss - (prevLoss as number)) < toleranceChange) break;
      }
    });
    state.d = this.toState(d);
    state.t = t;
    state.oldDirs = oldDirs.map((v) => this.toState(v));
    state.oldStps = oldStps.map((v) => this.toState(v));
    state.ro = ro;
    state.HDiag = HDiag;
    if (prevFlatGrad) state.prevFlatGrad = this.toState(prevFlatGrad);
    state.prevLoss = prevLoss;
    return origLoss;
  }
}
