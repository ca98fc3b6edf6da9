/**
 * Pooling as in torch.nn.functional: maxPool1d/2d (with indices), avgPool1d/2d, maxUnpool1d/2d, and the adaptive
 * 2-D average/max pools (any output size, e.g. for spatial pyramid pooling). Windowed pools are built on im2col.
 * Each takes batched or unbatched input as PyTorch ([N, C, H, W] or [C, H, W]; [N, C, L] or [C, L]).
 * @module
 */
import type { Window2d } from '../backend/types.js';
import * as P from '../autograd/primitives.js';
import { record } from '../autograd/node.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { pair, type Pair } from './conv.js';
import { checkIndexRange } from './indexing.js';
import { checkIndex, checkInt, checkTensor } from './util.js';
import { batched, poolOut, unbatch } from './window.js';
import { traceOp, tracing, type OpAttrs } from './trace-hook.js';

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

/** A pooling's options as recorded for graph capture (sizes as given: a number or [h, w]). */
function poolAttrs(kernelSize: Pair, o: AvgPool2dOptions & { returnIndices?: boolean }): OpAttrs {
  return {
    kernelSize, stride: o.stride ?? kernelSize, padding: o.padding ?? 0, dilation: o.dilation ?? 1, ceilMode: o.ceilMode ?? false,
    countIncludePad: o.countIncludePad ?? true, divisorOverride: o.divisorOverride ?? null, returnIndices: o.returnIndices ?? false,
  };
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

/** Max-pooled values and, where asked, the flat index (into H * W of the input) of each maximum. */
export interface PoolWithIndices {
  /** The pooled values. */
  values: Tensor;
  /** int32 indices into each input plane (flattened H * W), as PyTorch's return_indices. */
  indices: Tensor;
}

function maxPoolCore(x: Tensor, win: Window2d): PoolWithIndices {
  const [values, indices] = P.maxPool(x, win);
  return { values, indices };
}

/** 2-D max pooling of x [N, C, H, W]; with `returnIndices` also the int32 flat index of each maximum. */
export function maxPool2d(x: Tensor, kernelSize: Pair, opts?: Pool2dOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(x: Tensor, kernelSize: Pair, opts: Pool2dOptions & { returnIndices: true }): PoolWithIndices;
export function maxPool2d(x: Tensor, kernelSize: Pair, opts: Pool2dOptions & { returnIndices?: boolean } = {}): Tensor | PoolWithIndices {
  if (tracing.tracer !== null) {
    return traceOp('maxPool2d', [x], poolAttrs(kernelSize, opts), () => maxPool2d(x, kernelSize, opts as Pool2dOptions & { returnIndices: true }),
      (r) => (r instanceof Tensor ? [r] : [r.values, r.indices]));
  }
  const b = batched('maxPool2d', x, 2);
  const r = maxPoolCore(b.x, windowOf('maxPool2d', b.x, kernelSize, opts));
  return opts.returnIndices ? { values: unbatch(r.values, b.unbatched), indices: unbatch(r.indices, b.unbatched) } : unbatch(r.values, b.unbatched);
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

function to2d(op: string, input: Tensor, kernelSize: number, opts: Pool1dOptions): { x4: Tensor; k: [number, number]; o: Pool2dOptions; unbatched: boolean } {
  const { x, unbatched } = batched(op, input, 1);
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
    unbatched,
  };
}

/** [N, C, 1, L] back to [N, C, L], or to [C, L] for an unbatched input. */
function from2d(t: Tensor, unbatched: boolean): Tensor {
  return P.reshape(t, unbatched ? [t.shape[1], t.shape[3]] : [t.shape[0], t.shape[1], t.shape[3]]);
}

/** 1-D max pooling of x [N, C, L]; with `returnIndices` also the int32 index of each maximum. */
export function maxPool1d(x: Tensor, kernelSize: number, opts?: Pool1dOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(x: Tensor, kernelSize: number, opts: Pool1dOptions & { returnIndices: true }): PoolWithIndices;
export function maxPool1d(x: Tensor, kernelSize: number, opts: Pool1dOptions & { returnIndices?: boolean } = {}): Tensor | PoolWithIndices {
  const { x4, k, o, unbatched } = to2d('maxPool1d', x, kernelSize, opts);
  const r = maxPoolCore(x4, windowOf('maxPool1d', x4, k, o, true));
  return opts.returnIndices ? { values: from2d(r.values, unbatched), indices: from2d(r.indices, unbatched) } : from2d(r.values, unbatched);
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
  if (tracing.tracer !== null) return traceOp('avgPool2d', [x], poolAttrs(kernelSize, opts), () => avgPool2d(x, kernelSize, opts));
  const b = batched('avgPool2d', x, 2);
  if (opts.dilation !== undefined) throw new ValueError('avgPool2d: dilation is not an option of average pooling (as in PyTorch)');
  const win = windowOf('avgPool2d', b.x, kernelSize, opts);
  return unbatch(avgPoolCore('avgPool2d', b.x, win, opts.countIncludePad ?? true, opts.divisorOverride), b.unbatched);
}

/** 1-D average pooling of x [N, C, L]. */
export function avgPool1d(x: Tensor, kernelSize: number, opts: Omit<Pool1dOptions, 'dilation'> & { countIncludePad?: boolean } = {}): Tensor {
  const { x4, k, o, unbatched } = to2d('avgPool1d', x, kernelSize, opts);
  const win = windowOf('avgPool1d', x4, k, o, true);
  return from2d(avgPoolCore('avgPool1d', x4, win, opts.countIncludePad ?? true), unbatched);
}

/** Options of maxUnpool2d: the pooling's window, and the output size where several are possible. */
export interface MaxUnpool2dOptions {
  /** The pooling's stride (default: the kernel size). */
  stride?: Pair;
  /** The pooling's padding (default 0). */
  padding?: Pair;
  /** The output size; its last two entries are used (so a full [N, C, H, W] shape works too). */
  outputSize?: readonly number[];
}

/**
 * Inverse of maxPool2d: puts each value of x [N, C, h, w] (or [C, h, w]) at its int32 `indices` position in a
 * zero tensor [N, C, H, W]; H, W default to (h - 1) * stride - 2 * padding + kernel.
 */
export function maxUnpool2d(x: Tensor, indices: Tensor, kernelSize: Pair, opts: MaxUnpool2dOptions = {}): Tensor {
  if (tracing.tracer !== null) {
    return traceOp('maxUnpool2d', [x, indices], { kernelSize, stride: opts.stride ?? kernelSize, padding: opts.padding ?? 0 }, () => maxUnpool2d(x, indices, kernelSize, opts));
  }
  const op = 'maxUnpool2d';
  const b = batched(op, x, 2);
  checkUnpoolIndices(op, x, indices);
  const [kh, kw] = pair(op, kernelSize, 1, 'kernelSize', 1);
  const [sh, sw] = opts.stride === undefined ? [kh, kw] : pair(op, opts.stride, 1, 'stride', 1);
  const [ph, pw] = pair(op, opts.padding, 0, 'padding', 0);
  const [, , h, w] = b.x.shape;
  let H = (h - 1) * sh - 2 * ph + kh;
  let W = (w - 1) * sw - 2 * pw + kw;
  if (opts.outputSize !== undefined) {
    const os = opts.outputSize.slice(-2);
    if (os.length !== 2 || os.some((v) => !Number.isInteger(v) || v <= 0)) {
      throw new ValueError(`${op}: outputSize must end with two positive sizes, got ${JSON.stringify(opts.outputSize)}`);
    }
    [H, W] = os;
  }
  checkIndexRange(op, indices, H * W, `an output plane of ${H}x${W}`);
  return unbatch(unpoolCore(b.x, P.reshape(indices, b.x.shape), [H, W]), b.unbatched);
}

/** Options of maxUnpool1d. */
export interface MaxUnpool1dOptions {
  /** The pooling's stride (default: the kernel size). */
  stride?: number;
  /** The pooling's padding (default 0). */
  padding?: number;
  /** The output size; its last entry is used (so a full [N, C, L] shape works too). */
  outputSize?: readonly number[];
}

/**
 * Inverse of maxPool1d: puts each value of x [N, C, l] (or [C, l]) at its int32 `indices` position in a zero
 * tensor [N, C, L]; L defaults to (l - 1) * stride - 2 * padding + kernel.
 */
export function maxUnpool1d(x: Tensor, indices: Tensor, kernelSize: number, opts: MaxUnpool1dOptions = {}): Tensor {
  const op = 'maxUnpool1d';
  const b = batched(op, x, 1);
  checkUnpoolIndices(op, x, indices);
  const k = checkInt(op, kernelSize, 'kernelSize', 1);
  const s = opts.stride === undefined ? k : checkInt(op, opts.stride, 'stride', 1);
  const p = opts.padding === undefined ? 0 : checkInt(op, opts.padding, 'padding', 0);
  const [N, C, l] = b.x.shape;
  let L = (l - 1) * s - 2 * p + k;
  if (opts.outputSize !== undefined) {
    const last = opts.outputSize[opts.outputSize.length - 1];
    if (!Number.isInteger(last) || last <= 0) throw new ValueError(`${op}: outputSize must end with a positive size, got ${JSON.stringify(opts.outputSize)}`);
    L = last;
  }
  checkIndexRange(op, indices, L, `an output of length ${L}`);
  const y = unpoolCore(P.reshape(b.x, [N, C, 1, l]), P.reshape(indices, [N, C, 1, l]), [1, L]);
  return unbatch(P.reshape(y, [N, C, L]), b.unbatched);
}

/** Checks `indices` is an int32 tensor of x's shape (the pooling's indices of x). */
export function checkUnpoolIndices(op: string, x: Tensor, indices: Tensor): void {
  checkIndex(op, checkTensor(op, indices, 'indices'), 'indices');
  if (indices.ndim !== x.ndim || indices.shape.some((s, i) => s !== x.shape[i])) {
    throw new ShapeError(`${op}: indices ${fmtShape(indices.shape)} must have the input's shape ${fmtShape(x.shape)}`);
  }
}

/** Places x [N, C, h, w] at its flat `indices` into zero planes [N, C, H, W], gradients back from there. */
export function unpoolCore(x: Tensor, indices: Tensor, [H, W]: readonly number[]): Tensor {
  const [N, C, h, w] = x.shape;
  const idx = P.reshape(indices, [N, C, h * w]);
  const src = P.reshape(x, [N, C, h * w]);
  const zeros = P.filled([N, C, H * W], 0, x.dtype, x.device);
  // Several windows can name the same position (overlapping pools); they carry the same value, so the sum is
  // divided by the count to place it once, while the gradient reaches every source, as PyTorch's.
  const counts = P.scatterAdd(zeros, 2, idx, P.filled(src.shape, 1, x.dtype, x.device));
  const one = P.scalarOf(1, x.dtype, x);
  const placed = P.binary('div', P.scatterAdd(zeros, 2, idx, P.detach(src)), P.binary('maximum', counts, one));
  return record(P.reshape(placed, [N, C, H, W]), 'MaxUnpool2DBackward', [x], (g) => [P.reshape(P.gather(P.reshape(g, [N, C, H * W]), 2, idx), x.shape)]);
}

export { adaptiveAvgPool2d, adaptiveMaxPool2d } from './pool-adaptive.js';
