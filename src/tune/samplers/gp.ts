/**
 * Bayesian optimization with a Gaussian process (GP-EI). After `nStartupTrials` random trials, the parameters every
 * complete trial shares are mapped to the unit cube (log scale for `log` parameters, integers and steps rounded
 * back after the map, categoricals one-hot), a Matérn 5/2 ARD GP is fitted to the standardized values, and the
 * next point maximizes expected improvement over random candidates refined by a local search.
 * @module
 */
import { ValueError, assertNever } from '../../errors.js';
import { Generator } from '../../tensor/random.js';
import { snap, type Distribution } from '../distributions.js';
import type { FrozenTrial } from '../storage.js';
import { intersectionSearchSpace, type Sampler, type StudyView } from './base.js';
import { GPModel, type GPParams } from './gp-model.js';
import { sampleUniform } from './random.js';

/** Options of `GPSampler`. */
export interface GPSamplerOptions {
  /** Seed of the sampler's generator (default: the time). */
  seed?: number;
  /** Random trials before the GP is used (default 10). */
  nStartupTrials?: number;
  /** Random candidates scored by EI per trial (default 1000). */
  nCandidates?: number;
  /** Best candidates refined by local search (default 5). */
  nLocalSearch?: number;
  /** Adam steps of the hyper-parameter fit (default: 60 for the first fit, 20 warm-started from the previous one). */
  fitIters?: number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** log of expected improvement below `best` for a Gaussian N(mean, std²), accurate far in the tail. */
export function logExpectedImprovement(mean: number, std: number, best: number): number {
  const z = (best - mean) / std;
  if (z > -6) {
    const cdf = 0.5 * (1 + erf(z / Math.SQRT2));
    const pdf = Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
    return Math.log(Math.max(std * (z * cdf + pdf), 1e-300));
  }
  // zΦ(z) + φ(z) ≈ φ(z) / z² (1 − 3/z²) for z → −∞.
  return Math.log(std) - 0.5 * z * z - LOG_SQRT_2PI - 2 * Math.log(-z) + Math.log1p(-3 / (z * z));
}

function erf(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const r = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}

/** Maps a value of a numeric distribution to [0, 1] and back (log scale for log parameters). */
function toUnit(d: Distribution, x: number): number {
  switch (d.kind) {
    case 'categorical': return x;
    case 'float':
    case 'int':
      return d.log ? (Math.log(x) - Math.log(d.low)) / (Math.log(d.high) - Math.log(d.low)) : (x - d.low) / (d.high - d.low);
    default: return assertNever(d, 'distribution');
  }
}

function fromUnit(d: Distribution, u: number): number {
  switch (d.kind) {
    case 'categorical': return u;
    case 'float':
    case 'int': {
      const c = Math.min(1, Math.max(0, u));
      return snap(d, d.log ? Math.exp(Math.log(d.low) + c * (Math.log(d.high) - Math.log(d.low))) : d.low + c * (d.high - d.low));
    }
    default: return assertNever(d, 'distribution');
  }
}

/** GP-EI Bayesian optimization over the parameters all complete trials share; the rest are drawn at random. */
export class GPSampler implements Sampler {
  private readonly rng: Generator;
  private readonly nStartup: number;
  private readonly nCandidates: number;
  private readonly nLocal: number;
  private readonly fitIters: number | undefined;
  private lastFit: GPParams | undefined;

  /** Creates the sampler; see `GPSamplerOptions`. */
  constructor(opts: GPSamplerOptions = {}) {
    this.rng = new Generator(opts.seed ?? Date.now());
    this.nStartup = opts.nStartupTrials ?? 10;
    this.nCandidates = opts.nCandidates ?? 1000;
    this.nLocal = opts.nLocalSearch ?? 5;
    this.fitIters = opts.fitIters;
    if (!Number.isSafeInteger(this.nStartup) || this.nStartup < 1) throw new ValueError(`GPSampler: nStartupTrials must be an integer >= 1, got ${this.nStartup}`);
    if (!Number.isSafeInteger(this.nCandidates) || this.nCandidates < 1) throw new ValueError(`GPSampler: nCandidates must be an integer >= 1, got ${this.nCandidates}`);
  }

  /** The parameters shared by all complete trials, once there are `nStartupTrials` of them. */
  inferRelativeSearchSpace(study: StudyView): Record<string, Distribution> {
    const done = study.getTrials(['complete']);
    if (done.length < this.nStartup) return {};
    return intersectionSearchSpace(done);
  }

  /** Fits the GP and returns the EI-maximizing point of `space` (internal values). */
  sampleRelative(study: StudyView, _trial: FrozenTrial, space: Record<string, Distribution>): Record<string, number> {
    const names = Object.keys(space);
    const dists = names.map((n) => space[n]);
    const done = study.getTrials(['complete']).filter((t) => t.value !== null && Number.isFinite(t.value));
    const sign = study.direction === 'minimize' ? 1 : -1;
    const raw = done.map((t) => sign * (t.value as number));
    const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
    const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length) || 1;
    const y = raw.map((v) => (v - mean) / sd);
    const features = (c: readonly number[]): number[] => {
      const f: number[] = [];
      dists.forEach((d, i) => {
        if (d.kind === 'categorical') for (let k = 0; k < d.choices.length; k++) f.push(k === c[i] ? 1 : 0);
        else f.push(toUnit(d, c[i]));
      });
      return f;
    };
    const x = done.map((t) => features(names.map((n) => t.internalParams[n])));
    const gp = GPModel.fit(x, y, { init: this.lastFit, iters: this.fitIters });
    this.lastFit = gp.params;
    const best = Math.min(...y);
    const score = (c: readonly number[]): number => {
      const p = gp.predict(features(c));
      return logExpectedImprovement(p.mean, p.std, best);
    };
    // Candidates: random points, the best observed points, then a shrinking-step local search from the best few.
    const pool: { c: number[]; s: number }[] = [];
    for (let i = 0; i < this.nCandidates; i++) {
      const c = dists.map((d) => sampleUniform(this.rng, d));
      pool.push({ c, s: score(c) });
    }
    const byValue = done.map((t, i) => ({ t, v: y[i] })).sort((a, b) => a.v - b.v).slice(0, this.nLocal);
    for (const { t } of byValue) {
      const c = names.map((n) => t.internalParams[n]);
      pool.push({ c, s: score(c) });
    }
    pool.sort((a, b) => b.s - a.s);
    let winner = pool[0];
    for (const start of pool.slice(0, this.nLocal)) {
      let cur = start;
      for (let it = 0; it < 40; it++) {
        const scale = 0.1 * (1 - it / 40) + 0.005;
        const c = cur.c.map((v, i) => {
          const d = dists[i];
          if (d.kind === 'categorical') return this.rng.random() < 0.1 ? this.rng.randint(0, d.choices.length) : v;
          return fromUnit(d, toUnit(d, v) + scale * this.rng.normal());
        });
        const s = score(c);
        if (s > cur.s) cur = { c, s };
      }
      if (cur.s > winner.s) winner = cur;
    }
    const out: Record<string, number> = {};
    names.forEach((n, i) => { out[n] = winner.c[i]; });
    return out;
  }

  /** Parameters outside the shared space (and all during startup) are drawn uniformly. */
  sampleIndependent(_study: StudyView, _trial: FrozenTrial, _name: string, dist: Distribution): number {
    return sampleUniform(this.rng, dist);
  }
}
