/**
 * Feature transforms that go before a linear model, after sklearn.preprocessing: StandardScaler (zero mean,
 * unit variance per column) and PolynomialFeatures (all monomials up to a degree, in sklearn's order).
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkIntOpt, checkX, columnMeans, notFitted, toTensor } from './base.js';

/** Options of StandardScaler. */
export interface StandardScalerOptions {
  /** Subtract the column means (default true). */
  withMean?: boolean;
  /** Divide by the column standard deviations (default true). */
  withStd?: boolean;
}

/**
 * Standardizes features: (x - mean) / std per column, std with divisor n (sklearn.preprocessing.StandardScaler).
 * A constant column keeps scale 1, so it maps to 0 rather than NaN.
 */
export class StandardScaler {
  /** Whether means are subtracted. */
  readonly withMean: boolean;
  /** Whether columns are divided by their standard deviation. */
  readonly withStd: boolean;
  private state: { mean: Float64Array; scale: Float64Array; variance: Float64Array; d: number; dtype: 'float32' | 'float64' } | undefined;

  /** A scaler with the given options. */
  constructor(opts: StandardScalerOptions = {}) {
    this.withMean = opts.withMean ?? true;
    this.withStd = opts.withStd ?? true;
  }

  /** Learns the column means and standard deviations of X [n, d]; returns this. */
  fit(X: Tensor): this {
    const x = checkX('StandardScaler.fit', X);
    const mean = columnMeans(x);
    const variance = new Float64Array(x.cols);
    for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) variance[j] += (x.data[i * x.cols + j] - mean[j]) ** 2;
    const scale = new Float64Array(x.cols);
    for (let j = 0; j < x.cols; j++) {
      variance[j] /= x.rows;
      const s = Math.sqrt(variance[j]);
      scale[j] = s > 10 * Number.EPSILON * Math.abs(mean[j]) && s > 0 ? s : 1;
    }
    this.state = { mean, scale, variance, d: x.cols, dtype: x.dtype };
    return this;
  }

  private fitted(method: string): NonNullable<StandardScaler['state']> {
    if (!this.state) throw notFitted(`StandardScaler.${method}`, 'StandardScaler', 'fit(X)');
    return this.state;
  }

  /** (X - mean) / scale, [n, d] in X's dtype. */
  transform(X: Tensor): Tensor {
    const s = this.fitted('transform');
    const x = checkX('StandardScaler.transform', X, { nFeatures: s.d });
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < x.rows; i++) {
      for (let j = 0; j < s.d; j++) {
        const v = x.data[i * s.d + j] - (this.withMean ? s.mean[j] : 0);
        out[i * s.d + j] = this.withStd ? v / s.scale[j] : v;
      }
    }
    return toTensor(out, [x.rows, s.d], x.dtype);
  }

  /** fit(X) then transform(X). */
  fitTransform(X: Tensor): Tensor {
    return this.fit(X).transform(X);
  }

  /** Undoes transform: Z * scale + mean. */
  inverseTransform(Z: Tensor): Tensor {
    const s = this.fitted('inverseTransform');
    const z = checkX('StandardScaler.inverseTransform', Z, { nFeatures: s.d, arg: 'Z' });
    const out = new Float64Array(z.data.length);
    for (let i = 0; i < z.rows; i++) {
      for (let j = 0; j < s.d; j++) {
        const v = this.withStd ? z.data[i * s.d + j] * s.scale[j] : z.data[i * s.d + j];
        out[i * s.d + j] = v + (this.withMean ? s.mean[j] : 0);
      }
    }
    return toTensor(out, [z.rows, s.d], z.dtype);
  }

  /** Column means [d] (sklearn's mean_). */
  get mean(): Tensor {
    const s = this.fitted('mean');
    return toTensor(s.mean, [s.d], s.dtype);
  }

  /** Per-column divisors [d] (sklearn's scale_): the standard deviations, 1 for constant columns. */
  get scale(): Tensor {
    const s = this.fitted('scale');
    return toTensor(s.scale, [s.d], s.dtype);
  }

  /** Column variances [d] with divisor n (sklearn's var_). */
  get variance(): Tensor {
    const s = this.fitted('variance');
    return toTensor(s.variance, [s.d], s.dtype);
  }
}

/** Options of PolynomialFeatures. */
export interface PolynomialFeaturesOptions {
  /** Highest total degree of the monomials (default 2). */
  degree?: number;
  /** Only products of distinct features, no powers (x0 x1 but not x0^2); default false. */
  interactionOnly?: boolean;
  /** Include the constant column 1 first (default true). */
  includeBias?: boolean;
}

/**
 * All monomials of the features up to `degree` (sklearn.preprocessing.PolynomialFeatures), in sklearn's
 * order: the bias, then degree 1, 2, ... with the features combined in lexicographic order — for [a, b] and
 * degree 2: [1, a, b, a^2, a b, b^2]. Linear regression on these fits a polynomial.
 */
export class PolynomialFeatures {
  /** Highest total degree. */
  readonly degree: number;
  /** Only products of distinct features. */
  readonly interactionOnly: boolean;
  /** Whether the constant column is included. */
  readonly includeBias: boolean;
  private combos: number[][] | undefined;
  private d = 0;

  /** Polynomial features with the given options. */
  constructor(opts: PolynomialFeaturesOptions = {}) {
    this.degree = checkIntOpt('PolynomialFeatures', 'degree', opts.degree ?? 2, 0);
    this.interactionOnly = opts.interactionOnly ?? false;
    this.includeBias = opts.includeBias ?? true;
  }

  /** Records the number of features of X [n, d] and the output monomials; returns this. */
  fit(X: Tensor): this {
    const x = checkX('PolynomialFeatures.fit', X);
    const combos: number[][] = [];
    const rec = (start: number, left: number, acc: number[]): void => {
      if (left === 0) {
        combos.push(acc.slice());
        return;
      }
      for (let j = start; j < x.cols; j++) {
        acc.push(j);
        rec(this.interactionOnly ? j + 1 : j, left - 1, acc);
        acc.pop();
      }
    };
    for (let deg = this.includeBias ? 0 : 1; deg <= this.degree; deg++) rec(0, deg, []);
    if (combos.length === 0) throw new ValueError(`PolynomialFeatures.fit: degree ${this.degree} with includeBias false gives no features`);
    this.combos = combos;
    this.d = x.cols;
    return this;
  }

  private fitted(method: string): number[][] {
    if (!this.combos) throw notFitted(`PolynomialFeatures.${method}`, 'PolynomialFeatures', 'fit(X)');
    return this.combos;
  }

  /** Number of output columns. */
  get nOutputFeatures(): number {
    return this.fitted('nOutputFeatures').length;
  }

  /**
   * The exponents of each output column, [nOutput, d] as nested arrays (sklearn's powers_): row k says how
   * often each feature appears in monomial k.
   */
  get powers(): number[][] {
    return this.fitted('powers').map((c) => {
      const row = new Array<number>(this.d).fill(0);
      for (const j of c) row[j]++;
      return row;
    });
  }

  /** The monomials of X [n, d]: [n, nOutputFeatures] in X's dtype. */
  transform(X: Tensor): Tensor {
    const combos = this.fitted('transform');
    const x = checkX('PolynomialFeatures.transform', X, { nFeatures: this.d });
    const m = combos.length;
    const out = new Float64Array(x.rows * m);
    for (let i = 0; i < x.rows; i++) {
      const o = i * this.d;
      for (let k = 0; k < m; k++) {
        let v = 1;
        for (const j of combos[k]) v *= x.data[o + j];
        out[i * m + k] = v;
      }
    }
    return toTensor(out, [x.rows, m], x.dtype);
  }

  /** fit(X) then transform(X). */
  fitTransform(X: Tensor): Tensor {
    return this.fit(X).transform(X);
  }

  /** Names of the output columns, as sklearn's get_feature_names_out: '1', 'x0', 'x0^2', 'x0 x1', ... */
  featureNamesOut(inputNames?: readonly string[]): string[] {
    const combos = this.fitted('featureNamesOut');
    const names = inputNames ?? Array.from({ length: this.d }, (_, j) => `x${j}`);
    if (names.length !== this.d) throw new ValueError(`PolynomialFeatures.featureNamesOut: expected ${this.d} input names, got ${names.length}`);
    return combos.map((c) => {
      if (c.length === 0) return '1';
      const parts: string[] = [];
      for (let k = 0; k < c.length; ) {
        let e = 1;
        while (k + e < c.length && c[k + e] === c[k]) e++;
        parts.push(e === 1 ? names[c[k]] : `${names[c[k]]}^${e}`);
        k += e;
      }
      return parts.join(' ');
    });
  }
}
