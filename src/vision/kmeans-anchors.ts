/**
 * Anchor shapes by k-means on box sizes with the distance 1 - IoU (Redmon & Farhadi, YOLO9000: Better, Faster,
 * Stronger, CVPR 2017, "Dimension Clusters"): boxes are compared by shape only (both centred at one point), so a
 * large box is not pulled apart from other large boxes by Euclidean distances in pixels as plain k-means would.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of kmeansAnchors(). */
export interface KMeansAnchorsOptions {
  /** Seed of the k-means++ initialisation (default 0). */
  seed?: number;
  /** Most assignment/update rounds (default 300); it stops earlier once no box changes cluster. */
  maxIter?: number;
}

/** The result of kmeansAnchors(). */
export interface KMeansAnchors {
  /** k anchor shapes [width, height] in the boxes' units, smallest area first. */
  anchors: [number, number][];
  /** Mean over the boxes of the IoU with their closest anchor (the paper's "Avg IOU", table 1). */
  meanIou: number;
  /** Rounds run. */
  iterations: number;
}

/** IoU of two shapes centred at one point. */
export function shapeIou(w1: number, h1: number, w2: number, h2: number): number {
  const inter = Math.min(w1, w2) * Math.min(h1, h2);
  return inter / (w1 * h1 + w2 * h2 - inter);
}

function boxSizes(fn: string, boxes: Tensor | readonly ArrayLike<number>[]): Float64Array {
  let flat: ArrayLike<number>;
  let m: number;
  if (boxes instanceof Tensor) {
    if (boxes.ndim !== 2 || boxes.shape[1] !== 4) throw new ShapeError(`${fn}: boxes must have shape [M, 4] (x1, y1, x2, y2), got ${fmtShape(boxes.shape)}`);
    flat = boxes.contiguous().toTypedArray() as ArrayLike<number>;
    m = boxes.shape[0];
  } else {
    if (!Array.isArray(boxes)) throw new ValueError(`${fn}: boxes must be a [M, 4] tensor or an array of [x1, y1, x2, y2] boxes, got ${typeof boxes}`);
    m = boxes.length;
    const f = new Float64Array(4 * m);
    boxes.forEach((b, i) => {
      if (!b || b.length !== 4) throw new ShapeError(`${fn}: boxes[${i}] must be [x1, y1, x2, y2], got ${JSON.stringify(b)}`);
      for (let q = 0; q < 4; q++) f[4 * i + q] = b[q];
    });
    flat = f;
  }
  const wh = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    const w = flat[4 * i + 2] - flat[4 * i];
    const h = flat[4 * i + 3] - flat[4 * i + 1];
    if (!(Number.isFinite(w) && Number.isFinite(h) && w > 0 && h > 0)) {
      throw new ValueError(`${fn}: box ${i} must be finite with x2 > x1 and y2 > y1, got [${Array.from({ length: 4 }, (_, q) => flat[4 * i + q]).join(', ')}]`);
    }
    wh[2 * i] = w;
    wh[2 * i + 1] = h;
  }
  return wh;
}

/**
 * k anchor shapes from boxes [M, 4] (xyxy; a tensor or arrays): k-means over the (width, height) pairs with the
 * distance 1 - IoU of the shapes, k-means++ seeding (seeded), each centroid the mean width and height of its boxes,
 * an emptied cluster re-seeded with the box farthest from every centroid. Returns the anchors [k][2] (smallest area
 * first) in the boxes' units, the mean best IoU of the boxes with them, and the rounds run.
 */
export function kmeansAnchors(boxes: Tensor | readonly ArrayLike<number>[], k: number, opts: KMeansAnchorsOptions = {}): KMeansAnchors {
  const fn = 'kmeansAnchors';
  const wh = boxSizes(fn, boxes);
  const m = wh.length / 2;
  if (!Number.isInteger(k) || k < 1) throw new ValueError(`${fn}: k must be a positive integer, got ${String(k)}`);
  if (k > m) throw new ValueError(`${fn}: k must be at most the number of boxes (${m}), got ${k}`);
  const maxIter = opts.maxIter ?? 300;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new ValueError(`${fn}: maxIter must be a positive integer, got ${String(maxIter)}`);
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(seed)) throw new ValueError(`${fn}: seed must be an integer, got ${String(seed)}`);
  const gen = new Generator(seed);
  const cw = new Float64Array(k);
  const ch = new Float64Array(k);
  // k-means++: each next centre drawn with probability proportional to its distance from the nearest chosen one
  const near = new Float64Array(m).fill(Infinity);
  let pick = Math.min(Math.floor(gen.random() * m), m - 1);
  for (let c = 0; c < k; c++) {
    cw[c] = wh[2 * pick];
    ch[c] = wh[2 * pick + 1];
    let total = 0;
    for (let i = 0; i < m; i++) {
      near[i] = Math.min(near[i], 1 - shapeIou(wh[2 * i], wh[2 * i + 1], cw[c], ch[c]));
      total += near[i];
    }
    if (c === k - 1) break;
    if (total <= 0) {
      pick = Math.min(Math.floor(gen.random() * m), m - 1); // every box already sits on a centre
      continue;
    }
    let r = gen.random() * total;
    pick = m - 1;
    for (let i = 0; i < m; i++) {
      r -= near[i];
      if (r < 0 && near[i] > 0) {
        pick = i;
        break;
      }
    }
  }
  const assign = new Int32Array(m).fill(-1);
  const best = new Float64Array(m);
  let iterations = 0;
  while (iterations < maxIter) {
    iterations++;
    let changed = 0;
    for (let i = 0; i < m; i++) {
      let a = 0;
      let bi = -1;
      for (let c = 0; c < k; c++) {
        const iou = shapeIou(wh[2 * i], wh[2 * i + 1], cw[c], ch[c]);
        if (iou > bi) [a, bi] = [c, iou];
      }
      best[i] = bi;
      if (assign[i] !== a) changed++;
      assign[i] = a;
    }
    if (changed === 0) break;
    const sw = new Float64Array(k);
    const sh = new Float64Array(k);
    const cnt = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      sw[assign[i]] += wh[2 * i];
      sh[assign[i]] += wh[2 * i + 1];
      cnt[assign[i]]++;
    }
    for (let c = 0; c < k; c++) {
      if (cnt[c] > 0) {
        cw[c] = sw[c] / cnt[c];
        ch[c] = sh[c] / cnt[c];
        continue;
      }
      let far = 0;
      for (let i = 1; i < m; i++) if (best[i] < best[far]) far = i;
      cw[c] = wh[2 * far];
      ch[c] = wh[2 * far + 1];
      best[far] = 1; // not chosen twice in one round
    }
  }
  let sum = 0;
  for (let i = 0; i < m; i++) {
    let bi = 0;
    for (let c = 0; c < k; c++) bi = Math.max(bi, shapeIou(wh[2 * i], wh[2 * i + 1], cw[c], ch[c]));
    sum += bi;
  }
  const anchors = Array.from({ length: k }, (_, c) => [cw[c], ch[c]] as [number, number]).sort((a, b) => a[0] * a[1] - b[0] * b[1]);
  return { anchors, meanIou: sum / m, iterations };
}
