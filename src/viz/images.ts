/**
 * Image grids from a batch of NCHW images: `imageGridPng` packs them into one PNG (torchvision's make_grid +
 * save_image: for samples, feature maps and filters), `imageGridSpec` lays them out with a caption under each
 * (e.g. "pred 3 / true 5") as a Vega-Lite chart whose images are embedded PNG data URIs. PNG encoding is
 * fast-png's; both run in the browser as well as in Node.
 * @module
 */
import { encode } from 'fast-png';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import type { VegaLiteSpec } from './render.js';

/** How image values map to pixel intensities; shared by `imageGridPng` and `imageGridSpec`. */
export interface ImageValueOptions {
  /** Per-channel means the images were normalized with; with `std`, undone as `x * std + mean` before drawing. */
  mean?: readonly number[];
  /** Per-channel standard deviations the images were normalized with (see `mean`). */
  std?: readonly number[];
  /**
   * Stretch values to [0, 1] by their minimum and maximum (over all images, or each image with `scaleEach`, or by
   * `valueRange` when given), as torchvision's make_grid; for feature maps and filters. Default false: values are
   * taken to be in [0, 1] and clamped.
   */
  normalize?: boolean;
  /** With `normalize`: the values that map to black and white, instead of the data's min and max. */
  valueRange?: readonly [number, number];
  /** With `normalize`: stretch each image by its own min and max (default false). */
  scaleEach?: boolean;
}

/** Options of `imageGridPng`. */
export interface ImageGridPngOptions extends ImageValueOptions {
  /** Images per row, as torchvision's `nrow` (default 8). */
  nrow?: number;
  /** Pixels between images and around the grid, before scaling (default 2). */
  padding?: number;
  /** Intensity in [0, 1] of the padding (default 0, black). */
  padValue?: number;
  /** Integer factor each pixel is enlarged by, nearest-neighbour (default 1). */
  scale?: number;
}

/** Options of `imageGridSpec`. */
export interface ImageGridOptions extends ImageValueOptions {
  /** Images per row, as torchvision's `nrow` (default 8). */
  nrow?: number;
  /** Integer factor each pixel is enlarged by, nearest-neighbour (default 3). */
  scale?: number;
  /** Caption colour, one for all or one per image (default '#222222'), e.g. red for wrong predictions. */
  captionColors?: string | readonly string[];
  /** Caption font size in pixels (default 11). */
  fontSize?: number;
  /** Chart title (none by default). */
  title?: string;
}

interface Pixels {
  n: number;
  c: number;
  h: number;
  w: number;
  /** One HWC uint8 buffer per image (c = 1 or 3 channels). */
  images: Uint8Array[];
}

function positiveInt(fn: string, name: string, v: number | undefined, dflt: number, min = 1): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min) throw new ValueError(`${fn}: ${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

function channelValues(fn: string, name: string, v: readonly number[] | undefined, c: number, dflt: number): number[] {
  if (v === undefined) return new Array<number>(c).fill(dflt);
  if (!Array.isArray(v) || (v.length !== c && v.length !== 1) || v.some((x) => !Number.isFinite(x))) {
    throw new ValueError(`${fn}: ${name} needs ${c === 1 ? '1 finite number' : `1 or ${c} finite numbers (one per channel)`} for ${c}-channel images, got ${JSON.stringify(v)}`);
  }
  return v.length === 1 ? new Array<number>(c).fill(v[0]) : [...v];
}

/** Reads a [N, C, H, W] tensor (C = 1 or 3) into per-image HWC bytes, undoing normalization as asked. */
function toPixels(fn: string, images: Tensor, o: ImageValueOptions): Pixels {
  if (!(images instanceof Tensor)) throw new ValueError(`${fn}: images must be a [N, C, H, W] tensor, got ${typeof images}`);
  if (images.ndim !== 4) throw new ShapeError(`${fn}: images must be 4-D (N, C, H, W), got shape ${fmtShape(images.shape)}`);
  const [n, c, h, w] = images.shape;
  if (c !== 1 && c !== 3) throw new ShapeError(`${fn}: images need 1 (grey) or 3 (RGB) channels, got ${c} in shape ${fmtShape(images.shape)}`);
  if (n === 0 || h === 0 || w === 0) throw new ShapeError(`${fn}: no pixels to draw in shape ${fmtShape(images.shape)}`);
  const mean = channelValues(fn, 'mean', o.mean, c, 0);
  const std = channelValues(fn, 'std', o.std, c, 1);
  if ((o.mean === undefined) !== (o.std === undefined)) throw new ValueError(`${fn}: give mean and std together (to undo a normalize transform)`);
  const src = images.toTypedArray();
  const plane = h * w;
  const vals = new Float64Array(src.length);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const base = (i * c + ch) * plane;
      for (let p = 0; p < plane; p++) {
        const v = src[base + p] * std[ch] + mean[ch];
        vals[base + p] = Number.isFinite(v) ? v : 0;
      }
    }
  }
  const size = c * plane;
  const range = (from: number, to: number): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = from; k < to; k++) {
      if (vals[k] < lo) lo = vals[k];
      if (vals[k] > hi) hi = vals[k];
    }
    return [lo, hi];
  };
  if (o.valueRange !== undefined && !(Array.isArray(o.valueRange) && o.valueRange.length === 2 && o.valueRange[0] < o.valueRange[1])) {
    throw new ValueError(`${fn}: valueRange must be [low, high] with low < high, got ${JSON.stringify(o.valueRange)}`);
  }
  const whole = o.normalize && !o.scaleEach && o.valueRange === undefined ? range(0, vals.length) : undefined;
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    let lo = 0;
    let hi = 1;
    if (o.normalize) [lo, hi] = o.valueRange !== undefined ? [o.valueRange[0], o.valueRange[1]] : whole ?? range(i * size, (i + 1) * size);
    const span = hi - lo > 1e-12 ? hi - lo : 1;
    const px = new Uint8Array(size);
    for (let ch = 0; ch < c; ch++) {
      const base = i * size + ch * plane;
      for (let p = 0; p < plane; p++) {
        const t = (vals[base + p] - lo) / span;
        px[p * c + ch] = Math.round(255 * (t < 0 ? 0 : t > 1 ? 1 : t));
      }
    }
    out.push(px);
  }
  return { n, c, h, w, images: out };
}

/** Nearest-neighbour enlargement of an HWC image by an integer factor. */
function enlarge(px: Uint8Array, h: number, w: number, c: number, s: number): Uint8Array {
  if (s === 1) return px;
  const W = w * s;
  const out = new Uint8Array(h * s * W * c);
  for (let y = 0; y < h * s; y++) {
    const sy = Math.floor(y / s);
    for (let x = 0; x < W; x++) {
      const from = (sy * w + Math.floor(x / s)) * c;
      const to = (y * W + x) * c;
      for (let ch = 0; ch < c; ch++) out[to + ch] = px[from + ch];
    }
  }
  return out;
}

function pngDataUri(px: Uint8Array, h: number, w: number, c: number): string {
  const png = encode({ width: w, height: h, data: px, channels: c, depth: 8 });
  let bin = '';
  for (let i = 0; i < png.length; i += 0x8000) bin += String.fromCharCode(...png.subarray(i, i + 0x8000));
  // btoa is a global in browsers and in Node >= 16; the core is compiled without DOM or Node typings.
  const { btoa } = globalThis as unknown as { btoa(data: string): string };
  return `data:image/png;base64,${btoa(bin)}`;
}

/**
 * Packs N images ([N, C, H, W], C = 1 or 3, values in [0, 1] unless `mean`/`std` or `normalize` say otherwise)
 * into one grid and encodes it as PNG bytes: `nrow` images per row, `padding` pixels between them, each pixel
 * enlarged `scale` times. Grey images give a grey PNG, RGB an RGB one.
 * Throws ShapeError for a tensor that is not 4-D or has 2 or more than 3 channels.
 */
export function imageGridPng(images: Tensor, opts: ImageGridPngOptions = {}): Uint8Array {
  const fn = 'imageGridPng';
  const nrow = positiveInt(fn, 'nrow', opts.nrow, 8);
  const padding = positiveInt(fn, 'padding', opts.padding, 2, 0);
  const scale = positiveInt(fn, 'scale', opts.scale, 1);
  const padValue = opts.padValue ?? 0;
  if (!(padValue >= 0 && padValue <= 1)) throw new ValueError(`${fn}: padValue must be in [0, 1], got ${padValue}`);
  const { n, c, h, w, images: px } = toPixels(fn, images, opts);
  const cols = Math.min(nrow, n);
  const rows = Math.ceil(n / cols);
  const W = (cols * (w + padding) + padding) * scale;
  const H = (rows * (h + padding) + padding) * scale;
  const out = new Uint8Array(W * H * c).fill(Math.round(padValue * 255));
  const tw = w * scale;
  const th = h * scale;
  for (let i = 0; i < n; i++) {
    const tile = enlarge(px[i], h, w, c, scale);
    const x0 = ((i % cols) * (w + padding) + padding) * scale;
    const y0 = (Math.floor(i / cols) * (h + padding) + padding) * scale;
    for (let y = 0; y < th; y++) out.set(tile.subarray(y * tw * c, (y + 1) * tw * c), ((y0 + y) * W + x0) * c);
  }
  return encode({ width: W, height: H, data: out, channels: c, depth: 8 });
}

/**
 * A grid of N images ([N, C, H, W], C = 1 or 3) with one caption under each (`captions[i]`, '\n' breaks a
 * line), as a Vega-Lite chart of image and text marks; render with `renderSvg`, rasterize with `svgToPng` from
 * 'shendu/node'. Each image is enlarged `scale` times (nearest) and embedded as a PNG data URI.
 * Throws ShapeError for a tensor that is not [N, 1|3, H, W], ValueError when captions.length != N.
 */
export function imageGridSpec(images: Tensor, captions: readonly string[], opts: ImageGridOptions = {}): VegaLiteSpec {
  const fn = 'imageGridSpec';
  if (!Array.isArray(captions)) throw new ValueError(`${fn}: captions must be an array of strings, got ${typeof captions}`);
  const nrow = positiveInt(fn, 'nrow', opts.nrow, 8);
  const scale = positiveInt(fn, 'scale', opts.scale, 3);
  const fontSize = opts.fontSize ?? 11;
  if (!(fontSize > 0)) throw new ValueError(`${fn}: fontSize must be positive, got ${fontSize}`);
  const { n, c, h, w, images: px } = toPixels(fn, images, opts);
  if (captions.length !== n) throw new ValueError(`${fn}: ${captions.length} captions for ${n} images (shape ${fmtShape(images.shape)}); give one per image`);
  const inks = opts.captionColors ?? '#222222';
  if (Array.isArray(inks) && inks.length !== n) throw new ValueError(`${fn}: ${inks.length} caption colours for ${n} images`);
  const lines = captions.map((t) => String(t).split('\n'));
  const maxLines = Math.max(...lines.map((l) => l.length));
  // DejaVu Sans averages about 0.62 em per character; leave room so neighbouring captions never touch.
  const textW = Math.ceil(Math.max(...lines.flat().map((l) => l.length)) * fontSize * 0.62);
  const tw = w * scale;
  const th = h * scale;
  const gap = 10;
  const cellW = Math.max(tw, textW) + gap;
  const lineH = Math.ceil(fontSize * 1.25);
  const cellH = th + 4 + maxLines * lineH + gap;
  const cols = Math.min(nrow, n);
  const rows = Math.ceil(n / cols);
  const values = px.map((p, i) => {
    const col = i % cols;
    const row = Math.floor(i / cols);
    return {
      url: pngDataUri(enlarge(p, h, w, c, scale), th, tw, c),
      ix: col * cellW + (cellW - tw) / 2, iy: row * cellH,
      tx: col * cellW + cellW / 2, ty: row * cellH + th + 4,
      caption: lines[i].length > 1 ? lines[i] : lines[i][0],
      ink: typeof inks === 'string' ? inks : (inks as readonly string[])[i],
    };
  });
  const pos = (f: string) => ({ field: f, type: 'quantitative', scale: null, axis: null });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    width: cols * cellW,
    height: rows * cellH - gap,
    data: { values },
    layer: [
      {
        mark: { type: 'image', width: tw, height: th, align: 'left', baseline: 'top', aspect: false, aria: false },
        encoding: { x: pos('ix'), y: pos('iy'), url: { field: 'url', type: 'nominal' } },
      },
      {
        mark: { type: 'text', align: 'center', baseline: 'top', fontSize, lineHeight: lineH },
        encoding: { x: pos('tx'), y: pos('ty'), text: { field: 'caption', type: 'nominal' }, color: { field: 'ink', type: 'nominal', scale: null, legend: null } },
      },
    ],
    config: { view: { stroke: null } },
  } as unknown as VegaLiteSpec;
}
