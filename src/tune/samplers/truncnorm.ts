/**
 * The truncated normal distribution TPE's Parzen estimators are made of: log probability mass of an interval,
 * log density and inverse-CDF sampling, computed on the side of the tail where they stay accurate.
 * @module
 */
import type { Generator } from '../../tensor/random.js';

const SQRT1_2 = Math.SQRT1_2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Complementary error function, relative error below 1.2e-7 everywhere (Chebyshev fit, Numerical Recipes). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(x). */
export function ndtr(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

/** Inverse of Φ (Acklam's rational approximation refined by one Halley step); p in (0, 1). */
export function ndtri(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const e = ndtr(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** log(Φ(b) − Φ(a)) for a < b, accurate when both lie in one tail. */
export function logGaussMass(a: number, b: number): number {
  let m: number;
  if (b <= 0) m = ndtr(b) - ndtr(a);
  else if (a >= 0) m = ndtr(-a) - ndtr(-b);
  else m = 1 - ndtr(a) - ndtr(-b);
  return Math.log(Math.max(m, 1e-300));
}

/**
 * Log density at x of N(mu, sigma²) truncated to [low, high]. With `omitScale`, the −log(sigma) term is left out,
 * as Optuna 3.1's `_truncnorm.logpdf` does (later Optuna adds it back).
 */
export function truncnormLogPdf(x: number, low: number, high: number, mu: number, sigma: number, omitScale = false): number {
  if (x < low || x > high) return -Infinity;
  const z = (x - mu) / sigma;
  return -0.5 * z * z - LOG_SQRT_2PI - (omitScale ? 0 : Math.log(sigma)) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}

/**
 * The q-quantile (q in [0, 1]) of the standard normal truncated to [a, b], as Optuna's `_truncnorm.ppf`: through
 * Φ on the left side when a < 0, else through the mirrored right tail, where Φ(−x) keeps its precision.
 */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (!(a < b)) return NaN;
  if (q <= 0) return a;
  if (q >= 1) return b;
  if (a < 0) {
    const pa = ndtr(a);
    return ndtri(pa + q * (ndtr(b) - pa));
  }
  // right side: x = −Φ⁻¹(Φ(−a) − q·(Φ(−a) − Φ(−b))), increasing in q like the left-side formula
  const pa = ndtr(-a);
  return -ndtri(pa - q * (pa - ndtr(-b)));
}

/** One draw of N(mu, sigma²) truncated to [low, high]: the truncated normal's quantile at a uniform draw. */
export function truncnormSample(rng: Generator, low: number, high: number, mu: number, sigma: number): number {
  const x = mu + sigma * truncnormPpf(rng.random(), (low - mu) / sigma, (high - mu) / sigma);
  return Math.min(high, Math.max(low, x));
}
