/**
 * Logistic regression by maximum likelihood, after sklearn.linear_model.LogisticRegression: binary (sigmoid)
 * for two classes, multinomial (softmax) for more, with sklearn's L2 convention — minimize
 * sum_i loss_i + ||W||^2 / (2C), the intercept unpenalized — fitted by L-BFGS, Newton's method (IRLS) or
 * plain gradient descent. The large products X W^T and R^T X run as tensor matmuls, so MNIST-sized data is fine
 * for 'lbfgs' and 'gd'; 'newton' builds the (K(d+1))^2 Hessian and suits small problems.
 * @module
 */
import { ValueError } from '../errors.js';
import { matmul } from '../ops/matmul.js';
import { t as transpose } from '../ops/movement.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CheckedLabels, checkChoice, checkIntOpt, checkLabels, checkNumberOpt, checkXTensor, notFitted, toTensor } from './base.js';
import { cholSolveHost } from './host.js';
import { type MinimizeResult, gradientDescent, lbfgs, newton } from './optimize.js';

/** Options of LogisticRegression. */
export interface LogisticRegressionOptions {
  /** Inverse penalty strength (default 1): smaller C, stronger L2 penalty ||W||^2 / (2C). */
  C?: number;
  /** 'l2' (default) or 'none' (pure maximum likelihood; may diverge on separable data). */
  penalty?: 'l2' | 'none';
  /** Fit an unpenalized intercept per class (default true). */
  fitIntercept?: boolean;
  /** 'lbfgs' (default, as sklearn), 'newton' (Newton/IRLS with line search) or 'gd' (gradient descent). */
  solver?: 'lbfgs' | 'newton' | 'gd';
  /** Most iterations (default 100, as sklearn). */
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
  /** 'l2' or 'none'. */
  readonly penalty: 'l2' | 'none';
  /** Whether intercepts are fitted. */
  readonly fitIntercept: boolean;
  /** The solver. */
  readonly solver: 'lbfgs' | 'newton' | 'gd';
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
  /** The mean objective sum_i loss_i / n + ||W||^2 / (2Cn) at the start and after each iteration of the last fit. */
  lossHistory: number[] = [];
  private state: LogisticState | undefined;

  /** A logistic regression with the given options. */
  constructor(opts: LogisticRegressionOptions = {}) {
    const where = 'LogisticRegression';
    this.C = checkNumberOpt(where, 'C', opts.C ?? 1, 0, true);
    this.penalty = checkChoice(where, 'penalty', opts.penalty ?? 'l2', ['l2', 'none'] as const);
    this.fitIntercept = opts.fitIntercept ?? true;
    this.solver = checkChoice(where, 'solver', opts.solver ?? 'lbfgs', ['lbfgs', 'newton', 'gd'] as const);
    this.maxIter = checkIntOpt(where, 'maxIter', opts.maxIter ?? 100, 1);
    this.tol = checkNumberOpt(where, 'tol', opts.tol ?? 1e-4, 0);
    this.lr = checkNumberOpt(where, 'lr', opts.lr ?? 0.1, 0, true);
  }

  /** Fits to X [n, d] and class labels y [n] (at least two distinct values); returns this. */
  fit(X: Tensor, y: Tensor): this {
    const where = 'LogisticRegression.fit';
    const x = checkXTensor(where, X);
    const labels = checkLabels(where, y, X.shape);
    const [n, d] = x.shape;
    const K = labels.classes.length;
    const rows = K === 2 ? 1 : K;
    const xd = x.dtype === 'float64' ? x : x.double();
    const invC = this.penalty === 'none' ? 0 : 1 / this.C;
    const nb = this.fitIntercept ? rows : 0;
    const size = rows * d + nb;
    const fun = objective(xd, labels, rows, d, nb, invC);
    const x0 = new Float64Array(size);
    // stop on the gradient test alone (no relative-decrease test), so tol means what it says
    const opts = { maxIter: this.maxIter, gtol: this.tol, ftol: 0 };
    let res: MinimizeResult;
    if (this.solver === 'lbfgs') res = lbfgs(fun, x0, opts);
    else if (this.solver === 'gd') res = gradientDescent(fun, x0, { ...opts, lr: this.lr });
    else res = newton(fun, x0, newtonStep(xd.toTypedArray() as Float64Array, n, rows, d, nb, invC), opts);
    if (!res.history.every(Number.isFinite)) {
      throw new ValueError(`${where}: the objective became non-finite (solver '${this.solver}'); lower lr or standardize the features`);
    }
    const coef = res.x.slice(0, rows * d);
    const intercept = nb > 0 ? res.x.slice(rows * d) : new Float64Array(rows);
    if (rows > 1) {
      // softmax is unchanged by adding a constant per feature (and to the intercepts): take the centered one
      for (let j = 0; j < d; j++) {
        let m = 0;
        for (let k = 0; k < rows; k++) m += coef[k * d + j];
        m /= rows;
        for (let k = 0; k < rows; k++) coef[k * d + j] -= m;
      }
      const mb = intercept.reduce((a, b) => a + b, 0) / rows;
      for (let k = 0; k < rows; k++) intercept[k] -= mb;
    }
    this.nIter = res.nIter;
    this.converged = res.converged;
    this.lossHistory = res.history;
    this.state = { classes: labels.classes, labelDType: labels.dtype, rows, d, coef, intercept, dtype: x.dtype === 'float32' ? 'float32' : 'float64' };
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

function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

function logSumExp(z: Float64Array, off: number, k: number): number {
  let m = -Infinity;
  for (let j = 0; j < k; j++) m = Math.max(m, z[off + j]);
  let s = 0;
  for (let j = 0; j < k; j++) s += Math.exp(z[off + j] - m);
  return m + Math.log(s);
}

/** Probabilities n x K from scores n x rows (rows = 1: sigmoid into [1 - p, p]). */
function probabilities(z: Float64Array, n: number, rows: number): Float64Array {
  const K = rows === 1 ? 2 : rows;
  const p = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    if (rows === 1) {
      const v = z[i];
      const q = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      p[i * 2] = 1 - q;
      p[i * 2 + 1] = q;
    } else {
      const lse = logSumExp(z, i * K, K);
      for (let k = 0; k < K; k++) p[i * K + k] = Math.exp(z[i * K + k] - lse);
    }
  }
  return p;
}

/**
 * The mean penalized negative log-likelihood and its gradient over theta = [W (rows x d), b (nb)]:
 * (sum_i loss_i + invC ||W||^2 / 2) / n.
 */
function objective(x: Tensor, labels: CheckedLabels, rows: number, d: number, nb: number, invC: number) {
  const n = x.shape[0];
  const y = labels.index;
  return (theta: Float64Array, grad: Float64Array): number => {
    const w = theta.subarray(0, rows * d);
    const wt = transpose(tensor(w, { shape: [rows, d], dtype: 'float64' }));
    const z = Float64Array.from(matmul(x, wt).toTypedArray());
    const r = new Float64Array(n * rows);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      if (rows === 1) {
        const v = z[i] + (nb > 0 ? theta[rows * d] : 0);
        const yi = y[i];
        // -log p(y_i): softplus(v) - y v
        loss += softplus(v) - yi * v;
        const q = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
        r[i] = q - yi;
      } else {
        const o = i * rows;
        if (nb > 0) for (let k = 0; k < rows; k++) z[o + k] += theta[rows * d + k];
        const lse = logSumExp(z, o, rows);
        loss += lse - z[o + y[i]];
        for (let k = 0; k < rows; k++) r[o + k] = Math.exp(z[o + k] - lse);
        r[o + y[i]] -= 1;
      }
    }
    const gw = matmul(transpose(tensor(r, { shape: [n, rows], dtype: 'float64' })), x).toTypedArray();
    let pen = 0;
    for (let q = 0; q < rows * d; q++) {
      pen += w[q] * w[q];
      grad[q] = (gw[q] + invC * w[q]) / n;
    }
    if (nb > 0) {
      for (let k = 0; k < rows; k++) grad[rows * d + k] = 0;
      for (let i = 0; i < n; i++) for (let k = 0; k < rows; k++) grad[rows * d + k] += r[i * rows + k];
      for (let k = 0; k < rows; k++) grad[rows * d + k] /= n;
    }
    return (loss + 0.5 * invC * pen) / n;
  };
}

/**
 * Newton's step for the logistic objective: H p = -g with H = X~^T (diag(p) - p p^T) X~ / n + invC / n on the
 * weights (IRLS's weighted least squares for two classes). A tiny ridge keeps H positive-definite along the
 * softmax's free directions, where the gradient has no component.
 */
function newtonStep(xh: Float64Array, n: number, rows: number, d: number, nb: number, invC: number) {
  const d1 = d + (nb > 0 ? 1 : 0);
  const size = rows * d1;
  const pos = (k: number, a: number): number => (a < d ? k * d + a : rows * d + k);
  return (theta: Float64Array, g: Float64Array): Float64Array | null => {
    const h = new Float64Array(size * size);
    const z = new Float64Array(rows);
    const p = new Float64Array(rows);
    const xa = new Float64Array(d1);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) xa[a] = xh[i * d + a];
      if (nb > 0) xa[d] = 1;
      for (let k = 0; k < rows; k++) {
        let s = nb > 0 ? theta[rows * d + k] : 0;
        for (let a = 0; a < d; a++) s += theta[k * d + a] * xa[a];
        z[k] = s;
      }
      if (rows === 1) {
        const v = z[0];
        p[0] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      } else {
        const lse = logSumExp(z, 0, rows);
        for (let k = 0; k < rows; k++) p[k] = Math.exp(z[k] - lse);
      }
      for (let k = 0; k < rows; k++) {
        for (let l = k; l < rows; l++) {
          const c = rows === 1 ? p[0] * (1 - p[0]) : (k === l ? p[k] : 0) - p[k] * p[l];
          if (c === 0) continue;
          for (let a = 0; a < d1; a++) {
            const ca = c * xa[a];
            if (ca === 0) continue;
            const ra = (k * d1 + a) * size + l * d1;
            for (let b = 0; b < d1; b++) h[ra + b] += ca * xa[b];
          }
        }
      }
    }
    // mirror the upper block triangle (blocks k < l) into the lower one, and scale
    for (let k = 0; k < rows; k++) {
      for (let l = k + 1; l < rows; l++) {
        for (let a = 0; a < d1; a++) for (let b = 0; b < d1; b++) h[(l * d1 + b) * size + k * d1 + a] = h[(k * d1 + a) * size + l * d1 + b];
      }
    }
    let big = 0;
    for (let q = 0; q < size * size; q++) h[q] /= n;
    for (let k = 0; k < rows; k++) for (let a = 0; a < d; a++) h[(k * d1 + a) * size + k * d1 + a] += invC / n;
    for (let q = 0; q < size; q++) big = Math.max(big, h[q * size + q]);
    for (let q = 0; q < size; q++) h[q * size + q] += 1e-12 * big + 1e-300;
    // H is in (k, a) order; the gradient is in theta's [W, b] order
    const rhs = new Float64Array(size);
    for (let k = 0; k < rows; k++) for (let a = 0; a < d1; a++) rhs[k * d1 + a] = -g[pos(k, a)];
    const sol = cholSolveHost(h, size, rhs, 1);
    if (!sol) return null;
    const step = new Float64Array(g.length);
    for (let k = 0; k < rows; k++) for (let a = 0; a < d1; a++) step[pos(k, a)] = sol[k * d1 + a];
    return step;
  };
}
