/**
 * The segmentation task's picture: a strip per sample of the input image, the true mask and the predicted mask
 * (one colour per class, background black), as PNG bytes (fast-png, browser-safe).
 * @module
 */
import { encode } from 'fast-png';
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';

/**
 * Colours of mask classes as [r, g, b]: class 0 (background) black, then Vega's tableau10 (blue, orange, red,
 * teal, green, yellow, purple, pink, brown, grey) for classes 1-10, repeating for more classes.
 */
export const MASK_COLORS: readonly (readonly [number, number, number])[] = Object.freeze([
  [0, 0, 0], [76, 120, 168], [245, 133, 24], [228, 87, 86], [114, 183, 178], [84, 162, 75],
  [238, 202, 59], [178, 121, 162], [255, 157, 166], [157, 117, 93], [186, 176, 172],
] as const);

/** The colour of mask class `k` (k >= 0). */
export function maskColor(k: number): readonly [number, number, number] {
  return k === 0 ? MASK_COLORS[0] : MASK_COLORS[1 + ((k - 1) % (MASK_COLORS.length - 1))];
}

/** Options of `segmentationPng`. */
export interface SegmentationPngOptions {
  /** Integer factor each pixel is enlarged by (default 3). */
  scale?: number;
  /** Pixels between tiles, before scaling (default 2; padding is white). */
  padding?: number;
}

/**
 * A PNG of `images` [N, C, H, W] (each shown in grey, stretched by its own min and max; C = 3 in colour) in the
 * first row, their true `masks` [N, H, W] in the second and predicted `preds` [N, H, W] in the third, masks
 * coloured by `maskColor`.
 */
export function segmentationPng(images: Tensor, masks: Tensor, preds: Tensor, opts: SegmentationPngOptions = {}): Uint8Array {
  const op = 'segmentationPng';
  for (const [name, t] of [['images', images], ['masks', masks], ['preds', preds]] as const) {
    if (!(t instanceof Tensor)) throw new ValueError(`${op}: ${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
  if (images.ndim !== 4 || (images.shape[1] !== 1 && images.shape[1] !== 3)) throw new ShapeError(`${op}: images must be [N, 1 or 3, H, W], got shape ${fmtShape(images.shape)}`);
  const [n, c, h, w] = images.shape;
  for (const [name, t] of [['masks', masks], ['preds', preds]] as const) {
    if (t.ndim !== 3 || t.shape[0] !== n || t.shape[1] !== h || t.shape[2] !== w) throw new ShapeError(`${op}: ${name} must be [${n}, ${h}, ${w}] to match images ${fmtShape(images.shape)}, got shape ${fmtShape(t.shape)}`);
  }
  const scale = opts.scale ?? 3;
  const pad = opts.padding ?? 2;
  if (!Number.isInteger(scale) || scale < 1) throw new ValueError(`${op}: scale must be a positive integer, got ${scale}`);
  if (!Number.isInteger(pad) || pad < 0) throw new ValueError(`${op}: padding must be a non-negative integer, got ${pad}`);
  const W = (n * (w + pad) + pad) * scale;
  const H = (3 * (h + pad) + pad) * scale;
  const out = new Uint8Array(W * H * 3).fill(255);
  const x = images.toTypedArray();
  const rows = [masks.toTypedArray(), preds.toTypedArray()];
  const put = (row: number, i: number, py: number, px: number, rgb: readonly number[]) => {
    const y0 = (row * (h + pad) + pad + py) * scale;
    const x0 = (i * (w + pad) + pad + px) * scale;
    for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) out.set(rgb, ((y0 + dy) * W + x0 + dx) * 3);
  };
  const hw = h * w;
  for (let i = 0; i < n; i++) {
    const base = i * c * hw;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < c * hw; k++) {
      lo = Math.min(lo, x[base + k]);
      hi = Math.max(hi, x[base + k]);
    }
    const span = hi > lo ? hi - lo : 1;
    for (let p = 0; p < hw; p++) {
      const v = (ch: number) => Math.round((255 * (x[base + ch * hw + p] - lo)) / span);
      put(0, i, Math.floor(p / w), p % w, c === 1 ? [v(0), v(0), v(0)] : [v(0), v(1), v(2)]);
      for (let r = 0; r < 2; r++) put(r + 1, i, Math.floor(p / w), p % w, maskColor(Math.max(0, rows[r][i * hw + p])));
    }
  }
  return encode({ width: W, height: H, data: out, channels: 3, depth: 8 });
}
