/**
 * Optimizer, the base of every optimizer (PyTorch's torch.optim.Optimizer): parameter groups with their
 * hyper-parameters, per-parameter state, `step`, `zeroGrad`, and state dicts that refer to parameters by
 * index. Subclasses implement `update` for one parameter; the base runs it inside `noGrad` for every
 * parameter whose `.grad` is not null.
 * @module
 */
import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { Module } from '../nn/module.js';
import { clone, to } from '../ops/movement.js';
import { isFloating } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { Checker, fmtValue } from './check.js';

/** Hyper-parameters every optimizer has. */
export interface HyperParams {
  /** Learning rate. */
  lr: number;
}

/**
 * One parameter group: its parameters and hyper-parameters. The values are mutable — schedulers change
 * `lr` (and may add keys such as `initialLr`, `maxLr` or `momentum`), and a change takes effect at the
 * next `step()`.
 */
export type ParamGroup<H extends HyperParams = HyperParams> = H & {
  /** The group's parameters. */
  params: Tensor[];
  /** The learning rate a scheduler started from (set by the first scheduler attached). */
  initialLr?: number;
  [key: string]: unknown;
};

/** A parameter group as given to a constructor or `addParamGroup`: values given here override the defaults. */
export type ParamGroupSpec<H extends HyperParams = HyperParams> = { params: Tensor | Iterable<Tensor> } & Partial<H>;

/** What an optimizer is built from: parameters (e.g. `model.parameters()`) or parameter groups. */
export type ParamsInput<H extends HyperParams = HyperParams> = Tensor | Iterable<Tensor> | Iterable<ParamGroupSpec<H>>;

/**
 * Per-parameter state: tensors such as momentum buffers (shaped like the parameter) and the step count.
 * LBFGS keeps its history as lists of flat tensors and numbers.
 */
export type ParamState = Record<string, Tensor | number | Tensor[] | number[] | null>;

/** A parameter group in a state dict: its hyper-parameters, and its parameters as indices. */
export type SavedParamGroup = Record<string, unknown> & {
  /** Indices of the group's parameters, counted over all groups in order (as PyTorch does). */
  params: number[];
};

/** The state of an optimizer, as `stateDict()` returns it and `loadStateDict()` takes it. */
export interface OptimizerStateDict {
  /** Class name of the optimizer that saved it, e.g. `Adam`. */
  optimizer: string;
  /** Per-parameter state, keyed by parameter index; parameters not yet stepped have none. */
  state: Record<number, ParamState>;
  /** Every group's hyper-parameters, with parameter indices. */
  paramGroups: SavedParamGroup[];
}

/** Keys a group may carry besides its parameters and hyper-parameters (written by schedulers). */
const SCHEDULER_KEYS = ['initialLr', 'maxLr', 'minLr', 'maxMomentum', 'baseMomentum'];

function copyValue(v: unknown): unknown {
  return Array.isArray(v) ? v.map(copyValue) : v;
}

/** A state value copied for a state dict: tensors cloned (cast to `dtype` if given), lists element by element. */
function copyState(v: unknown, dtype?: Tensor['dtype']): unknown {
  if (v instanceof Tensor) return clone(dtype === undefined || v.dtype === dtype ? v : to(v, dtype));
  return Array.isArray(v) ? v.map((x) => copyState(x, dtype)) : v;
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `a Tensor of shape ${fmtShape(v.shape)}`;
  return fmtValue(v);
}

/**
 * Base class of optimizers. `H` is the optimizer's hyper-parameter record (e.g. `{lr, momentum, ...}`);
 * every group holds a full copy of it. Subclasses call `super(name, params, defaults)` and implement
 * `validate`, `stateKeys` and `update`.
 */
export abstract class Optimizer<H extends HyperParams = HyperParams> {
  /** The default hyper-parameters, used for keys a parameter group does not give. */
  readonly defaults: Readonly<H>;
  /** The parameter groups, in order; their hyper-parameters may be changed between steps. */
  readonly paramGroups: ParamGroup<H>[] = [];
  /** Per-parameter state (momentum buffers, running averages, step counts), created at a parameter's first step. */
  readonly state = new Map<Tensor, ParamState>();
  /** Name used in error messages and state dicts, e.g. `SGD`. */
  protected readonly optimizerName: string;

  /**
   * Collects the parameters (a list of tensors, or a list of groups `{params, lr?, ...}`), checks `defaults`
   * and each group's values, and sets up the groups.
   */
  protected constructor(name: string, params: ParamsInput<H>, defaults: H) {
    this.optimizerName = name;
    this.validate(defaults, new Checker(name));
    this.defaults = Object.freeze({ ...defaults });
    if (params instanceof Module) {
      throw new ValueError(`${name}: params must be a list of tensors or parameter groups, got a Module; pass model.parameters()`);
    }
    let list: unknown[];
    if (params instanceof Tensor) list = [params];
    else if (params !== null && typeof params === 'object' && Symbol.iterator in params) list = [...(params as Iterable<unknown>)];
    else throw new ValueError(`${name}: params must be a list of tensors or parameter groups, got ${fmtValue(params)}`);
    if (list.length === 0) throw new ValueError(`${name}: got an empty parameter list`);
    const specs = list.every((p) => p instanceof Tensor) ? [{ params: list as Tensor[] } as unknown as ParamGroupSpec<H>] : (list as ParamGroupSpec<H>[]);
    for (const spec of specs) this.addParamGroup(spec);
  }

  /** Throws a ValueError (via `check`) when a hyper-parameter record is out of range. */
  protected abstract validate(h: H, check: Checker): void;

  /** The per-parameter state keys this optimizer uses (what `loadStateDict` accepts). */
  protected abstract stateKeys(): readonly string[];

  /** The state keys that hold numbers rather than tensors shaped like the parameter (default: `step`). */
  protected scalarStateKeys(): readonly string[] {
    return ['step'];
  }

  /**
   * Checks one saved state value of parameter `p` for `loadStateDict`: returns what is wrong, or null. By
   * default the `scalarStateKeys` hold finite numbers and every other key a tensor of the parameter's shape.
   */
  protected checkStateValue(key: string, v: unknown, p: Tensor): string | null {
    const scalar = this.scalarStateKeys().includes(key);
    if (scalar ? typeof v !== 'number' || !Number.isFinite(v) : !(v instanceof Tensor)) {
      return `must be ${scalar ? 'a number' : 'a Tensor'}, got ${describe(v)}`;
    }
    if (v instanceof Tensor && (v.ndim !== p.ndim || v.shape.some((s, d) => s !== p.shape[d]))) {
      return `has shape ${fmtShape(v.shape)}, the parameter has shape ${fmtShape(p.shape)}`;
    }
    return null;
  }

  /**
   * Updates one parameter in place from its gradient (runs inside `noGrad`). `state` is the parameter's
   * state record, empty at its first step; implementations replace its tensors rather than mutate them.
   */
  protected abstract update(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<H>): void;

  /**
   * Adds a parameter group (e.g. layers unfrozen during fine-tuning). Missing hyper-parameters come from the
   * defaults. A parameter may belong to one group only. Unknown keys are rejected (they are usually typos).
   */
  addParamGroup(spec: ParamGroupSpec<H>): void {
    const name = this.optimizerName;
    const where = ` in param group ${this.paramGroups.length}`;
    if (spec === null || typeof spec !== 'object' || spec instanceof Tensor || !('params' in spec)) {
      throw new ValueError(`${name}: a parameter group must be an object {params, ...options}, got ${fmtValue(spec)}`);
    }
    const raw = spec.params as unknown;
    let params: unknown[];
    if (raw instanceof Tensor) params = [raw];
    else if (raw instanceof Module) throw new ValueError(`${name}: params must be tensors, got a Module${where}; pass model.parameters()`);
    else if (raw !== null && typeof raw === 'object' && Symbol.iterator in raw) params = [...(raw as Iterable<unknown>)];
    else throw new ValueError(`${name}: params must be a Tensor or a list of tensors, got ${fmtValue(raw)}${where}`);
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new ValueError(`${name}: params[${i}] must be a Tensor, got ${fmtValue(p)}${where}`);
      if (!isFloating(p.dtype)) throw new DTypeError(`${name}: params[${i}] must be a floating-point tensor, got dtype ${p.dtype}${where}`);
      if (!p.isLeaf) throw new ValueError(`${name}: params[${i}] is not a leaf tensor (it was computed by ${p.gradFn?.name}); optimize leaves only${where}`);
    });
    const tensors = params as Tensor[];
    if (new Set(tensors).size !== tensors.length) throw new ValueError(`${name}: a parameter appears twice${where}`);
    const taken = new Set(this.paramGroups.flatMap((g) => g.params));
    if (tensors.some((p) => taken.has(p))) throw new ValueError(`${name}: some parameters appear in more than one parameter group`);
    const check = new Checker(name, where);
    const known = [...Object.keys(this.defaults), ...SCHEDULER_KEYS, 'params'];
    check.options(spec, known, 'options');
    const group = { ...this.defaults } as Record<string, unknown>;
    for (const [k, v] of Object.entries(spec)) if (k !== 'params' && v !== undefined) group[k] = copyValue(v);
    for (const [k, v] of Object.entries(group)) group[k] = copyValue(v);
    group.params = tensors;
    this.validate(group as unknown as H, check);
    this.paramGroups.push(group as ParamGroup<H>);
  }

  /** Sets the gradient of every parameter to null (PyTorch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.grad = null;
  }

  /**
   * One optimization step: updates, in place, every parameter whose `.grad` is not null. `closure`, if
   * given, is called first with gradients enabled (it should zero the grads, compute the loss, call
   * backward and return the loss); its result is returned.
   */
  step<T = undefined>(closure?: () => T): T | undefined {
    let loss: T | undefined;
    if (closure !== undefined) {
      if (typeof closure !== 'function') throw new ValueError(`${this.optimizerName}.step: closure must be a function, got ${fmtValue(closure)}`);
      loss = enableGrad(closure);
    }
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const g = p.grad;
          if (g === null) continue;
          if (g.ndim !== p.ndim || g.shape.some((s, d) => s !== p.shape[d])) {
            throw new ValueError(`${this.optimizerName}.step: a gradient of shape ${fmtShape(g.shape)} does not fit its parameter of shape ${fmtShape(p.shape)}`);
          }
          let st = this.state.get(p);
          if (st === undefined) {
            st = {};
            this.state.set(p, st);
          }
          this.update(p, g, st, group);
        }
      }
    });
    return loss;
  }

  /**
   * The optimizer's state: per-parameter state keyed by parameter index (counted over the groups in order)
   * and each group's hyper-parameters. The state tensors are not copied — the optimizers replace rather
   * than modify them, so the dict stays a snapshot of this moment.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') out[k] = copyValue(v);
      out.params = g.params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p) as number;
      });
      return out as SavedParamGroup;
    });
    const state: Record<number, ParamState> = {};
    for (const [p, st] of this.state) {
      const i = index.get(p);
      // state tensors are updated in place by the fused steps, so the snapshot holds copies
      if (i !== undefined) state[i] = Object.fromEntries(Object.entries(st).map(([k, v]) => [k, copyState(v)])) as ParamState;
    }
    return { optimizer: this.optimizerName, state, paramGroups };
  }

  /**
   * Restores a state from `stateDict()` (of an optimizer of the same class over parameters of the same
   * shapes, in the same groups): the groups' hyper-parameters and copies of the per-parameter state, cast
   * to each parameter's dtype. Throws a ValueError listing every mismatch; nothing changes unless all checks pass.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = this.optimizerName;
    const fail = (problems: string[]) => new ValueError(`${name}.loadStateDict: the state dict does not fit this optimizer: ${problems.join('; ')}`);
    if (sd === null || typeof sd !== 'object' || !Array.isArray(sd.paramGroups) || sd.state === null || typeof sd.state !== 'object') {
      throw fail([`expected an object {optimizer, state, paramGroups} from stateDict(), got ${fmtValue(sd)}`]);
    }
    const problems: string[] = [];
    if (sd.optimizer !== name) problems.push(`it was saved by ${fmtValue(sd.optimizer)}, not ${name}`);
    if (sd.paramGroups.length !== this.paramGroups.length) {
      problems.push(`it has ${sd.paramGroups.length} parameter groups, this optimizer has ${this.paramGroups.length}`);
      throw fail(problems);
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    const hyperKeys = Object.keys(this.defaults);
    let start = 0;
    sd.paramGroups.forEach((saved, i) => {
      const own = this.paramGroups[i];
      if (saved === null || typeof saved !== 'object' || !Array.isArray(saved.params)) {
        problems.push(`param group ${i} is not an object with a params list`);
        return;
      }
      if (saved.params.length !== own.params.length) {
        problems.push(`param group ${i} has ${saved.params.length} parameters, this optimizer's has ${own.params.length}`);
      } else if (saved.params.some((ix, j) => ix !== start + j)) {
        problems.push(`param group ${i} refers to parameters ${fmtValue(saved.params)}, expected ${fmtValue(own.params.map((_, j) => start + j))}`);
      }
      start += own.params.length;
      const missing = hyperKeys.filter((k) => !(k in saved));
      if (missing.length) problems.push(`param group ${i} lacks ${missing.join(', ')}`);
      const extra = Object.keys(saved).filter((k) => k !== 'params' && !hyperKeys.includes(k) && !SCHEDULER_KEYS.includes(k));
      if (extra.length) problems.push(`param group ${i} has unknown keys ${extra.join(', ')}`);
      if (!missing.length) {
        try {
          this.validate(saved as unknown as H, new Checker(name, ` in saved param group ${i}`));
        } catch (e) {
          if (!(e instanceof ValueError)) throw e;
          problems.push(e.message.replace(`${name}: `, ''));
        }
      }
    });
    const allowed = this.stateKeys();
    for (const [key, st] of Object.entries(sd.state)) {
      const i = Number(key);
      const p = params[i];
      if (!Number.isInteger(i) || p === undefined) {
        problems.push(`state for parameter ${key}, but there are ${params.length} parameters`);
        continue;
      }
      if (st === null || typeof st !== 'object') {
        problems.push(`state of parameter ${i} must be an object, got ${fmtValue(st)}`);
        continue;
      }
      for (const [k, v] of Object.entries(st)) {
        if (!allowed.includes(k)) {
          problems.push(`state of parameter ${i} has unknown key ${k} (${name} keeps ${allowed.join(', ')})`);
          continue;
        }
        const problem = this.checkStateValue(k, v, p);
        if (problem !== null) problems.push(`state ${k} of parameter ${i} ${problem}`);
      }
    }
    if (problems.length) throw fail(problems);

    sd.paramGroups.forEach((saved, i) => {
      const group: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(saved)) if (k !== 'params') group[k] = copyValue(v);
      group.params = this.paramGroups[i].params;
      this.paramGroups[i] = group as ParamGroup<H>;
    });
    this.state.clear();
    noGrad(() => {
      for (const [key, st] of Object.entries(sd.state)) {
        const p = params[Number(key)];
        const copy: ParamState = {};
        for (const [k, v] of Object.entries(st)) copy[k] = copyState(v, p.dtype) as ParamState[string];
        this.state.set(p, copy);
      }
    });
  }
}
