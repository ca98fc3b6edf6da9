/**
 * Dropout by hashing: the draw for index n of batch b is fmix(fmix(n * 0x85ebca77 ^ seedLo) ^ (seedHi ^ b *
 * 0x9e3779b9)), MurmurHash3's 32-bit finalizer twice under a 64-bit seed, every product wrapping at 2^32 (the factor
 * on n keeps two (index, seed) pairs from meeting by XOR alone); an element is kept when its draw is >= the spec's
 * threshold. Any element's draw is known without the others, so threads need no shared stream and a backward pass
 * recomputes the factors instead of keeping a mask. The wasm kernels compute the same draws (assembly/dropout.ts).
 * Also the cpu kernel `Kernels.dropoutScale`.
 * @module
 */
import type { DropoutSpec, Storage, TypedArray, View } from '../types.js';
import { HostStorage, allocArray, denseData } from './storage.js';

/** MurmurHash3's 32-bit finalizer. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Dropout's unsigned 32-bit draw for index `n` of batch `b` under the seed (seedLo, seedHi). */
export function dropDraw(seedLo: number, seedHi: number, b: number, n: number): number {
  const key = (seedHi ^ Math.imul(b, 0x9e3779b9)) >>> 0;
  return fmix((fmix((Math.imul(n, 0x85ebca77) ^ seedLo) >>> 0) ^ key) >>> 0);
}

/**
 * Dropout's factor on each element of `batches` batches of `perBatch` elements (indices 0 .. perBatch - 1 in each):
 * keepScale where kept (rounded to float32 for a Float32Array), else 0, into `out` [batches * perBatch].
 */
export function dropFactors(spec: DropoutSpec, batches: number, perBatch: number, out: TypedArray): TypedArray {
  const keep = out instanceof Float32Array ? Math.fround(spec.keepScale) : spec.keepScale;
  for (let b = 0, o = 0; b < batches; b++) {
    for (let n = 0; n < perBatch; n++, o++) out[o] = spec.threshold === 0 || dropDraw(spec.seedLo, spec.seedHi, b, n) >= spec.threshold ? keep : 0;
  }
  return out;
}

/** x times dropout's factor per element (row-major index n, batch 0), in x's dtype; x's shape. */
export function dropoutScale(x: View, spec: DropoutSpec): Storage {
  const dtype = x.storage.dtype;
  const xs = denseData(x);
  const out = allocArray(dtype, xs.length);
  dropFactors(spec, 1, xs.length, out);
  for (let i = 0; i < xs.length; i++) out[i] *= xs[i];
  return new HostStorage(dtype, out);
}
