/**
 * Adaptive pooling as in torch.nn.functional: average and max pooling of 1-D, 2-D and 3-D inputs to exactly
 * the output size asked for, output i of a dim of n inputs covering [floor(i n / out), ceil((i + 1) n / out)).
 * Batched ([N, C, ...]) or unbatched ([C, ...]) inputs, as PyTorch.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { PoolWithIndices } from './pool.js';
import { adaptiveWindows, batched, tableMax, unbatch, windowTable } from './window.js';
import { traceOp, tracing } from './trace-hook.js';

/** An adaptive output size: one number for every spatial dim, or one per dim where null keeps the input's. */
export type AdaptiveSize = number | readonly (number | null)[];

const NAMES: Record<number, string> = { 1: '[l]', 2: '[h, w]', 3: '[d, h, w]' };

function outputSizes(op: string, x: Tensor, outputSize: AdaptiveSize, spatial: number): number[] {
  const raw = typeof outputSize === 'number' ? Array<number>(spatial).fill(outputSize) : outputSize;
  if (!Array.isArray(raw) || raw.length !== spatial) throw new ValueError(`${op}: outputSize must be a number or ${NAMES[spatial]}, got ${JSON.stringify(outputSize)}`);
  const sizes = raw.map((v, i) => v ?? x.shape[x.ndim - spatial + i]);
  if (!sizes.every((v) => Number.isInteger(v) && v > 0)) throw new ValueError(`${op}: output sizes must be positive integers, got ${JSON.stringify(outputSize)}`);
  return sizes;
}

/** Mean of each adaptive band of `x` along `axis`, `out` bands (a gather of padded bands, masked, summed). */
function bandMean(x: Tensor, axis: number, out: number): Tensor {
  const n = x.shape[axis];
  if (n === out) return x;
  const pre = x.shape.slice(0, axis);
  const post = x.shape.slice(axis + 1);
  if (n % out === 0) {
    const k = n / out;
    const sums = P.reduce('sum', P.reshape(x, [...pre, out, k, ...post]), [axis + 1], false);
    return P.binary('div', sums, P.scalarOf(k, x.dtype, x));
  }
  const bands = adaptiveWindows(n, out);
  const k = bands[0].length;
  const flat = bands.flat();
  const picked = P.reshape(P.indexSelect(x, axis, P.fromHost(flat.map((i) => Math.max(i, 0)), [out * k], 'int32', x.device)), [...pre, out, k, ...post]);
  const bshape = [...pre.map(() => 1), out, k, ...post.map(() => 1)];
  const inside = P.fromHost(flat.map((i) => (i >= 0 ? 1 : 0)), bshape, 'bool', x.device);
  const sums = P.reduce('sum', P.where(inside, picked, P.scalarOf(0, x.dtype, x)), [axis + 1], false);
  const counts = P.fromHost(bands.map((b) => b.filter((i) => i >= 0).length), [...pre.map(() => 1), out, ...post.map(() => 1)], x.dtype, x.device);
  return P.binary('div', sums, counts);
}

function adaptiveAvg(op: string, input: Tensor, outputSize: AdaptiveSize, spatial: number): Tensor {
  const { x, unbatched } = batched(op, input, spatial);
  const outs = outputSizes(op, x, outputSize, spatial);
  // separable: the mean over a box is the mean of the means of its rows
  let y = x;
  outs.forEach((out, i) => (y = bandMean(y, 2 + i, out)));
  return unbatch(y, unbatched);
}

function adaptiveMax(op: string, input: Tensor, outputSize: AdaptiveSize, spatial: number): PoolWithIndices {
  const { x, unbatched } = batched(op, input, spatial);
  const outs = outputSizes(op, x, outputSize, spatial);
  const sizes = x.shape.slice(2);
  const [N, C] = x.shape;
  let values: Tensor;
  let indices: Tensor;
  if (spatial <= 2 && sizes.every((n, i) => n % outs[i] === 0)) {
    const [H, W] = spatial === 1 ? [1, sizes[0]] : sizes;
    const [oh, ow] = spatial === 1 ? [1, outs[0]] : outs;
    [values, indices] = P.maxPool(P.reshape(x, [N, C, H, W]), { kh: H / oh, kw: W / ow, sh: H / oh, sw: W / ow, dh: 1, dw: 1, padTop: 0, padLeft: 0, oh, ow });
  } else {
    const { table, cells, taps } = windowTable(sizes, sizes.map((n, i) => adaptiveWindows(n, outs[i])));
    ({ values, indices } = tableMax(x, table, cells, taps));
  }
  return { values: unbatch(P.reshape(values, [N, C, ...outs]), unbatched), indices: unbatch(P.reshape(indices, [N, C, ...outs]), unbatched) };
}

/** Average pooling of x [N, C, L] (or [C, L]) to length `outputSize`. */
export function adaptiveAvgPool1d(x: Tensor, outputSize: number | readonly [number]): Tensor {
  return adaptiveAvg('adaptiveAvgPool1d', x, outputSize, 1);
}

/** An adaptive size as recorded for graph capture: -1 stands for null (keep that dim). */
function sizeAttr(s: AdaptiveSize): number | number[] {
  return typeof s === 'number' ? s : (s as readonly (number | null)[]).map((v) => v ?? -1);
}

/** Average pooling of x [N, C, H, W] (or [C, H, W]) to exactly `outputSize` (null keeps that dim). */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  if (tracing.tracer !== null) return traceOp('adaptiveAvgPool2d', [x], { outputSize: sizeAttr(outputSize) }, () => adaptiveAvgPool2d(x, outputSize));
  return adaptiveAvg('adaptiveAvgPool2d', x, outputSize, 2);
}

/** Average pooling of x [N, C, D, H, W] (or [C, D, H, W]) to exactly `outputSize` (null keeps that dim). */
export function adaptiveAvgPool3d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  return adaptiveAvg('adaptiveAvgPool3d', x, outputSize, 3);
}

/** Max pooling of x [N, C, L] (or [C, L]) to length `outputSize`; with `returnIndices` also int32 indices. */
export function adaptiveMaxPool1d(x: Tensor, outputSize: number | readonly [number], opts?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool1d(x: Tensor, outputSize: number | readonly [number], opts: { returnIndices: true }): PoolWithIndices;
export function adaptiveMaxPool1d(x: Tensor, outputSize: number | readonly [number], opts: { returnIndices?: boolean } = {}): Tensor | PoolWithIndices {
  const r = adaptiveMax('adaptiveMaxPool1d', x, outputSize, 1);
  return opts.returnIndices ? r : r.values;
}

/**
 * Max pooling of x [N, C, H, W] (or [C, H, W]) to exactly `outputSize`; with `returnIndices` also the int32
 * flat index (into H * W) of each maximum.
 */
export function adaptiveMaxPool2d(x: Tensor, outputSize: AdaptiveSize, opts?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool2d(x: Tensor, outputSize: AdaptiveSize, opts: { returnIndices: true }): PoolWithIndices;
export function adaptiveMaxPool2d(x: Tensor, outputSize: AdaptiveSize, opts: { returnIndices?: boolean } = {}): Tensor | PoolWithIndices {
  if (tracing.tracer !== null) {
    return traceOp('adaptiveMaxPool2d', [x], { outputSize: sizeAttr(outputSize), returnIndices: opts.returnIndices ?? false },
      () => adaptiveMaxPool2d(x, outputSize, opts as { returnIndices: true }), (r) => (r instanceof Tensor ? [r] : [r.values, r.indices]));
  }
  const r = adaptiveMax('adaptiveMaxPool2d', x, outputSize, 2);
  return opts.returnIndices ? r : r.values;
}

/**
 * Max pooling of x [N, C, D, H, W] (or [C, D, H, W]) to exactly `outputSize`; with `returnIndices` also the
 * int32 flat index (into D * H * W) of each maximum.
 */
export function adaptiveMaxPool3d(x: Tensor, outputSize: AdaptiveSize, opts?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool3d(x: Tensor, outputSize: AdaptiveSize, opts: { returnIndices: true }): PoolWithIndices;
export function adaptiveMaxPool3d(x: Tensor, outputSize: AdaptiveSize, opts: { returnIndices?: boolean } = {}): Tensor | PoolWithIndices {
  const r = adaptiveMax('adaptiveMaxPool3d', x, outputSize, 3);
  return opts.returnIndices ? r : r.values;
}
