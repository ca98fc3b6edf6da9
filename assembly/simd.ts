/**
 * SIMD helpers shared by the kernels. `madd` is a fused multiply-add where the engine has relaxed SIMD (the
 * build compiles the kernels with and without it) and a multiply then add otherwise; `load4`/`store4` move a
 * ragged last group of one to four floats.
 */

/** `a * b + c`, lane-wise on four float32 lanes. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Loads `k` (1..4) floats from p into the low lanes, zero above. */
@inline export function load4(p: usize, k: i32): v128 {
  if (k >= 4) return v128.load(p);
  let v = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(p));
  if (k > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (k > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores the low `k` (1..4) lanes of v at p. */
@inline export function store4(p: usize, v: v128, k: i32): void {
  if (k >= 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (k > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (k > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
