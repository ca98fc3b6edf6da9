/**
 * Tree-structured Parzen Estimator (Optuna 3.1's TPESampler, univariate, its defaults): after `nStartupTrials`
 * random trials, the finished trials are split into the best `gamma(n)` ("below") and the rest; each parameter
 * draws `nEiCandidates` values from the Parzen estimator l(x) of the good trials and keeps the one maximizing
 * l(x) / g(x), g fitted to the rest. Pruned trials rank after complete ones, those that went further first.
 * Candidates are scored with Optuna 3.1's density by default (see `optuna31Density`).
 * @module
 */
import { ValueError } from '../../errors.js';
import { Generator } from '../../tensor/random.js';
import { sameDistribution, type Distribution } from '../distributions.js';
import type { FrozenTrial, StudyDirection } from '../storage.js';
import { lastStep } from '../storage.js';
import type { Sampler, StudyView } from './base.js';
import { ParzenEstimator, type ParzenOptions } from './parzen.js';
import { sampleUniform } from './random.js';

/** Optuna's default split: the best ceil(10%) of n, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's default weights: flat for n < 25, else a ramp from 1/n up to 1 over the older n − 25, then 25 ones. */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return new Array<number>(n).fill(1);
  const m = n - 25;
  const ramp = Array.from({ length: m }, (_, i) => (m === 1 ? 1 / n : 1 / n + (i * (1 - 1 / n)) / (m - 1)));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

/** Options of `TPESampler` (defaults are Optuna 3.1's). */
export interface TPESamplerOptions {
  /** Seed of the sampler's generator (default: the time). */
  seed?: number;
  /** Random trials before TPE starts (default 10). */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per parameter (default 24). */
  nEiCandidates?: number;
  /** Size of the good group for n finished trials (default `defaultGamma`). */
  gamma?: (n: number) => number;
  /** Observation weights, oldest first (default `defaultWeights`). */
  weights?: (n: number) => number[];
  /** Weight of the prior component (default 1). */
  priorWeight?: number;
  /** Add a prior component (default true). */
  considerPrior?: boolean;
  /** Bound bandwidths below by range / min(100, 1 + n) (default true). */
  considerMagicClip?: boolean;
  /** Let the outermost observations' bandwidths reach the range ends (default false). */
  considerEndpoints?: boolean;
  /**
   * Score candidates with Optuna 3.1's truncated-normal log density, which lacks the −log σ term (default true:
   * the behaviour of Optuna 3.1, which the side-by-side bench matches; false: the true density of later Optuna).
   */
  optuna31Density?: boolean;
}

type Score = readonly [step: number, value: number];

/** Optuna's rank key of a finished trial: complete ones first by value, then pruned ones, those that went further first. */
function score(t: FrozenTrial, sign: number): Score {
  if (t.state === 'complete') return [-Infinity, sign * (t.value as number)];
  const s = lastStep(t);
  if (s === null) return [1, 0];
  const v = t.intermediateValues.get(s) as number;
  return [-s, Number.isNaN(v) ? Infinity : sign * v];
}

/**
 * Which of `trials` (complete and pruned, oldest first) are among the `nBelow` best, as Optuna's
 * `_split_observation_pairs`: a stable sort by (−last step, value), complete trials counting as infinitely long.
 */
export function splitTrials(trials: readonly FrozenTrial[], direction: StudyDirection, nBelow: number): boolean[] {
  const sign = direction === 'minimize' ? 1 : -1;
  const scores = trials.map((t) => score(t, sign));
  const order = trials.map((_, i) => i).sort((i, j) => scores[i][0] - scores[j][0] || scores[i][1] - scores[j][1] || i - j);
  const isBelow = new Array<boolean>(trials.length).fill(false);
  for (let r = 0; r < nBelow && r < trials.length; r++) isBelow[order[r]] = true;
  return isBelow;
}

/** TPE with Optuna's defaults; reproducible by `seed` when trials run one at a time. */
export class TPESampler implements Sampler {
  private readonly rng: Generator;
  private readonly nStartup: number;
  private readonly nEi: number;
  private readonly gamma: (n: number) => number;
  private readonly parzen: ParzenOptions;

  /** Creates the sampler; see `TPESamplerOptions`. */
  constructor(opts: TPESamplerOptions = {}) {
    this.rng = new Generator(opts.seed ?? Date.now());
    this.nStartup = opts.nStartupTrials ?? 10;
    this.nEi = opts.nEiCandidates ?? 24;
    this.gamma = opts.gamma ?? defaultGamma;
    const priorWeight = opts.priorWeight ?? 1;
    if (!Number.isSafeInteger(this.nStartup) || this.nStartup < 0) throw new ValueError(`TPESampler: nStartupTrials must be an integer >= 0, got ${this.nStartup}`);
    if (!Number.isSafeInteger(this.nEi) || this.nEi < 1) throw new ValueError(`TPESampler: nEiCandidates must be an integer >= 1, got ${this.nEi}`);
    if (!(priorWeight > 0)) throw new ValueError(`TPESampler: priorWeight must be > 0, got ${priorWeight}`);
    this.parzen = {
      considerPrior: opts.considerPrior ?? true, priorWeight, considerMagicClip: opts.considerMagicClip ?? true,
      considerEndpoints: opts.considerEndpoints ?? false, weights: opts.weights ?? defaultWeights,
      optuna31Density: opts.optuna31Density ?? true,
    };
  }

  /** Univariate TPE has no joint space. */
  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  /** Nothing to sample jointly. */
  sampleRelative(): Record<string, number> {
    return {};
  }

  /**
   * The two Parzen estimators TPE compares for `name`: l(x) over the good trials' values and g(x) over the rest's
   * (null during the startup trials). The split is over every finished trial, as Optuna, then each side keeps the
   * trials that drew `name` from `dist`.
   */
  estimators(study: StudyView, name: string, dist: Distribution): { below: ParzenEstimator; above: ParzenEstimator } | null {
    const trials = study.getTrials(['complete', 'pruned']).filter((t) => t.state === 'pruned' || t.value !== null);
    const n = trials.length;
    if (n < this.nStartup) return null;
    const isBelow = splitTrials(trials, study.direction, this.gamma(n));
    const below: number[] = [];
    const above: number[] = [];
    trials.forEach((t, i) => {
      const d = t.distributions[name];
      if (d === undefined || !sameDistribution(d, dist)) return;
      (isBelow[i] ? below : above).push(t.internalParams[name]);
    });
    return { below: new ParzenEstimator(below, dist, this.parzen), above: new ParzenEstimator(above, dist, this.parzen) };
  }

  /** Draws `name` by maximizing l(x)/g(x) over candidates from l (random during the startup trials). */
  sampleIndependent(study: StudyView, _trial: FrozenTrial, name: string, dist: Distribution): number {
    const est = this.estimators(study, name, dist);
    if (est === null) return sampleUniform(this.rng, dist);
    const cands = est.below.sample(this.rng, this.nEi);
    const ll = est.below.logPdf(cands);
    const lg = est.above.logPdf(cands);
    let best = 0;
    for (let i = 1; i < cands.length; i++) if (ll[i] - lg[i] > ll[best] - lg[best]) best = i;
    return cands[best];
  }
}
