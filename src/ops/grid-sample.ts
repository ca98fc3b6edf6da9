/**
 * Spatial transformers (Jaderberg et al. 2015), as torch.nn.functional's affine_grid and grid_sample (2-D
 * images and 3-D volumes): affineGrid turns affine matrices into sampling grids, gridSample reads an image at a
 * grid's points (bilinear/trilinear, nearest, or bicubic for images; zeros, border or reflection padding). Both are composites of gathers and
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
 * The sampling grid of affine maps `theta` for an output of `size`: [N, H, W, 2] for theta [N, 2, 3] and size
 * [N, C, H, W], point (h, w) being `theta[n] @ (x_w, y_h, 1)`; or [N, D, H, W, 3] for theta [N, 3, 4] and size
 * [N, C, D, H, W], point (d, h, w) being `theta[n] @ (x_w, y_h, z_d, 1)`; x, y, z are the normalized output
 * coordinates in [-1, 1].
 */
export function affineGrid(theta: Tensor, size: readonly number[], opts: AffineGridOptions = {}): Tensor {
  const op = 'affineGrid';
  checkFloat(op, checkTensor(op, theta, 'theta'), 'theta');
  const align = checkAlign(op, opts.alignCorners);
  if (!Array.isArray(size) || (size.length !== 4 && size.length !== 5) || size.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ValueError(`${op}: size must be [N, C, H, W] or [N, C, D, H, W] of positive integers, got ${JSON.stringify(size)}`);
  }
  const N = size[0];
  const spatial = size.slice(2);
  const nd = spatial.length;
  if (theta.ndim !== 3 || theta.shape[0] !== N || theta.shape[1] !== nd || theta.shape[2] !== nd + 1) {
    throw new ShapeError(`${op}: theta must be a batch of ${nd}-D affine matrices [${N}, ${nd}, ${nd + 1}] for size ${fmtShape(size)}, got ${fmtShape(theta.shape)}`);
  }
  // per axis in x, y(, z) order: the coordinates along W, H(, D)
  const axes = spatial.slice().reverse().map((n) => axisCoords(n, align));
  const count = spatial.reduce((a, b) => a * b, 1);
  const base = new Float64Array(count * (nd + 1));
  for (let i = 0; i < count; i++) {
    // i runs over the spatial positions row-major, so the last spatial dim (x) varies fastest
    let rest = i;
    for (let k = 0; k < nd; k++) {
      const n = spatial[nd - 1 - k];
      base[i * (nd + 1) + k] = axes[k][rest % n];
      rest = Math.floor(rest / n);
    }
    base[i * (nd + 1) + nd] = 1;
  }
  const b = P.fromHost(base, [1, count, nd + 1], theta.dtype, theta.device);
  return P.reshape(matmul(b, P.permute(theta, [0, 2, 1])), [N, ...spatial, nd]);
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

/** The context of a gridSample call: the image as [N, C, pixels], and per axis in x, y(, z) order its size and stride. */
interface Ctx {
  flat: Tensor;
  N: number;
  C: number;
  sizes: number[];
  strides: number[];
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

/** The image at integer pixel coordinates (one float tensor [N, 1, P] per axis, detached), 0 outside it: [N, C, P]. */
function pick(coords: Tensor[], k: Ctx): Tensor {
  let inside: Tensor | null = null;
  let lin: Tensor | null = null;
  coords.forEach((c, a) => {
    const hi = k.sizes[a] - 1;
    const ok = P.binary('logicalAnd', P.binary('ge', c, k.s(0)), P.binary('le', c, k.s(hi)));
    inside = inside ? P.binary('logicalAnd', inside, ok) : ok;
    const term = mul(P.unary('clamp', c, { p: 0, q: hi }), k.s(k.strides[a]));
    lin = lin ? add(lin, term) : term;
  });
  const idx = P.copy(P.expand(P.cast(lin!, 'int32'), [k.N, k.C, k.P]));
  const v = P.gather(k.flat, 2, idx);
  return P.where(P.expand(inside!, v.shape), v, k.s(0));
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
 * edge, or the first pixel's center with alignCorners), giving [N, C, Ho, Wo]; or a volume [N, C, D, H, W] at
 * grid [N, Do, Ho, Wo, 3] (x, y, z), giving [N, C, Do, Ho, Wo] ('bilinear' is then trilinear; 'bicubic' is
 * 2-D only, as PyTorch's). Gradients reach both the input and the grid (the grid's is 0 for 'nearest').
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
  if (input.ndim !== 4 && input.ndim !== 5) throw new ShapeError(`${op}: input must be 4-D (N, C, H, W) or 5-D (N, C, D, H, W), got shape ${fmtShape(input.shape)}`);
  const nd = input.ndim - 2;
  const out = nd === 2 ? 'Ho, Wo' : 'Do, Ho, Wo';
  if (grid.ndim !== input.ndim || grid.shape[input.ndim - 1] !== nd || grid.shape[0] !== input.shape[0]) {
    throw new ShapeError(`${op}: grid must be [${input.shape[0]}, ${out}, ${nd}] for input ${fmtShape(input.shape)}, got ${fmtShape(grid.shape)}`);
  }
  if (mode === 'bicubic' && nd !== 2) throw new ValueError(`${op}: mode 'bicubic' needs a 4-D input (N, C, H, W), got shape ${fmtShape(input.shape)}`);
  if (grid.dtype !== input.dtype) throw new DTypeError(`${op}: grid dtype ${grid.dtype} differs from input dtype ${input.dtype}`);
  if (grid.device !== input.device) throw new ValueError(`${op}: input and grid are on different backends: ${input.device} and ${grid.device}`);
  const [N, C, ...spatial] = input.shape;
  const outSpatial = grid.shape.slice(1, -1);
  if (spatial.some((d) => d === 0)) throw new ShapeError(`${op}: input must have a non-empty image, got shape ${fmtShape(input.shape)}`);
  const sizes = spatial.slice().reverse();
  const strides = sizes.map((_, a) => sizes.slice(0, a).reduce((x, y) => x * y, 1));
  const count = outSpatial.reduce((a, b) => a * b, 1);
  const pixels = spatial.reduce((a, b) => a * b, 1);
  const k: Ctx = { flat: P.reshape(input, [N, C, pixels]), N, C, sizes, strides, P: count, s: (v) => P.scalarOf(v, input.dtype, input) };
  const g2 = P.reshape(grid, [N, count, nd]);
  const coord = (a: number) => P.reshape(P.slice(g2, [
    { start: 0, step: 1, size: N }, { start: 0, step: 1, size: count }, { start: a, step: 1, size: 1 },
  ]), [N, 1, count]);
  const src = sizes.map((n, a) => unnormalize(coord(a), n, align, k));
  let res: Tensor;
  if (mode === 'bicubic') {
    res = bicubic(src[0], src[1], padding, align, k);
  } else {
    const at = src.map((c, a) => pad(c, sizes[a], padding, align, k));
    if (mode === 'nearest') {
      res = pick(at.map((c) => P.unary('round', P.detach(c))), k);
    } else {
      // (bi/tri)linear: each of the 2^nd corners weighted by the product of its per-axis weights
      const lo = at.map((c) => P.unary('floor', P.detach(c)));
      const t = at.map((c, a) => sub(c, lo[a]));
      const one = k.s(1);
      res = k.s(0);
      for (let corner = 0; corner < 1 << nd; corner++) {
        let w: Tensor = one;
        const pos = lo.map((l, a) => {
          const up = (corner >> a) & 1;
          w = mul(w, up ? t[a] : sub(one, t[a]));
          return up ? add(l, one) : l;
        });
        res = add(res, mul(w, pick(pos, k)));
      }
    }
  }
  return P.reshape(P.expand(res, [N, C, count]), [N, C, ...outSpatial]);
}

/** Bicubic interpolation at pixel coordinates gx, gy [N, 1, P] (before padding), as PyTorch's: [N, C, P]. */
function bicubic(gx: Tensor, gy: Tensor, padding: GridSamplePadding, align: boolean, k: Ctx): Tensor {
  const [W, H] = k.sizes;
  const x0 = P.unary('floor', P.detach(gx));
  const y0 = P.unary('floor', P.detach(gy));
  const wx = cubicWeights(sub(gx, x0), k);
  const wy = cubicWeights(sub(gy, y0), k);
  // each tap's integer coordinate is padded on its own, as PyTorch's get_value_bounded
  const tapX = [0, 1, 2, 3].map((i) => P.unary('trunc', pad(add(x0, k.s(i - 1)), W, padding, align, k)));
  const tapY = [0, 1, 2, 3].map((j) => P.unary('trunc', pad(add(y0, k.s(j - 1)), H, padding, align, k)));
  let out: Tensor = k.s(0);
  for (let j = 0; j < 4; j++) {
    let row: Tensor = k.s(0);
    for (let i = 0; i < 4; i++) row = add(row, mul(wx[i], pick([tapX[i], tapY[j]], k)));
    out = add(out, mul(wy[j], row));
  }
  return out;
}
