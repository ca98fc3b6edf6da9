/**
 * The simple epoch schedules of torch.optim.lr_scheduler: StepLR, MultiStepLR, ConstantLR, LinearLR,
 * ExponentialLR, PolynomialLR, LambdaLR and MultiplicativeLR — each in PyTorch 1.13's chainable form (new lr
 * from the group's current lr) with its closed form for `step(epoch)`.
 * @module
 */
import { Checker, checkOptions, fmtValue } from '../check.js';
import type { Optimizer } from '../optimizer.js';
import { LRScheduler } from './base.js';

/** The option every scheduler takes. */
export interface SchedulerOptions {
  /** Index of the last epoch when resuming (default -1: start from the beginning). */
  lastEpoch?: number;
}

const currentLrs = (s: LRScheduler): number[] => s.optimizer.paramGroups.map((g) => g.lr);

/** Options of StepLR. */
export interface StepLROptions extends SchedulerOptions {
  /** Multiplicative decay factor (default 0.1). */
  gamma?: number;
}

/** Multiplies each group's lr by `gamma` every `stepSize` epochs: lr = lr0 · gamma^⌊epoch / stepSize⌋. */
export class StepLR extends LRScheduler {
  /** Period of the decay, in epochs. */
  stepSize: number;
  /** Multiplicative decay factor. */
  gamma: number;

  /** `new StepLR(opt, 30, {gamma: 0.1})`. */
  constructor(optimizer: Optimizer, stepSize: number, opts: StepLROptions = {}) {
    super('StepLR', optimizer);
    const o = checkOptions('StepLR', opts, ['gamma', 'lastEpoch']);
    const c = new Checker('StepLR');
    this.stepSize = c.int('stepSize', stepSize, 1);
    this.gamma = c.number('gamma', o.gamma ?? 0.1);
    this.start(o.lastEpoch ?? -1);
  }

  /** lr · gamma when the epoch is a positive multiple of stepSize, else unchanged. */
  protected override getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return currentLrs(this);
    return currentLrs(this).map((lr) => lr * this.gamma);
  }

  /** lr0 · gamma^⌊epoch / stepSize⌋. */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/** Options of MultiStepLR. */
export interface MultiStepLROptions extends SchedulerOptions {
  /** Multiplicative decay factor (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's lr by `gamma` at each milestone epoch (a milestone listed twice applies gamma²,
 * as PyTorch's Counter does): lr = lr0 · gamma^(milestones ≤ epoch).
 */
export class MultiStepLR extends LRScheduler {
  /** The milestone epochs, sorted (repeats kept). */
  milestones: number[];
  /** Multiplicative decay factor. */
  gamma: number;

  /** `new MultiStepLR(opt, [30, 80], {gamma: 0.1})`. */
  constructor(optimizer: Optimizer, milestones: readonly number[], opts: MultiStepLROptions = {}) {
    super('MultiStepLR', optimizer);
    const o = checkOptions('MultiStepLR', opts, ['gamma', 'lastEpoch']);
    const c = new Checker('MultiStepLR');
    if (!Array.isArray(milestones)) throw c.error(`milestones must be a list of epochs, got ${fmtValue(milestones)}`);
    this.milestones = milestones.map((m, i) => c.int(`milestones[${i}]`, m, 0)).sort((a, b) => a - b);
    this.gamma = c.number('gamma', o.gamma ?? 0.1);
    this.start(o.lastEpoch ?? -1);
  }

  /** lr · gamma^(times the epoch is listed) at a milestone, else unchanged. */
  protected override getLr(): number[] {
    const n = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (n === 0) return currentLrs(this);
    return currentLrs(this).map((lr) => lr * this.gamma ** n);
  }

  /** lr0 · gamma^(number of milestones ≤ epoch). */
  protected override closedFormLr(): number[] {
    const n = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((b) => b * this.gamma ** n);
  }
}

/** Options of ConstantLR. */
export interface ConstantLROptions extends SchedulerOptions {
  /** Factor applied until `totalIters`, in [0, 1] (default 1/3). */
  factor?: number;
  /** Epochs during which the factor applies (default 5). */
  totalIters?: number;
}

/**
 * Multiplies each group's lr by a constant `factor` for the first `totalIters` epochs, then restores it.
 * factor must be > 0 (PyTorch 1.13 accepts 0 and then divides by zero).
 */
export class ConstantLR extends LRScheduler {
  /** Factor applied until totalIters. */
  factor: number;
  /** Epochs during which the factor applies. */
  totalIters: number;

  /** `new ConstantLR(opt, {factor: 0.5, totalIters: 4})`. */
  constructor(optimizer: Optimizer, opts: ConstantLROptions = {}) {
    super('ConstantLR', optimizer);
    const o = checkOptions('ConstantLR', opts, ['factor', 'totalIters', 'lastEpoch']);
    const c = new Checker('ConstantLR');
    this.factor = c.number('factor', o.factor ?? 1 / 3, { min: 0, max: 1, minOpen: true });
    this.totalIters = c.int('totalIters', o.totalIters ?? 5, 0);
    this.start(o.lastEpoch ?? -1);
  }

  /** lr · factor at epoch 0, lr / factor at totalIters, else unchanged. */
  protected override getLr(): number[] {
    if (this.lastEpoch === 0) return currentLrs(this).map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return currentLrs(this);
    return currentLrs(this).map((lr) => lr * (1 / this.factor));
  }

  /** lr0 · factor before totalIters, lr0 after. */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 : 0) * (1 - this.factor)));
  }
}

/** Options of LinearLR. */
export interface LinearLROptions extends SchedulerOptions {
  /** Factor at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor from totalIters on, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs over which the factor moves linearly from start to end (default 5). */
  totalIters?: number;
}

/**
 * Scales each group's lr by a factor moving linearly from `startFactor` to `endFactor` over `totalIters`
 * epochs (a linear warm-up when startFactor < endFactor): lr = lr0 · (s + (e − s) · min(epoch, T) / T).
 * startFactor must be > 0 (PyTorch 1.13 accepts 0 and then divides by zero).
 */
export class LinearLR extends LRScheduler {
  /** Factor at epoch 0. */
  startFactor: number;
  /** Factor from totalIters on. */
  endFactor: number;
  /** Length of the linear phase, in epochs. */
  totalIters: number;

  /** `new LinearLR(opt, {startFactor: 0.1, totalIters: 5})`. */
  constructor(optimizer: Optimizer, opts: LinearLROptions = {}) {
    super('LinearLR', optimizer);
    const o = checkOptions('LinearLR', opts, ['startFactor', 'endFactor', 'totalIters', 'lastEpoch']);
    const c = new Checker('LinearLR');
    this.startFactor = c.number('startFactor', o.startFactor ?? 1 / 3, { min: 0, max: 1, minOpen: true });
    this.endFactor = c.number('endFactor', o.endFactor ?? 1, { min: 0, max: 1 });
    this.totalIters = c.int('totalIters', o.totalIters ?? 5, 1);
    this.start(o.lastEpoch ?? -1);
  }

  /** PyTorch's recursive form: lr · (1 + (e − s) / (T·s + (epoch − 1)(e − s))) up to totalIters. */
  protected override getLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: T } = this;
    if (this.lastEpoch === 0) return currentLrs(this).map((lr) => lr * s);
    if (this.lastEpoch > T) return currentLrs(this);
    return currentLrs(this).map((lr) => lr * (1 + (e - s) / (T * s + (this.lastEpoch - 1) * (e - s))));
  }

  /** lr0 · (s + (e − s) · min(epoch, T) / T). */
  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: T } = this;
    return this.baseLrs.map((b) => b * (s + ((e - s) * Math.min(T, this.lastEpoch)) / T));
  }
}

/** Options of ExponentialLR. */
export type ExponentialLROptions = SchedulerOptions;

/** Multiplies each group's lr by `gamma` every epoch: lr = lr0 · gamma^epoch. */
export class ExponentialLR extends LRScheduler {
  /** Multiplicative decay factor per epoch. */
  gamma: number;

  /** `new ExponentialLR(opt, 0.95)`. */
  constructor(optimizer: Optimizer, gamma: number, opts: ExponentialLROptions = {}) {
    super('ExponentialLR', optimizer);
    const o = checkOptions('ExponentialLR', opts, ['lastEpoch']);
    this.gamma = new Checker('ExponentialLR').number('gamma', gamma);
    this.start(o.lastEpoch ?? -1);
  }

  /** lr · gamma (unchanged at epoch 0). */
  protected override getLr(): number[] {
    if (this.lastEpoch === 0) return currentLrs(this);
    return currentLrs(this).map((lr) => lr * this.gamma);
  }

  /** lr0 · gamma^epoch. */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}

/** Options of PolynomialLR. */
export interface PolynomialLROptions extends SchedulerOptions {
  /** Epochs until the lr reaches 0 (default 5). */
  totalIters?: number;
  /** Power of the polynomial (default 1: linear decay). */
  power?: number;
}

/** Decays each group's lr to 0 over `totalIters` epochs: lr = lr0 · (1 − min(epoch, T) / T)^power. */
export class PolynomialLR extends LRScheduler {
  /** Epochs until the lr reaches 0. */
  totalIters: number;
  /** Power of the polynomial. */
  power: number;

  /** `new PolynomialLR(opt, {totalIters: 100, power: 2})`. */
  constructor(optimizer: Optimizer, opts: PolynomialLROptions = {}) {
    super('PolynomialLR', optimizer);
    const o = checkOptions('PolynomialLR', opts, ['totalIters', 'power', 'lastEpoch']);
    const c = new Checker('PolynomialLR');
    this.totalIters = c.int('totalIters', o.totalIters ?? 5, 1);
    this.power = c.number('power', o.power ?? 1);
    this.start(o.lastEpoch ?? -1);
  }

  /** lr · ((1 − t/T) / (1 − (t − 1)/T))^power up to totalIters, then unchanged. */
  protected override getLr(): number[] {
    const t = this.lastEpoch;
    const T = this.totalIters;
    if (t === 0 || t > T) return currentLrs(this);
    const f = ((1 - t / T) / (1 - (t - 1) / T)) ** this.power;
    return currentLrs(this).map((lr) => lr * f);
  }

  /** lr0 · (1 − min(epoch, T) / T)^power. */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (1 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }
}

/** A function of the epoch giving a multiplicative factor. */
export type LrLambda = (epoch: number) => number;

function lambdasFor(name: string, optimizer: Optimizer, fn: LrLambda | readonly LrLambda[]): LrLambda[] {
  const c = new Checker(name);
  const n = optimizer.paramGroups.length;
  if (Array.isArray(fn)) {
    if (fn.length !== n) throw c.error(`expected ${n} lrLambdas (one per param group), got ${fn.length}`);
    fn.forEach((f, i) => {
      if (typeof f !== 'function') throw c.error(`lrLambda[${i}] must be a function, got ${fmtValue(f)}`);
    });
    return fn.slice();
  }
  if (typeof fn !== 'function') throw c.error(`lrLambda must be a function or one function per param group, got ${fmtValue(fn)}`);
  return new Array<LrLambda>(n).fill(fn as LrLambda);
}

function factor(name: string, f: LrLambda, epoch: number): number {
  const v = f(epoch);
  if (typeof v !== 'number' || Number.isNaN(v)) throw new Checker(name).error(`lrLambda(${epoch}) must return a number, got ${fmtValue(v)}`);
  return v;
}

/**
 * Sets each group's lr to lr0 · lrLambda(epoch), with one function for all groups or one per group.
 * Not chainable (as in PyTorch): it ignores changes made to the lr by others. The functions are not saved
 * in the state dict.
 */
export class LambdaLR extends LRScheduler {
  /** The factor function of each group. */
  lrLambdas: LrLambda[];

  /** `new LambdaLR(opt, (epoch) => 0.95 ** epoch)`. */
  constructor(optimizer: Optimizer, lrLambda: LrLambda | readonly LrLambda[], opts: SchedulerOptions = {}) {
    super('LambdaLR', optimizer);
    const o = checkOptions('LambdaLR', opts, ['lastEpoch']);
    this.lrLambdas = lambdasFor('LambdaLR', this.optimizer, lrLambda);
    this.start(o.lastEpoch ?? -1);
  }

  /** lr0 · lrLambda(epoch). */
  protected override getLr(): number[] {
    return this.baseLrs.map((b, i) => b * factor('LambdaLR', this.lrLambdas[i], this.lastEpoch));
  }
}

/** Multiplies each group's lr by lrLambda(epoch) every epoch after the first (chainable). */
export class MultiplicativeLR extends LRScheduler {
  /** The factor function of each group. */
  lrLambdas: LrLambda[];

  /** `new MultiplicativeLR(opt, () => 0.95)`. */
  constructor(optimizer: Optimizer, lrLambda: LrLambda | readonly LrLambda[], opts: SchedulerOptions = {}) {
    super('MultiplicativeLR', optimizer);
    const o = checkOptions('MultiplicativeLR', opts, ['lastEpoch']);
    this.lrLambdas = lambdasFor('MultiplicativeLR', this.optimizer, lrLambda);
    this.start(o.lastEpoch ?? -1);
  }

  /** lr · lrLambda(epoch) for epoch > 0. */
  protected override getLr(): number[] {
    if (this.lastEpoch <= 0) return currentLrs(this);
    return currentLrs(this).map((lr, i) => lr * factor('MultiplicativeLR', this.lrLambdas[i], this.lastEpoch));
  }
}
