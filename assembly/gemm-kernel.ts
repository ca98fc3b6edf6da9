/**
 * The GEMM's register-blocked micro-kernels: C[rows x 8] += a packed A panel (rows floats per k step) times
 * eight columns of B. Every C element is the same chain of fused multiply-adds over k, in order, whichever
 * kernel computes it, so how the rows are split into panels never changes a result.
 */
import { madd } from './simd';

/** C[6 x 8] (row stride ldc) += packed A panel x B panel (8 floats per k step, `bstep` floats apart) over kc steps. */
@inline export function kernel6(kc: i32, ap: usize, bp: usize, bstep: i32, cp: usize, ldc: i32): void {
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
    ap += 2 * 6 * 4;
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

/** C[4 x 8] (row stride ldc) += packed 4-row A panel x B panel (8 floats per k step, `bstep` floats apart) over kc steps. */
@inline export function kernel4(kc: i32, ap: usize, bp: usize, bstep: i32, cp: usize, ldc: i32): void {
  const bs = <usize>bstep << 2;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let k = 0;
  for (; k + 2 <= kc; k += 2) {
    {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      let a = v128.load32_splat(ap, 0);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load32_splat(ap, 4);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a = v128.load32_splat(ap, 8);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
      a = v128.load32_splat(ap, 12);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    }
    {
      const q = bp + bs;
      const b0 = v128.load(q);
      const b1 = v128.load(q, 16);
      let a = v128.load32_splat(ap, 16);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load32_splat(ap, 20);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a = v128.load32_splat(ap, 24);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
      a = v128.load32_splat(ap, 28);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    }
    ap += 2 * 4 * 4;
    bp += 2 * bs;
  }
  if (k < kc) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap, 0);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
  }
  const ld = <usize>ldc << 2;
  v128.store(cp, f32x4.add(v128.load(cp), c00)); v128.store(cp, f32x4.add(v128.load(cp, 16), c01), 16); cp += ld;
  v128.store(cp, f32x4.add(v128.load(cp), c10)); v128.store(cp, f32x4.add(v128.load(cp, 16), c11), 16); cp += ld;
  v128.store(cp, f32x4.add(v128.load(cp), c20)); v128.store(cp, f32x4.add(v128.load(cp, 16), c21), 16); cp += ld;
  v128.store(cp, f32x4.add(v128.load(cp), c30)); v128.store(cp, f32x4.add(v128.load(cp, 16), c31), 16);
}
