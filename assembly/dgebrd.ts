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
    const alpha = ld(a, j * n + j);
    let beta = alpha;
    let tau: f64 = 0;
    let scale: f64 = 0;
    if (sigma != 0) {
      const norm = Math.sqrt(alpha * alpha + sigma);
      beta = alpha > 0 ? -norm : norm;
      tau = (beta - alpha) / beta;
      scale = 1 / (alpha - beta);
    }
    st(d, j, beta);
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
    const ralpha = ld(u, 0);
    let rbeta = ralpha;
    let rtau: f64 = 0;
    let rscale: f64 = 0;
    if (rs != 0) {
      const norm = Math.sqrt(ralpha * ralpha + rs);
      rbeta = ralpha > 0 ? -norm : norm;
      rtau = (rbeta - ralpha) / rbeta;
      rscale = 1 / (ralpha - rbeta);
    }
    st(e, j, rbeta);
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
