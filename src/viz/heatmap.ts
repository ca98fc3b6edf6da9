/**
 * Heat maps as colour images: a [H, W] map (a saliency map, a Grad-CAM map) through a colour map, alone or laid
 * over the image it explains, as RGB [3, H, W] tensors in [0, 1] ready for `imageGridPng`/`imageGridSpec`.
 * @module
 */
import { assertNever, ShapeError, ValueError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Colour maps: 'jet' (blue - cyan - yellow - red, the Grad-CAM paper's), 'hot' (black - red - yellow - white) and
 * 'gray'.
 */
export type ColorMap = 'jet' | 'hot' | 'gray';

const COLOR_MAPS: readonly ColorMap[] = ['jet', 'hot', 'gray'];

/** Options of `colorize`. */
export interface ColorizeOptions {
  /** The colour map (default 'jet'). */
  colormap?: ColorMap;
  /** Values that map to the two ends of the colour map (default: the map's min and max). */
  valueRange?: readonly [number, number];
}

/** Options of `overlayHeatmap`. */
export interface OverlayOptions extends ColorizeOptions {
  /** Weight of the heat map's colour against the image (default 0.5). */
  alpha?: number;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** [r, g, b] in [0, 1] of the colour map at t in [0, 1]. */
function colorAt(map: ColorMap, t: number): [number, number, number] {
  switch (map) {
    case 'jet':
      return [clamp01(1.5 - Math.abs(4 * t - 3)), clamp01(1.5 - Math.abs(4 * t - 2)), clamp01(1.5 - Math.abs(4 * t - 1))];
    case 'hot':
      return [clamp01(3 * t), clamp01(3 * t - 1), clamp01(3 * t - 2)];
    case 'gray':
      return [t, t, t];
    default:
      return assertNever(map, 'colour map');
  }
}

function heatValues(fn: string, heat: Tensor): { v: ArrayLike<number>; h: number; w: number } {
  if (!(heat instanceof Tensor)) throw new ValueError(`${fn}: heat must be a [H, W] tensor, got ${typeof heat}`);
  const shape = heat.ndim === 3 && heat.shape[0] === 1 ? heat.shape.slice(1) : heat.shape;
  if (shape.length !== 2 || shape[0] === 0 || shape[1] === 0) throw new ShapeError(`${fn}: heat must be a map [H, W], got shape ${fmtShape(heat.shape)}`);
  return { v: heat.toTypedArray(), h: shape[0], w: shape[1] };
}

/** Maps a heat map [H, W] through a colour map: an RGB image [3, H, W] with values in [0, 1]. */
export function colorize(heat: Tensor, opts: ColorizeOptions = {}): Tensor {
  const fn = 'colorize';
  const map = opts.colormap ?? 'jet';
  if (!COLOR_MAPS.includes(map)) throw new ValueError(`${fn}: colormap must be one of ${COLOR_MAPS.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(map)}`);
  const { v, h, w } = heatValues(fn, heat);
  let lo = Infinity;
  let hi = -Infinity;
  if (opts.valueRange !== undefined) {
    if (!Array.isArray(opts.valueRange) || opts.valueRange.length !== 2 || !(opts.valueRange[0] < opts.valueRange[1])) {
      throw new ValueError(`${fn}: valueRange must be [low, high] with low < high, got ${JSON.stringify(opts.valueRange)}`);
    }
    [lo, hi] = opts.valueRange;
  } else {
    for (let i = 0; i < v.length; i++) {
      if (v[i] < lo) lo = v[i];
      if (v[i] > hi) hi = v[i];
    }
  }
  const span = hi - lo > 1e-12 ? hi - lo : 1;
  const plane = h * w;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    const t = Number.isFinite(v[i]) ? clamp01((v[i] - lo) / span) : 0;
    const [r, g, b] = colorAt(map, t);
    out[i] = r;
    out[plane + i] = g;
    out[2 * plane + i] = b;
  }
  return tensor(out, { shape: [3, h, w] });
}

/**
 * Lays a heat map [H, W] (coloured by `colorize`) over an image [C, H, W] (C = 1 or 3, values in [0, 1]; grey is
 * drawn as RGB): (1 - alpha) × image + alpha × colour, an RGB image [3, H, W] in [0, 1].
 * Throws ShapeError when the map and the image differ in size.
 */
export function overlayHeatmap(image: Tensor, heat: Tensor, opts: OverlayOptions = {}): Tensor {
  const fn = 'overlayHeatmap';
  if (!(image instanceof Tensor)) throw new ValueError(`${fn}: image must be a [C, H, W] tensor, got ${typeof image}`);
  const shape = image.ndim === 4 && image.shape[0] === 1 ? image.shape.slice(1) : image.shape;
  if (shape.length !== 3 || (shape[0] !== 1 && shape[0] !== 3)) throw new ShapeError(`${fn}: image must be [C, H, W] with C = 1 or 3, got shape ${fmtShape(image.shape)}`);
  const alpha = opts.alpha ?? 0.5;
  if (!(alpha >= 0 && alpha <= 1)) throw new ValueError(`${fn}: alpha must be in [0, 1], got ${alpha}`);
  const { h, w } = heatValues(fn, heat);
  if (h !== shape[1] || w !== shape[2]) throw new ShapeError(`${fn}: the heat map is ${h}x${w} but the image is ${shape[1]}x${shape[2]} (shape ${fmtShape(image.shape)}); resize the map first`);
  const colour = colorize(heat, opts).toTypedArray();
  const img = image.toTypedArray();
  const plane = h * w;
  const out = new Float32Array(3 * plane);
  for (let ch = 0; ch < 3; ch++) {
    const from = shape[0] === 1 ? 0 : ch * plane;
    for (let i = 0; i < plane; i++) out[ch * plane + i] = (1 - alpha) * clamp01(img[from + i]) + alpha * colour[ch * plane + i];
  }
  return tensor(out, { shape: [3, h, w] });
}
