/**
 * Dropout's keep mask from a xoshiro128** state, drawn exactly as src/backend/cpu/random.ts draws it (and so as
 * the tensor layer's Generator does): two 32-bit words per element make a 53-bit uniform, rounded to float32.
 */

/** Fills `out` (n float32) with `scale` where the next uniform is >= `threshold`, else 0; `state` (4 i32) advances. */
export function bernoulliMaskF32(state: usize, out: usize, n: i32, threshold: f32, scale: f32): void {
  let s0 = load<u32>(state);
  let s1 = load<u32>(state, 4);
  let s2 = load<u32>(state, 8);
  let s3 = load<u32>(state, 12);
  for (let i = 0; i < n; i++) {
    // first word: its high 27 bits
    const w0 = rotl<u32>(s1 * 5, 7) * 9;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<u32>(s3, 11);
    // second word: its high 26 bits
    const w1 = rotl<u32>(s1 * 5, 7) * 9;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<u32>(s3, 11);
    const u = <f32>((<f64>(w0 >>> 5) * 67108864.0 + <f64>(w1 >>> 6)) / 9007199254740992.0);
    store<f32>(out + (<usize>i << 2), u >= threshold ? scale : 0);
  }
  store<u32>(state, s0);
  store<u32>(state, s1, 4);
  store<u32>(state, s2, 8);
  store<u32>(state, s3, 12);
}
