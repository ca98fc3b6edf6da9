/**
 * A detection data set composed from real classification items (MNIST, Fashion-MNIST): each canvas holds several
 * items at different scales, some partly covering others, over clutter made of fragments of other items, with a
 * tight box around each item's ink and its class label. Seeded, so the same source and seed give the same images.
 *
 * Format: `images` is [N, C, H, W] float32 in [0, 1]; for image i, `boxes[i]` is a [K_i, 4] list of
 * [x1, y1, x2, y2] in pixel-edge coordinates (a box covering columns 3..9 is x1 = 3, x2 = 10, as torchvision's
 * detection targets) and `labels[i]` the K_i class indices into `classes`. `get(i)` returns
 * [image [C, H, W], {boxes: [K, 4] float32, labels: [K] int32}], torchvision's detection target layout.
 * @module
 */
import { ValueError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { type BoxArray, boxArrayArea, boxArrayIou } from './box-array.js';
import { resizeBytes } from '../data/resize-bytes.js';

/** The items to place: `count` grey images of `height` x `width` uint8 pixels (row-major) with class labels. */
export interface CanvasItemSource {
  /** count * height * width pixels, 0 = background, 255 = full ink. */
  pixels: Uint8Array;
  /** One class index per item. */
  labels: ArrayLike<number>;
  /** Item height (28 for MNIST). */
  height: number;
  /** Item width. */
  width: number;
  /** Class names. */
  classes: readonly string[];
}

/** Options of composeCanvasDetection(). */
export interface CanvasDetectionOptions {
  /** Number of canvases (default 1000). */
  numImages?: number;
  /** Canvas side in pixels (default 96). */
  canvasSize?: number;
  /** Fewest and most objects per canvas (default [2, 5]). */
  objects?: readonly [number, number];
  /** Range of the item's scale factor (default [0.8, 2]: 22 to 56 px for 28 px items). */
  scale?: readonly [number, number];
  /** Largest IoU allowed between two objects' boxes (default 0.3: overlap, so some occlusion, but each object stays visible). */
  maxIou?: number;
  /** Number of unlabelled clutter fragments per canvas (default 3). */
  clutter?: number;
  /** 1 (grey, default) or 3: each object and the background get a random colour. */
  channels?: 1 | 3;
  /** Pixel value above which an item pixel counts as ink for its box (default 0.2). */
  inkThreshold?: number;
  /** Seed of the composition (default 0). */
  seed?: number;
}

/** A composed detection set; see the module comment for its format. */
export interface CanvasDetection {
  /** [N, C, H, W] float32 in [0, 1]. */
  images: Tensor;
  /** Per image, its boxes [x1, y1, x2, y2]. */
  boxes: BoxArray[][];
  /** Per image, one class index per box. */
  labels: number[][];
  /** Class names. */
  classes: readonly string[];
  /** Which source item each object came from, per image (for provenance checks). */
  itemIndex: number[][];
  /** Number of images. */
  length: number;
  /** Image i and its target {boxes [K, 4] float32, labels [K] int32}. */
  get(i: number): [Tensor, { boxes: Tensor; labels: Tensor }];
}

/** The tight box [x1, y1, x2, y2] of pixels above `thr` in an `h` x `w` patch, or null when there is no ink. */
function inkBox(patch: Float32Array, h: number, w: number, thr: number): BoxArray | null {
  let x1 = w;
  let y1 = h;
  let x2 = -1;
  let y2 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (patch[y * w + x] > thr) {
        if (x < x1) x1 = x;
        if (x > x2) x2 = x;
        if (y < y1) y1 = y;
        if (y > y2) y2 = y;
      }
    }
  }
  return x2 < 0 ? null : [x1, y1, x2 + 1, y2 + 1];
}

function checkOptions(src: CanvasItemSource, opts: CanvasDetectionOptions): Required<CanvasDetectionOptions> {
  const op = 'composeCanvasDetection';
  const o = {
    numImages: opts.numImages ?? 1000, canvasSize: opts.canvasSize ?? 96, objects: opts.objects ?? [2, 5], scale: opts.scale ?? [0.8, 2],
    maxIou: opts.maxIou ?? 0.3, clutter: opts.clutter ?? 3, channels: opts.channels ?? 1, inkThreshold: opts.inkThreshold ?? 0.2, seed: opts.seed ?? 0,
  } as Required<CanvasDetectionOptions>;
  const n = src.labels.length;
  if (n === 0 || src.pixels.length !== n * src.height * src.width) throw new ValueError(`${op}: source must hold labels.length * height * width pixels and at least one item, got ${src.pixels.length} pixels for ${n} items of ${src.height}x${src.width}`);
  if (!Number.isInteger(o.numImages) || o.numImages < 0) throw new ValueError(`${op}: numImages must be an integer >= 0, got ${o.numImages}`);
  const [lo, hi] = o.objects;
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < lo) throw new ValueError(`${op}: objects must be integers [min, max] with 0 <= min <= max, got [${o.objects.join(', ')}]`);
  const [s0, s1] = o.scale;
  if (!(s0 > 0 && s1 >= s0)) throw new ValueError(`${op}: scale must be [min, max] with 0 < min <= max, got [${o.scale.join(', ')}]`);
  if (!Number.isInteger(o.canvasSize) || o.canvasSize < Math.ceil(Math.max(src.height, src.width) * s1)) {
    throw new ValueError(`${op}: canvasSize must be an integer at least the largest scaled item (${Math.ceil(Math.max(src.height, src.width) * s1)}), got ${o.canvasSize}`);
  }
  if (!(o.maxIou >= 0 && o.maxIou <= 1)) throw new ValueError(`${op}: maxIou must be in [0, 1], got ${o.maxIou}`);
  if (!Number.isInteger(o.clutter) || o.clutter < 0) throw new ValueError(`${op}: clutter must be an integer >= 0, got ${o.clutter}`);
  if (o.channels !== 1 && o.channels !== 3) throw new ValueError(`${op}: channels must be 1 or 3, got ${o.channels}`);
  if (!(o.inkThreshold >= 0 && o.inkThreshold < 1)) throw new ValueError(`${op}: inkThreshold must be in [0, 1), got ${o.inkThreshold}`);
  if (!Number.isSafeInteger(o.seed)) throw new ValueError(`${op}: seed must be a safe integer, got ${o.seed}`);
  return o;
}

/** Paints `patch` (alpha = its value, so ink covers what is under it) in `colour` at (x0, y0) of a planar canvas. */
function paint(canvas: Float32Array, size: number, patch: Float32Array, ph: number, pw: number, x0: number, y0: number, colour: readonly number[]): void {
  const plane = size * size;
  for (let y = 0; y < ph; y++) {
    const cy = y0 + y;
    if (cy < 0 || cy >= size) continue;
    for (let x = 0; x < pw; x++) {
      const cx = x0 + x;
      if (cx < 0 || cx >= size) continue;
      const a = Math.min(1, patch[y * pw + x] * 1.5);
      if (a <= 0) continue;
      for (let c = 0; c < colour.length; c++) {
        const i = c * plane + cy * size + cx;
        canvas[i] = a * colour[c] + (1 - a) * canvas[i];
      }
    }
  }
}

/**
 * Composes `numImages` canvases from `source`'s items (see the module comment for the format). Objects are placed
 * at random positions and scales, rejecting a placement whose box overlaps an earlier one by more than `maxIou` or
 * covers more than half of it; clutter fragments (a random 8-12 px piece of another item, unlabelled) go underneath.
 */
export function composeCanvasDetection(source: CanvasItemSource, opts: CanvasDetectionOptions = {}): CanvasDetection {
  const o = checkOptions(source, opts);
  const g = new Generator(o.seed);
  const { height: ih, width: iw } = source;
  const size = o.canvasSize;
  const c = o.channels;
  const per = c * size * size;
  const data = new Float32Array(o.numImages * per);
  const boxes: BoxArray[][] = [];
  const labels: number[][] = [];
  const itemIndex: number[][] = [];
  const nItems = source.labels.length;
  const colour = (): number[] => (c === 1 ? [1] : [0.4 + 0.6 * g.random(), 0.4 + 0.6 * g.random(), 0.4 + 0.6 * g.random()]);
  for (let i = 0; i < o.numImages; i++) {
    const canvas = data.subarray(i * per, (i + 1) * per);
    if (c === 3) {
      const bg = [0.25 * g.random(), 0.25 * g.random(), 0.25 * g.random()];
      for (let k = 0; k < 3; k++) canvas.fill(bg[k], k * size * size, (k + 1) * size * size);
    }
    for (let k = 0; k < o.clutter; k++) {
      const item = g.randint(0, nItems);
      const full = resizeBytes(source.pixels, item * ih * iw, ih, iw, ih, iw);
      const fh = g.randint(8, 13);
      const fw = g.randint(8, 13);
      const fy = g.randint(0, ih - fh + 1);
      const fx = g.randint(0, iw - fw + 1);
      const frag = new Float32Array(fh * fw);
      for (let y = 0; y < fh; y++) for (let x = 0; x < fw; x++) frag[y * fw + x] = full[(fy + y) * iw + fx + x];
      paint(canvas, size, frag, fh, fw, g.randint(0, size - fw + 1), g.randint(0, size - fh + 1), colour());
    }
    const want = g.randint(o.objects[0], o.objects[1] + 1);
    const bs: BoxArray[] = [];
    const ls: number[] = [];
    const idx: number[] = [];
    for (let tries = 0; bs.length < want && tries < want * 20; tries++) {
      const item = g.randint(0, nItems);
      const s = o.scale[0] + (o.scale[1] - o.scale[0]) * g.random();
      const ph = Math.max(1, Math.round(ih * s));
      const pw = Math.max(1, Math.round(iw * s));
      const patch = resizeBytes(source.pixels, item * ih * iw, ih, iw, ph, pw);
      const ink = inkBox(patch, ph, pw, o.inkThreshold);
      if (!ink) continue;
      const x0 = g.randint(-ink[0], size - ink[2] + 1);
      const y0 = g.randint(-ink[1], size - ink[3] + 1);
      const box: BoxArray = [ink[0] + x0, ink[1] + y0, ink[2] + x0, ink[3] + y0];
      const clash = bs.some((b) => {
        const inter = boxArrayIou(b, box) > o.maxIou;
        const iwd = Math.max(0, Math.min(b[2], box[2]) - Math.max(b[0], box[0])) * Math.max(0, Math.min(b[3], box[3]) - Math.max(b[1], box[1]));
        return inter || iwd > 0.5 * boxArrayArea(b);
      });
      if (clash) continue;
      paint(canvas, size, patch, ph, pw, x0, y0, colour());
      bs.push(box);
      ls.push(source.labels[item]);
      idx.push(item);
    }
    boxes.push(bs);
    labels.push(ls);
    itemIndex.push(idx);
  }
  const images = tensor(data, { shape: [o.numImages, c, size, size] });
  return {
    images, boxes, labels, itemIndex, classes: source.classes, length: o.numImages,
    get(i: number) {
      if (!Number.isInteger(i) || i < 0 || i >= o.numImages) throw new ValueError(`CanvasDetection.get: index must be an integer in [0, ${o.numImages}), got ${i}`);
      const image = tensor(data.slice(i * per, (i + 1) * per), { shape: [c, size, size] });
      const b = tensor(new Float32Array(boxes[i].flat()), { shape: [boxes[i].length, 4] });
      return [image, { boxes: b, labels: tensor(Int32Array.from(labels[i]), { dtype: 'int32', shape: [labels[i].length] }) }];
    },
  };
}
