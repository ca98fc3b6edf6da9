/**
 * Sub-pixel rearrangement, as torch.nn.functional's pixel_shuffle (Shi et al. 2016, ESPCN) and its inverse
 * pixel_unshuffle. Pure movement (reshape, permute, reshape): gradients are the inverse rearrangement.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

function checkFactor(op: string, arg: string, r: unknown): number {
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1) throw new ValueError(`${op}: ${arg} must be a positive integer, got ${String(r)}`);
  return r;
}

/** Split dims, permute, merge: the rearrangement both ops share (the merge copies, as the permuted view is not contiguous). */
function rearrange(x: Tensor, split: number[], perm: number[], out: number[]): Tensor {
  return P.reshape(P.permute(P.reshape(x, split), perm), out);
}

/**
 * Moves channel blocks into space: x [*, C r^2, H, W] becomes [*, C, H r, W r], with output pixel (h r + i,
 * w r + j) of channel c taken from input channel c r^2 + i r + j at (h, w).
 */
export function pixelShuffle(x: Tensor, upscaleFactor: number): Tensor {
  const op = 'pixelShuffle';
  checkTensor(op, x);
  const r = checkFactor(op, 'upscaleFactor', upscaleFactor);
  if (x.ndim < 3) throw new ShapeError(`${op}: input must be at least 3-D (*, C, H, W), got shape ${fmtShape(x.shape)}`);
  const lead = x.shape.slice(0, -3);
  const [C, H, W] = x.shape.slice(-3);
  if (C % (r * r) !== 0) throw new ShapeError(`${op}: the channel count ${C} of input ${fmtShape(x.shape)} must be divisible by upscaleFactor^2 = ${r * r}`);
  const c = C / (r * r);
  const k = lead.length;
  const perm = [...lead.map((_, i) => i), k, k + 3, k + 1, k + 4, k + 2];
  return rearrange(x, [...lead, c, r, r, H, W], perm, [...lead, c, H * r, W * r]);
}

/** The inverse of pixelShuffle: x [*, C, H r, W r] becomes [*, C r^2, H, W]. */
export function pixelUnshuffle(x: Tensor, downscaleFactor: number): Tensor {
  const op = 'pixelUnshuffle';
  checkTensor(op, x);
  const r = checkFactor(op, 'downscaleFactor', downscaleFactor);
  if (x.ndim < 3) throw new ShapeError(`${op}: input must be at least 3-D (*, C, H, W), got shape ${fmtShape(x.shape)}`);
  const lead = x.shape.slice(0, -3);
  const [C, H, W] = x.shape.slice(-3);
  if (H % r !== 0 || W % r !== 0) {
    throw new ShapeError(`${op}: the height ${H} and width ${W} of input ${fmtShape(x.shape)} must be divisible by downscaleFactor ${r}`);
  }
  const k = lead.length;
  const perm = [...lead.map((_, i) => i), k, k + 2, k + 4, k + 1, k + 3];
  return rearrange(x, [...lead, C, H / r, r, W / r, r], perm, [...lead, C * r * r, H / r, W / r]);
}
