/**
 * Float32 elementwise kernels. `unaryF32` maps a dense array; `binaryF32` combines a dense `a` with `b` read
 * through a broadcast pattern: element i of the output uses b[(i / bRep) % bInner] (bInner = n, bRep = 1 for a
 * dense b; bInner = 1 for a scalar; bRep > 1 for a per-channel value repeated over a plane). `swap` computes
 * op(b, a) instead, so a broadcast first operand needs no extra op codes.
 */

// Unary op codes (keep in sync with src/backend/wasm/kernels.ts).
const NEG = 0, ABS = 1, SQRT = 2, RSQRT = 3, RECIPROCAL = 4, SQUARE = 5, RELU = 6, LEAKY_RELU = 7;
export const CLAMP = 8;
const EXP = 9;
/** Op code of tanh in `unary4`. */
export const TANH = 10;
/** Op code of the logistic sigmoid in `unary4`. */
export const SIGMOID = 11;
const LOG = 12;
// Binary op codes.
const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5, MASK_POSITIVE = 6;

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/** e^x on four lanes: range reduction by ln 2 and a degree-6 polynomial (Cephes), about 1 ulp; NaN stays NaN. */
@inline export function exp4(x: v128): v128 {
  const big = f32x4.gt(x, f32x4.splat(88.72283));
  const small = f32x4.lt(x, f32x4.splat(-87.33654));
  const nan = f32x4.ne(x, x);
  // pmin/pmax (one instruction each; min/max cost several for NaN and signed zeros): a NaN lane stays NaN here and
  // is replaced by x at the end, and the range ends are not zeros
  const xc = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.33654)), f32x4.splat(88.72283));
  // n = nearest(xc log2 e) by the 1.5 * 2^23 trick (the sum rounds to an integer, ties to even, as nearest does;
  // |xc log2 e| < 129), which also gives n as an integer in the low mantissa bits: cheaper than nearest + trunc_sat
  const magic = f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), f32x4.splat(12582912.0));
  const n = f32x4.sub(magic, f32x4.splat(12582912.0));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  const y = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1));
  // Scale by 2^n in two halves so n = 128 (x near the top of the range) does not overflow the exponent.
  const ni = i32x4.sub(magic, i32x4.splat(0x4b400000));
  const h = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(h, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, h), i32x4.splat(127)), 23);
  let out = f32x4.mul(f32x4.mul(y, s1), s2);
  out = v128.bitselect(f32x4.splat(Infinity), out, big);
  out = v128.bitselect(f32x4.splat(0), out, small);
  return v128.bitselect(x, out, nan);
}

/**
 * ln x on four lanes (Cephes logf): x = m 2^e with m in [sqrt(1/2), sqrt(2)), a degree-9 polynomial in m - 1,
 * about 1 ulp; subnormals scaled into range first; 0 gives -inf, negatives NaN, +inf and NaN themselves.
 */
@inline export function log4(x: v128): v128 {
  const sub = f32x4.lt(x, f32x4.splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(33554432.0)), x, sub);
  const e0 = i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(126));
  let m = v128.or(v128.and(xs, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  let e = f32x4.convert_i32x4_s(i32x4.sub(e0, v128.and(sub, i32x4.splat(25))));
  // m in [0.5, 1): below sqrt(1/2) take 2m - 1 and e - 1, else m - 1
  const low = f32x4.lt(m, f32x4.splat(0.707106781186547524));
  e = f32x4.sub(e, v128.and(low, f32x4.splat(1)));
  m = f32x4.add(f32x4.sub(m, f32x4.splat(1)), v128.and(low, m));
  const z = f32x4.mul(m, m);
  let y = f32x4.splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = f32x4.add(y, f32x4.mul(e, f32x4.splat(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  let r = f32x4.add(f32x4.add(m, y), f32x4.mul(e, f32x4.splat(LN2_HI)));
  r = v128.bitselect(f32x4.splat(NaN), r, f32x4.lt(x, f32x4.splat(0)));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  r = v128.bitselect(x, r, v128.or(f32x4.eq(x, f32x4.splat(Infinity)), f32x4.ne(x, x)));
  return r;
}

@inline export function unary4(op: i32, x: v128, p: v128, q: v128): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case ABS: return f32x4.abs(x);
    case SQRT: return f32x4.sqrt(x);
    case RSQRT: return f32x4.div(f32x4.splat(1), f32x4.sqrt(x));
    case RECIPROCAL: return f32x4.div(f32x4.splat(1), x);
    case SQUARE: return f32x4.mul(x, x);
    // x <= 0 is false for NaN, so NaN passes through as in PyTorch.
    case RELU: return v128.bitselect(f32x4.splat(0), x, f32x4.le(x, f32x4.splat(0)));
    case LEAKY_RELU: return v128.bitselect(f32x4.mul(x, p), x, f32x4.le(x, f32x4.splat(0)));
    case CLAMP: {
      // min(max(x, p), q): the upper test reads the raised value, so p > q gives q everywhere (as PyTorch)
      const lo = v128.bitselect(p, x, f32x4.lt(x, p));
      return v128.bitselect(q, lo, f32x4.gt(lo, q));
    }
    case EXP: return exp4(x);
    case TANH: {
      // tanh x = sign(x) (1 - 2 / (e^{2|x|} + 1)), and x itself where |x| is tiny (keeps relative accuracy)
      const ax = f32x4.abs(x);
      const e = exp4(f32x4.mul(ax, f32x4.splat(2)));
      const t = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
      const signed = v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
      return v128.bitselect(x, signed, f32x4.lt(ax, f32x4.splat(0.0004)));
    }
    case SIGMOID: {
      // 1 / (1 + e^{-x}), written as e^x / (1 + e^x) for x < 0 so neither form overflows: one division with the
      // numerator picked per lane gives exactly the quotient of the chosen form
      const e = exp4(f32x4.neg(f32x4.abs(x)));
      const num = v128.bitselect(f32x4.splat(1), e, f32x4.ge(x, f32x4.splat(0)));
      return f32x4.div(num, f32x4.add(f32x4.splat(1), e));
    }
    case LOG: return log4(x);
    default: return x;
  }
}

/** out[i] = op(x[i]) for n float32 elements; `p`, `q` are the op's parameters (slope, clamp bounds). */
export function unaryF32(op: i32, x: usize, out: usize, n: i32, p: f32, q: f32): void {
  const pv = f32x4.splat(p);
  const qv = f32x4.splat(q);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, unary4(op, v128.load(x + o), pv, qv));
  }
  if (i < n) {
    // The last 1-3 elements go through one zero-padded lane group so every op keeps one definition.
    const o = <usize>i << 2;
    let v = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(x + o));
    if (i + 1 < n) v = f32x4.replace_lane(v, 1, load<f32>(x + o, 4));
    if (i + 2 < n) v = f32x4.replace_lane(v, 2, load<f32>(x + o, 8));
    const r = unary4(op, v, pv, qv);
    store<f32>(out + o, f32x4.extract_lane(r, 0));
    if (i + 1 < n) store<f32>(out + o, f32x4.extract_lane(r, 1), 4);
    if (i + 2 < n) store<f32>(out + o, f32x4.extract_lane(r, 2), 8);
  }
}

@inline function binary4(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    // WebAssembly's max/min propagate NaN from either side, as PyTorch's maximum/minimum do.
    case MAXIMUM: return f32x4.max(a, b);
    case MINIMUM: return f32x4.min(a, b);
    case MASK_POSITIVE: return v128.and(a, f32x4.gt(b, f32x4.splat(0)));
    default: return a;
  }
}

@inline function binary1(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV: return a / b;
    case MAXIMUM: return a != a || b != b ? NaN : max(a, b);
    case MINIMUM: return a != a || b != b ? NaN : min(a, b);
    case MASK_POSITIVE: return b > 0 ? a : 0;
    default: return a;
  }
}

/** out[i] = op(a[i], b[(i / bRep) % bInner]) (or op(b, a) when swap) for n float32 elements. */
export function binaryF32(op: i32, a: usize, b: usize, bInner: i32, bRep: i32, swap: i32, out: usize, n: i32): void {
  // With bRep 1, b is a dense block of bInner floats repeated (a bias row, an attention mask): SIMD over each
  // repetition. bInner >= n reads b densely once (a chunk of a dense op keeps the whole op's bInner).
  if (bRep == 1) {
    for (let i = 0; i < n; i += bInner) {
      const o = <usize>i << 2;
      runDense(op, a + o, b, out + o, min(bInner, n - i), swap);
    }
    return;
  }
  // Walk runs of bRep outputs that share one b value.
  let i = 0;
  let k = 0;
  while (i < n) {
    const len = min(bRep, n - i);
    const o = <usize>i << 2;
    runScalar(op, a + o, load<f32>(b + (<usize>k << 2)), out + o, len, swap);
    i += len;
    k++;
    if (k == bInner) k = 0;
  }
}

@inline function runDense(op: i32, a: usize, b: usize, out: usize, n: i32, swap: i32): void {
  let i = 0;
  if (swap) {
    for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, binary4(op, v128.load(b + o), v128.load(a + o))); }
    for (; i < n; i++) { const o = <usize>i << 2; store<f32>(out + o, binary1(op, load<f32>(b + o), load<f32>(a + o))); }
  } else {
    for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, binary4(op, v128.load(a + o), v128.load(b + o))); }
    for (; i < n; i++) { const o = <usize>i << 2; store<f32>(out + o, binary1(op, load<f32>(a + o), load<f32>(b + o))); }
  }
}

@inline function runScalar(op: i32, a: usize, s: f32, out: usize, n: i32, swap: i32): void {
  const sv = f32x4.splat(s);
  let i = 0;
  if (swap) {
    for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, binary4(op, sv, v128.load(a + o))); }
    for (; i < n; i++) { const o = <usize>i << 2; store<f32>(out + o, binary1(op, s, load<f32>(a + o))); }
  } else {
    for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, binary4(op, v128.load(a + o), sv)); }
    for (; i < n; i++) { const o = <usize>i << 2; store<f32>(out + o, binary1(op, load<f32>(a + o), s)); }
  }
}
