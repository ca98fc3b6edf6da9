/**
 * Sliding blocks as torch.nn.functional.unfold / fold: unfold copies every kernel-sized block of an image into a
 * column, fold sums columns back into an image (its adjoint). They are the im2col/col2im primitives with
 * PyTorch's argument checks; batched or unbatched inputs as PyTorch.
 * @module
 */
import type { Window2d } from '../backend/types.js';
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { pair, type Pair } from './conv.js';
import { batched, unbatch } from './window.js';

/** Options of unfold / fold. */
export interface FoldOptions {
  /** Spacing between the taps of a block (default 1). */
  dilation?: Pair;
  /** Zero padding on each side of the image (default 0). */
  padding?: Pair;
  /** Step between blocks (default 1). */
  stride?: Pair;
}

function blocks(op: string, size: [number, number], kernelSize: Pair, opts: FoldOptions): Window2d {
  const [kh, kw] = pair(op, kernelSize, 1, 'kernelSize', 1);
  const [dh, dw] = pair(op, opts.dilation, 1, 'dilation', 1);
  const [ph, pw] = pair(op, opts.padding, 0, 'padding', 0);
  const [sh, sw] = pair(op, opts.stride, 1, 'stride', 1);
  const oh = Math.floor((size[0] + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((size[1] + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  if (oh < 1 || ow < 1) {
    throw new ShapeError(`${op}: kernel ${JSON.stringify([kh, kw])} (dilation ${JSON.stringify([dh, dw])}) fits no block in the padded image ${fmtShape([size[0] + 2 * ph, size[1] + 2 * pw])}`);
  }
  return { kh, kw, sh, sw, dh, dw, padTop: ph, padLeft: pw, oh, ow };
}

/**
 * Extracts sliding blocks of x [N, C, H, W] (or [C, H, W]) into columns [N, C * kh * kw, L] (or
 * [C * kh * kw, L]), L the number of blocks; rows run over channels, then kernel rows, then kernel columns.
 */
export function unfold(input: Tensor, kernelSize: Pair, opts: FoldOptions = {}): Tensor {
  const { x, unbatched } = batched('unfold', input, 2);
  const win = blocks('unfold', [x.shape[2], x.shape[3]], kernelSize, opts);
  return unbatch(P.im2col(x, win, 0), unbatched);
}

/**
 * Sums columns x [N, C * kh * kw, L] (or [C * kh * kw, L]) of sliding blocks into an image [N, C, ...outputSize]
 * (or [C, ...outputSize]); overlapping blocks add up. The inverse of unfold only where blocks do not overlap.
 */
export function fold(input: Tensor, outputSize: Pair, kernelSize: Pair, opts: FoldOptions = {}): Tensor {
  const op = 'fold';
  const { x, unbatched } = batched(op, input, 1);
  const [H, W] = pair(op, outputSize, 1, 'outputSize', 1);
  const win = blocks(op, [H, W], kernelSize, opts);
  const [N, rows, L] = x.shape;
  const K = win.kh * win.kw;
  if (rows % K !== 0) throw new ShapeError(`${op}: input dim 1 (${rows}) must be divisible by the kernel size ${win.kh}*${win.kw} = ${K}, got input shape ${fmtShape(input.shape)}`);
  if (L !== win.oh * win.ow) {
    throw new ShapeError(`${op}: input dim 2 (${L}) must be the number of blocks ${win.oh}*${win.ow} = ${win.oh * win.ow} for outputSize ${JSON.stringify([H, W])}, got input shape ${fmtShape(input.shape)}`);
  }
  if (rows === 0) throw new ValueError(`${op}: input has no channels, got input shape ${fmtShape(input.shape)}`);
  return unbatch(P.col2im(x, [N, rows / K, H, W], win), unbatched);
}
