/**
 * Exhaustive search over a grid (Optuna's GridSampler): each trial takes a grid point no other trial has taken
 * (chosen at random among the free ones, so several processes rarely collide), and the study stops once every point
 * has been taken.
 * @module
 */
import { ValueError } from '../../errors.js';
import { Generator } from '../../tensor/random.js';
import { toInternal, type CategoricalChoice, type Distribution } from '../distributions.js';
import type { FrozenTrial } from '../storage.js';
import type { Sampler, StudyView } from './base.js';

/** The grid: for each parameter, the values to try. */
export type GridSpace = Record<string, readonly CategoricalChoice[]>;

/** Options of `GridSampler`. */
export interface GridSamplerOptions {
  /** Seed for the order in which free grid points are taken (default 0). */
  seed?: number;
}

const GRID_ID = 'grid_id';

/** Tries every combination of the given values once; `optimize` without nTrials stops at the end of the grid. */
export class GridSampler implements Sampler {
  /** `optimize` may run without nTrials: the sampler stops the study. */
  readonly stopsItself = true;
  private readonly space: GridSpace;
  private readonly names: string[];
  private readonly size: number;
  private readonly rng: Generator;
  private readonly current = new Map<number, number>();

  /** Creates the sampler over `space` (every parameter needs a non-empty list of values). */
  constructor(space: GridSpace, opts: GridSamplerOptions = {}) {
    this.names = Object.keys(space).sort();
    if (this.names.length === 0) throw new ValueError('GridSampler: space must name at least one parameter, got {}');
    for (const n of this.names) {
      if (!Array.isArray(space[n]) || space[n].length === 0) throw new ValueError(`GridSampler: parameter '${n}': values must be a non-empty array, got ${JSON.stringify(space[n])}`);
    }
    this.space = space;
    this.size = this.names.reduce((p, n) => p * space[n].length, 1);
    this.rng = new Generator(opts.seed ?? 0);
  }

  /** Number of grid points. */
  get gridSize(): number {
    return this.size;
  }

  /** The values of grid point `id` by parameter name (mixed radix, last name fastest). */
  gridPoint(id: number): Record<string, CategoricalChoice> {
    const out: Record<string, CategoricalChoice> = {};
    let rest = id;
    for (let i = this.names.length - 1; i >= 0; i--) {
      const vals = this.space[this.names[i]];
      out[this.names[i]] = vals[rest % vals.length];
      rest = Math.floor(rest / vals.length);
    }
    return out;
  }

  private takenIds(study: StudyView): Set<number> {
    const taken = new Set<number>();
    for (const t of study.getTrials()) {
      const id = t.systemAttrs[GRID_ID];
      if (typeof id === 'number' && t.state !== 'fail') taken.add(id);
    }
    return taken;
  }

  /** Picks a free grid point for `trial` (a taken one when all are taken: then the study stops after it). */
  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    const taken = this.takenIds(study);
    const free: number[] = [];
    for (let i = 0; i < this.size; i++) if (!taken.has(i)) free.push(i);
    const id = free.length > 0 ? free[this.rng.randint(0, free.length)] : this.rng.randint(0, this.size);
    if (free.length <= 1) study.stop();
    study.setTrialSystemAttr(trial.trialId, GRID_ID, id);
    this.current.set(trial.trialId, id);
  }

  /** The grid has no relative space: values are looked up per parameter. */
  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  /** Nothing to sample jointly. */
  sampleRelative(): Record<string, number> {
    return {};
  }

  /** The value of this trial's grid point for `name` (a parameter outside the grid is a ValueError). */
  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, dist: Distribution): number {
    const id = this.current.get(trial.trialId);
    if (id === undefined || !(name in this.space)) {
      throw new ValueError(`GridSampler: parameter '${name}' is not in the grid (grid parameters: ${this.names.join(', ')})`);
    }
    const v = this.gridPoint(id)[name];
    if (dist.kind === 'categorical') return toInternal(dist, v);
    if (typeof v !== 'number' || v < dist.low || v > dist.high) {
      throw new ValueError(`GridSampler: parameter '${name}': grid value ${JSON.stringify(v)} is outside [${dist.low}, ${dist.high}]`);
    }
    return v;
  }

  /** Forgets the finished trial's grid point. */
  afterTrial(_study: StudyView, trial: FrozenTrial): void {
    this.current.delete(trial.trialId);
  }
}
