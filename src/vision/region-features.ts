/**
 * Per-region descriptors of selective search's initial regions (Uijlings et al. 2013, section 3.2): L1-normalised
 * colour histograms (25 bins per channel), texture histograms of Gaussian derivatives (sigma 1, 8 orientations,
 * 10 bins per orientation and channel), sizes, bounding boxes and the region adjacency.
 * @module
 */
import { gaussianSmoothPlanar } from './felzenszwalb.js';

/** Colour histogram bins per channel. */
export const COLOUR_BINS = 25;
/** Texture histogram bins per orientation and channel. */
export const TEXTURE_BINS = 10;
/** Gradient orientations of the texture histogram. */
export const ORIENTATIONS = 8;

/** One region: its size in pixels, box [x1, y1, x2, y2] (pixel edges) and normalised histograms. */
export interface Region {
  /** Pixels in the region. */
  size: number;
  /** Bounding box [x1, y1, x2, y2] in pixel edges. */
  box: [number, number, number, number];
  /** Colour histogram, C * COLOUR_BINS values summing to 1. */
  colour: Float64Array;
  /** Texture histogram, C * ORIENTATIONS * TEXTURE_BINS values summing to 1. */
  texture: Float64Array;
}

/**
 * Each pixel's bin index per texture feature: for channel ch and orientation o, the positive part of the Gaussian
 * derivative along angle o * 45 degrees, binned over [0, the largest response of that channel].
 */
function textureBins(img: Float64Array, c: number, h: number, w: number): Int32Array {
  const plane = h * w;
  const s = gaussianSmoothPlanar(img, c, h, w, 1);
  const bins = new Int32Array(c * ORIENTATIONS * plane);
  const resp = new Float64Array(ORIENTATIONS * plane);
  for (let ch = 0; ch < c; ch++) {
    const o = ch * plane;
    let max = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const gx = (s[o + y * w + Math.min(x + 1, w - 1)] - s[o + y * w + Math.max(x - 1, 0)]) / 2;
        const gy = (s[o + Math.min(y + 1, h - 1) * w + x] - s[o + Math.max(y - 1, 0) * w + x]) / 2;
        for (let k = 0; k < ORIENTATIONS; k++) {
          const a = (k * Math.PI) / 4;
          const r = Math.max(0, Math.cos(a) * gx + Math.sin(a) * gy);
          resp[k * plane + y * w + x] = r;
          if (r > max) max = r;
        }
      }
    }
    for (let k = 0; k < ORIENTATIONS; k++) {
      for (let p = 0; p < plane; p++) {
        const v = max > 0 ? resp[k * plane + p] / max : 0;
        bins[(ch * ORIENTATIONS + k) * plane + p] = Math.min(TEXTURE_BINS - 1, Math.floor(v * TEXTURE_BINS));
      }
    }
  }
  return bins;
}

/** The regions of label map `labels` (values 0..n-1) over planar image `img` [c, h, w] with channels in [0, 1]. */
export function regionFeatures(img: Float64Array, c: number, h: number, w: number, labels: Int32Array, n: number): Region[] {
  const plane = h * w;
  const cDim = c * COLOUR_BINS;
  const tDim = c * ORIENTATIONS * TEXTURE_BINS;
  const regions: Region[] = [];
  for (let i = 0; i < n; i++) regions.push({ size: 0, box: [w, h, 0, 0], colour: new Float64Array(cDim), texture: new Float64Array(tDim) });
  const tex = textureBins(img, c, h, w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const r = regions[labels[p]];
      r.size++;
      if (x < r.box[0]) r.box[0] = x;
      if (y < r.box[1]) r.box[1] = y;
      if (x + 1 > r.box[2]) r.box[2] = x + 1;
      if (y + 1 > r.box[3]) r.box[3] = y + 1;
      for (let ch = 0; ch < c; ch++) {
        r.colour[ch * COLOUR_BINS + Math.min(COLOUR_BINS - 1, Math.floor(img[ch * plane + p] * COLOUR_BINS))] += 1;
        for (let k = 0; k < ORIENTATIONS; k++) {
          const f = ch * ORIENTATIONS + k;
          r.texture[f * TEXTURE_BINS + tex[f * plane + p]] += 1;
        }
      }
    }
  }
  for (const r of regions) {
    // L1-normalised over the whole descriptor, so the intersection of two histograms lies in [0, 1]
    const cs = r.size * c;
    const ts = r.size * c * ORIENTATIONS;
    for (let k = 0; k < cDim; k++) r.colour[k] /= cs;
    for (let k = 0; k < tDim; k++) r.texture[k] /= ts;
  }
  return regions;
}

/** Pairs [i, j] (i < j) of regions that touch (8-connectivity), each pair once. */
export function adjacentPairs(labels: Int32Array, h: number, w: number): [number, number][] {
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  const n = labels.reduce((m, v) => Math.max(m, v), 0) + 1;
  const add = (a: number, b: number): void => {
    if (a === b) return;
    const i = Math.min(a, b);
    const j = Math.max(a, b);
    const key = i * n + j;
    if (seen.has(key)) return;
    seen.add(key);
    pairs.push([i, j]);
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const a = labels[y * w + x];
      if (x + 1 < w) add(a, labels[y * w + x + 1]);
      if (y + 1 < h) {
        add(a, labels[(y + 1) * w + x]);
        if (x + 1 < w) add(a, labels[(y + 1) * w + x + 1]);
        if (x > 0) add(a, labels[(y + 1) * w + x - 1]);
      }
    }
  }
  return pairs;
}
