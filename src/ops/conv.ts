/**
 * Convolutions as in torch.nn.functional: conv1d, conv2d and convTranspose2d (with convTranspose1d). One-group
 * convolutions run as the fused conv2d primitive and one-group transposed ones as its input gradient
 * (autograd/conv-fused.ts); grouped ones are built on the im2col/col2im primitives and a batched matmul over
 * groups, so their gradients come for free. Inputs may be
 * unbatched as in PyTorch ([C, H, W] for the 2-D ops, [C, L] for the 1-D ones); the output then has no batch dim.
 * @module
 */
import type { Window2d } from '../backend/types.js';
import * as P from '../autograd/primitives.js';
import { convTranspose2d as convTranspose2dFused } from '../autograd/conv-fused.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';
import { traceOp, tracing, type OpAttrs } from './trace-hook.js';
import { batched, unbatch } from './window.js';

/** A size given once for both spatial dims or as [height, width]. */
export type Pair = number | readonly [number, number];

/** Options of conv1d/conv2d. */
export interface ConvOptions {
  /** Step between windows (default 1). */
  stride?: Pair;
  /** Zero padding on each side, or 'valid' (none) or 'same' (output size = input size; stride 1 only). */
  padding?: Pair | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Number of channel groups (default 1); in and out channels must both be divisible by it. */
  groups?: number;
}

/** Options of convTranspose1d/convTranspose2d. */
export interface ConvTransposeOptions {
  /** Stride of the convolution this one transposes (default 1). */
  stride?: Pair;
  /** Padding of the convolution this one transposes (default 0). */
  padding?: Pair;
  /** Extra size added to one side of the output, to pick among the sizes a strided conv maps from (default 0). */
  outputPadding?: Pair;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Number of channel groups (default 1). */
  groups?: number;
}

/** A convolution's options as recorded for graph capture (sizes as given: a number or one per spatial dim). */
function convAttrs(o: { stride?: number | readonly number[]; padding?: number | readonly number[] | string; dilation?: number | readonly number[]; groups?: number; outputPadding?: number | readonly number[] }): OpAttrs {
  return { stride: o.stride ?? 1, padding: o.padding ?? 0, dilation: o.dilation ?? 1, groups: o.groups ?? 1, outputPadding: o.outputPadding ?? 0 };
}

/** Reads a Pair argument as [h, w], checking each is an integer >= min. */
export function pair(op: string, v: Pair | undefined, dflt: number, arg: string, min: number): [number, number] {
  const p: readonly number[] = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) && typeof v !== 'number' && v !== undefined) throw new ValueError(`${op}: ${arg} must be a number or [h, w], got ${JSON.stringify(v)}`);
  if (p.length !== 2 || p.some((x) => !Number.isInteger(x) || x < min)) {
    throw new ValueError(`${op}: ${arg} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(v)}`);
  }
  return [p[0], p[1]];
}

/** Formats a shape for messages; 1-D ops run as 2-D with a size-1 H dim (index 2), which the user never sees. */
function shown(shape: readonly number[], oneD: boolean): string {
  return fmtShape(oneD ? [...shape.slice(0, 2), ...shape.slice(3)] : shape);
}

/** Checks the operands of a convolution over `rank` spatial dims and returns the input batched. */
export function checkConvInputs(op: string, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, rank: number): { x: Tensor; unbatched: boolean } {
  const b = batched(op, input, rank);
  const x = b.x;
  checkTensor(op, weight, 'weight');
  if (weight.ndim !== rank + 2) throw new ShapeError(`${op}: weight must be ${rank + 2}-D, got shape ${fmtShape(weight.shape)}`);
  if (weight.dtype !== x.dtype) throw new DTypeError(`${op}: weight dtype ${weight.dtype} differs from input dtype ${x.dtype}`);
  if (bias !== undefined && bias !== null) {
    checkTensor(op, bias, 'bias');
    if (bias.dtype !== x.dtype) throw new DTypeError(`${op}: bias dtype ${bias.dtype} differs from input dtype ${x.dtype}`);
  }
  return b;
}

function outSize(op: string, n: number, k: number, s: number, padTotal: number, d: number, dim: string): number {
  const span = d * (k - 1) + 1;
  if (n + padTotal < span) {
    throw new ShapeError(`${op}: kernel size ${k}${d > 1 ? ` (dilated to ${span})` : ''} is larger than the padded input size ${n + padTotal} in dim ${dim}`);
  }
  return Math.floor((n + padTotal - span) / s) + 1;
}

/**
 * 2-D convolution (cross-correlation, as PyTorch) of x [N, C, H, W] (or unbatched [C, H, W]) with weight
 * [O, C / groups, kh, kw] and an optional bias [O], giving [N, O, oh, ow] (or [O, oh, ow]).
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  if (tracing.tracer !== null) return traceOp('conv2d', [x, weight, bias ?? null], convAttrs(opts), () => conv2d(x, weight, bias, opts));
  const b = checkConvInputs('conv2d', x, weight, bias, 2);
  return unbatch(conv2dNamed('conv2d', b.x, weight, bias, opts), b.unbatched);
}

/** conv2d of checked, batched operands; errors name `op` (and, for `oneD`, show shapes without the H dim). */
export function conv2dNamed(op: string, x: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: ConvOptions, oneD = false): Tensor {
  const [N, C, H, W] = x.shape;
  const [O, Cg, kh, kw] = weight.shape;
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${op}: groups must be a positive integer, got ${groups}`);
  if (C % groups !== 0 || O % groups !== 0) {
    throw new ValueError(`${op}: in channels ${C} and out channels ${O} must both be divisible by groups ${groups}`);
  }
  if (Cg * groups !== C) {
    throw new ShapeError(`${op}: weight ${shown(weight.shape, oneD)} expects ${Cg * groups} input channels (groups ${groups}), but the input ${shown(x.shape, oneD)} has ${C}`);
  }
  if (bias !== undefined && bias !== null && (bias.ndim !== 1 || bias.shape[0] !== O)) {
    throw new ShapeError(`${op}: bias must have shape [${O}], got ${fmtShape(bias.shape)}`);
  }
  const [sh, sw] = pair(op, opts.stride, 1, 'stride', 1);
  const [dh, dw] = pair(op, opts.dilation, 1, 'dilation', 1);
  let padTop: number, padLeft: number, padH: number, padW: number;
  if (opts.padding === 'same') {
    if (sh !== 1 || sw !== 1) throw new ValueError(`${op}: padding 'same' needs stride 1, got stride ${JSON.stringify(oneD ? sw : opts.stride)}`);
    padH = dh * (kh - 1);
    padW = dw * (kw - 1);
    padTop = Math.floor(padH / 2);
    padLeft = Math.floor(padW / 2);
  } else if (opts.padding === 'valid') {
    padTop = padLeft = padH = padW = 0;
  } else {
    [padTop, padLeft] = pair(op, opts.padding, 0, 'padding', 0);
    padH = 2 * padTop;
    padW = 2 * padLeft;
  }
  const oh = outSize(op, H, kh, sh, padH, dh, 'H');
  const ow = outSize(op, W, kw, sw, padW, dw, oneD ? 'L' : 'W');
  const win: Window2d = { kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow };
  if (groups === 1) return P.conv2d(x, weight, bias ?? null, win);
  const cols = P.reshape(P.im2col(x, win, 0), [N, groups, Cg * kh * kw, oh * ow]);
  const w = P.expand(P.reshape(weight, [1, groups, O / groups, Cg * kh * kw]), [N, groups, O / groups, Cg * kh * kw]);
  let y = P.reshape(P.matmul(w, cols), [N, O, oh, ow]);
  if (bias !== undefined && bias !== null) y = P.binary('add', y, P.reshape(bias, [1, O, 1, 1]));
  return y;
}

/** Reads a 1-D size option (a number, or a one-element array as PyTorch's tuples) as the [1, n] of the 2-D op. */
function as2d(op: string, v: number | readonly [number] | undefined, dflt: number, arg: string, min: number): [number, number] {
  const n = v === undefined ? dflt : typeof v === 'number' ? v : Array.isArray(v) && v.length === 1 ? v[0] : NaN;
  if (!Number.isInteger(n) || n < min) throw new ValueError(`${op}: ${arg} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return [1, n];
}

/** Options of the 1-D convolutions: sizes are single numbers. */
export interface Conv1dOptions {
  /** Step between windows (default 1). */
  stride?: number;
  /** Zero padding on each side, or 'valid' / 'same'. */
  padding?: number | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: number;
  /** Number of channel groups (default 1). */
  groups?: number;
}

/** 1-D convolution of x [N, C, L] (or [C, L]) with weight [O, C / groups, k] and optional bias [O], giving [N, O, l]. */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv1dOptions = {}): Tensor {
  if (tracing.tracer !== null) return traceOp('conv1d', [input, weight, bias ?? null], convAttrs(opts), () => conv1d(input, weight, bias, opts));
  const { x, unbatched } = checkConvInputs('conv1d', input, weight, bias, 1);
  const padding = opts.padding === 'same' || opts.padding === 'valid' ? opts.padding : ([0, as2d('conv1d', opts.padding, 0, 'padding', 0)[1]] as [number, number]);
  const y = conv2dNamed('conv1d', P.reshape(x, [x.shape[0], x.shape[1], 1, x.shape[2]]), P.reshape(weight, [weight.shape[0], weight.shape[1], 1, weight.shape[2]]), bias, {
    stride: as2d('conv1d', opts.stride, 1, 'stride', 1),
    dilation: as2d('conv1d', opts.dilation, 1, 'dilation', 1),
    padding,
    groups: opts.groups,
  }, true);
  return unbatch(P.reshape(y, [y.shape[0], y.shape[1], y.shape[3]]), unbatched);
}

/**
 * Transposed 2-D convolution (the gradient of conv2d with respect to its input) of x [N, Cin, H, W] (or unbatched
 * [Cin, H, W]) with weight [Cin, Cout / groups, kh, kw] and optional bias [Cout]. Output size: (H - 1) * stride - 2 * padding +
 * dilation * (kh - 1) + outputPadding + 1.
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTransposeOptions = {}): Tensor {
  if (tracing.tracer !== null) return traceOp('convTranspose2d', [x, weight, bias ?? null], convAttrs(opts), () => convTranspose2d(x, weight, bias, opts));
  const b = checkConvInputs('convTranspose2d', x, weight, bias, 2);
  return unbatch(convTranspose2dNamed('convTranspose2d', b.x, weight, bias, opts), b.unbatched);
}

/** convTranspose2d of checked, batched operands; errors name `op` (`oneD`: shapes shown without the H dim). */
export function convTranspose2dNamed(op: string, x: Tensor, weight: Tensor, bias: Tensor | null | undefined, opts: ConvTransposeOptions, oneD = false): Tensor {
  const [N, Cin, H, W] = x.shape;
  const [wCin, Cg, kh, kw] = weight.shape;
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${op}: groups must be a positive integer, got ${groups}`);
  if (wCin !== Cin) throw new ShapeError(`${op}: weight ${shown(weight.shape, oneD)} expects ${wCin} input channels, but the input ${shown(x.shape, oneD)} has ${Cin}`);
  if (Cin % groups !== 0) throw new ValueError(`${op}: in channels ${Cin} must be divisible by groups ${groups}`);
  const Cout = Cg * groups;
  if (bias !== undefined && bias !== null && (bias.ndim !== 1 || bias.shape[0] !== Cout)) {
    throw new ShapeError(`${op}: bias must have shape [${Cout}], got ${fmtShape(bias.shape)}`);
  }
  const [sh, sw] = pair(op, opts.stride, 1, 'stride', 1);
  const [ph, pw] = pair(op, opts.padding, 0, 'padding', 0);
  const [dh, dw] = pair(op, opts.dilation, 1, 'dilation', 1);
  const [oph, opw] = pair(op, opts.outputPadding, 0, 'outputPadding', 0);
  if (oph >= Math.max(sh, dh) || opw >= Math.max(sw, dw)) {
    const shownPad = oneD ? opw : opts.outputPadding;
    throw new ValueError(`${op}: outputPadding ${JSON.stringify(shownPad)} must be smaller than stride or dilation (stride ${JSON.stringify(oneD ? sw : opts.stride ?? 1)}, dilation ${JSON.stringify(oneD ? dw : opts.dilation ?? 1)})`);
  }
  const OH = (H - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
  const OW = (W - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
  if (OH <= 0 || OW <= 0) throw new ShapeError(`${op}: the output size ${oneD ? `[${OW}]` : `[${OH}, ${OW}]`} is not positive for input ${shown(x.shape, oneD)}`);
  const win: Window2d = { kh, kw, sh, sw, dh, dw, padTop: ph, padLeft: pw, oh: H, ow: W };
  if (groups === 1) {
    const y = convTranspose2dFused(x, weight, [N, Cout, OH, OW], win);
    return bias !== undefined && bias !== null ? P.binary('add', y, P.reshape(bias, [1, Cout, 1, 1])) : y;
  }
  const Cig = Cin / groups;
  const xg = P.reshape(x, [N, groups, Cig, H * W]);
  const wg = P.permute(P.reshape(weight, [1, groups, Cig, Cg * kh * kw]), [0, 1, 3, 2]);
  const cols = P.matmul(P.expand(wg, [N, groups, Cg * kh * kw, Cig]), xg);
  let y = P.col2im(P.reshape(cols, [N, Cout * kh * kw, H * W]), [N, Cout, OH, OW], win);
  if (bias !== undefined && bias !== null) y = P.binary('add', y, P.reshape(bias, [1, Cout, 1, 1]));
  return y;
}

/** Options of convTranspose1d: sizes are single numbers. */
export interface ConvTranspose1dOptions {
  /** Stride (default 1). */
  stride?: number;
  /** Padding (default 0). */
  padding?: number;
  /** Output padding (default 0). */
  outputPadding?: number;
  /** Dilation (default 1). */
  dilation?: number;
  /** Groups (default 1). */
  groups?: number;
}

/** Transposed 1-D convolution of x [N, Cin, L] (or [Cin, L]) with weight [Cin, Cout / groups, k]. */
export function convTranspose1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTranspose1dOptions = {}): Tensor {
  if (tracing.tracer !== null) return traceOp('convTranspose1d', [input, weight, bias ?? null], convAttrs(opts), () => convTranspose1d(input, weight, bias, opts));
  const op = 'convTranspose1d';
  const { x, unbatched } = checkConvInputs(op, input, weight, bias, 1);
  const y = convTranspose2dNamed(op, P.reshape(x, [x.shape[0], x.shape[1], 1, x.shape[2]]), P.reshape(weight, [weight.shape[0], weight.shape[1], 1, weight.shape[2]]), bias, {
    stride: as2d(op, opts.stride, 1, 'stride', 1),
    padding: as2d(op, opts.padding, 0, 'padding', 0).map((v, i) => (i === 0 ? 0 : v)) as [number, number],
    outputPadding: as2d(op, opts.outputPadding, 0, 'outputPadding', 0).map((v, i) => (i === 0 ? 0 : v)) as [number, number],
    dilation: as2d(op, opts.dilation, 1, 'dilation', 1),
    groups: opts.groups,
  }, true);
  return unbatch(P.reshape(y, [y.shape[0], y.shape[1], y.shape[3]]), unbatched);
}
