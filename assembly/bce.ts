/**
 * Binary cross-entropy on probabilities in float32, one pass each way, in place of the dozen elementwise kernels
 * (and their copies) the formula takes op by op. Each lane computes exactly what those kernels computed, in the
 * same order and with the same log (elementwise.ts's log4), so the results are theirs bit for bit:
 *   loss = (y - 1) * clamp(log(1 - x), -100) - y * clamp(log(x), -100)
 *   dx   = (g * (x - y)) / max(x * (1 - x), eps)
 * A ragged last group of one to three elements runs zero-padded through the same lanes.
 */
import { CLAMP, log4, unary4 } from './elementwise';
import { load4, store4 } from './simd';

/** log(v) clamped below at -100: the unary kernels' log and clamp (p = -100, q = inf), so their bits. */
@inline function clampedLog4(v: v128): v128 {
  return unary4(CLAMP, log4(v), f32x4.splat(-100), f32x4.splat(Infinity));
}

/**
 * out[i] = the loss of probability x[i] against target y[i], for n elements; range[0], range[1] = the least and
 * greatest x (NaN if any x is NaN), for the caller's check that x holds probabilities.
 */
export function bceF32(x: usize, y: usize, out: usize, n: i32, range: usize): void {
  const one = f32x4.splat(1);
  let lo = f32x4.splat(Infinity);
  let hi = f32x4.splat(-Infinity);
  let i = 0;
  for (; i < n; i += 4) {
    const k = min(4, n - i);
    const o = <usize>i << 2;
    const xv = load4(x + o, k);
    const yv = load4(y + o, k);
    if (k == 4) {
      lo = f32x4.min(lo, xv);
      hi = f32x4.max(hi, xv);
    }
    const a = f32x4.mul(f32x4.sub(yv, one), clampedLog4(f32x4.sub(one, xv)));
    const b = f32x4.mul(yv, clampedLog4(xv));
    store4(out + o, f32x4.sub(a, b), k);
  }
  let l = min(min(f32x4.extract_lane(lo, 0), f32x4.extract_lane(lo, 1)), min(f32x4.extract_lane(lo, 2), f32x4.extract_lane(lo, 3)));
  let h = max(max(f32x4.extract_lane(hi, 0), f32x4.extract_lane(hi, 1)), max(f32x4.extract_lane(hi, 2), f32x4.extract_lane(hi, 3)));
  // the ragged last one to three elements, which the lanes above left out
  for (let j = n & ~3; j < n; j++) {
    const v = load<f32>(x + (<usize>j << 2));
    l = min(l, v);
    h = max(h, v);
  }
  store<f32>(range, l);
  store<f32>(range, h, 4);
}

/**
 * out[i] = the loss's gradient at x[i] for incoming gradient g[i] (or g[0] for every i when gScalar is 1), target
 * y[i], for n elements.
 */
export function bceBackwardF32(g: usize, gScalar: i32, x: usize, y: usize, out: usize, n: i32, eps: f32): void {
  const one = f32x4.splat(1);
  const ev = f32x4.splat(eps);
  const gs = gScalar ? v128.load32_splat(g) : f32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const k = min(4, n - i);
    const o = <usize>i << 2;
    const xv = load4(x + o, k);
    const gv = gScalar ? gs : load4(g + o, k);
    const num = f32x4.mul(gv, f32x4.sub(xv, load4(y + o, k)));
    const den = f32x4.max(f32x4.mul(xv, f32x4.sub(one, xv)), ev);
    store4(out + o, f32x4.div(num, den), k);
  }
}
