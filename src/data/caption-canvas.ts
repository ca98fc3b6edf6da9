/**
 * Captioned canvases made from real item images (MNIST digits, Fashion-MNIST clothes): each canvas holds 2-4 items
 * in a row or in a column, and its caption names them in a fixed grammar, reading order left to right or top to
 * bottom: `a seven left of a boot`, `an eight above a bag above a two`. The grammar:
 *
 *   caption := item (relation item)*      relation := 'left of' | 'above'      item := article noun
 *
 * with one relation per canvas ('left of' for a row, 'above' for a column) and the article 'an' before the nouns
 * that start with a vowel sound (eight; the default nouns have no other). A canvas of n items splits its long side
 * into n equal slots; each item, a random 80-100% of min(28, slot) pixels square (bilinear), sits at a random place
 * in its slot and anywhere across the other axis, so items never overlap and the reading order is the slot order.
 * Each item comes from a random source (by default MNIST or Fashion-MNIST with equal odds) and a random image of
 * it. Seeded: a seed and the sources fix the canvases; a held-out set is composed from held-out (test-split) items.
 * @module
 */
import { ValueError } from '../errors.js';
import { Generator } from '../tensor/random.js';
import { resizeBytes } from './resize-bytes.js';

/** One source of items: N grey `size` x `size` images as bytes (0 = background), their class labels, and the noun of each class. */
export interface CaptionItemSource {
  /** N * size * size bytes, rows top to bottom. */
  pixels: Uint8Array;
  /** One class index per image. */
  labels: ArrayLike<number>;
  /** Side of each image in pixels (28 for MNIST). */
  size: number;
  /** The caption word of each class, e.g. 'seven', 'boot'. */
  nouns: readonly string[];
}

/** Options of composeCaptionCanvases. */
export interface CaptionCanvasOptions {
  /** Number of canvases (default 4000). */
  count?: number;
  /** Canvas side in pixels (default 64). */
  canvasSize?: number;
  /** Fewest and most items per canvas (default [2, 4]). */
  items?: readonly [number, number];
  /** Seed of the composition (default 0). */
  seed?: number;
}

/** One placed item: which source and image it is, its class, and its square [x, y, side] on the canvas. */
export interface PlacedItem {
  /** Index into the sources. */
  source: number;
  /** Index of the image within that source. */
  index: number;
  /** Its class label. */
  label: number;
  /** Left edge, top edge and side in canvas pixels. */
  box: [number, number, number];
}

/** The composed canvases: pixels, captions and what is where. */
export interface CaptionCanvases {
  /** count x canvasSize x canvasSize float32 in [0, 1] (one grey channel). */
  pixels: Float32Array;
  /** Canvas side in pixels. */
  size: number;
  /** Each canvas's caption as words. */
  captions: string[][];
  /** Each canvas's items in reading order (provenance for checks). */
  items: PlacedItem[][];
  /** 'row' (left of) or 'column' (above) per canvas. */
  layouts: ('row' | 'column')[];
}

/** The caption nouns of MNIST's classes 0-9. */
export const DIGIT_NOUNS: readonly string[] = Object.freeze(['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']);
/** The caption nouns of Fashion-MNIST's classes (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot). */
export const FASHION_NOUNS: readonly string[] = Object.freeze(['top', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'boot']);

/** 'an' before a vowel sound ('an eight', 'an apron'), else 'a' ('a one', 'a seven'). */
export function article(noun: string): 'a' | 'an' {
  return /^[aeiou]/.test(noun) && !/^(one|uni|use|eu)/.test(noun) ? 'an' : 'a';
}

function checkSource(op: string, s: CaptionItemSource, k: number): void {
  if (s === null || typeof s !== 'object' || !(s.pixels instanceof Uint8Array)) throw new ValueError(`${op}: sources[${k}] must be {pixels: Uint8Array, labels, size, nouns}, got ${s === null ? 'null' : typeof s}`);
  const n = s.labels?.length ?? 0;
  if (!Number.isInteger(s.size) || s.size < 1 || n < 1 || s.pixels.length !== n * s.size * s.size) {
    throw new ValueError(`${op}: sources[${k}].pixels must hold labels.length x size x size bytes for at least one image, got ${s.pixels.length} bytes for ${n} labels of size ${String(s.size)}`);
  }
  if (!Array.isArray(s.nouns) || s.nouns.length === 0 || s.nouns.some((w) => typeof w !== 'string' || !/^[a-z][a-z-]*$/.test(w))) {
    throw new ValueError(`${op}: sources[${k}].nouns must be lower-case words, one per class, got ${JSON.stringify(s.nouns)}`);
  }
  for (let i = 0; i < n; i++) {
    const l = s.labels[i];
    if (!Number.isInteger(l) || l < 0 || l >= s.nouns.length) throw new ValueError(`${op}: sources[${k}].labels must be classes in [0, ${s.nouns.length}), got ${l} at ${i}`);
  }
}

/** Composes `count` captioned canvases from the sources' items (see the module comment). */
export function composeCaptionCanvases(sources: readonly CaptionItemSource[], opts: CaptionCanvasOptions = {}): CaptionCanvases {
  const op = 'composeCaptionCanvases';
  if (!Array.isArray(sources) || sources.length === 0) throw new ValueError(`${op}: sources must be a non-empty array of item sources, got ${Array.isArray(sources) ? 'an empty array' : typeof sources}`);
  sources.forEach((s, k) => checkSource(op, s, k));
  const count = opts.count ?? 4000;
  if (!Number.isInteger(count) || count < 1) throw new ValueError(`${op}: count must be a positive integer, got ${String(count)}`);
  const [lo, hi] = opts.items ?? [2, 4];
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi < lo) throw new ValueError(`${op}: items must be integers [min, max] with 1 <= min <= max, got ${JSON.stringify(opts.items)}`);
  const size = opts.canvasSize ?? 64;
  if (!Number.isInteger(size) || size < 8 * hi) throw new ValueError(`${op}: canvasSize must be an integer of at least 8 pixels per item (${8 * hi}), got ${String(size)}`);
  const seed = opts.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ValueError(`${op}: seed must be a non-negative safe integer, got ${String(seed)}`);
  const g = new Generator(seed);
  const plane = size * size;
  const pixels = new Float32Array(count * plane);
  const captions: string[][] = [];
  const items: PlacedItem[][] = [];
  const layouts: ('row' | 'column')[] = [];
  for (let i = 0; i < count; i++) {
    const n = g.randint(lo, hi + 1);
    const layout = g.random() < 0.5 ? 'row' : 'column';
    const slot = Math.floor(size / n);
    const placed: PlacedItem[] = [];
    const canvas = pixels.subarray(i * plane, (i + 1) * plane);
    for (let k = 0; k < n; k++) {
      const source = g.randint(0, sources.length);
      const src = sources[source];
      const index = g.randint(0, src.labels.length);
      const maxSide = Math.min(src.size, slot);
      const side = Math.max(4, Math.round(maxSide * (0.8 + 0.2 * g.random())));
      const along = k * slot + g.randint(0, slot - side + 1);
      const across = g.randint(0, size - side + 1);
      const [x0, y0] = layout === 'row' ? [along, across] : [across, along];
      const patch = resizeBytes(src.pixels, index * src.size * src.size, src.size, src.size, side, side);
      for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
        const j = (y0 + y) * size + x0 + x;
        canvas[j] = Math.max(canvas[j], patch[y * side + x]);
      }
      placed.push({ source, index, label: src.labels[index], box: [x0, y0, side] });
    }
    const relation = layout === 'row' ? ['left', 'of'] : ['above'];
    const words: string[] = [];
    placed.forEach((p, k) => {
      if (k > 0) words.push(...relation);
      const noun = sources[p.source].nouns[p.label];
      words.push(article(noun), noun);
    });
    captions.push(words);
    items.push(placed);
    layouts.push(layout);
  }
  return { pixels, size, captions, items, layouts };
}
