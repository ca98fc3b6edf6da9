/**
 * Float32 reductions over the middle axis of a dense [outer, red, inner] array: sums (accumulated in float64),
 * maxima and minima (NaN-propagating, as PyTorch). Any set of consecutive reduced axes takes this shape.
 */

const SUM = 0, MAX = 1, MIN = 2;

/** out[o, i] = op over r of x[o, r, i]. */
export function reduceF32(op: i32, x: usize, out: usize, outer: i32, red: i32, inner: i32): void {
  const plane = <usize>red * inner;
  for (let o = 0; o < outer; o++) {
    const src = x + ((<usize>o * plane) << 2);
    const dst = out + ((<usize>o * inner) << 2);
    if (inner == 1) {
      store<f32>(dst, reduceRow(op, src, red));
      continue;
    }
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      let p = src + (<usize>i << 2);
      const step = <usize>inner << 2;
      if (op == SUM) {
        let lo = f64x2.splat(0);
        let hi = f64x2.splat(0);
        for (let r = 0; r < red; r++) {
          const v = v128.load(p);
          lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
          hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1)));
          p += step;
        }
        v128.store(dst + (<usize>i << 2), v128.shuffle<i32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
      } else {
        let acc = v128.load(p);
        for (let r = 1; r < red; r++) {
          p += step;
          const v = v128.load(p);
          acc = op == MAX ? f32x4.max(acc, v) : f32x4.min(acc, v);
        }
        v128.store(dst + (<usize>i << 2), acc);
      }
    }
    for (; i < inner; i++) {
      const p = src + (<usize>i << 2);
      let acc: f64 = op == SUM ? 0 : <f64>load<f32>(p);
      for (let r = op == SUM ? 0 : 1; r < red; r++) {
        const v = <f64>load<f32>(p + ((<usize>r * inner) << 2));
        acc = op == SUM ? acc + v : op == MAX ? max(acc, v) : min(acc, v);
      }
      store<f32>(dst + (<usize>i << 2), <f32>acc);
    }
  }
}

/** Reduces `n` contiguous floats to one. */
function reduceRow(op: i32, p: usize, n: i32): f32 {
  let i = 0;
  if (op == SUM) {
    let a = f64x2.splat(0);
    let b = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(p + (<usize>i << 2));
      a = f64x2.add(a, f64x2.promote_low_f32x4(v));
      b = f64x2.add(b, f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1)));
    }
    const s = f64x2.add(a, b);
    let acc = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    for (; i < n; i++) acc += <f64>load<f32>(p + (<usize>i << 2));
    return <f32>acc;
  }
  if (n < 4) {
    let acc = load<f32>(p);
    for (i = 1; i < n; i++) {
      const v = load<f32>(p + (<usize>i << 2));
      acc = op == MAX ? max(acc, v) : min(acc, v);
    }
    return acc;
  }
  let acc = v128.load(p);
  for (i = 4; i + 4 <= n; i += 4) {
    const v = v128.load(p + (<usize>i << 2));
    acc = op == MAX ? f32x4.max(acc, v) : f32x4.min(acc, v);
  }
  const a0 = f32x4.extract_lane(acc, 0);
  const a1 = f32x4.extract_lane(acc, 1);
  const a2 = f32x4.extract_lane(acc, 2);
  const a3 = f32x4.extract_lane(acc, 3);
  let r = op == MAX ? max(max(a0, a1), max(a2, a3)) : min(min(a0, a1), min(a2, a3));
  for (; i < n; i++) {
    const v = load<f32>(p + (<usize>i << 2));
    r = op == MAX ? max(r, v) : min(r, v);
  }
  return r;
}

/**
 * out[o, i] = index r of the first maximum (op 0) or minimum (op 1) of x[o, r, i] over r, as int32; a NaN
 * counts as the extreme and the first NaN wins, as PyTorch's argmax/argmin.
 */
export function argReduceF32(op: i32, x: usize, out: usize, outer: i32, red: i32, inner: i32): void {
  const plane = <usize>red * inner;
  for (let o = 0; o < outer; o++) {
    const src = x + ((<usize>o * plane) << 2);
    const dst = out + ((<usize>o * inner) << 2);
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      let p = src + (<usize>i << 2);
      const step = <usize>inner << 2;
      let best = v128.load(p);
      let at = i32x4.splat(0);
      let nan = f32x4.ne(best, best);
      for (let r = 1; r < red; r++) {
        p += step;
        const v = v128.load(p);
        // lanes that already hold a NaN keep it; otherwise a NaN or a strictly better value takes over
        const better = v128.andnot(v128.or(op == 0 ? f32x4.gt(v, best) : f32x4.lt(v, best), f32x4.ne(v, v)), nan);
        best = v128.bitselect(v, best, better);
        at = v128.bitselect(i32x4.splat(r), at, better);
        nan = v128.or(nan, f32x4.ne(v, v));
      }
      v128.store(dst + (<usize>i << 2), at);
    }
    for (; i < inner; i++) {
      const p = src + (<usize>i << 2);
      let best = load<f32>(p);
      let at = 0;
      if (best == best) {
        for (let r = 1; r < red; r++) {
          const v = load<f32>(p + ((<usize>r * inner) << 2));
          if (v != v) { at = r; break; }
          if (op == 0 ? v > best : v < best) { best = v; at = r; }
        }
      }
      store<i32>(dst + (<usize>i << 2), at);
    }
  }
}
