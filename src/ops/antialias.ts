/**
 * Antialiased resizing, as torch.nn.functional.interpolate(..., antialias=True) and torchvision's Resize: when
 * shrinking, each output pixel averages every input pixel under the filter stretched by the scale (triangle filter
 * for 'bilinear', Keys cubic with a = -0.5 for 'bicubic', the choice of PIL and PyTorch), so thin strokes survive
 * instead of being skipped by point sampling. When enlarging it equals plain interpolation with alignCorners false.
 * Built as two weight matrices, y = Wh x Ww^T, so gradients come from matmul.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { isFloating } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/** Filters of antialiased resizing. */
export type AntialiasMode = 'bilinear' | 'bicubic';

function filterOf(mode: AntialiasMode): { support: number; f: (x: number) => number } {
  if (mode === 'bilinear') return { support: 1, f: (x) => Math.max(0, 1 - Math.abs(x)) };
  const a = -0.5;
  return {
    support: 2,
    f: (x) => {
      const t = Math.abs(x);
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  };
}

/**
 * The [outSize, inSize] matrix that resizes one axis (PyTorch's _compute_weights_aa): output i is centred at
 * scale * (i + 0.5) and reads the inputs within support * max(scale, 1) of it, weighted by the filter at the
 * distance divided by max(scale, 1), normalized to sum to 1. `scale` defaults to inSize / outSize (interpolate passes
 * 1 / scaleFactor when one was given, as PyTorch does).
 */
export function antialiasWeights(inSize: number, outSize: number, mode: AntialiasMode, scale = inSize / outSize): Float64Array {
  const { support, f } = filterOf(mode);
  const stretch = Math.max(scale, 1);
  const reach = support * stretch;
  const w = new Float64Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    const lo = Math.max(Math.trunc(center - reach + 0.5), 0);
    const hi = Math.min(Math.trunc(center + reach + 0.5), inSize);
    let total = 0;
    for (let j = lo; j < hi; j++) total += f((j - center + 0.5) / stretch);
    if (total === 0) continue;
    for (let j = lo; j < hi; j++) w[i * inSize + j] = f((j - center + 0.5) / stretch) / total;
  }
  return w;
}

/**
 * Resizes the last two dims of x [..., H, W] (float) to `size` [outH, outW] with an antialiasing filter.
 * Returns [..., outH, outW]. `scales` (input pixels per output pixel, per dim) default to H / outH and W / outW.
 */
export function resizeAntialiased(
  x: Tensor, size: readonly [number, number], mode: AntialiasMode = 'bilinear', scales: readonly [number?, number?] = [],
): Tensor {
  checkTensor('resizeAntialiased', x);
  if (mode !== 'bilinear' && mode !== 'bicubic') throw new ValueError(`resizeAntialiased: mode must be 'bilinear' or 'bicubic', got '${String(mode)}'`);
  if (x.ndim < 2) throw new ShapeError(`resizeAntialiased: input must have at least 2 dims (..., H, W), got shape ${fmtShape(x.shape)}`);
  if (!isFloating(x.dtype)) throw new DTypeError(`resizeAntialiased: input must be floating point, got ${x.dtype}`);
  if (!Array.isArray(size) || size.length !== 2 || !size.every((s) => Number.isInteger(s) && s > 0)) {
    throw new ValueError(`resizeAntialiased: size must be [height, width] of positive integers, got ${JSON.stringify(size)}`);
  }
  const [H, W] = x.shape.slice(-2);
  const [oh, ow] = size;
  const wh = P.fromHost(antialiasWeights(H, oh, mode, scales[0]), [oh, H], x.dtype, x.device);
  const wwT = P.permute(P.fromHost(antialiasWeights(W, ow, mode, scales[1]), [ow, W], x.dtype, x.device), [1, 0]);
  const lead = x.shape.slice(0, -2);
  const b = lead.reduce((n, s) => n * s, 1);
  const x3 = P.reshape(x, [b, H, W]);
  const rows = P.matmul(P.expand(P.reshape(wh, [1, oh, H]), [b, oh, H]), x3);
  const out = P.matmul(rows, P.expand(P.reshape(wwT, [1, W, ow]), [b, W, ow]));
  return P.reshape(out, [...lead, oh, ow]);
}
