/**
 * Two schedules from TensorFlow that PyTorch lacks: inverse-time decay (Keras's
 * `tf.keras.optimizers.schedules.InverseTimeDecay`) and natural-exponential decay (TF1's
 * `tf.compat.v1.train.natural_exp_decay`). Written in the same chainable form as PyTorch's schedules.
 * @module
 */
import { Checker, checkOptions } from '../check.js';
import type { Optimizer } from '../optimizer.js';
import { LRScheduler } from './base.js';
import type { SchedulerOptions } from './basic.js';

/** Options of InverseTimeDecay and NaturalExpDecay. */
export interface TimeDecayOptions extends SchedulerOptions {
  /** Epochs (or steps) per unit of decay (required, > 0). */
  decaySteps: number;
  /** Decay rate (required, ≥ 0). */
  decayRate: number;
  /** Decay in whole units: use ⌊t / decaySteps⌋ (default false). */
  staircase?: boolean;
}

/** The shared machinery: lr = lr0 · f(p) with p = t / decaySteps (floored with staircase). */
abstract class TimeDecay extends LRScheduler {
  /** Epochs (or steps) per unit of decay. */
  decaySteps: number;
  /** Decay rate. */
  decayRate: number;
  /** Whether p is floored. */
  staircase: boolean;

  constructor(name: string, optimizer: Optimizer, opts: TimeDecayOptions) {
    super(name, optimizer);
    const o = checkOptions(name, opts, ['decaySteps', 'decayRate', 'staircase', 'lastEpoch'], ['decaySteps', 'decayRate']);
    const c = new Checker(name);
    this.decaySteps = c.number('decaySteps', o.decaySteps, { min: 0, minOpen: true });
    this.decayRate = c.number('decayRate', o.decayRate, { min: 0 });
    this.staircase = c.bool('staircase', o.staircase ?? false);
    this.start(o.lastEpoch ?? -1);
  }

  /** The factor at progress p. */
  protected abstract factorAt(p: number): number;

  private factorAtEpoch(t: number): number {
    const p = t / this.decaySteps;
    return this.factorAt(this.staircase ? Math.floor(p) : p);
  }

  /** Chainable form: lr · f(t) / f(t − 1) (unchanged at epoch 0). */
  protected override getLr(): number[] {
    const t = this.lastEpoch;
    const groups = this.optimizer.paramGroups;
    if (t === 0) return groups.map((g) => g.lr);
    const ratio = this.factorAtEpoch(t) / this.factorAtEpoch(t - 1);
    return groups.map((g) => g.lr * ratio);
  }

  /** lr0 · f(t). */
  protected override closedFormLr(): number[] {
    const f = this.factorAtEpoch(this.lastEpoch);
    return this.baseLrs.map((b) => b * f);
  }
}

/**
 * Inverse-time decay, as Keras's InverseTimeDecay: lr = lr0 / (1 + decayRate · t / decaySteps), with
 * t / decaySteps floored when `staircase`. t is the scheduler's epoch (step it per batch for Keras's
 * per-step behaviour). `new InverseTimeDecay(opt, {decaySteps: 10, decayRate: 0.5})`.
 */
export class InverseTimeDecay extends TimeDecay {
  /** Attaches the schedule to `optimizer`; lr0 is each group's initial lr. */
  constructor(optimizer: Optimizer, opts: TimeDecayOptions) {
    super('InverseTimeDecay', optimizer, opts);
  }

  /** 1 / (1 + decayRate · p). */
  protected override factorAt(p: number): number {
    return 1 / (1 + this.decayRate * p);
  }
}

/**
 * Natural-exponential decay, as TF1's natural_exp_decay: lr = lr0 · exp(−decayRate · t / decaySteps),
 * with t / decaySteps floored when `staircase`. `new NaturalExpDecay(opt, {decaySteps: 10, decayRate: 0.3})`.
 */
export class NaturalExpDecay extends TimeDecay {
  /** Attaches the schedule to `optimizer`; lr0 is each group's initial lr. */
  constructor(optimizer: Optimizer, opts: TimeDecayOptions) {
    super('NaturalExpDecay', optimizer, opts);
  }

  /** exp(−decayRate · p). */
  protected override factorAt(p: number): number {
    return Math.exp(-this.decayRate * p);
  }
}
