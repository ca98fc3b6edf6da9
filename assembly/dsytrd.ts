/**
 * Double-precision Householder reduction of a symmetric matrix to tridiagonal form for the host linear algebra
 * (src/linalg/host-eigh.ts's reduceTridiagonal hands its work here when the wasm module is loaded): the same
 * arithmetic in the same order as that TypeScript loop — each product rounded before it is added, never fused,
 * the one dot product per row summed in two interleaved lanes as the TypeScript does — so the results are bit
 * for bit the same whichever runs. The two O(n³) loops (the symmetric matrix-vector product and the rank-2
 * update) run two lanes at a time.
 */

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/**
 * Reduces the n x n row-major matrix at `w` (both triangles set) in place; see reduceTridiagonal in
 * src/linalg/host-eigh.ts for what it leaves in w, d (diagonal), e (subdiagonal in e[1..]) and h (the reflectors'
 * scales). Byte addresses; d, e and h hold n doubles each.
 */
export function tridiagonalReduce(n: i32, w: usize, d: usize, e: usize, h: usize): void {
  for (let j = 0; j < n; j++) st(d, j, ld(w, j * n + n - 1));
  for (let i = n - 1; i > 0; i--) {
    let scale: f64 = 0;
    let hh: f64 = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(ld(d, k));
    if (scale == 0) {
      st(e, i, ld(d, i - 1));
      for (let j = 0; j < i; j++) {
        st(d, j, ld(w, j * n + i - 1));
        st(w, j * n + i, 0);
        st(w, i * n + j, 0);
      }
    } else {
      for (let k = 0; k < i; k++) {
        const x = ld(d, k) / scale;
        st(d, k, x);
        hh += x * x;
      }
      let f = ld(d, i - 1);
      let g = Math.sqrt(hh);
      if (f > 0) g = -g;
      st(e, i, scale * g);
      hh -= f * g;
      st(d, i - 1, f - g);
      for (let j = 0; j < i; j++) st(e, j, 0);
      for (let j = 0; j < i; j++) {
        f = ld(d, j);
        st(w, i * n + j, f);
        const row = w + (<usize>(j * n) << 3);
        const g0 = ld(e, j) + ld(row, j) * f;
        const fv = f64x2.splat(f);
        let acc = f64x2.splat(0);
        let k = j + 1;
        for (; k + 1 < i; k += 2) {
          const o = <usize>k << 3;
          const wv = v128.load(row + o);
          acc = f64x2.add(acc, f64x2.mul(wv, v128.load(d + o)));
          v128.store(e + o, f64x2.add(v128.load(e + o), f64x2.mul(wv, fv)));
        }
        let s0 = f64x2.extract_lane(acc, 0);
        const s1 = f64x2.extract_lane(acc, 1);
        if (k < i) {
          const x = ld(row, k);
          s0 += x * ld(d, k);
          st(e, k, ld(e, k) + x * f);
        }
        st(e, j, g0 + (s0 + s1));
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        const x = ld(e, j) / hh;
        st(e, j, x);
        f += x * ld(d, j);
      }
      const half = f / (hh + hh);
      for (let j = 0; j < i; j++) st(e, j, ld(e, j) - half * ld(d, j));
      for (let j = 0; j < i; j++) {
        f = ld(d, j);
        g = ld(e, j);
        const row = w + (<usize>(j * n) << 3);
        const fv = f64x2.splat(f);
        const gv = f64x2.splat(g);
        let k = j;
        for (; k + 1 < i; k += 2) {
          const o = <usize>k << 3;
          const upd = f64x2.add(f64x2.mul(fv, v128.load(e + o)), f64x2.mul(gv, v128.load(d + o)));
          v128.store(row + o, f64x2.sub(v128.load(row + o), upd));
        }
        if (k < i) st(row, k, ld(row, k) - (f * ld(e, k) + g * ld(d, k)));
        st(d, j, ld(row, i - 1));
        st(row, i, 0);
      }
    }
    st(d, i, hh);
  }
  for (let i = 1; i < n; i++) st(h, i, ld(d, i));
  st(h, 0, 0);
  for (let j = 0; j < n; j++) st(d, j, ld(w, j * n + j));
  st(e, 0, 0);
}
