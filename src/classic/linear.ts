/**
 * Linear regression, after sklearn.linear_model.LinearRegression: ordinary least squares in closed form
 * (minimum-norm through the SVD, or Householder QR), the same model by gradient descent, and log-linear
 * regression (least squares on log y). All fit an intercept by centering X and y, take y [n] or [n, t], and
 * share `LinearModel`'s predict/score/coef/intercept. Ridge and lasso live in `regularized.ts`.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  type CheckedX, type CheckedY, type FitOptions, type FloatDType, centered, checkChoice, checkIntOpt, checkNumberOpt, checkX, checkY, fitOptions, notFitted,
  toTensor, weightedColumnMeans,
} from './base.js';
import { lstsqHost, qrLstsqHost } from './host.js';
import { r2Mean } from './metrics.js';

/** A fitted linear model y = X coef^T + intercept, as the linear estimators keep it. */
export interface LinearFit {
  /** Coefficients, t x d row-major (one row per target). */
  coef: Float64Array;
  /** One intercept per target. */
  intercept: Float64Array;
  /** Number of features d. */
  nFeatures: number;
  /** Number of targets t. */
  nTargets: number;
  /** y was 1-D: coef is [d], intercept 0-d, predictions [n]. */
  vector: boolean;
  /** dtype of the tensors returned. */
  dtype: FloatDType;
}

/** The centered problem a linear fit solves: Xc (n x d), Yc (n x t) and the means to rebuild the intercept. */
export interface Centered {
  /** X minus its column means (or X itself without an intercept). */
  x: Float64Array;
  /** Y minus its column means (or Y itself). */
  y: Float64Array;
  /** Column means of X (zeros without an intercept). */
  xMean: Float64Array;
  /** Column means of Y (zeros without an intercept). */
  yMean: Float64Array;
}

/**
 * Centers X and Y on their (weighted) means when fitting an intercept, then scales row i by sqrt(w_i), so
 * that plain least squares on the result is the weighted problem (sklearn's _preprocess_data and
 * _rescale_data).
 */
export function centerData(x: CheckedX, y: CheckedY, fitIntercept: boolean, sw?: Float64Array): Centered {
  let c: Centered;
  if (!fitIntercept) c = { x: x.data, y: y.data, xMean: new Float64Array(x.cols), yMean: new Float64Array(y.cols) };
  else {
    const xMean = weightedColumnMeans(x, sw);
    const yMean = weightedColumnMeans(y, sw);
    c = { x: centered(x, xMean), y: centered(y, yMean), xMean, yMean };
  }
  if (!sw) return c;
  const xs = Float64Array.from(c.x);
  const ys = Float64Array.from(c.y);
  for (let i = 0; i < x.rows; i++) {
    const r = Math.sqrt(sw[i]);
    for (let j = 0; j < x.cols; j++) xs[i * x.cols + j] *= r;
    for (let k = 0; k < y.cols; k++) ys[i * y.cols + k] *= r;
  }
  return { ...c, x: xs, y: ys };
}

/** A LinearFit from the d x t solution W of the centered problem: coef = W^T, intercept = yMean - xMean W. */
export function linearFitFrom(w: Float64Array, c: Centered, x: CheckedX, y: CheckedY): LinearFit {
  const d = x.cols;
  const t = y.cols;
  const coef = new Float64Array(t * d);
  const intercept = new Float64Array(t);
  for (let k = 0; k < t; k++) {
    let b = c.yMean[k];
    for (let j = 0; j < d; j++) {
      coef[k * d + j] = w[j * t + k];
      b -= c.xMean[j] * w[j * t + k];
    }
    intercept[k] = b;
  }
  return { coef, intercept, nFeatures: d, nTargets: t, vector: y.vector, dtype: x.dtype };
}

/** Host predictions X coef^T + intercept, n x t. */
export function predictHost(fit: LinearFit, x: Float64Array, n: number): Float64Array {
  const { coef, intercept, nFeatures: d, nTargets: t } = fit;
  const out = new Float64Array(n * t);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < t; k++) {
      let s = intercept[k];
      for (let j = 0; j < d; j++) s += x[i * d + j] * coef[k * d + j];
      out[i * t + k] = s;
    }
  }
  return out;
}

/**
 * What every linear regressor offers once fitted: `predict`, `score` (R^2), `coef` and `intercept`. A
 * subclass implements `fitLinear`; `fit` checks the data and stores the result.
 */
export abstract class LinearModel {
  /** Fit an intercept (true, the default) or force the model through the origin. */
  readonly fitIntercept: boolean;
  /** The fitted model, set by fit. */
  protected fitted: LinearFit | undefined;
  /** The estimator's name in messages. */
  protected abstract readonly name: string;

  /** Stores the common option `fitIntercept` (default true). */
  constructor(opts: { fitIntercept?: boolean } = {}) {
    this.fitIntercept = opts.fitIntercept ?? true;
    if (typeof this.fitIntercept !== 'boolean') throw new ValueError(`${new.target.name}: fitIntercept must be a boolean, got ${String(opts.fitIntercept)}`);
  }

  /** Solves the checked problem, with sample weights `sw` when given; called by fit. */
  protected abstract fitLinear(x: CheckedX, y: CheckedY, sw?: Float64Array): LinearFit;

  /** Fits the model to X [n, d] and y [n] or [n, t], optionally with `sampleWeight` [n]; returns this. */
  fit(X: Tensor, y: Tensor, opts?: FitOptions): this {
    const where = `${this.name}.fit`;
    const x = checkX(where, X);
    const yy = checkY(where, y, X.shape);
    const sw = fitOptions(where, opts, x.rows);
    this.fitted = this.fitLinear(x, yy, sw);
    return this;
  }

  /** The fitted model, or a ValueError naming `method` when fit has not run. */
  protected model(method: string): LinearFit {
    if (!this.fitted) throw notFitted(`${this.name}.${method}`, this.name);
    return this.fitted;
  }

  /** Predictions X coef^T + intercept: [n] (1-D y in fit) or [n, t], in X's dtype. */
  predict(X: Tensor): Tensor {
    const fit = this.model('predict');
    const x = checkX(`${this.name}.predict`, X, { nFeatures: fit.nFeatures });
    const out = predictHost(fit, x.data, x.rows);
    return toTensor(out, fit.vector ? [x.rows] : [x.rows, fit.nTargets], x.dtype);
  }

  /** R^2 of the predictions for X against y (averaged over targets), as sklearn's score. */
  score(X: Tensor, y: Tensor): number {
    const fit = this.model('score');
    const x = checkX(`${this.name}.score`, X, { nFeatures: fit.nFeatures, minSamples: 2 });
    const yy = checkY(`${this.name}.score`, y, X.shape);
    if (yy.cols !== fit.nTargets) throw new ValueError(`${this.name}.score: y has ${yy.cols} target columns but the model was fitted with ${fit.nTargets}`);
    const pred = predictHost(fit, x.data, x.rows);
    return r2Mean(yy.data, pred, yy.cols);
  }

  /** Coefficients (sklearn's coef_): [d] when y was 1-D, else [t, d]. */
  get coef(): Tensor {
    const fit = this.model('coef');
    return toTensor(fit.coef, fit.vector ? [fit.nFeatures] : [fit.nTargets, fit.nFeatures], fit.dtype);
  }

  /** Intercepts (sklearn's intercept_): a 0-d tensor when y was 1-D, else [t]; zeros without fitIntercept. */
  get intercept(): Tensor {
    const fit = this.model('intercept');
    return toTensor(fit.intercept, fit.vector ? [] : [fit.nTargets], fit.dtype);
  }

  /** Number of features seen in fit (sklearn's n_features_in_). */
  get nFeaturesIn(): number {
    return this.model('nFeaturesIn').nFeatures;
  }
}

/** Options of LinearRegression. */
export interface LinearRegressionOptions {
  /** Fit an intercept (default true). */
  fitIntercept?: boolean;
  /**
   * 'lstsq' (default): minimum-norm least squares through the SVD, fine for rank-deficient X (sklearn's
   * scipy lstsq). 'qr': Householder QR, R w = Q^T y — needs X of full column rank.
   */
  solver?: 'lstsq' | 'qr';
}

/**
 * Ordinary least squares, min ||y - X w - b||^2, solved in closed form on centered data — never through the
 * normal equations X^T X, which square the condition number. One feature or many, one target or several.
 * `rank` and `singularValues` describe the centered X (lstsq solver).
 */
export class LinearRegression extends LinearModel {
  /** The solver in use. */
  readonly solver: 'lstsq' | 'qr';
  /** The estimator's name in messages. */
  protected readonly name: string = 'LinearRegression';
  private svals: Float64Array | undefined;
  private rankOf = 0;

  /** A linear regression with the given options. */
  constructor(opts: LinearRegressionOptions = {}) {
    super(opts);
    this.solver = checkChoice('LinearRegression', 'solver', opts.solver ?? 'lstsq', ['lstsq', 'qr'] as const);
  }

  /** Least squares on the centered (and weight-scaled) problem. */
  protected fitLinear(x: CheckedX, y: CheckedY, sw?: Float64Array): LinearFit {
    const c = centerData(x, y, this.fitIntercept, sw);
    const where = `${this.name}.fit`;
    let w: Float64Array;
    if (this.solver === 'qr') {
      w = qrLstsqHost(where, c.x, x.rows, x.cols, c.y, y.cols, "use solver 'lstsq' for the minimum-norm solution, or Ridge");
      this.svals = undefined;
      this.rankOf = x.cols;
    } else {
      const r = lstsqHost(where, c.x, x.rows, x.cols, c.y, y.cols);
      w = r.x;
      this.svals = r.s;
      this.rankOf = r.rank;
    }
    return linearFitFrom(w, c, x, y);
  }

  /** Numerical rank of the (centered, weight-scaled) X (sklearn's rank_). */
  get rank(): number {
    this.model('rank');
    return this.rankOf;
  }

  /** Singular values of the (centered, weight-scaled) X, descending (sklearn's singular_); lstsq solver only. */
  get singularValues(): Tensor {
    const fit = this.model('singularValues');
    if (!this.svals) throw new ValueError(`${this.name}.singularValues: only the 'lstsq' solver computes singular values`);
    return toTensor(this.svals, [this.svals.length], fit.dtype);
  }
}

/** Options of LinearRegressionGD. */
export interface LinearRegressionGDOptions {
  /** Fit an intercept (default true). */
  fitIntercept?: boolean;
  /** Step size (default 0.01); must be below 2 / the largest eigenvalue of X^T X / n to converge. */
  lr?: number;
  /** Most gradient steps (default 1000). */
  maxIter?: number;
  /** Stop when every gradient entry is at most this in size (default 1e-6). */
  tol?: number;
}

/**
 * Least squares by full-batch gradient descent on L = 1/(2n) ||X w + b - y||^2: w -= lr X^T r / n,
 * b -= lr mean(r); with sample weights L = sum_i w_i r_i^2 / (2 sum_i w_i). Converges to LinearRegression's solution for a small enough `lr` (standardize features
 * first); a diverging run is a ValueError telling you to lower lr. `lossHistory` holds L before each step.
 */
export class LinearRegressionGD extends LinearModel {
  /** Step size. */
  readonly lr: number;
  /** Most steps. */
  readonly maxIter: number;
  /** Gradient tolerance. */
  readonly tol: number;
  /** The estimator's name in messages. */
  protected readonly name: string = 'LinearRegressionGD';
  /** The loss 1/(2n) ||r||^2 before each step of the last fit. */
  lossHistory: number[] = [];
  /** Number of steps the last fit took. */
  nIter = 0;
  /** Whether the last fit met the gradient tolerance within maxIter. */
  converged = false;

  /** A gradient-descent linear regression with the given options. */
  constructor(opts: LinearRegressionGDOptions = {}) {
    super(opts);
    const where = 'LinearRegressionGD';
    this.lr = checkNumberOpt(where, 'lr', opts.lr ?? 0.01, 0, true);
    this.maxIter = checkIntOpt(where, 'maxIter', opts.maxIter ?? 1000, 1);
    this.tol = checkNumberOpt(where, 'tol', opts.tol ?? 1e-6, 0);
  }

  /** Gradient descent from zero on the raw (uncentered) data. */
  protected fitLinear(x: CheckedX, y: CheckedY, sw?: Float64Array): LinearFit {
    const wsum = sw ? sw.reduce((a, b) => a + b, 0) : x.rows;
    const { rows: n, cols: d, data: X } = x;
    const t = y.cols;
    const Y = y.data;
    const w = new Float64Array(d * t); // d x t
    const b = new Float64Array(t);
    const r = new Float64Array(n * t);
    const gw = new Float64Array(d * t);
    const gb = new Float64Array(t);
    this.lossHistory = [];
    this.converged = false;
    let it = 0;
    for (; it < this.maxIter; it++) {
      let loss = 0;
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < t; k++) {
          let s = b[k] - Y[i * t + k];
          for (let j = 0; j < d; j++) s += X[i * d + j] * w[j * t + k];
          r[i * t + k] = s;
          loss += (sw ? sw[i] : 1) * s * s;
        }
      }
      loss /= 2 * wsum;
      if (!Number.isFinite(loss)) {
        throw new ValueError(`LinearRegressionGD.fit: gradient descent diverged at step ${it} (loss ${loss}); lower lr (now ${this.lr}) or standardize the features`);
      }
      this.lossHistory.push(loss);
      gw.fill(0);
      gb.fill(0);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < t; k++) {
          const ri = (sw ? sw[i] : 1) * r[i * t + k];
          if (this.fitIntercept) gb[k] += ri;
          for (let j = 0; j < d; j++) gw[j * t + k] += X[i * d + j] * ri;
        }
      }
      let gmax = 0;
      for (let q = 0; q < gw.length; q++) gmax = Math.max(gmax, Math.abs((gw[q] /= wsum)));
      for (let k = 0; k < t; k++) gmax = Math.max(gmax, Math.abs((gb[k] /= wsum)));
      if (gmax <= this.tol) {
        this.converged = true;
        break;
      }
      for (let q = 0; q < w.length; q++) w[q] -= this.lr * gw[q];
      for (let k = 0; k < t; k++) b[k] -= this.lr * gb[k];
    }
    this.nIter = it;
    const coef = new Float64Array(t * d);
    for (let k = 0; k < t; k++) for (let j = 0; j < d; j++) coef[k * d + j] = w[j * t + k];
    return { coef, intercept: b, nFeatures: d, nTargets: t, vector: y.vector, dtype: x.dtype };
  }
}

/** Options of LogLinearRegression. */
export interface LogLinearRegressionOptions extends LinearRegressionOptions {}

/**
 * Log-linear (exponential) regression: ordinary least squares on log y, so y ≈ exp(X w + b) — growth and
 * decay curves, multiplicative effects. Every y must be positive (ValueError otherwise). `coef` and
 * `intercept` are on the log scale; `predict` returns exp of the linear part, `predictLog` the linear part,
 * and `score` is R^2 on the original scale of y.
 */
export class LogLinearRegression extends LinearRegression {
  /** The estimator's name in messages. */
  protected override readonly name: string = 'LogLinearRegression';

  /** A log-linear regression; options as LinearRegression's. */
  constructor(opts: LogLinearRegressionOptions = {}) {
    super(opts);
  }

  /** Fits log y = X w + b; y [n] or [n, t] must be positive; optional `sampleWeight` [n]. Returns this. */
  override fit(X: Tensor, y: Tensor, opts?: FitOptions): this {
    const where = `${this.name}.fit`;
    const x = checkX(where, X);
    const yy = checkY(where, y, X.shape);
    const sw = fitOptions(where, opts, x.rows);
    const logY = new Float64Array(yy.data.length);
    for (let i = 0; i < logY.length; i++) {
      const v = yy.data[i];
      if (!(v > 0)) throw new ValueError(`${where}: y must be positive to take its log, got ${v} at flat index ${i}`);
      logY[i] = Math.log(v);
    }
    this.fitted = this.fitLinear(x, { ...yy, data: logY }, sw);
    return this;
  }

  /** X w + b, the prediction of log y: [n] or [n, t]. */
  predictLog(X: Tensor): Tensor {
    return super.predict(X);
  }

  /** exp(X w + b), the prediction of y: [n] or [n, t]. */
  override predict(X: Tensor): Tensor {
    const fit = this.model('predict');
    const x = checkX(`${this.name}.predict`, X, { nFeatures: fit.nFeatures });
    const out = predictHost(fit, x.data, x.rows).map(Math.exp);
    return toTensor(out, fit.vector ? [x.rows] : [x.rows, fit.nTargets], x.dtype);
  }

  /** R^2 of exp(X w + b) against y, on y's original scale. */
  override score(X: Tensor, y: Tensor): number {
    const fit = this.model('score');
    const x = checkX(`${this.name}.score`, X, { nFeatures: fit.nFeatures, minSamples: 2 });
    const yy = checkY(`${this.name}.score`, y, X.shape);
    return r2Mean(yy.data, predictHost(fit, x.data, x.rows).map(Math.exp), yy.cols);
  }
}
