/**
 * Batched matrix multiply of the cpu backend. Operands are packed into float64 panels (4 rows of A, 4 columns
 * of B, a cache-sized block of K at a time) and a 4x4 register-blocked micro-kernel accumulates each block
 * of C in local variables, the classic GEMM layout scaled down to what a JS JIT keeps in registers.
 * @module
 */
import type { DType, Storage, TypedArray, View } from '../types.js';
import { HostStorage, allocArray, arrayOf, offsetsOf } from './storage.js';

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 512;

/** `out[b] = a[b] @ b[b]` for every batch index; batch shapes are equal (broadcast already applied). */
export function matmul(a: View, b: View, dtype: DType): Storage {
  const r = a.shape.length;
  const M = a.shape[r - 2];
  const K = a.shape[r - 1];
  const N = b.shape[r - 1];
  const batchShape = a.shape.slice(0, r - 2);
  const aBase = offsetsOf(batchShape, a.strides.slice(0, r - 2), a.offset);
  const bBase = offsetsOf(batchShape, b.strides.slice(0, r - 2), b.offset);
  const out = allocArray(dtype, aBase.length * M * N);
  const A = arrayOf(a);
  const B = arrayOf(b);
  const [ars, acs] = [a.strides[r - 2], a.strides[r - 1]];
  const [brs, bcs] = [b.strides[r - 2], b.strides[r - 1]];
  const ap = new Float64Array(MC * KC);
  const bp = new Float64Array(KC * NC);
  for (let t = 0; t < aBase.length; t++) {
    gemm(A, aBase[t], ars, acs, B, bBase[t], brs, bcs, out, t * M * N, M, K, N, ap, bp);
  }
  return new HostStorage(dtype, out);
}

/** C (row-major at cOff) = A (strided) x B (strided), blocked and packed. */
function gemm(
  A: TypedArray, aOff: number, ars: number, acs: number,
  B: TypedArray, bOff: number, brs: number, bcs: number,
  C: TypedArray, cOff: number, M: number, K: number, N: number,
  ap: Float64Array, bp: Float64Array,
): void {
  const acc = new Float64Array(MR * NR);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packB(B, bOff + pc * brs + jc * bcs, brs, bcs, kc, nc, bp);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packA(A, aOff + ic * ars + pc * acs, ars, acs, mc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            kernel4x4(ap, ir * kc, bp, jr * kc, kc, acc);
            const c0 = cOff + (ic + ir) * N + jc + jr;
            for (let i = 0; i < mr; i++) {
              for (let j = 0; j < nr; j++) C[c0 + i * N + j] += acc[i * NR + j];
            }
          }
        }
      }
    }
  }
}

/** Packs an mc x kc block of A into MR-row panels: panel p holds A[p*MR + i][k] at p*MR*kc + k*MR + i. */
function packA(A: TypedArray, off: number, rs: number, cs: number, mc: number, kc: number, ap: Float64Array): void {
  for (let p = 0; p < mc; p += MR) {
    const base = p * kc;
    for (let i = 0; i < MR; i++) {
      const row = p + i;
      if (row < mc) {
        const src = off + row * rs;
        for (let k = 0; k < kc; k++) ap[base + k * MR + i] = A[src + k * cs];
      } else {
        for (let k = 0; k < kc; k++) ap[base + k * MR + i] = 0;
      }
    }
  }
}

/** Packs a kc x nc block of B into NR-column panels: panel q holds B[k][q*NR + j] at q*NR*kc + k*NR + j. */
function packB(B: TypedArray, off: number, rs: number, cs: number, kc: number, nc: number, bp: Float64Array): void {
  for (let q = 0; q < nc; q += NR) {
    const base = q * kc;
    for (let j = 0; j < NR; j++) {
      const col = q + j;
      if (col < nc) {
        const src = off + col * cs;
        for (let k = 0; k < kc; k++) bp[base + k * NR + j] = B[src + k * rs];
      } else {
        for (let k = 0; k < kc; k++) bp[base + k * NR + j] = 0;
      }
    }
  }
}

/** acc (4x4) = packed A panel x packed B panel over kc, with all 16 sums in locals. */
function kernel4x4(ap: Float64Array, ao: number, bp: Float64Array, bo: number, kc: number, acc: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let k = 0; k < kc; k++) {
    const a = ao + k * 4;
    const b = bo + k * 4;
    const a0 = ap[a], a1 = ap[a + 1], a2 = ap[a + 2], a3 = ap[a + 3];
    const b0 = bp[b], b1 = bp[b + 1], b2 = bp[b + 2], b3 = bp[b + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  acc[0] = c00; acc[1] = c01; acc[2] = c02; acc[3] = c03;
  acc[4] = c10; acc[5] = c11; acc[6] = c12; acc[7] = c13;
  acc[8] = c20; acc[9] = c21; acc[10] = c22; acc[11] = c23;
  acc[12] = c30; acc[13] = c31; acc[14] = c32; acc[15] = c33;
}
