/**
 * The wasm backend's float64 matmul, on the float64 kernel of assembly/dgemm.ts. It gives the cpu backend's
 * float64 matmul bit for bit (src/backend/cpu/matmul.ts): like it, each block of 256 steps of k is summed from
 * zero in order of k and then added to C — so the two backends agree exactly in float64 — at about three times
 * its speed (split over the kernel threads as the host product is).
 * @module
 */
import type { Storage, View } from '../types.js';
import { HostStorage, denseData, sizeOf } from '../cpu/storage.js';
import { dgemmInArena } from './f64-gemm.js';
import type { WasmRuntime } from './runtime.js';
import type { ThreadPool } from './threads.js';

/** Steps of k summed from zero before they are added to C (the cpu backend's KC). */
const KC = 256;

/** out[b] = a[b] @ b[b] for float64 views [..., M, K] and [..., K, N] with equal batch shapes. */
export function matmulF64(rt: WasmRuntime, pool: ThreadPool, a: View, b: View, name: string): Storage {
  const r = a.shape.length;
  const M = a.shape[r - 2];
  const K = a.shape[r - 1];
  const N = b.shape[r - 1];
  const count = sizeOf(a.shape.slice(0, r - 2));
  const out = new Float64Array(count * M * N);
  if (out.length === 0 || K === 0) return new HostStorage('float64', out, name);
  const A = denseData(a) as Float64Array;
  const B = denseData(b) as Float64Array;
  for (let t = 0; t < count; t++) {
    rt.reset();
    const ap = rt.alloc(M * K * 8);
    const bp = rt.alloc(K * N * 8);
    const tp = rt.alloc(M * N * 8);
    let mem = new Float64Array(rt.memory.buffer);
    mem.set(A.subarray(t * M * K, (t + 1) * M * K), ap >> 3);
    mem.set(B.subarray(t * K * N, (t + 1) * K * N), bp >> 3);
    const c = out.subarray(t * M * N, (t + 1) * M * N);
    for (let pc = 0; pc < K; pc += KC) {
      const depth = Math.min(KC, K - pc);
      mem = new Float64Array(rt.memory.buffer);
      const tile = mem.subarray(tp >> 3, (tp >> 3) + M * N);
      tile.fill(0);
      dgemmInArena(rt, pool, M, N, depth, ap + pc * 8, K, bp + pc * N * 8, N, tp, N);
      if (pc === 0) c.set(tile);
      else for (let i = 0; i < c.length; i++) c[i] += tile[i];
    }
  }
  return new HostStorage('float64', out, name);
}
