/**
 * Principal component analysis, after sklearn.decomposition.PCA: the SVD of the centered data (or, for many
 * samples and few features, the eigendecomposition of its covariance), components signed as sklearn's
 * svd_flip does, explained variance and its ratio, whitening, the inverse transform, nComponents as a
 * count or as the fraction of variance to keep, a seeded randomized solver, and the log-likelihood of the
 * probabilistic PCA model (score, scoreSamples).
 * @module
 */
import { LinAlgError, ValueError } from '../errors.js';
import { cholFactor, triSolve } from '../linalg/host-factor.js';
import { gramHost, matmulHost } from '../linalg/host-gemm.js';
import { eighHost } from '../linalg/host-eigh.js';
import { svdHost } from '../linalg/host-svd.js';
import type { Tensor } from '../tensor/tensor.js';
import { type RandomStateOptions, centered, checkChoice, checkIntOpt, checkX, columnMeans, generatorFrom, notFitted, toTensor } from './base.js';
import { type PowerIterationNormalizer, randomizedSvd } from './pca-randomized.js';

/** Options of PCA. */
export interface PCAOptions extends RandomStateOptions {
  /**
   * Components to keep: an integer in [1, min(n, d)], a fraction in (0, 1) — the fewest components whose
   * explained variance ratios add up to more than it — or undefined for min(n, d).
   */
  nComponents?: number;
  /** Scale the projections to unit variance (default false). */
  whiten?: boolean;
  /**
   * 'full': SVD of the centered X (exact, the reference); 'covarianceEigh': eigendecomposition of X^T X,
   * much faster when n >> d but less accurate for tiny variances; 'randomized': Halko et al.'s randomized SVD
   * of the leading nComponents only (seeded by `seed`/`generator`), fast for k << min(n, d); 'auto' (default):
   * covarianceEigh when n >= 10 d and d <= 1000, else full (sklearn 1.5's rule).
   */
  svdSolver?: 'auto' | 'full' | 'covarianceEigh' | 'randomized';
  /** 'randomized': extra random directions beyond nComponents (default 10, sklearn's n_oversamples). */
  nOversamples?: number;
  /** 'randomized': power iterations, or 'auto' (default): 7 when nComponents < 0.1 min(n, d), else 4 (sklearn's). */
  iteratedPower?: number | 'auto';
  /**
   * 'randomized': how each power iteration's product is kept from collapsing onto the leading direction —
   * 'QR' (an orthonormal basis), 'LU' (the permuted L factor: cheaper, as good for this), 'none', or 'auto'
   * (default): none for at most 2 iterations, else LU (sklearn's power_iteration_normalizer).
   */
  powerIterationNormalizer?: PowerIterationNormalizer;
}

interface PCAState {
  mean: Float64Array;
  components: Float64Array; // k x d
  variance: Float64Array; // k
  ratio: Float64Array; // k
  singular: Float64Array; // k
  noise: number;
  k: number;
  d: number;
  n: number;
  dtype: 'float32' | 'float64';
}

/**
 * PCA: projects centered data onto the directions of largest variance. After fit: `components` [k, d]
 * (rows orthonormal), `explainedVariance` [k] (divisor n - 1), `explainedVarianceRatio` [k],
 * `singularValues` [k], `mean` [d], `noiseVariance`, `nComponents`. Component signs follow sklearn: the
 * largest-magnitude entry of each score column U[:, j] is positive.
 */
export class PCA {
  /** The requested nComponents option. */
  readonly nComponentsOption: number | undefined;
  /** Whether transform whitens. */
  readonly whiten: boolean;
  /** Solver option. */
  readonly svdSolver: 'auto' | 'full' | 'covarianceEigh' | 'randomized';
  /** Oversampling of the randomized solver. */
  readonly nOversamples: number;
  /** Power iterations of the randomized solver. */
  readonly iteratedPower: number | 'auto';
  /** Power-iteration normalizer of the randomized solver. */
  readonly powerIterationNormalizer: PowerIterationNormalizer;
  private readonly random: RandomStateOptions;
  private state: PCAState | undefined;

  /** A PCA with the given options. */
  constructor(opts: PCAOptions = {}) {
    const where = 'PCA';
    const k = opts.nComponents;
    if (k !== undefined && (typeof k !== 'number' || !(k > 0) || (k >= 1 && !Number.isInteger(k)))) {
      throw new ValueError(`${where}: nComponents must be an integer >= 1 or a fraction in (0, 1), got ${String(k)}`);
    }
    this.nComponentsOption = k;
    this.whiten = opts.whiten ?? false;
    this.svdSolver = checkChoice(where, 'svdSolver', opts.svdSolver ?? 'auto', ['auto', 'full', 'covarianceEigh', 'randomized'] as const);
    if (this.svdSolver === 'randomized' && k !== undefined && k < 1) {
      throw new ValueError(`${where}: svdSolver 'randomized' needs nComponents as a count >= 1, got the fraction ${k}; use svdSolver 'full'`);
    }
    this.nOversamples = checkIntOpt(where, 'nOversamples', opts.nOversamples ?? 10, 0);
    const ip = opts.iteratedPower ?? 'auto';
    this.iteratedPower = ip === 'auto' ? ip : checkIntOpt(where, 'iteratedPower', ip, 0);
    this.powerIterationNormalizer = checkChoice(where, 'powerIterationNormalizer', opts.powerIterationNormalizer ?? 'auto', ['auto', 'QR', 'LU', 'none'] as const);
    this.random = { seed: opts.seed, generator: opts.generator };
    generatorFrom(where, this.random);
  }

  /** Fits the components to X [n, d] (n >= 2); returns this. */
  fit(X: Tensor): this {
    const where = 'PCA.fit';
    const x = checkX(where, X, { minSamples: 2 });
    const { rows: n, cols: d } = x;
    const q = Math.min(n, d);
    const opt = this.nComponentsOption;
    if (opt !== undefined && opt >= 1 && opt > q) {
      throw new ValueError(`${where}: nComponents = ${opt} must be at most min(nSamples, nFeatures) = ${q} for X of shape [${n}, ${d}]`);
    }
    const mean = columnMeans(x);
    const xc = centered(x, mean);
    const solver = this.svdSolver === 'auto' ? (n >= 10 * d && d <= 1000 ? 'covarianceEigh' : 'full') : this.svdSolver;
    let s: Float64Array; // singular values, descending: q of them, or k for 'randomized'
    let v: Float64Array; // d x s.length right singular vectors as columns
    if (solver === 'full') {
      const r = svdHost(xc, n, d, 'right'); // the scores U are not needed: the signs are set below
      if (!r.converged) throw new LinAlgError(`${where}: the SVD did not converge; check X for huge values`);
      s = r.s;
      v = r.v;
    } else if (solver === 'randomized') {
      const kr = opt ?? q;
      const nIter = this.iteratedPower === 'auto' ? (kr < 0.1 * q ? 7 : 4) : this.iteratedPower;
      ({ s, v } = randomizedSvd(where, xc, n, d, kr, this.nOversamples, nIter, generatorFrom(where, this.random),
        this.powerIterationNormalizer));
    } else {
      const e = eighHost(gramHost(xc, n, d), d, false);
      if (!e.converged) throw new LinAlgError(`${where}: the eigendecomposition did not converge; check X for huge values`);
      s = new Float64Array(q);
      v = new Float64Array(d * q);
      for (let j = 0; j < q; j++) {
        const src = d - 1 - j; // eigenvalues ascend
        s[j] = Math.sqrt(Math.max(e.w[src], 0));
        for (let i = 0; i < d; i++) v[i * q + j] = e.v[i * d + src];
      }
    }
    const vc = s.length;
    const variance = s.map((sv) => (sv * sv) / (n - 1));
    let total = 0;
    if (solver === 'full') {
      for (const val of variance) total += val;
    } else {
      for (let q2 = 0; q2 < xc.length; q2++) total += xc[q2] * xc[q2];
      total /= n - 1;
    }
    const ratio = variance.map((val) => (total > 0 ? val / total : 0));
    let k: number;
    if (opt === undefined) k = vc;
    else if (opt < 1) {
      // numpy searchsorted(cumsum, opt, side='right') + 1
      let acc = 0;
      k = 0;
      for (let j = 0; j < q; j++) {
        acc += ratio[j];
        if (acc <= opt) k = j + 1;
        else break;
      }
      k = Math.min(k + 1, q);
    } else k = opt;
    let noise = 0;
    if (k < q) {
      // the variance the kept components leave, spread over the other q - k directions
      let kept = 0;
      for (let j = 0; j < k; j++) kept += variance[j];
      noise = solver === 'randomized' ? (total - kept) / (q - k) : variance.slice(k).reduce((a, b) => a + b, 0) / (q - k);
    }
    // sklearn's sign rule (svd_flip) on the scores U = Xc V / s: the largest |U_ij| of each kept column positive;
    // the scores of the k kept columns as one product
    const vk = new Float64Array(d * k);
    for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) vk[i * k + j] = v[i * vc + j];
    const scores = matmulHost(xc, vk, n, d, k);
    for (let j = 0; j < k; j++) {
      let best = 0;
      let sign = 1;
      for (let r = 0; r < n; r++) {
        const u = scores[r * k + j];
        if (Math.abs(u) > best) {
          best = Math.abs(u);
          sign = u < 0 ? -1 : 1;
        }
      }
      if (sign < 0) for (let i = 0; i < d; i++) v[i * vc + j] = -v[i * vc + j];
    }
    const components = new Float64Array(k * d);
    for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) components[j * d + i] = v[i * vc + j];
    this.state = {
      mean, components, variance: variance.slice(0, k), ratio: ratio.slice(0, k), singular: s.slice(0, k), noise, k, d, n, dtype: x.dtype,
    };
    return this;
  }

  private fitted(method: string): PCAState {
    if (!this.state) throw notFitted(`PCA.${method}`, 'PCA', 'fit(X)');
    return this.state;
  }

  /** Projections (X - mean) components^T [m, k], divided by sqrt(explainedVariance) when whitening. */
  transform(X: Tensor): Tensor {
    const s = this.fitted('transform');
    const x = checkX('PCA.transform', X, { nFeatures: s.d });
    const out = new Float64Array(x.rows * s.k);
    const xc = new Float64Array(s.d);
    for (let r = 0; r < x.rows; r++) {
      for (let i = 0; i < s.d; i++) xc[i] = x.data[r * s.d + i] - s.mean[i];
      for (let j = 0; j < s.k; j++) {
        let acc = 0;
        for (let i = 0; i < s.d; i++) acc += xc[i] * s.components[j * s.d + i];
        out[r * s.k + j] = this.whiten ? acc / Math.sqrt(s.variance[j]) : acc;
      }
    }
    return toTensor(out, [x.rows, s.k], x.dtype);
  }

  /** fit(X), then transform(X). */
  fitTransform(X: Tensor): Tensor {
    return this.fit(X).transform(X);
  }

  /** Back to feature space: Z components + mean (Z scaled by sqrt(explainedVariance) first when whitening), [m, d]. */
  inverseTransform(Z: Tensor): Tensor {
    const s = this.fitted('inverseTransform');
    const z = checkX('PCA.inverseTransform', Z, { nFeatures: s.k, arg: 'Z' });
    const out = new Float64Array(z.rows * s.d);
    for (let r = 0; r < z.rows; r++) {
      for (let i = 0; i < s.d; i++) out[r * s.d + i] = s.mean[i];
      for (let j = 0; j < s.k; j++) {
        const c = z.data[r * s.k + j] * (this.whiten ? Math.sqrt(s.variance[j]) : 1);
        for (let i = 0; i < s.d; i++) out[r * s.d + i] += c * s.components[j * s.d + i];
      }
    }
    return toTensor(out, [z.rows, s.d], z.dtype);
  }

  /**
   * The probabilistic PCA model's covariance [d, d] (sklearn's get_covariance): components^T diag(max(var -
   * noise, 0)) components + noise I.
   */
  getCovariance(): Tensor {
    const s = this.fitted('getCovariance');
    return toTensor(covarianceOf(s), [s.d, s.d], s.dtype);
  }

  /**
   * Log-likelihood of each sample of X [m, d] under the probabilistic PCA model (Tipping & Bishop), a
   * Gaussian with the fitted mean and getCovariance(): [m], as sklearn's score_samples. The covariance is
   * singular, and this a LinAlgError, when all min(n, d) < d components are kept (no noise variance left).
   * The model does not depend on `whiten` (sklearn 1.2 rescales its covariance by the explained variances
   * when whitening; shendu does not).
   */
  scoreSamples(X: Tensor): Tensor {
    const s = this.fitted('scoreSamples');
    const x = checkX('PCA.scoreSamples', X, { nFeatures: s.d });
    return toTensor(logLikelihoods('PCA.scoreSamples', s, x.data, x.rows), [x.rows], x.dtype);
  }

  /** The average log-likelihood of the samples of X [m, d] under the probabilistic PCA model (sklearn's score). */
  score(X: Tensor): number {
    const s = this.fitted('score');
    const x = checkX('PCA.score', X, { nFeatures: s.d });
    return logLikelihoods('PCA.score', s, x.data, x.rows).reduce((a, b) => a + b, 0) / x.rows;
  }

  /** Principal axes [k, d], orthonormal rows (sklearn's components_). */
  get components(): Tensor {
    const s = this.fitted('components');
    return toTensor(s.components, [s.k, s.d], s.dtype);
  }

  /** Variance along each component [k], divisor n - 1 (sklearn's explained_variance_). */
  get explainedVariance(): Tensor {
    const s = this.fitted('explainedVariance');
    return toTensor(s.variance, [s.k], s.dtype);
  }

  /** Share of the total variance along each component [k] (sklearn's explained_variance_ratio_). */
  get explainedVarianceRatio(): Tensor {
    const s = this.fitted('explainedVarianceRatio');
    return toTensor(s.ratio, [s.k], s.dtype);
  }

  /** Singular values of the centered X for the kept components [k] (sklearn's singular_values_). */
  get singularValues(): Tensor {
    const s = this.fitted('singularValues');
    return toTensor(s.singular, [s.k], s.dtype);
  }

  /** Column means of the training X [d] (sklearn's mean_). */
  get mean(): Tensor {
    const s = this.fitted('mean');
    return toTensor(s.mean, [s.d], s.dtype);
  }

  /** Mean variance of the dropped components, 0 when all are kept (sklearn's noise_variance_). */
  get noiseVariance(): number {
    return this.fitted('noiseVariance').noise;
  }

  /** Number of components kept (sklearn's n_components_). */
  get nComponents(): number {
    return this.fitted('nComponents').k;
  }

  /** Number of features seen in fit. */
  get nFeaturesIn(): number {
    return this.fitted('nFeaturesIn').d;
  }
}

function covarianceOf(s: PCAState): Float64Array {
  const { d, k, components: c } = s;
  const cov = new Float64Array(d * d);
  for (let j = 0; j < k; j++) {
    const w = Math.max(s.variance[j] - s.noise, 0);
    if (w === 0) continue;
    for (let a = 0; a < d; a++) {
      const ca = w * c[j * d + a];
      for (let b = 0; b < d; b++) cov[a * d + b] += ca * c[j * d + b];
    }
  }
  for (let a = 0; a < d; a++) cov[a * d + a] += s.noise;
  return cov;
}

/** Gaussian log-densities of the rows of x under N(mean, covariance) through the Cholesky factor L: -0.5 (|L^-1 r|^2 + d log 2 pi) - sum log L_ii. */
function logLikelihoods(where: string, s: PCAState, x: Float64Array, m: number): Float64Array {
  const { d } = s;
  const l = cholFactor(covarianceOf(s), d);
  if (typeof l === 'number') {
    throw new LinAlgError(`${where}: the model covariance is singular (noise variance ${s.noise} with ${s.k} of ${s.d} components); keep fewer components`);
  }
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(l[i * d + i]);
  // all residuals as the columns of one d x m right-hand side
  const r = new Float64Array(d * m);
  for (let i = 0; i < m; i++) for (let a = 0; a < d; a++) r[a * m + i] = x[i * d + a] - s.mean[a];
  const z = triSolve(l, d, r, m, false, false);
  if (typeof z === 'number') throw new LinAlgError(`${where}: the model covariance is singular`);
  const out = new Float64Array(m).fill(-0.5 * (d * Math.log(2 * Math.PI) + logDet));
  for (let a = 0; a < d; a++) for (let i = 0; i < m; i++) out[i] -= 0.5 * z[a * m + i] ** 2;
  return out;
}
