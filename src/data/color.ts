/**
 * Colour transforms on float images in [0, 1] shaped [..., C, H, W], as torchvision.transforms.functional's
 * tensor backend (0.14): adjustBrightness/Contrast/Saturation/Hue, rgbToGrayscale (ITU-R 601-2 luma), and the
 * random ColorJitter and RandomGrayscale drawing from a seeded Generator. Arithmetic is done in float64 and the
 * result keeps the input's dtype (float32 or float64).
 * @module
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { defaultGenerator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { randomPermutation } from './sampler.js';
import type { RandomOptions, Transform } from './transforms.js';

/** ITU-R 601-2 luma weights of R, G and B, as torchvision's tensor rgb_to_grayscale. */
export const LUMA_WEIGHTS: readonly [number, number, number] = [0.2989, 0.587, 0.114];

interface Planes {
  /** The pixels, as float64. */
  d: Float64Array;
  /** Images in the batch (product of the leading dims). */
  n: number;
  /** Channels. */
  c: number;
  /** H * W. */
  plane: number;
}

function planes(op: string, x: Tensor, channels: readonly number[] = [1, 3]): Planes {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: expected an image tensor [..., C, H, W], got ${typeof x}`);
  if (x.ndim < 3) throw new ShapeError(`${op}: expected an image tensor [..., C, H, W], got shape ${fmtShape(x.shape)}`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new DTypeError(`${op}: expected a float32 or float64 image in [0, 1], got dtype ${x.dtype}`);
  const c = x.shape[x.ndim - 3];
  if (!channels.includes(c)) throw new ShapeError(`${op}: expected an image with ${channels.join(' or ')} channels, got ${c} (shape ${fmtShape(x.shape)})`);
  const plane = x.shape[x.ndim - 2] * x.shape[x.ndim - 1];
  const d = Float64Array.from(x.toTypedArray());
  return { d, n: plane * c === 0 ? 0 : d.length / (plane * c), c, plane };
}

function out(x: Tensor, d: Float64Array, shape: readonly number[] = x.shape): Tensor {
  return tensor(x.dtype === 'float64' ? d : Float32Array.from(d), { shape: [...shape], dtype: x.dtype === 'float64' ? 'float64' : 'float32' });
}

function checkFactor(op: string, name: string, f: number): number {
  if (typeof f !== 'number' || !(f >= 0) || f === Infinity) throw new ValueError(`${op}: ${name} must be a finite non-negative number, got ${String(f)}`);
  return f;
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** The luma of pixel k of image i (channels R, G, B at i*3*plane + k, + plane, + 2 plane). */
function luma(d: Float64Array, base: number, k: number, plane: number): number {
  return LUMA_WEIGHTS[0] * d[base + k] + LUMA_WEIGHTS[1] * d[base + plane + k] + LUMA_WEIGHTS[2] * d[base + 2 * plane + k];
}

/**
 * Grayscale of an RGB image [..., 3, H, W] as L = 0.2989 R + 0.587 G + 0.114 B (ITU-R 601-2 luma, torchvision's
 * weights), shaped [..., 1, H, W], or [..., 3, H, W] with L repeated when `numOutputChannels` is 3. A 1-channel
 * image is returned as it is (repeated to 3 channels if asked).
 */
export function rgbToGrayscale(x: Tensor, numOutputChannels: 1 | 3 = 1): Tensor {
  if (numOutputChannels !== 1 && numOutputChannels !== 3) throw new ValueError(`rgbToGrayscale: numOutputChannels must be 1 or 3, got ${String(numOutputChannels)}`);
  const { d, n, c, plane } = planes('rgbToGrayscale', x);
  const o = new Float64Array(n * numOutputChannels * plane);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < plane; k++) {
      const l = c === 3 ? luma(d, i * 3 * plane, k, plane) : d[i * plane + k];
      for (let j = 0; j < numOutputChannels; j++) o[(i * numOutputChannels + j) * plane + k] = l;
    }
  }
  const shape = [...x.shape];
  shape[shape.length - 3] = numOutputChannels;
  return out(x, o, shape);
}

/** Brightness: clamp(f * x, 0, 1) (f = 0 gives black, 1 the image). Shape [..., C, H, W], C 1 or 3. */
export function adjustBrightness(x: Tensor, brightnessFactor: number): Tensor {
  const f = checkFactor('adjustBrightness', 'brightnessFactor', brightnessFactor);
  const { d } = planes('adjustBrightness', x);
  for (let k = 0; k < d.length; k++) d[k] = clamp01(f * d[k]);
  return out(x, d);
}

/**
 * Contrast: clamp(f * x + (1 - f) * m, 0, 1), m the mean grayscale value of each image (f = 0 gives a uniform
 * gray image, 1 the image). Shape [..., C, H, W], C 1 or 3.
 */
export function adjustContrast(x: Tensor, contrastFactor: number): Tensor {
  const f = checkFactor('adjustContrast', 'contrastFactor', contrastFactor);
  const { d, n, c, plane } = planes('adjustContrast', x);
  const per = c * plane;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < plane; k++) sum += c === 3 ? luma(d, i * per, k, plane) : d[i * per + k];
    const m = (1 - f) * (sum / plane);
    for (let k = i * per; k < (i + 1) * per; k++) d[k] = clamp01(f * d[k] + m);
  }
  return out(x, d);
}

/**
 * Saturation: clamp(f * x + (1 - f) * gray(x), 0, 1) per pixel (f = 0 gives the grayscale image, 1 the image,
 * 2 twice the colourfulness). Shape [..., C, H, W]; a 1-channel image is returned unchanged, as torchvision.
 */
export function adjustSaturation(x: Tensor, saturationFactor: number): Tensor {
  const f = checkFactor('adjustSaturation', 'saturationFactor', saturationFactor);
  const { d, n, c, plane } = planes('adjustSaturation', x);
  if (c === 1) return x;
  for (let i = 0; i < n; i++) {
    const base = i * 3 * plane;
    for (let k = 0; k < plane; k++) {
      const g = (1 - f) * luma(d, base, k, plane);
      for (let j = 0; j < 3; j++) d[base + j * plane + k] = clamp01(f * d[base + j * plane + k] + g);
    }
  }
  return out(x, d);
}

/**
 * Hue: converts RGB to HSV, shifts the hue by `hueFactor` turns (in [-0.5, 0.5]; ±0.5 gives the complementary
 * colours) modulo 1, and converts back, with torchvision's conversions. Shape [..., C, H, W]; a 1-channel image
 * is returned unchanged, as torchvision.
 */
export function adjustHue(x: Tensor, hueFactor: number): Tensor {
  if (typeof hueFactor !== 'number' || !(hueFactor >= -0.5 && hueFactor <= 0.5)) throw new ValueError(`adjustHue: hueFactor must be in [-0.5, 0.5], got ${String(hueFactor)}`);
  const { d, n, c, plane } = planes('adjustHue', x);
  if (c === 1) return x;
  for (let i = 0; i < n; i++) {
    const base = i * 3 * plane;
    for (let k = 0; k < plane; k++) {
      const r = d[base + k];
      const g = d[base + plane + k];
      const b = d[base + 2 * plane + k];
      // rgb -> hsv as torchvision's _rgb2hsv (PIL's algorithm, no NaN when max == min)
      const maxc = Math.max(r, g, b);
      const minc = Math.min(r, g, b);
      const cr = maxc - minc;
      const s = cr / (maxc === minc ? 1 : maxc);
      const div = maxc === minc ? 1 : cr;
      const rc = (maxc - r) / div;
      const gc = (maxc - g) / div;
      const bc = (maxc - b) / div;
      let h = maxc === r ? bc - gc : maxc === g ? 2 + rc - bc : 4 + gc - rc;
      h = (h / 6 + 1) % 1;
      h = (((h + hueFactor) % 1) + 1) % 1; // Python's modulo: the result takes the sign of the divisor
      // hsv -> rgb as torchvision's _hsv2rgb
      const v = maxc;
      const sector = Math.floor(h * 6);
      const fr = h * 6 - sector;
      const p = clamp01(v * (1 - s));
      const q = clamp01(v * (1 - s * fr));
      const t = clamp01(v * (1 - s * (1 - fr)));
      const rgb = [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]][((sector % 6) + 6) % 6];
      d[base + k] = rgb[0];
      d[base + plane + k] = rgb[1];
      d[base + 2 * plane + k] = rgb[2];
    }
  }
  return out(x, d);
}

/** Converts to grayscale with `numOutputChannels` channels (default 1), as torchvision's Grayscale. */
export function grayscale(opts: { numOutputChannels?: 1 | 3 } = {}): Transform {
  const k = opts.numOutputChannels ?? 1;
  if (k !== 1 && k !== 3) throw new ValueError(`grayscale: numOutputChannels must be 1 or 3, got ${String(k)}`);
  return (x) => rgbToGrayscale(x, k);
}

/** With probability p (default 0.1), the grayscale image with as many channels as the input (RandomGrayscale). */
export function randomGrayscale(opts: RandomOptions & { p?: number } = {}): Transform {
  const p = opts.p ?? 0.1;
  if (!(p >= 0 && p <= 1)) throw new ValueError(`randomGrayscale: p must be in [0, 1], got ${p}`);
  return (x) => {
    const { c } = planes('randomGrayscale', x);
    return (opts.generator ?? defaultGenerator).random() < p ? rgbToGrayscale(x, c as 1 | 3) : x;
  };
}

/** A jitter strength: a number v (the range [center - v, center + v]) or an explicit [min, max]. */
export type JitterRange = number | readonly [number, number];

/** Options of colorJitter (each defaults to 0: no change). */
export interface ColorJitterOptions extends RandomOptions {
  /** Brightness factor range: v means [max(0, 1 - v), 1 + v]. */
  brightness?: JitterRange;
  /** Contrast factor range: v means [max(0, 1 - v), 1 + v]. */
  contrast?: JitterRange;
  /** Saturation factor range: v means [max(0, 1 - v), 1 + v]. */
  saturation?: JitterRange;
  /** Hue shift range within [-0.5, 0.5]: v means [-v, v]. */
  hue?: JitterRange;
}

function jitterRange(name: string, value: JitterRange | undefined, center: number, bound: readonly [number, number], clipAtZero: boolean): [number, number] | null {
  if (value === undefined) return null;
  let range: [number, number];
  if (typeof value === 'number') {
    if (!(value >= 0)) throw new ValueError(`colorJitter: ${name} must be non-negative when a single number, got ${value}`);
    range = [center - value, center + value];
    if (clipAtZero) range[0] = Math.max(range[0], 0);
  } else if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    range = [value[0], value[1]];
  } else {
    throw new ValueError(`colorJitter: ${name} must be a number or a [min, max] pair, got ${JSON.stringify(value)}`);
  }
  if (!(bound[0] <= range[0] && range[0] <= range[1] && range[1] <= bound[1])) {
    throw new ValueError(`colorJitter: ${name} range must satisfy ${bound[0]} <= min <= max <= ${bound[1]}, got [${range[0]}, ${range[1]}]`);
  }
  // a range that is exactly the identity draws nothing, as torchvision (keeps the random stream unchanged)
  return range[0] === center && range[1] === center ? null : range;
}

/**
 * Random brightness, contrast, saturation and hue changes, as torchvision's ColorJitter: each call draws a
 * random order of the four adjustments, then one factor uniformly from each range that is set (brightness,
 * contrast, saturation, hue, in that order), and applies the adjustments in the drawn order. Images [..., C, H, W]
 * with C 1 or 3 (saturation and hue leave 1-channel images unchanged).
 */
export function colorJitter(opts: ColorJitterOptions = {}): Transform {
  const inf: [number, number] = [0, Infinity];
  const ranges = [
    jitterRange('brightness', opts.brightness, 1, inf, true),
    jitterRange('contrast', opts.contrast, 1, inf, true),
    jitterRange('saturation', opts.saturation, 1, inf, true),
    jitterRange('hue', opts.hue, 0, [-0.5, 0.5], false),
  ];
  const adjust = [adjustBrightness, adjustContrast, adjustSaturation, adjustHue];
  return (x) => {
    planes('colorJitter', x);
    const g = opts.generator ?? defaultGenerator;
    const order = randomPermutation(4, g);
    const factors = ranges.map((r) => (r ? r[0] + (r[1] - r[0]) * g.random() : null));
    let y = x;
    for (const i of order) {
      const f = factors[i];
      if (f !== null) y = adjust[i](y, f);
    }
    return y;
  };
}
