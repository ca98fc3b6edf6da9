/**
 * L1-regularized linear regression, after sklearn.linear_model: Lasso and ElasticNet (cyclic coordinate
 * descent on 1/(2n) ||y - Xw||^2 + alpha ||w||_1 [+ the L2 part], stopped by sklearn's duality-gap test), their
 * regularization paths over a grid of alphas, and the path machinery ridgePath shares (Ridge is in ridge.ts).
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CheckedX, type CheckedY, checkIntOpt, checkNumberOpt, checkX, checkY, toTensor } from './base.js';
import { atbHost } from '../linalg/host-gemm.js';
import { type Centered, type LinearFit, LinearModel, centerData, linearFitFrom } from './linear.js';

/** Options of ElasticNet (and Lasso, which fixes l1Ratio = 1). */
export interface ElasticNetOptions {
  /** Overall penalty strength (default 1). */
  alpha?: number;
  /** Share of L1 in the penalty, in [0, 1] (default 0.5; Lasso: 1). */
  l1Ratio?: number;
  /** Fit an (unpenalized) intercept (default true). */
  fitIntercept?: boolean;
  /** Most coordinate-descent sweeps (default 1000). */
  maxIter?: number;
  /** Tolerance of the duality-gap test, relative to ||y||^2 (default 1e-4, sklearn's). */
  tol?: number;
  /** Constrain the coefficients to be >= 0 (default false). */
  positive?: boolean;
}

/** Weights rescaled to sum to their count (sklearn's convention for the elastic net). */
export function normalizedWeights(sw: Float64Array): Float64Array {
  const s = sw.reduce((a, b) => a + b, 0);
  return sw.map((v) => (v * sw.length) / s);
}

/** Result of coordinate descent on one target. */
interface CDResult {
  nIter: number;
  gap: number;
}

/**
 * sklearn's enet_coordinate_descent on 0.5 ||y - X w||^2 + l1 ||w||_1 + 0.5 l2 ||w||^2 (X n x d row-major,
 * one target column), updating w in place from its current value (warm start).
 */
function coordinateDescent(
  x: Float64Array, colSq: Float64Array, n: number, d: number, y: Float64Array, w: Float64Array,
  l1: number, l2: number, maxIter: number, tol: number, positive: boolean,
): CDResult {
  const r = Float64Array.from(y);
  for (let j = 0; j < d; j++) {
    const wj = w[j];
    if (wj !== 0) for (let i = 0; i < n; i++) r[i] -= x[i * d + j] * wj;
  }
  let yy = 0;
  for (let i = 0; i < n; i++) yy += y[i] * y[i];
  const gapTol = tol * yy;
  let gap = Infinity;
  let it = 0;
  for (; it < maxIter; it++) {
    let wMax = 0;
    let dwMax = 0;
    for (let j = 0; j < d; j++) {
      if (colSq[j] === 0) continue;
      const old = w[j];
      let tmp = 0;
      for (let i = 0; i < n; i++) tmp += x[i * d + j] * r[i];
      tmp += old * colSq[j];
      let nw: number;
      if (positive && tmp < 0) nw = 0;
      else {
        const shrunk = Math.abs(tmp) - l1;
        nw = shrunk > 0 ? (Math.sign(tmp) * shrunk) / (colSq[j] + l2) : 0;
      }
      if (nw !== old) {
        const delta = nw - old;
        for (let i = 0; i < n; i++) r[i] -= x[i * d + j] * delta;
        w[j] = nw;
      }
      dwMax = Math.max(dwMax, Math.abs(nw - old));
      wMax = Math.max(wMax, Math.abs(nw));
    }
    if (wMax === 0 || dwMax / wMax < tol || it === maxIter - 1) {
      // duality gap of the current iterate
      let dual = 0;
      let rr = 0;
      let ww = 0;
      let l1norm = 0;
      let ry = 0;
      for (let i = 0; i < n; i++) {
        rr += r[i] * r[i];
        ry += r[i] * y[i];
      }
      for (let j = 0; j < d; j++) {
        let xta = 0;
        for (let i = 0; i < n; i++) xta += x[i * d + j] * r[i];
        xta -= l2 * w[j];
        dual = Math.max(dual, positive ? xta : Math.abs(xta));
        ww += w[j] * w[j];
        l1norm += Math.abs(w[j]);
      }
      let cst: number;
      if (dual > l1) {
        cst = l1 / dual;
        gap = 0.5 * (rr + rr * cst * cst);
      } else {
        cst = 1;
        gap = rr;
      }
      gap += l1 * l1norm - cst * ry + 0.5 * l2 * (1 + cst * cst) * ww;
      if (gap < gapTol) {
        it++;
        break;
      }
    }
  }
  return { nIter: it, gap };
}

/** Coordinate-descent settings of the elastic net. */
export interface EnetSettings {
  /** Share of L1 in the penalty. */
  l1Ratio: number;
  /** Most sweeps per alpha. */
  maxIter: number;
  /** Duality-gap tolerance relative to ||y||^2. */
  tol: number;
  /** Coefficients constrained to be >= 0. */
  positive: boolean;
}

/** Coordinate descent for each target column of the centered problem and each alpha (warm-started in order). */
export function enetSolve(c: Centered, n: number, d: number, t: number, alphas: readonly number[], s: EnetSettings): { w: Float64Array[]; nIter: number[]; gaps: number[] } {
  const colSq = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) colSq[j] += c.x[i * d + j] ** 2;
  const current = Array.from({ length: t }, () => new Float64Array(d));
  const ycol = Array.from({ length: t }, (_, k) => Float64Array.from({ length: n }, (_, i) => c.y[i * t + k]));
  const ws: Float64Array[] = [];
  const nIter: number[] = [];
  const gaps: number[] = [];
  for (const alpha of alphas) {
    const w = new Float64Array(d * t);
    let its = 0;
    let gap = 0;
    for (let k = 0; k < t; k++) {
      const res = coordinateDescent(c.x, colSq, n, d, ycol[k], current[k], alpha * s.l1Ratio * n, alpha * (1 - s.l1Ratio) * n, s.maxIter, s.tol, s.positive);
      its = Math.max(its, res.nIter);
      gap = Math.max(gap, res.gap);
      for (let j = 0; j < d; j++) w[j * t + k] = current[k][j];
    }
    ws.push(w);
    nIter.push(its);
    gaps.push(gap);
  }
  return { w: ws, nIter, gaps };
}

/** Reads and checks l1Ratio, maxIter, tol and positive. */
export function enetSettings(where: string, opts: ElasticNetOptions, l1Default: number): EnetSettings {
  const l1Ratio = checkNumberOpt(where, 'l1Ratio', opts.l1Ratio ?? l1Default, 0);
  if (l1Ratio > 1) throw new ValueError(`${where}: l1Ratio must be in [0, 1], got ${l1Ratio}`);
  return {
    l1Ratio,
    maxIter: checkIntOpt(where, 'maxIter', opts.maxIter ?? 1000, 1),
    tol: checkNumberOpt(where, 'tol', opts.tol ?? 1e-4, 0),
    positive: opts.positive ?? false,
  };
}

/**
 * Elastic net (sklearn.linear_model.ElasticNet): min 1/(2n) ||y - X w - b||^2 + alpha l1Ratio ||w||_1 +
 * alpha (1 - l1Ratio) / 2 ||w||^2 by cyclic coordinate descent, stopped when sklearn's duality gap falls
 * below tol ||y||^2. With sample weights the data term is sum_i w_i r_i^2 / (2 sum_i w_i). `nIter` and
 * `dualGap` describe the last fit.
 */
export class ElasticNet extends LinearModel {
  /** Overall penalty strength. */
  readonly alpha: number;
  /** Share of L1 in the penalty. */
  readonly l1Ratio: number;
  /** Most sweeps. */
  readonly maxIter: number;
  /** Duality-gap tolerance (relative to ||y||^2). */
  readonly tol: number;
  /** Coefficients constrained to be >= 0. */
  readonly positive: boolean;
  /** The estimator's name in messages. */
  protected readonly name: string = 'ElasticNet';
  /** Sweeps the last fit took (the most over targets). */
  nIter = 0;
  /** Duality gap at the end of the last fit (the largest over targets), in the n-scaled objective. */
  dualGap = 0;

  /** An elastic net with the given options. */
  constructor(opts: ElasticNetOptions = {}) {
    super(opts);
    const where = new.target.name;
    const s = enetSettings(where, opts, where === 'Lasso' ? 1 : 0.5);
    this.alpha = checkNumberOpt(where, 'alpha', opts.alpha ?? 1, 0);
    this.l1Ratio = s.l1Ratio;
    this.maxIter = s.maxIter;
    this.tol = s.tol;
    this.positive = s.positive;
  }

  /** Coordinate descent on the centered (and weight-scaled) problem, from zero. */
  protected fitLinear(x: CheckedX, y: CheckedY, sw?: Float64Array): LinearFit {
    // sklearn rescales the weights to sum to n: the data term becomes a weighted mean, alpha keeps its meaning
    const c = centerData(x, y, this.fitIntercept, sw && normalizedWeights(sw));
    const r = enetSolve(c, x.rows, x.cols, y.cols, [this.alpha], this);
    this.nIter = r.nIter[0];
    this.dualGap = r.gaps[0];
    return linearFitFrom(r.w[0], c, x, y);
  }
}

/** Options of Lasso: those of ElasticNet without l1Ratio (fixed at 1). */
export type LassoOptions = Omit<ElasticNetOptions, 'l1Ratio'>;

/**
 * The lasso (sklearn.linear_model.Lasso): min 1/(2n) ||y - X w - b||^2 + alpha ||w||_1 by coordinate
 * descent. Large alphas set coefficients exactly to zero (feature selection).
 */
export class Lasso extends ElasticNet {
  /** The estimator's name in messages. */
  protected override readonly name: string = 'Lasso';

  /** A lasso with the given options. */
  constructor(opts: LassoOptions = {}) {
    super({ ...opts, l1Ratio: 1 });
  }
}

/** Coefficients along a grid of penalty strengths. */
export interface RegularizationPath {
  /** The penalty strengths, in the order the coefficients are given (descending for lasso/elastic net). */
  alphas: number[];
  /** Coefficients per alpha: [nAlphas, d] for 1-D y, [nAlphas, t, d] for [n, t] y. */
  coefs: Tensor;
  /** Intercepts per alpha: [nAlphas] or [nAlphas, t]. */
  intercepts: Tensor;
  /** Coordinate-descent sweeps per alpha (lasso/elastic net only; zeros for ridge). */
  nIters: number[];
}

/** Options of lassoPath / enetPath. */
export interface LassoPathOptions extends Omit<ElasticNetOptions, 'alpha'> {
  /** The alphas (sorted descending for warm starts). Default: a log grid of `nAlphas` from alphaMax down to eps * alphaMax. */
  alphas?: readonly number[];
  /** Number of alphas in the default grid (default 100). */
  nAlphas?: number;
  /** Ratio alphaMin / alphaMax of the default grid (default 1e-3). */
  eps?: number;
}

/** Throws a ValueError unless alphas is a non-empty array of numbers >= 0; returns a copy. */
export function checkAlphas(where: string, alphas: readonly number[]): number[] {
  if (!Array.isArray(alphas) || alphas.length === 0) throw new ValueError(`${where}: alphas must be a non-empty array of numbers >= 0`);
  return alphas.map((a, i) => checkNumberOpt(where, `alphas[${i}]`, a, 0));
}

/** A RegularizationPath from per-alpha solutions of the centered problem. */
export function pathResult(ws: Float64Array[], c: Centered, x: CheckedX, y: CheckedY, alphas: number[], nIters: number[]): RegularizationPath {
  const d = x.cols;
  const t = y.cols;
  const coefs = new Float64Array(ws.length * t * d);
  const intercepts = new Float64Array(ws.length * t);
  ws.forEach((w, a) => {
    const fit = linearFitFrom(w, c, x, y);
    coefs.set(fit.coef, a * t * d);
    intercepts.set(fit.intercept, a * t);
  });
  return {
    alphas,
    coefs: toTensor(coefs, y.vector ? [ws.length, d] : [ws.length, t, d], x.dtype),
    intercepts: toTensor(intercepts, y.vector ? [ws.length] : [ws.length, t], x.dtype),
    nIters,
  };
}

/**
 * The elastic-net (default l1Ratio 0.5) regularization path: coefficients for each alpha, fitted from the
 * largest alpha down with warm starts, as sklearn's enet_path — but with the intercept fitted (X and y
 * centered) unless `fitIntercept` is false. The default grid runs from alphaMax = max |X^T y| / (n l1Ratio),
 * where every coefficient is zero, down to eps * alphaMax.
 */
export function enetPath(X: Tensor, y: Tensor, opts: LassoPathOptions = {}): RegularizationPath {
  return pathOf('enetPath', X, y, opts, 0.5);
}

/** The lasso path: enetPath with l1Ratio = 1 (sklearn's lasso_path, intercept fitted by default). */
export function lassoPath(X: Tensor, y: Tensor, opts: Omit<LassoPathOptions, 'l1Ratio'> = {}): RegularizationPath {
  return pathOf('lassoPath', X, y, { ...opts, l1Ratio: 1 }, 1);
}

function pathOf(where: string, X: Tensor, y: Tensor, opts: LassoPathOptions, l1Default: number): RegularizationPath {
  const x = checkX(where, X);
  const yy = checkY(where, y, X.shape);
  const s = enetSettings(where, opts, l1Default);
  const c = centerData(x, yy, opts.fitIntercept ?? true);
  let alphas: number[];
  if (opts.alphas !== undefined) {
    alphas = checkAlphas(where, opts.alphas).sort((a, b) => b - a);
  } else {
    if (s.l1Ratio === 0) throw new ValueError(`${where}: the default alpha grid needs l1Ratio > 0; pass alphas explicitly`);
    alphas = alphaGrid(where, c, x.rows, x.cols, yy.cols, s.l1Ratio, opts);
  }
  const r = enetSolve(c, x.rows, x.cols, yy.cols, alphas, s);
  return pathResult(r.w, c, x, yy, alphas, r.nIter);
}

/**
 * sklearn's default alpha grid for the centered problem: nAlphas (default 100) values log-spaced from
 * alphaMax = max_j ||X_j^T Y|| / (n l1Ratio), where every coefficient is zero, down to eps (default 1e-3) alphaMax.
 */
export function alphaGrid(where: string, c: Centered, n: number, d: number, t: number, l1Ratio: number, opts: { nAlphas?: number; eps?: number }): number[] {
  const nAlphas = checkIntOpt(where, 'nAlphas', opts.nAlphas ?? 100, 1);
  const eps = checkNumberOpt(where, 'eps', opts.eps ?? 1e-3, 0, true);
  const xty = atbHost(c.x, n, d, c.y, t);
  let top = 0;
  for (let j = 0; j < d; j++) {
    let sq = 0;
    for (let k = 0; k < t; k++) sq += xty[j * t + k] ** 2;
    top = Math.max(top, Math.sqrt(sq));
  }
  const alphaMax = top / (n * l1Ratio);
  if (!(alphaMax > 0)) throw new ValueError(`${where}: X^T y is zero, so every alpha gives all-zero coefficients; pass alphas explicitly`);
  const hi = Math.log10(alphaMax);
  const lo = Math.log10(alphaMax * eps);
  return Array.from({ length: nAlphas }, (_, i) => 10 ** (nAlphas === 1 ? hi : hi - ((hi - lo) * i) / (nAlphas - 1)));
}
