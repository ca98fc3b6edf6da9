/**
 * Regularized regression with the penalty chosen by cross-validation, after sklearn's RidgeCV and LassoCV:
 * RidgeCV by exact leave-one-out errors from one SVD (sklearn's default, efficient GCV mode) or by k folds
 * scored with R^2; LassoCV by k consecutive folds (sklearn's KFold without shuffling), the lasso path fitted
 * on each training part and scored by the mean squared error of its held-out part. Both then refit on all
 * the data with the chosen alpha.
 * @module
 */
import { LinAlgError, ValueError } from '../errors.js';
import { svdHost } from '../linalg/host-svd.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CheckedX, type CheckedY, checkIntOpt, checkNumberOpt, toTensor } from './base.js';
import { type LinearFit, LinearModel, centerData, linearFitFrom, predictHost } from './linear.js';
import { r2Mean } from './metrics.js';
import { type Split, kFold, takeRows } from './model-selection.js';
import { type EnetSettings, alphaGrid, checkAlphas, enetSettings, enetSolve, normalizedWeights } from './regularized.js';
import { ridgeSolve } from './ridge.js';

/** The rows `idx` of a checked X and y (and weights) as a new problem. */
function subset(x: CheckedX, y: CheckedY, sw: Float64Array | undefined, idx: Int32Array): { x: CheckedX; y: CheckedY; sw?: Float64Array } {
  const xs: CheckedX = { ...x, data: takeRows(x.data, x.cols, idx), rows: idx.length };
  const ys: CheckedY = { ...y, data: takeRows(y.data, y.cols, idx), rows: idx.length };
  return { x: xs, y: ys, sw: sw && Float64Array.from(idx, (i) => sw[i]) };
}

/** Options of RidgeCV. */
export interface RidgeCVOptions {
  /** Candidate penalties, all > 0 (default [0.1, 1, 10], sklearn's). */
  alphas?: readonly number[];
  /** Fit an (unpenalized) intercept (default true). */
  fitIntercept?: boolean;
  /** Undefined (default): efficient leave-one-out, scored by mean squared error; k: k folds scored by R^2. */
  cv?: number;
}

/**
 * Ridge regression with alpha chosen by cross-validation (sklearn.linear_model.RidgeCV). Without `cv`, the
 * leave-one-out residuals of every alpha come from one SVD of the centered X: e_i = r_i / (1 - h_ii) with the
 * hat matrix of ridge plus an unpenalized intercept (sample-weighted as sklearn); `bestScore` is minus the
 * mean squared LOO error. With `cv` = k, k consecutive folds scored by R^2 (sklearn's GridSearchCV).
 * After fit: `alpha` (the chosen one), `bestScore`, `cvScores` [nAlphas], and Ridge's coef/intercept/predict.
 */
export class RidgeCV extends LinearModel {
  /** The candidate penalties. */
  readonly alphas: number[];
  /** Number of folds, or undefined for leave-one-out. */
  readonly cv: number | undefined;
  /** The estimator's name in messages. */
  protected readonly name: string = 'RidgeCV';
  private chosen: { alpha: number; best: number; scores: number[] } | undefined;

  /** A RidgeCV with the given options. */
  constructor(opts: RidgeCVOptions = {}) {
    super(opts);
    const where = 'RidgeCV';
    this.alphas = checkAlphas(where, opts.alphas ?? [0.1, 1, 10]);
    this.alphas.forEach((a, i) => checkNumberOpt(where, `alphas[${i}]`, a, 0, true));
    this.cv = opts.cv === undefined ? undefined : checkIntOpt(where, 'cv', opts.cv, 2);
  }

  /** Scores every alpha, keeps the best (the first on ties), refits with it. */
  protected fitLinear(x: CheckedX, y: CheckedY, sw?: Float64Array): LinearFit {
    const where = `${this.name}.fit`;
    const scores = this.cv === undefined ? this.looScores(where, x, y, sw) : this.foldScores(where, kFold(x.rows, this.cv, where), x, y, sw);
    let best = 0;
    for (let a = 1; a < scores.length; a++) if (scores[a] > scores[best]) best = a;
    const alpha = this.alphas[best];
    const c = centerData(x, y, this.fitIntercept, sw);
    const [w] = ridgeSolve(where, c, x.rows, x.cols, y.cols, [alpha], 'svd');
    this.chosen = { alpha, best: scores[best], scores };
    return linearFitFrom(w, c, x, y);
  }

  /** Minus the mean squared leave-one-out error of each alpha (weight-scaled residuals, as sklearn). */
  private looScores(where: string, x: CheckedX, y: CheckedY, sw: Float64Array | undefined): number[] {
    const n = x.rows;
    const t = y.cols;
    const c = centerData(x, y, this.fitIntercept, sw);
    const { u, s, converged } = svdHost(c.x, n, x.cols, true);
    if (!converged) throw new LinAlgError(`${where}: the SVD did not converge; check the data for NaN or huge values`);
    const q = s.length;
    const uty = new Float64Array(q * t);
    for (let i = 0; i < n; i++) for (let j = 0; j < q; j++) for (let k = 0; k < t; k++) uty[j * t + k] += u[i * q + j] * c.y[i * t + k];
    // the intercept's direction sqrt(w) / ||sqrt(w)|| is orthogonal to the centered, scaled X: its leverage is w_i / sum w
    const wsum = sw ? sw.reduce((a, b) => a + b, 0) : n;
    return this.alphas.map((alpha) => {
      const f = Float64Array.from(s, (v) => (v * v) / (v * v + alpha));
      let sq = 0;
      for (let i = 0; i < n; i++) {
        let h = this.fitIntercept ? (sw ? sw[i] : 1) / wsum : 0;
        for (let j = 0; j < q; j++) h += f[j] * u[i * q + j] ** 2;
        for (let k = 0; k < t; k++) {
          let fit = 0;
          for (let j = 0; j < q; j++) fit += u[i * q + j] * f[j] * uty[j * t + k];
          sq += ((c.y[i * t + k] - fit) / (1 - h)) ** 2;
        }
      }
      return -sq / (n * t);
    });
  }

  /** Mean held-out R^2 of each alpha over the folds. */
  private foldScores(where: string, splits: Split[], x: CheckedX, y: CheckedY, sw: Float64Array | undefined): number[] {
    const total = new Float64Array(this.alphas.length);
    for (const sp of splits) {
      const tr = subset(x, y, sw, sp.train);
      const te = subset(x, y, undefined, sp.test);
      const c = centerData(tr.x, tr.y, this.fitIntercept, tr.sw);
      ridgeSolve(where, c, tr.x.rows, x.cols, y.cols, this.alphas, 'svd').forEach((w, a) => {
        const fit = linearFitFrom(w, c, tr.x, tr.y);
        total[a] += r2Mean(te.y.data, predictHost(fit, te.x.data, te.x.rows), y.cols);
      });
    }
    return Array.from(total, (v) => v / splits.length);
  }

  private result(method: string): { alpha: number; best: number; scores: number[] } {
    this.model(method);
    return this.chosen!;
  }

  /** The chosen penalty (sklearn's alpha_). */
  get alpha(): number {
    return this.result('alpha').alpha;
  }

  /** The chosen alpha's score: minus its mean squared LOO error, or its mean R^2 over the folds (sklearn's best_score_). */
  get bestScore(): number {
    return this.result('bestScore').best;
  }

  /** The score of every alpha, in the order of `alphas` [nAlphas] (float64). */
  get cvScores(): Tensor {
    const r = this.result('cvScores');
    return toTensor(r.scores, [r.scores.length], 'float64');
  }
}

/** Options of LassoCV. */
export interface LassoCVOptions {
  /** Candidate penalties (sorted descending); default: sklearn's grid of nAlphas from the data's alphaMax down. */
  alphas?: readonly number[];
  /** Size of the default grid (default 100). */
  nAlphas?: number;
  /** alphaMin / alphaMax of the default grid (default 1e-3). */
  eps?: number;
  /** Number of consecutive folds (default 5, sklearn's KFold without shuffling). */
  cv?: number;
  /** Fit an (unpenalized) intercept (default true). */
  fitIntercept?: boolean;
  /** Most coordinate-descent sweeps per alpha (default 1000). */
  maxIter?: number;
  /** Duality-gap tolerance, relative to ||y||^2 (default 1e-4). */
  tol?: number;
  /** Constrain the coefficients to be >= 0 (default false). */
  positive?: boolean;
}

/**
 * The lasso with alpha chosen by k-fold cross-validation (sklearn.linear_model.LassoCV): on each training
 * part (centered on its own, weighted, means) the warm-started lasso path over `alphas`, its mean squared
 * (weighted) error on the held-out part; the alpha of least mean error over the folds is refitted on all the
 * data. y must be 1-D. After fit: `alpha`, `alphas` (descending), `msePath` [nAlphas, nFolds], coef, intercept.
 */
export class LassoCV extends LinearModel {
  /** Fold count. */
  readonly cv: number;
  /** Coordinate-descent settings. */
  private readonly settings: EnetSettings;
  private readonly grid: { alphas?: number[]; nAlphas?: number; eps?: number };
  /** The estimator's name in messages. */
  protected readonly name: string = 'LassoCV';
  private chosen: { alpha: number; alphas: number[]; mse: Float64Array; folds: number } | undefined;

  /** A LassoCV with the given options. */
  constructor(opts: LassoCVOptions = {}) {
    super(opts);
    const where = 'LassoCV';
    this.settings = enetSettings(where, { ...opts, l1Ratio: 1 }, 1);
    this.cv = checkIntOpt(where, 'cv', opts.cv ?? 5, 2);
    this.grid = {
      alphas: opts.alphas === undefined ? undefined : checkAlphas(where, opts.alphas).sort((a, b) => b - a),
      nAlphas: checkIntOpt(where, 'nAlphas', opts.nAlphas ?? 100, 1),
      eps: checkNumberOpt(where, 'eps', opts.eps ?? 1e-3, 0, true),
    };
  }

  /** The k-fold search, then the refit. */
  protected fitLinear(x: CheckedX, y: CheckedY, sw?: Float64Array): LinearFit {
    const where = `${this.name}.fit`;
    if (!y.vector) throw new ValueError(`${where}: y must be 1-D [nSamples] (one target), got ${y.cols} target columns`);
    // sklearn's grid comes from the unweighted, centered data
    const alphas = this.grid.alphas ?? alphaGrid(where, centerData(x, y, this.fitIntercept), x.rows, x.cols, 1, 1, this.grid);
    const splits = kFold(x.rows, this.cv, where);
    const mse = new Float64Array(alphas.length * splits.length);
    splits.forEach((sp, f) => {
      const tr = subset(x, y, sw, sp.train);
      const te = subset(x, y, sw, sp.test);
      const c = centerData(tr.x, tr.y, this.fitIntercept, tr.sw && normalizedWeights(tr.sw));
      const path = enetSolve(c, tr.x.rows, x.cols, 1, alphas, this.settings);
      path.w.forEach((w, a) => {
        const pred = predictHost(linearFitFrom(w, c, tr.x, tr.y), te.x.data, te.x.rows);
        let num = 0;
        let den = 0;
        for (let i = 0; i < te.x.rows; i++) {
          const wi = te.sw ? te.sw[i] : 1;
          num += wi * (pred[i] - te.y.data[i]) ** 2;
          den += wi;
        }
        mse[a * splits.length + f] = num / den;
      });
    });
    let best = 0;
    let bestMse = Infinity;
    for (let a = 0; a < alphas.length; a++) {
      let m = 0;
      for (let f = 0; f < splits.length; f++) m += mse[a * splits.length + f];
      if (m / splits.length < bestMse) {
        bestMse = m / splits.length;
        best = a;
      }
    }
    const alpha = alphas[best];
    const c = centerData(x, y, this.fitIntercept, sw && normalizedWeights(sw));
    const r = enetSolve(c, x.rows, x.cols, 1, [alpha], this.settings);
    this.chosen = { alpha, alphas, mse, folds: splits.length };
    return linearFitFrom(r.w[0], c, x, y);
  }

  private result(method: string): { alpha: number; alphas: number[]; mse: Float64Array; folds: number } {
    this.model(method);
    return this.chosen!;
  }

  /** The chosen penalty (sklearn's alpha_). */
  get alpha(): number {
    return this.result('alpha').alpha;
  }

  /** The alphas tried, descending (sklearn's alphas_). */
  get alphas(): number[] {
    return [...this.result('alphas').alphas];
  }

  /** Held-out mean squared error of each alpha on each fold [nAlphas, nFolds] (sklearn's mse_path_). */
  get msePath(): Tensor {
    const r = this.result('msePath');
    return toTensor(r.mse, [r.alphas.length, r.folds], 'float64');
  }
}
