/**
 * LRScheduler, the base of the epoch/step learning-rate schedules (PyTorch's `_LRScheduler`): it writes each
 * parameter group's `lr` once at construction (epoch 0) and again at every `step()`. Most schedules are
 * "chainable" as in PyTorch: they compute the new lr from the group's current lr, so two schedulers on one
 * optimizer compose (their factors multiply).
 * @module
 */
import { ValueError } from '../../errors.js';
import { Checker, fmtValue } from '../check.js';
import { Optimizer } from '../optimizer.js';

/** A scheduler's state: its plain-data fields by name (nested state dicts for chained/sequential schedulers). */
export type SchedulerStateDict = Record<string, unknown>;

function copyData(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyData);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyData(x)]));
  return v;
}

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * The plain-data fields of `owner` (numbers, strings, booleans, arrays, null) except `skip`, deep-copied:
 * what a scheduler's `stateDict()` holds.
 */
export function dataFields(owner: object, skip: readonly string[]): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [k, v] of Object.entries(owner)) {
    if (skip.includes(k) || typeof v === 'function' || v instanceof Optimizer) continue;
    if (Array.isArray(v) && v.some((x) => typeof x === 'function')) continue;
    out[k] = copyData(v);
  }
  return out;
}

/**
 * Checks that `sd` has exactly the keys of `own` with values of the same kinds, throwing a ValueError that
 * lists every difference (a state dict of another scheduler), then copies the values into `owner`.
 */
export function loadDataFields(name: string, owner: object, own: SchedulerStateDict, sd: SchedulerStateDict): void {
  if (sd === null || typeof sd !== 'object' || Array.isArray(sd)) {
    throw new ValueError(`${name}.loadStateDict: expected an object from stateDict(), got ${fmtValue(sd)}`);
  }
  const problems: string[] = [];
  const missing = Object.keys(own).filter((k) => !(k in sd));
  const unexpected = Object.keys(sd).filter((k) => !(k in own));
  if (missing.length) problems.push(`missing keys ${missing.join(', ')}`);
  if (unexpected.length) problems.push(`unexpected keys ${unexpected.join(', ')}`);
  for (const [k, v] of Object.entries(own)) {
    if (!(k in sd)) continue;
    const a = kindOf(v);
    const b = kindOf(sd[k]);
    // null and number interchange where a field is unset until the first step (e.g. ReduceLROnPlateau.best)
    if (a !== b && !(a === 'null' || b === 'null')) problems.push(`${k} should be ${a === 'array' ? 'an array' : `a ${a}`}, got ${fmtValue(sd[k])}`);
    else if (a === 'array' && b === 'array' && (v as unknown[]).length !== (sd[k] as unknown[]).length && k !== 'milestones') {
      problems.push(`${k} has ${(sd[k] as unknown[]).length} entries, expected ${(v as unknown[]).length}`);
    }
  }
  if (problems.length) throw new ValueError(`${name}.loadStateDict: the state dict does not fit this ${name}: ${problems.join('; ')}`);
  for (const k of Object.keys(own)) (owner as Record<string, unknown>)[k] = copyData(sd[k]);
}

/** Checks that `optimizer` is an Optimizer, naming the scheduler otherwise. */
export function checkOptimizer(name: string, optimizer: unknown): Optimizer {
  if (!(optimizer instanceof Optimizer)) throw new ValueError(`${name}: optimizer must be an Optimizer, got ${fmtValue(optimizer)}`);
  return optimizer;
}

/**
 * Base class of learning-rate schedulers that are stepped once per epoch (or per batch, for CyclicLR and
 * OneCycleLR). Subclasses implement `getLr()` (the chainable form, from the groups' current lrs) and may
 * implement `closedFormLr()` (used when `step(epoch)` is given an epoch). A subclass constructor ends with
 * `this.start(lastEpoch)`, which records the groups' initial lrs and performs step 0.
 */
export abstract class LRScheduler {
  /** The optimizer whose groups' `lr` this scheduler sets. */
  readonly optimizer: Optimizer;
  /** Each group's initial lr (`initialLr`), the schedule's starting point. */
  baseLrs: number[] = [];
  /** Index of the last epoch (or batch) stepped: 0 after construction, +1 per `step()`. */
  lastEpoch = -1;
  /** Calls of `step()` so far, construction's included. */
  protected stepCount = 0;
  /** The lrs set by the latest step. */
  protected lastLr: number[] = [];
  /** Name used in error messages, e.g. `StepLR`. */
  protected readonly schedulerName: string;

  /** Attaches to `optimizer`; the subclass sets its own fields and then calls `start`. */
  protected constructor(name: string, optimizer: Optimizer) {
    this.schedulerName = name;
    this.optimizer = checkOptimizer(name, optimizer);
  }

  /** New lrs, one per group, for the epoch just reached (`lastEpoch`), from the groups' current lrs. */
  protected abstract getLr(): number[];

  /** The lrs at `lastEpoch` computed directly from `baseLrs`, or null when the schedule has no closed form. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /**
   * Records each group's `initialLr` (set once, by the first scheduler attached, from its lr; required in
   * every group when resuming with `lastEpoch` ≥ 0), then performs the initial step.
   */
  protected start(lastEpoch: number): void {
    const c = new Checker(this.schedulerName);
    c.int('lastEpoch', lastEpoch, -1);
    const groups = this.optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const g of groups) if (!('initialLr' in g) || g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) throw c.error(`resuming with lastEpoch ${lastEpoch} needs initialLr in every param group; param group ${i} has none`);
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    this.initialStep();
  }

  /** Resets the step count and performs step 0 (used at construction and by SequentialLR). */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /**
   * Advances the schedule by one epoch and writes the new lrs into the optimizer's groups. Given `epoch`,
   * jumps to that epoch instead, using the closed form where the schedule has one (deprecated in PyTorch,
   * kept for SequentialLR and for resuming).
   */
  step(epoch?: number): void {
    this.stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      new Checker(this.schedulerName).number('epoch', epoch, { min: 0 });
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.getLr();
    }
    this.setLrs(values);
  }

  /** Writes `values` into the groups' lr and remembers them as the last lrs. */
  protected setLrs(values: readonly number[]): void {
    const groups = this.optimizer.paramGroups;
    values.forEach((lr, i) => {
      if (i < groups.length) groups[i].lr = lr;
    });
    this.lastLr = groups.map((g) => g.lr);
  }

  /** The lrs this scheduler set last, one per parameter group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** Keys that `stateDict` leaves out (functions and the optimizer are always left out). */
  protected transientKeys(): readonly string[] {
    return ['schedulerName'];
  }

  /** The scheduler's state: its plain-data fields (not the optimizer, not functions such as lambdas). */
  stateDict(): SchedulerStateDict {
    return dataFields(this, this.transientKeys());
  }

  /** Restores a state from `stateDict()` of a scheduler of the same kind; throws a ValueError listing mismatches. */
  loadStateDict(sd: SchedulerStateDict): void {
    loadDataFields(this.schedulerName, this, this.stateDict(), sd);
  }
}
