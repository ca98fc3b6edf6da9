/**
 * Detections drawn on an image, as torchvision.utils.draw_bounding_boxes: each box's outline in its class's colour
 * and, above it, a label "class 0.93" in the built-in 5x7 pixel font (train/raster.ts) on a filled strip. Boxes are
 * xyxy pixels of the image; boxes with x2 < x1 or y2 < y1 are refused as torchvision refuses them, non-finite
 * coordinates too, and boxes reaching outside the image are clipped to it (torchvision lets PIL clip them). No
 * boxes: the image comes back unchanged. Browser-safe: the PNG is fast-png's.
 * @module
 */
import { encode } from 'fast-png';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { FONT } from '../train/raster.js';

/** Options of drawBoxes and drawBoxesImage. */
export interface DrawBoxesOptions {
  /** Class names indexed by the labels (default: the label numbers). */
  classes?: readonly string[];
  /** Colours [r, g, b] (0-255) indexed by label, cycled (default: a 10-colour palette). */
  colors?: readonly (readonly [number, number, number])[];
  /** Whole-number enlargement of the image before drawing, so labels stay legible on small images (default 1). */
  scale?: number;
  /** Outline width in output pixels (default 1). */
  width?: number;
  /** Size of a label font pixel in output pixels (default 1: 5x7-pixel letters). */
  fontSize?: number;
  /** Draw the label strips (default true). */
  drawLabels?: boolean;
}

/** Tableau's 10 colours, distinct on grey images. */
const PALETTE: readonly (readonly [number, number, number])[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];

function posInt(name: string, v: number | undefined, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`drawBoxes: ${name} must be a positive integer, got ${String(n)}`);
  return n;
}

function values(name: string, v: Tensor | readonly number[] | undefined, k: number): ArrayLike<number> | undefined {
  if (v === undefined) return undefined;
  const arr = v instanceof Tensor ? v.toTypedArray() : v;
  if (!(v instanceof Tensor) && !Array.isArray(v)) throw new ValueError(`drawBoxes: ${name} must be a tensor or an array of numbers, got ${typeof v}`);
  if (arr.length !== k || (v instanceof Tensor && v.ndim !== 1)) throw new ShapeError(`drawBoxes: ${name} must hold one value per box (${k}), got ${v instanceof Tensor ? fmtShape(v.shape) : `${arr.length} values`}`);
  return arr;
}

/**
 * The image [C, H, W] (C = 1 or 3, values in [0, 1]) with `boxes` [K, 4] (xyxy pixels) drawn on it, as an RGB
 * tensor [3, H·scale, W·scale] in [0, 1]. `labels` [K] index `classes` and pick the colours; `scores` [K] are
 * printed after the class name. See the module doc for bad boxes.
 */
export function drawBoxesImage(image: Tensor, boxes: Tensor, labels?: Tensor | readonly number[], scores?: Tensor | readonly number[], opts: DrawBoxesOptions = {}): Tensor {
  const px = drawPixels(image, boxes, labels, scores, opts);
  const { data, width: w, height: h } = px;
  const out = new Float32Array(3 * h * w);
  for (let p = 0; p < h * w; p++) for (let c = 0; c < 3; c++) out[c * h * w + p] = data[p * 3 + c] / 255;
  return tensor(out, { shape: [3, h, w] });
}

/** drawBoxesImage's picture encoded as RGB PNG bytes. */
export function drawBoxes(image: Tensor, boxes: Tensor, labels?: Tensor | readonly number[], scores?: Tensor | readonly number[], opts: DrawBoxesOptions = {}): Uint8Array {
  const { data, width, height } = drawPixels(image, boxes, labels, scores, opts);
  return encode({ width, height, data, channels: 3, depth: 8 });
}

function drawPixels(image: Tensor, boxes: Tensor, labels: Tensor | readonly number[] | undefined, scores: Tensor | readonly number[] | undefined, opts: DrawBoxesOptions): { data: Uint8Array; width: number; height: number } {
  if (!(image instanceof Tensor) || image.ndim !== 3 || (image.shape[0] !== 1 && image.shape[0] !== 3)) {
    throw new ShapeError(`drawBoxes: image must be [C, H, W] with C = 1 or 3, got ${image instanceof Tensor ? fmtShape(image.shape) : typeof image}`);
  }
  const [c, h, w] = image.shape;
  if (h === 0 || w === 0) throw new ShapeError(`drawBoxes: image has no pixels, shape ${fmtShape(image.shape)}`);
  if (!(boxes instanceof Tensor) || !((boxes.ndim === 2 && boxes.shape[1] === 4) || boxes.numel() === 0)) {
    throw new ShapeError(`drawBoxes: boxes must be [K, 4] (x1, y1, x2, y2), got ${boxes instanceof Tensor ? fmtShape(boxes.shape) : typeof boxes}`);
  }
  const k = boxes.numel() / 4;
  const b = boxes.toTypedArray();
  for (let i = 0; i < k; i++) {
    const [x1, y1, x2, y2] = [b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]];
    if (![x1, y1, x2, y2].every(Number.isFinite)) throw new ValueError(`drawBoxes: box ${i} has a non-finite coordinate: [${x1}, ${y1}, ${x2}, ${y2}]`);
    if (x2 < x1 || y2 < y1) throw new ValueError(`drawBoxes: box ${i} must be (x1, y1, x2, y2) with x2 >= x1 and y2 >= y1, got [${x1}, ${y1}, ${x2}, ${y2}] (convert other formats with vision.boxConvert)`);
  }
  const lab = values('labels', labels, k);
  const sc = values('scores', scores, k);
  const scale = posInt('scale', opts.scale, 1);
  const lw = posInt('width', opts.width, 1);
  const fs = posInt('fontSize', opts.fontSize, 1);
  const colors = opts.colors ?? PALETTE;
  if (!Array.isArray(colors) || colors.length === 0) throw new ValueError('drawBoxes: colors must be a non-empty array of [r, g, b]');
  const classes = opts.classes;
  if (lab) {
    for (let i = 0; i < k; i++) {
      const v = lab[i];
      if (!Number.isInteger(v) || v < 0 || (classes !== undefined && v >= classes.length)) {
        throw new ValueError(`drawBoxes: label ${i} must be an integer in 0..${classes ? classes.length - 1 : 'Infinity'}${classes ? ' (an index into classes)' : ''}, got ${v}`);
      }
    }
  }
  const W = w * scale;
  const H = h * scale;
  const data = new Uint8Array(W * H * 3);
  const src = image.contiguous().toTypedArray();
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = Math.floor(y / scale) * w + Math.floor(x / scale);
      for (let ch = 0; ch < 3; ch++) {
        const v = Number(src[(c === 1 ? 0 : ch) * h * w + p]);
        data[(y * W + x) * 3 + ch] = Math.round(255 * (v > 1 ? 1 : v > 0 ? v : 0));
      }
    }
  }
  const fill = (x0: number, y0: number, x1: number, y1: number, rgb: readonly number[]) => {
    for (let y = Math.max(0, y0); y < Math.min(H, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(W, x1); x++) data.set(rgb, (y * W + x) * 3);
    }
  };
  for (let i = 0; i < k; i++) {
    const label = lab ? lab[i] : 0;
    const rgb = colors[label % colors.length];
    // clip to the image, then to output pixels; the outline lies inside the box
    const cx = (v: number, m: number) => Math.min(Math.max(Math.round(v * scale), 0), m);
    const [x1, y1, x2, y2] = [cx(b[4 * i], W), cx(b[4 * i + 1], H), cx(b[4 * i + 2], W), cx(b[4 * i + 3], H)];
    const t = Math.max(1, Math.min(lw, x2 - x1, y2 - y1));
    fill(x1, y1, x2, y1 + t, rgb);
    fill(x1, y2 - t, x2, y2, rgb);
    fill(x1, y1, x1 + t, y2, rgb);
    fill(x2 - t, y1, x2, y2, rgb);
    if (opts.drawLabels === false || (lab === undefined && sc === undefined)) continue;
    const name = lab ? (classes ? classes[label] : String(label)) : '';
    const text = [name, sc ? sc[i].toFixed(2) : ''].filter((s) => s !== '').join(' ').toLowerCase();
    const tw = (text.length * 6 + 1) * fs;
    const th = 9 * fs;
    const ty = y1 >= th ? y1 - th : y1; // above the box, or inside its top when there is no room
    const tx = Math.min(x1, Math.max(0, W - tw));
    fill(tx, ty, tx + tw, ty + th, rgb);
    const ink = rgb[0] * 0.299 + rgb[1] * 0.587 + rgb[2] * 0.114 > 150 ? [0, 0, 0] : [255, 255, 255];
    [...text].forEach((chr, n) => {
      const g = FONT[chr] ?? FONT[' '];
      for (let r = 0; r < 7; r++) {
        for (let bit = 0; bit < 5; bit++) {
          if (!(g[r] & (16 >> bit))) continue;
          const x = tx + (1 + n * 6 + bit) * fs;
          const y = ty + (1 + r) * fs;
          fill(x, y, x + fs, y + fs, ink);
        }
      }
    });
  }
  return { data, width: W, height: H };
}
