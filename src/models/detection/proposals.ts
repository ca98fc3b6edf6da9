/**
 * Region proposals for R-CNN and Fast R-CNN: selective search (vision.selectiveSearch) on each image, cached by the
 * image's pixels. Selective search is the slow part of both detectors (hundreds of milliseconds per image against
 * a few for the networks), and both papers compute it once per image offline; the cache does the same, so the
 * same canvas seen in every epoch, or by two detectors sharing one cache, is searched once. `seconds` counts the
 * time spent searching, so the proposal time can be reported apart from the networks' time.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../../errors.js';
import { select } from '../../ops/indexing.js';
import { Tensor } from '../../tensor/tensor.js';
import { describe } from '../../train/labels.js';
import { nowMs } from '../../train/platform.js';
import { type SelectiveSearchMode, selectiveSearch } from '../../vision/selective-search.js';

/** Options of ProposalCache. */
export interface ProposalOptions {
  /** Selective search preset (default 'fast': 8 strategies, recall@0.5 0.994 on the canvas test split). */
  mode?: SelectiveSearchMode;
  /** Keep at most this many proposals per image, best-ranked first (default 2000, R-CNN's). */
  maxProposals?: number;
  /** Drop proposals narrower or lower than this many pixels (default 2; R-CNN's warps of slivers are noise). */
  minSize?: number;
  /** Seed of selective search's ranking (default 0; the same for every image, so a proposal set depends only on the pixels). */
  seed?: number;
}

/** A 64-bit FNV-1a-style hash of the shape and float32 bits of an image, as a string key. */
function imageKey(image: Tensor): string {
  const bits = new Uint32Array(Float32Array.from(image.toTypedArray()).buffer);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ image.shape.reduce((p, s) => p * 31 + s, 7);
  for (let i = 0; i < bits.length; i++) {
    a = Math.imul(a ^ bits[i], 0x01000193);
    b = Math.imul(b ^ (bits[i] + i), 0x5bd1e995);
    b ^= b >>> 15;
  }
  return `${image.shape.join('x')}:${(a >>> 0).toString(36)}${(b >>> 0).toString(36)}`;
}

/** Selective-search proposals per image, computed once per distinct image and kept (see the module comment). */
export class ProposalCache {
  /** The options, defaults filled in. */
  readonly options: Required<ProposalOptions>;
  /** Seconds spent in selective search so far (cache hits cost nothing). */
  seconds = 0;
  /** Images searched so far. */
  searched = 0;
  private readonly boxes = new Map<string, Float32Array>();

  /** A cache whose misses run selective search with `opts`. */
  constructor(opts: ProposalOptions = {}) {
    const mode = opts.mode ?? 'fast';
    if (mode !== 'single' && mode !== 'fast' && mode !== 'quality') throw new ValueError(`ProposalCache: mode must be 'single', 'fast' or 'quality', got ${JSON.stringify(mode)}`);
    const maxProposals = opts.maxProposals ?? 2000;
    if (!Number.isInteger(maxProposals) || maxProposals < 1) throw new ValueError(`ProposalCache: maxProposals must be a positive integer, got ${String(maxProposals)}`);
    const minSize = opts.minSize ?? 2;
    if (typeof minSize !== 'number' || !(minSize >= 0)) throw new ValueError(`ProposalCache: minSize must be a number >= 0, got ${String(minSize)}`);
    const seed = opts.seed ?? 0;
    if (!Number.isSafeInteger(seed)) throw new ValueError(`ProposalCache: seed must be an integer, got ${String(seed)}`);
    this.options = { mode, maxProposals, minSize, seed };
  }

  /** Number of images held. */
  get size(): number {
    return this.boxes.size;
  }

  /** The proposals of `image` [C, H, W] as a flat float32 array of P boxes (x1, y1, x2, y2), best-ranked first. */
  get(image: Tensor): Float32Array {
    if (!(image instanceof Tensor)) throw new ValueError(`ProposalCache.get: image must be a [C, H, W] tensor, got ${describe(image)}`);
    if (image.ndim !== 3) throw new ShapeError(`ProposalCache.get: image must be [C, H, W], got shape ${fmtShape(image.shape)}`);
    const key = imageKey(image);
    const hit = this.boxes.get(key);
    if (hit !== undefined) return hit;
    const t0 = nowMs();
    const { mode, seed, minSize, maxProposals } = this.options;
    const found = selectiveSearch(image, { mode, seed }).filter((b) => b[2] - b[0] >= minSize && b[3] - b[1] >= minSize).slice(0, maxProposals);
    const flat = new Float32Array(found.length * 4);
    found.forEach((b, i) => flat.set(b, 4 * i));
    this.seconds += (nowMs() - t0) / 1000;
    this.searched++;
    this.boxes.set(key, flat);
    return flat;
  }

  /** Uses `boxes` (flat x1, y1, x2, y2 per box, or [P, 4] rows) as the proposals of `image` [C, H, W] instead of searching it (e.g. proposals made elsewhere). */
  set(image: Tensor, boxes: ArrayLike<number> | readonly (readonly number[])[]): void {
    if (!(image instanceof Tensor) || image.ndim !== 3) throw new ShapeError(`ProposalCache.set: image must be a [C, H, W] tensor, got ${image instanceof Tensor ? fmtShape(image.shape) : describe(image)}`);
    const flat = Float32Array.from(Array.from(boxes as ArrayLike<number | readonly number[]>).flatMap((b) => (typeof b === 'number' ? [b] : [...b])));
    for (let i = 0; i < flat.length; i += 4) {
      const b = flat.subarray(i, i + 4);
      if (b.length !== 4 || !b.every(Number.isFinite) || b[2] < b[0] || b[3] < b[1]) throw new ValueError(`ProposalCache.set: box ${i / 4} must be 4 finite numbers with x1 <= x2 and y1 <= y2, got [${Array.from(b).join(', ')}]`);
    }
    this.boxes.set(imageKey(image), flat);
  }

  /** Searches every image of `images` [N, C, H, W] not yet held; returns the seconds this took. */
  precompute(images: Tensor): number {
    if (!(images instanceof Tensor) || images.ndim !== 4) throw new ShapeError(`ProposalCache.precompute: images must be [N, C, H, W], got ${images instanceof Tensor ? fmtShape(images.shape) : describe(images)}`);
    const before = this.seconds;
    for (let i = 0; i < images.shape[0]; i++) this.get(select(images, 0, i));
    return this.seconds - before;
  }

  /** The held proposals as a JSON-able map from image key to flat box coordinates (see `load`). */
  toJSON(): Record<string, number[]> {
    return Object.fromEntries([...this.boxes].map(([k, v]) => [k, Array.from(v)]));
  }

  /** Adds proposals saved by `toJSON` (made with the same options), so a later run skips their search. */
  load(saved: Record<string, readonly number[]>): void {
    if (saved === null || typeof saved !== 'object') throw new ValueError(`ProposalCache.load: expected an object of image key -> boxes, got ${describe(saved)}`);
    for (const [k, v] of Object.entries(saved)) {
      if (!Array.isArray(v) || v.length % 4 !== 0 || !v.every(Number.isFinite)) throw new ValueError(`ProposalCache.load: entry '${k}' must be a flat list of 4 finite numbers per box`);
      this.boxes.set(k, Float32Array.from(v));
    }
  }
}
