/**
 * Combining schedules as PyTorch 1.13 does: ChainedScheduler steps several schedulers together (their
 * chainable forms compose, e.g. a warm-up factor times a decay), and SequentialLR hands over from one
 * scheduler to the next at milestone epochs.
 * @module
 */
import { Checker, checkOptions, fmtValue } from '../check.js';
import type { Optimizer } from '../optimizer.js';
import { LRScheduler, checkOptimizer, dataFields, loadDataFields, type SchedulerStateDict } from './base.js';
import type { SchedulerOptions } from './basic.js';

function checkSchedulers(name: string, schedulers: unknown, optimizer: Optimizer | null): LRScheduler[] {
  const c = new Checker(name);
  if (!Array.isArray(schedulers) || schedulers.length === 0) throw c.error(`schedulers must be a non-empty list of LRSchedulers, got ${fmtValue(schedulers)}`);
  schedulers.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) throw c.error(`schedulers[${i}] must be an LRScheduler, got ${fmtValue(s)}`);
  });
  const opt = optimizer ?? (schedulers[0] as LRScheduler).optimizer;
  schedulers.forEach((s: LRScheduler, i) => {
    if (s.optimizer !== opt) throw c.error(`all schedulers must belong to the same optimizer, but schedulers[${i}] belongs to another`);
  });
  return schedulers.slice();
}

function loadNested(name: string, owner: { stateDict(): SchedulerStateDict }, target: object, schedulers: LRScheduler[], sd: SchedulerStateDict): void {
  const nested = sd?.schedulers;
  if (!Array.isArray(nested) || nested.length !== schedulers.length) {
    throw new Checker(`${name}.loadStateDict`).error(`the state dict does not fit this ${name}: expected ${schedulers.length} nested scheduler states, got ${fmtValue(nested)}`);
  }
  const { schedulers: _own, ...own } = owner.stateDict();
  const { schedulers: _saved, ...rest } = sd;
  // check everything before changing anything
  const probes = schedulers.map((s, i) => {
    const copy = Object.create(Object.getPrototypeOf(s)) as LRScheduler;
    Object.assign(copy, s);
    copy.loadStateDict(nested[i] as SchedulerStateDict);
    return copy;
  });
  loadDataFields(name, target, own, rest);
  probes.forEach((_, i) => schedulers[i].loadStateDict(nested[i] as SchedulerStateDict));
}

/**
 * Steps several schedulers of one optimizer with one `step()` call; since each computes from the group's
 * current lr, their effects compose. `new ChainedScheduler([new ConstantLR(opt, {factor: 0.1, totalIters: 2}),
 * new ExponentialLR(opt, 0.9)])`.
 */
export class ChainedScheduler extends LRScheduler {
  /** The chained schedulers, stepped in order. */
  readonly schedulers: LRScheduler[];

  /** Chains `schedulers` (all on the same optimizer). */
  constructor(schedulers: readonly LRScheduler[]) {
    const list = checkSchedulers('ChainedScheduler', schedulers, null);
    super('ChainedScheduler', list[0].optimizer);
    this.schedulers = list;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The groups' current lrs (the chained schedulers set them). */
  protected override getLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every chained scheduler once, in order. */
  override step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Its own fields plus `schedulers`: each chained scheduler's state dict. */
  override stateDict(): SchedulerStateDict {
    return { ...dataFields(this, ['schedulerName', 'schedulers']), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Restores its own and every chained scheduler's state. */
  override loadStateDict(sd: SchedulerStateDict): void {
    loadNested('ChainedScheduler', this, this, this.schedulers, sd);
  }
}

/**
 * Runs `schedulers` one after another: the i-th takes over at epoch milestones[i − 1] (stepped with
 * `step(0)` there, so it starts from its own beginning). `new SequentialLR(opt, [warmup, cosine], [5])`.
 * Construction resets each group's lr to its initial lr and restarts the first scheduler, as PyTorch does.
 */
export class SequentialLR extends LRScheduler {
  /** The schedulers, in order of use. */
  readonly schedulers: LRScheduler[];
  /** Epochs at which the next scheduler takes over (one fewer than schedulers). */
  milestones: number[];

  /** Sequences `schedulers` (all on `optimizer`) at `milestones`. */
  constructor(optimizer: Optimizer, schedulers: readonly LRScheduler[], milestones: readonly number[], opts: SchedulerOptions = {}) {
    super('SequentialLR', checkOptimizer('SequentialLR', optimizer));
    const o = checkOptions('SequentialLR', opts, ['lastEpoch']);
    const c = new Checker('SequentialLR');
    this.schedulers = checkSchedulers('SequentialLR', schedulers, optimizer);
    if (!Array.isArray(milestones) || milestones.length !== this.schedulers.length - 1) {
      throw c.error(`expected ${this.schedulers.length - 1} milestones (one fewer than the ${this.schedulers.length} schedulers), got ${fmtValue(milestones)}`);
    }
    this.milestones = milestones.map((m, i) => c.int(`milestones[${i}]`, m, 1));
    this.milestones.forEach((m, i) => {
      if (i > 0 && m <= this.milestones[i - 1]) throw c.error(`milestones must increase, got ${fmtValue(milestones)}`);
    });
    this.lastEpoch = c.int('lastEpoch', o.lastEpoch ?? -1, -1) + 1;
    this.optimizer.paramGroups.forEach((g, i) => {
      if (g.initialLr === undefined) throw c.error(`param group ${i} has no initialLr; construct the schedulers before the SequentialLR`);
      g.lr = g.initialLr;
    });
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0].initialStep();
    this.lastLr = this.schedulers[0].getLastLr();
  }

  /** The groups' current lrs (the active scheduler sets them). */
  protected override getLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps the scheduler active at the next epoch (restarting it with `step(0)` at its milestone). */
  override step(): void {
    this.lastEpoch += 1;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx] <= this.lastEpoch) idx++;
    const s = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.step(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }

  /** Its own fields plus `schedulers`: each scheduler's state dict. */
  override stateDict(): SchedulerStateDict {
    return { ...dataFields(this, ['schedulerName', 'schedulers']), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Restores its own and every scheduler's state. */
  override loadStateDict(sd: SchedulerStateDict): void {
    loadNested('SequentialLR', this, this, this.schedulers, sd);
  }
}
