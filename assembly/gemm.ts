/**
 * Single-precision GEMM: C (M x N, row stride ldc) = A (M x K) x B (K x N), or C += A x B. A and B are read
 * through element strides, so every transpose combination is a stride choice. Classic blocking: B is packed
 * into NR-column panels of a KC x NC block, A into MR-row panels of an MC x KC block, and a 6 x 8
 * register-blocked micro-kernel (12 four-lane accumulators) runs over the packed panels.
 */
import { madd } from './simd';

const MR: i32 = 6;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 96;
const NC: i32 = 2048;

/** Bytes of scratch one `sgemm` call needs (packed A, packed B, an edge tile). */
export function sgemmScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

/**
 * C = A x B (accumulate = 0) or C += A x B (accumulate = 1). Pointers are byte addresses; strides count
 * elements and must be >= 0. `scratch` points at `sgemmScratchBytes()` bytes owned by the caller's thread.
 */
export function sgemm(
  M: i32, N: i32, K: i32,
  a: usize, ars: i32, acs: i32,
  b: usize, brs: i32, bcs: i32,
  c: usize, ldc: i32, accumulate: i32, scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (!accumulate) {
    for (let i = 0; i < M; i++) memory.fill(c + ((<usize>i * ldc) << 2), 0, <usize>N << 2);
  }
  if (K <= 0) return;
  const pa = scratch;
  const pb = scratch + ((<usize>MC * KC) << 2);
  const tile = pb + ((<usize>KC * NC) << 2);
  // With one panel of rows each B element is used once: packing it would cost as much as using it, so
  // row-major B is then read in place (full panels) and only a ragged last panel is packed.
  const direct = M <= MR && bcs == 1;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const bblock = b + ((<usize>pc * brs + <usize>jc * bcs) << 2);
      if (direct) {
        const full = nc - (nc % NR);
        if (full < nc) packB(bblock + (<usize>full << 2), brs, bcs, kc, nc - full, pb + ((<usize>full * kc) << 2));
      } else {
        packB(bblock, brs, bcs, kc, nc, pb);
      }
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(a + ((<usize>ic * ars + <usize>pc * acs) << 2), ars, acs, mc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bpanel = pb + ((<usize>jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const apanel = pa + ((<usize>ir * kc) << 2);
            const cp = c + ((<usize>(ic + ir) * ldc + <usize>(jc + jr)) << 2);
            const bsrc = direct && nr == NR ? bblock + (<usize>jr << 2) : bpanel;
            const bstep = direct && nr == NR ? brs : NR;
            if (mr == MR && nr == NR) {
              kernel(kc, apanel, bsrc, bstep, cp, ldc);
            } else {
              memory.fill(tile, 0, MR * NR * 4);
              kernel(kc, apanel, bsrc, bstep, tile, NR);
              for (let i = 0; i < mr; i++) {
                const crow = cp + ((<usize>i * ldc) << 2);
                const trow = tile + ((<usize>i * NR) << 2);
                for (let j = 0; j < nr; j++) {
                  const q = crow + (<usize>j << 2);
                  store<f32>(q, load<f32>(q) + load<f32>(trow + (<usize>j << 2)));
                }
              }
            }
          }
        }
      }
    }
  }
}

/** Packs kc x nc of B into NR-column panels (zero-padded): panel p holds B[k][p*NR + j] at p*NR*kc + k*NR + j. */
function packB(b: usize, rs: i32, cs: i32, kc: i32, nc: i32, out: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = min(NR, nc - j0);
    let dst = out + ((<usize>j0 * kc) << 2);
    if (nr == NR && cs == 1) {
      let src = b + (<usize>j0 << 2);
      const step = <usize>rs << 2;
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += step;
        dst += NR * 4;
      }
    } else if (nr == NR && rs == 1) {
      // a transposed B (each column contiguous along k): 4 k steps of 8 columns as two 4x4 transposes
      const col = b + ((<usize>j0 * cs) << 2);
      const cstep = <usize>cs << 2;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const c0 = col + (<usize>k << 2);
        transpose4Store(dst, c0, cstep);
        transpose4Store(dst + 16, c0 + 4 * cstep, cstep);
        dst += 4 * NR * 4;
      }
      for (; k < kc; k++) {
        const src = col + (<usize>k << 2);
        for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + <usize>j * cstep));
        dst += NR * 4;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const src = b + ((<usize>k * rs + <usize>j0 * cs) << 2);
        let j = 0;
        for (; j < nr; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + ((<usize>j * cs) << 2)));
        for (; j < NR; j++) store<f32>(dst + (<usize>j << 2), 0);
        dst += NR * 4;
      }
    }
  }
}

/**
 * Reads four consecutive floats from each of four columns (at src, src + cstep, ...) and stores them
 * transposed: row r (the floats at k + r) goes to dst + r * NR * 4, four lanes wide.
 */
@inline function transpose4Store(dst: usize, src: usize, cstep: usize): void {
  const a = v128.load(src);
  const b = v128.load(src + cstep);
  const c = v128.load(src + 2 * cstep);
  const d = v128.load(src + 3 * cstep);
  const t0 = v128.shuffle<i32>(a, b, 0, 4, 1, 5);
  const t1 = v128.shuffle<i32>(a, b, 2, 6, 3, 7);
  const t2 = v128.shuffle<i32>(c, d, 0, 4, 1, 5);
  const t3 = v128.shuffle<i32>(c, d, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + NR * 4, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * NR * 4, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * NR * 4, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7));
}

/** Packs mc x kc of A into MR-row panels (zero-padded): panel p holds A[p*MR + i][k] at p*MR*kc + k*MR + i. */
function packA(a: usize, rs: i32, cs: i32, mc: i32, kc: i32, out: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = min(MR, mc - i0);
    const base = out + ((<usize>i0 * kc) << 2);
    if (mr == MR && cs == 1) {
      packRowsA(a + ((<usize>i0 * rs) << 2), <usize>rs << 2, kc, base);
      continue;
    }
    for (let i = 0; i < MR; i++) {
      let dst = base + (<usize>i << 2);
      if (i < mr) {
        let src = a + ((<usize>(i0 + i) * rs) << 2);
        const step = <usize>cs << 2;
        for (let k = 0; k < kc; k++) {
          store<f32>(dst, load<f32>(src));
          src += step;
          dst += MR * 4;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          store<f32>(dst, 0);
          dst += MR * 4;
        }
      }
    }
  }
}

/**
 * Packs a full panel of six row-major rows (each contiguous along k, `rstep` bytes apart): four k steps at a
 * time, rows 0-3 through a 4x4 transpose and rows 4-5 interleaved in pairs.
 */
function packRowsA(src: usize, rstep: usize, kc: i32, dst: usize): void {
  let k = 0;
  for (; k + 4 <= kc; k += 4) {
    const p = src + (<usize>k << 2);
    const a = v128.load(p);
    const b = v128.load(p + rstep);
    const c = v128.load(p + 2 * rstep);
    const d = v128.load(p + 3 * rstep);
    const e = v128.load(p + 4 * rstep);
    const f = v128.load(p + 5 * rstep);
    const t0 = v128.shuffle<i32>(a, b, 0, 4, 1, 5);
    const t1 = v128.shuffle<i32>(a, b, 2, 6, 3, 7);
    const t2 = v128.shuffle<i32>(c, d, 0, 4, 1, 5);
    const t3 = v128.shuffle<i32>(c, d, 2, 6, 3, 7);
    const u0 = v128.shuffle<i32>(e, f, 0, 4, 1, 5);
    const u1 = v128.shuffle<i32>(e, f, 2, 6, 3, 7);
    v128.store(dst, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5));
    v128.store64_lane(dst + 16, u0, 0);
    v128.store(dst + 24, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7));
    v128.store64_lane(dst + 40, u0, 1);
    v128.store(dst + 48, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5));
    v128.store64_lane(dst + 64, u1, 0);
    v128.store(dst + 72, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7));
    v128.store64_lane(dst + 88, u1, 1);
    dst += 4 * MR * 4;
  }
  for (; k < kc; k++) {
    const p = src + (<usize>k << 2);
    for (let i = 0; i < MR; i++) store<f32>(dst + (<usize>i << 2), load<f32>(p + <usize>i * rstep));
    dst += MR * 4;
  }
}

/** C[6 x 8] (row stride ldc) += packed A panel x B panel (8 floats per k step, `bstep` floats apart) over kc steps. */
@inline function kernel(kc: i32, ap: usize, bp: usize, bstep: i32, cp: usize, ldc: i32): void {
  const bs = <usize>bstep << 2;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  // two k steps per iteration: the loop's own bookkeeping is then a small share of the work
  let k = 0;
  for (; k + 2 <= kc; k += 2) {
    {
      const q = bp;
      const b0 = v128.load(q);
      const b1 = v128.load(q, 16);
      let a = v128.load32_splat(ap, 0);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load32_splat(ap, 4);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a = v128.load32_splat(ap, 8);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
      a = v128.load32_splat(ap, 12);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
      a = v128.load32_splat(ap, 16);
      c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
      a = v128.load32_splat(ap, 20);
      c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
    }
    {
      const q = bp + bs;
      const b0 = v128.load(q);
      const b1 = v128.load(q, 16);
      let a = v128.load32_splat(ap, 24);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load32_splat(ap, 28);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a = v128.load32_splat(ap, 32);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
      a = v128.load32_splat(ap, 36);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
      a = v128.load32_splat(ap, 40);
      c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
      a = v128.load32_splat(ap, 44);
      c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
    }
    ap += 2 * MR * 4;
    bp += 2 * bs;
  }
  if (k < kc) {
    {
      const q = bp;
      const b0 = v128.load(q);
      const b1 = v128.load(q, 16);
      let a = v128.load32_splat(ap, 0);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load32_splat(ap, 4);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a = v128.load32_splat(ap, 8);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
      a = v128.load32_splat(ap, 12);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
      a = v128.load32_splat(ap, 16);
      c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
      a = v128.load32_splat(ap, 20);
      c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
    }
  }
  const ld = <usize>ldc << 2;
  v128.store(cp, f32x4.add(v128.load(cp), c00)); v128.store(cp, f32x4.add(v128.load(cp, 16), c01), 16); cp += ld;
  v128.store(cp, f32x4.add(v128.load(cp), c10)); v128.store(cp, f32x4.add(v128.load(cp, 16), c11), 16); cp += ld;
  v128.store(cp, f32x4.add(v128.load(cp), c20)); v128.store(cp, f32x4.add(v128.load(cp, 16), c21), 16); cp += ld;
  v128.store(cp, f32x4.add(v128.load(cp), c30)); v128.store(cp, f32x4.add(v128.load(cp, 16), c31), 16); cp += ld;
  v128.store(cp, f32x4.add(v128.load(cp), c40)); v128.store(cp, f32x4.add(v128.load(cp, 16), c41), 16); cp += ld;
  v128.store(cp, f32x4.add(v128.load(cp), c50)); v128.store(cp, f32x4.add(v128.load(cp, 16), c51), 16);
}

/** `sgemm` over `count` batches whose operands lie `abs`, `bbs`, `cbs` elements apart. */
export function sgemmBatched(
  count: i32, M: i32, N: i32, K: i32,
  a: usize, ars: i32, acs: i32, abs: i32,
  b: usize, brs: i32, bcs: i32, bbs: i32,
  c: usize, ldc: i32, cbs: i32, accumulate: i32, scratch: usize,
): void {
  for (let t = 0; t < count; t++) {
    sgemm(
      M, N, K,
      a + ((<usize>t * abs) << 2), ars, acs,
      b + ((<usize>t * bbs) << 2), brs, bcs,
      c + ((<usize>t * cbs) << 2), ldc, accumulate, scratch,
    );
  }
}
