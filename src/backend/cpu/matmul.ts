/**
 * Batched matrix multiply of the cpu backend: each batch's operands are made row-major (no copy when they
 * already are), then a cache-blocked loop computes four rows of C per pass over a panel of B.
 * @module
 */
import type { DType, Storage, TypedArray, View } from '../types.js';
import { CpuStorage, allocArray, denseData, offsetsOf } from './storage.js';

const KB = 128; // rows of B per panel
const JB = 512; // columns of B per panel

/** `out[b] = a[b] @ b[b]` for every batch index; batch shapes are equal (broadcast already applied). */
export function matmul(a: View, b: View, dtype: DType): Storage {
  const r = a.shape.length;
  const M = a.shape[r - 2];
  const K = a.shape[r - 1];
  const N = b.shape[r - 1];
  const batchShape = a.shape.slice(0, r - 2);
  const aBase = offsetsOf(batchShape, a.strides.slice(0, r - 2), a.offset);
  const bBase = offsetsOf(batchShape, b.strides.slice(0, r - 2), b.offset);
  const batches = aBase.length;
  const out = allocArray(dtype, batches * M * N);
  const aMat = { storage: a.storage, shape: [M, K], strides: a.strides.slice(r - 2), offset: 0 };
  const bMat = { storage: b.storage, shape: [K, N], strides: b.strides.slice(r - 2), offset: 0 };
  for (let t = 0; t < batches; t++) {
    const A = denseData({ ...aMat, offset: aBase[t] });
    const B = denseData({ ...bMat, offset: bBase[t] });
    gemm(A, B, out, t * M * N, M, K, N);
  }
  return new CpuStorage(dtype, out);
}

/** C[cOff + i*N + j] += sum_k A[i*K + k] * B[k*N + j], with C starting at zero. */
function gemm(A: TypedArray, B: TypedArray, C: TypedArray, cOff: number, M: number, K: number, N: number): void {
  for (let j0 = 0; j0 < N; j0 += JB) {
    const j1 = Math.min(N, j0 + JB);
    for (let k0 = 0; k0 < K; k0 += KB) {
      const k1 = Math.min(K, k0 + KB);
      let i = 0;
      for (; i + 4 <= M; i += 4) {
        const c0 = cOff + i * N;
        const c1 = c0 + N;
        const c2 = c1 + N;
        const c3 = c2 + N;
        for (let k = k0; k < k1; k++) {
          const a0 = A[i * K + k];
          const a1 = A[(i + 1) * K + k];
          const a2 = A[(i + 2) * K + k];
          const a3 = A[(i + 3) * K + k];
          const bRow = k * N;
          for (let j = j0; j < j1; j++) {
            const bv = B[bRow + j];
            C[c0 + j] += a0 * bv;
            C[c1 + j] += a1 * bv;
            C[c2 + j] += a2 * bv;
            C[c3 + j] += a3 * bv;
          }
        }
      }
      for (; i < M; i++) {
        const c0 = cOff + i * N;
        for (let k = k0; k < k1; k++) {
          const a0 = A[i * K + k];
          const bRow = k * N;
          for (let j = j0; j < j1; j++) C[c0 + j] += a0 * B[bRow + j];
        }
      }
    }
  }
}
