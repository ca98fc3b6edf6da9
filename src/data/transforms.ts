/**
 * Image transforms on CHW float tensors, as torchvision.transforms: each builder returns a function
 * `(x) => x'`; `compose` chains them. Random ones draw from a Generator (default: the global one), so a
 * seeded run augments identically. Geometric warps sample the input by inverse mapping (bilinear or nearest).
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { resizeAntialiased } from '../ops/antialias.js';
import { interpolate } from '../ops/resample.js';
import { tensor } from '../tensor/creation.js';
import { Generator, defaultGenerator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { Dataset } from './dataset.js';

/** A transform: takes a CHW tensor and returns the transformed one. */
export type Transform = (x: Tensor) => Tensor;

/** Applies transforms left to right. */
export function compose(...transforms: Transform[]): Transform {
  transforms.forEach((t, i) => {
    if (typeof t !== 'function') throw new ValueError(`compose: transform ${i} is not a function`);
  });
  return (x) => transforms.reduce((y, t) => t(y), x);
}

/**
 * Pixels to a float32 CHW tensor in [0, 1]: from uint8 bytes laid out HW (grayscale) or HWC, with the given
 * height, width and channels, as torchvision's ToTensor.
 */
export function toTensor(pixels: ArrayLike<number>, height: number, width: number, channels = 1): Tensor {
  if (![height, width, channels].every((v) => Number.isInteger(v) && v > 0)) {
    throw new ValueError(`toTensor: height, width and channels must be positive integers, got ${height}, ${width}, ${channels}`);
  }
  if (pixels.length !== height * width * channels) {
    throw new ShapeError(`toTensor: ${pixels.length} values do not make a ${height}x${width} image with ${channels} channel(s)`);
  }
  const out = new Float32Array(pixels.length);
  const plane = height * width;
  for (let i = 0; i < plane; i++) for (let c = 0; c < channels; c++) out[c * plane + i] = pixels[i * channels + c] / 255;
  return tensor(out, { shape: [channels, height, width] });
}

/** Python's round(): nearest integer, ties to even (torchvision computes its crop offsets and sizes with it). */
function pyRound(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function checkImage(op: string, x: Tensor): [number, number, number] {
  if (!(x instanceof Tensor) || x.ndim !== 3) throw new ShapeError(`${op}: expected a CHW image tensor, got ${x instanceof Tensor ? `shape ${fmtShape(x.shape)}` : typeof x}`);
  return [x.shape[0], x.shape[1], x.shape[2]];
}

function rebuild(x: Tensor, data: Float32Array | Float64Array, shape: number[]): Tensor {
  return tensor(data, { shape, dtype: x.dtype === 'float64' ? 'float64' : 'float32' });
}

/** (x - mean[c]) / std[c] per channel. */
export function normalize(mean: readonly number[], std: readonly number[]): Transform {
  if (mean.length !== std.length || mean.length === 0) throw new ValueError(`normalize: mean and std need one value per channel, got ${mean.length} and ${std.length}`);
  if (std.some((s) => !(s > 0))) throw new ValueError(`normalize: std values must be positive, got ${JSON.stringify(std)}`);
  return (x) => {
    const [C, H, W] = checkImage('normalize', x);
    if (C !== mean.length) throw new ShapeError(`normalize: ${mean.length} means given for an image with ${C} channels`);
    const d = Float64Array.from(x.toTypedArray());
    const plane = H * W;
    for (let c = 0; c < C; c++) for (let i = 0; i < plane; i++) d[c * plane + i] = (d[c * plane + i] - mean[c]) / std[c];
    return rebuild(x, x.dtype === 'float64' ? d : Float32Array.from(d), [C, H, W]);
  };
}

/** Options every random transform takes. */
export interface RandomOptions {
  /** Generator to draw from (default: the global one). */
  generator?: Generator;
}

function flip(x: Tensor, horizontal: boolean): Tensor {
  const [C, H, W] = checkImage('flip', x);
  const d = x.toTypedArray();
  const o = new (d.constructor as Float64ArrayConstructor)(d.length);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      for (let z = 0; z < W; z++) {
        const src = horizontal ? (c * H + y) * W + (W - 1 - z) : (c * H + (H - 1 - y)) * W + z;
        o[(c * H + y) * W + z] = d[src];
      }
    }
  }
  return rebuild(x, o, [C, H, W]);
}

/** Mirrors left-right with probability p (default 0.5). */
export function randomHorizontalFlip(opts: RandomOptions & { p?: number } = {}): Transform {
  const p = checkProb('randomHorizontalFlip', opts.p ?? 0.5);
  return (x) => ((opts.generator ?? defaultGenerator).random() < p ? flip(x, true) : x);
}

/** Mirrors top-bottom with probability p (default 0.5). */
export function randomVerticalFlip(opts: RandomOptions & { p?: number } = {}): Transform {
  const p = checkProb('randomVerticalFlip', opts.p ?? 0.5);
  return (x) => ((opts.generator ?? defaultGenerator).random() < p ? flip(x, false) : x);
}

function checkProb(op: string, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new ValueError(`${op}: p must be in [0, 1], got ${p}`);
  return p;
}

/**
 * Warps a CHW image by the inverse affine map `[a, b, tx, c, d, ty]` taking each output pixel centre (x', y'),
 * measured from the image centre ((W - 1) / 2, (H - 1) / 2), to the input position (u, v) = (a x' + b y' + tx,
 * c x' + d y' + ty) from the same centre; samples bilinearly (default) or nearest (ties to even) as grid_sample
 * with align_corners false, the outside of the image counting as `fill`. torchvision instead blends a bilinear
 * result with a non-None fill through an interpolated mask, which darkens edge pixels twice; we interpolate
 * across the edge once (for fill 0 this equals torchvision with fill=None).
 */
export function warpAffine(x: Tensor, inverse: readonly [number, number, number, number, number, number], opts: { fill?: number; mode?: 'bilinear' | 'nearest' } = {}): Tensor {
  const [C, H, W] = checkImage('warpAffine', x);
  const [a, b, tx, c, d, ty] = inverse;
  const fill = opts.fill ?? 0;
  const src = x.toTypedArray();
  const out = new (src.constructor as Float64ArrayConstructor)(src.length);
  const cx = (W - 1) / 2;
  const cy = (H - 1) / 2;
  for (let y = 0; y < H; y++) {
    for (let z = 0; z < W; z++) {
      const px = z - cx;
      const py = y - cy;
      const u = a * px + b * py + tx + cx;
      const v = c * px + d * py + ty + cy;
      for (let ch = 0; ch < C; ch++) {
        const base = ch * H * W;
        let val: number;
        if (opts.mode === 'nearest') {
          // ties to even, as grid_sample's nearest mode (nearbyint)
          const iu = pyRound(u);
          const iv = pyRound(v);
          val = iu >= 0 && iu < W && iv >= 0 && iv < H ? src[base + iv * W + iu] : fill;
        } else {
          const u0 = Math.floor(u);
          const v0 = Math.floor(v);
          const fu = u - u0;
          const fv = v - v0;
          const at = (yy: number, xx: number) => (xx >= 0 && xx < W && yy >= 0 && yy < H ? src[base + yy * W + xx] : fill);
          val = (1 - fv) * ((1 - fu) * at(v0, u0) + fu * at(v0, u0 + 1)) + fv * ((1 - fu) * at(v0 + 1, u0) + fu * at(v0 + 1, u0 + 1));
        }
        out[base + y * W + z] = val;
      }
    }
  }
  return rebuild(x, out, [C, H, W]);
}

/** Options of randomAffine. */
export interface AffineOptions extends RandomOptions {
  /** How the input is sampled (default 'nearest', as torchvision). */
  interpolation?: 'nearest' | 'bilinear';
  /** Rotation range in degrees: d means [-d, d] (default 0). */
  degrees?: number | readonly [number, number];
  /** Maximum shift as fractions of width and height (default none). */
  translate?: readonly [number, number];
  /** Scale range [lo, hi] (default none). */
  scale?: readonly [number, number];
  /** Value outside the input (default 0). */
  fill?: number;
}

/**
 * Random rotation, translation and scaling about the image centre, drawn in torchvision's order (angle uniform in
 * the degrees range, then shifts round(U(-t, t) * size) pixels, then scale uniform in its range). Positive angles
 * turn the content counter-clockwise, as in randomRotation; torchvision's RandomAffine turns clockwise for
 * positive angles (a wart: its RandomRotation is counter-clockwise), which only matters for asymmetric ranges.
 */
export function randomAffine(opts: AffineOptions = {}): Transform {
  const deg = opts.degrees ?? 0;
  if (typeof deg === 'number' && !(deg >= 0)) throw new ValueError(`randomAffine: degrees must be >= 0 when a single number, got ${deg}`);
  const [d0, d1] = typeof deg === 'number' ? [-deg, deg] : deg;
  const mode = opts.interpolation ?? 'nearest';
  if (mode !== 'nearest' && mode !== 'bilinear') throw new ValueError(`randomAffine: interpolation must be 'nearest' or 'bilinear', got ${JSON.stringify(mode)}`);
  if (!(d0 <= d1)) throw new ValueError(`randomAffine: degrees range must be [lo, hi] with lo <= hi, got ${JSON.stringify(deg)}`);
  if (opts.translate && (opts.translate.length !== 2 || opts.translate.some((t) => !(t >= 0 && t <= 1)))) throw new ValueError(`randomAffine: translate fractions must be in [0, 1], got ${JSON.stringify(opts.translate)}`);
  if (opts.scale && !(opts.scale.length === 2 && opts.scale[0] > 0 && opts.scale[0] <= opts.scale[1])) throw new ValueError(`randomAffine: scale must be [lo, hi] with 0 < lo <= hi, got ${JSON.stringify(opts.scale)}`);
  return (x) => {
    const [, H, W] = checkImage('randomAffine', x);
    const g = opts.generator ?? defaultGenerator;
    const angle = ((d0 + (d1 - d0) * g.random()) * Math.PI) / 180;
    const tx = opts.translate ? pyRound((2 * g.random() - 1) * opts.translate[0] * W) : 0;
    const ty = opts.translate ? pyRound((2 * g.random() - 1) * opts.translate[1] * H) : 0;
    const s = opts.scale ? opts.scale[0] + (opts.scale[1] - opts.scale[0]) * g.random() : 1;
    // forward map: p' = s R p + t (image y axis points down, so a counter-clockwise turn uses -angle)
    const cos = Math.cos(-angle) / s;
    const sin = Math.sin(-angle) / s;
    // inverse: p = R^-1 (p' - t) / s
    return warpAffine(x, [cos, sin, -(cos * tx + sin * ty), -sin, cos, -(-sin * tx + cos * ty)], { fill: opts.fill, mode });
  };
}

/**
 * Random rotation by an angle in [-degrees, degrees] (or the given range) about the centre, counter-clockwise for
 * positive angles, as torchvision's RandomRotation (nearest sampling by default, `fill` outside the input).
 */
export function randomRotation(degrees: number | readonly [number, number], opts: RandomOptions & { fill?: number; interpolation?: 'nearest' | 'bilinear' } = {}): Transform {
  if (typeof degrees === 'number' && !(degrees >= 0)) throw new ValueError(`randomRotation: degrees must be >= 0 when a single number, got ${degrees}`);
  return randomAffine({ degrees, fill: opts.fill, generator: opts.generator, interpolation: opts.interpolation });
}

function cropTo(x: Tensor, top: number, left: number, h: number, w: number, fill = 0): Tensor {
  const [C, H, W] = checkImage('crop', x);
  const src = x.toTypedArray();
  const out = new (src.constructor as Float64ArrayConstructor)(C * h * w);
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < h; y++) {
      for (let z = 0; z < w; z++) {
        const sy = top + y;
        const sx = left + z;
        out[(c * h + y) * w + z] = sy >= 0 && sy < H && sx >= 0 && sx < W ? src[(c * H + sy) * W + sx] : fill;
      }
    }
  }
  return rebuild(x, out, [C, h, w]);
}

function sizePair(op: string, size: number | readonly [number, number]): [number, number] {
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  if (![h, w].every((v) => Number.isInteger(v) && v > 0)) throw new ValueError(`${op}: size must be positive integers, got ${JSON.stringify(size)}`);
  return [h, w];
}

/**
 * The central h x w region, at torchvision's offset int(round((H - h) / 2)) (Python rounds ties to even); a side
 * longer than the image is zero-padded first, (d // 2) before and the rest after, as torchvision's CenterCrop.
 */
export function centerCrop(size: number | readonly [number, number]): Transform {
  const [h, w] = sizePair('centerCrop', size);
  const offset = (have: number, want: number) => (want > have ? -Math.floor((want - have) / 2) : pyRound((have - want) / 2));
  return (x) => {
    const [, H, W] = checkImage('centerCrop', x);
    return cropTo(x, offset(H, h), offset(W, w), h, w);
  };
}

/** A random h x w region, after padding every side by `padding` with `fill` (as torchvision's RandomCrop). */
export function randomCrop(size: number | readonly [number, number], opts: RandomOptions & { padding?: number; fill?: number } = {}): Transform {
  const [h, w] = sizePair('randomCrop', size);
  const pad = opts.padding ?? 0;
  if (!Number.isInteger(pad) || pad < 0) throw new ValueError(`randomCrop: padding must be a non-negative integer, got ${pad}`);
  return (x) => {
    const [, H, W] = checkImage('randomCrop', x);
    if (H + 2 * pad < h || W + 2 * pad < w) throw new ShapeError(`randomCrop: crop ${h}x${w} is larger than the padded image ${H + 2 * pad}x${W + 2 * pad}`);
    const g = opts.generator ?? defaultGenerator;
    const top = g.randint(0, H + 2 * pad - h + 1) - pad;
    const left = g.randint(0, W + 2 * pad - w + 1) - pad;
    return cropTo(x, top, left, h, w, opts.fill ?? 0);
  };
}

/**
 * A random crop covering a random fraction (`scale`, default [0.08, 1]) of the area with a random aspect ratio
 * (`ratio`, default [3/4, 4/3]), resized bilinearly (antialiased unless `antialias` is false) to `size`
 * (torchvision's RandomResizedCrop).
 */
export function randomResizedCrop(
  size: number | readonly [number, number],
  opts: RandomOptions & { scale?: readonly [number, number]; ratio?: readonly [number, number]; antialias?: boolean } = {},
): Transform {
  const [oh, ow] = sizePair('randomResizedCrop', size);
  const [s0, s1] = opts.scale ?? [0.08, 1];
  const [r0, r1] = opts.ratio ?? [3 / 4, 4 / 3];
  if (!(s0 > 0 && s0 <= s1 && s1 <= 1)) throw new ValueError(`randomResizedCrop: scale must be [lo, hi] within (0, 1], got ${JSON.stringify(opts.scale)}`);
  if (!(r0 > 0 && r0 <= r1)) throw new ValueError(`randomResizedCrop: ratio must be [lo, hi] with 0 < lo <= hi, got ${JSON.stringify(opts.ratio)}`);
  return (x) => {
    const [, H, W] = checkImage('randomResizedCrop', x);
    const g = opts.generator ?? defaultGenerator;
    let top = 0;
    let left = 0;
    let h = H;
    let w = W;
    let found = false;
    for (let attempt = 0; attempt < 10 && !found; attempt++) {
      const area = H * W * (s0 + (s1 - s0) * g.random());
      const logR = Math.log(r0) + (Math.log(r1) - Math.log(r0)) * g.random();
      const ar = Math.exp(logR);
      const cw = pyRound(Math.sqrt(area * ar));
      const ch = pyRound(Math.sqrt(area / ar));
      if (cw > 0 && ch > 0 && cw <= W && ch <= H) {
        top = g.randint(0, H - ch + 1);
        left = g.randint(0, W - cw + 1);
        h = ch;
        w = cw;
        found = true;
      }
    }
    if (!found) {
      // fall back to a central crop with the ratio clamped, as torchvision does
      const ar = W / H;
      if (ar < r0) { w = W; h = pyRound(W / r0); } else if (ar > r1) { h = H; w = pyRound(H * r1); } else { h = H; w = W; }
      top = Math.floor((H - h) / 2);
      left = Math.floor((W - w) / 2);
    }
    return resizeImage(cropTo(x, top, left, h, w), oh, ow, opts.antialias ?? true);
  };
}

function resizeImage(x: Tensor, oh: number, ow: number, antialias: boolean): Tensor {
  if (antialias) return resizeAntialiased(x, [oh, ow], 'bilinear');
  return interpolate(x.reshape([1, ...x.shape]), { size: [oh, ow], mode: 'bilinear', alignCorners: false }).reshape([x.shape[0], oh, ow]);
}

/**
 * Resizes a [C, H, W] image to `size` bilinearly, with antialiasing unless `antialias` is false (torchvision's
 * Resize with antialias=True: shrinking averages the pixels under each output pixel instead of sampling a few).
 */
export function resize(size: number | readonly [number, number], opts: { antialias?: boolean } = {}): Transform {
  const [oh, ow] = sizePair('resize', size);
  return (x) => {
    checkImage('resize', x);
    return resizeImage(x, oh, ow, opts.antialias ?? true);
  };
}

/** Adds N(mean, std^2) noise to every pixel. */
export function gaussianNoise(opts: RandomOptions & { std?: number; mean?: number } = {}): Transform {
  const std = opts.std ?? 0.1;
  const mean = opts.mean ?? 0;
  if (!(std >= 0 && std < Infinity)) throw new ValueError(`gaussianNoise: std must be finite and >= 0, got ${std}`);
  if (!Number.isFinite(mean)) throw new ValueError(`gaussianNoise: mean must be finite, got ${mean}`);
  return (x) => {
    const [C, H, W] = checkImage('gaussianNoise', x);
    const g = opts.generator ?? defaultGenerator;
    const d = Float64Array.from(x.toTypedArray());
    for (let i = 0; i < d.length; i++) d[i] += mean + std * g.normal();
    return rebuild(x, x.dtype === 'float64' ? d : Float32Array.from(d), [C, H, W]);
  };
}

/**
 * With probability p, erases a random rectangle (area fraction in `scale`, aspect ratio in `ratio`) by setting
 * it to `value` (torchvision's RandomErasing; defaults p 0.5, scale [0.02, 0.33], ratio [0.3, 3.3], value 0).
 */
export function randomErasing(opts: RandomOptions & { p?: number; scale?: readonly [number, number]; ratio?: readonly [number, number]; value?: number } = {}): Transform {
  const p = checkProb('randomErasing', opts.p ?? 0.5);
  const [s0, s1] = opts.scale ?? [0.02, 0.33];
  const [r0, r1] = opts.ratio ?? [0.3, 3.3];
  if (!(s0 >= 0 && s0 <= s1 && s1 <= 1)) throw new ValueError(`randomErasing: scale must be [lo, hi] within [0, 1], got ${JSON.stringify(opts.scale)}`);
  if (!(r0 > 0 && r0 <= r1 && r1 < Infinity)) throw new ValueError(`randomErasing: ratio must be [lo, hi] with 0 < lo <= hi, got ${JSON.stringify(opts.ratio)}`);
  if (opts.value !== undefined && typeof opts.value !== 'number') throw new ValueError(`randomErasing: value must be a number, got ${typeof opts.value}`);
  return (x) => {
    const [C, H, W] = checkImage('randomErasing', x);
    const g = opts.generator ?? defaultGenerator;
    if (g.random() >= p) return x;
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = H * W * (s0 + (s1 - s0) * g.random());
      const ar = Math.exp(Math.log(r0) + (Math.log(r1) - Math.log(r0)) * g.random());
      const h = pyRound(Math.sqrt(area * ar));
      const w = pyRound(Math.sqrt(area / ar));
      if (h < 1 || w < 1 || h >= H || w >= W) continue;
      const top = g.randint(0, H - h + 1);
      const left = g.randint(0, W - w + 1);
      const d = x.toTypedArray().slice();
      for (let c = 0; c < C; c++) for (let y = top; y < top + h; y++) d.fill(opts.value ?? 0, (c * H + y) * W + left, (c * H + y) * W + left + w);
      return rebuild(x, d as Float32Array | Float64Array, [C, H, W]);
    }
    return x;
  };
}

/**
 * Per-channel mean and (population, divisor N) standard deviation over every pixel of every image in `dataset`
 * (items are CHW tensors, or arrays whose first element is one), for use with `normalize`.
 */
export function computeMeanStd(dataset: Dataset<Tensor | readonly unknown[]>): { mean: number[]; std: number[] } {
  let sums: Float64Array | null = null;
  let sq: Float64Array | null = null;
  let count = 0;
  for (let i = 0; i < dataset.length; i++) {
    const item = dataset.get(i);
    const img = item instanceof Tensor ? item : (item as readonly unknown[])[0];
    if (!(img instanceof Tensor)) throw new ValueError(`computeMeanStd: item ${i} is not an image tensor (or an array starting with one)`);
    const [C, H, W] = checkImage('computeMeanStd', img);
    if (!sums) {
      sums = new Float64Array(C);
      sq = new Float64Array(C);
    } else if (sums.length !== C) {
      throw new ShapeError(`computeMeanStd: item ${i} has ${C} channels, earlier items ${sums.length}`);
    }
    const d = img.toTypedArray();
    const plane = H * W;
    for (let c = 0; c < C; c++) {
      let s = 0;
      let q = 0;
      for (let k = c * plane; k < (c + 1) * plane; k++) {
        s += d[k];
        q += d[k] * d[k];
      }
      sums[c] += s;
      sq![c] += q;
    }
    count += plane;
  }
  if (!sums || count === 0) throw new ValueError('computeMeanStd: the dataset is empty');
  const mean = Array.from(sums, (s) => s / count);
  const std = Array.from(sq!, (q, c) => Math.sqrt(Math.max(q / count - mean[c] * mean[c], 0)));
  return { mean, std };
}

export { adjustBrightness, adjustContrast, adjustSaturation, adjustHue, rgbToGrayscale, grayscale, randomGrayscale, colorJitter, LUMA_WEIGHTS, type ColorJitterOptions, type JitterRange } from './color.js';
export { pad, type PadOptions, type ImagePadMode } from './pad.js';
