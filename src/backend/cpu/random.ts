/**
 * Bulk uniform draws from a xoshiro128** state (the stream of the tensor layer's `Generator`), and dropout's keep
 * mask drawn from them in one pass (`Kernels.bernoulliMask`). The state is four 32-bit words in an Int32Array,
 * advanced in place, so a generator's stream continues where a kernel left it.
 * @module
 */
import type { DType, Storage } from '../types.js';
import { HostStorage } from './storage.js';
import { scratchFloat32 } from '../array-pool.js';

/** x rotated left by k bits, as a 32-bit integer (xoshiro128**'s rotation). */
export function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Fills `out` with uniforms in [0, 1) from `state` (advanced by two words per sample): the high 27 bits of the
 * first word and the high 26 of the second make a 53-bit double, rounded to float32 when `out` is a Float32Array.
 */
export function fillUniform(state: Int32Array, out: Float64Array | Float32Array): void {
  let s0 = state[0];
  let s1 = state[1];
  let s2 = state[2];
  let s3 = state[3];
  let hi = 0;
  for (let w = 0; w < 2 * out.length; w++) {
    const word = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    if ((w & 1) === 0) hi = word >>> 5;
    else out[w >> 1] = (hi * 67108864 + (word >>> 6)) / 9007199254740992;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/**
 * Dropout's keep mask of `n` elements in `dtype` (float32 or float64): each uniform `fillUniform` draws (in that
 * dtype), `scale` where it is >= `threshold`, else 0; `threshold` and `scale` are given in that dtype.
 */
export function bernoulliMask(state: Int32Array, n: number, threshold: number, scale: number, dtype: DType): Storage {
  const u = dtype === 'float32' ? scratchFloat32(n) : new Float64Array(n);
  fillUniform(state, u);
  for (let i = 0; i < n; i++) u[i] = u[i] >= threshold ? scale : 0;
  return new HostStorage(dtype, u);
}
