/**
 * Resizing as torch.nn.functional.interpolate (PyTorch 1.13): 'nearest' and 'nearest-exact' for 3-D [N, C, L],
 * 4-D [N, C, H, W] and 5-D [N, C, D, H, W] inputs; 'linear' (3-D), 'bilinear' (4-D), 'trilinear' (5-D) and
 * 'bicubic' (4-D) with or without alignCorners; 'area' (adaptive average pooling). Built separably, one dim at
 * a time, from indexSelect and weighted sums, so gradients come for free. Source coordinates are computed as
 * PyTorch's kernels compute them, in float32 arithmetic where PyTorch uses it, so the same pixels are picked.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveAvgPool3d } from './pool-adaptive.js';
import { resizeAntialiased } from './antialias.js';
import { checkTensor } from './util.js';

/** Interpolation modes. */
export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear' | 'area';

/** Options of interpolate: exactly one of size and scaleFactor. */
export interface InterpolateOptions {
  /** Output spatial size (a number for every spatial dim, or one per dim). */
  size?: number | readonly number[];
  /** Multiplier of the spatial size (a number, or one per dim); output = floor(input * scale). */
  scaleFactor?: number | readonly number[];
  /** The mode (default 'nearest'); 'linear', 'bilinear', 'bicubic' and 'trilinear' need 3-, 4-, 4- and 5-D input. */
  mode?: InterpolateMode;
  /** For the interpolating modes: align the corner pixels' centres of input and output (default false). */
  alignCorners?: boolean;
  /**
   * With scaleFactor: true maps output to input coordinates by in / out of the computed size, false (default,
   * as PyTorch) by 1 / scaleFactor.
   */
  recomputeScaleFactor?: boolean;
  /**
   * For 'bilinear' and 'bicubic' (alignCorners false): when shrinking, average every input pixel under the
   * stretched filter instead of sampling a few (PyTorch's antialias=True; see ops/antialias.ts). Default false.
   */
  antialias?: boolean;
}

const MODES: readonly InterpolateMode[] = ['nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area'];
const NEEDS: Partial<Record<InterpolateMode, number>> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };
/** PyTorch's cubic convolution constant. */
const A = -0.75;

/** Resizes the spatial dims of x [N, C, L], [N, C, H, W] or [N, C, D, H, W]. */
export function interpolate(x: Tensor, opts: InterpolateOptions): Tensor {
  const op = 'interpolate';
  checkTensor(op, x);
  if (typeof opts !== 'object' || opts === null) {
    throw new ValueError(`${op}: options must be an object with size or scaleFactor, got ${opts === null ? 'null' : typeof opts}`);
  }
  const mode = opts.mode ?? 'nearest';
  if (!MODES.includes(mode)) throw new ValueError(`${op}: mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got '${String(mode)}'`);
  if (x.ndim < 3 || x.ndim > 5) throw new ShapeError(`${op}: input must be 3-D (N, C, L), 4-D (N, C, H, W) or 5-D (N, C, D, H, W), got shape ${fmtShape(x.shape)}`);
  const need = NEEDS[mode];
  if (need !== undefined && x.ndim !== need) throw new ShapeError(`${op}: mode '${mode}' needs a ${need}-D input, got shape ${fmtShape(x.shape)}`);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: input must be floating point, got ${x.dtype}`);
  if (need === undefined && opts.alignCorners !== undefined) {
    throw new ValueError(`${op}: alignCorners only applies to the interpolating modes 'linear', 'bilinear', 'bicubic' and 'trilinear', not '${mode}'`);
  }
  const spatial = x.ndim - 2;
  if ((opts.size === undefined) === (opts.scaleFactor === undefined)) throw new ValueError(`${op}: give exactly one of size and scaleFactor`);
  const perDim = (v: number | readonly number[], what: string): number[] => {
    const arr = typeof v === 'number' ? Array<number>(spatial).fill(v) : [...v];
    if (arr.length !== spatial) throw new ValueError(`${op}: ${what} needs ${spatial} values for a ${x.ndim}-D input, got ${JSON.stringify(v)}`);
    return arr;
  };
  const inSizes = x.shape.slice(2);
  let outSizes: number[];
  let scales: (number | undefined)[];
  if (opts.size !== undefined) {
    if (opts.recomputeScaleFactor) throw new ValueError(`${op}: recomputeScaleFactor is not meaningful with an explicit size`);
    outSizes = perDim(opts.size, 'size');
    if (outSizes.some((s) => !Number.isInteger(s) || s <= 0)) throw new ValueError(`${op}: size must hold positive integers, got ${JSON.stringify(opts.size)}`);
    scales = outSizes.map(() => undefined);
  } else {
    const given = perDim(opts.scaleFactor!, 'scaleFactor');
    if (given.some((s) => !(typeof s === 'number' && s > 0 && Number.isFinite(s)))) throw new ValueError(`${op}: scaleFactor must be positive, got ${JSON.stringify(opts.scaleFactor)}`);
    outSizes = inSizes.map((n, i) => Math.floor(n * given[i]));
    if (outSizes.some((s) => s <= 0)) throw new ValueError(`${op}: scaleFactor ${JSON.stringify(opts.scaleFactor)} gives an empty output for input ${fmtShape(x.shape)}`);
    scales = opts.recomputeScaleFactor ? given.map(() => undefined) : given;
  }
  if (opts.antialias) {
    if (mode !== 'bilinear' && mode !== 'bicubic') throw new ValueError(`${op}: antialias applies to 'bilinear' and 'bicubic' only, not '${mode}'`);
    if (opts.alignCorners) throw new ValueError(`${op}: antialias is implemented for alignCorners false only`);
    return resizeAntialiased(x, [outSizes[0], outSizes[1]], mode, scales.map((s) => (s === undefined ? undefined : 1 / s)) as [number?, number?]);
  }
  if (mode === 'area') {
    if (spatial === 1) return adaptiveAvgPool1d(x, outSizes[0]);
    return spatial === 2 ? adaptiveAvgPool2d(x, outSizes) : adaptiveAvgPool3d(x, outSizes);
  }
  // PyTorch computes coordinates in float32 for float32 tensors (and always for the nearest modes)
  const f = x.dtype === 'float32' ? Math.fround : (v: number) => v;
  const alignCorners = opts.alignCorners ?? false;
  let y = x;
  for (let i = 0; i < spatial; i++) {
    const dim = 2 + i;
    const n = inSizes[i];
    const out = outSizes[i];
    if (mode === 'nearest' || mode === 'nearest-exact') {
      y = P.indexSelect(y, dim, P.fromHost(nearestIndices(mode, n, out, scales[i], spatial > 1), [out], 'int32', x.device));
    } else {
      const scale = f(alignCorners ? (out > 1 ? (n - 1) / (out - 1) : 0) : scales[i] !== undefined ? 1 / scales[i]! : n / out);
      y = mode === 'bicubic' ? cubicAlong(y, dim, n, out, alignCorners, scale, f) : linearAlong(y, dim, n, out, alignCorners, scale, f);
    }
  }
  return y;
}

/**
 * Source index of each output for the nearest modes, as PyTorch's nearest_idx / nearest_exact_idx: the float32
 * scale 1 / scaleFactor (or in / out), floor(j * scale) or floor((j + 0.5) * scale), clamped. On 4-D and 5-D
 * inputs 'nearest' takes PyTorch's shortcuts for equal and doubled sizes (identity, j / 2), which differ from the
 * formula for some scale factors (2.1 on 3 pixels); its 3-D (1-D spatial) forward kernel has none. (PyTorch
 * 1.13's 1-D backward does take them, so there its gradient is not that of its output; ours is.)
 */
function nearestIndices(mode: 'nearest' | 'nearest-exact', n: number, out: number, scaleFactor: number | undefined, shortcuts: boolean): Int32Array {
  const f = Math.fround;
  const scale = f(scaleFactor !== undefined ? 1 / scaleFactor : n / out);
  return Int32Array.from({ length: out }, (_, j) => {
    if (mode === 'nearest') {
      if (shortcuts && out === n) return j;
      if (shortcuts && out === 2 * n) return j >> 1;
      return Math.min(Math.floor(f(j * scale)), n - 1);
    }
    return Math.min(Math.floor(f(f(j + 0.5) * scale)), n - 1);
  });
}

/** Source coordinate of output j (PyTorch's area_pixel_compute_source_index). */
function sourceCoord(j: number, scale: number, alignCorners: boolean, cubic: boolean, f: (v: number) => number): number {
  if (alignCorners) return f(scale * j);
  const src = f(f(scale * (j + 0.5)) - 0.5);
  return !cubic && src < 0 ? 0 : src;
}

/** Weighted sum over taps along `dim`: sum_t weights[t] (per output, broadcast) * x[index[t]]. */
function weightedTaps(x: Tensor, dim: number, out: number, index: Int32Array[], weights: Float64Array[]): Tensor {
  const shape = x.shape.map((_, d) => (d === dim ? out : 1));
  let y: Tensor | null = null;
  for (let t = 0; t < index.length; t++) {
    const term = P.binary('mul', P.fromHost(weights[t], shape, x.dtype, x.device), P.indexSelect(x, dim, P.fromHost(index[t], [out], 'int32', x.device)));
    y = y === null ? term : P.binary('add', y, term);
  }
  return y!;
}

function linearAlong(x: Tensor, dim: number, n: number, out: number, alignCorners: boolean, scale: number, f: (v: number) => number): Tensor {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  const w0 = new Float64Array(out);
  const w1 = new Float64Array(out);
  for (let j = 0; j < out; j++) {
    const src = sourceCoord(j, scale, alignCorners, false, f);
    const i0 = Math.min(Math.floor(src), n - 1);
    lo[j] = i0;
    hi[j] = Math.min(i0 + 1, n - 1);
    w1[j] = Math.min(Math.max(src - i0, 0), 1);
    w0[j] = 1 - w1[j];
  }
  return weightedTaps(x, dim, out, [lo, hi], [w0, w1]);
}

/** Keys' cubic convolution weights of the four taps around a point t in [0, 1) past the second one. */
function cubicWeights(t: number): [number, number, number, number] {
  const near = (v: number) => ((A + 2) * v - (A + 3)) * v * v + 1;
  const far = (v: number) => ((A * v - 5 * A) * v + 8 * A) * v - 4 * A;
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}

function cubicAlong(x: Tensor, dim: number, n: number, out: number, alignCorners: boolean, scale: number, f: (v: number) => number): Tensor {
  const index = Array.from({ length: 4 }, () => new Int32Array(out));
  const weights = Array.from({ length: 4 }, () => new Float64Array(out));
  for (let j = 0; j < out; j++) {
    const src = sourceCoord(j, scale, alignCorners, true, f);
    const i0 = Math.floor(src);
    const w = cubicWeights(f(src - i0));
    for (let t = 0; t < 4; t++) {
      // taps past the border repeat the border pixel, as PyTorch's
      index[t][j] = Math.min(Math.max(i0 - 1 + t, 0), n - 1);
      weights[t][j] = w[t];
    }
  }
  return weightedTaps(x, dim, out, index, weights);
}
