/**
 * Double-precision C += A x B for the host linear algebra (src/linalg/host-gemm.ts hands its products here when
 * the wasm module is loaded). Every entry of C is its current value plus its k products added one after
 * another, in order of k, each product rounded before it is added (a multiply then an add, never fused) — so
 * the results are bit for bit those of the TypeScript loop it replaces, whichever engine or module variant runs.
 * B is packed four columns at a time; A's rows are read in place; a 4 x 4 block of C is held in eight two-lane
 * registers.
 */

/** Bytes of scratch a call needs: a packed 4-column panel of B (K x 4 doubles) and a 4 x 4 edge tile. */
export function dgemmScratchBytes(K: i32): i32 {
  return (K * 4 + 16) * 8;
}

/**
 * C (M x N, row stride ldc) += A (M x K, row stride lda) x B (K x N, row stride ldb); byte addresses, strides in
 * elements; `scratch` holds dgemmScratchBytes(K) bytes. C must not overlap A or B.
 */
export function dgemmAccumulate(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, scratch: usize): void {
  const panel = scratch;
  const tile = scratch + (<usize>K << 5);
  const M4 = M & ~3;
  for (let j = 0; j < N; j += 4) {
    const w = min(4, N - j);
    // pack B[:, j..j+w) as K rows of four doubles, zeros past the last column
    for (let k = 0; k < K; k++) {
      const src = b + ((<usize>k * ldb + j) << 3);
      const dst = panel + (<usize>k << 5);
      for (let t = 0; t < 4; t++) store<f64>(dst + (<usize>t << 3), t < w ? load<f64>(src + (<usize>t << 3)) : 0.0);
    }
    for (let i = 0; i < M; i += 4) {
      const h = i < M4 ? 4 : M - i;
      const cp = c + ((<usize>i * ldc + j) << 3);
      if (h === 4 && w === 4) {
        block4Rows(K, a + ((<usize>i * lda) << 3), lda, 4, panel, cp, ldc);
        continue;
      }
      // an edge: through a 4 x 4 tile (rows past M read row i again and are dropped)
      for (let r = 0; r < 4; r++) for (let t = 0; t < 4; t++) {
        store<f64>(tile + (<usize>(r * 4 + t) << 3), r < h && t < w ? load<f64>(cp + ((<usize>r * ldc + t) << 3)) : 0.0);
      }
      block4Rows(K, a + ((<usize>i * lda) << 3), lda, h, panel, tile, 4);
      for (let r = 0; r < h; r++) for (let t = 0; t < w; t++) {
        store<f64>(cp + ((<usize>r * ldc + t) << 3), load<f64>(tile + (<usize>(r * 4 + t) << 3)));
      }
    }
  }
}

/**
 * C[4 x 4 at cp, stride ldc] += `h` (1..4) rows of A at ap (stride lda) x the packed panel; with h < 4 the
 * missing rows repeat the first and their sums are dropped by the caller.
 */
@inline function block4Rows(K: i32, ap: usize, lda: i32, h: i32, panel: usize, cp: usize, ldc: i32): void {
  const rs = <usize>lda << 3;
  const a0 = ap;
  const a1 = h > 1 ? ap + rs : ap;
  const a2 = h > 2 ? ap + 2 * rs : ap;
  const a3 = h > 3 ? ap + 3 * rs : ap;
  const ld = <usize>ldc << 3;
  const c0 = cp;
  const c1 = cp + ld;
  const c2 = c1 + ld;
  const c3 = c2 + ld;
  let s00 = v128.load(c0), s01 = v128.load(c0, 16);
  let s10 = v128.load(c1), s11 = v128.load(c1, 16);
  let s20 = v128.load(c2), s21 = v128.load(c2, 16);
  let s30 = v128.load(c3), s31 = v128.load(c3, 16);
  let bp = panel;
  for (let k = 0; k < K; k++) {
    const o = <usize>k << 3;
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load64_splat(a0 + o);
    s00 = f64x2.add(s00, f64x2.mul(x, b0)); s01 = f64x2.add(s01, f64x2.mul(x, b1));
    x = v128.load64_splat(a1 + o);
    s10 = f64x2.add(s10, f64x2.mul(x, b0)); s11 = f64x2.add(s11, f64x2.mul(x, b1));
    x = v128.load64_splat(a2 + o);
    s20 = f64x2.add(s20, f64x2.mul(x, b0)); s21 = f64x2.add(s21, f64x2.mul(x, b1));
    x = v128.load64_splat(a3 + o);
    s30 = f64x2.add(s30, f64x2.mul(x, b0)); s31 = f64x2.add(s31, f64x2.mul(x, b1));
    bp += 32;
  }
  v128.store(c0, s00); v128.store(c0, s01, 16);
  v128.store(c1, s10); v128.store(c1, s11, 16);
  v128.store(c2, s20); v128.store(c2, s21, 16);
  v128.store(c3, s30); v128.store(c3, s31, 16);
}
