/**
 * Double-precision Householder reduction of a tall matrix to upper bidiagonal form, for the singular values of
 * the host linear algebra (src/linalg/host-bidiag.ts's bidiagonalizeJs hands its work here when the wasm module is
 * loaded): the same arithmetic in the same order as that TypeScript loop — each product rounded before it is
 * added, never fused, the one dot product per row summed in two interleaved lanes as the TypeScript does — so the
 * results are bit for bit the same whichever runs. The two O(m n²) passes per column (v^T A, then each row's left
 * update, its dot with the right reflector and its right update while the row is in cache) run two lanes at a time.
 */

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** x[0..len) -= t * y[0..len) (byte addresses). */
@inline function axpyNeg(x: usize, y: usize, t: f64, len: i32): void {
  const tv = f64x2.splat(t);
  let c = 0;
  for (; c + 1 < len; c += 2) {
    const o = <usize>c << 3;
    v128.store(x + o, f64x2.sub(v128.load(x + o), f64x2.mul(tv, v128.load(y + o))));
  }
  if (c < len) st(x, c, ld(x, c) - t * ld(y, c));
}

/** The last reflector's beta, tau and scale (see `reflector`). */
let hBeta: f64 = 0;
let hTau: f64 = 0;
let hScale: f64 = 0;

/**
 * The Householder vector of (alpha, rest), `sigma` the sum of squares of the rest, as src/linalg/host-bidiag.ts's
 * reflector: sets hBeta, hTau and hScale (tau = 0 when the rest is zero already).
 */
@inline function reflector(alpha: f64, sigma: f64): void {
  hBeta = alpha;
  hTau = 0;
  hScale = 0;
  if (sigma != 0) {
    const norm = Math.sqrt(alpha * alpha + sigma);
    hBeta = alpha > 0 ? -norm : norm;
    hTau = (hBeta - alpha) / hBeta;
    hScale = 1 / (alpha - hBeta);
  }
}

/**
 * Reduces the row-major m x n matrix at `a` (m >= n) in place, leaving the diagonal in d (n doubles), the
 * superdiagonal in e (n - 1 doubles), the reflectors in `a` and their scales in tq and tp (n doubles each); `w`
 * holds n doubles of scratch. Byte addresses. See bidiagonalizeJs.
 */
export function bidiagonalReduce(m: i32, n: i32, a: usize, d: usize, e: usize, tq: usize, tp: usize, w: usize): void {
  for (let j = 0; j < n; j++) {
    let sigma: f64 = 0;
    for (let i = j + 1; i < m; i++) {
      const x = ld(a, i * n + j);
      sigma += x * x;
    }
    reflector(ld(a, j * n + j), sigma);
    const tau = hTau;
    const scale = hScale;
    st(d, j, hBeta);
    st(tq, j, tau);
    st(tp, j, 0);
    const c0 = j + 1;
    const len = n - c0;
    if (tau != 0) for (let i = j + 1; i < m; i++) st(a, i * n + j, ld(a, i * n + j) * scale);
    if (tau != 0 && len > 0) {
      const rowj = a + (<usize>(j * n + c0) << 3);
      for (let c = 0; c < len; c++) st(w, c, ld(rowj, c));
      for (let i = j + 1; i < m; i++) {
        const vi = ld(a, i * n + j);
        const row = a + (<usize>(i * n + c0) << 3);
        const vv = f64x2.splat(vi);
        let c = 0;
        for (; c + 1 < len; c += 2) {
          const o = <usize>c << 3;
          v128.store(w + o, f64x2.add(v128.load(w + o), f64x2.mul(vv, v128.load(row + o))));
        }
        if (c < len) st(w, c, ld(w, c) + vi * ld(row, c));
      }
      axpyNeg(rowj, w, tau, len);
    }
    if (len == 0) continue;
    const u = a + (<usize>(j * n + c0) << 3);
    let rs: f64 = 0;
    for (let c = 1; c < len; c++) {
      const x = ld(u, c);
      rs += x * x;
    }
    reflector(ld(u, 0), rs);
    const rtau = hTau;
    const rscale = hScale;
    st(e, j, hBeta);
    st(tp, j, rtau);
    st(u, 0, 1);
    for (let c = 1; c < len; c++) st(u, c, ld(u, c) * rscale);
    for (let i = j + 1; i < m; i++) {
      const row = a + (<usize>(i * n + c0) << 3);
      if (tau != 0) axpyNeg(row, w, tau * ld(a, i * n + j), len);
      if (rtau != 0) {
        let acc = f64x2.splat(0);
        let c = 0;
        for (; c + 1 < len; c += 2) {
          const o = <usize>c << 3;
          acc = f64x2.add(acc, f64x2.mul(v128.load(row + o), v128.load(u + o)));
        }
        let s0 = f64x2.extract_lane(acc, 0);
        const s1 = f64x2.extract_lane(acc, 1);
        if (c < len) s0 += ld(row, c) * ld(u, c);
        axpyNeg(row, u, rtau * (s0 + s1), len);
      }
    }
  }
}
