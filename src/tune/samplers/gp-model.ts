/**
 * A Gaussian-process regression model for Bayesian optimization on the unit cube: Matérn 5/2 kernel with one
 * length scale per input (ARD), a signal variance and a noise variance, all fitted by maximizing the log marginal
 * likelihood (analytic gradient, Adam on log-parameters, warm-started from the previous fit), plus a weak
 * log-normal prior on length scales and signal that keeps the fit away from degenerate corners.
 * @module
 */

const SQRT5 = Math.sqrt(5);

/** Log-parameters of the kernel: log length scales (one per input), log signal variance, log noise variance. */
export interface GPParams {
  /** log of the length scale of each input. */
  logLengthscales: number[];
  /** log of the signal variance. */
  logSignal: number;
  /** log of the noise variance. */
  logNoise: number;
}

/** Bounds of the log-parameters: length scales 0.01..20 on the unit cube, noise 1e-6..0.5 of the unit variance. */
const BOUNDS = { ls: [Math.log(0.01), Math.log(20)], sig: [Math.log(0.05), Math.log(20)], noise: [Math.log(1e-6), Math.log(0.5)] } as const;

/** Matérn 5/2 kernel value for squared scaled distance r2, without the signal variance. */
function matern52(r2: number): number {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** In-place Cholesky of a symmetric positive-definite n×n matrix (row-major); false when not positive-definite. */
function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s -= a[j * n + k] * a[j * n + k];
    if (!(s > 0)) return false;
    const d = Math.sqrt(s);
    a[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      for (let k = 0; k < j; k++) t -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = t / d;
    }
    for (let k = j + 1; k < n; k++) a[j * n + k] = 0;
  }
  return true;
}

/** Solves L x = b (forward) into a new array. */
function forward(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** Solves Lᵀ x = b (backward) into a new array. */
function backward(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** A GP fitted to inputs x (n rows of d numbers in [0, 1]) and standardized targets y. */
export class GPModel {
  /** The fitted log-parameters. */
  readonly params: GPParams;
  private readonly x: number[][];
  private readonly n: number;
  private readonly l: Float64Array;
  private readonly alpha: Float64Array;
  private readonly ls: number[];
  private readonly signal: number;

  private constructor(x: number[][], params: GPParams, l: Float64Array, alpha: Float64Array) {
    this.x = x;
    this.n = x.length;
    this.params = params;
    this.l = l;
    this.alpha = alpha;
    this.ls = params.logLengthscales.map(Math.exp);
    this.signal = Math.exp(params.logSignal);
  }

  /**
   * Fits the kernel's log-parameters to (x, y) by maximizing log marginal likelihood + log prior with `iters`
   * Adam steps (default 60 from scratch, 20 from `init`) from `init` (default: length scales 0.5, unit signal,
   * noise 1e-4).
   */
  static fit(x: number[][], y: number[], opts: { init?: GPParams; iters?: number } = {}): GPModel {
    const d = x[0].length;
    let p: number[] = opts.init && opts.init.logLengthscales.length === d
      ? [...opts.init.logLengthscales, opts.init.logSignal, opts.init.logNoise]
      : [...new Array<number>(d).fill(Math.log(0.5)), 0, Math.log(1e-4)];
    const iters = opts.iters ?? (opts.init ? 20 : 60);
    const m = new Array<number>(p.length).fill(0);
    const v = new Array<number>(p.length).fill(0);
    let best = p.slice();
    let bestObj = -Infinity;
    for (let it = 1; it <= iters; it++) {
      const r = objectiveAndGrad(x, y, p);
      if (r.obj > bestObj) {
        bestObj = r.obj;
        best = p.slice();
      }
      if (!Number.isFinite(r.obj)) break;
      const lr = 0.1;
      p = p.map((pi, i) => {
        m[i] = 0.9 * m[i] + 0.1 * r.grad[i];
        v[i] = 0.999 * v[i] + 0.001 * r.grad[i] * r.grad[i];
        const step = (lr * m[i] / (1 - 0.9 ** it)) / (Math.sqrt(v[i] / (1 - 0.999 ** it)) + 1e-8);
        return clampParam(i, d, pi + step);
      });
    }
    const params = { logLengthscales: best.slice(0, d), logSignal: best[d], logNoise: best[d + 1] };
    const { l, alpha } = factor(x, y, best) ?? (factor(x, y, [...best.slice(0, d + 1), Math.log(1e-2)]) as Factor);
    return new GPModel(x, params, l, alpha);
  }

  /** Posterior mean and standard deviation of the latent function at input z. */
  predict(z: readonly number[]): { mean: number; std: number } {
    const k = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) k[i] = this.signal * matern52(scaledDist2(this.x[i], z, this.ls));
    let mean = 0;
    for (let i = 0; i < this.n; i++) mean += k[i] * this.alpha[i];
    const w = forward(this.l, this.n, k);
    let q = 0;
    for (let i = 0; i < this.n; i++) q += w[i] * w[i];
    return { mean, std: Math.sqrt(Math.max(this.signal - q, 1e-12)) };
  }
}

function clampParam(i: number, d: number, value: number): number {
  const [lo, hi] = i < d ? BOUNDS.ls : i === d ? BOUNDS.sig : BOUNDS.noise;
  return Math.min(hi, Math.max(lo, value));
}

function scaledDist2(a: readonly number[], b: readonly number[], ls: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < ls.length; j++) {
    const t = (a[j] - b[j]) / ls[j];
    s += t * t;
  }
  return s;
}

interface Factor {
  l: Float64Array;
  alpha: Float64Array;
}

function kernelMatrix(x: number[][], p: readonly number[]): Float64Array {
  const n = x.length;
  const d = x[0].length;
  const ls = p.slice(0, d).map(Math.exp);
  const sig = Math.exp(p[d]);
  const noise = Math.exp(p[d + 1]) + 1e-8;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    k[i * n + i] = sig + noise;
    for (let j = 0; j < i; j++) k[i * n + j] = k[j * n + i] = sig * matern52(scaledDist2(x[i], x[j], ls));
  }
  return k;
}

function factor(x: number[][], y: number[], p: readonly number[]): Factor | null {
  const n = x.length;
  const l = kernelMatrix(x, p);
  if (!cholesky(l, n)) return null;
  return { l, alpha: backward(l, n, forward(l, n, y)) };
}

/** K⁻¹ (row-major, full) from the lower Cholesky factor L of K. */
function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  const li = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    li[j * n + j] = 1 / l[j * n + j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s += l[i * n + k] * li[k * n + j];
      li[i * n + j] = -s / l[i * n + i];
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += li[k * n + i] * li[k * n + j];
      out[i * n + j] = out[j * n + i] = s;
    }
  }
  return out;
}

/** Log-prior: log-normal on length scales (median 0.5) and signal (median 1), width 1.5 in log space. */
function logPrior(p: readonly number[], d: number): { value: number; grad: number[] } {
  const grad = new Array<number>(p.length).fill(0);
  let value = 0;
  for (let i = 0; i <= d; i++) {
    const mu = i < d ? Math.log(0.5) : 0;
    const z = (p[i] - mu) / 1.5;
    value -= 0.5 * z * z;
    grad[i] = -z / 1.5;
  }
  return { value, grad };
}

/** Log marginal likelihood + log prior of log-parameters p, and its gradient. */
function objectiveAndGrad(x: number[][], y: number[], p: readonly number[]): { obj: number; grad: number[] } {
  const n = x.length;
  const d = x[0].length;
  const f = factor(x, y, p);
  if (f === null) return { obj: -Infinity, grad: new Array<number>(p.length).fill(0) };
  const { l, alpha } = f;
  let obj = -0.5 * n * Math.log(2 * Math.PI);
  for (let i = 0; i < n; i++) obj -= 0.5 * y[i] * alpha[i] + Math.log(l[i * n + i]);
  // W = alpha alphaᵀ − K⁻¹, with K⁻¹ = L⁻ᵀ L⁻¹ (about n³/3 multiply-adds: this is the cost of a fit step).
  const kinv = inverseFromCholesky(l, n);
  const ls = p.slice(0, d).map(Math.exp);
  const sig = Math.exp(p[d]);
  const grad = new Array<number>(p.length).fill(0);
  for (let i = 0; i < n; i++) {
    grad[d + 1] += 0.5 * (alpha[i] * alpha[i] - kinv[i * n + i]) * Math.exp(p[d + 1]);
    grad[d] += 0.5 * (alpha[i] * alpha[i] - kinv[i * n + i]) * sig;
    for (let j = 0; j < i; j++) {
      const w = alpha[i] * alpha[j] - kinv[i * n + j];
      const r2 = scaledDist2(x[i], x[j], ls);
      const r = Math.sqrt(r2);
      const ex = Math.exp(-SQRT5 * r);
      // Off-diagonal pairs appear twice in the trace: factor 0.5 · 2.
      grad[d] += w * sig * (1 + SQRT5 * r + (5 / 3) * r2) * ex;
      const common = w * sig * (5 / 3) * (1 + SQRT5 * r) * ex;
      for (let m = 0; m < d; m++) {
        const t = (x[i][m] - x[j][m]) / ls[m];
        grad[m] += common * t * t;
      }
    }
  }
  const prior = logPrior(p, d);
  return { obj: obj + prior.value, grad: grad.map((g, i) => g + prior.grad[i]) };
}

/** Exposed for the gradient check in the tests: objective and gradient at log-parameters p. */
export const _objectiveAndGrad = objectiveAndGrad;
