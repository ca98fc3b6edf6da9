/**
 * Emoji: Google's Noto Color Emoji as 64x64 PNGs from the npm package `emoji-datasource-google` (a dependency
 * of shendu), labelled by their Unicode category ('Smileys & Emotion', 'Animals & Nature', ...) or subcategory,
 * with each emoji's name kept for captioning.
 *
 * Licences: the images are Google's Noto Emoji, under the Apache License 2.0
 * (https://github.com/googlefonts/noto-emoji); the package's data and code (emoji-data by Cal Henderson) are MIT.
 *
 * The package's `emoji.json` lists 1,911 emoji (Emoji 16.0), each with `name`, `short_name`, `category`,
 * `subcategory`, `sort_order`, `image` (its file in `img/google/64/`) and `has_img_google`; their 1,875 skin-tone
 * variants make 3,786 images in all. Emoji without a Google image are skipped. The RGBA images are composited
 * over white (alpha blending, then rounded to 8 bits, as PIL's alpha_composite over an opaque white image).
 *
 * The split is fixed and balanced: within each class, in Unicode order (`sort_order`), every 5th emoji (the 5th,
 * 10th, ...) is in the test split and the others in the training split. With the 10 categories that is 1,533
 * training and 378 test images. Skin-tone variants (`skinTones: true`) follow their base emoji into its split,
 * so no person appears in both.
 * @module
 */
import { join } from 'node:path';
import { checkIndex } from '../../data/dataset.js';
import type { Transform } from '../../data/transforms.js';
import { DataError, ValueError } from '../../errors.js';
import { resizeAntialiased } from '../../ops/antialias.js';
import { tensor } from '../../tensor/creation.js';
import { type DatasetLocation, isFile, packageDir, readDataFile, readTextFile, requirePackageDir } from './data-dir.js';
import { ImageDataset } from './image-dataset.js';
import { decodeImageBytes } from './image-folder.js';

/** The npm package the images come from. */
export const EMOJI_PACKAGE = 'emoji-datasource-google';

/** Every EMOJI_TEST_EVERY-th emoji of each class (in Unicode order) is in the test split. */
export const EMOJI_TEST_EVERY = 5;

/** Per-channel mean of the default training split (categories, 64x64, no skin tones), for `normalize`. */
export const EMOJI_MEAN: readonly number[] = [0.8219, 0.7697, 0.7099];

/** Per-channel standard deviation (divisor N) of the default training split, for `normalize`. */
export const EMOJI_STD: readonly number[] = [0.2872, 0.2876, 0.3525];

/** What is known about one image of the emoji dataset. */
export interface EmojiInfo {
  /** The Unicode name, e.g. 'GRINNING FACE'; a skin-tone variant adds its tones: 'WAVING HAND SIGN: MEDIUM SKIN TONE'. */
  name: string;
  /** The short name, e.g. 'grinning'. */
  shortName: string;
  /** The code points, e.g. '1F600'. */
  unified: string;
  /** The Unicode category, e.g. 'Smileys & Emotion'. */
  category: string;
  /** The Unicode subcategory, e.g. 'face-smiling'. */
  subcategory: string;
  /** The skin tones of a variant ('MEDIUM SKIN TONE', ...), or null for a base emoji. */
  skinTone: string | null;
  /** The PNG file it was read from. */
  file: string;
}

/** Options of emoji(). */
export interface EmojiOptions {
  /** The training split (default true) or the test split. */
  train?: boolean;
  /** Labels: the 10 Unicode categories (default 'category') or the subcategories ('subcategory'). */
  category?: 'category' | 'subcategory';
  /** Image side in pixels (default 64, the PNGs' size); other sizes are resized bilinearly with antialiasing. */
  size?: number;
  /** Also include the skin-tone variants of people and hands (default false). */
  skinTones?: boolean;
  /** Applied to each image tensor ([3, size, size] float32 in [0, 1]) in get(i). */
  transform?: Transform;
  /** The package directory to read (default: the installed emoji-datasource-google). */
  root?: string;
}

const TONES: Record<string, string> = {
  '1F3FB': 'LIGHT SKIN TONE', '1F3FC': 'MEDIUM-LIGHT SKIN TONE', '1F3FD': 'MEDIUM SKIN TONE', '1F3FE': 'MEDIUM-DARK SKIN TONE', '1F3FF': 'DARK SKIN TONE',
};

interface RawEmoji {
  name?: unknown;
  short_name?: unknown;
  unified?: unknown;
  image?: unknown;
  category?: unknown;
  subcategory?: unknown;
  sort_order?: unknown;
  has_img_google?: unknown;
  skin_variations?: Record<string, { unified?: unknown; image?: unknown; has_img_google?: unknown }>;
}

/** A dataset of emoji images: an ImageDataset whose items also carry what each emoji is (`emoji[i]`). */
export class EmojiDataset extends ImageDataset {
  /** What image i is: name, short name, category, skin tone and file, index = item. */
  readonly emoji: readonly EmojiInfo[];

  /** Wraps the pixels, labels and per-item info (see ImageDataset). */
  constructor(init: ConstructorParameters<typeof ImageDataset>[0] & { emoji: readonly EmojiInfo[] }) {
    super(init);
    if (init.emoji.length !== this.length) throw new ValueError(`EmojiDataset ${init.name}: ${this.length} images but ${init.emoji.length} emoji records`);
    this.emoji = init.emoji;
  }

  /** The Unicode name of item i, e.g. 'GRINNING FACE'. */
  emojiName(index: number): string {
    checkIndex(this.name, index, this.length);
    return this.emoji[index].name;
  }
}

/** Where emoji() would read from, without reading the files. */
export function emojiLocation(): DatasetLocation {
  const dir = packageDir(EMOJI_PACKAGE);
  if (!dir || !isFile(join(dir, 'emoji.json'))) return { kind: 'missing', description: `npm package ${EMOJI_PACKAGE} is not installed (run 'npm ci')` };
  return { kind: 'package', dir, description: `npm package ${EMOJI_PACKAGE} (${join(dir, 'img', 'google', '64')}; every ${EMOJI_TEST_EVERY}th emoji of each category is test)` };
}

function str(v: unknown, what: string, file: string, i: number): string {
  if (typeof v !== 'string' || v === '') throw new DataError(`${file}: entry ${i} has no ${what} (expected a string, got ${JSON.stringify(v)})`);
  return v;
}

function readEntries(root: string, skinTones: boolean): { info: EmojiInfo; base: number }[] {
  const file = join(root, 'emoji.json');
  if (!isFile(file)) throw new DataError(`emoji: ${file} not found: ${root} is not an install of the npm package ${EMOJI_PACKAGE} (run 'npm ci')`);
  let raw: unknown;
  try {
    raw = JSON.parse(readTextFile(file));
  } catch (e) {
    throw new DataError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new DataError(`${file}: expected an array of emoji, got ${typeof raw}`);
  const rows = (raw as RawEmoji[]).map((r, i) => ({ r, i, order: typeof r?.sort_order === 'number' ? r.sort_order : Infinity }));
  rows.sort((a, b) => a.order - b.order || a.i - b.i);
  const out: { info: EmojiInfo; base: number }[] = [];
  let base = 0;
  for (const { r, i } of rows) {
    if (r === null || typeof r !== 'object') throw new DataError(`${file}: entry ${i} is not an object`);
    if (r.has_img_google !== true) continue;
    const name = str(r.name, 'name', file, i);
    const shared = { shortName: str(r.short_name, 'short_name', file, i), category: str(r.category, 'category', file, i), subcategory: str(r.subcategory, 'subcategory', file, i) };
    const dir = join(root, 'img', 'google', '64');
    out.push({ base, info: { name, ...shared, unified: String(r.unified ?? ''), skinTone: null, file: join(dir, str(r.image, 'image', file, i)) } });
    if (skinTones && r.skin_variations && typeof r.skin_variations === 'object') {
      for (const [key, v] of Object.entries(r.skin_variations)) {
        if (v?.has_img_google !== true) continue;
        const tone = key.split('-').map((k) => TONES[k] ?? k).join(', ');
        out.push({ base, info: { name: `${name}: ${tone}`, ...shared, unified: String(v.unified ?? ''), skinTone: tone, file: join(dir, str(v.image, `image of skin variation ${key}`, file, i)) } });
      }
    }
    base++;
  }
  return out;
}

/** The PNG composited over white, resized to size x size when it is not that size, as CHW bytes. */
function readImage(file: string, size: number): Uint8Array {
  const img = decodeImageBytes(readDataFile(file), file);
  const { width: w, height: h, channels: ch, data } = img;
  const plane = w * h;
  const rgb = new Float32Array(3 * plane);
  for (let k = 0; k < plane; k++) {
    const p = k * ch;
    const alpha = ch === 2 || ch === 4 ? data[p + ch - 1] / 255 : 1;
    for (let c = 0; c < 3; c++) {
      const v = (ch <= 2 ? data[p] : data[p + c]) / 255;
      rgb[c * plane + k] = v * alpha + (1 - alpha);
    }
  }
  let pixels: ArrayLike<number> = rgb;
  if (w !== size || h !== size) pixels = resizeAntialiased(tensor(rgb, { shape: [3, h, w] }), [size, size], 'bilinear').toTypedArray();
  const out = new Uint8Array(3 * size * size);
  for (let k = 0; k < out.length; k++) out[k] = Math.min(255, Math.max(0, Math.round(pixels[k] * 255)));
  return out;
}

/**
 * The emoji training (default) or test split, split as the module comment says: item i is [image [3, size, size]
 * float32 in [0, 1] (RGB over white), class index], with `classes` the category (or subcategory) names in Unicode
 * order and `emoji[i]` the emoji's name, short name and file. A missing package or a missing or corrupt PNG is a
 * DataError naming the file.
 */
export function emoji(opts: EmojiOptions = {}): EmojiDataset {
  const train = opts.train ?? true;
  const mode = opts.category ?? 'category';
  if (mode !== 'category' && mode !== 'subcategory') throw new ValueError(`emoji: category must be 'category' or 'subcategory', got ${JSON.stringify(mode)}`);
  const size = opts.size ?? 64;
  if (!Number.isInteger(size) || size < 1) throw new ValueError(`emoji: size must be a positive integer, got ${String(size)}`);
  const root = opts.root ?? requirePackageDir(EMOJI_PACKAGE, 'emoji');
  const entries = readEntries(root, opts.skinTones ?? false);
  const classOf = (e: EmojiInfo) => (mode === 'category' ? e.category : e.subcategory);
  const classes = [...new Set(entries.map((e) => classOf(e.info)))];
  // position of each base emoji within its class decides its split
  const seen = new Map<string, number>();
  const rank = new Map<number, number>();
  for (const { info, base } of entries) {
    if (rank.has(base)) continue;
    const c = classOf(info);
    const j = seen.get(c) ?? 0;
    seen.set(c, j + 1);
    rank.set(base, j);
  }
  const chosen = entries.filter(({ base }) => (rank.get(base)! % EMOJI_TEST_EVERY === EMOJI_TEST_EVERY - 1) !== train);
  if (chosen.length === 0) throw new DataError(`emoji: no images in the ${train ? 'training' : 'test'} split of ${root}`);
  const per = 3 * size * size;
  const pixels = new Uint8Array(chosen.length * per);
  chosen.forEach(({ info }, i) => pixels.set(readImage(info.file, size), i * per));
  const name = `Emoji ${train ? 'train' : 'test'}${mode === 'subcategory' ? ' (subcategories)' : ''}`;
  return new EmojiDataset({
    name,
    pixels,
    labels: chosen.map(({ info }) => classes.indexOf(classOf(info))),
    imageShape: [3, size, size],
    classes,
    source: `npm package ${EMOJI_PACKAGE} (${join(root, 'img', 'google', '64')})`,
    transform: opts.transform,
    emoji: chosen.map(({ info }) => info),
  });
}
