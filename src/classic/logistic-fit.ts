/**
 * The fitting core of logistic regression, shared by LogisticRegression and LogisticRegressionCV: the
 * (sample-weighted) penalized negative log-likelihood and its gradient, Newton's step, class weights, and
 * `fitLogistic`, which minimizes sum_i s_i loss_i + (1/C) (l1Ratio ||W||_1 + (1 - l1Ratio) / 2 ||W||^2)
 * (sklearn's convention, intercepts unpenalized) by L-BFGS, Newton, gradient descent or, for L1 and elastic-net
 * penalties, accelerated proximal gradient.
 * @module
 */
import { ValueError } from '../errors.js';
import { matmul } from '../ops/matmul.js';
import { t as transpose } from '../ops/movement.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CheckedLabels } from './base.js';
import { cholSolveHost } from './host.js';
import { type MinimizeResult, type Objective, gradientDescent, lbfgs, newton, proximalGradient } from './optimize.js';

/** The penalty on the coefficients: 'l2' (default), 'l1', 'elasticnet' (l1Ratio of L1) or 'none'. */
export type LogisticPenalty = 'l2' | 'l1' | 'elasticnet' | 'none';

/** The minimizer: 'lbfgs', 'newton' (IRLS), 'gd' (gradient descent) or 'proximal' (FISTA; needed for L1 parts). */
export type LogisticSolver = 'lbfgs' | 'newton' | 'gd' | 'proximal';

/** Class weights: 'balanced' (n / (K count_k), sklearn's) or a weight per label value (others weigh 1). */
export type ClassWeight = 'balanced' | Record<number, number> | Map<number, number>;

/** What fitLogistic needs to know besides the data. */
export interface LogisticSettings {
  /** Inverse penalty strength. */
  C: number;
  /** The penalty. */
  penalty: LogisticPenalty;
  /** Share of L1 in the penalty (used by 'elasticnet'). */
  l1Ratio: number;
  /** Fit unpenalized intercepts. */
  fitIntercept: boolean;
  /** The minimizer. */
  solver: LogisticSolver;
  /** Most iterations. */
  maxIter: number;
  /** Gradient (or gradient-mapping) tolerance on the objective over n. */
  tol: number;
  /** Step size of 'gd'. */
  lr: number;
}

/** A fitted logistic model: rows = 1 (two classes) or K. */
export interface LogisticFit {
  /** rows x d coefficients. */
  coef: Float64Array;
  /** rows intercepts (zeros without an intercept). */
  intercept: Float64Array;
  /** The minimizer's parameter vector [W, b], for warm starts. */
  theta: Float64Array;
  /** Iterations taken. */
  nIter: number;
  /** Whether the tolerance was met. */
  converged: boolean;
  /** Objective values (over n) at the start and after each iteration. */
  history: number[];
}

/**
 * Per-sample multipliers from class weights: 'balanced' gives n / (K count_k), a map gives its weight to
 * each listed label (a label not among the classes is a ValueError). Undefined without class weights.
 */
export function classWeightsOf(where: string, cw: ClassWeight | undefined, labels: CheckedLabels): Float64Array | undefined {
  if (cw === undefined) return undefined;
  const K = labels.classes.length;
  const n = labels.index.length;
  const perClass = new Float64Array(K).fill(1);
  if (cw === 'balanced') {
    const counts = new Float64Array(K);
    for (let i = 0; i < n; i++) counts[labels.index[i]]++;
    for (let k = 0; k < K; k++) perClass[k] = n / (K * counts[k]);
  } else {
    const entries: [number, number][] = cw instanceof Map ? [...cw.entries()] : Object.entries(cw).map(([k, v]) => [Number(k), v]);
    for (const [label, w] of entries) {
      const k = labels.classes.indexOf(label);
      if (k < 0) throw new ValueError(`${where}: classWeight names label ${label}, which is not among the classes (${labels.classes.join(', ')})`);
      if (typeof w !== 'number' || !(w >= 0) || !Number.isFinite(w)) throw new ValueError(`${where}: classWeight for label ${label} must be a finite number >= 0, got ${String(w)}`);
      perClass[k] = w;
    }
  }
  return Float64Array.from(labels.index, (k) => perClass[k]);
}

/**
 * Minimizes the penalized logistic loss on X [n, d] (float64) with class indices y (K classes), sample
 * weights sw, from `warm` (or zero). Multinomial coefficients are centered over the classes when no L1 part
 * fixes them, intercepts always (the softmax does not see a constant shift).
 */
export function fitLogistic(where: string, x: Tensor, y: Int32Array, K: number, sw: Float64Array | undefined, s: LogisticSettings, warm?: Float64Array): LogisticFit {
  const [n, d] = x.shape;
  const rows = K === 2 ? 1 : K;
  const nb = s.fitIntercept ? rows : 0;
  const size = rows * d + nb;
  const invC = 1 / s.C;
  const l1 = s.penalty === 'l1' ? invC : s.penalty === 'elasticnet' ? invC * s.l1Ratio : 0;
  const l2 = s.penalty === 'l2' ? invC : s.penalty === 'elasticnet' ? invC * (1 - s.l1Ratio) : 0;
  const fun = objective(x, y, sw, rows, d, nb, l2);
  const x0 = warm ? Float64Array.from(warm) : new Float64Array(size);
  // stop on the gradient test alone (no relative-decrease test), so tol means what it says
  const opts = { maxIter: s.maxIter, gtol: s.tol, ftol: 0 };
  let res: MinimizeResult;
  if (s.solver === 'lbfgs') res = lbfgs(fun, x0, opts);
  else if (s.solver === 'gd') res = gradientDescent(fun, x0, { ...opts, lr: s.lr });
  else if (s.solver === 'newton') res = newton(fun, x0, newtonStep(x.toTypedArray() as Float64Array, sw, n, rows, d, nb, l2), opts);
  else {
    // a first step of 1 / (an upper bound of the gradient's Lipschitz constant); backtracking refines it
    const xh = x.toTypedArray();
    let lip = 0;
    for (let i = 0; i < n; i++) {
      let r = s.fitIntercept ? 1 : 0;
      for (let j = 0; j < d; j++) r += xh[i * d + j] ** 2;
      lip += (sw ? sw[i] : 1) * r;
    }
    const step0 = n / (0.5 * lip + l2 + 1e-300);
    res = proximalGradient(fun, x0, { ...opts, l1: l1 / n, nPenalized: rows * d, step0 });
  }
  if (!res.history.every(Number.isFinite)) {
    throw new ValueError(`${where}: the objective became non-finite (solver '${s.solver}'); lower lr or standardize the features`);
  }
  const coef = res.x.slice(0, rows * d);
  const intercept = nb > 0 ? res.x.slice(rows * d) : new Float64Array(rows);
  if (rows > 1) {
    if (l1 === 0) {
      for (let j = 0; j < d; j++) {
        let m = 0;
        for (let k = 0; k < rows; k++) m += coef[k * d + j];
        m /= rows;
        for (let k = 0; k < rows; k++) coef[k * d + j] -= m;
      }
    }
    const mb = intercept.reduce((a, b) => a + b, 0) / rows;
    for (let k = 0; k < rows; k++) intercept[k] -= mb;
  }
  return { coef, intercept, theta: res.x, nIter: res.nIter, converged: res.converged, history: res.history };
}

/** log(1 + exp(v)) without overflow. */
export function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/** log sum_j exp(z[off + j]) over k entries, shifted by the max. */
export function logSumExp(z: Float64Array, off: number, k: number): number {
  let m = -Infinity;
  for (let j = 0; j < k; j++) m = Math.max(m, z[off + j]);
  let s = 0;
  for (let j = 0; j < k; j++) s += Math.exp(z[off + j] - m);
  return m + Math.log(s);
}

/** Probabilities n x K from scores n x rows (rows = 1: sigmoid into [1 - p, p]). */
export function probabilities(z: Float64Array, n: number, rows: number): Float64Array {
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
 * The penalized negative log-likelihood over n and its gradient, over theta = [W (rows x d), b (nb)]:
 * (sum_i s_i loss_i + l2 ||W||^2 / 2) / n with sample weights s (all ones by default).
 */
export function objective(x: Tensor, y: Int32Array, sw: Float64Array | undefined, rows: number, d: number, nb: number, l2: number): Objective {
  const n = x.shape[0];
  const invC = l2;
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
        const si = sw ? sw[i] : 1;
        // -log p(y_i): softplus(v) - y v
        loss += si * (softplus(v) - yi * v);
        const q = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
        r[i] = si * (q - yi);
      } else {
        const o = i * rows;
        if (nb > 0) for (let k = 0; k < rows; k++) z[o + k] += theta[rows * d + k];
        const si = sw ? sw[i] : 1;
        const lse = logSumExp(z, o, rows);
        loss += si * (lse - z[o + y[i]]);
        for (let k = 0; k < rows; k++) r[o + k] = si * Math.exp(z[o + k] - lse);
        r[o + y[i]] -= si;
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
 * Newton's step for the logistic objective: H p = -g with H = X~^T S (diag(p) - p p^T) X~ / n + invC / n on the
 * weights (IRLS's weighted least squares for two classes). A tiny ridge keeps H positive-definite along the
 * softmax's free directions, where the gradient has no component.
 */
export function newtonStep(xh: Float64Array, sw: Float64Array | undefined, n: number, rows: number, d: number, nb: number, invC: number) {
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
      const si = sw ? sw[i] : 1;
      for (let k = 0; k < rows; k++) {
        for (let l = k; l < rows; l++) {
          const c = si * (rows === 1 ? p[0] * (1 - p[0]) : (k === l ? p[k] : 0) - p[k] * p[l]);
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
