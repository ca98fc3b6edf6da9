/**
 * ReduceLROnPlateau: lowers the learning rate when a monitored metric stops improving — PyTorch 1.13's
 * torch.optim.lr_scheduler.ReduceLROnPlateau.
 * @module
 */
import { Tensor } from '../../tensor/tensor.js';
import { Checker, checkOptions, fmtValue } from '../check.js';
import type { Optimizer } from '../optimizer.js';
import { checkOptimizer, dataFields, loadDataFields, type SchedulerStateDict } from './base.js';

/** Options of ReduceLROnPlateau. */
export interface ReduceLROnPlateauOptions {
  /** 'min': reduce when the metric stops decreasing (e.g. a loss); 'max': when it stops increasing (default 'min'). */
  mode?: 'min' | 'max';
  /** new lr = lr · factor, factor < 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** How much better counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel': better than best · (1 ∓ threshold); 'abs': better than best ∓ threshold (default 'rel'). */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound on the lr: one number or one per group (default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than eps are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces each group's lr by `factor` once the metric passed to `step(metric)` has not improved for more
 * than `patience` epochs, then waits `cooldown` epochs. `new ReduceLROnPlateau(opt, {patience: 5})`, then
 * `sched.step(valLoss)` after each epoch. Not an LRScheduler (its step needs the metric), as in PyTorch.
 */
export class ReduceLROnPlateau {
  /** The optimizer whose groups' lr this scheduler lowers. */
  readonly optimizer: Optimizer;
  /** Whether lower or higher metric values are better. */
  mode: 'min' | 'max';
  /** Multiplicative reduction factor. */
  factor: number;
  /** Epochs without improvement tolerated. */
  patience: number;
  /** Improvement threshold. */
  threshold: number;
  /** Whether the threshold is relative or absolute. */
  thresholdMode: 'rel' | 'abs';
  /** Epochs to wait after a reduction. */
  cooldown: number;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** Lower bound on each group's lr. */
  minLrs: number[];
  /** Smallest reduction applied. */
  eps: number;
  /** Best metric value so far (±Infinity before the first step). */
  best: number;
  /** Consecutive epochs without improvement. */
  numBadEpochs = 0;
  /** Epochs stepped so far. */
  lastEpoch = 0;
  /** The lrs after the latest step. */
  protected lastLr: number[];

  /** Attaches to `optimizer`. */
  constructor(optimizer: Optimizer, opts: ReduceLROnPlateauOptions = {}) {
    this.optimizer = checkOptimizer('ReduceLROnPlateau', optimizer);
    const o = checkOptions('ReduceLROnPlateau', opts, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    const c = new Checker('ReduceLROnPlateau');
    this.mode = c.oneOf('mode', o.mode ?? 'min', ['min', 'max'] as const);
    this.factor = c.number('factor', o.factor ?? 0.1, { min: 0, max: 1, maxOpen: true });
    this.patience = c.int('patience', o.patience ?? 10, 0);
    this.threshold = c.number('threshold', o.threshold ?? 1e-4, { min: 0 });
    this.thresholdMode = c.oneOf('thresholdMode', o.thresholdMode ?? 'rel', ['rel', 'abs'] as const);
    this.cooldown = c.int('cooldown', o.cooldown ?? 0, 0);
    this.minLrs = c.perGroup('minLr', o.minLr ?? 0, optimizer.paramGroups.length, { min: 0 });
    this.eps = c.number('eps', o.eps ?? 1e-8, { min: 0 });
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** True while the scheduler is cooling down after a reduction. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /** Records one epoch's metric (a number or a one-element tensor) and reduces the lrs if it has plateaued. */
  step(metric: number | Tensor): void {
    let current: number;
    if (metric instanceof Tensor) current = metric.item();
    else if (typeof metric === 'number') current = metric;
    else throw new Checker('ReduceLROnPlateau').error(`step: metric must be a number or a one-element tensor, got ${fmtValue(metric)}`);
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const old = g.lr;
      const lr = Math.max(old * this.factor, this.minLrs[i]);
      if (old - lr > this.eps) g.lr = lr;
    });
  }

  /** The lrs after the latest step, one per parameter group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** The scheduler's state (its plain-data fields). */
  stateDict(): SchedulerStateDict {
    return dataFields(this, []);
  }

  /** Restores a state from `stateDict()`; throws a ValueError listing mismatches. */
  loadStateDict(sd: SchedulerStateDict): void {
    loadDataFields('ReduceLROnPlateau', this, this.stateDict(), sd);
  }
}
