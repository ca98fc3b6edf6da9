/**
 * Batch normalization with batch statistics on contiguous float32 [N, C, L] tensors, one kernel each way
 * (the reference is src/backend/cpu/norm.ts). Each export handles `count` channels starting at the ones its
 * pointers address, so the TypeScript side can split the channels over threads; every channel is summed by
 * one thread, plane after plane, into float64 pairs, so the result does not depend on the thread count.
 * `x`, `y`, `dy` and `dx` point at the first plane of the first channel (image stride C * L floats); `stats`
 * and `dwb` at the first channel's mean / dweight, the variance / dbias lying C floats further on. Also the
 * leaky ReLU's gradient, an elementwise pass.
 */

/** Sum of the L floats at p, in two float64 lanes (then added), plus a scalar tail. */
@inline function planeSum(p: usize, L: i32): f64 {
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= L; i += 4) {
    const v = v128.load(p + (<usize>i << 2));
    a = f64x2.add(a, f64x2.promote_low_f32x4(v));
    b = f64x2.add(b, f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1)));
  }
  let s = f64x2.extract_lane(f64x2.add(a, b), 0) + f64x2.extract_lane(f64x2.add(a, b), 1);
  for (; i < L; i++) s += <f64>load<f32>(p + (<usize>i << 2));
  return s;
}

/** Sum of (x - m)^2 over the L floats at p. */
@inline function planeSquares(p: usize, L: i32, m: f32): f64 {
  const mv = f32x4.splat(m);
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= L; i += 4) {
    const d = f32x4.sub(v128.load(p + (<usize>i << 2)), mv);
    const lo = f64x2.promote_low_f32x4(d);
    const hi = f64x2.promote_low_f32x4(v128.shuffle<i32>(d, d, 2, 3, 0, 1));
    a = f64x2.add(a, f64x2.mul(lo, lo));
    b = f64x2.add(b, f64x2.mul(hi, hi));
  }
  let s = f64x2.extract_lane(f64x2.add(a, b), 0) + f64x2.extract_lane(f64x2.add(a, b), 1);
  for (; i < L; i++) {
    const d = <f64>(load<f32>(p + (<usize>i << 2)) - m);
    s += d * d;
  }
  return s;
}

/**
 * y = (x - mean) * scale + shift per channel, scale = weight / sqrt(var + eps) and shift = bias (weight and
 * bias read only where hasW / hasB), and stats = [mean; biased var].
 */
export function batchNormF32(
  x: usize, w: usize, b: usize, y: usize, stats: usize, count: i32, N: i32, C: i32, L: i32, eps: f64, hasW: i32, hasB: i32,
): void {
  const img = (<usize>C * L) << 2;
  const n = <f64>N * <f64>L;
  for (let c = 0; c < count; c++) {
    const xc = x + ((<usize>c * L) << 2);
    const yc = y + ((<usize>c * L) << 2);
    let sum: f64 = 0;
    for (let i = 0; i < N; i++) sum += planeSum(xc + <usize>i * img, L);
    const mean = <f32>(sum / n);
    let sq: f64 = 0;
    for (let i = 0; i < N; i++) sq += planeSquares(xc + <usize>i * img, L, mean);
    const variance = <f32>(sq / n);
    store<f32>(stats + (<usize>c << 2), mean);
    store<f32>(stats + ((<usize>(C + c)) << 2), variance);
    const wc: f64 = hasW ? <f64>load<f32>(w + (<usize>c << 2)) : 1;
    const scale = <f32>(wc / Math.sqrt(<f64>variance + eps));
    const shift: f32 = hasB ? load<f32>(b + (<usize>c << 2)) : 0;
    const mv = f32x4.splat(mean);
    const sv = f32x4.splat(scale);
    const tv = f32x4.splat(shift);
    for (let i = 0; i < N; i++) {
      const src = xc + <usize>i * img;
      const dst = yc + <usize>i * img;
      let l = 0;
      for (; l + 4 <= L; l += 4) {
        const o = <usize>l << 2;
        v128.store(dst + o, f32x4.add(f32x4.mul(f32x4.sub(v128.load(src + o), mv), sv), tv));
      }
      for (; l < L; l++) {
        const o = <usize>l << 2;
        store<f32>(dst + o, (load<f32>(src + o) - mean) * scale + shift);
      }
    }
  }
}

/**
 * From x, dy and the forward's stats: dwb = [sum(dy * xhat); sum(dy)] and dx = k1 * dy + k2 * (x - mean) + k3,
 * which is weight * invstd * (dy - mean(dy) - xhat * mean(dy * xhat)).
 */
export function batchNormBackwardF32(
  x: usize, dy: usize, stats: usize, w: usize, dx: usize, dwb: usize, count: i32, N: i32, C: i32, L: i32, eps: f64, hasW: i32,
): void {
  const img = (<usize>C * L) << 2;
  const n = <f64>N * <f64>L;
  for (let c = 0; c < count; c++) {
    const off = (<usize>c * L) << 2;
    const mean = load<f32>(stats + (<usize>c << 2));
    const invstd = 1 / Math.sqrt(<f64>load<f32>(stats + ((<usize>(C + c)) << 2)) + eps);
    const mv = f32x4.splat(mean);
    let sdy: f64 = 0;
    let sdyx: f64 = 0;
    for (let i = 0; i < N; i++) {
      const xp = x + off + <usize>i * img;
      const gp = dy + off + <usize>i * img;
      let a = f64x2.splat(0), b = f64x2.splat(0), p = f64x2.splat(0), q = f64x2.splat(0);
      let l = 0;
      for (; l + 4 <= L; l += 4) {
        const o = <usize>l << 2;
        const g = v128.load(gp + o);
        const d = f32x4.sub(v128.load(xp + o), mv);
        const glo = f64x2.promote_low_f32x4(g);
        const ghi = f64x2.promote_low_f32x4(v128.shuffle<i32>(g, g, 2, 3, 0, 1));
        a = f64x2.add(a, glo);
        b = f64x2.add(b, ghi);
        p = f64x2.add(p, f64x2.mul(glo, f64x2.promote_low_f32x4(d)));
        q = f64x2.add(q, f64x2.mul(ghi, f64x2.promote_low_f32x4(v128.shuffle<i32>(d, d, 2, 3, 0, 1))));
      }
      const s = f64x2.add(a, b);
      const t = f64x2.add(p, q);
      sdy += f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
      sdyx += f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
      for (; l < L; l++) {
        const o = <usize>l << 2;
        const g = <f64>load<f32>(gp + o);
        sdy += g;
        sdyx += g * <f64>(load<f32>(xp + o) - mean);
      }
    }
    sdyx *= invstd;
    store<f32>(dwb + (<usize>c << 2), <f32>sdyx);
    store<f32>(dwb + ((<usize>(C + c)) << 2), <f32>sdy);
    const wc: f64 = hasW ? <f64>load<f32>(w + (<usize>c << 2)) : 1;
    const k1 = wc * invstd;
    const k2 = <f32>(-k1 * invstd * sdyx / n);
    const k3 = <f32>(-k1 * sdy / n);
    const k1f = <f32>k1;
    const v1 = f32x4.splat(k1f);
    const v2 = f32x4.splat(k2);
    const v3 = f32x4.splat(k3);
    for (let i = 0; i < N; i++) {
      const xp = x + off + <usize>i * img;
      const gp = dy + off + <usize>i * img;
      const dp = dx + off + <usize>i * img;
      let l = 0;
      for (; l + 4 <= L; l += 4) {
        const o = <usize>l << 2;
        const d = f32x4.sub(v128.load(xp + o), mv);
        v128.store(dp + o, f32x4.add(f32x4.add(f32x4.mul(v128.load(gp + o), v1), f32x4.mul(d, v2)), v3));
      }
      for (; l < L; l++) {
        const o = <usize>l << 2;
        store<f32>(dp + o, load<f32>(gp + o) * k1f + (load<f32>(xp + o) - mean) * k2 + k3);
      }
    }
  }
}

/** out[i] = x[i] > 0 ? g[i] : slope * g[i] for n floats (NaN x takes the slope). */
export function leakyReluBackwardF32(x: usize, g: usize, out: usize, n: i32, slope: f32): void {
  const sv = f32x4.splat(slope);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    v128.store(out + o, v128.bitselect(gv, f32x4.mul(gv, sv), f32x4.gt(v128.load(x + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    store<f32>(out + o, load<f32>(x + o) > 0 ? gi : gi * slope);
  }
}
