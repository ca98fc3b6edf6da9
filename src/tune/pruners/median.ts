/**
 * Percentile and median pruning (Optuna's PercentilePruner / MedianPruner): after `nStartupTrials` complete trials
 * and `nWarmupSteps` steps, at every `intervalSteps`-th step a trial whose best intermediate value so far is worse
 * than the given percentile of the complete trials' values at that step is pruned.
 * @module
 */
import { ValueError } from '../../errors.js';
import type { StudyView } from '../samplers/base.js';
import { lastStep, type FrozenTrial } from '../storage.js';
import type { Pruner } from './base.js';

/** Options of `PercentilePruner` and `MedianPruner` (Optuna's defaults). */
export interface PercentilePrunerOptions {
  /** Complete trials before pruning starts (default 5). */
  nStartupTrials?: number;
  /** Steps of a trial before it may be pruned (default 0). */
  nWarmupSteps?: number;
  /** Check every this many steps after the warm-up (default 1). */
  intervalSteps?: number;
  /** Fewest complete trials with a value at the step for a judgement (default 1). */
  nMinTrials?: number;
}

/** numpy's default (linear) percentile of values, q in [0, 100]. */
export function percentile(values: readonly number[], q: number): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = (q / 100) * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

function isFirstInIntervalStep(step: number, steps: Iterable<number>, warmup: number, interval: number): boolean {
  const nearestLower = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLower;
}

function checkInt(fn: string, name: string, v: number, min: number): void {
  if (!Number.isSafeInteger(v) || v < min) throw new ValueError(`${fn}: ${name} must be an integer >= ${min}, got ${v}`);
}

/** Prunes a trial whose best value so far is in the worst (100 − percentile)% of complete trials at its step. */
export class PercentilePruner implements Pruner {
  private readonly q: number;
  private readonly nStartup: number;
  private readonly warmup: number;
  private readonly interval: number;
  private readonly nMin: number;

  /** Keeps the top `percentile`% (e.g. 25: prune unless among the best quarter). */
  constructor(percentileToKeep: number, opts: PercentilePrunerOptions = {}, fn = 'PercentilePruner') {
    if (!(percentileToKeep >= 0 && percentileToKeep <= 100)) throw new ValueError(`${fn}: percentile must be in [0, 100], got ${percentileToKeep}`);
    this.q = percentileToKeep;
    this.nStartup = opts.nStartupTrials ?? 5;
    this.warmup = opts.nWarmupSteps ?? 0;
    this.interval = opts.intervalSteps ?? 1;
    this.nMin = opts.nMinTrials ?? 1;
    checkInt(fn, 'nStartupTrials', this.nStartup, 0);
    checkInt(fn, 'nWarmupSteps', this.warmup, 0);
    checkInt(fn, 'intervalSteps', this.interval, 1);
    checkInt(fn, 'nMinTrials', this.nMin, 1);
  }

  /** Optuna's rule; see the class description. */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    const done = study.getTrials(['complete']);
    if (done.length === 0 || done.length < this.nStartup) return false;
    const step = lastStep(trial);
    if (step === null || step < this.warmup) return false;
    if (!isFirstInIntervalStep(step, trial.intermediateValues.keys(), this.warmup, this.interval)) return false;
    const maximize = study.direction === 'maximize';
    const own = [...trial.intermediateValues.values()].filter((v) => !Number.isNaN(v));
    if (own.length === 0) return true;
    const bestOwn = maximize ? Math.max(...own) : Math.min(...own);
    const atStep = done.filter((t) => t.intermediateValues.has(step)).map((t) => t.intermediateValues.get(step) as number);
    if (atStep.length < this.nMin) return false;
    const p = percentile(atStep, maximize ? 100 - this.q : this.q);
    if (Number.isNaN(p)) return false;
    return maximize ? bestOwn < p : bestOwn > p;
  }
}

/** Prunes a trial whose best value so far is worse than the median of complete trials at the same step. */
export class MedianPruner extends PercentilePruner {
  /** Optuna's MedianPruner (the 50th percentile). */
  constructor(opts: PercentilePrunerOptions = {}) {
    super(50, opts, 'MedianPruner');
  }
}
