/**
 * Selective search's hierarchical grouping (Uijlings et al. 2013, algorithm 1): repeatedly merge the two most
 * similar neighbouring regions, with similarity the sum of the chosen measures (colour and texture histogram
 * intersection, size, fill), until one region is left. Features of a merged region are propagated from its
 * parts (size-weighted histograms, union box), so no pixel is revisited.
 * @module
 */
import { assertNever } from '../errors.js';
import type { Region } from './region-features.js';

/** A similarity measure of selective search. */
export type SimilarityMeasure = 'colour' | 'texture' | 'size' | 'fill';

function intersect(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] < b[k] ? a[k] : b[k];
  return s;
}

/** s(ri, rj): the sum of `measures` for two regions of an image of `imSize` pixels. */
export function regionSimilarity(a: Region, b: Region, imSize: number, measures: readonly SimilarityMeasure[]): number {
  let s = 0;
  for (const m of measures) {
    switch (m) {
      case 'colour': s += intersect(a.colour, b.colour); break;
      case 'texture': s += intersect(a.texture, b.texture); break;
      case 'size': s += 1 - (a.size + b.size) / imSize; break;
      case 'fill': {
        const bw = Math.max(a.box[2], b.box[2]) - Math.min(a.box[0], b.box[0]);
        const bh = Math.max(a.box[3], b.box[3]) - Math.min(a.box[1], b.box[1]);
        s += 1 - (bw * bh - a.size - b.size) / imSize;
        break;
      }
      default: assertNever(m, 'similarity measure');
    }
  }
  return s;
}

function merge(a: Region, b: Region): Region {
  const size = a.size + b.size;
  const mix = (x: Float64Array, y: Float64Array): Float64Array => {
    const out = new Float64Array(x.length);
    for (let k = 0; k < x.length; k++) out[k] = (a.size * x[k] + b.size * y[k]) / size;
    return out;
  };
  return {
    size,
    box: [Math.min(a.box[0], b.box[0]), Math.min(a.box[1], b.box[1]), Math.max(a.box[2], b.box[2]), Math.max(a.box[3], b.box[3])],
    colour: mix(a.colour, b.colour),
    texture: mix(a.texture, b.texture),
  };
}

/** A binary max-heap of [similarity, i, j], ties broken by the smaller pair so the order never depends on insertion. */
class PairHeap {
  private s: number[] = [];
  private i: number[] = [];
  private j: number[] = [];
  get length(): number {
    return this.s.length;
  }
  private above(a: number, b: number): boolean {
    if (this.s[a] !== this.s[b]) return this.s[a] > this.s[b];
    if (this.i[a] !== this.i[b]) return this.i[a] < this.i[b];
    return this.j[a] < this.j[b];
  }
  private swap(a: number, b: number): void {
    for (const arr of [this.s, this.i, this.j]) {
      const t = arr[a];
      arr[a] = arr[b];
      arr[b] = t;
    }
  }
  push(s: number, i: number, j: number): void {
    this.s.push(s);
    this.i.push(i);
    this.j.push(j);
    let k = this.s.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!this.above(k, p)) break;
      this.swap(k, p);
      k = p;
    }
  }
  pop(): [number, number] {
    const top: [number, number] = [this.i[0], this.j[0]];
    const last = this.s.length - 1;
    this.swap(0, last);
    this.s.pop();
    this.i.pop();
    this.j.pop();
    let k = 0;
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < this.s.length && this.above(l, m)) m = l;
      if (r < this.s.length && this.above(r, m)) m = r;
      if (m === k) break;
      this.swap(k, m);
      k = m;
    }
    return top;
  }
}

/**
 * Groups `initial` regions (adjacent pairs in `pairs`) bottom-up; returns every region's box in creation order:
 * the initial ones, then one per merge, the last being the whole connected image.
 */
export function hierarchicalGrouping(initial: readonly Region[], pairs: readonly (readonly [number, number])[], imSize: number, measures: readonly SimilarityMeasure[]): [number, number, number, number][] {
  const regions: Region[] = initial.slice();
  const alive: boolean[] = regions.map(() => true);
  const nbrs: Set<number>[] = regions.map(() => new Set<number>());
  const heap = new PairHeap();
  for (const [i, j] of pairs) {
    nbrs[i].add(j);
    nbrs[j].add(i);
    heap.push(regionSimilarity(regions[i], regions[j], imSize, measures), i, j);
  }
  while (heap.length > 0) {
    const [i, j] = heap.pop();
    if (!alive[i] || !alive[j]) continue;
    const t = regions.length;
    regions.push(merge(regions[i], regions[j]));
    alive[i] = false;
    alive[j] = false;
    alive.push(true);
    const around = new Set<number>();
    for (const k of [...nbrs[i], ...nbrs[j]]) if (alive[k]) around.add(k);
    nbrs.push(around);
    for (const k of around) {
      nbrs[k].delete(i);
      nbrs[k].delete(j);
      nbrs[k].add(t);
      heap.push(regionSimilarity(regions[k], regions[t], imSize, measures), k, t);
    }
  }
  return regions.map((r) => [r.box[0], r.box[1], r.box[2], r.box[3]]);
}
