/**
 * Double-precision blocked LU with partial pivoting for the host linear algebra (src/linalg/host-lu.ts's luPacked
 * hands its factorizations here when the wasm module is loaded), with the matrix resident in the kernel memory for
 * the whole factorization: the same arithmetic in the same order as that TypeScript code — panels factored column
 * by column, U12 by forward substitution, the trailing update through dgemmAccumulate — so the factors are the
 * same bits whichever runs.
 */
import { dgemmAccumulate } from './dgemm';

@inline function at(a: usize, i: i32, n: i32, j: i32): usize {
  return a + ((<usize>i * n + j) << 3);
}

/** x[0..len) −= l · y[0..len) (two lanes at a time; each entry one multiply then one subtract, as the TypeScript). */
@inline function axpyNeg(x: usize, y: usize, len: i32, l: f64): void {
  const lv = f64x2.splat(l);
  let c = 0;
  for (; c + 1 < len; c += 2) {
    const o = <usize>c << 3;
    v128.store(x + o, f64x2.sub(v128.load(x + o), f64x2.mul(lv, v128.load(y + o))));
  }
  if (c < len) {
    const o = <usize>c << 3;
    store<f64>(x + o, load<f64>(x + o) - l * load<f64>(y + o));
  }
}

/** Bytes of scratch `luFactor` needs for an m-row matrix with panels of `nb` columns. */
export function luScratchBytes(m: i32, nb: i32): i32 {
  return m * nb * 8 + dgemmScratchBytesFor(nb) + nb;
}

@inline function dgemmScratchBytesFor(K: i32): i32 {
  return (K * 4 + 16) * 8;
}

/**
 * Factors the m x n row-major matrix at `a` in place (L's multipliers below the diagonal, U on and above it),
 * writing k = min(m, n) 1-based pivots (int32) at `piv`; panels of `nb` columns; `scratch` holds
 * luScratchBytes(m, nb) bytes. Returns LAPACK's info: 0, or the 1-based column of the first exactly-zero pivot.
 */
export function luFactor(m: i32, n: i32, a: usize, piv: usize, nb: i32, scratch: usize): i32 {
  const k = min(m, n);
  const negL = scratch;
  const gemmScratch = scratch + (<usize>(m * nb) << 3);
  const skipped = gemmScratch + <usize>dgemmScratchBytesFor(nb); // one byte per column of the current panel
  let info = 0;
  for (let j0 = 0; j0 < k; j0 += nb) {
    const j1 = min(j0 + nb, k);
    for (let j = j0; j < j1; j++) {
      let p = j;
      let best = Math.abs(load<f64>(at(a, j, n, j)));
      for (let i = j + 1; i < m; i++) {
        const v = Math.abs(load<f64>(at(a, i, n, j)));
        if (v > best) {
          best = v;
          p = i;
        }
      }
      store<i32>(piv + (<usize>j << 2), p + 1);
      store<u8>(skipped + <usize>(j - j0), 0);
      if (load<f64>(at(a, p, n, j)) == 0) {
        if (info == 0) info = j + 1;
        store<u8>(skipped + <usize>(j - j0), 1);
        continue;
      }
      if (p != j) {
        const rj = at(a, j, n, 0);
        const rp = at(a, p, n, 0);
        let c = 0;
        for (; c + 1 < n; c += 2) {
          const o = <usize>c << 3;
          const t = v128.load(rj + o);
          v128.store(rj + o, v128.load(rp + o));
          v128.store(rp + o, t);
        }
        if (c < n) {
          const o = <usize>c << 3;
          const t = load<f64>(rj + o);
          store<f64>(rj + o, load<f64>(rp + o));
          store<f64>(rp + o, t);
        }
      }
      const pivot = load<f64>(at(a, j, n, j));
      const urow = at(a, j, n, j + 1);
      for (let i = j + 1; i < m; i++) {
        const l = load<f64>(at(a, i, n, j)) / pivot;
        store<f64>(at(a, i, n, j), l);
        if (l == 0) continue;
        axpyNeg(at(a, i, n, j + 1), urow, j1 - j - 1, l);
      }
    }
    if (j1 < n) {
      // U12: forward substitution with the panel's unit lower triangle
      for (let t = j0 + 1; t < j1; t++) {
        for (let s = j0; s < t; s++) {
          const l = load<f64>(at(a, t, n, s));
          if (load<u8>(skipped + <usize>(s - j0)) != 0 || l == 0) continue;
          axpyNeg(at(a, t, n, j1), at(a, s, n, j1), n - j1, l);
        }
      }
      const rows = m - j1;
      if (rows > 0) {
        const w = j1 - j0;
        for (let r = 0; r < rows; r++) {
          for (let s = 0; s < w; s++) {
            const v = load<u8>(skipped + <usize>s) != 0 ? 0.0 : -load<f64>(at(a, j1 + r, n, j0 + s));
            store<f64>(negL + ((<usize>(r * w + s)) << 3), v);
          }
        }
        dgemmAccumulate(rows, n - j1, w, negL, w, at(a, j0, n, j1), n, at(a, j1, n, j1), n, gemmScratch);
      }
    }
  }
  return info;
}
