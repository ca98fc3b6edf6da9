/**
 * Logistic regression by maximum likelihood, after sklearn.linear_model.LogisticRegression: binary (sigmoid)
 * for two classes, multinomial (softmax) for more, with sklearn's penalty convention — minimize
 * sum_i s_i loss_i + (1/C) (l1Ratio ||W||_1 + (1 - l1Ratio) / 2 ||W||^2), the intercept unpenalized, s the
 * sample times class weights — fitted by L-BFGS, Newton's method (IRLS), plain gradient descent, or (for the
 * L1 and elastic-net penalties) accelerated proximal gradient. The large products X W^T and R^T X run as
 * tensor matmuls, so MNIST-sized data is fine for 'lbfgs', 'gd' and 'proximal'; 'newton' builds the
 * (K(d+1))^2 Hessian and suits small problems.
 * @module
 */
import { ValueError } from '../errors.js';
import { matmul } from '../ops/matmul.js';
import { t as transpose } from '../ops/movement.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { type FitOptions, checkChoice, checkIntOpt, checkLabels, checkNumberOpt, checkXTensor, fitOptions, notFitted, toTensor } from './base.js';
import {
  type ClassWeight, type LogisticPenalty, type LogisticSettings, type LogisticSolver, classWeightsOf, fitLogistic, logSumExp, probabilities, softplus,
} from './logistic-fit.js';

/** Options of LogisticRegression. */
export interface LogisticRegressionOptions {
  /** Inverse penalty strength (default 1): smaller C, stronger penalty, e.g. L2 ||W||^2 / (2C). */
  C?: number;
  /**
   * 'l2' (default), 'l1' (||W||_1 / C: sparse coefficients), 'elasticnet' (l1Ratio of L1, the rest L2) or
   * 'none' (pure maximum likelihood; may diverge on separable data).
   */
  penalty?: LogisticPenalty;
  /** Share of L1 in the 'elasticnet' penalty, in [0, 1] (required there, refused with other penalties). */
  l1Ratio?: number;
  /** Weights of the classes: 'balanced' (n / (K count_k)) or a weight per label value; multiplies sampleWeight. */
  classWeight?: ClassWeight;
  /** Fit an unpenalized intercept per class (default true). */
  fitIntercept?: boolean;
  /**
   * 'lbfgs' (default for 'l2'/'none', as sklearn), 'newton' (Newton/IRLS with line search), 'gd' (gradient
   * descent) or 'proximal' (accelerated proximal gradient; default and required for 'l1' and 'elasticnet').
   */
  solver?: LogisticSolver;
  /** Most iterations (default 100, as sklearn; 1000 for 'proximal', whose iterations are cheaper first-order steps). */
  maxIter?: number;
  /** Stop when the largest entry of the gradient of the mean objective is at most tol (default 1e-4). */
  tol?: number;
  /** Step size of the 'gd' solver on the mean objective (default 0.1). */
  lr?: number;
}

interface LogisticState {
  classes: number[];
  labelDType: Tensor['dtype'];
  rows: number; // 1 (binary) or K
  d: number;
  coef: Float64Array; // rows x d
  intercept: Float64Array; // rows
  dtype: 'float32' | 'float64';
}

/**
 * Logistic regression: P(y = 1 | x) = sigmoid(w.x + b) for two classes, P(y = k | x) = softmax(W x + b)_k for
 * more. Labels may be any numbers (int32 class indices typically); `classes` lists them ascending.
 * `coef` is [1, d] for two classes and [K, d] otherwise (sklearn's shapes); multinomial coefficients and
 * intercepts are centered to sum to zero over the classes, which fixes the softmax's free constant.
 */
export class LogisticRegression {
  /** Inverse penalty strength. */
  readonly C: number;
  /** The penalty. */
  readonly penalty: LogisticPenalty;
  /** Share of L1 in the penalty (1 for 'l1', 0 for 'l2' and 'none'). */
  readonly l1Ratio: number;
  /** Class weights, if any. */
  readonly classWeight: ClassWeight | undefined;
  /** Whether intercepts are fitted. */
  readonly fitIntercept: boolean;
  /** The solver. */
  readonly solver: LogisticSolver;
  /** Most iterations. */
  readonly maxIter: number;
  /** Gradient tolerance. */
  readonly tol: number;
  /** Step size of 'gd'. */
  readonly lr: number;
  /** Iterations the last fit took. */
  nIter = 0;
  /** Whether the last fit met its tolerance within maxIter. */
  converged = false;
  /** The objective over n, (sum_i s_i loss_i + penalty) / n, at the start and after each iteration of the last fit. */
  lossHistory: number[] = [];
  private state: LogisticState | undefined;

  /** A logistic regression with the given options. */
  constructor(opts: LogisticRegressionOptions = {}) {
    const where = 'LogisticRegression';
    const s = logisticSettings(where, opts);
    this.C = s.C;
    this.penalty = s.penalty;
    this.l1Ratio = s.l1Ratio;
    this.fitIntercept = s.fitIntercept;
    this.solver = s.solver;
    this.maxIter = s.maxIter;
    this.tol = s.tol;
    this.lr = s.lr;
    this.classWeight = checkClassWeight(where, opts.classWeight);
  }

  /** Fits to X [n, d] and class labels y [n] (at least two distinct values), optionally with `sampleWeight` [n]; returns this. */
  fit(X: Tensor, y: Tensor, opts?: FitOptions): this {
    const where = 'LogisticRegression.fit';
    const x = checkXTensor(where, X);
    const labels = checkLabels(where, y, X.shape);
    const sw = fitOptions(where, opts, x.shape[0]);
    const cw = classWeightsOf(where, this.classWeight, labels);
    const w = sw && cw ? sw.map((v, i) => v * cw[i]) : sw ?? cw;
    const xd = x.dtype === 'float64' ? x : x.double();
    const K = labels.classes.length;
    const res = fitLogistic(where, xd, labels.index, K, w, this);
    this.nIter = res.nIter;
    this.converged = res.converged;
    this.lossHistory = res.history;
    this.state = {
      classes: labels.classes, labelDType: labels.dtype, rows: K === 2 ? 1 : K, d: x.shape[1], coef: res.coef, intercept: res.intercept,
      dtype: x.dtype === 'float32' ? 'float32' : 'float64',
    };
    return this;
  }

  private fitted(method: string): LogisticState {
    if (!this.state) throw notFitted(`LogisticRegression.${method}`, 'LogisticRegression');
    return this.state;
  }

  /** Host scores X W^T + b, n x rows. */
  private scores(method: string, X: Tensor): { z: Float64Array; n: number; s: LogisticState; dtype: 'float32' | 'float64' } {
    const s = this.fitted(method);
    const x = checkXTensor(`LogisticRegression.${method}`, X, { nFeatures: s.d });
    const xd = x.dtype === 'float64' ? x : x.double();
    const w = transpose(tensor(s.coef, { shape: [s.rows, s.d], dtype: 'float64' }));
    const z = Float64Array.from(matmul(xd, w).toTypedArray());
    const n = x.shape[0];
    for (let i = 0; i < n; i++) for (let k = 0; k < s.rows; k++) z[i * s.rows + k] += s.intercept[k];
    return { z, n, s, dtype: x.dtype === 'float32' ? 'float32' : 'float64' };
  }

  /** Decision scores: w.x + b [n] for two classes (positive means classes[1]), W x + b [n, K] for more. */
  decisionFunction(X: Tensor): Tensor {
    const { z, n, s, dtype } = this.scores('decisionFunction', X);
    return toTensor(z, s.rows === 1 ? [n] : [n, s.rows], dtype);
  }

  /** Class probabilities [n, K], columns in the order of `classes`. */
  predictProba(X: Tensor): Tensor {
    const { z, n, s, dtype } = this.scores('predictProba', X);
    return toTensor(probabilities(z, n, s.rows), [n, s.classes.length], dtype);
  }

  /** Log class probabilities [n, K]. */
  predictLogProba(X: Tensor): Tensor {
    const { z, n, s, dtype } = this.scores('predictLogProba', X);
    const K = s.classes.length;
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) {
      if (s.rows === 1) {
        const v = z[i];
        out[i * 2] = -softplus(v);
        out[i * 2 + 1] = -softplus(-v);
      } else {
        const lse = logSumExp(z, i * K, K);
        for (let k = 0; k < K; k++) out[i * K + k] = z[i * K + k] - lse;
      }
    }
    return toTensor(out, [n, K], dtype);
  }

  /** The most probable class of each sample [n], as values of `classes` (int32 when y was int32). */
  predict(X: Tensor): Tensor {
    const { z, n, s } = this.scores('predict', X);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (s.rows === 1) out[i] = s.classes[z[i] > 0 ? 1 : 0];
      else {
        let best = 0;
        for (let k = 1; k < s.rows; k++) if (z[i * s.rows + k] > z[i * s.rows + best]) best = k;
        out[i] = s.classes[best];
      }
    }
    return toTensor(out, [n], s.labelDType);
  }

  /** Accuracy of predict(X) against y. */
  score(X: Tensor, y: Tensor): number {
    const pred = this.predict(X).toTypedArray();
    const yy = checkLabels('LogisticRegression.score', y, X.shape, { minClasses: 1 });
    let hit = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === yy.classes[yy.index[i]]) hit++;
    return hit / pred.length;
  }

  /** The class labels, ascending (sklearn's classes_). */
  get classes(): number[] {
    return [...this.fitted('classes').classes];
  }

  /** Coefficients (sklearn's coef_): [1, d] for two classes, [K, d] for more. */
  get coef(): Tensor {
    const s = this.fitted('coef');
    return toTensor(s.coef, [s.rows, s.d], s.dtype);
  }

  /** Intercepts (sklearn's intercept_): [1] or [K]; zeros without fitIntercept. */
  get intercept(): Tensor {
    const s = this.fitted('intercept');
    return toTensor(s.intercept, [s.rows], s.dtype);
  }

  /** Number of features seen in fit. */
  get nFeaturesIn(): number {
    return this.fitted('nFeaturesIn').d;
  }
}


/** Reads and checks the options LogisticRegression and LogisticRegressionCV share (C aside). */
export function logisticSettings(where: string, opts: Omit<LogisticRegressionOptions, 'classWeight'>): LogisticSettings {
  const penalty = checkChoice(where, 'penalty', opts.penalty ?? 'l2', ['l2', 'l1', 'elasticnet', 'none'] as const);
  const l1 = penalty === 'l1' || penalty === 'elasticnet';
  const solver = checkChoice(where, 'solver', opts.solver ?? (l1 ? 'proximal' : 'lbfgs'), ['lbfgs', 'newton', 'gd', 'proximal'] as const);
  if (l1 && solver !== 'proximal') throw new ValueError(`${where}: penalty '${penalty}' needs solver 'proximal' (its L1 part is not smooth), got '${solver}'`);
  let l1Ratio = penalty === 'l1' ? 1 : 0;
  if (penalty === 'elasticnet') {
    if (opts.l1Ratio === undefined) throw new ValueError(`${where}: penalty 'elasticnet' needs l1Ratio, a number in [0, 1]`);
    l1Ratio = checkNumberOpt(where, 'l1Ratio', opts.l1Ratio, 0);
    if (l1Ratio > 1) throw new ValueError(`${where}: l1Ratio must be in [0, 1], got ${l1Ratio}`);
  } else if (opts.l1Ratio !== undefined) {
    throw new ValueError(`${where}: l1Ratio is used only with penalty 'elasticnet', got penalty '${penalty}'`);
  }
  const fitIntercept = opts.fitIntercept ?? true;
  if (typeof fitIntercept !== 'boolean') throw new ValueError(`${where}: fitIntercept must be a boolean, got ${String(fitIntercept)}`);
  return {
    C: checkNumberOpt(where, 'C', opts.C ?? 1, 0, true),
    penalty,
    l1Ratio,
    fitIntercept,
    solver,
    maxIter: checkIntOpt(where, 'maxIter', opts.maxIter ?? (solver === 'proximal' ? 1000 : 100), 1),
    tol: checkNumberOpt(where, 'tol', opts.tol ?? 1e-4, 0),
    lr: checkNumberOpt(where, 'lr', opts.lr ?? 0.1, 0, true),
  };
}

/** Checks the form of classWeight: 'balanced', a Map or a plain object of label -> weight. */
export function checkClassWeight(where: string, cw: unknown): ClassWeight | undefined {
  if (cw === undefined || cw === 'balanced' || cw instanceof Map) return cw as ClassWeight | undefined;
  if (cw !== null && typeof cw === 'object' && !Array.isArray(cw)) return cw as Record<number, number>;
  throw new ValueError(`${where}: classWeight must be 'balanced' or a map from label to weight, got ${JSON.stringify(cw)}`);
}
