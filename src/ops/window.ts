/**
 * Machinery shared by the convolution and pooling families: size triples, PyTorch's pooling output-size rule,
 * unbatched inputs, and windows given as tables of input positions (for pools whose windows im2col cannot
 * express: 3-D, adaptive and fractional ones), reduced by a gather so their gradients come for free.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/** A size given once for all three spatial dims or as [depth, height, width]. */
export type Triple = number | readonly [number, number, number];

/** Reads a Triple argument as [d, h, w], checking each is an integer >= min. */
export function triple(op: string, v: Triple | undefined, dflt: number, arg: string, min: number): [number, number, number] {
  const p: readonly number[] = v === undefined ? [dflt, dflt, dflt] : typeof v === 'number' ? [v, v, v] : v;
  if (!Array.isArray(p) || p.length !== 3 || p.some((x) => !Number.isInteger(x) || x < min)) {
    throw new ValueError(`${op}: ${arg} must be an integer >= ${min} or a triple of them, got ${JSON.stringify(v)}`);
  }
  return [p[0], p[1], p[2]];
}

const DIMS: Record<number, string> = { 1: '(C, L)', 2: '(C, H, W)', 3: '(C, D, H, W)' };
const BATCHED: Record<number, string> = { 1: '(N, C, L)', 2: '(N, C, H, W)', 3: '(N, C, D, H, W)' };

/**
 * Checks x is a floating tensor with `spatial` spatial dims, batched or not (as PyTorch, an input without the
 * batch dim is taken as a batch of one), and returns it batched.
 */
export function batched(op: string, x: Tensor, spatial: number): { x: Tensor; unbatched: boolean } {
  checkTensor(op, x);
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new ShapeError(`${op}: input must be ${spatial + 1}-D ${DIMS[spatial]} or ${spatial + 2}-D ${BATCHED[spatial]}, got shape ${fmtShape(x.shape)}`);
  }
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: input must be floating point, got ${x.dtype}`);
  return x.ndim === spatial + 1 ? { x: P.reshape(x, [1, ...x.shape]), unbatched: true } : { x, unbatched: false };
}

/** Drops the batch dim of one added by `batched`. */
export function unbatch(t: Tensor, unbatched: boolean): Tensor {
  return unbatched ? P.reshape(t, t.shape.slice(1)) : t;
}

/**
 * Pooling output size as PyTorch 1.13 (pooling_output_shape): floor, or with ceilMode ceil, of
 * (n + 2p - dilated kernel) / s, plus one, where with ceilMode the last window must start inside the input or
 * its left padding. A kernel larger than the padded input still gives one window with ceilMode.
 */
export function poolOut(op: string, n: number, k: number, s: number, p: number, d: number, ceil: boolean, dim: string): number {
  if (p > Math.floor(k / 2)) throw new ValueError(`${op}: padding ${p} must be at most half the kernel size ${k}`);
  const span = d * (k - 1) + 1;
  let out = Math.floor((n + 2 * p - span + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= n + p) out--;
  if (out < 1) {
    throw new ShapeError(`${op}: kernel size ${k}${d > 1 ? ` (dilated to ${span})` : ''} is larger than the padded input size ${n + 2 * p} in dim ${dim}`);
  }
  return out;
}

/**
 * Windows along one spatial dim: for each output index, the input coordinates of its taps in order, -1 for a
 * tap outside the input. All windows of a dim list the same number of taps (pad shorter ones with -1).
 */
export type DimWindows = number[][];

/** Windows of a strided, padded, dilated sliding window of `k` taps giving `out` outputs over `n` inputs. */
export function slidingWindows(n: number, out: number, k: number, s: number, p: number, d: number): DimWindows {
  return Array.from({ length: out }, (_, o) => Array.from({ length: k }, (_, t) => {
    const i = o * s - p + t * d;
    return i >= 0 && i < n ? i : -1;
  }));
}

/** Adaptive pooling windows of PyTorch: output i covers [floor(i n / out), ceil((i + 1) n / out)). */
export function adaptiveWindows(n: number, out: number): DimWindows {
  const ranges = Array.from({ length: out }, (_, i) => [Math.floor((i * n) / out), Math.ceil(((i + 1) * n) / out)]);
  const k = Math.max(...ranges.map(([a, b]) => b - a));
  return ranges.map(([a, b]) => Array.from({ length: k }, (_, t) => (a + t < b ? a + t : -1)));
}

/**
 * The flat input positions (into the spatial dims `sizes`) of every tap of every window, cells in row-major
 * output order, taps in row-major window order; a tap outside the input is -1 in `table` and 0 in `valid`.
 */
export function windowTable(sizes: readonly number[], dims: readonly DimWindows[]): { table: Int32Array; valid: Uint8Array; cells: number; taps: number } {
  const outs = dims.map((w) => w.length);
  const ks = dims.map((w) => w[0].length);
  const cells = outs.reduce((a, b) => a * b, 1);
  const taps = ks.reduce((a, b) => a * b, 1);
  const table = new Int32Array(cells * taps);
  const valid = new Uint8Array(cells * taps);
  const oi = new Array<number>(dims.length).fill(0);
  for (let c = 0; c < cells; c++) {
    let rest = c;
    for (let d = dims.length - 1; d >= 0; d--) {
      oi[d] = rest % outs[d];
      rest = Math.floor(rest / outs[d]);
    }
    for (let t = 0; t < taps; t++) {
      let r = t;
      let pos = 0;
      let ok = true;
      let scale = 1;
      for (let d = dims.length - 1; d >= 0; d--) {
        const coord = dims[d][oi[d]][r % ks[d]];
        r = Math.floor(r / ks[d]);
        if (coord < 0) ok = false;
        pos += coord * scale;
        scale *= sizes[d];
      }
      table[c * taps + t] = ok ? pos : -1;
      valid[c * taps + t] = ok ? 1 : 0;
    }
  }
  return { table, valid, cells, taps };
}

/**
 * Index along `dim` (keepdim) of each window's maximum as PyTorch's pooling loops choose it: the first maximum,
 * except that a NaN wins and the last NaN of a window is kept (argmax keeps the first).
 */
export function windowArgmax(cols: Tensor, dim: number): Tensor {
  const local = P.reduceRaw('argmax', cols, [dim], true, 'int32');
  const nanPicked = P.unary('isnan', P.gather(P.detach(cols), dim, local), { dtype: 'bool' });
  if (P.reduceRaw('max', P.cast(nanPicked, 'int32'), nanPicked.shape.map((_, d) => d), false, 'int32').item() === 0) return local;
  const K = cols.shape[dim];
  const rank = P.fromHost(Float64Array.from({ length: K }, (_, k) => k + 1), cols.shape.map((s, d) => (d === dim ? s : 1)), 'float64', cols.device);
  const lastNaN = P.reduceRaw('argmax', P.where(P.unary('isnan', P.detach(cols), { dtype: 'bool' }), rank, P.scalarOf(0, 'float64', rank)), [dim], true, 'int32');
  return P.where(nanPicked, lastNaN, local);
}

/**
 * Max over table windows of x [N, C, ...sizes]: values [N, C, cells] and the int32 flat input index of each
 * maximum. `table` holds cells * taps positions (-1: outside the input), shared by all planes, or
 * N * C * cells * taps, one table per plane. Missing taps repeat the nearest earlier valid tap of their
 * window (the first one where none is earlier): a repeat neither beats the tap it copies nor hides a later
 * NaN, so the chosen maximum and its index are PyTorch's.
 */
export function tableMax(x: Tensor, table: Int32Array, cells: number, taps: number): { values: Tensor; indices: Tensor } {
  const [N, C] = x.shape;
  const S = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const filledTable = new Int32Array(table.length);
  for (let w = 0; w < table.length; w += taps) {
    let last = -1;
    for (let t = 0; t < taps; t++) if (table[w + t] >= 0) { last = table[w + t]; break; }
    for (let t = 0; t < taps; t++) {
      if (table[w + t] >= 0) last = table[w + t];
      filledTable[w + t] = last;
    }
  }
  const perPlane = table.length !== cells * taps;
  const shape = perPlane ? [N, C, cells * taps] : [1, 1, cells * taps];
  const idx = P.fromHost(filledTable, shape, 'int32', x.device);
  const full = perPlane ? idx : P.expand(idx, [N, C, cells * taps]);
  const cols = P.reshape(P.gather(P.reshape(x, [N, C, S]), 2, full), [N, C, cells, taps]);
  const local = windowArgmax(cols, 3);
  const values = P.reshape(P.gather(cols, 3, local), [N, C, cells]);
  const at = P.reshape(P.gather(P.reshape(full, [N, C, cells, taps]), 3, local), [N, C, cells]);
  return { values, indices: at };
}

/** Sum over table windows of x [N, C, ...sizes] (taps outside the input count as zero): [N, C, cells]. */
export function tableSum(x: Tensor, table: Int32Array, valid: Uint8Array, cells: number, taps: number): Tensor {
  const [N, C] = x.shape;
  const S = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const idx = P.fromHost(table.map((v) => Math.max(v, 0)), [1, 1, cells * taps], 'int32', x.device);
  const cols = P.gather(P.reshape(x, [N, C, S]), 2, P.expand(idx, [N, C, cells * taps]));
  // where, not a product with a 0/1 mask: the stand-in tap of a missing one may hold inf or NaN
  const inside = P.fromHost(valid, [1, 1, cells * taps], 'bool', x.device);
  const kept = P.where(inside, cols, P.scalarOf(0, x.dtype, x));
  return P.reduce('sum', P.reshape(kept, [N, C, cells, taps]), [3], false);
}
