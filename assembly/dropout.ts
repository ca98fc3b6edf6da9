/**
 * Dropout by hashing: the keep decision for index n of a batch b is fmix(fmix(n * SPREAD ^ seedLo) ^ key(b)) >= a
 * threshold, MurmurHash3's finalizer twice under a 64-bit seed (src/backend/cpu/drop-hash.ts computes the same
 * draws). Any element's draw is known without drawing those before it: threads need no shared stream, and a
 * backward pass recomputes the factors instead of keeping a mask. Used by the fused attention (attention.ts) and
 * by dropout itself (`dropoutF32`).
 */

/** MurmurHash3's 32-bit finalizer. */
@inline function fmix(h: u32): u32 {
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >> 16);
}

/** `fmix`, four lanes. */
@inline function fmix4(h: v128): v128 {
  h = v128.xor(h, i32x4.shr_u(h, 16));
  h = i32x4.mul(h, i32x4.splat(0x85ebca6b));
  h = v128.xor(h, i32x4.shr_u(h, 13));
  h = i32x4.mul(h, i32x4.splat(0xc2b2ae35));
  return v128.xor(h, i32x4.shr_u(h, 16));
}

/** The odd factor on an index before the seed is mixed in (so that no two (index, seed) pairs meet by XOR alone). */
const SPREAD: u32 = 0x85ebca77;

/** Batch b's key: the seed's high word mixed with b (a wrapping product with 2^32 / golden ratio). */
@inline export function batchKey(seedHi: u32, b: i32): u32 {
  return seedHi ^ (<u32>b * 0x9e3779b9);
}

/**
 * `len` floats from `src` times dropout's factor into `dst` (may be `src`), for indices first .. first + len - 1:
 * `keepScale` where the draw fmix(fmix(index * SPREAD ^ seedLo) ^ key) is >= the unsigned `threshold`, else 0 (a
 * product, as the composite's `x * mask`, so a NaN stays NaN).
 */
export function dropRun(src: usize, dst: usize, len: i32, first: u32, threshold: u32, keepScale: f32, seedLo: u32, key: u32): void {
  const lo = i32x4.splat(seedLo);
  const kv = i32x4.splat(key);
  const thr = i32x4.splat(threshold);
  const ks = f32x4.splat(keepScale);
  // n * SPREAD for n = first + j, four lanes, stepped by additions
  let n = i32x4.mul(i32x4.add(i32x4.splat(first), i32x4(0, 1, 2, 3)), i32x4.splat(SPREAD));
  const step = i32x4.splat(4 * SPREAD);
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    const u = fmix4(v128.xor(fmix4(v128.xor(n, lo)), kv));
    const factor = v128.and(i32x4.ge_u(u, thr), ks);
    const o = <usize>j << 2;
    v128.store(dst + o, f32x4.mul(v128.load(src + o), factor));
    n = i32x4.add(n, step);
  }
  for (; j < len; j++) {
    const u = fmix(fmix(((first + <u32>j) * SPREAD) ^ seedLo) ^ key);
    const o = <usize>j << 2;
    store<f32>(dst + o, load<f32>(src + o) * (u >= threshold ? keepScale : 0));
  }
}

/**
 * out = x times dropout's factor for `count` elements of indices first .. first + count - 1 (batch 0's key: the
 * seed's high word); dropout's output and, applied to the output gradient, its input gradient.
 */
export function dropoutF32(x: usize, out: usize, count: i32, first: u32, threshold: u32, keepScale: f32, seedLo: u32, seedHi: u32): void {
  dropRun(x, out, count, first, threshold, keepScale, seedLo, batchKey(seedHi, 0));
}
