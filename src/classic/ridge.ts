/**
 * Ridge regression, after sklearn.linear_model.Ridge: ||y - Xw||^2 + alpha ||w||^2 (sample-weighted when
 * asked) in closed form through the SVD or Cholesky, and the ridge path over several alphas.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CheckedX, type CheckedY, checkChoice, checkNumberOpt, checkX, checkY } from './base.js';
import { atbHost, gramHost } from '../linalg/host-gemm.js';
import { cholSolveHost, ridgeSvdHost } from './host.js';
import { type Centered, type LinearFit, LinearModel, centerData, linearFitFrom } from './linear.js';
import { type RegularizationPath, checkAlphas, pathResult } from './regularized.js';

/** Options of Ridge. */
export interface RidgeOptions {
  /** L2 penalty strength (default 1), sklearn's unscaled convention: ||y - Xw||^2 + alpha ||w||^2. */
  alpha?: number;
  /** Fit an (unpenalized) intercept (default true). */
  fitIntercept?: boolean;
  /**
   * 'svd': through the SVD of X (stable, also for alpha = 0); 'cholesky': (X^T X + alpha I) w = X^T y, fast
   * for many samples; 'auto' (default): svd for small problems, cholesky for large ones with alpha > 0.
   */
  solver?: 'auto' | 'svd' | 'cholesky';
}

/** Ridge solutions of the centered problem, one d x t array per alpha (SVD or Cholesky as `solver` says). */
export function ridgeSolve(where: string, c: Centered, n: number, d: number, t: number, alphas: readonly number[], solver: 'auto' | 'svd' | 'cholesky'): Float64Array[] {
  const small = n * d * Math.min(n, d) <= 2e7;
  const use = solver === 'auto' ? (small || alphas.some((a) => a === 0) ? 'svd' : 'cholesky') : solver;
  if (use === 'svd') return ridgeSvdHost(where, c.x, n, d, c.y, t, alphas);
  const g = gramHost(c.x, n, d);
  const rhs = atbHost(c.x, n, d, c.y, t);
  return alphas.map((alpha) => {
    const a = Float64Array.from(g);
    for (let j = 0; j < d; j++) a[j * d + j] += alpha;
    const w = cholSolveHost(a, d, rhs, t);
    if (!w) throw new ValueError(`${where}: X^T X + alpha I is not positive-definite (alpha = ${alpha}); use a larger alpha or solver 'svd'`);
    return w;
  });
}

/**
 * Ridge regression (sklearn.linear_model.Ridge): min ||y - X w - b||^2 + alpha ||w||^2 (sum_i w_i r_i^2 with
 * sample weights), the intercept unpenalized, solved in closed form. alpha = 0 is ordinary least squares.
 */
export class Ridge extends LinearModel {
  /** Penalty strength. */
  readonly alpha: number;
  /** Solver choice. */
  readonly solver: 'auto' | 'svd' | 'cholesky';
  /** The estimator's name in messages. */
  protected readonly name: string = 'Ridge';

  /** A ridge regression with the given options. */
  constructor(opts: RidgeOptions = {}) {
    super(opts);
    this.alpha = checkNumberOpt('Ridge', 'alpha', opts.alpha ?? 1, 0);
    this.solver = checkChoice('Ridge', 'solver', opts.solver ?? 'auto', ['auto', 'svd', 'cholesky'] as const);
  }

  /** The closed-form ridge solution of the centered (and weight-scaled) problem. */
  protected fitLinear(x: CheckedX, y: CheckedY, sw?: Float64Array): LinearFit {
    const c = centerData(x, y, this.fitIntercept, sw);
    const [w] = ridgeSolve(`${this.name}.fit`, c, x.rows, x.cols, y.cols, [this.alpha], this.solver);
    return linearFitFrom(w, c, x, y);
  }
}

/** Options of ridgePath. */
export interface RidgePathOptions {
  /** The alphas, in the order wanted (required). */
  alphas: readonly number[];
  /** Fit an (unpenalized) intercept (default true). */
  fitIntercept?: boolean;
  /** As Ridge's solver (default 'auto'). */
  solver?: 'auto' | 'svd' | 'cholesky';
}

/** Ridge coefficients for each alpha (in the order given), all from one SVD (or one X^T X) of the centered X. */
export function ridgePath(X: Tensor, y: Tensor, opts: RidgePathOptions): RegularizationPath {
  const where = 'ridgePath';
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${where}: options {alphas} are required`);
  const alphas = checkAlphas(where, opts.alphas);
  const x = checkX(where, X);
  const yy = checkY(where, y, X.shape);
  const c = centerData(x, yy, opts.fitIntercept ?? true);
  const solver = checkChoice(where, 'solver', opts.solver ?? 'auto', ['auto', 'svd', 'cholesky'] as const);
  const ws = ridgeSolve(where, c, x.rows, x.cols, yy.cols, alphas, solver);
  return pathResult(ws, c, x, yy, alphas, alphas.map(() => 0));
}
