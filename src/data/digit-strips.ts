/**
 * Digit strings made from single-digit images (the CRNN + CTC data of chapter 9): each strip holds a random number
 * of real digits side by side, cropped to their ink, with random gaps (negative: touching or overlapping) and
 * vertical jitter, its label the digit sequence. The strips are drawn once from a seeded generator, so a seed and
 * the source digits fix the data set; a held-out set is made from held-out digits (MNIST's test split).
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkIndex, type Dataset } from './dataset.js';
import { indexBatches } from './sampler.js';

/** The digit images strips are made from: N square grey images as bytes, and their labels. */
export interface DigitSource {
  /** N x size x size bytes (0 = background), rows top to bottom. */
  pixels: Uint8Array;
  /** One digit 0-9 per image. */
  labels: ArrayLike<number>;
  /** Side of each image in pixels (28 for MNIST). */
  size: number;
}

/** Options of DigitStrips. */
export interface DigitStripOptions {
  /** Number of strips (default 10,000). */
  count?: number;
  /** Fewest digits in a strip (default 1). */
  minDigits?: number;
  /** Most digits in a strip (default 8). */
  maxDigits?: number;
  /** Smallest and largest gap between neighbouring digits in source pixels, negative to overlap (default [-2, 8]). */
  gap?: readonly [number, number];
  /** Largest vertical shift of a digit in source pixels, up or down (default 2). */
  jitter?: number;
  /** Average-pool factor from source pixels to strip pixels (default 2: 28-pixel digits give 14-pixel strips). */
  downsample?: number;
  /** The seed of the strips' own generator (default 0). */
  seed?: number;
}

/** A batch of strips for a CTC task: images, padded targets and the true target lengths. */
export interface StripBatch {
  /** Strips [B, 1, H, W] float32 in [0, 1]. */
  input: Tensor;
  /** Labels [B, S] int32, padded with 0 after each strip's length (S = the longest label in the batch). */
  targets: Tensor;
  /** The number of labels of each strip. */
  targetLengths: number[];
}

function intOpt(op: string, name: string, v: unknown, dflt: number, min: number): number {
  const x = v ?? dflt;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min) throw new ValueError(`${op}: option ${name} must be an integer >= ${min}, got ${String(v)}`);
  return x;
}

/** Columns [first, last] that hold ink in image k, or the whole width for a blank image. */
function inkColumns(src: DigitSource, k: number): [number, number] {
  const s = src.size;
  const base = k * s * s;
  let lo = s;
  let hi = -1;
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      if (src.pixels[base + y * s + x] > 0) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
  }
  return hi < 0 ? [0, s - 1] : [lo, hi];
}

/**
 * A seeded data set of digit strips: item i is `[image [1, H, W] float32 in [0, 1], labels [L] int32]` with
 * 1 <= L <= maxDigits. Strips are `size / downsample` high and `maxDigits * size / downsample` wide (the widest
 * strip, eight uncropped digits without gaps, fits), the digits starting at a random offset in the slack.
 */
export class DigitStrips implements Dataset<[Tensor, Tensor]> {
  /** Number of strips. */
  readonly length: number;
  /** Strip height in pixels. */
  readonly height: number;
  /** Strip width in pixels. */
  readonly width: number;
  /** The digit sequence of each strip. */
  readonly labels: readonly (readonly number[])[];
  /** All strips, N x H x W float32 in [0, 1]. */
  readonly pixels: Float32Array;

  /** Draws `count` strips from `source` with the options' generator seed. */
  constructor(source: DigitSource, opts: DigitStripOptions = {}) {
    const op = 'DigitStrips';
    if (source === null || typeof source !== 'object' || !(source.pixels instanceof Uint8Array)) throw new ValueError(`${op}: source must be {pixels: Uint8Array, labels, size}, got ${source === null ? 'null' : typeof source}`);
    const s = intOpt(op, 'source.size', source.size, 0, 1);
    const n = source.labels?.length ?? 0;
    if (n < 1 || source.pixels.length !== n * s * s) throw new ShapeError(`${op}: source.pixels must hold labels.length x size x size = ${n} x ${s} x ${s} bytes, got ${source.pixels.length}`);
    for (let i = 0; i < n; i++) {
      const d = source.labels[i];
      if (!Number.isInteger(d) || d < 0 || d > 9) throw new ValueError(`${op}: source.labels must be digits 0-9, got ${d} at ${i}`);
    }
    const count = intOpt(op, 'count', opts.count, 10000, 1);
    const minDigits = intOpt(op, 'minDigits', opts.minDigits, 1, 1);
    const maxDigits = intOpt(op, 'maxDigits', opts.maxDigits, 8, minDigits);
    const jitter = intOpt(op, 'jitter', opts.jitter, 2, 0);
    const down = intOpt(op, 'downsample', opts.downsample, 2, 1);
    const gap = opts.gap ?? [-2, 8];
    if (!Array.isArray(gap) || gap.length !== 2 || !gap.every(Number.isInteger) || gap[0] > gap[1]) throw new ValueError(`${op}: option gap must be [min, max] integers with min <= max, got ${JSON.stringify(gap)}`);
    if (s % down !== 0) throw new ValueError(`${op}: option downsample must divide the digit size ${s}, got ${down}`);
    const rng = new Generator(intOpt(op, 'seed', opts.seed, 0, 0));
    const W = maxDigits * s;
    this.length = count;
    this.height = s / down;
    this.width = W / down;
    this.pixels = new Float32Array(count * this.height * this.width);
    const canvas = new Float32Array(s * W);
    const labels: number[][] = [];
    for (let i = 0; i < count; i++) {
      const len = rng.randint(minDigits, maxDigits + 1);
      const picks = Array.from({ length: len }, () => rng.randint(0, n));
      const cols = picks.map((k) => inkColumns(source, k));
      const gaps = Array.from({ length: len - 1 }, () => rng.randint(gap[0], gap[1] + 1));
      const ink = cols.reduce((a, [lo, hi]) => a + hi - lo + 1, 0);
      let total = ink + gaps.reduce((a, g) => a + g, 0);
      // too wide for the canvas: the gaps shrink to what fits (never below the narrowest allowed)
      if (total > W && len > 1) {
        const g = Math.max(gap[0], Math.floor((W - ink) / (len - 1)));
        gaps.fill(g);
        total = ink + g * (len - 1);
      }
      let x0 = rng.randint(0, Math.max(0, W - total) + 1);
      canvas.fill(0);
      picks.forEach((k, j) => {
        const [lo, hi] = cols[j];
        const dy = rng.randint(-jitter, jitter + 1);
        const base = k * s * s;
        for (let y = 0; y < s; y++) {
          const ty = y + dy;
          if (ty < 0 || ty >= s) continue;
          for (let x = lo; x <= hi; x++) {
            const tx = x0 + x - lo;
            if (tx < 0 || tx >= W) continue;
            const v = source.pixels[base + y * s + x] / 255;
            if (v > canvas[ty * W + tx]) canvas[ty * W + tx] = v;
          }
        }
        x0 += hi - lo + 1 + (j < len - 1 ? gaps[j] : 0);
      });
      this.pool(canvas, W, down, i);
      labels.push(picks.map((k) => source.labels[k]));
    }
    this.labels = labels;
  }

  private pool(canvas: Float32Array, W: number, down: number, i: number): void {
    const h = this.height;
    const w = this.width;
    const out = i * h * w;
    const scale = 1 / (down * down);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let u = 0; u < down; u++) for (let v = 0; v < down; v++) acc += canvas[(y * down + u) * W + x * down + v];
        this.pixels[out + y * w + x] = acc * scale;
      }
    }
  }

  /** Strip i: `[image [1, H, W] float32, labels [L] int32]`. */
  get(index: number): [Tensor, Tensor] {
    checkIndex('DigitStrips', index, this.length);
    const hw = this.height * this.width;
    const img = tensor(this.pixels.slice(index * hw, (index + 1) * hw), { shape: [1, this.height, this.width] });
    return [img, tensor(Int32Array.from(this.labels[index]), { shape: [this.labels[index].length], dtype: 'int32' })];
  }

  /** The strips at `indices` stacked for a CTC task: images [B, 1, H, W], padded targets [B, S], lengths. */
  batch(indices: ArrayLike<number>): StripBatch {
    const b = indices.length;
    if (b < 1) throw new ShapeError(`DigitStrips.batch: indices must not be empty, got ${fmtShape([b])}`);
    const hw = this.height * this.width;
    const img = new Float32Array(b * hw);
    let S = 0;
    for (let j = 0; j < b; j++) {
      checkIndex('DigitStrips.batch', indices[j], this.length);
      img.set(this.pixels.subarray(indices[j] * hw, (indices[j] + 1) * hw), j * hw);
      S = Math.max(S, this.labels[indices[j]].length);
    }
    const tg = new Int32Array(b * S);
    const targetLengths: number[] = [];
    for (let j = 0; j < b; j++) {
      const l = this.labels[indices[j]];
      tg.set(l, j * S);
      targetLengths.push(l.length);
    }
    return {
      input: tensor(img, { shape: [b, 1, this.height, this.width] }),
      targets: tensor(tg, { shape: [b, S], dtype: 'int32' }),
      targetLengths,
    };
  }

  /**
   * The strips in batches of `batchSize` (the last one may be shorter), in order, or reshuffled on each pass
   * when `generator` is given (a loader the training loop can iterate once per epoch).
   */
  batches(batchSize: number, opts: { generator?: Generator } = {}): Iterable<StripBatch> & { readonly length: number } {
    return indexBatches('DigitStrips.batches', this.length, batchSize, (idx) => this.batch(idx), opts.generator);
  }
}
