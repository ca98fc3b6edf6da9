/**
 * Per-batch cyclical schedules: CyclicLR (Smith's cyclical learning rates: triangular, triangular2,
 * exp_range) and OneCycleLR (the 1cycle policy), each optionally cycling momentum inversely to the lr —
 * PyTorch 1.13's formulas.
 * @module
 */
import { Checker, checkOptions, fmtValue } from '../check.js';
import type { Optimizer } from '../optimizer.js';
import { LRScheduler } from './base.js';
import type { SchedulerOptions } from './basic.js';

/** The CyclicLR policies. */
export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';

/** Options of CyclicLR. */
export interface CyclicLROptions extends SchedulerOptions {
  /** Lower lr bound of the cycle: one number, or one per group (required). */
  baseLr: number | readonly number[];
  /** Upper lr bound of the cycle: one number, or one per group (required). */
  maxLr: number | readonly number[];
  /** Batches in the rising half of a cycle (default 2000). */
  stepSizeUp?: number;
  /** Batches in the falling half (default: stepSizeUp). */
  stepSizeDown?: number;
  /** triangular (constant amplitude), triangular2 (halved each cycle) or exp_range (× gamma^batch); default triangular. */
  mode?: CyclicMode;
  /** Base of exp_range's amplitude factor gamma^batch (default 1). */
  gamma?: number;
  /** A custom amplitude factor in [0, 1] (replaces `mode`). */
  scaleFn?: (x: number) => number;
  /** What `scaleFn` receives: the cycle number or the batch count (default 'cycle'). */
  scaleMode?: 'cycle' | 'iterations';
  /**
   * Cycle the groups' `momentum` inversely to the lr between baseMomentum and maxMomentum. Default: true
   * when the optimizer has a `momentum` hyper-parameter (SGD, RMSprop), false otherwise (PyTorch defaults
   * to true and then rejects optimizers without momentum, such as Adam).
   */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak: one number or one per group (default 0.8). */
  baseMomentum?: number | readonly number[];
  /** Momentum at the cycle's start: one number or one per group (default 0.9). */
  maxMomentum?: number | readonly number[];
}

/**
 * Cyclical learning rates (Smith 2017), stepped once per batch. With x the position in the current cycle,
 * lr = baseLr + (maxLr − baseLr) · s(x) · scale, where s rises linearly from 0 to 1 over stepSizeUp
 * batches and falls back over stepSizeDown, and scale is 1 (triangular), 1/2^(cycle − 1) (triangular2) or
 * gamma^batch (exp_range). Construction sets each group's lr to baseLr.
 */
export class CyclicLR extends LRScheduler {
  /** Upper lr bound of each group. */
  maxLrs: number[];
  /** Batches per cycle. */
  totalSize: number;
  /** Fraction of the cycle spent rising. */
  stepRatio: number;
  /** The policy. */
  mode: CyclicMode;
  /** exp_range's base. */
  gamma: number;
  /** What the scale function receives. */
  scaleMode: 'cycle' | 'iterations';
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Momentum at the lr's peak, per group. */
  baseMomentums: number[] = [];
  /** Momentum at the cycle's start, per group. */
  maxMomentums: number[] = [];
  /** The custom scale function, if any (not saved in the state dict). */
  scaleFn: ((x: number) => number) | null;

  /** `new CyclicLR(opt, {baseLr: 0.001, maxLr: 0.1, stepSizeUp: 500})`. */
  constructor(optimizer: Optimizer, opts: CyclicLROptions) {
    super('CyclicLR', optimizer);
    const o = checkOptions('CyclicLR', opts, [
      'baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma', 'scaleFn', 'scaleMode', 'cycleMomentum',
      'baseMomentum', 'maxMomentum', 'lastEpoch',
    ], ['baseLr', 'maxLr']);
    const c = new Checker('CyclicLR');
    const groups = this.optimizer.paramGroups;
    const n = groups.length;
    const lastEpoch = o.lastEpoch ?? -1;
    const baseLrs = c.perGroup('baseLr', o.baseLr, n, { min: 0 });
    this.maxLrs = c.perGroup('maxLr', o.maxLr, n, { min: 0 });
    const up = c.number('stepSizeUp', o.stepSizeUp ?? 2000, { min: 0, minOpen: true });
    const down = o.stepSizeDown === undefined ? up : c.number('stepSizeDown', o.stepSizeDown, { min: 0 });
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.gamma = c.number('gamma', o.gamma ?? 1, { min: 0 });
    if (o.scaleFn !== undefined && typeof o.scaleFn !== 'function') throw c.error(`scaleFn must be a function, got ${fmtValue(o.scaleFn)}`);
    this.scaleFn = o.scaleFn ?? null;
    this.mode = this.scaleFn ? (o.mode ?? 'triangular') : c.oneOf('mode', o.mode ?? 'triangular', ['triangular', 'triangular2', 'exp_range'] as const);
    this.scaleMode = this.scaleFn
      ? c.oneOf('scaleMode', o.scaleMode ?? 'cycle', ['cycle', 'iterations'] as const)
      : this.mode === 'exp_range' ? 'iterations' : 'cycle';
    const hasMomentum = 'momentum' in this.optimizer.defaults;
    this.cycleMomentum = c.bool('cycleMomentum', o.cycleMomentum ?? hasMomentum);
    if (lastEpoch === -1) baseLrs.forEach((lr, i) => (groups[i].lr = lr));
    if (this.cycleMomentum) {
      if (!hasMomentum) throw c.error('cycleMomentum needs an optimizer with a momentum hyper-parameter (SGD, RMSprop); pass cycleMomentum: false');
      const base = c.perGroup('baseMomentum', o.baseMomentum ?? 0.8, n, { min: 0 });
      if (lastEpoch === -1) base.forEach((m, i) => (groups[i].momentum = m));
      this.baseMomentums = groups.map((g) => g.momentum as number);
      this.maxMomentums = c.perGroup('maxMomentum', o.maxMomentum ?? 0.9, n, { min: 0 });
    }
    this.start(lastEpoch);
    this.baseLrs = baseLrs;
  }

  private scale(x: number): number {
    if (this.scaleFn) return this.scaleFn(x);
    if (this.mode === 'triangular2') return 1 / 2 ** (x - 1);
    if (this.mode === 'exp_range') return this.gamma ** x;
    return 1;
  }

  /** The lr at batch `lastEpoch` (also sets the groups' momentum when cycling it). */
  protected override getLr(): number[] {
    const t = this.lastEpoch;
    const cycle = Math.floor(1 + t / this.totalSize);
    const x = 1 + t / this.totalSize - cycle;
    const s = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const f = this.scale(this.scaleMode === 'cycle' ? cycle : t);
    const lrs = this.baseLrs.map((b, i) => b + (this.maxLrs[i] - b) * s * f);
    if (this.cycleMomentum) {
      const groups = this.optimizer.paramGroups;
      this.baseMomentums.forEach((b, i) => {
        groups[i].momentum = this.maxMomentums[i] - (this.maxMomentums[i] - b) * s * f;
      });
    }
    return lrs;
  }

  /** CyclicLR keeps a custom scaleFn out of the state dict (functions are not data). */
  protected override transientKeys(): readonly string[] {
    return ['schedulerName', 'scaleFn'];
  }
}

/** Options of OneCycleLR. */
export interface OneCycleLROptions extends SchedulerOptions {
  /** Peak lr: one number or one per group (required). */
  maxLr: number | readonly number[];
  /** Batches in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  /** Epochs (with stepsPerEpoch, instead of totalSteps). */
  epochs?: number;
  /** Batches per epoch (with epochs, instead of totalSteps). */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent raising the lr (default 0.3). */
  pctStart?: number;
  /** 'cos' or 'linear' annealing (default 'cos'). */
  annealStrategy?: 'cos' | 'linear';
  /**
   * Cycle momentum inversely to the lr (`momentum`, or beta1 of `betas` for Adam/AdamW). Default: true when
   * the optimizer has either, else false.
   */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak (default 0.85). */
  baseMomentum?: number | readonly number[];
  /** Momentum at the start and end (default 0.95). */
  maxMomentum?: number | readonly number[];
  /** Initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** Final lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, symmetric down, then annihilate) instead of two (default false). */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle policy (Smith & Topin), stepped once per batch: the lr rises from maxLr/divFactor to maxLr over
 * pctStart of the cycle, then anneals to initialLr/finalDivFactor (cosine or linear). Stores initialLr,
 * maxLr, minLr (and maxMomentum, baseMomentum) in each group, as PyTorch does. Not chainable.
 */
export class OneCycleLR extends LRScheduler {
  /** Batches in the cycle. */
  totalSteps: number;
  /** Annealing shape. */
  annealStrategy: 'cos' | 'linear';
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Whether the momentum lives in beta1 of `betas` (Adam, AdamW). */
  useBeta1: boolean;
  private readonly phases: Phase[];

  /** `new OneCycleLR(opt, {maxLr: 0.1, totalSteps: 1000})`. */
  constructor(optimizer: Optimizer, opts: OneCycleLROptions) {
    super('OneCycleLR', optimizer);
    const o = checkOptions('OneCycleLR', opts, [
      'maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum',
      'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch',
    ], ['maxLr']);
    const c = new Checker('OneCycleLR');
    if (o.totalSteps !== undefined) this.totalSteps = c.int('totalSteps', o.totalSteps, 1);
    else if (o.epochs !== undefined || o.stepsPerEpoch !== undefined) this.totalSteps = c.int('epochs', o.epochs, 1) * c.int('stepsPerEpoch', o.stepsPerEpoch, 1);
    else throw c.error('give either totalSteps or both epochs and stepsPerEpoch');
    const pct = c.number('pctStart', o.pctStart ?? 0.3, { min: 0, max: 1 });
    const T = this.totalSteps;
    const threePhase = c.bool('threePhase', o.threePhase ?? false);
    this.phases = threePhase
      ? [
        { endStep: pct * T - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: 2 * pct * T - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        { endStep: T - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
      ]
      : [
        { endStep: pct * T - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: T - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
      ];
    this.annealStrategy = c.oneOf('annealStrategy', o.annealStrategy ?? 'cos', ['cos', 'linear'] as const);
    const groups = this.optimizer.paramGroups;
    const n = groups.length;
    const lastEpoch = o.lastEpoch ?? -1;
    const maxLrs = c.perGroup('maxLr', o.maxLr, n, { min: 0 });
    const div = c.number('divFactor', o.divFactor ?? 25, { min: 0, minOpen: true });
    const finalDiv = c.number('finalDivFactor', o.finalDivFactor ?? 1e4, { min: 0, minOpen: true });
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / div;
        g.maxLr = maxLrs[i];
        g.minLr = g.initialLr / finalDiv;
      });
    }
    const d = this.optimizer.defaults as unknown as Record<string, unknown>;
    const hasMomentum = 'momentum' in d || 'betas' in d;
    this.cycleMomentum = c.bool('cycleMomentum', o.cycleMomentum ?? hasMomentum);
    this.useBeta1 = 'betas' in d;
    if (this.cycleMomentum) {
      if (!hasMomentum) throw c.error('cycleMomentum needs an optimizer with momentum or betas; pass cycleMomentum: false');
      const maxM = c.perGroup('maxMomentum', o.maxMomentum ?? 0.95, n, { min: 0 });
      const baseM = c.perGroup('baseMomentum', o.baseMomentum ?? 0.85, n, { min: 0 });
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          this.setMomentum(i, maxM[i]);
          g.maxMomentum = maxM[i];
          g.baseMomentum = baseM[i];
        });
      }
    }
    this.start(lastEpoch);
  }

  private setMomentum(i: number, m: number): void {
    const g = this.optimizer.paramGroups[i];
    if (this.useBeta1) g.betas = [m, (g.betas as number[])[1]];
    else g.momentum = m;
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  /** The lr at batch `lastEpoch` (also sets the groups' momentum when cycling it). */
  protected override getLr(): number[] {
    const t = this.lastEpoch;
    if (t > this.totalSteps) {
      throw new Checker('OneCycleLR').error(`tried to step ${t + 1} times, but totalSteps is ${this.totalSteps}`);
    }
    return this.optimizer.paramGroups.map((g, gi) => {
      let start = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const ph = this.phases[i];
        if (t <= ph.endStep || i === this.phases.length - 1) {
          const pct = (t - start) / (ph.endStep - start);
          const lr = this.anneal(g[ph.startLr] as number, g[ph.endLr] as number, pct);
          if (this.cycleMomentum) this.setMomentum(gi, this.anneal(g[ph.startMomentum] as number, g[ph.endMomentum] as number, pct));
          return lr;
        }
        start = ph.endStep;
      }
      return g.lr;
    });
  }

  /** OneCycleLR keeps its phase table out of the state dict (it is rebuilt from the options). */
  protected override transientKeys(): readonly string[] {
    return ['schedulerName', 'phases'];
  }
}
