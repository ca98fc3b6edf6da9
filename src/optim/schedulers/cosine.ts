/**
 * Cosine schedules of SGDR (Loshchilov & Hutter): CosineAnnealingLR in PyTorch 1.13's recursive form (so it
 * chains with other schedulers exactly as PyTorch's does) and CosineAnnealingWarmRestarts.
 * @module
 */
import { Checker, checkOptions } from '../check.js';
import type { Optimizer } from '../optimizer.js';
import { LRScheduler } from './base.js';
import type { SchedulerOptions } from './basic.js';

/** Options of CosineAnnealingLR. */
export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** Minimum learning rate (default 0). */
  etaMin?: number;
}

/**
 * Cosine annealing from each group's initial lr down to `etaMin` over `TMax` epochs:
 * lr = etaMin + (lr0 − etaMin)(1 + cos(π·t/TMax))/2. Computed recursively as in PyTorch (so beyond TMax the
 * lr climbs back up, and changes made by other schedulers carry through); `step(epoch)` uses the closed form.
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period of the cosine, in epochs. */
  TMax: number;
  /** Minimum learning rate. */
  etaMin: number;

  /** `new CosineAnnealingLR(opt, 100, {etaMin: 1e-5})`. */
  constructor(optimizer: Optimizer, TMax: number, opts: CosineAnnealingLROptions = {}) {
    super('CosineAnnealingLR', optimizer);
    const o = checkOptions('CosineAnnealingLR', opts, ['etaMin', 'lastEpoch']);
    const c = new Checker('CosineAnnealingLR');
    this.TMax = c.number('TMax', TMax, { min: 0, minOpen: true });
    this.etaMin = c.number('etaMin', o.etaMin ?? 0);
    this.start(o.lastEpoch ?? -1);
  }

  /** PyTorch 1.13's recursive cosine step. */
  protected override getLr(): number[] {
    const t = this.lastEpoch;
    const { TMax, etaMin } = this;
    const groups = this.optimizer.paramGroups;
    if (t === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && t > 0) {
      return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((t * Math.PI) / TMax))) / 2);
    }
    if ((t - 1 - TMax) % (2 * TMax) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / TMax))) / 2);
    }
    return groups.map((g) => ((1 + Math.cos((Math.PI * t) / TMax)) / (1 + Math.cos((Math.PI * (t - 1)) / TMax))) * (g.lr - etaMin) + etaMin);
  }

  /** etaMin + (lr0 − etaMin)(1 + cos(π·t/TMax))/2. */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.TMax))) / 2);
  }
}

/** Options of CosineAnnealingWarmRestarts. */
export interface CosineAnnealingWarmRestartsOptions extends SchedulerOptions {
  /** Factor by which the period grows after each restart, an integer ≥ 1 (default 1). */
  TMult?: number;
  /** Minimum learning rate (default 0). */
  etaMin?: number;
}

/**
 * Cosine annealing with warm restarts (SGDR): lr = etaMin + (lr0 − etaMin)(1 + cos(π·Tcur/Ti))/2, where Tcur
 * counts epochs since the last restart and the period Ti starts at T0 and is multiplied by TMult at each
 * restart. May be stepped per batch with fractional epochs: `sched.step(epoch + i / itersPerEpoch)`.
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** Length of the first period. */
  T0: number;
  /** Length of the current period. */
  TI: number;
  /** Period growth factor. */
  TMult: number;
  /** Minimum learning rate. */
  etaMin: number;
  /** Epochs since the last restart (may be fractional). */
  TCur: number;

  /** `new CosineAnnealingWarmRestarts(opt, 10, {TMult: 2})`. */
  constructor(optimizer: Optimizer, T0: number, opts: CosineAnnealingWarmRestartsOptions = {}) {
    super('CosineAnnealingWarmRestarts', optimizer);
    const o = checkOptions('CosineAnnealingWarmRestarts', opts, ['TMult', 'etaMin', 'lastEpoch']);
    const c = new Checker('CosineAnnealingWarmRestarts');
    this.T0 = c.int('T0', T0, 1);
    this.TI = this.T0;
    this.TMult = c.int('TMult', o.TMult ?? 1, 1);
    this.etaMin = c.number('etaMin', o.etaMin ?? 0);
    this.TCur = o.lastEpoch ?? -1;
    this.start(o.lastEpoch ?? -1);
  }

  /** etaMin + (lr0 − etaMin)(1 + cos(π·Tcur/Ti))/2. */
  protected override getLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.TCur) / this.TI))) / 2);
  }

  /** Advances one epoch, or jumps to `epoch` (which may be fractional), restarting as the periods dictate. */
  override step(epoch?: number): void {
    this.stepCount += 1;
    let e = epoch;
    if (e === undefined && this.lastEpoch < 0) e = 0;
    if (e === undefined) {
      e = this.lastEpoch + 1;
      this.TCur += 1;
      if (this.TCur >= this.TI) {
        this.TCur -= this.TI;
        this.TI *= this.TMult;
      }
    } else {
      new Checker('CosineAnnealingWarmRestarts').number('epoch', e, { min: 0 });
      if (e >= this.T0) {
        if (this.TMult === 1) {
          this.TCur = e % this.T0;
        } else {
          const n = Math.trunc(Math.log((e / this.T0) * (this.TMult - 1) + 1) / Math.log(this.TMult));
          this.TCur = e - (this.T0 * (this.TMult ** n - 1)) / (this.TMult - 1);
          this.TI = this.T0 * this.TMult ** n;
        }
      } else {
        this.TI = this.T0;
        this.TCur = e;
      }
    }
    this.lastEpoch = Math.floor(e);
    this.setLrs(this.getLr());
  }
}
