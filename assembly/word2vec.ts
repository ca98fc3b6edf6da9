/**
 * word2vec's negative-sampling training of one job (a run of sentences) in the kernel memory: the loops of
 * src/text/word2vec-train.ts — subsampling, a reduced window per centre word, the negative draws from the
 * cumulative unigram table through its guide, the sigmoid table — with the same 48-bit generator drawn in the
 * same order, so the words kept, the windows and the rows chosen are the JavaScript version's; only the vector
 * arithmetic differs, four float32 lanes at a time (float32 sums, fused where relaxed SIMD is on) instead of
 * double sums, which changes the last bits.
 *
 * One call trains a whole job, so the per-pair work never crosses between JavaScript and WebAssembly. The job's
 * operands are set in module globals at the start of the call (only the calling thread runs this kernel).
 */
import { madd } from './simd';

const MAX_EXP: f64 = 6;
/** word2vec-train.ts's EXP_SCALE: EXP_TABLE_SIZE / MAX_EXP / 2, in double as there. */
const EXP_SCALE: f64 = 1000.0 / 6.0 / 2.0;
const GUIDE_SHIFT: u32 = 15;
const LCG_A: u64 = 25214903917;
const MASK48: u64 = 0xffffffffffff;
const LAST_MERSENNE: u32 = 0x7fffffff;

let syn0: usize = 0;
let syn1: usize = 0;
let size: i32 = 0;
let cum: usize = 0;
let last: u32 = 0;
let guide: usize = 0;
let sigmoid: usize = 0;
let work: usize = 0;
let rows: usize = 0;
let gains: usize = 0;
let ptrs: usize = 0;
let negative: i32 = 0;
let rng: u64 = 0;

/** next_random >> 16, then steps the state: Lcg48.draw of word2vec-train.ts, in 64-bit integers. */
@inline function draw(): u32 {
  const out = <u32>(rng >> 16);
  rng = (rng * LCG_A + 11) & MASK48;
  return out;
}

/** r mod last (2^31 = 1 mod 2^31 - 1, the table's usual last entry, saves the division). */
@inline function modLast(r: u32): u32 {
  if (last != LAST_MERSENNE) return r % last;
  const x = (r >>> 31) + (r & LAST_MERSENNE);
  return x >= LAST_MERSENNE ? x - LAST_MERSENNE : x;
}

/** bisect_left(cum, x) through the guide table. */
@inline function searchCum(x: u32): i32 {
  let t = load<i32>(guide + (<usize>(x >>> GUIDE_SHIFT) << 2));
  while (load<u32>(cum + (<usize>t << 2)) < x) t++;
  return t;
}

/** (label - sigmoid(dot)) * alpha from the table, 0 outside (-MAX_EXP, MAX_EXP) where word2vec skips the row. */
@inline function gain(dot: f32, label: f64, alpha: f64): f32 {
  const d = <f64>dot;
  if (d <= -MAX_EXP || d >= MAX_EXP) return 0;
  const i = <i32>Math.floor((d + MAX_EXP) * EXP_SCALE);
  return <f32>((label - <f64>load<f32>(sigmoid + (<usize>i << 2))) * alpha);
}

@inline function lanes(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** a . b over n floats (two vector sums, to halve the addition chain). */
function dot(a: usize, b: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    s0 = madd(v128.load(a + o), v128.load(b + o), s0);
    s1 = madd(v128.load(a + o, 16), v128.load(b + o, 16), s1);
  }
  if (i + 4 <= n) {
    s0 = madd(v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2)), s0);
    i += 4;
  }
  let s = lanes(f32x4.add(s0, s1));
  for (; i < n; i++) s += load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>i << 2));
  return s;
}

/** a . x and b . x in one pass over x: one load of x for both, and two independent sums. */
function dot2(x: usize, a: usize, b: usize, n: i32, out: usize): void {
  let sa = f32x4.splat(0);
  let sb = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const xv = v128.load(x + o);
    sa = madd(xv, v128.load(a + o), sa);
    sb = madd(xv, v128.load(b + o), sb);
  }
  let ra = lanes(sa);
  let rb = lanes(sb);
  for (; i < n; i++) {
    const xs = load<f32>(x + (<usize>i << 2));
    ra += xs * load<f32>(a + (<usize>i << 2));
    rb += xs * load<f32>(b + (<usize>i << 2));
  }
  store<f32>(out, ra);
  store<f32>(out, rb, 4);
}

/** work += g v, then v += g l1 (v's old value goes to work), over n floats. */
function update(v: usize, l1: usize, w: usize, g: f32, n: i32): void {
  const gv = f32x4.splat(g);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const vv = v128.load(v + o);
    v128.store(w + o, madd(gv, vv, v128.load(w + o)));
    v128.store(v + o, madd(gv, v128.load(l1 + o), vv));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const vs = load<f32>(v + o);
    store<f32>(w + o, load<f32>(w + o) + g * vs);
    store<f32>(v + o, vs + g * load<f32>(l1 + o));
  }
}

/** The dot products of x with the six rows r[0..5] in one pass over x: six independent sums, x loaded once. */
function dot6(x: usize, r: usize, n: i32, out: usize): void {
  const r0 = load<usize>(r);
  const r1 = load<usize>(r, 4);
  const r2 = load<usize>(r, 8);
  const r3 = load<usize>(r, 12);
  const r4 = load<usize>(r, 16);
  const r5 = load<usize>(r, 20);
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  let s4 = f32x4.splat(0);
  let s5 = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const xv = v128.load(x + o);
    s0 = madd(xv, v128.load(r0 + o), s0);
    s1 = madd(xv, v128.load(r1 + o), s1);
    s2 = madd(xv, v128.load(r2 + o), s2);
    s3 = madd(xv, v128.load(r3 + o), s3);
    s4 = madd(xv, v128.load(r4 + o), s4);
    s5 = madd(xv, v128.load(r5 + o), s5);
  }
  let d0 = lanes(s0);
  let d1 = lanes(s1);
  let d2 = lanes(s2);
  let d3 = lanes(s3);
  let d4 = lanes(s4);
  let d5 = lanes(s5);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const xs = load<f32>(x + o);
    d0 += xs * load<f32>(r0 + o);
    d1 += xs * load<f32>(r1 + o);
    d2 += xs * load<f32>(r2 + o);
    d3 += xs * load<f32>(r3 + o);
    d4 += xs * load<f32>(r4 + o);
    d5 += xs * load<f32>(r5 + o);
  }
  store<f32>(out, d0);
  store<f32>(out, d1, 4);
  store<f32>(out, d2, 8);
  store<f32>(out, d3, 12);
  store<f32>(out, d4, 16);
  store<f32>(out, d5, 20);
}

/**
 * update() of six distinct rows r[0..5] with gains g[0..5] in one pass: l1 and w loaded and w stored once for
 * all six (w's sum taken in row order, as the reference's fused6). w may be l1 itself: each group of l1 is read
 * before the sum is stored over it.
 */
function update6(r: usize, g: usize, l1: usize, w: usize, n: i32): void {
  const r0 = load<usize>(r);
  const r1 = load<usize>(r, 4);
  const r2 = load<usize>(r, 8);
  const r3 = load<usize>(r, 12);
  const r4 = load<usize>(r, 16);
  const r5 = load<usize>(r, 20);
  const g0 = f32x4.splat(load<f32>(g));
  const g1 = f32x4.splat(load<f32>(g, 4));
  const g2 = f32x4.splat(load<f32>(g, 8));
  const g3 = f32x4.splat(load<f32>(g, 12));
  const g4 = f32x4.splat(load<f32>(g, 16));
  const g5 = f32x4.splat(load<f32>(g, 20));
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const xv = v128.load(l1 + o);
    const v0 = v128.load(r0 + o);
    const v1 = v128.load(r1 + o);
    const v2 = v128.load(r2 + o);
    const v3 = v128.load(r3 + o);
    const v4 = v128.load(r4 + o);
    const v5 = v128.load(r5 + o);
    let acc = madd(g0, v0, v128.load(w + o));
    acc = madd(g1, v1, acc);
    acc = madd(g2, v2, acc);
    acc = madd(g3, v3, acc);
    acc = madd(g4, v4, acc);
    v128.store(w + o, madd(g5, v5, acc));
    v128.store(r0 + o, madd(g0, xv, v0));
    v128.store(r1 + o, madd(g1, xv, v1));
    v128.store(r2 + o, madd(g2, xv, v2));
    v128.store(r3 + o, madd(g3, xv, v3));
    v128.store(r4 + o, madd(g4, xv, v4));
    v128.store(r5 + o, madd(g5, xv, v5));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const xs = load<f32>(l1 + o);
    let acc = load<f32>(w + o);
    for (let j = 0; j < 6; j++) {
      const p = load<usize>(r + (<usize>j << 2)) + o;
      const gj = load<f32>(g + (<usize>j << 2));
      const v = load<f32>(p);
      acc += gj * v;
      store<f32>(p, v + gj * xs);
    }
    store<f32>(w + o, acc);
  }
}

/** dst = 0 over n floats (a loop: memory.fill is a call out of the module in some engines). */
function zeroF32(dst: usize, n: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), z);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

/** dst += src over n floats. */
function addTo(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(dst + (<usize>i << 2)) + load<f32>(src + (<usize>i << 2)));
}

/** dst *= c over n floats. */
function scaleF32(dst: usize, c: f32, n: i32): void {
  const cv = f32x4.splat(c);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), f32x4.mul(v128.load(dst + (<usize>i << 2)), cv));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(dst + (<usize>i << 2)) * c);
}

/**
 * negativeSampling of word2vec-train.ts for the input vector at l1 and the target word: the target (label 1)
 * and `negative` drawn rows (label 0; a draw equal to the target is skipped) each give g = (label - sigmoid(l1 .
 * v)) alpha, work += g v, v += g l1. When the rows are distinct (nearly always) every dot product is taken
 * first, since no row's update changes another's — the six rows of the default negative = 5 in one pass each
 * way, other counts two rows at a time — and a repeated row is updated in turn, as the reference does. With
 * `direct` (skip-gram) work is then added to l1; otherwise the caller spreads it.
 */
function negativeSampling(l1: usize, target: i32, alpha: f64, direct: bool): void {
  const n0 = size;
  store<i32>(rows, target);
  let n = 1;
  for (let d = 1; d <= negative; d++) {
    const t = searchCum(modLast(draw()));
    if (t != target) {
      store<i32>(rows + (<usize>n << 2), t);
      n++;
    }
  }
  let distinct = true;
  for (let i = 1; i < n && distinct; i++) {
    const ri = load<i32>(rows + (<usize>i << 2));
    for (let j = 0; j < i; j++) if (load<i32>(rows + (<usize>j << 2)) == ri) distinct = false;
  }
  // update6 reads each l1 element before it writes the error, so skip-gram's error can go straight into l1
  const fused = distinct && n == 6;
  const out = direct && fused ? l1 : work;
  if (out == work) zeroF32(work, n0);
  const stride = <usize>n0 << 2;
  if (distinct) {
    // rows as byte addresses, for the fused passes
    for (let d = 0; d < n; d++) store<usize>(ptrs + (<usize>d << 2), syn1 + <usize>load<i32>(rows + (<usize>d << 2)) * stride);
    let d = 0;
    if (fused) {
      dot6(l1, ptrs, n0, gains);
      d = 6;
    }
    for (; d + 1 < n; d += 2) dot2(l1, load<usize>(ptrs + (<usize>d << 2)), load<usize>(ptrs + (<usize>(d + 1) << 2)), n0, gains + (<usize>d << 2));
    if (d < n) store<f32>(gains + (<usize>d << 2), dot(l1, load<usize>(ptrs + (<usize>d << 2)), n0));
    for (d = 0; d < n; d++) store<f32>(gains + (<usize>d << 2), gain(load<f32>(gains + (<usize>d << 2)), d == 0 ? 1.0 : 0.0, alpha));
    if (fused) {
      update6(ptrs, gains, l1, out, n0);
    } else {
      for (d = 0; d < n; d++) {
        const g = load<f32>(gains + (<usize>d << 2));
        if (g != 0) update(load<usize>(ptrs + (<usize>d << 2)), l1, work, g, n0);
      }
    }
  } else {
    for (let d = 0; d < n; d++) {
      const v = syn1 + <usize>load<i32>(rows + (<usize>d << 2)) * stride;
      const g = gain(dot(l1, v, n0), d == 0 ? 1.0 : 0.0, alpha);
      if (g != 0) update(v, l1, work, g, n0);
    }
  }
  if (direct && !fused) addTo(l1, work, n0);
}

/**
 * Trains sentences [first, last) — words[starts[s] : starts[s + 1]] each — at learning rate alpha, skip-gram
 * (sg = 1) or CBOW (mean of the context when cbowMean = 1, else their sum), as trainSentenceSg and
 * trainSentenceCbow of word2vec-train.ts; the generator's 48-bit state is read from and written back to the
 * u64 at rngState. syn0 and syn1neg are [V * size] rows; cumTable (u32, cumLen entries) and guide (i32) as
 * guideTable builds them; sampleInt (u32) per word when `sample`; sigmoidTable the 1000 float32 entries; work and
 * neu1 hold size floats, rowBuf and ptrBuf negative + 1 ints, gainBuf negative + 1 floats, kept the longest
 * sentence.
 * Returns the number of words kept.
 */
export function word2vecJobF32(
  syn0Ptr: usize, syn1Ptr: usize, vectorSize: i32, window: i32, negatives: i32,
  cumTable: usize, cumLen: i32, guideTable: usize, sampleInt: usize, sample: i32, sigmoidTable: usize,
  workBuf: usize, neu1: usize, rowBuf: usize, gainBuf: usize, ptrBuf: usize, kept: usize,
  words: usize, starts: usize, first: i32, lastSentence: i32, alpha: f64, sg: i32, cbowMean: i32, rngState: usize,
): i32 {
  syn0 = syn0Ptr;
  syn1 = syn1Ptr;
  size = vectorSize;
  negative = negatives;
  cum = cumTable;
  last = load<u32>(cumTable + (<usize>(cumLen - 1) << 2));
  guide = guideTable;
  sigmoid = sigmoidTable;
  work = workBuf;
  rows = rowBuf;
  gains = gainBuf;
  ptrs = ptrBuf;
  rng = load<u64>(rngState);
  const stride = <usize>vectorSize << 2;
  const win = <u32>window;
  let effective = 0;
  for (let s = first; s < lastSentence; s++) {
    const start = load<i32>(starts + (<usize>s << 2));
    const end = load<i32>(starts + (<usize>(s + 1) << 2));
    // subsampling: gensim's random_int32 test, a draw only when it is on
    let n = 0;
    for (let i = start; i < end; i++) {
      const w = load<i32>(words + (<usize>i << 2));
      if (sample != 0 && load<u32>(sampleInt + (<usize>w << 2)) < draw()) continue;
      store<i32>(kept + (<usize>n << 2), w);
      n++;
    }
    effective += n;
    for (let i = 0; i < n; i++) {
      const b = <i32>(draw() % win);
      const lo = max(0, i - window + b);
      const hi = min(n, i + window + 1 - b);
      const target = load<i32>(kept + (<usize>i << 2));
      if (sg != 0) {
        for (let j = lo; j < hi; j++) {
          if (j == i) continue;
          negativeSampling(syn0 + <usize>load<i32>(kept + (<usize>j << 2)) * stride, target, alpha, true);
        }
        continue;
      }
      zeroF32(neu1, vectorSize);
      let count = 0;
      for (let m = lo; m < hi; m++) {
        if (m == i) continue;
        count++;
        addTo(neu1, syn0 + <usize>load<i32>(kept + (<usize>m << 2)) * stride, vectorSize);
      }
      const inv: f32 = count > 0 ? <f32>(1.0 / <f64>count) : 1;
      if (cbowMean != 0) scaleF32(neu1, inv, vectorSize);
      negativeSampling(neu1, target, alpha, false);
      if (cbowMean == 0) scaleF32(work, inv, vectorSize);
      for (let m = lo; m < hi; m++) {
        if (m == i) continue;
        addTo(syn0 + <usize>load<i32>(kept + (<usize>m << 2)) * stride, work, vectorSize);
      }
    }
  }
  store<u64>(rngState, rng);
  return effective;
}
