/**
 * Resizing as torch.nn.functional.interpolate: 'nearest' for 3-D [N, C, L] and 4-D [N, C, H, W] inputs,
 * 'linear' (3-D) and 'bilinear' (4-D) with or without alignCorners. Built separably from indexSelect and
 * weighted sums, so gradients come for free.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/** Interpolation modes. */
export type InterpolateMode = 'nearest' | 'linear' | 'bilinear';

/** Options of interpolate: exactly one of size and scaleFactor. */
export interface InterpolateOptions {
  /** Output spatial size (a number for every spatial dim, or one per dim). */
  size?: number | readonly number[];
  /** Multiplier of the spatial size (a number, or one per dim); output = floor(input * scale). */
  scaleFactor?: number | readonly number[];
  /** 'nearest' (default), 'linear' (3-D input) or 'bilinear' (4-D input). */
  mode?: InterpolateMode;
  /** For (bi)linear: align the corner pixels' centres of input and output (default false). */
  alignCorners?: boolean;
}

/** Resizes the spatial dims of x [N, C, L] or [N, C, H, W]. */
export function interpolate(x: Tensor, opts: InterpolateOptions): Tensor {
  checkTensor('interpolate', x);
  if (typeof opts !== 'object' || opts === null) {
    throw new ValueError(`interpolate: options must be an object with size or scaleFactor, got ${opts === null ? 'null' : typeof opts}`);
  }
  const mode = opts.mode ?? 'nearest';
  if (!['nearest', 'linear', 'bilinear'].includes(mode)) {
    throw new ValueError(`interpolate: mode must be 'nearest', 'linear' or 'bilinear', got '${String(mode)}'`);
  }
  if (x.ndim !== 3 && x.ndim !== 4) throw new ShapeError(`interpolate: input must be 3-D (N, C, L) or 4-D (N, C, H, W), got shape ${fmtShape(x.shape)}`);
  if (mode === 'linear' && x.ndim !== 3) throw new ShapeError(`interpolate: mode 'linear' needs a 3-D input, got shape ${fmtShape(x.shape)}`);
  if (mode === 'bilinear' && x.ndim !== 4) throw new ShapeError(`interpolate: mode 'bilinear' needs a 4-D input, got shape ${fmtShape(x.shape)}`);
  if (!isFloating(x.dtype)) throw new DTypeError(`interpolate: input must be floating point, got ${x.dtype}`);
  if (mode === 'nearest' && opts.alignCorners !== undefined) {
    throw new ValueError("interpolate: alignCorners only applies to 'linear' and 'bilinear' modes");
  }
  const spatial = x.ndim - 2;
  if ((opts.size === undefined) === (opts.scaleFactor === undefined)) {
    throw new ValueError('interpolate: give exactly one of size and scaleFactor');
  }
  const perDim = (v: number | readonly number[], what: string): number[] => {
    const arr = typeof v === 'number' ? Array<number>(spatial).fill(v) : [...v];
    if (arr.length !== spatial) throw new ValueError(`interpolate: ${what} needs ${spatial} values for a ${x.ndim}-D input, got ${JSON.stringify(v)}`);
    return arr;
  };
  const inSizes = x.shape.slice(2);
  let outSizes: number[];
  let scales: (number | undefined)[];
  if (opts.size !== undefined) {
    outSizes = perDim(opts.size, 'size');
    if (outSizes.some((s) => !Number.isInteger(s) || s <= 0)) throw new ValueError(`interpolate: size must hold positive integers, got ${JSON.stringify(opts.size)}`);
    scales = outSizes.map(() => undefined);
  } else {
    scales = perDim(opts.scaleFactor!, 'scaleFactor');
    if (scales.some((s) => !(typeof s === 'number' && s > 0))) throw new ValueError(`interpolate: scaleFactor must be positive, got ${JSON.stringify(opts.scaleFactor)}`);
    outSizes = inSizes.map((n, i) => Math.floor(n * scales[i]!));
    if (outSizes.some((s) => s <= 0)) throw new ValueError(`interpolate: scaleFactor ${JSON.stringify(opts.scaleFactor)} gives an empty output for input ${fmtShape(x.shape)}`);
  }
  let y = x;
  for (let i = 0; i < spatial; i++) {
    const dim = 2 + i;
    const n = inSizes[i];
    const out = outSizes[i];
    // PyTorch maps output to input coordinates with 1/scaleFactor when one was given, else in/out.
    const ratio = scales[i] !== undefined ? 1 / scales[i]! : n / out;
    if (mode === 'nearest') {
      const idx = Int32Array.from({ length: out }, (_, j) => Math.min(Math.floor(j * ratio), n - 1));
      y = P.indexSelect(y, dim, P.fromHost(idx, [out], 'int32', x.device));
    } else {
      y = linearAlong(y, dim, n, out, opts.alignCorners ?? false, ratio);
    }
  }
  return y;
}

function linearAlong(x: Tensor, dim: number, n: number, out: number, alignCorners: boolean, ratio: number): Tensor {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  const w = new Float64Array(out);
  for (let j = 0; j < out; j++) {
    let src: number;
    if (alignCorners) src = out > 1 ? (j * (n - 1)) / (out - 1) : 0;
    else src = Math.max((j + 0.5) * ratio - 0.5, 0);
    const i0 = Math.min(Math.floor(src), n - 1);
    lo[j] = i0;
    hi[j] = Math.min(i0 + 1, n - 1);
    w[j] = src - i0;
  }
  const shape = x.shape.map((_, d) => (d === dim ? out : 1));
  const wt = P.fromHost(w, shape, x.dtype, x.device);
  const a = P.indexSelect(x, dim, P.fromHost(lo, [out], 'int32', x.device));
  const b = P.indexSelect(x, dim, P.fromHost(hi, [out], 'int32', x.device));
  // a + w * (b - a)
  return P.binary('add', a, P.binary('mul', wt, P.binary('sub', b, a)));
}
