/**
 * Felzenszwalb & Huttenlocher's graph-based segmentation (IJCV 2004) as `skimage.segmentation.felzenszwalb` 0.19
 * computes it: Gaussian smoothing of each channel (scipy's `gaussian_filter`, 'reflect' borders, truncate 4),
 * an 8-connected grid graph whose edge weight is the Euclidean distance of the smoothed pixels over all channels,
 * Kruskal-order merging with threshold `Int(C) + (scale / 255) / |C|` (held in float32, as skimage's Cython does),
 * then merging of components smaller than `minSize`. Labels are numbered as skimage's: by the smallest pixel index
 * of each segment, so on the same image the label maps are equal, not merely equal up to renumbering.
 * @module
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { numpyArgsort } from './numpy-argsort.js';

/** Options of felzenszwalb(): skimage's `scale`, `sigma` and `min_size`. */
export interface FelzenszwalbOptions {
  /** Observation level: higher gives fewer, larger segments (skimage's `scale`, default 1). */
  scale?: number;
  /** Standard deviation of the Gaussian pre-smoothing, in pixels; 0 skips it (default 0.8). */
  sigma?: number;
  /** Segments smaller than this many pixels are merged into a neighbour afterwards (default 20). */
  minSize?: number;
}

/** A label map: `labels[y * width + x]` in 0..numSegments-1. */
export interface Segmentation {
  /** One label per pixel, row-major [H, W]. */
  labels: Int32Array;
  /** Number of distinct labels. */
  numSegments: number;
  /** Image height. */
  height: number;
  /** Image width. */
  width: number;
}

/** numpy's pairwise summation for up to 128 numbers (8 running sums), so the kernel's normaliser matches bit for bit. */
function numpySum(a: Float64Array): number {
  const n = a.length;
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i];
    return s;
  }
  const r = Array.from(a.subarray(0, 8));
  let i = 8;
  for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] += a[i + k];
  let res = (r[0] + r[1] + (r[2] + r[3])) + (r[4] + r[5] + (r[6] + r[7]));
  for (; i < n; i++) res += a[i];
  return res;
}

/** scipy's `_gaussian_kernel1d(sigma, 0, radius)`: the normalised weights of offsets -radius..radius. */
function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.trunc(4 * sigma + 0.5);
  const w = new Float64Array(2 * radius + 1);
  const c = -0.5 / (sigma * sigma);
  for (let x = -radius; x <= radius; x++) w[x + radius] = Math.exp(c * (x * x));
  if (w.length > 128) {
    // beyond one pairwise block numpy recurses; sigma > 31 px is far outside this segmentation's use
    let s = 0;
    for (const v of w) s += v;
    return w.map((v) => v / s);
  }
  const s = numpySum(w);
  return w.map((v) => v / s);
}

/** scipy's 'reflect' border (d c b a | a b c d | d c b a), periodic for lines shorter than the kernel. */
function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  let m = i % period;
  if (m < 0) m += period;
  return m >= n ? period - 1 - m : m;
}

/** One symmetric correlate1d pass along lines of `n` samples spaced `step` apart, as scipy sums it. */
function smoothLines(src: Float64Array, dst: Float64Array, w: Float64Array, lines: number, lineStart: (l: number) => number, n: number, step: number): void {
  const r = (w.length - 1) / 2;
  const buf = new Float64Array(n + 2 * r);
  for (let l = 0; l < lines; l++) {
    const base = lineStart(l);
    for (let i = -r; i < n + r; i++) buf[i + r] = src[base + reflectIndex(i, n) * step];
    for (let i = 0; i < n; i++) {
      const c = i + r;
      let acc = buf[c] * w[r];
      for (let j = -r; j < 0; j++) acc += (buf[c + j] + buf[c - j]) * w[r + j];
      dst[base + i * step] = acc;
    }
  }
}

/** Smooths each channel of a planar [C, H, W] float64 image along H then W, as skimage's `gaussian(..., sigma=[s, s, 0])`. */
export function gaussianSmoothPlanar(img: Float64Array, c: number, h: number, w: number, sigma: number): Float64Array {
  if (!(sigma > 1e-15)) return Float64Array.from(img);
  const k = gaussianKernel(sigma);
  const tmp = new Float64Array(img.length);
  const out = new Float64Array(img.length);
  const plane = h * w;
  smoothLines(img, tmp, k, c * w, (l) => Math.floor(l / w) * plane + (l % w), h, w);
  smoothLines(tmp, out, k, c * h, (l) => Math.floor(l / h) * plane + (l % h) * w, w, 1);
  return out;
}

function checkOptions(op: string, opts: FelzenszwalbOptions): Required<FelzenszwalbOptions> {
  const scale = opts.scale ?? 1;
  const sigma = opts.sigma ?? 0.8;
  const minSize = opts.minSize ?? 20;
  if (!Number.isFinite(scale) || scale <= 0) throw new ValueError(`${op}: scale must be a positive number, got ${scale}`);
  if (!Number.isFinite(sigma) || sigma < 0) throw new ValueError(`${op}: sigma must be a number >= 0, got ${sigma}`);
  if (!Number.isInteger(minSize) || minSize < 0) throw new ValueError(`${op}: minSize must be an integer >= 0, got ${minSize}`);
  return { scale, sigma, minSize };
}

/**
 * Segments a planar float64 image `img` ([C, H, W] row-major, values as skimage's float images, e.g. in [0, 1]).
 * The array-level core of felzenszwalb(), used by selective search.
 */
export function felzenszwalbPlanar(img: Float64Array, c: number, h: number, w: number, opts: FelzenszwalbOptions = {}): Segmentation {
  const { scale: scaleIn, sigma, minSize } = checkOptions('felzenszwalb', opts);
  if (img.length !== c * h * w) throw new ShapeError(`felzenszwalb: img has ${img.length} values, expected C*H*W = ${c * h * w}`);
  const n = h * w;
  if (n === 0) return { labels: new Int32Array(0), numSegments: 0, height: h, width: w };
  const scale = scaleIn / 255;
  const s = gaussianSmoothPlanar(img, c, h, w, sigma);
  const ne = h * (w - 1) + (h - 1) * w + 2 * Math.max(0, h - 1) * Math.max(0, w - 1);
  const ea = new Int32Array(ne);
  const eb = new Int32Array(ne);
  const cost = new Float64Array(ne);
  let e = 0;
  const add = (a: number, b: number): void => {
    let sum = 0;
    for (let ch = 0; ch < c; ch++) {
      const d = s[ch * n + a] - s[ch * n + b];
      sum += d * d;
    }
    ea[e] = a;
    eb[e] = b;
    cost[e++] = Math.sqrt(sum);
  };
  // edge order (right, down, down-right, up-right; each row-major) is skimage's, so ties sort the same way
  for (let y = 0; y < h; y++) for (let x = 0; x + 1 < w; x++) add(y * w + x + 1, y * w + x);
  for (let y = 0; y + 1 < h; y++) for (let x = 0; x < w; x++) add((y + 1) * w + x, y * w + x);
  for (let y = 0; y + 1 < h; y++) for (let x = 0; x + 1 < w; x++) add((y + 1) * w + x + 1, y * w + x);
  for (let y = 0; y + 1 < h; y++) for (let x = 0; x + 1 < w; x++) add(y * w + x + 1, (y + 1) * w + x);
  const order = numpyArgsort(cost);

  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r];
    while (parent[i] !== r) {
      const next = parent[i];
      parent[i] = r;
      i = next;
    }
    return r;
  };
  const size = new Float64Array(n).fill(1);
  const cint = new Float64Array(n);
  for (let k = 0; k < ne; k++) {
    const ed = order[k];
    const s0 = find(ea[ed]);
    const s1 = find(eb[ed]);
    if (s0 === s1) continue;
    const in0 = Math.fround(cint[s0] + scale / size[s0]);
    const in1 = Math.fround(cint[s1] + scale / size[s1]);
    if (cost[ed] < Math.min(in0, in1)) {
      const root = Math.min(s0, s1);
      parent[s0] = root;
      parent[s1] = root;
      size[root] = size[s0] + size[s1];
      cint[root] = cost[ed];
    }
  }
  for (let k = 0; k < ne; k++) {
    const ed = order[k];
    const s0 = find(ea[ed]);
    const s1 = find(eb[ed]);
    if (s0 === s1) continue;
    if (size[s0] < minSize || size[s1] < minSize) {
      const root = Math.min(s0, s1);
      parent[s0] = root;
      parent[s1] = root;
      size[root] = size[s0] + size[s1];
    }
  }
  // roots are the smallest index of their segment; numbering them in pixel order is np.unique's numbering
  const labels = new Int32Array(n);
  const id = new Int32Array(n).fill(-1);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (id[r] < 0) id[r] = next++;
    labels[i] = id[r];
  }
  return { labels, numSegments: next, height: h, width: w };
}

/**
 * Felzenszwalb-Huttenlocher segmentation of `image` ([H, W] grey or [C, H, W], float32/float64, values in the
 * range skimage uses for float images, normally [0, 1]); returns the label map [H, W] as int32, equal to
 * `skimage.segmentation.felzenszwalb(img_hwc, scale, sigma, min_size)` (skimage 0.19).
 */
export function felzenszwalb(image: Tensor, opts: FelzenszwalbOptions = {}): Tensor {
  if (!(image instanceof Tensor)) throw new ValueError(`felzenszwalb: image must be a Tensor [H, W] or [C, H, W], got ${typeof image}`);
  if (image.ndim !== 2 && image.ndim !== 3) throw new ShapeError(`felzenszwalb: image must be [H, W] or [C, H, W], got shape ${fmtShape(image.shape)}`);
  if (image.dtype !== 'float32' && image.dtype !== 'float64') throw new DTypeError(`felzenszwalb: image must be float32 or float64, got dtype ${image.dtype}`);
  const [c, h, w] = image.ndim === 2 ? [1, image.shape[0], image.shape[1]] : image.shape;
  const data = Float64Array.from(image.toTypedArray());
  for (const v of data) if (!Number.isFinite(v)) throw new ValueError(`felzenszwalb: image must be finite, got ${v}`);
  const seg = felzenszwalbPlanar(data, c, h, w, opts);
  return tensor(seg.labels, { dtype: 'int32', shape: [h, w] });
}
