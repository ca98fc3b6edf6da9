/**
 * Independent uniform sampling (Optuna's RandomSampler): uniform in [low, high], in log space for `log`
 * parameters, uniformly over the grid for `step`, uniformly over the choices of a categorical.
 * @module
 */
import { assertNever } from '../../errors.js';
import { Generator } from '../../tensor/random.js';
import { snap, type Distribution } from '../distributions.js';
import type { Sampler } from './base.js';

/** Options of `RandomSampler`. */
export interface RandomSamplerOptions {
  /** Seed of the sampler's own generator (default: the time). */
  seed?: number;
}

/** Draws one internal value of `dist` uniformly (log-uniformly for log parameters) with `rng`. */
export function sampleUniform(rng: Generator, dist: Distribution): number {
  switch (dist.kind) {
    case 'categorical':
      return rng.randint(0, dist.choices.length);
    case 'float':
      if (dist.log) return Math.min(dist.high, Math.max(dist.low, Math.exp(Math.log(dist.low) + rng.random() * (Math.log(dist.high) - Math.log(dist.low)))));
      if (dist.step !== null) return snap(dist, dist.low + rng.randint(0, Math.round((dist.high - dist.low) / dist.step) + 1) * dist.step);
      return dist.low + rng.random() * (dist.high - dist.low);
    case 'int': {
      if (dist.log) {
        const lo = Math.log(dist.low - 0.5);
        const hi = Math.log(dist.high + 0.5);
        return snap(dist, Math.exp(lo + rng.random() * (hi - lo)));
      }
      return dist.low + rng.randint(0, (dist.high - dist.low) / dist.step + 1) * dist.step;
    }
    default:
      return assertNever(dist, 'distribution');
  }
}

/** Samples every parameter independently and uniformly; the same seed gives the same trials. */
export class RandomSampler implements Sampler {
  private readonly rng: Generator;

  /** Creates the sampler with its own seeded generator. */
  constructor(opts: RandomSamplerOptions = {}) {
    this.rng = new Generator(opts.seed ?? Date.now());
  }

  /** Random sampling has no joint space. */
  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  /** Nothing to sample jointly. */
  sampleRelative(): Record<string, number> {
    return {};
  }

  /** A uniform draw from `dist`. */
  sampleIndependent(_study: unknown, _trial: unknown, _name: string, dist: Distribution): number {
    return sampleUniform(this.rng, dist);
  }
}
