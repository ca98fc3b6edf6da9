/**
 * Whole-sequence LSTM and GRU layers, forward and backward, in one call each: the hidden state, the cell state
 * and W_hh stay in kernel memory for all T steps (one GEMM and one fused row pass per step), instead of one
 * kernel call, one copy of W_hh and a few copies of the states per step and per op. Time runs t = 0 .. T-1, or
 * T-1 .. 0 with `reverse`; arrays indexed by t are in time order either way. The inputs' projection xg (x W_ih^T +
 * biases, computed outside as one large product), the outputs y and their gradients are time-major [T, N, ...]
 * or, with `bf`, batch-first [N, T, ...] (a batch-first layer then needs no transposing copies); the values saved
 * for the backward pass are always time-major.
 */
import { sgemm, sgemmPackB, sgemmPacked, sgemmPackedBFloats, sgemmScratchBytes } from './gemm';
import { SIGMOID, TANH, unary4 } from './elementwise';
import { lstmRows, lstmRowsBackward } from './recurrent';
import { load4, store4 } from './simd';

@inline function align64(n: usize): usize {
  return (n + 63) & ~(<usize>63);
}

/** a [N, H] (contiguous) += b [N, H] (rows `bs` floats apart). */
function addRows(a: usize, b: usize, bs: i32, N: i32, H: i32): void {
  for (let n = 0; n < N; n++) {
    const ar = a + ((<usize>n * H) << 2);
    const br = b + ((<usize>n * bs) << 2);
    for (let j = 0; j < H; j += 4) {
      const k = min(4, H - j);
      const o = <usize>j << 2;
      store4(ar + o, f32x4.add(load4(ar + o, k), load4(br + o, k)), k);
    }
  }
}

/** Adds bias [W] to each of `rows` rows of x [rows, W]. */
function addBias(x: usize, bias: usize, rows: i32, W: i32): void {
  for (let r = 0; r < rows; r++) addRows(x + ((<usize>r * W) << 2), bias, 0, 1, W);
}

/** out [W] = the sum of the `rows` rows of x [rows, W], row by row in order. */
function sumRows(x: usize, out: usize, rows: i32, W: i32): void {
  memory.fill(out, 0, <usize>W << 2);
  for (let r = 0; r < rows; r++) addRows(out, x + ((<usize>r * W) << 2), 0, 1, W);
}

/**
 * Bytes of work memory `lstmSequenceF32` and `gruSequenceF32` need for G*H = gh and N rows (W_hh^T packed once
 * for the GEMM of every step, the recurrent product, GEMM scratch).
 */
export function recurrentSequenceWorkBytes(gh: i32, H: i32, N: i32, scratchBytes: i32): i32 {
  return <i32>(align64(<usize>sgemmPackedBFloats(H, gh) * 4) + align64(<usize>N * gh * 4) + <usize>scratchBytes);
}

/**
 * The layout of a [T, N, W] sequence array (time-major) or [N, T, W] (batch-first, bf = 1): the distance in
 * floats between consecutive steps and between consecutive rows of one step.
 */
@inline function stepStride(bf: i32, N: i32, W: i32): i32 {
  return bf ? W : N * W;
}

@inline function rowStride(bf: i32, T: i32, W: i32): i32 {
  return bf ? T * W : W;
}

/**
 * Bytes of scratch the backward kernels need for N rows of G*H = gh: the GEMM's, N rows of gh floats, then W_hh
 * [gh, H] packed once for the GEMM of every step.
 */
export function recurrentSequenceScratchBytes(gh: i32, H: i32, N: i32): i32 {
  return <i32>(align64(<usize>sgemmScratchBytes()) + align64((<usize>N * gh) << 2) + ((<usize>sgemmPackedBFloats(gh, H)) << 2));
}

/** Where the backward scratch keeps the packed W_hh (after the GEMM's part and the rows set aside). */
@inline function packedWhh(scratch: usize, gh: i32, N: i32): usize {
  return scratch + align64(<usize>sgemmScratchBytes()) + align64((<usize>N * gh) << 2);
}

/**
 * dW_hh [G*H, H] = sum over steps of dgh_t^T h_{t-1}: the steps whose previous state is an output (y, rows of H
 * floats in dgh's layout) in one product, plus h0's step when h0 is given. dgh holds rows of G*H floats. In the
 * batch-first layout consecutive rows pair across sequence boundaries too; those N - 1 rows of dgh are set aside
 * in `scratch` (after the GEMM's part) and zeroed for the product, then put back.
 */
function recurrentWeightGrad(dgh: usize, y: usize, h0: usize, dwhh: usize, T: i32, N: i32, H: i32, G: i32, reverse: i32, bf: i32, scratch: usize): void {
  const xs = <usize>stepStride(bf, N, G) << 2;
  const xr = rowStride(bf, T, G);
  const ys = <usize>stepStride(bf, N, H) << 2;
  // forward: pairs (dgh_t, y_{t-1}) for t >= 1; reverse: (dgh_t, y_{t+1}) for t <= T-2
  const a = reverse ? dgh : dgh + xs;
  const b = reverse ? y + ys : y;
  if (bf) {
    // forward: row (n, 0) would pair with (n-1, T-1); reverse: row (n, T-1) with (n+1, 0)
    const save = scratch + align64(<usize>sgemmScratchBytes());
    const off = reverse ? T - 1 : 0;
    const first = reverse ? 0 : 1;
    const rowBytes = <usize>G << 2;
    for (let n = first; n < first + N - 1; n++) {
      const row = dgh + <usize>(n * T + off) * rowBytes;
      memory.copy(save + <usize>n * rowBytes, row, rowBytes);
      memory.fill(row, 0, rowBytes);
    }
    sgemm(G, H, N * T - 1, a, 1, G, b, H, 1, dwhh, H, 0, scratch);
    for (let n = first; n < first + N - 1; n++) memory.copy(dgh + <usize>(n * T + off) * rowBytes, save + <usize>n * rowBytes, rowBytes);
  } else {
    sgemm(G, H, (T - 1) * N, a, 1, G, b, H, 1, dwhh, H, 0, scratch);
  }
  if (h0 != 0) sgemm(G, H, N, dgh + (reverse ? <usize>(T - 1) * xs : 0), 1, xr, h0, H, 1, dwhh, H, 1, scratch);
}

/**
 * LSTM layer forward: from xg [T, N, 4H] ([N, T, 4H] with bf; overwritten with the gate pre-activations) plus
 * bias [4H] (0: none), whh
 * [4H, H], h0 and c0 [N, H] (0: zeros), writes y [2, T, N, H] ([2, N, T, H] with bf: every h_t, then every c_t)
 * and the activations act [T, N, 5H]. `work` holds recurrentSequenceWorkBytes(4H, H, N, sgemmScratchBytes()) bytes.
 */
export function lstmSequenceF32(xg: usize, bias: usize, whh: usize, h0: usize, c0: usize, y: usize, act: usize, T: i32, N: i32, H: i32, reverse: i32, bf: i32, work: usize): void {
  const G = 4 * H;
  const whhPacked = work;
  const scratch = work + align64(<usize>sgemmPackedBFloats(H, G) * 4) + align64(<usize>N * G * 4);
  sgemmPackB(H, G, whh, 1, H, whhPacked);
  if (bias != 0) addBias(xg, bias, T * N, G);
  const xs = <usize>stepStride(bf, N, G) << 2;
  const xr = rowStride(bf, T, G);
  const ys = <usize>stepStride(bf, N, H) << 2;
  const yr = rowStride(bf, T, H);
  const yc = y + ((<usize>T * N * H) << 2);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1;
    const hp = s > 0 ? y + <usize>tp * ys : h0;
    const cp = s > 0 ? yc + <usize>tp * ys : c0;
    const ps = s > 0 ? yr : H;
    const g = xg + <usize>t * xs;
    if (hp != 0) sgemmPacked(N, G, H, hp, ps, 1, whhPacked, g, xr, 1, scratch);
    lstmRows(g, xr, cp, ps, y + <usize>t * ys, yc + <usize>t * ys, yr, act + ((<usize>t * N * 5 * H) << 2), N, H);
  }
}

/**
 * LSTM layer backward: from act [T, N, 5H] and y of the forward pass, whh [4H, H], h0 and c0 (0: zeros) and dy
 * (y's layout: the gradients of every h_t and c_t), writes dxg (xg's layout), bias's gradient dbias [4H] (skipped
 * when 0), dwhh [4H, H] and, in dh and dc
 * ([N, H], zeroed by the caller), the gradients of h0 and c0. `scratch` holds recurrentSequenceScratchBytes(4H, H, N) bytes.
 */
export function lstmSequenceBackwardF32(
  act: usize, y: usize, whh: usize, h0: usize, c0: usize, dy: usize, dxg: usize, dbias: usize, dwhh: usize, dh: usize, dc: usize,
  T: i32, N: i32, H: i32, reverse: i32, bf: i32, scratch: usize,
): void {
  const G = 4 * H;
  const xs = <usize>stepStride(bf, N, G) << 2;
  const xr = rowStride(bf, T, G);
  const ys = <usize>stepStride(bf, N, H) << 2;
  const yr = rowStride(bf, T, H);
  const part = (<usize>T * N * H) << 2;
  const pw = packedWhh(scratch, G, N);
  sgemmPackB(G, H, whh, H, 1, pw);
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1;
    addRows(dh, dy + <usize>t * ys, yr, N, H);
    addRows(dc, dy + part + <usize>t * ys, yr, N, H);
    const cp = s > 0 ? y + part + <usize>tp * ys : c0;
    const dg = dxg + <usize>t * xs;
    lstmRowsBackward(act + ((<usize>t * N * 5 * H) << 2), cp, s > 0 ? yr : H, dh, dc, H, dg, xr, dc, H, N, H);
    sgemmPacked(N, H, G, dg, xr, 1, pw, dh, H, 0, scratch);
  }
  recurrentWeightGrad(dxg, y, h0, dwhh, T, N, H, G, reverse, bf, scratch);
  if (dbias != 0) sumRows(dxg, dbias, T * N, G);
}

/**
 * One GRU step over N rows: xg [N, 3H] (rows `xr` floats apart; r, z, n blocks; b_ih and b_hr, b_hz folded in),
 * hg = h W_hh^T [N, 3H], b_hn [H] (0: none) and h [N, H] (rows `hs` apart; 0: zeros) to h' = n + z*(h - n) (rows
 * `os` apart) with n = tanh(x_n + r*(hg_n + b_hn)), and r, z, n, hg_n + b_hn into saved [N, 4H].
 */
function gruRows(xg: usize, xr: i32, hg: usize, bhn: usize, h: usize, hs: i32, hOut: usize, os: i32, saved: usize, N: i32, H: i32): void {
  const z0 = f32x4.splat(0);
  const bs = <usize>H << 2;
  for (let n = 0; n < N; n++) {
    const xw = xg + ((<usize>n * xr) << 2);
    const gr = hg + ((<usize>n * 3 * H) << 2);
    const hr = h + ((<usize>n * hs) << 2);
    const hw = hOut + ((<usize>n * os) << 2);
    const sr = saved + ((<usize>n * 4 * H) << 2);
    for (let j = 0; j < H; j += 4) {
      const k = min(4, H - j);
      const o4 = <usize>j << 2;
      const r = unary4(SIGMOID, f32x4.add(load4(xw + o4, k), load4(gr + o4, k)), z0, z0);
      const z = unary4(SIGMOID, f32x4.add(load4(xw + bs + o4, k), load4(gr + bs + o4, k)), z0, z0);
      const hn = bhn == 0 ? load4(gr + 2 * bs + o4, k) : f32x4.add(load4(gr + 2 * bs + o4, k), load4(bhn + o4, k));
      const nn = unary4(TANH, f32x4.add(load4(xw + 2 * bs + o4, k), f32x4.mul(r, hn)), z0, z0);
      const hp = h == 0 ? z0 : load4(hr + o4, k);
      store4(hw + o4, f32x4.add(nn, f32x4.mul(z, f32x4.sub(hp, nn))), k);
      store4(sr + o4, r, k);
      store4(sr + bs + o4, z, k);
      store4(sr + 2 * bs + o4, nn, k);
      store4(sr + 3 * bs + o4, hn, k);
    }
  }
}

/**
 * Gradients of one GRU step over N rows: from saved [N, 4H], h [N, H] (rows `hs` apart; 0: zeros) and dh [N, H]
 * (the gradient of h'), writes the gradient of xg into dxg and of hg into dhg ([N, 3H] each, rows `xr` apart),
 * and replaces dh with the direct part of h's gradient, dh*z (the caller adds dhg W_hh).
 */
function gruRowsBackward(saved: usize, h: usize, hs: i32, dh: usize, dxg: usize, dhg: usize, xr: i32, N: i32, H: i32): void {
  const one = f32x4.splat(1);
  const z0 = f32x4.splat(0);
  const bs = <usize>H << 2;
  for (let n = 0; n < N; n++) {
    const sr = saved + ((<usize>n * 4 * H) << 2);
    const hr = h + ((<usize>n * hs) << 2);
    const dr = dh + ((<usize>n * H) << 2);
    const xw = dxg + ((<usize>n * xr) << 2);
    const gw = dhg + ((<usize>n * xr) << 2);
    for (let j = 0; j < H; j += 4) {
      const k = min(4, H - j);
      const o4 = <usize>j << 2;
      const r = load4(sr + o4, k);
      const z = load4(sr + bs + o4, k);
      const nn = load4(sr + 2 * bs + o4, k);
      const hn = load4(sr + 3 * bs + o4, k);
      const hp = h == 0 ? z0 : load4(hr + o4, k);
      const d = load4(dr + o4, k);
      const dn = f32x4.mul(f32x4.mul(d, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(nn, nn)));
      const dz = f32x4.mul(f32x4.mul(d, f32x4.sub(hp, nn)), f32x4.mul(z, f32x4.sub(one, z)));
      const dr2 = f32x4.mul(f32x4.mul(dn, hn), f32x4.mul(r, f32x4.sub(one, r)));
      store4(xw + o4, dr2, k);
      store4(xw + bs + o4, dz, k);
      store4(xw + 2 * bs + o4, dn, k);
      store4(gw + o4, dr2, k);
      store4(gw + bs + o4, dz, k);
      store4(gw + 2 * bs + o4, f32x4.mul(dn, r), k);
      store4(dr + o4, f32x4.mul(d, z), k);
    }
  }
}

/**
 * GRU layer forward: from xg [T, N, 3H] ([N, T, 3H] with bf; overwritten) plus bias [3H] (0: none), whh [3H, H],
 * b_hn [H] (0: none) and h0 [N, H]
 * (0: zeros), writes y [T, N, H] ([N, T, H] with bf: every h_t) and saved [T, N, 4H] (r, z, n, hg_n + b_hn) for
 * the backward pass. `work` holds recurrentSequenceWorkBytes(3H, H, N, sgemmScratchBytes()) bytes.
 */
export function gruSequenceF32(xg: usize, bias: usize, whh: usize, bhn: usize, h0: usize, y: usize, saved: usize, T: i32, N: i32, H: i32, reverse: i32, bf: i32, work: usize): void {
  const G = 3 * H;
  const whhPacked = work;
  const hg = work + align64(<usize>sgemmPackedBFloats(H, G) * 4);
  const scratch = hg + align64(<usize>N * G * 4);
  sgemmPackB(H, G, whh, 1, H, whhPacked);
  if (bias != 0) addBias(xg, bias, T * N, G);
  const xs = <usize>stepStride(bf, N, G) << 2;
  const xr = rowStride(bf, T, G);
  const ys = <usize>stepStride(bf, N, H) << 2;
  const yr = rowStride(bf, T, H);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1;
    const hp = s > 0 ? y + <usize>tp * ys : h0;
    const ps = s > 0 ? yr : H;
    if (hp != 0) sgemmPacked(N, G, H, hp, ps, 1, whhPacked, hg, G, 0, scratch);
    else memory.fill(hg, 0, (<usize>N * G) << 2);
    gruRows(xg + <usize>t * xs, xr, hg, bhn, hp, ps, y + <usize>t * ys, yr, saved + ((<usize>t * N * 4 * H) << 2), N, H);
  }
}

/**
 * GRU layer backward: from saved [T, N, 4H] and y of the forward pass, whh [3H, H], h0 (0: zeros) and dy (y's
 * layout), writes dxg and dhg (xg's layout; dhg is the recurrent product's gradient, work memory), dbias [3H]
 * (skipped when 0), dwhh [3H, H],
 * dbhn [H] (skipped when 0) and, in dh ([N, H], zeroed by the caller), h0's gradient. `scratch` holds
 * recurrentSequenceScratchBytes(3H, H, N) bytes.
 */
export function gruSequenceBackwardF32(
  saved: usize, y: usize, whh: usize, h0: usize, dy: usize, dxg: usize, dbias: usize, dhg: usize, dwhh: usize, dbhn: usize, dh: usize,
  T: i32, N: i32, H: i32, reverse: i32, bf: i32, scratch: usize,
): void {
  const G = 3 * H;
  const xs = <usize>stepStride(bf, N, G) << 2;
  const xr = rowStride(bf, T, G);
  const ys = <usize>stepStride(bf, N, H) << 2;
  const yr = rowStride(bf, T, H);
  const pw = packedWhh(scratch, G, N);
  sgemmPackB(G, H, whh, H, 1, pw);
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1;
    addRows(dh, dy + <usize>t * ys, yr, N, H);
    const hp = s > 0 ? y + <usize>tp * ys : h0;
    const dg = dhg + <usize>t * xs;
    gruRowsBackward(saved + ((<usize>t * N * 4 * H) << 2), hp, s > 0 ? yr : H, dh, dxg + <usize>t * xs, dg, xr, N, H);
    sgemmPacked(N, H, G, dg, xr, 1, pw, dh, H, 1, scratch);
  }
  recurrentWeightGrad(dhg, y, h0, dwhh, T, N, H, G, reverse, bf, scratch);
  if (dbias != 0) sumRows(dxg, dbias, T * N, G);
  if (dbhn == 0) return;
  memory.fill(dbhn, 0, <usize>H << 2);
  for (let row = 0; row < T * N; row++) addRows(dbhn, dhg + ((<usize>row * G + 2 * H) << 2), 0, 1, H);
}
