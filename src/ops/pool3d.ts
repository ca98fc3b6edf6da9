/**
 * 3-D pooling as in torch.nn.functional: maxPool3d (with indices, dilation, ceilMode), its inverse maxUnpool3d,
 * and avgPool3d (ceilMode, countIncludePad, divisorOverride) over [N, C, D, H, W] (or unbatched [C, D, H, W]). Windows are tables of
 * input positions reduced by a gather, so gradients come from the gather.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkIndexRange } from './indexing.js';
import { checkUnpoolIndices, unpoolCore, type PoolWithIndices } from './pool.js';
import { batched, poolOut, slidingWindows, tableMax, tableSum, triple, unbatch, windowTable, type Triple } from './window.js';

/** Options of maxPool3d / avgPool3d. */
export interface Pool3dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Triple;
  /** Implicit padding on each side (at most half the kernel); max pooling pads with -inf, average with 0. */
  padding?: Triple;
  /** Use ceil instead of floor for the output size (the last window must still start inside the input or its
   * left padding). Default false. */
  ceilMode?: boolean;
}

/** Options of maxPool3d. */
export interface MaxPool3dOptions extends Pool3dOptions {
  /** Spacing between taps (default 1). */
  dilation?: Triple;
}

/** Options of avgPool3d. */
export interface AvgPool3dOptions extends Pool3dOptions {
  /** Count padded zeros in the average (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size. */
  divisorOverride?: number;
}

interface Geometry {
  k: [number, number, number];
  s: [number, number, number];
  p: [number, number, number];
  d: [number, number, number];
  outs: number[];
}

function geometry(op: string, x: Tensor, kernelSize: Triple, opts: MaxPool3dOptions): Geometry {
  const k = triple(op, kernelSize, 1, 'kernelSize', 1);
  const s = opts.stride === undefined ? k : triple(op, opts.stride, 1, 'stride', 1);
  const p = triple(op, opts.padding, 0, 'padding', 0);
  const d = triple(op, opts.dilation, 1, 'dilation', 1);
  const names = ['D', 'H', 'W'];
  const outs = x.shape.slice(2).map((n, i) => poolOut(op, n, k[i], s[i], p[i], d[i], opts.ceilMode ?? false, names[i]));
  return { k, s, p, d, outs };
}

/**
 * 3-D max pooling of x [N, C, D, H, W] (or [C, D, H, W]); with `returnIndices` also the int32 flat index
 * (into D * H * W) of each maximum. Ties keep the first maximum and a NaN wins, as PyTorch.
 */
export function maxPool3d(x: Tensor, kernelSize: Triple, opts?: MaxPool3dOptions & { returnIndices?: false }): Tensor;
export function maxPool3d(x: Tensor, kernelSize: Triple, opts: MaxPool3dOptions & { returnIndices: true }): PoolWithIndices;
export function maxPool3d(input: Tensor, kernelSize: Triple, opts: MaxPool3dOptions & { returnIndices?: boolean } = {}): Tensor | PoolWithIndices {
  const op = 'maxPool3d';
  const { x, unbatched } = batched(op, input, 3);
  const { k, s, p, d, outs } = geometry(op, x, kernelSize, opts);
  const sizes = x.shape.slice(2);
  const { table, cells, taps } = windowTable(sizes, sizes.map((n, i) => slidingWindows(n, outs[i], k[i], s[i], p[i], d[i])));
  const r = tableMax(x, table, cells, taps);
  const shape = [x.shape[0], x.shape[1], ...outs];
  const values = unbatch(P.reshape(r.values, shape), unbatched);
  return opts.returnIndices ? { values, indices: unbatch(P.reshape(r.indices, shape), unbatched) } : values;
}

/** 3-D average pooling of x [N, C, D, H, W] (or [C, D, H, W]). */
export function avgPool3d(input: Tensor, kernelSize: Triple, opts: AvgPool3dOptions = {}): Tensor {
  const op = 'avgPool3d';
  const { x, unbatched } = batched(op, input, 3);
  if ((opts as { dilation?: unknown }).dilation !== undefined) throw new ValueError(`${op}: dilation is not an option of average pooling (as in PyTorch)`);
  const divisor = opts.divisorOverride;
  if (divisor !== undefined && (!Number.isFinite(divisor) || divisor === 0)) throw new ValueError(`${op}: divisorOverride must be a nonzero number, got ${divisor}`);
  const { k, s, p, outs } = geometry(op, x, kernelSize, opts);
  const sizes = x.shape.slice(2);
  // PyTorch 1.13's avg_pool3d (alone among the pools) wants every window to fit the unpadded input
  if (sizes.some((n, i) => n < k[i])) throw new ShapeError(`${op}: input size ${fmtShape(sizes)} is smaller than the kernel size ${fmtShape(k)}`);
  const { table, valid, cells, taps } = windowTable(sizes, sizes.map((n, i) => slidingWindows(n, outs[i], k[i], s[i], p[i], 1)));
  const sums = tableSum(x, table, valid, cells, taps);
  // PyTorch's divisor: the window clipped to the padded input, or (countIncludePad false) to the input itself
  const include = opts.countIncludePad ?? true;
  const perDim = sizes.map((n, i) => Array.from({ length: outs[i] }, (_, o) => {
    const start = o * s[i] - p[i];
    const end = Math.min(start + k[i], n + p[i]);
    return include ? end - start : Math.min(end, n) - Math.max(start, 0);
  }));
  const div = new Float64Array(cells);
  let c = 0;
  for (const a of perDim[0]) for (const b of perDim[1]) for (const e of perDim[2]) div[c++] = divisor ?? a * b * e;
  const y = P.binary('div', sums, P.fromHost(div, [cells], x.dtype, x.device));
  return unbatch(P.reshape(y, [x.shape[0], x.shape[1], ...outs]), unbatched);
}

/** Options of maxUnpool3d: the pooling's window, and the output size where several are possible. */
export interface MaxUnpool3dOptions {
  /** The pooling's stride (default: the kernel size). */
  stride?: Triple;
  /** The pooling's padding (default 0). */
  padding?: Triple;
  /** The output size; its last three entries are used (so a full [N, C, D, H, W] shape works too). */
  outputSize?: readonly number[];
}

/**
 * Inverse of maxPool3d: puts each value of x [N, C, d, h, w] (or [C, d, h, w]) at its int32 `indices` position
 * (into D * H * W) in a zero tensor [N, C, D, H, W]; each size defaults to (d - 1) * stride - 2 * padding + kernel.
 */
export function maxUnpool3d(input: Tensor, indices: Tensor, kernelSize: Triple, opts: MaxUnpool3dOptions = {}): Tensor {
  const op = 'maxUnpool3d';
  const { x, unbatched } = batched(op, input, 3);
  checkUnpoolIndices(op, input, indices);
  const k = triple(op, kernelSize, 1, 'kernelSize', 1);
  const s = opts.stride === undefined ? k : triple(op, opts.stride, 1, 'stride', 1);
  const p = triple(op, opts.padding, 0, 'padding', 0);
  const [N, C, ...small] = x.shape;
  let outs = small.map((n, i) => (n - 1) * s[i] - 2 * p[i] + k[i]);
  if (opts.outputSize !== undefined) {
    const os = opts.outputSize.slice(-3);
    if (os.length !== 3 || os.some((v) => !Number.isInteger(v) || v <= 0)) {
      throw new ValueError(`${op}: outputSize must end with three positive sizes, got ${JSON.stringify(opts.outputSize)}`);
    }
    outs = os;
  }
  const S = outs[0] * outs[1] * outs[2];
  checkIndexRange(op, indices, S, `an output volume of ${outs.join('x')}`);
  const n = small[0] * small[1] * small[2];
  const y = unpoolCore(P.reshape(x, [N, C, 1, n]), P.reshape(indices, [N, C, 1, n]), [1, S]);
  return unbatch(P.reshape(y, [N, C, ...outs]), unbatched);
}
