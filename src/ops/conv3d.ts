/**
 * 3-D convolutions as in torch.nn.functional: conv3d and convTranspose3d over [N, C, D, H, W] (or unbatched
 * [C, D, H, W]). Each is a sum over the kernel's depth taps of 2-D (transposed) convolutions of depth slices,
 * so it runs on the fused conv2d kernel and gets its gradients from the 2-D ops.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkConvInputs, conv2dNamed, convTranspose2dNamed } from './conv.js';
import { triple, unbatch, type Triple } from './window.js';

/** Options of conv3d. */
export interface Conv3dOptions {
  /** Step between windows (default 1). */
  stride?: Triple;
  /** Zero padding on each side, or 'valid' (none) or 'same' (output size = input size; stride 1 only). */
  padding?: Triple | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: Triple;
  /** Number of channel groups (default 1); in and out channels must both be divisible by it. */
  groups?: number;
}

/** Options of convTranspose3d. */
export interface ConvTranspose3dOptions {
  /** Stride of the convolution this one transposes (default 1). */
  stride?: Triple;
  /** Padding of the convolution this one transposes (default 0). */
  padding?: Triple;
  /** Extra size added to one side of the output, smaller than stride or dilation (default 0). */
  outputPadding?: Triple;
  /** Spacing between kernel taps (default 1). */
  dilation?: Triple;
  /** Number of channel groups (default 1). */
  groups?: number;
}

const range = (start: number, size: number, step = 1): P.Range => ({ start, step, size });
const all = (n: number): P.Range => range(0, n);

function groupsOf(op: string, g: number | undefined): number {
  const groups = g ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${op}: groups must be a positive integer, got ${groups}`);
  return groups;
}

/** Kernel tap `a` of a 5-D weight [A, B, kd, kh, kw] as a 4-D [A, B, kh, kw]. */
function depthTap(weight: Tensor, a: number): Tensor {
  const [A, B, , kh, kw] = weight.shape;
  return P.reshape(P.slice(weight, [all(A), all(B), range(a, 1), all(kh), all(kw)]), [A, B, kh, kw]);
}

/**
 * 3-D convolution (cross-correlation, as PyTorch) of x [N, C, D, H, W] (or [C, D, H, W]) with weight
 * [O, C / groups, kd, kh, kw] and an optional bias [O], giving [N, O, od, oh, ow] (or [O, od, oh, ow]).
 */
export function conv3d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv3dOptions = {}): Tensor {
  const op = 'conv3d';
  const { x, unbatched } = checkConvInputs(op, input, weight, bias, 3);
  const [N, C, D, H, W] = x.shape;
  const [O, Cg, kd] = weight.shape;
  const groups = groupsOf(op, opts.groups);
  if (C % groups !== 0 || O % groups !== 0) throw new ValueError(`${op}: in channels ${C} and out channels ${O} must both be divisible by groups ${groups}`);
  if (Cg * groups !== C) throw new ShapeError(`${op}: weight ${fmtShape(weight.shape)} expects ${Cg * groups} input channels (groups ${groups}), but the input ${fmtShape(x.shape)} has ${C}`);
  if (bias !== undefined && bias !== null && (bias.ndim !== 1 || bias.shape[0] !== O)) throw new ShapeError(`${op}: bias must have shape [${O}], got ${fmtShape(bias.shape)}`);
  const [sd, sh, sw] = triple(op, opts.stride, 1, 'stride', 1);
  const [dd, dh, dw] = triple(op, opts.dilation, 1, 'dilation', 1);
  let front: number, back: number, padHW: [number, number] | 'same';
  if (opts.padding === 'same') {
    if (sd !== 1 || sh !== 1 || sw !== 1) throw new ValueError(`${op}: padding 'same' needs stride 1, got stride ${JSON.stringify(opts.stride)}`);
    // as PyTorch, an odd total padding puts the extra zero at the end
    front = Math.floor((dd * (kd - 1)) / 2);
    back = dd * (kd - 1) - front;
    padHW = 'same';
  } else if (opts.padding === 'valid') {
    front = back = 0;
    padHW = [0, 0];
  } else {
    const [pd, ph, pw] = triple(op, opts.padding, 0, 'padding', 0);
    front = back = pd;
    padHW = [ph, pw];
  }
  const span = dd * (kd - 1) + 1;
  const Dp = D + front + back;
  if (Dp < span) throw new ShapeError(`${op}: kernel size ${kd}${dd > 1 ? ` (dilated to ${span})` : ''} is larger than the padded input size ${Dp} in dim D`);
  const OD = Math.floor((Dp - span) / sd) + 1;
  // depth-major [N, D, C, H, W], zero-padded in depth, so each tap's slices are one strided view
  const xd = P.embed(P.permute(x, [0, 2, 1, 3, 4]), [N, Dp, C, H, W], [all(N), range(front, D), all(C), all(H), all(W)], 0);
  let y: Tensor | null = null;
  for (let a = 0; a < kd; a++) {
    const slab = P.reshape(P.slice(xd, [all(N), range(a * dd, OD, sd), all(C), all(H), all(W)]), [N * OD, C, H, W]);
    const part = conv2dNamed(op, slab, depthTap(weight, a), null, { stride: [sh, sw], dilation: [dh, dw], padding: padHW, groups });
    y = y === null ? part : P.binary('add', y, part);
  }
  const [, , oh, ow] = y!.shape;
  let out = P.permute(P.reshape(y!, [N, OD, O, oh, ow]), [0, 2, 1, 3, 4]);
  if (bias !== undefined && bias !== null) out = P.binary('add', out, P.reshape(bias, [1, O, 1, 1, 1]));
  return unbatch(out, unbatched);
}

/**
 * Transposed 3-D convolution (the gradient of conv3d with respect to its input) of x [N, Cin, D, H, W] (or
 * [Cin, D, H, W]) with weight [Cin, Cout / groups, kd, kh, kw] and optional bias [Cout]. Output size per dim:
 * (D - 1) * stride - 2 * padding + dilation * (kd - 1) + outputPadding + 1.
 */
export function convTranspose3d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTranspose3dOptions = {}): Tensor {
  const op = 'convTranspose3d';
  const { x, unbatched } = checkConvInputs(op, input, weight, bias, 3);
  const [N, Cin, D, H, W] = x.shape;
  const [wCin, Cg, kd, kh, kw] = weight.shape;
  const groups = groupsOf(op, opts.groups);
  if (wCin !== Cin) throw new ShapeError(`${op}: weight ${fmtShape(weight.shape)} expects ${wCin} input channels, but the input ${fmtShape(x.shape)} has ${Cin}`);
  if (Cin % groups !== 0) throw new ValueError(`${op}: in channels ${Cin} must be divisible by groups ${groups}`);
  const Cout = Cg * groups;
  if (bias !== undefined && bias !== null && (bias.ndim !== 1 || bias.shape[0] !== Cout)) throw new ShapeError(`${op}: bias must have shape [${Cout}], got ${fmtShape(bias.shape)}`);
  const s = triple(op, opts.stride, 1, 'stride', 1);
  const p = triple(op, opts.padding, 0, 'padding', 0);
  const d = triple(op, opts.dilation, 1, 'dilation', 1);
  const op3 = triple(op, opts.outputPadding, 0, 'outputPadding', 0);
  if (op3.some((v, i) => v >= Math.max(s[i], d[i]))) {
    throw new ValueError(`${op}: outputPadding ${JSON.stringify(opts.outputPadding)} must be smaller than stride or dilation (stride ${JSON.stringify(opts.stride ?? 1)}, dilation ${JSON.stringify(opts.dilation ?? 1)})`);
  }
  const k = [kd, kh, kw];
  const outs = [D, H, W].map((n, i) => (n - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + op3[i] + 1);
  if (outs.some((v) => v <= 0)) throw new ShapeError(`${op}: the output size ${fmtShape(outs)} is not positive for input ${fmtShape(x.shape)}`);
  const [OD, OH, OW] = outs;
  const xs = P.reshape(P.permute(x, [0, 2, 1, 3, 4]), [N * D, Cin, H, W]);
  // Each depth tap a sends input slice i to output depth i * stride + a * dilation - padding: sum the taps' 2-D
  // results placed at those depths in a buffer long enough for every tap and the output padding.
  const L = Math.max((D - 1) * s[0] + d[0] * (kd - 1) + 1, p[0] + OD);
  let buf: Tensor | null = null;
  for (let a = 0; a < kd; a++) {
    const z = convTranspose2dNamed(op, xs, depthTap(weight, a), null, { stride: [s[1], s[2]], padding: [p[1], p[2]], outputPadding: [op3[1], op3[2]], dilation: [d[1], d[2]], groups });
    const placed = P.embed(P.reshape(z, [N, D, Cout, OH, OW]), [N, L, Cout, OH, OW], [all(N), range(a * d[0], D, s[0]), all(Cout), all(OH), all(OW)], 0);
    buf = buf === null ? placed : P.binary('add', buf, placed);
  }
  let out = P.permute(P.slice(buf!, [all(N), range(p[0], OD), all(Cout), all(OH), all(OW)]), [0, 2, 1, 3, 4]);
  if (bias !== undefined && bias !== null) out = P.binary('add', out, P.reshape(bias, [1, Cout, 1, 1, 1]));
  return unbatch(out, unbatched);
}
