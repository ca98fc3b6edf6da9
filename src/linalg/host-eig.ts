/**
 * Eigenvalues and eigenvectors of a general real n x n matrix on host arrays: Householder reduction to
 * upper Hessenberg form, the Francis double-shift QR iteration for the eigenvalues (complex ones come in
 * conjugate pairs, the one with positive imaginary part first, in the order of the Schur form's diagonal),
 * and inverse iteration in complex arithmetic for the eigenvectors, each of unit 2-norm with its largest
 * component real and positive.
 * @module
 */
import { EPS } from './host-factor.js';

/** Eigenvalues (real and imaginary parts) and, when asked, eigenvectors (columns, row-major n x n parts). */
export interface EigHost {
  /** [n]: real parts of the eigenvalues. */
  wr: Float64Array;
  /** [n]: imaginary parts of the eigenvalues. */
  wi: Float64Array;
  /** n x n: real parts of the eigenvectors (columns), or null when not asked for. */
  vr: Float64Array | null;
  /** n x n: imaginary parts of the eigenvectors, or null when not asked for. */
  vi: Float64Array | null;
}

/** Reduces `h` (n x n, in place) to upper Hessenberg form by Householder similarity transformations. */
function hessenberg(h: Float64Array, n: number): void {
  const v = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    let alpha = 0;
    for (let i = k + 1; i < n; i++) alpha += h[i * n + k] * h[i * n + k];
    alpha = Math.sqrt(alpha);
    if (alpha === 0) continue;
    if (h[(k + 1) * n + k] > 0) alpha = -alpha;
    // v = x - alpha e1, P = I - 2 v v^T / (v^T v)
    let vv = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = h[i * n + k] - (i === k + 1 ? alpha : 0);
      vv += v[i] * v[i];
    }
    if (vv === 0) continue;
    const beta = 2 / vv;
    for (let j = k; j < n; j++) {
      let t = 0;
      for (let i = k + 1; i < n; i++) t += v[i] * h[i * n + j];
      t *= beta;
      for (let i = k + 1; i < n; i++) h[i * n + j] -= t * v[i];
    }
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = k + 1; j < n; j++) t += h[i * n + j] * v[j];
      t *= beta;
      for (let j = k + 1; j < n; j++) h[i * n + j] -= t * v[j];
    }
    h[(k + 1) * n + k] = alpha;
    for (let i = k + 2; i < n; i++) h[i * n + k] = 0;
  }
}

/** Applies the reflector I - beta u u^T (u of length `len`, 2 or 3) to rows r..r+len-1 (columns c0..c1) and columns r.. (rows r0..r1). */
function reflect(h: Float64Array, n: number, r: number, u: number[], beta: number, c0: number, c1: number, r0: number, r1: number): void {
  const len = u.length;
  for (let j = c0; j <= c1; j++) {
    let t = 0;
    for (let a = 0; a < len; a++) t += u[a] * h[(r + a) * n + j];
    t *= beta;
    for (let a = 0; a < len; a++) h[(r + a) * n + j] -= t * u[a];
  }
  for (let i = r0; i <= r1; i++) {
    let t = 0;
    for (let a = 0; a < len; a++) t += h[i * n + r + a] * u[a];
    t *= beta;
    for (let a = 0; a < len; a++) h[i * n + r + a] -= t * u[a];
  }
}

/** The reflector that maps x to a multiple of e1: [u, beta], or null when x is already zero below its first entry and nothing is needed. */
function householder(x: number[]): [number[], number] | null {
  let norm = 0;
  for (const v of x) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm === 0) return null;
  const alpha = x[0] > 0 ? -norm : norm;
  const u = x.slice();
  u[0] -= alpha;
  let uu = 0;
  for (const v of u) uu += v * v;
  return uu === 0 ? null : [u, 2 / uu];
}

/**
 * The eigenvalues of the upper Hessenberg `h` (destroyed) by the Francis double-shift QR iteration with
 * deflation on negligible subdiagonal entries. Returns false when an eigenvalue takes over 30·n sweeps.
 */
function francis(h: Float64Array, n: number, wr: Float64Array, wi: Float64Array): boolean {
  let norm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) norm += Math.abs(h[i * n + j]);
  const at = (i: number, j: number) => h[i * n + j];
  let hi = n - 1;
  let iter = 0;
  while (hi >= 0) {
    let l = hi;
    for (; l > 0; l--) {
      let s = Math.abs(at(l - 1, l - 1)) + Math.abs(at(l, l));
      if (s === 0) s = norm;
      if (Math.abs(at(l, l - 1)) <= EPS * s) {
        h[l * n + l - 1] = 0;
        break;
      }
    }
    if (l === hi) {
      wr[hi] = at(hi, hi);
      wi[hi] = 0;
      hi--;
      iter = 0;
      continue;
    }
    if (l === hi - 1) {
      // the eigenvalues of the trailing 2 x 2 block [[a, b], [c, d]]
      const a = at(hi - 1, hi - 1);
      const b = at(hi - 1, hi);
      const c = at(hi, hi - 1);
      const d = at(hi, hi);
      const p = (a - d) / 2;
      const q = p * p + b * c;
      if (q >= 0) {
        const z = p >= 0 ? p + Math.sqrt(q) : p - Math.sqrt(q);
        wr[hi - 1] = d + z;
        wr[hi] = z !== 0 ? d - (b * c) / z : d + z;
        wi[hi - 1] = 0;
        wi[hi] = 0;
      } else {
        wr[hi - 1] = wr[hi] = d + p;
        wi[hi - 1] = Math.sqrt(-q);
        wi[hi] = -wi[hi - 1];
      }
      hi -= 2;
      iter = 0;
      continue;
    }
    if (++iter > 30 * n) return false;
    // the shifts: the trailing 2 x 2 block's eigenvalues, by their sum and product; ad hoc ones now and then
    let sum = at(hi - 1, hi - 1) + at(hi, hi);
    let prod = at(hi - 1, hi - 1) * at(hi, hi) - at(hi - 1, hi) * at(hi, hi - 1);
    if (iter % 10 === 0) {
      const s = Math.abs(at(hi, hi - 1)) + Math.abs(at(hi - 1, hi - 2));
      sum = 1.5 * s;
      prod = s * s;
    }
    // the first column of (H - σ1 I)(H - σ2 I), restricted to the active block l..hi
    let x = at(l, l) * at(l, l) + at(l, l + 1) * at(l + 1, l) - sum * at(l, l) + prod;
    let y = at(l + 1, l) * (at(l, l) + at(l + 1, l + 1) - sum);
    let z = at(l + 1, l) * at(l + 2, l + 1);
    for (let k = l; k <= hi - 1; k++) {
      const three = k < hi - 1;
      const r = householder(three ? [x, y, z] : [x, y]);
      if (r !== null) {
        const c0 = Math.max(l, k - 1);
        reflect(h, n, k, r[0], r[1], c0, hi, l, Math.min(k + 3, hi));
        if (k > l) {
          h[(k + 1) * n + k - 1] = 0;
          if (three) h[(k + 2) * n + k - 1] = 0;
        }
      }
      if (k < hi - 1) {
        x = at(k + 1, k);
        y = at(k + 2, k);
        z = k < hi - 2 ? at(k + 3, k) : 0;
      }
    }
  }
  return true;
}

/**
 * Solves the complex system (mr + i mi) X = (br + i bi) for n x k row-major right-hand sides, in place of
 * b, by LU with partial pivoting; exactly-zero pivots become `tiny`.
 */
export function complexSolve(mr: Float64Array, mi: Float64Array, n: number, br: Float64Array, bi: Float64Array, tiny: number, k = 1): void {
  const ar = Float64Array.from(mr);
  const ai = Float64Array.from(mi);
  const swapRows = (x: Float64Array, w: number, r1: number, r2: number) => {
    for (let c = 0; c < w; c++) [x[r1 * w + c], x[r2 * w + c]] = [x[r2 * w + c], x[r1 * w + c]];
  };
  for (let p = 0; p < n; p++) {
    let piv = p;
    let best = -1;
    for (let i = p; i < n; i++) {
      const v = Math.hypot(ar[i * n + p], ai[i * n + p]);
      if (v > best) {
        best = v;
        piv = i;
      }
    }
    if (piv !== p) {
      swapRows(ar, n, p, piv);
      swapRows(ai, n, p, piv);
      swapRows(br, k, p, piv);
      swapRows(bi, k, p, piv);
    }
    if (best === 0) ar[p * n + p] = tiny;
    const dr = ar[p * n + p];
    const di = ai[p * n + p];
    const dd = dr * dr + di * di;
    for (let i = p + 1; i < n; i++) {
      // l = a[i][p] / pivot
      const lr = (ar[i * n + p] * dr + ai[i * n + p] * di) / dd;
      const li = (ai[i * n + p] * dr - ar[i * n + p] * di) / dd;
      if (lr === 0 && li === 0) continue;
      for (let j = p + 1; j < n; j++) {
        ar[i * n + j] -= lr * ar[p * n + j] - li * ai[p * n + j];
        ai[i * n + j] -= lr * ai[p * n + j] + li * ar[p * n + j];
      }
      for (let c = 0; c < k; c++) {
        br[i * k + c] -= lr * br[p * k + c] - li * bi[p * k + c];
        bi[i * k + c] -= lr * bi[p * k + c] + li * br[p * k + c];
      }
    }
  }
  for (let c = 0; c < k; c++) {
    for (let i = n - 1; i >= 0; i--) {
      let sr = br[i * k + c];
      let si = bi[i * k + c];
      for (let j = i + 1; j < n; j++) {
        sr -= ar[i * n + j] * br[j * k + c] - ai[i * n + j] * bi[j * k + c];
        si -= ar[i * n + j] * bi[j * k + c] + ai[i * n + j] * br[j * k + c];
      }
      const dr = ar[i * n + i];
      const di = ai[i * n + i];
      const dd = dr * dr + di * di;
      br[i * k + c] = (sr * dr + si * di) / dd;
      bi[i * k + c] = (si * dr - sr * di) / dd;
    }
  }
}

/** Scales (xr, xi) to unit 2-norm with its largest-magnitude component real and positive. */
function normalize(xr: Float64Array, xi: Float64Array): void {
  let big = 0;
  let at = 0;
  let ss = 0;
  for (let i = 0; i < xr.length; i++) {
    const m = Math.hypot(xr[i], xi[i]);
    ss += m * m;
    if (m > big) {
      big = m;
      at = i;
    }
  }
  if (big === 0) return;
  // multiply by conj(x[at]) / (|x[at]| ‖x‖)
  const cr = xr[at] / big;
  const ci = -xi[at] / big;
  const s = 1 / Math.sqrt(ss);
  for (let i = 0; i < xr.length; i++) {
    const r = xr[i] * cr - xi[i] * ci;
    const m = xr[i] * ci + xi[i] * cr;
    xr[i] = r * s;
    xi[i] = m * s;
  }
  xi[at] = 0;
}

/** Three steps of inverse iteration with (mr + i mi) = A - λI from a fixed start, keeping x orthogonal to `against`. */
function inverseIteration(
  mr: Float64Array, mi: Float64Array, n: number, j: number, against: [Float64Array, Float64Array][], tiny: number,
): [Float64Array, Float64Array] {
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  for (let i = 0; i < n; i++) xr[i] = 1 + ((i * 7 + j * 3) % 11) / 13;
  for (let step = 0; step < 3; step++) {
    complexSolve(mr, mi, n, xr, xi, tiny);
    for (const [ur, ui] of against) {
      // x -= (u^H x) u
      let dr = 0;
      let di = 0;
      for (let i = 0; i < n; i++) {
        dr += ur[i] * xr[i] + ui[i] * xi[i];
        di += ur[i] * xi[i] - ui[i] * xr[i];
      }
      for (let i = 0; i < n; i++) {
        xr[i] -= dr * ur[i] - di * ui[i];
        xi[i] -= dr * ui[i] + di * ur[i];
      }
    }
    normalize(xr, xi);
  }
  return [xr, xi];
}

/** max_i |(A x - λ x)_i| for the unit vector x. */
function residual(a: Float64Array, n: number, lr: number, li: number, xr: Float64Array, xi: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let rr = -(lr * xr[i] - li * xi[i]);
    let ri = -(lr * xi[i] + li * xr[i]);
    for (let k = 0; k < n; k++) {
      rr += a[i * n + k] * xr[k];
      ri += a[i * n + k] * xi[k];
    }
    worst = Math.max(worst, Math.hypot(rr, ri));
  }
  return worst;
}

/**
 * Eigenvalues of the n x n row-major `a` and, with `vectors`, eigenvectors (column j for eigenvalue j) by
 * two steps of inverse iteration on A - λI; vectors of a repeated eigenvalue are kept orthogonal to each
 * other, so a diagonalizable matrix gets independent ones. Returns null when the QR iteration fails.
 */
export function eigHost(a: Float64Array, n: number, vectors: boolean): EigHost | null {
  const h = Float64Array.from(a.subarray(0, n * n));
  hessenberg(h, n);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  if (!francis(h, n, wr, wi)) return null;
  if (!vectors) return { wr, wi, vr: null, vi: null };
  let anorm = 0;
  for (let i = 0; i < n * n; i++) anorm = Math.max(anorm, Math.abs(a[i]));
  const tiny = EPS * n * (anorm > 0 ? anorm : 1);
  const vr = new Float64Array(n * n);
  const vi = new Float64Array(n * n);
  const cols: [Float64Array, Float64Array][] = [];
  for (let j = 0; j < n; j++) {
    let xr: Float64Array;
    let xi: Float64Array;
    const close = 1e3 * EPS * Math.max(anorm, 1);
    if (j > 0 && wi[j] < -close && wi[j - 1] === -wi[j] && wr[j - 1] === wr[j]) {
      // the conjugate of the previous eigenvalue's vector (a pair whose imaginary parts are rounding noise
      // is a repeated real eigenvalue: it gets an independent vector below instead)
      xr = Float64Array.from(cols[j - 1][0]);
      xi = cols[j - 1][1].map((v) => -v);
    } else {
      const mr = Float64Array.from(a.subarray(0, n * n));
      const mi = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        mr[i * n + i] -= wr[j];
        mi[i * n + i] = -wi[j];
      }
      // earlier eigenvalues equal to this one (to rounding): their vectors are projected out, so a
      // diagonalizable matrix gets independent ones; a defective one has no more, and keeps the plain vector
      const same = cols.filter((_, k) => Math.hypot(wr[k] - wr[j], wi[k] - wi[j]) <= close);
      [xr, xi] = inverseIteration(mr, mi, n, j, same, tiny);
      if (same.length > 0 && residual(a, n, wr[j], wi[j], xr, xi) > 1e3 * EPS * n * Math.max(anorm, Number.MIN_VALUE)) {
        [xr, xi] = inverseIteration(mr, mi, n, j, [], tiny);
      }
    }
    cols.push([xr, xi]);
    for (let i = 0; i < n; i++) {
      vr[i * n + j] = xr[i];
      vi[i * n + j] = xi[i];
    }
  }
  return { wr, wi, vr, vi };
}
