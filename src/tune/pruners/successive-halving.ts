/**
 * Asynchronous successive halving (ASHA; Optuna's SuccessiveHalvingPruner). Rung k is reached at step
 * minResource · reductionFactor^(minEarlyStoppingRate + k); a trial reaching a rung records its value there and goes
 * on only if it is in the top 1/reductionFactor of all values recorded at that rung so far — no waiting for a full
 * bracket, so it suits parallel workers.
 * @module
 */
import { ValueError } from '../../errors.js';
import type { StudyView } from '../samplers/base.js';
import { lastStep, type FrozenTrial } from '../storage.js';
import type { Pruner } from './base.js';

/** Options of `SuccessiveHalvingPruner` (Optuna's defaults). */
export interface SuccessiveHalvingOptions {
  /** Steps before the first rung, or 'auto': max(last step of the longest complete trial / 100, 1) (default 'auto'). */
  minResource?: number | 'auto';
  /** Keep the top 1/reductionFactor at each rung (default 4). */
  reductionFactor?: number;
  /** Shifts the first rung to minResource · reductionFactor^rate (default 0). */
  minEarlyStoppingRate?: number;
  /** Values needed at a rung before anyone is promoted (default 0). */
  bootstrapCount?: number;
}

function rungKey(rung: number): string {
  return `completed_rung_${rung}`;
}

/** ASHA with Optuna's rules and defaults. */
export class SuccessiveHalvingPruner implements Pruner {
  private minResource: number | null;
  private readonly eta: number;
  private readonly rate: number;
  private readonly bootstrap: number;

  /** Creates the pruner; see `SuccessiveHalvingOptions`. */
  constructor(opts: SuccessiveHalvingOptions = {}, fn = 'SuccessiveHalvingPruner') {
    const mr = opts.minResource ?? 'auto';
    if (mr !== 'auto' && (!Number.isSafeInteger(mr) || mr < 1)) throw new ValueError(`${fn}: minResource must be an integer >= 1 or 'auto', got ${mr}`);
    this.minResource = mr === 'auto' ? null : mr;
    this.eta = opts.reductionFactor ?? 4;
    this.rate = opts.minEarlyStoppingRate ?? 0;
    this.bootstrap = opts.bootstrapCount ?? 0;
    if (!Number.isSafeInteger(this.eta) || this.eta < 2) throw new ValueError(`${fn}: reductionFactor must be an integer >= 2, got ${this.eta}`);
    if (!Number.isSafeInteger(this.rate) || this.rate < 0) throw new ValueError(`${fn}: minEarlyStoppingRate must be an integer >= 0, got ${this.rate}`);
    if (!Number.isSafeInteger(this.bootstrap) || this.bootstrap < 0) throw new ValueError(`${fn}: bootstrapCount must be an integer >= 0, got ${this.bootstrap}`);
  }

  /** Records the trial at every rung it has just reached and prunes it when it is not promotable there. */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    const step = lastStep(trial);
    if (step === null) return false;
    let rung = 0;
    while (rungKey(rung) in trial.systemAttrs) rung++;
    const value = trial.intermediateValues.get(step) as number;
    let trials: FrozenTrial[] | null = null;
    for (;;) {
      if (this.minResource === null) {
        trials ??= study.getTrials();
        const steps = trials.filter((t) => t.state === 'complete').map(lastStep).filter((s): s is number => s !== null);
        if (steps.length === 0) return false;
        this.minResource = Math.max(Math.floor(Math.max(...steps) / 100), 1);
      }
      const promotionStep = this.minResource * this.eta ** (this.rate + rung);
      if (step < promotionStep) return false;
      if (Number.isNaN(value)) return true;
      trials ??= study.getTrials();
      const key = rungKey(rung);
      study.setTrialSystemAttr(trial.trialId, key, value);
      const competing = trials.filter((t) => t.trialId !== trial.trialId && key in t.systemAttrs).map((t) => t.systemAttrs[key] as number);
      competing.push(value);
      if (competing.length <= this.bootstrap) return true;
      if (!promotable(value, competing, this.eta, study.direction === 'maximize')) return true;
      rung++;
    }
  }
}

function promotable(value: number, competing: number[], eta: number, maximize: boolean): boolean {
  let idx = Math.floor(competing.length / eta) - 1;
  if (idx === -1) idx = 0;
  const sorted = competing.slice().sort((a, b) => a - b);
  return maximize ? value >= sorted[sorted.length - 1 - idx] : value <= sorted[idx];
}
