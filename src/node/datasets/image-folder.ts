/**
 * Images from files: decoding PNG (fast-png) and JPEG (jpeg-js) into CHW float tensors, and ImageFolder,
 * a dataset laid out as one sub-folder per class (torchvision's ImageFolder).
 *
 * Channels: every image is converted to the requested number of channels (default 3, RGB).
 * - to 3 (RGB): grayscale is repeated into R, G and B; an alpha channel is dropped (not composited), as
 *   PIL's `convert('RGB')` does.
 * - to 1 (grayscale): RGB becomes luminance L = (299 R + 587 G + 114 B) / 1000 (ITU-R 601-2, PIL's 'L');
 *   alpha is dropped.
 * - to 4 (RGBA): a missing alpha channel is filled with 255 (opaque).
 * PNG palettes are expanded (with their tRNS alpha), 1/2/4-bit grayscale is scaled to 0..255, 16-bit
 * samples are rounded to 8 bits; a tRNS colour key on a non-palette PNG is ignored. jpeg-js hands over
 * grayscale JPEGs as RGB with equal channels (so channels 1 gives back the gray values) and converts CMYK
 * and YCCK JPEGs to RGB.
 * @module
 */
import { readdirSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { decode as decodePngBytes } from 'fast-png';
import { decode as decodeJpegBytes } from 'jpeg-js';
import { checkIndex } from '../../data/dataset.js';
import type { Transform } from '../../data/transforms.js';
import { DataError, ShapeError, ValueError } from '../../errors.js';
import { resizeAntialiased } from '../../ops/antialias.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { isDir, readDataFile } from './data-dir.js';
import { DEFAULT_MAX_PIXELS, checkPixelLimit } from './image-header.js';
import type { LabeledDataset } from './image-dataset.js';

/** A decoded image: 8-bit samples, rows top to bottom, channels interleaved (HWC). */
export interface DecodedImage {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  /** height x width x channels bytes. */
  data: Uint8Array;
}

/** The channel counts images can be converted to. */
export type ImageChannels = 1 | 3 | 4;

/** Options of loadImage() and imageToTensor(). */
export interface LoadImageOptions {
  /** Channels of the result (default 3): see the module comment for the conversions. */
  channels?: ImageChannels;
  /** Resize to size x size, or [height, width], bilinearly with antialiasing (as torchvision's Resize); default: keep the size. */
  size?: number | readonly [number, number];
  /** Refuse images with more pixels than this, before decoding (default DEFAULT_MAX_PIXELS, 64 megapixels). */
  maxPixels?: number;
}

/** File name extensions ImageFolder picks up (case-insensitive). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function hexStart(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

/**
 * Decodes PNG or JPEG bytes (told apart by their signature, not the file name) to 8-bit HWC samples.
 * Truncated or corrupt data, and files of other formats, are DataErrors naming `source`.
 */
export function decodeImageBytes(bytes: Uint8Array, source: string, maxPixels: number = DEFAULT_MAX_PIXELS): DecodedImage {
  if (bytes.length === 0) throw new DataError(`${source}: the file is empty`);
  checkPixelLimit(bytes, source, maxPixels);
  if (bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b)) return decodePng(bytes, source);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return decodeJpeg(bytes, source);
  throw new DataError(`${source}: not a PNG or JPEG file (it starts with ${hexStart(bytes)})`);
}

function decodePng(bytes: Uint8Array, source: string): DecodedImage {
  let png: ReturnType<typeof decodePngBytes>;
  try {
    png = decodePngBytes(bytes, { checkCrc: true });
  } catch (e) {
    throw new DataError(`${source}: corrupt or truncated PNG: ${(e as Error).message}`);
  }
  const { width, height, depth } = png;
  const channels = png.channels;
  if (!(width > 0 && height > 0) || channels < 1 || channels > 4) throw new DataError(`${source}: unsupported PNG (${width}x${height}, ${channels} channels)`);
  const n = width * height;
  const src = png.data;
  if (png.palette && png.palette.length > 0) {
    const idx = unpackSamples(src, width, height, depth, source);
    const palette = png.palette;
    const withAlpha = palette.some((c) => c.length === 4);
    const out = new Uint8Array(n * (withAlpha ? 4 : 3));
    const step = withAlpha ? 4 : 3;
    for (let i = 0; i < n; i++) {
      const color = palette[idx[i]];
      if (!color) throw new DataError(`${source}: corrupt PNG: pixel ${i} uses palette entry ${idx[i]}, the palette has ${palette.length}`);
      out[i * step] = color[0];
      out[i * step + 1] = color[1];
      out[i * step + 2] = color[2];
      if (withAlpha) out[i * step + 3] = color.length === 4 ? color[3] : 255;
    }
    return { width, height, channels: withAlpha ? 4 : 3, data: out };
  }
  if (depth < 8) {
    if (channels !== 1) throw new DataError(`${source}: corrupt PNG: ${depth}-bit samples with ${channels} channels`);
    const v = unpackSamples(src, width, height, depth, source);
    const scale = 255 / ((1 << depth) - 1);
    for (let i = 0; i < n; i++) v[i] = Math.round(v[i] * scale);
    return { width, height, channels: 1, data: v };
  }
  const need = n * channels;
  if (src.length < need) throw new DataError(`${source}: truncated PNG: ${src.length} samples, ${width}x${height}x${channels} needs ${need}`);
  const data = new Uint8Array(need);
  if (depth === 16) for (let i = 0; i < need; i++) data[i] = Math.round(src[i] / 257);
  else data.set(src.subarray(0, need));
  return { width, height, channels: channels as 1 | 2 | 3 | 4, data };
}

// 1/2/4/8-bit single-channel samples, each row padded to a whole byte, to one byte per pixel.
function unpackSamples(src: ArrayLike<number>, width: number, height: number, depth: number, source: string): Uint8Array {
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  if (src.length < rowBytes * height) throw new DataError(`${source}: truncated PNG: ${src.length} bytes of ${depth}-bit samples, ${width}x${height} needs ${rowBytes * height}`);
  if (depth === 8) {
    for (let i = 0; i < out.length; i++) out[i] = src[i];
    return out;
  }
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = src[y * rowBytes + (bit >> 3)];
      out[y * width + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

function decodeJpeg(bytes: Uint8Array, source: string): DecodedImage {
  try {
    const img = decodeJpegBytes(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false });
    if (!(img.width > 0 && img.height > 0) || img.data.length !== img.width * img.height * 3) {
      throw new Error(`decoded ${img.data.length} bytes for ${img.width}x${img.height}`);
    }
    return { width: img.width, height: img.height, channels: 3, data: img.data };
  } catch (e) {
    throw new DataError(`${source}: corrupt or truncated JPEG: ${(e as Error).message}`);
  }
}

function checkChannels(op: string, channels: unknown): ImageChannels {
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new ValueError(`${op}: channels must be 1, 3 or 4, got ${String(channels)}`);
  return channels;
}

function checkSize(op: string, size: LoadImageOptions['size']): [number, number] | undefined {
  if (size === undefined) return undefined;
  const hw: [number, number] = typeof size === 'number' ? [size, size] : [size[0], size[1]];
  if (!hw.every((s) => Number.isInteger(s) && s > 0) || (typeof size !== 'number' && size.length !== 2)) {
    throw new ValueError(`${op}: size must be a positive integer or [height, width], got ${JSON.stringify(size)}`);
  }
  return hw;
}

/** Converts a decoded image to a float32 CHW tensor in [0, 1] with `channels` channels, resized to `size`. */
export function imageToTensor(img: DecodedImage, opts: LoadImageOptions = {}): Tensor {
  const want = checkChannels('imageToTensor', opts.channels ?? 3);
  const size = checkSize('imageToTensor', opts.size);
  const { width, height, channels: have, data } = img;
  const plane = width * height;
  const out = new Float32Array(plane * want);
  for (let i = 0; i < plane; i++) {
    const p = i * have;
    let r: number, g: number, b: number, a: number;
    if (have <= 2) {
      r = g = b = data[p];
      a = have === 2 ? data[p + 1] : 255;
    } else {
      r = data[p];
      g = data[p + 1];
      b = data[p + 2];
      a = have === 4 ? data[p + 3] : 255;
    }
    if (want === 1) {
      out[i] = (have <= 2 ? r : Math.round((r * 299 + g * 587 + b * 114) / 1000)) / 255;
    } else {
      out[i] = r / 255;
      out[plane + i] = g / 255;
      out[2 * plane + i] = b / 255;
      if (want === 4) out[3 * plane + i] = a / 255;
    }
  }
  const t = tensor(out, { shape: [want, height, width] });
  if (!size || (size[0] === height && size[1] === width)) return t;
  // antialiased: a large photo or canvas shrunk to 28x28 keeps its thin strokes (point sampling drops them)
  return resizeAntialiased(t, size, 'bilinear');
}

/** Reads a PNG or JPEG file as a float32 CHW tensor in [0, 1] (3 channels unless `channels` says otherwise). */
export function loadImage(path: string, opts: LoadImageOptions = {}): Tensor {
  return imageToTensor(decodeImageBytes(readDataFile(path), path, opts.maxPixels), opts);
}

/** Options of imageFolder(). */
export interface ImageFolderOptions extends LoadImageOptions {
  /** Applied to each image tensor in get(i). */
  transform?: Transform;
  /** File name extensions to pick up (default IMAGE_EXTENSIONS). */
  extensions?: readonly string[];
}

function listFiles(dir: string, exts: readonly string[]): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, exts));
    else if ((e.isFile() || e.isSymbolicLink()) && exts.includes(extname(e.name).toLowerCase())) out.push(p);
  }
  return out;
}

/**
 * A dataset of image files, one sub-folder of `root` per class: class names are the sub-folder names
 * sorted (index = position), images are the PNG and JPEG files inside each (searched recursively, sorted
 * by path; hidden files and other extensions are skipped). Item i is [image float32 [C, H, W] in [0, 1]
 * (resized to `size` if given, then `transform`), class index]; files are decoded when an item is asked for.
 */
export class ImageFolder implements LabeledDataset {
  /** The root folder. */
  readonly root: string;
  /** Class names (sorted sub-folder names). */
  readonly classes: readonly string[];
  /** Each class name's index. */
  readonly classToIdx: ReadonlyMap<string, number>;
  /** [file path, class index] of every image, in item order. */
  readonly samples: readonly (readonly [string, number])[];
  /** The class index of every image. */
  readonly rawLabels: Int32Array;
  /** Channels of every image (1, 3 or 4). */
  readonly channels: ImageChannels;
  /** [height, width] every image is resized to, if set. */
  readonly size: readonly [number, number] | undefined;
  /** Applied to each image in get(i) (not in images()/batch()); may be replaced. */
  transform: Transform | undefined;
  private shapeCache: readonly number[] | undefined;
  private imagesCache: Tensor | undefined;

  /** Scans `root`; a missing root, no class folders, or a class without images is a DataError. */
  constructor(root: string, opts: ImageFolderOptions = {}) {
    this.channels = checkChannels('imageFolder', opts.channels ?? 3);
    this.size = checkSize('imageFolder', opts.size);
    this.transform = opts.transform;
    const exts = (opts.extensions ?? IMAGE_EXTENSIONS).map((e) => e.toLowerCase());
    if (!isDir(root)) throw new DataError(`imageFolder: ${root} is not a directory (expected one sub-folder of images per class)`);
    this.root = root;
    const classes = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
    if (classes.length === 0) throw new DataError(`imageFolder: ${root} has no class sub-folders (expected ${join(root, '<class>', '<image>.png')})`);
    const samples: [string, number][] = [];
    classes.forEach((c, k) => {
      const files = listFiles(join(root, c), exts);
      if (files.length === 0) throw new DataError(`imageFolder: class folder ${join(root, c)} has no image files (${exts.join(', ')})`);
      for (const f of files) samples.push([f, k]);
    });
    this.classes = classes;
    this.classToIdx = new Map(classes.map((c, i) => [c, i]));
    this.samples = samples;
    this.rawLabels = Int32Array.from(samples, (s) => s[1]);
  }

  /** A short name for messages. */
  get name(): string {
    return `imageFolder ${this.root}`;
  }

  /** Number of images. */
  get length(): number {
    return this.samples.length;
  }

  /** Number of classes. */
  get numClasses(): number {
    return this.classes.length;
  }

  /** Shape of one image, [C, H, W] (from `size`, else from the first image). */
  get inputShape(): readonly number[] {
    if (!this.shapeCache) this.shapeCache = this.size ? [this.channels, ...this.size] : this.load(0).shape;
    return this.shapeCache;
  }

  /** Image `index` decoded to float32 [C, H, W] in [0, 1] (resized, no transform). */
  load(index: number): Tensor {
    checkIndex(this.name, index, this.length);
    return loadImage(this.samples[index][0], { channels: this.channels, size: this.size });
  }

  /** Item `index`: [image (then the transform), class index]. */
  get(index: number): [Tensor, number] {
    const img = this.load(index);
    return [this.transform ? this.transform(img) : img, this.rawLabels[index]];
  }

  /** Decodes every file, throwing the first DataError (a corrupt file, named) before any training starts. */
  verify(): void {
    for (let i = 0; i < this.length; i++) decodeImageBytes(readDataFile(this.samples[i][0]), this.samples[i][0]);
  }

  /**
   * All images, float32 [N, C, H, W], without the transform; decoded once and kept. Images of different
   * sizes need `size`: otherwise a ShapeError names the first file that differs.
   */
  images(): Tensor {
    if (!this.imagesCache) {
      const [x] = this.gather(Array.from({ length: this.length }, (_, i) => i));
      this.imagesCache = x;
    }
    return this.imagesCache;
  }

  /** All class indices, int32 [N]. */
  labels(): Tensor {
    return tensor(this.rawLabels, { shape: [this.length] });
  }

  /** Same as images(). */
  inputs(): Tensor {
    return this.images();
  }

  /** Same as labels(). */
  targets(): Tensor {
    return this.labels();
  }

  /** Images [B, C, H, W] and labels int32 [B] at `indices`, without the transform. */
  batch(indices: ArrayLike<number>): [Tensor, Tensor] {
    return this.gather(Array.from(indices));
  }

  private gather(indices: number[]): [Tensor, Tensor] {
    let shape: readonly number[] | undefined;
    let first = '';
    let out = new Float32Array(0);
    const labels = new Int32Array(indices.length);
    indices.forEach((i, j) => {
      const img = this.load(i);
      if (!shape) {
        shape = img.shape;
        first = this.samples[i][0];
        out = new Float32Array(indices.length * img.numel());
      } else if (img.shape.some((s, d) => s !== shape![d])) {
        throw new ShapeError(`imageFolder: ${relative(this.root, this.samples[i][0])} is ${img.shape[1]}x${img.shape[2]} but ${relative(this.root, first)} is ${shape[1]}x${shape[2]}; pass size to resize every image`);
      }
      out.set(img.toTypedArray() as Float32Array, j * img.numel());
      labels[j] = this.rawLabels[i];
    });
    const s = shape ?? [this.channels, ...(this.size ?? [0, 0])];
    return [tensor(out, { shape: [indices.length, ...s] }), tensor(labels, { shape: [indices.length] })];
  }
}

/** An ImageFolder over `root` (one sub-folder per class); see ImageFolder. */
export function imageFolder(root: string, opts: ImageFolderOptions = {}): ImageFolder {
  return new ImageFolder(root, opts);
}
