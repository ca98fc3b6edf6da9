/**
 * Selective search (Uijlings, van de Sande, Gevers & Smeulders, IJCV 2013): Felzenszwalb-Huttenlocher regions,
 * hierarchical grouping under several diversification strategies (colour spaces x similarity measures x
 * segmentation scales k), and the paper's ranking: a region's position in its hierarchy (1 = the last merge) times
 * a random number, all strategies pooled, sorted ascending, duplicate boxes removed.
 * @module
 */
import { DTypeError, ShapeError, ValueError, assertNever, fmtShape } from '../errors.js';
import { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { BoxArray } from './box-array.js';
import { COLOUR_SPACES, type SelectiveSearchColourSpace, colourSpaceChannels, convertColourSpace } from './colour-spaces.js';
import { felzenszwalbPlanar } from './felzenszwalb.js';
import { type SimilarityMeasure, hierarchicalGrouping } from './hierarchical-grouping.js';
import { adjacentPairs, regionFeatures } from './region-features.js';

/** The paper's three diversification presets (section 5.2). */
export type SelectiveSearchMode = 'single' | 'fast' | 'quality';

/** One diversification strategy: the colour space, the similarity measures summed, and the segmentation scale k. */
export interface SelectiveSearchStrategy {
  /** The colour space the image is segmented and described in. */
  colourSpace: SelectiveSearchColourSpace;
  /** The similarity measures summed (the paper's C+T+S+F, T+S+F, F, S). */
  measures: readonly SimilarityMeasure[];
  /** Felzenszwalb's scale k. */
  k: number;
}

/** Options of selectiveSearch(). */
export interface SelectiveSearchOptions {
  /** Preset strategies (default 'fast'); ignored when `strategies` is given. */
  mode?: SelectiveSearchMode;
  /** Explicit strategies instead of a preset. */
  strategies?: readonly SelectiveSearchStrategy[];
  /** Gaussian sigma of the segmentation (default 0.8, the paper's). */
  sigma?: number;
  /**
   * Smallest initial region in pixels, for every strategy. Default: the paper's code uses k on PASCAL-sized images
   * (500 x 375); here k is scaled by the image's area relative to that, k * H * W / 187500 (at least 1), so a
   * small image is cut into as many initial regions as a PASCAL image.
   */
  minSize?: number;
  /** Drives the ranking's random factors (default a Generator seeded with `seed`). */
  generator?: Generator;
  /** Seed of the default generator (default 0). */
  seed?: number;
  /** Keep at most this many proposals (default all). */
  maxProposals?: number;
}

/** Pixels of the PASCAL VOC-sized images (500 x 375) the paper's settings were made for. */
export const PAPER_IMAGE_AREA = 500 * 375;

const CTSF: readonly SimilarityMeasure[] = ['colour', 'texture', 'size', 'fill'];
const TSF: readonly SimilarityMeasure[] = ['texture', 'size', 'fill'];

/** The strategies of a preset: single = HSV, C+T+S+F, k 100; fast = {HSV, Lab} x {C+T+S+F, T+S+F} x k {50, 100}; quality = {HSV, Lab, rgI, H, I} x {C+T+S+F, T+S+F, F, S} x k {50, 100, 150, 300}. */
export function selectiveSearchStrategies(mode: SelectiveSearchMode): SelectiveSearchStrategy[] {
  const cross = (spaces: SelectiveSearchColourSpace[], sims: (readonly SimilarityMeasure[])[], ks: number[]): SelectiveSearchStrategy[] =>
    spaces.flatMap((colourSpace) => sims.flatMap((measures) => ks.map((k) => ({ colourSpace, measures, k }))));
  switch (mode) {
    case 'single': return cross(['hsv'], [CTSF], [100]);
    case 'fast': return cross(['hsv', 'lab'], [CTSF, TSF], [50, 100]);
    case 'quality': return cross(['hsv', 'lab', 'rgi', 'h', 'i'], [CTSF, TSF, ['fill'], ['size']], [50, 100, 150, 300]);
    default: return assertNever(mode, 'selective search mode');
  }
}

const MEASURES: readonly SimilarityMeasure[] = ['colour', 'texture', 'size', 'fill'];

function checkStrategies(strategies: readonly SelectiveSearchStrategy[]): void {
  if (!Array.isArray(strategies) || strategies.length === 0) throw new ValueError(`selectiveSearch: strategies must be a non-empty array, got ${JSON.stringify(strategies)}`);
  strategies.forEach((s, i) => {
    if (!COLOUR_SPACES.includes(s.colourSpace)) throw new ValueError(`selectiveSearch: strategies[${i}].colourSpace must be one of ${COLOUR_SPACES.join(', ')}, got ${JSON.stringify(s.colourSpace)}`);
    if (!Array.isArray(s.measures) || s.measures.length === 0 || (s.measures as readonly SimilarityMeasure[]).some((m) => !MEASURES.includes(m))) {
      throw new ValueError(`selectiveSearch: strategies[${i}].measures must be a non-empty list of ${MEASURES.join(', ')}, got ${JSON.stringify(s.measures)}`);
    }
    if (!(Number.isFinite(s.k) && s.k > 0)) throw new ValueError(`selectiveSearch: strategies[${i}].k must be a positive number, got ${s.k}`);
  });
}

/** The image as planar RGB float64 [3, H, W]; grey images are repeated over the three channels. */
function toRgb(image: Tensor): { rgb: Float64Array; h: number; w: number } {
  if (!(image instanceof Tensor)) throw new ValueError(`selectiveSearch: image must be a Tensor [H, W], [1, H, W] or [3, H, W], got ${typeof image}`);
  const shape = image.shape;
  const c = image.ndim === 2 ? 1 : image.ndim === 3 ? shape[0] : -1;
  if (c !== 1 && c !== 3) throw new ShapeError(`selectiveSearch: image must be [H, W], [1, H, W] or [3, H, W], got shape ${fmtShape(shape)}`);
  if (image.dtype !== 'float32' && image.dtype !== 'float64') throw new DTypeError(`selectiveSearch: image must be float32 or float64 in [0, 1], got dtype ${image.dtype}`);
  const h = shape[shape.length - 2];
  const w = shape[shape.length - 1];
  if (h === 0 || w === 0) throw new ShapeError(`selectiveSearch: image must not be empty, got shape ${fmtShape(shape)}`);
  const d = image.toTypedArray();
  const plane = h * w;
  const rgb = new Float64Array(3 * plane);
  for (let k = 0; k < 3; k++) {
    for (let p = 0; p < plane; p++) {
      const v = d[(c === 3 ? k * plane : 0) + p];
      if (!Number.isFinite(v)) throw new ValueError(`selectiveSearch: image must be finite, got ${v}`);
      rgb[k * plane + p] = Math.min(1, Math.max(0, v));
    }
  }
  return { rgb, h, w };
}

/** Every region box of one strategy's hierarchy, in creation order (the last is the top of the hierarchy). */
export function strategyRegions(rgb: Float64Array, h: number, w: number, s: SelectiveSearchStrategy, sigma: number, minSize: number): [number, number, number, number][] {
  const img = convertColourSpace(rgb, h * w, s.colourSpace);
  const c = colourSpaceChannels(s.colourSpace);
  const seg = felzenszwalbPlanar(img, c, h, w, { scale: s.k, sigma, minSize });
  const regions = regionFeatures(img, c, h, w, seg.labels, seg.numSegments);
  return hierarchicalGrouping(regions, adjacentPairs(seg.labels, h, w), h * w, s.measures);
}

/**
 * Object proposals for `image` ([H, W], [1, H, W] or [3, H, W], float in [0, 1]) by selective search: boxes
 * [x1, y1, x2, y2] in pixel-edge coordinates, best-ranked first, without duplicates. Deterministic for a given
 * seed or generator state.
 */
export function selectiveSearch(image: Tensor, opts: SelectiveSearchOptions = {}): BoxArray[] {
  const { rgb, h, w } = toRgb(image);
  const mode = opts.mode ?? 'fast';
  if (opts.strategies === undefined && !['single', 'fast', 'quality'].includes(mode)) throw new ValueError(`selectiveSearch: mode must be 'single', 'fast' or 'quality', got ${JSON.stringify(mode)}`);
  const strategies = opts.strategies ?? selectiveSearchStrategies(mode);
  checkStrategies(strategies);
  const sigma = opts.sigma ?? 0.8;
  if (!(Number.isFinite(sigma) && sigma >= 0)) throw new ValueError(`selectiveSearch: sigma must be a number >= 0, got ${sigma}`);
  if (opts.minSize !== undefined && !(Number.isInteger(opts.minSize) && opts.minSize >= 0)) throw new ValueError(`selectiveSearch: minSize must be an integer >= 0, got ${opts.minSize}`);
  const maxProposals = opts.maxProposals ?? Infinity;
  if (!(maxProposals >= 1)) throw new ValueError(`selectiveSearch: maxProposals must be >= 1, got ${maxProposals}`);
  const g = opts.generator ?? new Generator(opts.seed ?? 0);
  const ranked: { v: number; box: BoxArray }[] = [];
  for (const s of strategies) {
    const boxes = strategyRegions(rgb, h, w, s, sigma, opts.minSize ?? Math.max(1, Math.round((s.k * h * w) / PAPER_IMAGE_AREA)));
    boxes.forEach((box, idx) => ranked.push({ v: (boxes.length - idx) * g.random(), box }));
  }
  // a stable sort, so equal values keep strategy order and the result is the same on every engine
  ranked.sort((a, b) => a.v - b.v);
  const seen = new Set<string>();
  const out: BoxArray[] = [];
  for (const { box } of ranked) {
    const key = box.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(box);
    if (out.length >= maxProposals) break;
  }
  return out;
}
