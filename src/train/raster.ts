/**
 * Synchronous PNG pictures for tasks (`Task.pictures` returns bytes, and the train level sits below viz, whose
 * charts render asynchronously through Vega): a grid of images and a line chart with axes, tick values and a
 * legend drawn with a built-in 5x7 pixel font. PNG encoding is fast-png's; browser-safe.
 * @module
 */
import { encode } from 'fast-png';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of `imageGridRaster`. */
export interface RasterGridOptions {
  /** Images per row (default 8). */
  nrow?: number;
  /** The values that map to black and white (default [0, 1]; [-1, 1] for tanh generators). Values outside are clamped. */
  valueRange?: readonly [number, number];
  /** Integer enlargement (default 2). */
  scale?: number;
}

/** Images [N, 1 | 3, H, W] as one grid PNG, `nrow` per row with 2-pixel black gaps, enlarged `scale` times. */
export function imageGridRaster(images: Tensor, opts: RasterGridOptions = {}): Uint8Array {
  const op = 'imageGridRaster';
  if (!(images instanceof Tensor) || images.ndim !== 4 || (images.shape[1] !== 1 && images.shape[1] !== 3) || images.shape[0] < 1) {
    throw new ShapeError(`${op}: images must be [N, 1 or 3, H, W] with N >= 1, got ${images instanceof Tensor ? fmtShape(images.shape) : typeof images}`);
  }
  const [n, c, h, w] = images.shape;
  const nrow = opts.nrow ?? 8;
  const scale = opts.scale ?? 2;
  const [lo, hi] = opts.valueRange ?? [0, 1];
  if (!Number.isInteger(nrow) || nrow < 1) throw new ValueError(`${op}: nrow must be a positive integer, got ${nrow}`);
  if (!Number.isInteger(scale) || scale < 1) throw new ValueError(`${op}: scale must be a positive integer, got ${scale}`);
  if (!(hi > lo)) throw new ValueError(`${op}: valueRange must be [low, high] with low < high, got [${lo}, ${hi}]`);
  const vals = images.contiguous().toTypedArray();
  const cols = Math.min(nrow, n);
  const rows = Math.ceil(n / cols);
  const pad = 2;
  const W = (cols * (w + pad) + pad) * scale;
  const H = (rows * (h + pad) + pad) * scale;
  const out = new Uint8Array(W * H * c);
  for (let i = 0; i < n; i++) {
    const x0 = ((i % cols) * (w + pad) + pad) * scale;
    const y0 = (Math.floor(i / cols) * (h + pad) + pad) * scale;
    for (let y = 0; y < h * scale; y++) {
      for (let x = 0; x < w * scale; x++) {
        for (let ch = 0; ch < c; ch++) {
          const t = (Number(vals[((i * c + ch) * h + Math.floor(y / scale)) * w + Math.floor(x / scale)]) - lo) / (hi - lo);
          out[((y0 + y) * W + x0 + x) * c + ch] = Math.round(255 * (t < 0 ? 0 : t > 1 ? 1 : t));
        }
      }
    }
  }
  return encode({ width: W, height: H, data: out, channels: c, depth: 8 });
}

/** The built-in 5x7 pixel font (digits, lower-case letters, a few signs): one 5-bit row each, bit 4 = leftmost column. */
export const FONT: Record<string, readonly number[]> = {
  '0': [14, 17, 19, 21, 25, 17, 14], '1': [4, 12, 4, 4, 4, 4, 14], '2': [14, 17, 1, 2, 4, 8, 31], '3': [31, 2, 4, 2, 1, 17, 14],
  '4': [2, 6, 10, 18, 31, 2, 2], '5': [31, 16, 30, 1, 1, 17, 14], '6': [6, 8, 16, 30, 17, 17, 14], '7': [31, 1, 2, 4, 8, 8, 8],
  '8': [14, 17, 17, 14, 17, 17, 14], '9': [14, 17, 17, 15, 1, 2, 12], '.': [0, 0, 0, 0, 0, 12, 12], '-': [0, 0, 0, 31, 0, 0, 0],
  '_': [0, 0, 0, 0, 0, 0, 31], ' ': [0, 0, 0, 0, 0, 0, 0], '(': [2, 4, 8, 8, 8, 4, 2], ')': [8, 4, 2, 2, 2, 4, 8],
  a: [0, 0, 14, 1, 15, 17, 15], b: [16, 16, 22, 25, 17, 17, 30], c: [0, 0, 14, 16, 16, 17, 14], d: [1, 1, 13, 19, 17, 17, 15],
  e: [0, 0, 14, 17, 31, 16, 14], f: [6, 9, 8, 28, 8, 8, 8], g: [0, 15, 17, 17, 15, 1, 14], h: [16, 16, 22, 25, 17, 17, 17],
  i: [4, 0, 12, 4, 4, 4, 14], j: [2, 0, 6, 2, 2, 18, 12], k: [16, 16, 18, 20, 24, 20, 18], l: [12, 4, 4, 4, 4, 4, 14],
  m: [0, 0, 26, 21, 21, 17, 17], n: [0, 0, 22, 25, 17, 17, 17], o: [0, 0, 14, 17, 17, 17, 14], p: [0, 0, 30, 17, 30, 16, 16],
  q: [0, 0, 13, 19, 15, 1, 1], r: [0, 0, 22, 25, 16, 16, 16], s: [0, 0, 14, 16, 14, 1, 30], t: [8, 8, 28, 8, 8, 9, 6],
  u: [0, 0, 17, 17, 17, 19, 13], v: [0, 0, 17, 17, 17, 10, 4], w: [0, 0, 17, 17, 21, 21, 10], x: [0, 0, 17, 10, 4, 10, 17],
  y: [0, 0, 17, 17, 15, 1, 14], z: [0, 0, 31, 2, 4, 8, 31],
};

/** One line of a raster chart. */
export interface RasterSeries {
  /** Legend label (letters, digits, `_ - . ( )`; other characters are drawn as blanks). */
  name: string;
  /** y values at x = 1, 2, ... (non-finite values break the line). */
  values: readonly number[];
}

/** Options of `lineChartRaster`. */
export interface RasterChartOptions {
  /** Width and height in pixels (default 480 x 300). */
  width?: number;
  /** Height in pixels. */
  height?: number;
  /** Label under the x axis (default 'epoch'). */
  xLabel?: string;
}

const COLORS: readonly (readonly [number, number, number])[] = [[31, 119, 180], [214, 39, 40], [44, 160, 44], [148, 103, 189], [255, 127, 14]];

/** Short tick text: up to 3 significant digits, no exponent for the usual loss ranges. */
function tickText(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2).replace(/\.?0+$/, '') : v.toFixed(3).replace(/\.?0+$/, '');
}

/**
 * A line chart PNG of `series` against x = 1, 2, ... (epochs): white background, axes with 5 y ticks and their
 * values, integer x ticks, one colour per series and a legend in the top right corner.
 */
export function lineChartRaster(lines: readonly RasterSeries[], opts: RasterChartOptions = {}): Uint8Array {
  const op = 'lineChartRaster';
  const series: readonly RasterSeries[] = lines;
  if (!Array.isArray(lines) || series.length === 0) throw new ValueError(`${op}: series must be a non-empty array of {name, values}`);
  const W = opts.width ?? 480;
  const H = opts.height ?? 300;
  if (!Number.isInteger(W) || !Number.isInteger(H) || W < 120 || H < 80) throw new ValueError(`${op}: width and height must be integers of at least 120 x 80, got ${W} x ${H}`);
  const px = new Uint8Array(W * H * 3).fill(255);
  const put = (x: number, y: number, rgb: readonly number[]) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const i = (Math.round(y) * W + Math.round(x)) * 3;
    px[i] = rgb[0]; px[i + 1] = rgb[1]; px[i + 2] = rgb[2];
  };
  const text = (s: string, x: number, y: number, rgb: readonly number[] = [40, 40, 40]) => {
    [...s.toLowerCase()].forEach((ch, k) => {
      const g = FONT[ch] ?? FONT[' '];
      for (let r = 0; r < 7; r++) for (let b = 0; b < 5; b++) if (g[r] & (16 >> b)) put(x + k * 6 + b, y + r, rgb);
    });
  };
  const line = (x0: number, y0: number, x1: number, y1: number, rgb: readonly number[], thick = false) => {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let t = 0; t <= steps; t++) {
      const x = x0 + ((x1 - x0) * t) / steps;
      const y = y0 + ((y1 - y0) * t) / steps;
      put(x, y, rgb);
      if (thick) { put(x, y + 1, rgb); put(x + 1, y, rgb); }
    }
  };
  const all = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const n = Math.max(1, ...series.map((s) => s.values.length));
  let lo = all.length ? Math.min(...all) : 0;
  let hi = all.length ? Math.max(...all) : 1;
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  const L = 52; const R = W - 12; const T = 12; const B = H - 30;
  const sx = (i: number) => (n === 1 ? (L + R) / 2 : L + ((R - L) * (i - 1)) / (n - 1));
  const sy = (v: number) => B - ((B - T) * (v - lo)) / (hi - lo);
  const grey = [200, 200, 200];
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    line(L, sy(v), R, sy(v), k === 0 ? [60, 60, 60] : grey);
    const t = tickText(v);
    text(t, L - 4 - t.length * 6, sy(v) - 3);
  }
  line(L, T, L, B, [60, 60, 60]);
  const every = Math.max(1, Math.ceil(n / 10));
  for (let i = 1; i <= n; i += every) { line(sx(i), B, sx(i), B + 3, [60, 60, 60]); text(String(i), sx(i) - String(i).length * 3, B + 6); }
  const xl = opts.xLabel ?? 'epoch';
  text(xl, (L + R) / 2 - xl.length * 3, H - 10);
  series.forEach((s, k) => {
    const rgb = COLORS[k % COLORS.length];
    for (let i = 1; i < s.values.length; i++) {
      const [a, b] = [s.values[i - 1], s.values[i]];
      if (Number.isFinite(a) && Number.isFinite(b)) line(sx(i), sy(a), sx(i + 1), sy(b), rgb, true);
    }
    s.values.forEach((v, i) => { if (Number.isFinite(v)) for (let d = -2; d <= 2; d++) { put(sx(i + 1) + d, sy(v), rgb); put(sx(i + 1), sy(v) + d, rgb); } });
    const y = T + 4 + k * 11;
    const x = R - 8 - Math.max(...series.map((q) => q.name.length)) * 6 - 18;
    line(x, y + 3, x + 12, y + 3, rgb, true);
    text(s.name, x + 16, y, rgb);
  });
  return encode({ width: W, height: H, data: px, channels: 3, depth: 8 });
}
