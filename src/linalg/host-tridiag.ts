/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix on host arrays: implicit QL (EISPACK's tql2) for
 * small matrices, and Cuppen's divide and conquer with Gu and Eisenstat's eigenvectors (LAPACK's dstedc) for the
 * rest, whose work is mostly one matrix product per merge.
 * @module
 */
import { EPS } from './host-factor.js';
import { matmulHost } from './host-gemm.js';

/** Below this size a block is solved by QL (LAPACK's SMLSIZ is 25). */
const DC_LEAF = 32;

/**
 * Implicit QL iterations with Wilkinson-like shifts on the tridiagonal (d, e), e[i] (i >= 1) coupling i − 1 and i
 * (e[0] unused), rotating the vectors held as the rows of `vt` (n x n, rows so that each rotation touches
 * contiguous memory). Leaves the eigenvalues, unsorted, in d and the eigenvectors as the rows of vt; e is
 * overwritten. False when an eigenvalue took more than 60 iterations (non-finite input).
 */
export function tridiagonalQL(vt: Float64Array, n: number, d: Float64Array, e: Float64Array): boolean {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && !(Math.abs(e[m]) <= EPS * tst1)) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) return false;
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const r0 = i * n;
          const r1 = r0 + n;
          for (let k = 0; k < n; k++) {
            h = vt[r1 + k];
            vt[r1 + k] = s * vt[r0 + k] + c * h;
            vt[r0 + k] = c * vt[r0 + k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  return true;
}

/** The eigenvalues (unsorted) and eigenvectors of a tridiagonal block: z is n x n row-major, column j for lam[j]. */
interface Block {
  lam: Float64Array;
  z: Float64Array;
}

/** A leaf: QL on the block d[lo..lo+n), couplings e[lo..lo+n−1). */
function leaf(d: Float64Array, e: Float64Array, lo: number, n: number): Block | null {
  const lam = d.slice(lo, lo + n);
  const el = new Float64Array(n);
  for (let i = 1; i < n; i++) el[i] = e[lo + i - 1];
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;
  if (!tridiagonalQL(vt, n, lam, el)) return null;
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) z[i * n + j] = vt[j * n + i];
  return { lam, z };
}

/**
 * The root in (d[i], d[i+1]) (or, for the last i, above d[i]) of the secular equation 1 + rho Σ z_j² / (d_j − λ)
 * = 0, d ascending and strictly separated, rho > 0, every z_j non-zero. Returns the pole `origin` it lies nearer
 * to and tau = λ − d[origin], so that d_j − λ = (d_j − d[origin]) − tau keeps its relative accuracy. Rational
 * iteration that models the nearest pole exactly, safeguarded by bisection of the bracketing interval.
 */
function secularRoot(d: Float64Array, z2: Float64Array, k: number, rho: number, i: number, zz: number): { origin: number; tau: number } | null {
  const f = (origin: number, tau: number, out: { f: number; df: number; scale: number }) => {
    const d0 = d[origin];
    let s = 0;
    let ds = 0;
    let a = 0;
    for (let j = 0; j < k; j++) {
      const delta = d[j] - d0 - tau;
      const t = z2[j] / delta;
      s += t;
      ds += t / delta;
      a += Math.abs(t);
    }
    out.f = 1 + rho * s;
    out.df = rho * ds;
    out.scale = 1 + rho * a;
  };
  const ev = { f: 0, df: 0, scale: 0 };
  let origin: number;
  let lo: number;
  let hi: number;
  if (i < k - 1) {
    const half = (d[i + 1] - d[i]) / 2;
    f(i, half, ev);
    if (ev.f >= 0) {
      origin = i;
      lo = 0;
      hi = half;
    } else {
      origin = i + 1;
      lo = -half;
      hi = 0;
    }
  } else {
    origin = i;
    lo = 0;
    hi = rho * zz;
    // the bound can be the root itself in exact arithmetic: widen it by rounding
    hi += 4 * EPS * (Math.abs(d[i]) + hi);
  }
  let tau = (lo + hi) / 2;
  for (let it = 0; it < 200; it++) {
    f(origin, tau, ev);
    if (!Number.isFinite(ev.f)) return null;
    if (ev.f === 0 || Math.abs(ev.f) <= 8 * EPS * k * ev.scale) break;
    if (ev.f < 0) lo = tau;
    else hi = tau;
    // model f near the root as A + B / (d[origin] − λ) = A − B / tau, matching f and f' at tau
    const b = ev.df * tau * tau;
    const a = ev.f + ev.df * tau;
    let next = a !== 0 ? b / a : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - tau) <= 2 * EPS * Math.abs(tau) || hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) {
      tau = next;
      break;
    }
    tau = next;
  }
  return { origin, tau };
}

/**
 * Merges two solved halves: the eigenproblem of diag(D) + rho z zᵀ (D the halves' eigenvalues, z the last row of
 * the first half's vectors and the first row of the second's, rho ≥ 0) with LAPACK's deflation (dlaed2: tiny z
 * components, and close eigenvalues rotated together) and Gu and Eisenstat's recomputed z (dlaed3), so that the
 * eigenvectors stay orthogonal to working precision. The new vectors are the halves' times the small problem's:
 * one matrix product.
 */
function merge(a: Block, b: Block, n1: number, n2: number, rho: number, sign: number): Block | null {
  const n = n1 + n2;
  const dAll = new Float64Array(n);
  dAll.set(a.lam);
  dAll.set(b.lam, n1);
  const zAll = new Float64Array(n);
  for (let j = 0; j < n1; j++) zAll[j] = a.z[(n1 - 1) * n1 + j];
  for (let j = 0; j < n2; j++) zAll[n1 + j] = sign * b.z[j];
  // unit z (its norm is √2: a row of each orthogonal half), rho scaled to match
  let zn = 0;
  for (let j = 0; j < n; j++) zn += zAll[j] * zAll[j];
  rho *= zn;
  zn = Math.sqrt(zn);
  for (let j = 0; j < n; j++) zAll[j] /= zn;
  // the merged vectors' basis: columns of blockdiag(Za, Zb), taken in ascending order of D
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => dAll[x] - dAll[y] || x - y);
  const d = Float64Array.from(order, (j) => dAll[j]);
  const z = Float64Array.from(order, (j) => zAll[j]);
  const q = new Float64Array(n * n); // column c holds basis vector order[c]
  // where column c is non-zero: 1 the first half's rows only, 2 the second's, 3 both (after a deflating rotation)
  const halves = Uint8Array.from(order, (j) => (j < n1 ? 1 : 2));
  order.forEach((j, c) => {
    if (j < n1) for (let i = 0; i < n1; i++) q[i * n + c] = a.z[i * n1 + j];
    else for (let i = 0; i < n2; i++) q[(n1 + i) * n + c] = b.z[i * n2 + j - n1];
  });
  let dmax = 0;
  let zmax = 0;
  for (let j = 0; j < n; j++) {
    dmax = Math.max(dmax, Math.abs(d[j]));
    zmax = Math.max(zmax, Math.abs(z[j]));
  }
  const tol = 8 * EPS * Math.max(dmax, zmax);
  const kept: number[] = [];
  const deflated: number[] = [];
  if (rho * zmax <= tol) {
    for (let j = 0; j < n; j++) deflated.push(j);
  } else {
    let pj = -1;
    for (let j = 0; j < n; j++) {
      if (rho * Math.abs(z[j]) <= tol) {
        deflated.push(j);
        continue;
      }
      if (pj < 0) {
        pj = j;
        continue;
      }
      // close to the previous kept value: a rotation moves all of z onto j, pj deflates
      const tau = Math.hypot(z[j], z[pj]);
      const c = z[j] / tau;
      const s = -z[pj] / tau;
      if (Math.abs((d[j] - d[pj]) * c * s) <= tol) {
        z[j] = tau;
        z[pj] = 0;
        for (let i = 0; i < n; i++) {
          const x = q[i * n + pj];
          const y = q[i * n + j];
          q[i * n + pj] = c * x + s * y;
          q[i * n + j] = c * y - s * x;
        }
        halves[pj] = halves[j] = halves[pj] | halves[j];
        const t = d[pj] * c * c + d[j] * s * s;
        d[j] = d[pj] * s * s + d[j] * c * c;
        d[pj] = t;
        deflated.push(pj);
      } else {
        kept.push(pj);
      }
      pj = j;
    }
    if (pj >= 0) kept.push(pj);
  }
  const k = kept.length;
  const lam = new Float64Array(n);
  const out = new Float64Array(n * n);
  deflated.forEach((j, c) => {
    lam[k + c] = d[j];
    for (let i = 0; i < n; i++) out[i * n + k + c] = q[i * n + j];
  });
  if (k === 0) return { lam, z: out };
  const dk = Float64Array.from(kept, (j) => d[j]);
  const z2 = Float64Array.from(kept, (j) => z[j] * z[j]);
  let zz = 0;
  for (let j = 0; j < k; j++) zz += z2[j];
  const origins = new Int32Array(k);
  const taus = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const r = secularRoot(dk, z2, k, rho, i, zz);
    if (!r) return null;
    origins[i] = r.origin;
    taus[i] = r.tau;
    lam[i] = dk[r.origin] + r.tau;
  }
  // Gu–Eisenstat: the z for which the computed roots are exact, z_j² = Π_i (λ_i − d_j) / (rho Π_{i≠j} (d_i − d_j))
  const zhat = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let p = (taus[j] - (dk[j] - dk[origins[j]])) / rho;
    for (let i = 0; i < k; i++) {
      if (i !== j) p *= (taus[i] - (dk[j] - dk[origins[i]])) / (dk[i] - dk[j]);
    }
    zhat[j] = Math.sign(z[kept[j]]) * Math.sqrt(Math.abs(p));
  }
  // the small problem's vectors: column i is zhat_j / (d_j − λ_i), normalized
  const u = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    let norm = 0;
    const o = dk[origins[i]];
    for (let j = 0; j < k; j++) {
      const v = zhat[j] / (dk[j] - o - taus[i]);
      u[j * k + i] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < k; j++) u[j * k + i] /= norm;
  }
  // the new vectors, Q U: each half's rows need only the kept columns non-zero there (LAPACK's dlaed3 split)
  for (const [bit, r0, rows] of [[1, 0, n1], [2, n1, n2]] as const) {
    const cols: number[] = [];
    kept.forEach((j, c) => {
      if (halves[j] & bit) cols.push(c);
    });
    const w = cols.length;
    if (w === 0) continue;
    const qh = new Float64Array(rows * w);
    for (let i = 0; i < rows; i++) cols.forEach((c, t) => (qh[i * w + t] = q[(r0 + i) * n + kept[c]]));
    const uh = new Float64Array(w * k);
    cols.forEach((c, t) => uh.set(u.subarray(c * k, (c + 1) * k), t * k));
    const prod = matmulHost(qh, uh, rows, w, k);
    for (let i = 0; i < rows; i++) for (let c = 0; c < k; c++) out[(r0 + i) * n + c] = prod[i * k + c];
  }
  return { lam, z: out };
}

/** Divide and conquer on d[lo..lo+n), couplings e[lo..lo+n−1) (d is modified). */
function divide(d: Float64Array, e: Float64Array, lo: number, n: number): Block | null {
  if (n <= DC_LEAF) return leaf(d, e, lo, n);
  const n1 = n >> 1;
  const beta = e[lo + n1 - 1];
  const rho = Math.abs(beta);
  d[lo + n1 - 1] -= rho;
  d[lo + n1] -= rho;
  const a = divide(d, e, lo, n1);
  const b = a && divide(d, e, lo + n1, n - n1);
  if (!a || !b) return null;
  return merge(a, b, n1, n - n1, rho, beta < 0 ? -1 : 1);
}

/**
 * Eigenvalues and eigenvectors of the symmetric tridiagonal matrix with diagonal d (n) and off-diagonal e (n − 1
 * entries, e[i] coupling i and i + 1), by divide and conquer (QL below 33 rows). Returns the eigenvalues, unsorted,
 * and the eigenvectors as the columns of z (n x n, row-major), or null when an iteration did not converge
 * (non-finite input). d and e are left unchanged.
 */
export function tridiagonalEigen(d: Float64Array, e: Float64Array, n: number): Block | null {
  return divide(Float64Array.from(d), e, 0, n);
}
