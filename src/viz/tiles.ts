/**
 * Feature maps and convolution filters as labelled image grids: one tile per channel (or per filter), each tile
 * stretched to [0, 1] by its own minimum and maximum so that weak and strong channels are both visible, as in
 * Zeiler & Fergus (2014) and the course's chapter 7.2 pictures. `tileGridSpec` draws a grid with its labels
 * (Vega-Lite; `saveImageGrid` in 'shendu/node' writes it as PNG), `tileGridPng` without them.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { Conv2d } from '../nn/conv.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { imageGridPng, imageGridSpec } from './images.js';
import type { VegaLiteSpec } from './render.js';

/** Tiles ready to draw: images [N, C, H, W] (C = 1 or 3) with values in [0, 1], a label each, tiles per row. */
export interface TileGrid {
  /** The tiles [N, C, H, W], values in [0, 1]. */
  images: Tensor;
  /** One label per tile. */
  captions: string[];
  /** Tiles per row. */
  nrow: number;
}

/** Options of `featureMapGrid`. */
export interface FeatureMapGridOptions {
  /** Show at most this many channels, the first ones (default 64). */
  maxChannels?: number;
  /** Tiles per row (default: about the square root of the tile count, at most 16). */
  nrow?: number;
}

/** Options of `filters`. */
export interface FiltersOptions {
  /** At most this many tiles in all (default 256): fewer input channels are shown per filter beyond it. */
  maxTiles?: number;
}

/** Options of `tileGridSpec` and `tileGridPng`. */
export interface TileGridDrawOptions {
  /** Integer enlargement of each tile pixel (default: tiles about 48 pixels across, at most 16 times). */
  scale?: number;
  /** Chart title (`tileGridSpec` only). */
  title?: string;
}

function positiveInt(fn: string, name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${fn}: ${name} must be an integer >= 1, got ${v}`);
  return v;
}

/** Min-max stretches each run of `size` values of `src` (one tile) to [0, 1]; flags the constant ones. */
function stretch(src: ArrayLike<number>, tiles: number, size: number): { out: Float32Array; flat: boolean[] } {
  const out = new Float32Array(tiles * size);
  const flat: boolean[] = [];
  for (let t = 0; t < tiles; t++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = t * size; k < (t + 1) * size; k++) {
      const v = src[k];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const span = hi - lo;
    flat.push(!(span > 1e-12));
    if (!(span > 1e-12)) continue; // a constant tile (a dead ReLU channel) stays black
    for (let k = t * size; k < (t + 1) * size; k++) out[k] = (src[k] - lo) / span;
  }
  return { out, flat };
}

/** Tiles per row: about the square root of n, preferring a divisor of n so the last row is full (32 -> 8 x 4). */
function defaultRow(n: number): number {
  const root = Math.ceil(Math.sqrt(n));
  for (let r = root; r <= Math.min(16, 2 * root); r++) if (n % r === 0) return r;
  return Math.min(16, Math.max(1, root));
}

/**
 * One grey tile per channel of a feature map [C, H, W] (or [1, C, H, W]), the first `maxChannels` channels, each
 * stretched by its own min and max; labels are channel indices, with "flat" for a constant channel (all of it
 * one value, e.g. a ReLU channel that never fires for this input).
 * Throws ShapeError for a map that is not [C, H, W].
 */
export function featureMapGrid(map: Tensor, opts: FeatureMapGridOptions = {}): TileGrid {
  const fn = 'featureMapGrid';
  if (!(map instanceof Tensor)) throw new ValueError(`${fn}: map must be a feature map tensor [C, H, W], got ${typeof map}`);
  const shape = map.ndim === 4 && map.shape[0] === 1 ? map.shape.slice(1) : map.shape;
  if (shape.length !== 3 || shape.some((s) => s === 0)) {
    throw new ShapeError(`${fn}: map must be a feature map [C, H, W] (the output of a conv-like layer), got shape ${fmtShape(map.shape)}`);
  }
  const maxChannels = positiveInt(fn, 'maxChannels', opts.maxChannels, 64);
  const [c, h, w] = shape;
  const n = Math.min(c, maxChannels);
  const { out, flat } = stretch(map.toTypedArray(), n, h * w);
  const captions = flat.map((f, i) => (f ? `${i} flat` : String(i)));
  return { images: tensor(out, { shape: [n, 1, h, w] }), captions, nrow: positiveInt(fn, 'nrow', opts.nrow, defaultRow(n)) };
}

/**
 * The weights [out, in, kH, kW] of a Conv2d (or such a weight tensor) as tiles. With 3 input channels each
 * filter is one RGB tile (stretched by its own min and max over all three channels, so colours keep their
 * balance), labelled by its output channel; with 1 input channel, one grey tile per filter. Otherwise one grey
 * tile per (output, input) pair, a row per output channel, labelled "out.in", each row stretched by that
 * filter's min and max (so the input slices of one filter compare); when out × in exceeds `maxTiles`, only the
 * first input channels (and, past `maxTiles` filters, the first filters) are shown.
 * Throws ShapeError for a weight that is not 4-D.
 */
export function filters(conv: Conv2d | Tensor, opts: FiltersOptions = {}): TileGrid {
  const fn = 'filters';
  const weight = conv instanceof Conv2d ? conv.weight : conv;
  if (!(weight instanceof Tensor)) throw new ValueError(`filters: conv must be a Conv2d layer or its weight tensor [out, in, kH, kW], got ${conv === null ? 'null' : typeof conv}`);
  if (weight.ndim !== 4 || weight.shape.some((s) => s === 0)) throw new ShapeError(`${fn}: the weight must be 4-D [out, in, kH, kW], got shape ${fmtShape(weight.shape)}`);
  const maxTiles = positiveInt(fn, 'maxTiles', opts.maxTiles, 256);
  const [o, i, kh, kw] = weight.shape;
  const w = weight.toTypedArray();
  const plane = kh * kw;
  if (i === 1 || i === 3) {
    const n = Math.min(o, maxTiles);
    const { out } = stretch(w, n, i * plane);
    return { images: tensor(out, { shape: [n, i, kh, kw] }), captions: Array.from({ length: n }, (_, k) => String(k)), nrow: defaultRow(n) };
  }
  const shownOut = Math.min(o, maxTiles);
  const shownIn = Math.max(1, Math.min(i, Math.floor(maxTiles / shownOut)));
  const picked = new Float32Array(shownOut * shownIn * plane);
  for (let a = 0; a < shownOut; a++) {
    for (let b = 0; b < shownIn; b++) picked.set(w.subarray((a * i + b) * plane, (a * i + b + 1) * plane), (a * shownIn + b) * plane);
  }
  const { out } = stretch(picked, shownOut, shownIn * plane);
  const captions: string[] = [];
  for (let a = 0; a < shownOut; a++) for (let b = 0; b < shownIn; b++) captions.push(`${a}.${b}`);
  return { images: tensor(out, { shape: [shownOut * shownIn, 1, kh, kw] }), captions, nrow: shownIn === 1 ? defaultRow(shownOut) : shownIn };
}

function checkGrid(fn: string, grid: TileGrid): void {
  if (grid === null || typeof grid !== 'object' || !(grid.images instanceof Tensor) || !Array.isArray(grid.captions)) {
    throw new ValueError(`${fn}: grid must be a TileGrid {images, captions, nrow} as featureMapGrid or filters return`);
  }
}

function tileScale(fn: string, grid: TileGrid, scale: number | undefined): number {
  const side = Math.max(grid.images.shape[2] ?? 1, grid.images.shape[3] ?? 1);
  return positiveInt(fn, 'scale', scale, Math.min(16, Math.max(1, Math.ceil(48 / side))));
}

/** The tiles with their labels as a Vega-Lite chart (see `imageGridSpec`); render and save with 'shendu/node'. */
export function tileGridSpec(grid: TileGrid, opts: TileGridDrawOptions = {}): VegaLiteSpec {
  const fn = 'tileGridSpec';
  checkGrid(fn, grid);
  return imageGridSpec(grid.images, grid.captions, { nrow: grid.nrow, scale: tileScale(fn, grid, opts.scale), fontSize: 10, ...(opts.title !== undefined ? { title: opts.title } : {}) });
}

/** The tiles without labels as PNG bytes (see `imageGridPng`), white between tiles. */
export function tileGridPng(grid: TileGrid, opts: TileGridDrawOptions = {}): Uint8Array {
  const fn = 'tileGridPng';
  checkGrid(fn, grid);
  return imageGridPng(grid.images, { nrow: grid.nrow, scale: tileScale(fn, grid, opts.scale), padding: 1, padValue: 1 });
}
