/**
 * Principal component analysis, after sklearn.decomposition.PCA: the SVD of the centered data (or, for many
 * samples and few features, the eigendecomposition of its covariance), components signed as sklearn's
 * svd_flip does, explained variance and its ratio, whitening, the inverse transform, and nComponents as a
 * count or as the fraction of variance to keep.
 * @module
 */
import { LinAlgError, ValueError } from '../errors.js';
import { eighHost } from '../linalg/host-eigh.js';
import { svdHost } from '../linalg/host-svd.js';
import type { Tensor } from '../tensor/tensor.js';
import { centered, checkChoice, checkX, columnMeans, notFitted, toTensor } from './base.js';
import { gramHost } from './host.js';

/** Options of PCA. */
export interface PCAOptions {
  /**
   * Components to keep: an integer in [1, min(n, d)], a fraction in (0, 1) — the fewest components whose
   * explained variance ratios add up to more than it — or undefined for min(n, d).
   */
  nComponents?: number;
  /** Scale the projections to unit variance (default false). */
  whiten?: boolean;
  /**
   * 'full': SVD of the centered X (exact, the reference); 'covarianceEigh': eigendecomposition of X^T X,
   * much faster when n >> d but less accurate for tiny variances; 'auto' (default): covarianceEigh when
   * n >= 10 d and d <= 1000, else full (sklearn 1.5's rule).
   */
  svdSolver?: 'auto' | 'full' | 'covarianceEigh';
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
  readonly svdSolver: 'auto' | 'full' | 'covarianceEigh';
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
    this.svdSolver = checkChoice(where, 'svdSolver', opts.svdSolver ?? 'auto', ['auto', 'full', 'covarianceEigh'] as const);
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
    let s: Float64Array; // q singular values, descending
    let v: Float64Array; // d x q right singular vectors as columns
    if (solver === 'full') {
      const r = svdHost(xc, n, d, true);
      if (!r.converged) throw new LinAlgError(`${where}: the SVD did not converge; check X for huge values`);
      s = r.s;
      v = r.v;
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
    if (opt === undefined) k = q;
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
      for (let j = k; j < q; j++) noise += variance[j];
      noise /= q - k;
    }
    if (solver === 'covarianceEigh') {
      // sklearn's sign rule (svd_flip) on the scores U = Xc V / s: the largest |U_ij| of each kept column positive
      for (let j = 0; j < k; j++) {
        let best = 0;
        let sign = 1;
        for (let r = 0; r < n; r++) {
          let u = 0;
          for (let i = 0; i < d; i++) u += xc[r * d + i] * v[i * q + j];
          if (Math.abs(u) > best) {
            best = Math.abs(u);
            sign = u < 0 ? -1 : 1;
          }
        }
        if (sign < 0) for (let i = 0; i < d; i++) v[i * q + j] = -v[i * q + j];
      }
    }
    const components = new Float64Array(k * d);
    for (let j = 0; j < k; j++) for (let i = 0; i < d; i++) components[j * d + i] = v[i * q + j];
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
