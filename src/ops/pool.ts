/**
 * Pooling as in torch.nn.functional: maxPool1d/2d (with indices), avgPool1d/2d, maxUnpool2d, and the adaptive
 * average/max pools (any output size, e.g. for spatial pyramid pooling). Windowed pools are built on im2col.
 * @module
 */
import type { Window2d } from '../backend/types.js';
import * as P from '../autograd/primitives.js';
import { record } from '../autograd/node.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { pair, type Pair } from './conv.js';
import { checkIndexRange } from './indexing.js';
import { checkIndex, checkInt, checkTensor } from './util.js';

/** Options of maxPool2d / avgPool2d. */
export interface Pool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Pair;
  /** Implicit padding on each side (at most half the kernel); max pooling pads with -inf, average with 0. */
  padding?: Pair;
  /** Spacing between taps (max pooling only; default 1). */
  dilation?: Pair;
  /** Use ceil instead of floor for the output size, letting the last window run past the end (default false). */
  ceilMode?: boolean;
}

/** Extra options of avgPool2d. */
export interface AvgPool2dOptions extends Pool2dOptions {
  /** Count padded zeros in the average (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size. */
  divisorOverride?: number;
}

function poolOut(op: string, n: number, k: number, s: number, p: number, d: number, ceil: boolean, dim: string): number {
  if (p > Math.floor(k / 2)) throw new ValueError(`${op}: padding ${p} must be at most half the kernel size ${k}`);
  const span = d * (k - 1) + 1;
  const num = n + 2 * p - span;
  if (num < 0) throw new ShapeError(`${op}: kernel size ${k}${d > 1 ? ` (dilated to ${span})` : ''} is larger than the padded input size ${n + 2 * p} in dim ${dim}`);
  let out = (ceil ? Math.ceil(num / s) : Math.floor(num / s)) + 1;
  // the last window must start inside the input or its left padding
  if (ceil && (out - 1) * s >= n + p) out--;
  return out;
}

function windowOf(op: string, x: Tensor, kernel: Pair, opts: Pool2dOptions, oneD = false): Window2d {
  const [kh, kw] = pair(op, kernel, 1, 'kernelSize', 1);
  const [sh, sw] = opts.stride === undefined ? [kh, kw] : pair(op, opts.stride, 1, 'stride', 1);
  const [ph, pw] = pair(op, opts.padding, 0, 'padding', 0);
  const [dh, dw] = pair(op, opts.dilation, 1, 'dilation', 1);
  const ceil = opts.ceilMode ?? false;
  const [, , H, W] = x.shape;
  return {
    kh, kw, sh, sw, dh, dw, padTop: ph, padLeft: pw,
    oh: poolOut(op, H, kh, sh, ph, dh, ceil, 'H'),
    ow: poolOut(op, W, kw, sw, pw, dw, ceil, oneD ? 'L' : 'W'),
  };
}

function check4d(op: string, x: Tensor): void {
  checkTensor(op, x);
  if (x.ndim !== 4) throw new ShapeError(`${op}: input must be 4-D (N, C, H, W), got shape ${fmtShape(x.shape)}`);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: input must be floating point, got ${x.dtype}`);
}

/** Max-pooled values and, where asked, the flat index (into H * W of the input) of each maximum. */
export interface PoolWithIndices {
  /** The pooled values. */
  values: Tensor;
  /** int32 indices into each input plane (flattened H * W), as PyTorch's return_indices. */
  indices: Tensor;
}

/**
 * Index along `dim` (keepdim) of each window's maximum as PyTorch's pooling loops choose it: the first maximum,
 * except that a NaN wins and the last NaN of a window is kept (argmax keeps the first).
 */
function windowArgmax(cols: Tensor, dim: number): Tensor {
  let local = P.reduceRaw('argmax', cols, [dim], true, 'int32');
  const nanPicked = P.unary('isnan', P.gather(P.detach(cols), dim, local), { dtype: 'bool' });
  if (P.reduceRaw('max', P.cast(nanPicked, 'int32'), nanPicked.shape.map((_, d) => d), false, 'int32').item() === 0) return local;
  const K = cols.shape[dim];
  const rank = P.fromHost(Float64Array.from({ length: K }, (_, k) => k + 1), cols.shape.map((s, d) => (d === dim ? s : 1)), 'float64', cols.device);
  const lastNaN = P.reduceRaw('argmax', P.where(P.unary('isnan', P.detach(cols), { dtype: 'bool' }), rank, P.scalarOf(0, 'float64', rank)), [dim], true, 'int32');
  return P.where(nanPicked, lastNaN, local);
}

function maxPoolCore(x: Tensor, win: Window2d): PoolWithIndices {
  const [values, indices] = P.maxPool(x, win);
  return { values, indices };
}

/** 2-D max pooling of x [N, C, H, W]; with `returnIndices` also the int32 flat index of each maximum. */
export function maxPool2d(x: Tensor, kernelSize: Pair, opts?: Pool2dOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(x: Tensor, kernelSize: Pair, opts: Pool2dOptions & { returnIndices: true }): PoolWithIndices;
export function maxPool2d(x: Tensor, kernelSize: Pair, opts: Pool2dOptions & { returnIndices?: boolean } = {}): Tensor | PoolWithIndices {
  check4d('maxPool2d', x);
  const r = maxPoolCore(x, windowOf('maxPool2d', x, kernelSize, opts));
  return opts.returnIndices ? r : r.values;
}

/** Options of the 1-D pools: sizes are single numbers. */
export interface Pool1dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: number;
  /** Implicit padding on each side. */
  padding?: number;
  /** Spacing between taps (max pooling only). */
  dilation?: number;
  /** Ceil instead of floor for the output size. */
  ceilMode?: boolean;
}

function to2d(op: string, x: Tensor, kernelSize: number, opts: Pool1dOptions): { x4: Tensor; k: [number, number]; o: Pool2dOptions } {
  checkTensor(op, x);
  if (x.ndim !== 3) throw new ShapeError(`${op}: input must be 3-D (N, C, L), got shape ${fmtShape(x.shape)}`);
  const opt = (v: number | undefined, arg: string, min: number) => (v === undefined ? undefined : checkInt(op, v, arg, min));
  const stride = opt(opts.stride, 'stride', 1);
  const padding = opt(opts.padding, 'padding', 0);
  const dilation = opt(opts.dilation, 'dilation', 1);
  return {
    x4: P.reshape(x, [x.shape[0], x.shape[1], 1, x.shape[2]]),
    k: [1, checkInt(op, kernelSize, 'kernelSize', 1)],
    o: {
      stride: stride === undefined ? undefined : [1, stride],
      padding: padding === undefined ? undefined : [0, padding],
      dilation: dilation === undefined ? undefined : [1, dilation],
      ceilMode: opts.ceilMode,
    },
  };
}

function from2d(t: Tensor): Tensor {
  return P.reshape(t, [t.shape[0], t.shape[1], t.shape[3]]);
}

/** 1-D max pooling of x [N, C, L]; with `returnIndices` also the int32 index of each maximum. */
export function maxPool1d(x: Tensor, kernelSize: number, opts?: Pool1dOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(x: Tensor, kernelSize: number, opts: Pool1dOptions & { returnIndices: true }): PoolWithIndices;
export function maxPool1d(x: Tensor, kernelSize: number, opts: Pool1dOptions & { returnIndices?: boolean } = {}): Tensor | PoolWithIndices {
  const { x4, k, o } = to2d('maxPool1d', x, kernelSize, opts);
  check4d('maxPool1d', x4);
  const r = maxPoolCore(x4, windowOf('maxPool1d', x4, k, o, true));
  return opts.returnIndices ? { values: from2d(r.values), indices: from2d(r.indices) } : from2d(r.values);
}

function avgPoolCore(op: string, x: Tensor, win: Window2d, includePad: boolean, divisor?: number): Tensor {
  const [N, C, H, W] = x.shape;
  if (divisor !== undefined && (!Number.isFinite(divisor) || divisor === 0)) throw new ValueError(`${op}: divisorOverride must be a nonzero number, got ${divisor}`);
  const K = win.kh * win.kw;
  const sums = P.reduce('sum', P.reshape(P.im2col(x, win, 0), [N, C, K, win.oh * win.ow]), [2], false);
  // divisor per output position: window size clipped to the padded input (or to the input without padding)
  const div = new Float64Array(win.oh * win.ow);
  for (let y = 0; y < win.oh; y++) {
    for (let z = 0; z < win.ow; z++) {
      let h0 = y * win.sh - win.padTop;
      let w0 = z * win.sw - win.padLeft;
      let h1 = Math.min(h0 + win.kh, H + win.padTop);
      let w1 = Math.min(w0 + win.kw, W + win.padLeft);
      const padded = (h1 - h0) * (w1 - w0);
      h0 = Math.max(h0, 0);
      w0 = Math.max(w0, 0);
      h1 = Math.min(h1, H);
      w1 = Math.min(w1, W);
      div[y * win.ow + z] = divisor ?? (includePad ? padded : (h1 - h0) * (w1 - w0));
    }
  }
  const d = P.fromHost(div, [win.oh * win.ow], x.dtype, x.device);
  return P.reshape(P.binary('div', sums, d), [N, C, win.oh, win.ow]);
}

/** 2-D average pooling of x [N, C, H, W]. */
export function avgPool2d(x: Tensor, kernelSize: Pair, opts: AvgPool2dOptions = {}): Tensor {
  check4d('avgPool2d', x);
  if (opts.dilation !== undefined) throw new ValueError('avgPool2d: dilation is not an option of average pooling (as in PyTorch)');
  const win = windowOf('avgPool2d', x, kernelSize, opts);
  return avgPoolCore('avgPool2d', x, win, opts.countIncludePad ?? true, opts.divisorOverride);
}

/** 1-D average pooling of x [N, C, L]. */
export function avgPool1d(x: Tensor, kernelSize: number, opts: Omit<Pool1dOptions, 'dilation'> & { countIncludePad?: boolean } = {}): Tensor {
  const { x4, k, o } = to2d('avgPool1d', x, kernelSize, opts);
  check4d('avgPool1d', x4);
  const win = windowOf('avgPool1d', x4, k, o, true);
  return from2d(avgPoolCore('avgPool1d', x4, win, opts.countIncludePad ?? true));
}

/**
 * Inverse of maxPool2d: puts each value of x [N, C, h, w] at its int32 `indices` position in a zero tensor
 * [N, C, H, W]; H, W default to (h - 1) * stride - 2 * padding + kernel.
 */
export function maxUnpool2d(x: Tensor, indices: Tensor, kernelSize: Pair, opts: { stride?: Pair; padding?: Pair; outputSize?: readonly number[] } = {}): Tensor {
  check4d('maxUnpool2d', x);
  checkIndex('maxUnpool2d', checkTensor('maxUnpool2d', indices, 'indices'), 'indices');
  if (indices.ndim !== 4 || indices.shape.some((s, i) => s !== x.shape[i])) {
    throw new ShapeError(`maxUnpool2d: indices ${fmtShape(indices.shape)} must have the input's shape ${fmtShape(x.shape)}`);
  }
  const [kh, kw] = pair('maxUnpool2d', kernelSize, 1, 'kernelSize', 1);
  const [sh, sw] = opts.stride === undefined ? [kh, kw] : pair('maxUnpool2d', opts.stride, 1, 'stride', 1);
  const [ph, pw] = pair('maxUnpool2d', opts.padding, 0, 'padding', 0);
  const [N, C, h, w] = x.shape;
  let H = (h - 1) * sh - 2 * ph + kh;
  let W = (w - 1) * sw - 2 * pw + kw;
  if (opts.outputSize !== undefined) {
    const os = opts.outputSize.slice(-2);
    if (os.length !== 2 || os.some((v) => !Number.isInteger(v) || v <= 0)) {
      throw new ValueError(`maxUnpool2d: outputSize must end with two positive sizes, got ${JSON.stringify(opts.outputSize)}`);
    }
    [H, W] = os;
  }
  checkIndexRange('maxUnpool2d', indices, H * W, `an output plane of ${H}x${W}`);
  const idx = P.reshape(indices, [N, C, h * w]);
  const src = P.reshape(x, [N, C, h * w]);
  const zeros = P.filled([N, C, H * W], 0, x.dtype, x.device);
  // Several windows can name the same position (overlapping pools); they carry the same value, so the sum is
  // divided by the count to place it once, while the gradient reaches every source, as PyTorch's.
  const counts = P.scatterAdd(zeros, 2, idx, P.filled(src.shape, 1, x.dtype, x.device));
  const one = P.scalarOf(1, x.dtype, x);
  const placed = P.binary('div', P.scatterAdd(zeros, 2, idx, P.detach(src)), P.binary('maximum', counts, one));
  const out = record(P.reshape(placed, [N, C, H, W]), 'MaxUnpool2DBackward', [x], (g) => [P.reshape(P.gather(P.reshape(g, [N, C, H * W]), 2, idx), x.shape)]);
  return out;
}

function adaptiveRanges(n: number, out: number): [number, number][] {
  return Array.from({ length: out }, (_, i) => [Math.floor((i * n) / out), Math.ceil(((i + 1) * n) / out)]);
}

function adaptiveSize(op: string, x: Tensor, outputSize: Pair | readonly (number | null)[]): [number, number] {
  const [, , H, W] = x.shape;
  const raw = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  if (!Array.isArray(raw) || raw.length !== 2) throw new ValueError(`${op}: outputSize must be a number or [h, w], got ${JSON.stringify(outputSize)}`);
  const oh = raw[0] ?? H;
  const ow = raw[1] ?? W;
  if (![oh, ow].every((v) => Number.isInteger(v) && v > 0)) throw new ValueError(`${op}: output sizes must be positive integers, got ${JSON.stringify(outputSize)}`);
  return [oh, ow];
}

/** Average pooling of x [N, C, H, W] to exactly `outputSize` (null keeps that dim), windows as PyTorch's. */
export function adaptiveAvgPool2d(x: Tensor, outputSize: Pair | readonly (number | null)[]): Tensor {
  check4d('adaptiveAvgPool2d', x);
  const [oh, ow] = adaptiveSize('adaptiveAvgPool2d', x, outputSize);
  const [N, C, H, W] = x.shape;
  if (H % oh === 0 && W % ow === 0) return avgPool2d(x, [H / oh, W / ow]);
  // separable: mean over each row band, then over each column band (rectangles, so this is the window mean)
  const alongH = adaptiveRanges(H, oh).map(([a, b]) =>
    P.reduce('sum', P.slice(x, [full(N), full(C), { start: a, step: 1, size: b - a }, full(W)]), [2], true),
  );
  const divH = P.fromHost(adaptiveRanges(H, oh).map(([a, b]) => b - a), [1, 1, oh, 1], x.dtype, x.device);
  const rows = P.binary('div', P.cat(alongH, 2), divH);
  const alongW = adaptiveRanges(W, ow).map(([a, b]) =>
    P.reduce('sum', P.slice(rows, [full(N), full(C), full(oh), { start: a, step: 1, size: b - a }]), [3], true),
  );
  const divW = P.fromHost(adaptiveRanges(W, ow).map(([a, b]) => b - a), [1, 1, 1, ow], x.dtype, x.device);
  return P.binary('div', P.cat(alongW, 3), divW);
}

function full(n: number): P.Range {
  return { start: 0, step: 1, size: n };
}

/** Max pooling of x [N, C, H, W] to exactly `outputSize`; with `returnIndices` also flat int32 indices. */
export function adaptiveMaxPool2d(x: Tensor, outputSize: Pair | readonly (number | null)[], opts?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool2d(x: Tensor, outputSize: Pair | readonly (number | null)[], opts: { returnIndices: true }): PoolWithIndices;
export function adaptiveMaxPool2d(x: Tensor, outputSize: Pair | readonly (number | null)[], opts: { returnIndices?: boolean } = {}): Tensor | PoolWithIndices {
  check4d('adaptiveMaxPool2d', x);
  const [oh, ow] = adaptiveSize('adaptiveMaxPool2d', x, outputSize);
  const [N, C, H, W] = x.shape;
  if (H % oh === 0 && W % ow === 0) {
    const r = maxPoolCore(x, { kh: H / oh, kw: W / ow, sh: H / oh, sw: W / ow, dh: 1, dw: 1, padTop: 0, padLeft: 0, oh, ow });
    return opts.returnIndices ? r : r.values;
  }
  const values: Tensor[] = [];
  const indices: Tensor[] = [];
  for (const [h0, h1] of adaptiveRanges(H, oh)) {
    for (const [w0, w1] of adaptiveRanges(W, ow)) {
      const cell = P.reshape(P.slice(x, [full(N), full(C), { start: h0, step: 1, size: h1 - h0 }, { start: w0, step: 1, size: w1 - w0 }]), [N, C, (h1 - h0) * (w1 - w0)]);
      const local = windowArgmax(cell, 2);
      values.push(P.gather(cell, 2, local));
      if (opts.returnIndices) {
        const span = w1 - w0;
        const flat = local.toTypedArray().map((k) => (h0 + Math.floor(k / span)) * W + w0 + (k % span));
        indices.push(P.fromHost(flat, [N, C, 1], 'int32', x.device));
      }
    }
  }
  const v = P.reshape(P.cat(values, 2), [N, C, oh, ow]);
  return opts.returnIndices ? { values: v, indices: P.reshape(P.cat(indices, 2), [N, C, oh, ow]) } : v;
}
