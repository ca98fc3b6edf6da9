/**
 * Logistic regression with C chosen by cross-validation, after sklearn.linear_model.LogisticRegressionCV:
 * stratified k folds (sklearn's StratifiedKFold without shuffling), on each training part the path over Cs
 * (ascending, warm-started), scored by held-out accuracy; the C with the best total over the folds (the
 * first on ties) is refitted on all the data.
 * @module
 */
import { ValueError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { type FitOptions, checkIntOpt, checkLabels, checkNumberOpt, checkXTensor, fitOptions, notFitted, toTensor } from './base.js';
import { LogisticRegression, type LogisticRegressionOptions, checkClassWeight, logisticSettings } from './logistic.js';
import { type ClassWeight, type LogisticSettings, classWeightsOf, fitLogistic } from './logistic-fit.js';
import { stratifiedKFold, takeRows } from './model-selection.js';

/** Options of LogisticRegressionCV: LogisticRegression's without C, plus the grid and the folds. */
export interface LogisticRegressionCVOptions extends Omit<LogisticRegressionOptions, 'C'> {
  /** The candidate Cs, or a count n for n values log-spaced over [1e-4, 1e4] (default 10, sklearn's). */
  Cs?: number | readonly number[];
  /** Number of stratified folds (default 5). */
  cv?: number;
}

/** Held-out accuracy of a fitted coefficient block on rows (class indices y). */
function accuracy(x: Float64Array, y: Int32Array, d: number, rows: number, coef: Float64Array, intercept: Float64Array): number {
  const m = y.length;
  let hit = 0;
  for (let i = 0; i < m; i++) {
    let best = 0;
    let bestZ = -Infinity;
    for (let k = 0; k < rows; k++) {
      let z = intercept[k];
      for (let j = 0; j < d; j++) z += coef[k * d + j] * x[i * d + j];
      if (z > bestZ) {
        bestZ = z;
        best = k;
      }
    }
    const pred = rows === 1 ? (bestZ > 0 ? 1 : 0) : best;
    if (pred === y[i]) hit++;
  }
  return hit / m;
}

/**
 * Logistic regression whose C is picked by stratified k-fold cross-validation on accuracy, then refitted
 * (sklearn's LogisticRegressionCV with refit=True and its default scoring). After fit: `C` (the chosen one),
 * `Cs`, `scores` [nFolds, nCs], and LogisticRegression's predict, predictProba, decisionFunction, score,
 * coef, intercept and classes (from the refitted model).
 */
export class LogisticRegressionCV {
  /** The candidate Cs, in the order tried. */
  readonly Cs: number[];
  /** Number of folds. */
  readonly cv: number;
  /** Class weights, if any. */
  readonly classWeight: ClassWeight | undefined;
  private readonly settings: LogisticSettings;
  private readonly options: Omit<LogisticRegressionOptions, 'C'>;
  private fitted: { model: LogisticRegression; C: number; scores: Float64Array } | undefined;

  /** A LogisticRegressionCV with the given options. */
  constructor(opts: LogisticRegressionCVOptions = {}) {
    const where = 'LogisticRegressionCV';
    const { Cs, cv, classWeight, ...rest } = opts;
    const grid = Cs ?? 10;
    if (typeof grid === 'number') {
      const n = checkIntOpt(where, 'Cs', grid, 1);
      this.Cs = Array.from({ length: n }, (_, i) => 10 ** (n === 1 ? -4 : -4 + (8 * i) / (n - 1)));
    } else {
      if (!Array.isArray(grid) || grid.length === 0) throw new ValueError(`${where}: Cs must be a count or a non-empty array of numbers > 0`);
      this.Cs = grid.map((c, i) => checkNumberOpt(where, `Cs[${i}]`, c, 0, true));
    }
    this.cv = checkIntOpt(where, 'cv', cv ?? 5, 2);
    this.settings = logisticSettings(where, rest);
    this.classWeight = checkClassWeight(where, classWeight);
    this.options = { ...rest, classWeight: this.classWeight };
  }

  /** Cross-validates every C on X [n, d] and class labels y [n] (optionally sample-weighted), refits the best; returns this. */
  fit(X: Tensor, y: Tensor, opts?: FitOptions): this {
    const where = 'LogisticRegressionCV.fit';
    const x = checkXTensor(where, X);
    const labels = checkLabels(where, y, X.shape);
    const sw = fitOptions(where, opts, x.shape[0]);
    const cw = classWeightsOf(where, this.classWeight, labels);
    const w = sw && cw ? sw.map((v, i) => v * cw[i]) : sw ?? cw;
    const [, d] = x.shape;
    const K = labels.classes.length;
    const rows = K === 2 ? 1 : K;
    const xh = Float64Array.from(x.toTypedArray());
    const splits = stratifiedKFold(labels.index, this.cv, where);
    const scores = new Float64Array(splits.length * this.Cs.length);
    splits.forEach((sp, f) => {
      const xTrain = tensor(takeRows(xh, d, sp.train), { shape: [sp.train.length, d], dtype: 'float64' });
      const yTrain = Int32Array.from(sp.train, (i) => labels.index[i]);
      const wTrain = w && Float64Array.from(sp.train, (i) => w[i]);
      const xTest = takeRows(xh, d, sp.test);
      const yTest = Int32Array.from(sp.test, (i) => labels.index[i]);
      if (new Set(yTrain).size < K) throw new ValueError(`${where}: a training fold lacks a class; use fewer folds (cv = ${this.cv})`);
      let warm: Float64Array | undefined;
      this.Cs.forEach((C, ci) => {
        const res = fitLogistic(where, xTrain, yTrain, K, wTrain, { ...this.settings, C }, warm);
        warm = res.theta;
        scores[f * this.Cs.length + ci] = accuracy(xTest, yTest, d, rows, res.coef, res.intercept);
      });
    });
    let best = 0;
    let bestTotal = -Infinity;
    for (let ci = 0; ci < this.Cs.length; ci++) {
      let tot = 0;
      for (let f = 0; f < splits.length; f++) tot += scores[f * this.Cs.length + ci];
      if (tot > bestTotal) {
        bestTotal = tot;
        best = ci;
      }
    }
    const C = this.Cs[best];
    const model = new LogisticRegression({ ...this.options, C }).fit(X, y, opts);
    this.fitted = { model, C, scores };
    return this;
  }

  private state(method: string): { model: LogisticRegression; C: number; scores: Float64Array } {
    if (!this.fitted) throw notFitted(`LogisticRegressionCV.${method}`, 'LogisticRegressionCV');
    return this.fitted;
  }

  /** The chosen C (sklearn's C_, one value for all classes). */
  get C(): number {
    return this.state('C').C;
  }

  /** Held-out accuracy of each C on each fold [nFolds, nCs] (float64; sklearn's scores_ of any class). */
  get scores(): Tensor {
    const s = this.state('scores');
    return toTensor(s.scores, [s.scores.length / this.Cs.length, this.Cs.length], 'float64');
  }

  /** The model refitted with the chosen C. */
  get bestEstimator(): LogisticRegression {
    return this.state('bestEstimator').model;
  }

  /** The refitted model after checking X under this estimator's name, so messages name LogisticRegressionCV. */
  private checked(method: string, X: Tensor): LogisticRegression {
    const model = this.state(method).model;
    checkXTensor(`LogisticRegressionCV.${method}`, X, { nFeatures: model.nFeaturesIn });
    return model;
  }

  /** Class predictions [n] of the refitted model. */
  predict(X: Tensor): Tensor {
    return this.checked('predict', X).predict(X);
  }

  /** Class probabilities [n, K] of the refitted model. */
  predictProba(X: Tensor): Tensor {
    return this.checked('predictProba', X).predictProba(X);
  }

  /** Decision scores of the refitted model: [n] for two classes, [n, K] for more. */
  decisionFunction(X: Tensor): Tensor {
    return this.checked('decisionFunction', X).decisionFunction(X);
  }

  /** Accuracy of the refitted model on X, y. */
  score(X: Tensor, y: Tensor): number {
    return this.checked('score', X).score(X, y);
  }

  /** Coefficients of the refitted model: [1, d] or [K, d]. */
  get coef(): Tensor {
    return this.state('coef').model.coef;
  }

  /** Intercepts of the refitted model: [1] or [K]. */
  get intercept(): Tensor {
    return this.state('intercept').model.intercept;
  }

  /** The class labels, ascending. */
  get classes(): number[] {
    return this.state('classes').model.classes;
  }
}
