/**
 * Single-precision GEMM: C (M x N, row stride ldc) = A (M x K) x B (K x N), or C += A x B. A and B are read
 * through element strides, so every transpose combination is a stride choice. Classic blocking: B is packed
 * into NR-column panels of a KC x NC block, A into MR-row panels of an MC x KC block, and the register-blocked
 * micro-kernel (gemm-kernel.ts: 4 x 8, eight four-lane accumulators) runs over the packed panels. A B used for
 * many products can be packed once (`sgemmPackB`, `sgemmPacked`).
 */
import { kernel4 } from './gemm-kernel';

const MR: i32 = 4;
const NR: i32 = 8;
/** Depth of the GEMM's k blocks: each C element is one chain per block, the blocks' chains added in order. */
export const KC: i32 = 256;
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
  gemm(M, N, K, a, ars, acs, b, brs, bcs, 0, c, ldc, accumulate, scratch);
}

/** Floats `sgemmPackB` writes for a K x N matrix B. */
export function sgemmPackedBFloats(K: i32, N: i32): i32 {
  return K * ((N + NR - 1) / NR) * NR;
}

/**
 * Packs all of B (K x N, element strides brs, bcs) into `out` (sgemmPackedBFloats(K, N) floats), block by block
 * as `sgemm` would pack it call after call, so that `sgemmPacked` can reuse it: a product repeated with the same
 * B (a recurrent layer's weights, once per time step) then packs B once.
 */
export function sgemmPackB(K: i32, N: i32, b: usize, brs: i32, bcs: i32, out: usize): void {
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      packB(b + ((<usize>pc * brs + <usize>jc * bcs) << 2), brs, bcs, min(KC, K - pc), nc, out + packedOffset(jc, pc, K, nc));
    }
  }
}

/** `sgemm` with B already packed by `sgemmPackB(K, N, ...)` into `pb`; the same sums in the same order. */
export function sgemmPacked(M: i32, N: i32, K: i32, a: usize, ars: i32, acs: i32, pb: usize, c: usize, ldc: i32, accumulate: i32, scratch: usize): void {
  gemm(M, N, K, a, ars, acs, 0, 0, 0, pb, c, ldc, accumulate, scratch);
}

/** Byte offset of block (jc, pc) in a packed B: the column blocks before jc hold K x NC floats each. */
@inline function packedOffset(jc: i32, pc: i32, K: i32, nc: i32): usize {
  return (<usize>jc * K + <usize>pc * (((nc + NR - 1) / NR) * NR)) << 2;
}

/** The blocked product; B is packed here block by block (packed = 0) or was packed whole by `sgemmPackB`. */
function gemm(
  M: i32, N: i32, K: i32,
  a: usize, ars: i32, acs: i32,
  b: usize, brs: i32, bcs: i32, packed: usize,
  c: usize, ldc: i32, accumulate: i32, scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (!accumulate) {
    for (let i = 0; i < M; i++) memory.fill(c + ((<usize>i * ldc) << 2), 0, <usize>N << 2);
  }
  if (K <= 0) return;
  const pa = scratch;
  const tile = pa + ((<usize>MC * KC + <usize>KC * NC) << 2);
  // With one panel of rows each B element is used once: packing it would cost as much as using it, so
  // row-major B is then read in place (full panels) and only a ragged last panel is packed.
  const direct = packed == 0 && M <= 2 * MR && bcs == 1;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const bblock = b + ((<usize>pc * brs + <usize>jc * bcs) << 2);
      let pb = pa + ((<usize>MC * KC) << 2);
      if (packed != 0) {
        pb = packed + packedOffset(jc, pc, K, nc);
      } else if (direct) {
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
          const bsrc = direct && nr == NR ? bblock + (<usize>jr << 2) : bpanel;
          const bstep = direct && nr == NR ? brs : NR;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const apanel = pa + ((<usize>ir * kc) << 2);
            const cp = c + ((<usize>(ic + ir) * ldc + <usize>(jc + jr)) << 2);
            if (mr == MR && nr == NR) {
              kernel4(kc, apanel, bsrc, bstep, cp, ldc);
            } else {
              memory.fill(tile, 0, MR * NR * 4);
              kernel4(kc, apanel, bsrc, bstep, tile, NR);
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
 * transposed: row r (the floats at k + r) goes to dst + r * dstep bytes, four lanes wide.
 */
@inline function transpose4Store(dst: usize, src: usize, cstep: usize, dstep: usize = NR * 4): void {
  const a = v128.load(src);
  const b = v128.load(src + cstep);
  const c = v128.load(src + 2 * cstep);
  const d = v128.load(src + 3 * cstep);
  const t0 = v128.shuffle<i32>(a, b, 0, 4, 1, 5);
  const t1 = v128.shuffle<i32>(a, b, 2, 6, 3, 7);
  const t2 = v128.shuffle<i32>(c, d, 0, 4, 1, 5);
  const t3 = v128.shuffle<i32>(c, d, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + dstep, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * dstep, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * dstep, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7));
}

/**
 * Packs mc x kc of A into MR-row panels (the last one zero-padded): the panel starting at row i0 holds
 * A[i0 + i][k] at i0*kc + k*MR + i.
 */
function packA(a: usize, rs: i32, cs: i32, mc: i32, kc: i32, out: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = min(MR, mc - i0);
    const base = out + ((<usize>i0 * kc) << 2);
    const src = a + ((<usize>i0 * rs) << 2);
    if (mr == MR && cs == 1) {
      packRows4(src, <usize>rs << 2, kc, base);
    } else if (mr == MR && rs == 1) {
      // a transposed A: the panel's rows of one k step lie side by side
      const step = <usize>cs << 2;
      let p = src;
      let dst = base;
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(p));
        p += step;
        dst += MR * 4;
      }
    } else {
      for (let i = 0; i < MR; i++) {
        let dst = base + (<usize>i << 2);
        let p = src + ((<usize>i * rs) << 2);
        const step = <usize>cs << 2;
        for (let k = 0; k < kc; k++) {
          store<f32>(dst, i < mr ? load<f32>(p) : 0);
          p += step;
          dst += MR * 4;
        }
      }
    }
  }
}

/** Packs a full panel of four row-major rows (each contiguous along k, `rstep` bytes apart) through 4x4 transposes. */
function packRows4(src: usize, rstep: usize, kc: i32, dst: usize): void {
  let k = 0;
  for (; k + 4 <= kc; k += 4) {
    transpose4Store(dst, src + (<usize>k << 2), rstep, 16);
    dst += 4 * 4 * 4;
  }
  for (; k < kc; k++) {
    const p = src + (<usize>k << 2);
    for (let i = 0; i < 4; i++) store<f32>(dst + (<usize>i << 2), load<f32>(p + <usize>i * rstep));
    dst += 4 * 4;
  }
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
