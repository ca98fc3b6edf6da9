/**
 * The fused LSTM cell, forward and backward, on float32 rows of N x H. Gates hold the pre-activations of the
 * input, forget, cell and output gates side by side ([N, 4H], PyTorch's order i, f, g, o). The row loops are
 * shared with the whole-sequence kernels of recurrent-seq.ts, which write h' and c' to separate arrays.
 */
import { SIGMOID, TANH, unary4 } from './elementwise';
import { load4, store4 } from './simd';

/**
 * One LSTM step over N rows: gates [N, 4H] (rows `gs` floats apart) and c [N, H] (rows `cs` apart; 0: zeros) to
 * h' and c' (rows `os` floats apart, at hOut and cOut) and the activations i, f, g, o, tanh(c') into act [N, 5H].
 */
@inline export function lstmRows(gates: usize, gs: i32, c: usize, cs: i32, hOut: usize, cOut: usize, os: i32, act: usize, N: i32, H: i32): void {
  const z = f32x4.splat(0);
  const hs = <usize>H << 2;
  for (let n = 0; n < N; n++) {
    const gr = gates + ((<usize>n * gs) << 2);
    const cr = c + ((<usize>n * cs) << 2);
    const hw = hOut + ((<usize>n * os) << 2);
    const cw = cOut + ((<usize>n * os) << 2);
    const ar = act + ((<usize>n * 5 * H) << 2);
    for (let j = 0; j < H; j += 4) {
      const k = min(4, H - j);
      const o4 = <usize>j << 2;
      const i = unary4(SIGMOID, load4(gr + o4, k), z, z);
      const f = unary4(SIGMOID, load4(gr + hs + o4, k), z, z);
      const g = unary4(TANH, load4(gr + 2 * hs + o4, k), z, z);
      const o = unary4(SIGMOID, load4(gr + 3 * hs + o4, k), z, z);
      const prev = c == 0 ? z : load4(cr + o4, k);
      const c2 = f32x4.add(f32x4.mul(f, prev), f32x4.mul(i, g));
      const tc = unary4(TANH, c2, z, z);
      store4(hw + o4, f32x4.mul(o, tc), k);
      store4(cw + o4, c2, k);
      store4(ar + o4, i, k);
      store4(ar + hs + o4, f, k);
      store4(ar + 2 * hs + o4, g, k);
      store4(ar + 3 * hs + o4, o, k);
      store4(ar + 4 * hs + o4, tc, k);
    }
  }
}

/**
 * Gradients of one LSTM step over N rows: from act [N, 5H], c [N, H] (rows `cs` apart; 0: zeros) and the gradients
 * of h' and c' (rows `gs` floats apart, at dh and dcIn), the gate pre-activations' gradient into dgates [N, 4H]
 * (rows `dgs` apart) and c's into dc (rows `ds` apart; skipped when dc = 0; dc may be dcIn: each element is read
 * before it is written).
 */
@inline export function lstmRowsBackward(act: usize, c: usize, cs: i32, dh: usize, dcIn: usize, gs: i32, dgates: usize, dgs: i32, dc: usize, ds: i32, N: i32, H: i32): void {
  const one = f32x4.splat(1);
  const z = f32x4.splat(0);
  const hs = <usize>H << 2;
  for (let n = 0; n < N; n++) {
    const ar = act + ((<usize>n * 5 * H) << 2);
    const cr = c + ((<usize>n * cs) << 2);
    const hr = dh + ((<usize>n * gs) << 2);
    const ir = dcIn + ((<usize>n * gs) << 2);
    const dr = dgates + ((<usize>n * dgs) << 2);
    const dcr = dc + ((<usize>n * ds) << 2);
    for (let j = 0; j < H; j += 4) {
      const k = min(4, H - j);
      const o4 = <usize>j << 2;
      const i = load4(ar + o4, k);
      const f = load4(ar + hs + o4, k);
      const g = load4(ar + 2 * hs + o4, k);
      const o = load4(ar + 3 * hs + o4, k);
      const tc = load4(ar + 4 * hs + o4, k);
      const dhv = load4(hr + o4, k);
      const dcOut = load4(ir + o4, k);
      const prev = c == 0 ? z : load4(cr + o4, k);
      // dc' in total: its own gradient plus the path through h' = o * tanh(c')
      const dc2 = f32x4.add(dcOut, f32x4.mul(f32x4.mul(dhv, o), f32x4.sub(one, f32x4.mul(tc, tc))));
      const di = f32x4.mul(f32x4.mul(dc2, g), f32x4.mul(i, f32x4.sub(one, i)));
      const df = f32x4.mul(f32x4.mul(dc2, prev), f32x4.mul(f, f32x4.sub(one, f)));
      const dg = f32x4.mul(f32x4.mul(dc2, i), f32x4.sub(one, f32x4.mul(g, g)));
      const dout = f32x4.mul(f32x4.mul(dhv, tc), f32x4.mul(o, f32x4.sub(one, o)));
      store4(dr + o4, di, k);
      store4(dr + hs + o4, df, k);
      store4(dr + 2 * hs + o4, dg, k);
      store4(dr + 3 * hs + o4, dout, k);
      if (dc != 0) store4(dcr + o4, f32x4.mul(dc2, f), k);
    }
  }
}

/**
 * c' = f*c + i*g and h' = o*tanh(c') from gates [N, 4H] and c [N, H] (c = 0: zeros). Writes h'|c' to out
 * [N, 2H] and the activations i, f, g, o, tanh(c') to act [N, 5H] for the backward pass.
 */
export function lstmCellF32(gates: usize, c: usize, out: usize, act: usize, N: i32, H: i32): void {
  lstmRows(gates, 4 * H, c, H, out, out + (<usize>H << 2), 2 * H, act, N, H);
}

/**
 * Gradients of `lstmCellF32`: from act [N, 5H], c [N, H] (0: zeros) and grad [N, 2H] (dh' | dc'), the gradient of
 * the gate pre-activations into dgates [N, 4H] and of c into dc [N, H] (skipped when dc = 0).
 */
export function lstmCellBackwardF32(act: usize, c: usize, grad: usize, dgates: usize, dc: usize, N: i32, H: i32): void {
  lstmRowsBackward(act, c, H, grad, grad + (<usize>H << 2), 2 * H, dgates, 4 * H, dc, H, N, H);
}
