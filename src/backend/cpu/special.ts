/**
 * Special functions the cpu kernels need beyond `Math`, to double precision: erfc (without cancellation in the
 * tails), erfinv, lgamma, digamma and polygamma (through the Hurwitz zeta function).
 * @module
 */
import { erf, erfcLarge } from './math.js';

const SQRT_PI = Math.sqrt(Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** The complementary error function 1 - erf(x), accurate in relative terms where it is tiny (x > 2.5). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 2.5) return 1 - erf(x);
  return erfcLarge(x);
}

/**
 * The inverse error function on [-1, 1] (±inf at ±1, NaN outside): Winitzki's closed form as a start, then
 * Halley steps on erf(y) = x, taken on erfc(y) = 1 - x in the tails where 1 - x is exact and erf is flat.
 */
export function erfinv(x: number): number {
  if (Number.isNaN(x) || x < -1 || x > 1) return NaN;
  if (x === 1) return Infinity;
  if (x === -1) return -Infinity;
  if (x === 0) return x;
  const ax = Math.abs(x);
  const a = 0.147;
  const l = Math.log((1 - ax) * (1 + ax));
  const t = 2 / (Math.PI * a) + l / 2;
  let y = Math.sqrt(Math.sqrt(t * t - l / a) - t);
  const tail = ax > 0.5;
  for (let i = 0; i < 8; i++) {
    // f(y) = erf(y) - ax, f' = 2/sqrt(pi) e^(-y^2), f'' = -2y f'; Halley: y -= u / (1 + y u) with u = f / f'
    const f = tail ? 1 - ax - erfc(y) : erf(y) - ax;
    const u = f / ((2 / SQRT_PI) * Math.exp(-y * y));
    const step = u / (1 + y * u);
    y -= step;
    if (Math.abs(step) <= 1e-17 * Math.abs(y)) break;
  }
  return x < 0 ? -y : y;
}

// Lanczos approximation, g = 7, n = 9 (Godfrey's coefficients): about 1e-15 relative for x >= 0.5.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log|Gamma(x)|: Lanczos for x >= 0.5, the reflection formula below; +inf at 0 and the negative integers. */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity || x === -Infinity) return Infinity;
  if (x < 0.5) {
    if (x === Math.floor(x)) return Infinity;
    // Gamma(x) Gamma(1 - x) = pi / sin(pi x); sin of the fractional part keeps digits for large |x|
    const s = Math.abs(Math.sin(Math.PI * (x - Math.floor(x))));
    return Math.log(Math.PI / s) - lgamma(1 - x);
  }
  if (x > 1e15) return x * (Math.log(x) - 1);
  const z = x - 1;
  let a = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const PSI_10 = 2.25175258906672110764;
// Coefficients of the asymptotic series of digamma in 1/x^2 (Bernoulli numbers B2k / 2k), highest first.
const PSI_A = [
  8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3, -4.16666666666666666667e-3,
  3.96825396825396825397e-3, -8.33333333333333333333e-3, 8.33333333333333333333e-2,
];

/**
 * The digamma function psi(x) = Gamma'(x) / Gamma(x), as PyTorch computes it: the recurrence
 * psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic series; reflection for x < 0.
 */
export function digamma(x: number): number {
  if (x === 0) return 1 / x < 0 ? Infinity : -Infinity;
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    // psi(1 - x) - psi(x) = pi / tan(pi x), with tan taken of the fractional part (exact) to keep digits
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * (x - Math.trunc(x)));
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x === 10) return result + PSI_10;
  let y = 0;
  if (x < 1e17) {
    const z = 1 / (x * x);
    let p = PSI_A[0];
    for (let i = 1; i < PSI_A.length; i++) p = p * z + PSI_A[i];
    y = z * p;
  }
  return result + Math.log(x) - 0.5 / x - y;
}

// (2k)! / B2k: the Euler-Maclaurin correction terms of the Hurwitz zeta function (as Cephes' zeta).
const ZETA_A = [
  12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10, -2.950130727918164224e12,
  1.1646782814350067249e14, -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18,
];
const MACHEP = 1.11022302462515654042e-16;

/**
 * The Hurwitz zeta function sum_k (k + q)^-s for s > 1, by Euler-Maclaurin summation (Cephes' algorithm, which
 * PyTorch uses too): inf at s = 1 or at q a non-positive integer, NaN for s < 1 or q < 0 with s not an integer.
 */
export function zeta(s: number, q: number): number {
  if (Number.isNaN(s) || Number.isNaN(q)) return NaN;
  if (s === 1) return Infinity;
  if (s < 1) return NaN;
  if (q <= 0) {
    if (q === Math.floor(q)) return Infinity;
    if (s !== Math.floor(s)) return NaN;
  }
  if (q > 1e8) return (1 / (s - 1) + 1 / (2 * q)) * Math.pow(q, 1 - s);
  let sum = Math.pow(q, -s);
  let a = q;
  let b = 0;
  let i = 0;
  while (i < 9 || a <= 9) {
    i += 1;
    a += 1;
    b = Math.pow(a, -s);
    sum += b;
    if (Math.abs(b / sum) < MACHEP) return sum;
  }
  const w = a;
  sum += (b * w) / (s - 1);
  sum -= 0.5 * b;
  let fac = 1;
  let k = 0;
  for (let j = 0; j < 12; j++) {
    fac *= s + k;
    b /= w;
    const t = (fac * b) / ZETA_A[j];
    sum += t;
    if (Math.abs(t / sum) < MACHEP) break;
    k += 1;
    fac *= s + k;
    b /= w;
    k += 1;
  }
  return sum;
}

/** The polygamma function psi^(n)(x), the n-th derivative of digamma (n >= 0 an integer). */
export function polygamma(n: number, x: number): number {
  if (n === 0) return digamma(x);
  // psi^(n)(x) = (-1)^(n+1) n! zeta(n + 1, x)
  let fact = 1;
  for (let k = 2; k <= n; k++) fact *= k;
  return (n % 2 === 1 ? 1 : -1) * fact * zeta(n + 1, x);
}
