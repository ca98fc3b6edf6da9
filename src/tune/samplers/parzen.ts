/**
 * The one-parameter Parzen estimator of TPE as Optuna 3.1 builds it (univariate): one truncated normal per
 * observation plus a prior component centred on the range, bandwidths from the gaps to neighbouring observations
 * (clipped by the "magic clip"), and for categoricals a smoothed histogram.
 * @module
 */
import type { Generator } from '../../tensor/random.js';
import { snap, type Distribution } from '../distributions.js';
import { logGaussMass, truncnormLogPdf, truncnormSample } from './truncnorm.js';

/** The knobs of the estimator (TPESampler's options). */
export interface ParzenOptions {
  /** Add a component centred on the range with the range as its width. */
  considerPrior: boolean;
  /** Weight of the prior component (and pseudo-count of each category). */
  priorWeight: number;
  /** Bound bandwidths below by range / min(100, 1 + components). */
  considerMagicClip: boolean;
  /** Let the outermost components' bandwidths reach the range ends. */
  considerEndpoints: boolean;
  /**
   * Leave −log σ out of the continuous components' log density, as Optuna 3.1 does (its `_truncnorm.logpdf` omits
   * it; later Optuna has the true density). It changes which candidate wins l(x)/g(x).
   */
  optuna31Density?: boolean;
  /** Weights of n observations, oldest first. */
  weights: (n: number) => number[];
}

/** A mixture over one parameter, built from observed internal values (oldest first). */
export class ParzenEstimator {
  private readonly dist: Distribution;
  private readonly mixture: number[];
  private readonly low: number = 0;
  private readonly high: number = 0;
  private readonly q: number | null = null;
  private readonly mus: number[] = [];
  private readonly sigmas: number[] = [];
  private readonly catWeights: number[][] = [];
  private readonly omitScale: boolean;

  /** Fits the mixture to `observations` of a parameter with distribution `dist`. */
  constructor(observations: readonly number[], dist: Distribution, opts: ParzenOptions) {
    this.dist = dist;
    this.omitScale = opts.optuna31Density ?? false;
    const n = observations.length;
    const considerPrior = opts.considerPrior || n === 0;
    const w = opts.weights(n).slice(0, n);
    if (considerPrior) w.push(opts.priorWeight);
    const wsum = w.reduce((s, x) => s + x, 0);
    this.mixture = w.map((x) => x / wsum);
    if (dist.kind === 'categorical') {
      const k = dist.choices.length;
      const fill = opts.priorWeight / (considerPrior ? n + 1 : n);
      const rows = considerPrior ? n + 1 : n;
      for (let i = 0; i < rows; i++) {
        const row = new Array<number>(k).fill(fill);
        if (i < n) row[observations[i]] += 1;
        const s = row.reduce((a, b) => a + b, 0);
        this.catWeights.push(row.map((x) => x / s));
      }
      return;
    }
    let low: number;
    let high: number;
    let q: number | null = null;
    let obs = observations.slice();
    if (dist.log) {
      low = Math.log(dist.kind === 'int' ? dist.low - 0.5 : dist.low);
      high = Math.log(dist.kind === 'int' ? dist.high + 0.5 : dist.high);
      obs = obs.map(Math.log);
    } else if (dist.step !== null) {
      q = dist.step;
      low = dist.low - 0.5 * q;
      high = dist.high + 0.5 * q;
    } else {
      low = dist.low;
      high = dist.high;
    }
    this.low = low;
    this.high = high;
    this.q = q;
    const mus = considerPrior ? [...obs, 0.5 * (low + high)] : obs;
    const order = mus.map((_, i) => i).sort((i, j) => mus[i] - mus[j]);
    const ends = [low, ...order.map((i) => mus[i]), high];
    const sorted = order.map((_, r) => Math.max(ends[r + 1] - ends[r], ends[r + 2] - ends[r + 1]));
    if (!opts.considerEndpoints && ends.length >= 4) {
      sorted[0] = ends[2] - ends[1];
      sorted[sorted.length - 1] = ends[ends.length - 2] - ends[ends.length - 3];
    }
    const sigmas = new Array<number>(mus.length);
    order.forEach((i, r) => { sigmas[i] = sorted[r]; });
    const maxSigma = high - low;
    const minSigma = opts.considerMagicClip ? (high - low) / Math.min(100, 1 + mus.length) : 1e-12;
    for (let i = 0; i < sigmas.length; i++) sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i]));
    if (considerPrior) sigmas[n] = high - low;
    this.mus = mus;
    this.sigmas = sigmas;
  }

  /**
   * The fitted mixture: component weights (observations oldest first, then the prior) and, for numeric parameters,
   * the components' centres and bandwidths in the internal (log, for log parameters) scale and the range [low, high]
   * they are truncated to; for categoricals, each component's probabilities over the choices.
   */
  get components(): { weights: number[]; mus: number[]; sigmas: number[]; low: number; high: number; categoricalWeights: number[][] } {
    return {
      weights: this.mixture.slice(), mus: this.mus.slice(), sigmas: this.sigmas.slice(), low: this.low, high: this.high,
      categoricalWeights: this.catWeights.map((r) => r.slice()),
    };
  }

  private pick(rng: Generator, probs: readonly number[]): number {
    const u = rng.random();
    let c = 0;
    for (let i = 0; i < probs.length; i++) {
      c += probs[i];
      if (u < c) return i;
    }
    return probs.length - 1;
  }

  /** Draws `size` internal values from the mixture. */
  sample(rng: Generator, size: number): number[] {
    const out: number[] = [];
    for (let s = 0; s < size; s++) {
      const k = this.pick(rng, this.mixture);
      const d = this.dist;
      if (d.kind === 'categorical') {
        out.push(this.pick(rng, this.catWeights[k]));
        continue;
      }
      const x = truncnormSample(rng, this.low, this.high, this.mus[k], this.sigmas[k]);
      out.push(snap(d, d.log ? Math.exp(x) : x));
    }
    return out;
  }

  /** Log density (log probability for grids and categoricals) of each internal value. */
  logPdf(xs: readonly number[]): number[] {
    const d = this.dist;
    return xs.map((x0) => {
      const terms = this.mixture.map((w, k) => {
        let lp: number;
        if (d.kind === 'categorical') lp = Math.log(this.catWeights[k][x0]);
        else {
          const x = d.log ? Math.log(x0) : x0;
          const mu = this.mus[k];
          const sg = this.sigmas[k];
          if (this.q === null) lp = truncnormLogPdf(x, this.low, this.high, mu, sg, this.omitScale);
          else {
            const up = Math.min(x + this.q / 2, this.high);
            const lo = Math.max(x - this.q / 2, this.low);
            lp = logGaussMass((lo - mu) / sg, (up - mu) / sg) - logGaussMass((this.low - mu) / sg, (this.high - mu) / sg);
          }
        }
        return lp + Math.log(w);
      });
      const m = Math.max(...terms);
      if (m === -Infinity) return -Infinity;
      return m + Math.log(terms.reduce((s, t) => s + Math.exp(t - m), 0));
    });
  }
}
