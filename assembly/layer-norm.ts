/**
 * Layer normalization over rows of `n` contiguous floats, one kernel each way (the reference is
 * src/backend/cpu/layer-norm.ts). Every row sum is taken in float64: eight lanes (four f64x2 pairs, four independent
 * chains of additions) over the whole groups of eight, a group of four left into the first four lanes, the lanes
 * added, then the 1-3 trailing elements in order; the mean and 1 / sqrt(var + eps) stay float64. The elementwise
 * passes run in float32 lanes, centring on the mean split into two floats (x - mf - ml, mf + ml the float64 mean to
 * ~48 bits), so a row far from zero loses nothing to a rounded mean. Backward, the weight and bias gradients are
 * float64 sums over the rows in row order of the float64 products the cpu kernel adds, so given the same statistics
 * they are the cpu kernel's bit for bit. A row whose float32 constants overflow (a spread below ~1e-38 with eps = 0)
 * runs the float64 reference arithmetic instead. Every element takes a path fixed by its column.
 */

/** Lanes 0-1 of four floats as a float64 pair. */
@inline function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2-3 of four floats as a float64 pair. */
@inline function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1));
}

/** (a + b) lane 0 + lane 1. */
@inline function lanes(a: v128, b: v128): f64 {
  const s = f64x2.add(a, b);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** Sum of the n floats at p, in float64: eight lanes over whole groups of eight, four over a group of four left. */
@inline function rowSum(p: usize, n: i32): f64 {
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let c = f64x2.splat(0);
  let d = f64x2.splat(0);
  let i = 0;
  // four independent chains: one chain's additions wait on each other
  for (; i + 8 <= n; i += 8) {
    const v = v128.load(p + (<usize>i << 2));
    const u = v128.load(p + (<usize>i << 2), 16);
    a = f64x2.add(a, low(v));
    b = f64x2.add(b, high(v));
    c = f64x2.add(c, low(u));
    d = f64x2.add(d, high(u));
  }
  if (i + 4 <= n) {
    const v = v128.load(p + (<usize>i << 2));
    a = f64x2.add(a, low(v));
    b = f64x2.add(b, high(v));
    i += 4;
  }
  let s = lanes(f64x2.add(a, c), f64x2.add(b, d));
  for (; i < n; i++) s += <f64>load<f32>(p + (<usize>i << 2));
  return s;
}

/** acc + (v - m)^2, lane-wise on float64 pairs. */
@inline function square(acc: v128, v: v128, m: v128): v128 {
  const d = f64x2.sub(v, m);
  return f64x2.add(acc, f64x2.mul(d, d));
}

/** Sum of (x - mean)^2 over the n floats at p, in float64, the lanes as rowSum's. */
@inline function rowSquares(p: usize, n: i32, mean: f64): f64 {
  const m = f64x2.splat(mean);
  let a = f64x2.splat(0);
  let b = f64x2.splat(0);
  let c = f64x2.splat(0);
  let d = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const v = v128.load(p + (<usize>i << 2));
    const u = v128.load(p + (<usize>i << 2), 16);
    a = square(a, low(v), m);
    b = square(b, high(v), m);
    c = square(c, low(u), m);
    d = square(d, high(u), m);
  }
  if (i + 4 <= n) {
    const v = v128.load(p + (<usize>i << 2));
    a = square(a, low(v), m);
    b = square(b, high(v), m);
    i += 4;
  }
  let s = lanes(f64x2.add(a, c), f64x2.add(b, d));
  for (; i < n; i++) {
    const e = <f64>load<f32>(p + (<usize>i << 2)) - mean;
    s += e * e;
  }
  return s;
}

/** y = ((x - mf - ml) * rf) [* w] [+ b] over one row, in float32 (hasW, hasB constant where inlined). */
@inline function affineRow(xr: usize, w: usize, b: usize, yr: usize, n: i32, mf: f32, ml: f32, rf: f32, hasW: bool, hasB: bool): void {
  const mv = f32x4.splat(mf);
  const lv = f32x4.splat(ml);
  const rv = f32x4.splat(rf);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let v = f32x4.mul(f32x4.sub(f32x4.sub(v128.load(xr + o), mv), lv), rv);
    if (hasW) v = f32x4.mul(v, v128.load(w + o));
    if (hasB) v = f32x4.add(v, v128.load(b + o));
    v128.store(yr + o, v);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let v = (load<f32>(xr + o) - mf - ml) * rf;
    if (hasW) v *= load<f32>(w + o);
    if (hasB) v += load<f32>(b + o);
    store<f32>(yr + o, v);
  }
}

/** The forward's elementwise pass over one row in float64, as the cpu kernel computes it (w, b: 0 for none). */
function affineRowF64(xr: usize, w: usize, b: usize, yr: usize, n: i32, mean: f64, rstd: f64): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    let v = (<f64>load<f32>(xr + o) - mean) * rstd;
    if (w) v *= <f64>load<f32>(w + o);
    if (b) v += <f64>load<f32>(b + o);
    store<f32>(yr + o, <f32>v);
  }
}

/**
 * Layer normalization of `rows` rows of `n` floats at x into y: ((x - mean) / sqrt(var + eps)) * w + b per row (w
 * and b n floats, or 0 for none), var the biased variance; the float64 means and 1 / sqrt(var + eps) of the rows to
 * `means` and `rstds`.
 */
export function layerNormF32(x: usize, w: usize, b: usize, y: usize, means: usize, rstds: usize, rows: i32, n: i32, eps: f64): void {
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * n) << 2;
    const xr = x + off;
    const yr = y + off;
    const mean = rowSum(xr, n) / <f64>n;
    const rstd = 1 / Math.sqrt(rowSquares(xr, n, mean) / <f64>n + eps);
    store<f64>(means + (<usize>r << 3), mean);
    store<f64>(rstds + (<usize>r << 3), rstd);
    const mf = <f32>mean;
    const ml = <f32>(mean - <f64>mf);
    const rf = <f32>rstd;
    if (!isFinite<f32>(rf) && isFinite<f64>(rstd)) affineRowF64(xr, w, b, yr, n, mean, rstd);
    else if (w && b) affineRow(xr, w, b, yr, n, mf, ml, rf, true, true);
    else if (w) affineRow(xr, w, b, yr, n, mf, ml, rf, true, false);
    else if (b) affineRow(xr, w, b, yr, n, mf, ml, rf, false, true);
    else affineRow(xr, w, b, yr, n, mf, ml, rf, false, false);
  }
}

/**
 * One row's float64 pass of the backward: adds g * xhat and g to the float64 dweight and dbias sums at dw and
 * db (xhat = (x - mean) * rstd), and returns the row sums a = sum(gw) and c = sum(gw * xhat), gw = g [* w], as a
 * float64 pair [a, c].
 */
@inline function gradSums(xr: usize, gr: usize, w: usize, dw: usize, db: usize, n: i32, mean: f64, rstd: f64, hasW: bool): v128 {
  const m = f64x2.splat(mean);
  const s = f64x2.splat(rstd);
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let c0 = f64x2.splat(0);
  let c1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const o8 = <usize>i << 3;
    const xv = v128.load(xr + o);
    const gv = v128.load(gr + o);
    const g0 = low(gv);
    const g1 = high(gv);
    const h0 = f64x2.mul(f64x2.sub(low(xv), m), s);
    const h1 = f64x2.mul(f64x2.sub(high(xv), m), s);
    let w0 = g0;
    let w1 = g1;
    if (hasW) {
      const wv = v128.load(w + o);
      w0 = f64x2.mul(g0, low(wv));
      w1 = f64x2.mul(g1, high(wv));
    }
    a0 = f64x2.add(a0, w0);
    a1 = f64x2.add(a1, w1);
    c0 = f64x2.add(c0, f64x2.mul(w0, h0));
    c1 = f64x2.add(c1, f64x2.mul(w1, h1));
    v128.store(dw + o8, f64x2.add(v128.load(dw + o8), f64x2.mul(g0, h0)));
    v128.store(dw + o8, f64x2.add(v128.load(dw + o8, 16), f64x2.mul(g1, h1)), 16);
    v128.store(db + o8, f64x2.add(v128.load(db + o8), g0));
    v128.store(db + o8, f64x2.add(v128.load(db + o8, 16), g1), 16);
  }
  let a = lanes(a0, a1);
  let c = lanes(c0, c1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const o8 = <usize>i << 3;
    const g = <f64>load<f32>(gr + o);
    const h = (<f64>load<f32>(xr + o) - mean) * rstd;
    const gw = hasW ? g * <f64>load<f32>(w + o) : g;
    a += gw;
    c += gw * h;
    store<f64>(dw + o8, load<f64>(dw + o8) + g * h);
    store<f64>(db + o8, load<f64>(db + o8) + g);
  }
  return f64x2.replace_lane(f64x2.splat(a), 1, c);
}

/** dx = rf * ((g [* w] - af) - xhat * cf), xhat = (x - mf - ml) * rf, over one row in float32. */
@inline function gradRow(xr: usize, gr: usize, w: usize, dr: usize, n: i32, mf: f32, ml: f32, rf: f32, af: f32, cf: f32, hasW: bool): void {
  const mv = f32x4.splat(mf);
  const lv = f32x4.splat(ml);
  const rv = f32x4.splat(rf);
  const av = f32x4.splat(af);
  const cv = f32x4.splat(cf);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const h = f32x4.mul(f32x4.sub(f32x4.sub(v128.load(xr + o), mv), lv), rv);
    let gw = v128.load(gr + o);
    if (hasW) gw = f32x4.mul(gw, v128.load(w + o));
    v128.store(dr + o, f32x4.mul(rv, f32x4.sub(f32x4.sub(gw, av), f32x4.mul(h, cv))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const h = (load<f32>(xr + o) - mf - ml) * rf;
    let gw = load<f32>(gr + o);
    if (hasW) gw *= load<f32>(w + o);
    store<f32>(dr + o, rf * ((gw - af) - h * cf));
  }
}

/** The backward's dx over one row in float64, as the cpu kernel computes it (w: 0 for none; a, c the row means). */
function gradRowF64(xr: usize, gr: usize, w: usize, dr: usize, n: i32, mean: f64, rstd: f64, a: f64, c: f64): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const g = <f64>load<f32>(gr + o);
    const gw = w ? g * <f64>load<f32>(w + o) : g;
    store<f32>(dr + o, <f32>(rstd * (gw - a - (<f64>load<f32>(xr + o) - mean) * rstd * c)));
  }
}

/**
 * Layer normalization's gradient over `rows` rows of `n` floats: from x, the output gradient g, the forward's
 * float64 `means` and `rstds` and w (n floats, or 0 for none), dx = rstd * (gw - mean(gw) - xhat * mean(gw * xhat))
 * per row (gw = g * w), and g * xhat and g added, row after row, to the float64 sums dweight at acc and dbias at
 * acc + 8n (the caller zeroes them, or passes an earlier chunk's sums on).
 */
export function layerNormBackwardF32(x: usize, g: usize, w: usize, means: usize, rstds: usize, dx: usize, acc: usize, rows: i32, n: i32): void {
  const dw = acc;
  const db = acc + (<usize>n << 3);
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * n) << 2;
    const xr = x + off;
    const gr = g + off;
    const mean = load<f64>(means + (<usize>r << 3));
    const rstd = load<f64>(rstds + (<usize>r << 3));
    const ac = w ? gradSums(xr, gr, w, dw, db, n, mean, rstd, true) : gradSums(xr, gr, w, dw, db, n, mean, rstd, false);
    const a = f64x2.extract_lane(ac, 0) / <f64>n;
    const c = f64x2.extract_lane(ac, 1) / <f64>n;
    const mf = <f32>mean;
    const ml = <f32>(mean - <f64>mf);
    const rf = <f32>rstd;
    const af = <f32>a;
    const cf = <f32>c;
    const overflow = (!isFinite<f32>(rf) && isFinite<f64>(rstd)) || (!isFinite<f32>(af) && isFinite<f64>(a)) || (!isFinite<f32>(cf) && isFinite<f64>(c));
    if (overflow) gradRowF64(xr, gr, w, dx + off, n, mean, rstd, a, c);
    else if (w) gradRow(xr, gr, w, dx + off, n, mf, ml, rf, af, cf, true);
    else gradRow(xr, gr, w, dx + off, n, mf, ml, rf, af, cf, false);
  }
}
