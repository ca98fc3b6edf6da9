/**
 * Float32 softmax over the last dim, row by row, and its gradient: one pass to the row maximum, one writing the
 * shifted exponentials and summing them, one dividing — and backward dx = y (g - sum(g y)). Each row is summed four
 * lanes at a time, then across the lanes, then its 1-3 trailing elements, in that order whatever the thread
 * count (the pool splits whole rows).
 */
import { exp4 } from './elementwise';

/** The first `k` (1-3) floats at `p` in a vector whose other lanes are `pad`. */
@inline function partial(p: usize, k: i32, pad: f32): v128 {
  let v = f32x4.splat(pad);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (k > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (k > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores the first `k` (1-3) lanes of `v` at `p`. */
@inline function storePartial(p: usize, k: i32, v: v128): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (k > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (k > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** Lane 0 + lane 1 + lane 2 + lane 3. */
@inline function lanes(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * y = exp(x - m) / sum(exp(x - m)) for `rows` rows of `n` floats, m the row maximum — or 0 where that is infinite
 * or NaN, so that a row holding +inf or NaN gives NaN and a row of -inf gives NaN (0 / 0), as the op built from
 * max, exp, sum and div does.
 */
export function softmaxRowsF32(x: usize, y: usize, rows: i32, n: i32): void {
  const full = n & ~3;
  const k = n - full;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>r * n) << 2);
    const yr = y + ((<usize>r * n) << 2);
    // pmax is one instruction (max costs several for NaN and signed zeros); NaNs are looked for alongside
    let mv = f32x4.splat(-Infinity);
    let nan = i32x4.splat(0);
    for (let i = 0; i < full; i += 4) {
      const v = v128.load(xr + (<usize>i << 2));
      mv = f32x4.pmax(mv, v);
      nan = v128.or(nan, f32x4.ne(v, v));
    }
    if (k > 0) {
      const v = partial(xr + (<usize>full << 2), k, -Infinity);
      mv = f32x4.pmax(mv, v);
      nan = v128.or(nan, f32x4.ne(v, v));
    }
    const m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
    // a row holding a NaN is shifted by 0 (and gives NaN), as one whose maximum is infinite
    const shift = f32x4.splat(isFinite<f32>(m) && !v128.any_true(nan) ? m : 0);
    let sv = f32x4.splat(0);
    for (let i = 0; i < full; i += 4) {
      const e = exp4(f32x4.sub(v128.load(xr + (<usize>i << 2)), shift));
      v128.store(yr + (<usize>i << 2), e);
      sv = f32x4.add(sv, e);
    }
    let s = lanes(sv);
    if (k > 0) {
      const e = exp4(f32x4.sub(partial(xr + (<usize>full << 2), k, 0), shift));
      storePartial(yr + (<usize>full << 2), k, e);
      s += f32x4.extract_lane(e, 0);
      if (k > 1) s += f32x4.extract_lane(e, 1);
      if (k > 2) s += f32x4.extract_lane(e, 2);
    }
    const sum = f32x4.splat(s);
    for (let i = 0; i < full; i += 4) v128.store(yr + (<usize>i << 2), f32x4.div(v128.load(yr + (<usize>i << 2)), sum));
    if (k > 0) storePartial(yr + (<usize>full << 2), k, f32x4.div(partial(yr + (<usize>full << 2), k, 0), sum));
  }
}

/** dx = y (g - sum(g y)) row by row, for softmax outputs `y` and output gradients `g` of `rows` rows of `n` floats. */
export function softmaxBackwardRowsF32(y: usize, g: usize, dx: usize, rows: i32, n: i32): void {
  const full = n & ~3;
  const k = n - full;
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * n) << 2;
    const yr = y + off;
    const gr = g + off;
    const dr = dx + off;
    let dv = f32x4.splat(0);
    for (let i = 0; i < full; i += 4) dv = f32x4.add(dv, f32x4.mul(v128.load(gr + (<usize>i << 2)), v128.load(yr + (<usize>i << 2))));
    let d = lanes(dv);
    if (k > 0) {
      const t = f32x4.mul(partial(gr + (<usize>full << 2), k, 0), partial(yr + (<usize>full << 2), k, 0));
      d += f32x4.extract_lane(t, 0);
      if (k > 1) d += f32x4.extract_lane(t, 1);
      if (k > 2) d += f32x4.extract_lane(t, 2);
    }
    const dot = f32x4.splat(d);
    for (let i = 0; i < full; i += 4) {
      const o = <usize>i << 2;
      v128.store(dr + o, f32x4.mul(v128.load(yr + o), f32x4.sub(v128.load(gr + o), dot)));
    }
    if (k > 0) {
      const o = <usize>full << 2;
      storePartial(dr + o, k, f32x4.mul(partial(yr + o, k, 0), f32x4.sub(partial(gr + o, k, 0), dot)));
    }
  }
}
