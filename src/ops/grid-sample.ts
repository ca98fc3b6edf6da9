/**
 * Spatial transformers (Jaderberg et al. 2015), as torch.nn.functional's affine_grid and grid_sample (2-D):
 * affineGrid turns affine matrices into sampling grids, gridSample reads an image at a grid's points
 * (bilinear, nearest or bicubic; zeros, border or reflection padding). Both are composites of gathers and
 * elementwise ops, so the input and the grid (hence theta) get PyTorch's gradients from the engine.
 * @module
 */
import * as P from '../autograd/primitives.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { matmul } from './matmul.js';
import { checkFloat, checkTensor } from './util.js';

/** How gridSample interpolates. */
export type GridSampleMode = 'bilinear' | 'nearest' | 'bicubic';
/** What gridSample reads outside the image: 0, the nearest border pixel, or the image mirrored at its borders. */
export type GridSamplePadding = 'zeros' | 'border' | 'reflection';

function checkAlign(op: string, v: unknown): boolean {
  const b = v ?? false;
  if (typeof b !== 'boolean') throw new ValueError(`${op}: alignCorners must be a boolean, got ${String(v)}`);
  return b;
}

/** The n coordinates of a grid axis in [-1, 1]: pixel centers (alignCorners false) or corner pixels' centers at ±1. */
function axisCoords(n: number, alignCorners: boolean): number[] {
  if (n <= 1) return [0];
  return Array.from({ length: n }, (_, i) => {
    // linspace(-1, 1, n) as PyTorch forms it (from the nearer end), then scaled when corners are not aligned
    const step = 2 / (n - 1);
    const v = i < n / 2 ? -1 + i * step : 1 - (n - 1 - i) * step;
    return alignCorners ? v : (v * (n - 1)) / n;
  });
}

/** Options of affineGrid. */
export interface AffineGridOptions {
  /** Whether ±1 are the centers of the corner pixels (true) or their outer edges (false, default). */
  alignCorners?: boolean;
}

/**
 * The sampling grid [N, H, W, 2] of affine maps `theta` [N, 2, 3] for an output of `size` [N, C, H, W]: point
 * (h, w) is `theta[n] @ (x_w, y_h, 1)`, with x, y the normalized output coordinates in [-1, 1].
 */
export function affineGrid(theta: Tensor, size: readonly number[], opts: AffineGridOptions = {}): Tensor {
  const op = 'affineGrid';
  checkFloat(op, checkTensor(op, theta, 'theta'), 'theta');
  const align = checkAlign(op, opts.alignCorners);
  if (!Array.isArray(size) || size.length !== 4 || size.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ValueError(`${op}: size must be [N, C, H, W] of positive integers (2-D grids only), got ${JSON.stringify(size)}`);
  }
  const [N, , H, W] = size;
  if (theta.ndim !== 3 || theta.shape[0] !== N || theta.shape[1] !== 2 || theta.shape[2] !== 3) {
    throw new ShapeError(`${op}: theta must be a batch of 2-D affine matrices [${N}, 2, 3] for size ${fmtShape(size)}, got ${fmtShape(theta.shape)}`);
  }
  const xs = axisCoords(W, align);
  const ys = axisCoords(H, align);
  const base = new Float64Array(H * W * 3);
  for (let h = 0; h < H; h++) {
    for (let w = 0; w < W; w++) base.set([xs[w], ys[h], 1], (h * W + w) * 3);
  }
  const b = P.fromHost(base, [1, H * W, 3], theta.dtype, theta.device);
  return P.reshape(matmul(b, P.permute(theta, [0, 2, 1])), [N, H, W, 2]);
}

/** Options of gridSample. */
export interface GridSampleOptions {
  /** Interpolation (default 'bilinear'). */
  mode?: GridSampleMode;
  /** What points outside the image read (default 'zeros'). */
  paddingMode?: GridSamplePadding;
  /** Whether ±1 are the centers of the corner pixels (true) or their outer edges (false, default). */
  alignCorners?: boolean;
}

/** The per-sample context of a gridSample call: the image as [N, C, H W], its sizes, dtype helpers. */
interface Ctx {
  flat: Tensor;
  N: number;
  C: number;
  H: number;
  W: number;
  P: number;
  s: (v: number) => Tensor;
}

const add = (a: Tensor, b: Tensor) => P.binary('add', a, b);
const sub = (a: Tensor, b: Tensor) => P.binary('sub', a, b);
const mul = (a: Tensor, b: Tensor) => P.binary('mul', a, b);

/** Normalized coordinates in [-1, 1] to pixel coordinates on an axis of `size` pixels. */
function unnormalize(c: Tensor, size: number, align: boolean, k: Ctx): Tensor {
  return align
    ? mul(add(c, k.s(1)), k.s((size - 1) / 2))
    : P.binary('div', sub(mul(add(c, k.s(1)), k.s(size)), k.s(1)), k.s(2));
}

/** Mirrors c into [twiceLow / 2, twiceHigh / 2] (gradient ±1, as PyTorch's reflect_coordinates). */
function reflect(c: Tensor, twiceLow: number, twiceHigh: number, k: Ctx): Tensor {
  if (twiceLow === twiceHigh) return mul(c, k.s(0));
  const min = twiceLow / 2;
  const span = (twiceHigh - twiceLow) / 2;
  const t = P.unary('abs', sub(c, k.s(min)));
  const flips = P.unary('floor', P.binary('div', P.detach(t), k.s(span)));
  const extra = sub(t, mul(flips, k.s(span)));
  const even = P.binary('eq', sub(flips, mul(P.unary('floor', mul(flips, k.s(0.5))), k.s(2))), k.s(0));
  return P.where(even, add(extra, k.s(min)), add(sub(k.s(span), extra), k.s(min)));
}

/** Applies the padding mode to pixel coordinates on an axis of `size` pixels. */
function pad(c: Tensor, size: number, padding: GridSamplePadding, align: boolean, k: Ctx): Tensor {
  if (padding === 'zeros') return c;
  const r = padding === 'reflection' ? (align ? reflect(c, 0, 2 * (size - 1), k) : reflect(c, -1, 2 * size - 1, k)) : c;
  return P.unary('clamp', r, { p: 0, q: size - 1 });
}

/**
 * The image at integer pixel coordinates (float tensors [N, 1, P], detached), 0 outside it: [N, C, P].
 */
function pick(ix: Tensor, iy: Tensor, k: Ctx): Tensor {
  const inside = P.binary('logicalAnd',
    P.binary('logicalAnd', P.binary('ge', ix, k.s(0)), P.binary('le', ix, k.s(k.W - 1))),
    P.binary('logicalAnd', P.binary('ge', iy, k.s(0)), P.binary('le', iy, k.s(k.H - 1))));
  const cx = P.unary('clamp', ix, { p: 0, q: k.W - 1 });
  const cy = P.unary('clamp', iy, { p: 0, q: k.H - 1 });
  const lin = P.cast(add(mul(cy, k.s(k.W)), cx), 'int32');
  const idx = P.copy(P.expand(lin, [k.N, k.C, k.P]));
  const v = P.gather(k.flat, 2, idx);
  return P.where(P.expand(inside, v.shape), v, k.s(0));
}

/** PyTorch's cubic convolution weights (A = -0.75) of the 4 taps at offsets -1..2 from floor, for fraction t. */
function cubicWeights(t: Tensor, k: Ctx): Tensor[] {
  const A = -0.75;
  const near = (x: Tensor) => add(mul(mul(sub(mul(k.s(A + 2), x), k.s(A + 3)), x), x), k.s(1));
  const far = (x: Tensor) => sub(mul(add(mul(sub(mul(k.s(A), x), k.s(5 * A)), x), k.s(8 * A)), x), k.s(4 * A));
  return [far(add(t, k.s(1))), near(t), near(sub(k.s(1), t)), far(sub(k.s(2), t))];
}

/**
 * Samples `input` [N, C, H, W] at the points of `grid` [N, Ho, Wo, 2] (x, y in [-1, 1]; -1 is the left/top
 * edge, or the first pixel's center with alignCorners), giving [N, C, Ho, Wo]. Gradients reach both the input
 * and the grid (the grid's is 0 for 'nearest'), as PyTorch's. 2-D only (no 5-D volumes).
 */
export function gridSample(input: Tensor, grid: Tensor, opts: GridSampleOptions = {}): Tensor {
  const op = 'gridSample';
  checkFloat(op, checkTensor(op, input), 'input');
  checkFloat(op, checkTensor(op, grid, 'grid'), 'grid');
  const mode = opts.mode ?? 'bilinear';
  if (mode !== 'bilinear' && mode !== 'nearest' && mode !== 'bicubic') {
    throw new ValueError(`${op}: mode must be 'bilinear', 'nearest' or 'bicubic', got ${String(mode)}`);
  }
  const padding = opts.paddingMode ?? 'zeros';
  if (padding !== 'zeros' && padding !== 'border' && padding !== 'reflection') {
    throw new ValueError(`${op}: paddingMode must be 'zeros', 'border' or 'reflection', got ${String(padding)}`);
  }
  const align = checkAlign(op, opts.alignCorners);
  if (input.ndim !== 4) throw new ShapeError(`${op}: input must be 4-D (N, C, H, W), got shape ${fmtShape(input.shape)}`);
  if (grid.ndim !== 4 || grid.shape[3] !== 2 || grid.shape[0] !== input.shape[0]) {
    throw new ShapeError(`${op}: grid must be [${input.shape[0]}, Ho, Wo, 2] for input ${fmtShape(input.shape)}, got ${fmtShape(grid.shape)}`);
  }
  if (grid.dtype !== input.dtype) throw new DTypeError(`${op}: grid dtype ${grid.dtype} differs from input dtype ${input.dtype}`);
  if (grid.device !== input.device) throw new ValueError(`${op}: input and grid are on different backends: ${input.device} and ${grid.device}`);
  const [N, C, H, W] = input.shape;
  const [, Ho, Wo] = grid.shape;
  if (H === 0 || W === 0) throw new ShapeError(`${op}: input must have a non-empty image, got shape ${fmtShape(input.shape)}`);
  const k: Ctx = { flat: P.reshape(input, [N, C, H * W]), N, C, H, W, P: Ho * Wo, s: (v) => P.scalarOf(v, input.dtype, input) };
  const coord = (i: number) => P.reshape(P.slice(grid, [
    { start: 0, step: 1, size: N }, { start: 0, step: 1, size: Ho }, { start: 0, step: 1, size: Wo }, { start: i, step: 1, size: 1 },
  ]), [N, 1, Ho * Wo]);
  const gx = unnormalize(coord(0), W, align, k);
  const gy = unnormalize(coord(1), H, align, k);
  let out: Tensor;
  if (mode === 'bicubic') {
    const x0 = P.unary('floor', P.detach(gx));
    const y0 = P.unary('floor', P.detach(gy));
    const wx = cubicWeights(sub(gx, x0), k);
    const wy = cubicWeights(sub(gy, y0), k);
    // each tap's integer coordinate is padded on its own, as PyTorch's get_value_bounded
    const tapX = [0, 1, 2, 3].map((i) => pad(add(x0, k.s(i - 1)), W, padding, align, k));
    const tapY = [0, 1, 2, 3].map((j) => pad(add(y0, k.s(j - 1)), H, padding, align, k));
    out = k.s(0);
    for (let j = 0; j < 4; j++) {
      let row: Tensor = k.s(0);
      for (let i = 0; i < 4; i++) row = add(row, mul(wx[i], pick(P.unary('trunc', tapX[i]), P.unary('trunc', tapY[j]), k)));
      out = add(out, mul(wy[j], row));
    }
  } else {
    const ix = pad(gx, W, padding, align, k);
    const iy = pad(gy, H, padding, align, k);
    if (mode === 'nearest') {
      out = pick(P.unary('round', P.detach(ix)), P.unary('round', P.detach(iy)), k);
    } else {
      const x0 = P.unary('floor', P.detach(ix));
      const y0 = P.unary('floor', P.detach(iy));
      const tx = sub(ix, x0);
      const ty = sub(iy, y0);
      const one = k.s(1);
      const x1 = add(x0, one);
      const y1 = add(y0, one);
      out = add(
        add(mul(mul(sub(one, tx), sub(one, ty)), pick(x0, y0, k)), mul(mul(tx, sub(one, ty)), pick(x1, y0, k))),
        add(mul(mul(sub(one, tx), ty), pick(x0, y1, k)), mul(mul(tx, ty), pick(x1, y1, k))),
      );
    }
  }
  return P.reshape(P.expand(out, [N, C, Ho * Wo]), [N, C, Ho, Wo]);
}
