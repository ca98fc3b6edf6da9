/**
 * A running trial as the objective sees it (Optuna's Trial): `suggest*` draws parameters define-by-run, so the
 * space may depend on earlier values (conditional parameters); `report` and `shouldPrune` drive pruning.
 * @module
 */
import { ValueError } from '../errors.js';
import {
  categoricalDistribution, contains, describeDistribution, floatDistribution, intDistribution, sameDistribution, toExternal,
  type CategoricalChoice, type Distribution, type FloatOptions, type IntOptions, type ParamValue,
} from './distributions.js';
import type { Pruner } from './pruners/base.js';
import type { Sampler, StudyView } from './samplers/base.js';
import type { FrozenTrial, InMemoryStorage } from './storage.js';

/** Thrown by an objective to end its trial as pruned (Optuna's TrialPruned); `optimize` catches it. */
export class TrialPruned extends Error {
  /** Creates the signal, with an optional reason. */
  constructor(message = 'trial pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}

/** What a Trial needs from its study. */
export interface TrialContext {
  /** The study the trial belongs to. */
  readonly study: StudyView;
  /** Its storage. */
  readonly storage: InMemoryStorage;
  /** Its sampler. */
  readonly sampler: Sampler;
  /** Its pruner. */
  readonly pruner: Pruner;
}

/** One evaluation of the objective: draws parameters and reports progress. */
export class Trial {
  /** Storage-wide id of this trial. */
  readonly trialId: number;
  /** Number of this trial in its study (0, 1, ...). */
  readonly number: number;
  private readonly ctx: TrialContext;
  private relativeSpace: Record<string, Distribution> = {};
  private relativeParams: Record<string, number> = {};

  /** Wraps the running trial `trialId`; `optimize` creates trials, user code receives them. */
  constructor(ctx: TrialContext, trialId: number) {
    this.ctx = ctx;
    this.trialId = trialId;
    const t = ctx.storage.getTrial(trialId, false);
    this.number = t.number;
    ctx.sampler.beforeTrial?.(ctx.study, t);
    const snap = ctx.storage.getTrial(trialId, false);
    this.relativeSpace = ctx.sampler.inferRelativeSearchSpace(ctx.study, snap);
    if (Object.keys(this.relativeSpace).length > 0) {
      this.relativeParams = ctx.sampler.sampleRelative(ctx.study, snap, this.relativeSpace);
    }
  }

  /** Parameters drawn so far. */
  get params(): Record<string, ParamValue> {
    return { ...this.ctx.storage.getTrial(this.trialId, false).params };
  }

  /**
   * A float in [low, high] (`log`: uniform in log space; `step`: on the grid low, low + step, ..., high).
   * Suggesting a name again returns the first value; with another distribution it is a ValueError.
   */
  suggestFloat(name: string, low: number, high: number, opts: FloatOptions = {}): number {
    return this.suggest(name, floatDistribution('suggestFloat', name, low, high, opts), 'suggestFloat') as number;
  }

  /** An integer in [low, high] (`step` spaces the values from low; `log`: uniform in log space). */
  suggestInt(name: string, low: number, high: number, opts: IntOptions = {}): number {
    return this.suggest(name, intDistribution('suggestInt', name, low, high, opts), 'suggestInt') as number;
  }

  /** One of `choices`. */
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, categoricalDistribution('suggestCategorical', name, choices), 'suggestCategorical') as T;
  }

  private suggest(name: string, dist: Distribution, fn: string): ParamValue {
    const t = this.ctx.storage.getTrial(this.trialId, false);
    const prev = t.distributions[name];
    if (prev !== undefined) {
      if (!sameDistribution(prev, dist)) {
        throw new ValueError(`${fn}: parameter '${name}' was already suggested as ${describeDistribution(prev)} in this trial, got ${describeDistribution(dist)}`);
      }
      return t.params[name];
    }
    const rel = this.relativeSpace[name];
    let internal: number;
    if (rel !== undefined && sameDistribution(rel, dist) && name in this.relativeParams) internal = this.relativeParams[name];
    else internal = this.ctx.sampler.sampleIndependent(this.ctx.study, t, name, dist);
    if (!contains(dist, internal)) throw new Error(`shendu internal error: sampler drew ${internal} outside ${describeDistribution(dist)} for '${name}'`);
    this.ctx.storage.setTrialParam(this.trialId, name, internal, dist);
    return toExternal(dist, internal);
  }

  /** Records the objective's intermediate value at `step` (an integer >= 0), e.g. validation loss after an epoch. */
  report(value: number, step: number): void {
    if (!Number.isSafeInteger(step) || step < 0) throw new ValueError(`report: step must be an integer >= 0, got ${step}`);
    if (typeof value !== 'number') throw new ValueError(`report: value must be a number, got ${typeof value}`);
    this.ctx.storage.setTrialIntermediateValue(this.trialId, step, value);
  }

  /** Whether the study's pruner says this trial should stop now (then throw `new TrialPruned()`). */
  shouldPrune(): boolean {
    return this.ctx.pruner.prune(this.ctx.study, this.ctx.storage.getTrial(this.trialId));
  }

  /** A snapshot of this trial as stored. */
  frozen(): FrozenTrial {
    return this.ctx.storage.getTrial(this.trialId, false);
  }
}
