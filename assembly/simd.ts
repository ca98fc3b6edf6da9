/**
 * SIMD helpers shared by the kernels. `madd` is a fused multiply-add where the engine has relaxed SIMD (the
 * build compiles this file twice, with and without it) and a multiply then add otherwise.
 */

/** `a * b + c`, lane-wise on four float32 lanes. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}
