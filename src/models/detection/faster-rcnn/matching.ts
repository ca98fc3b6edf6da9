/**
 * The bookkeeping shared by the RPN and the RoI heads (torchvision.models.detection._utils): the IoU matrix of
 * ground-truth boxes against anchors or proposals, the `Matcher` that gives each anchor/proposal a ground-truth
 * index (or "below the low threshold" / "between the thresholds"), and the `BalancedPositiveNegativeSampler`
 * that draws a fixed-size, positive-capped minibatch of them. All on host arrays: nothing here is differentiated.
 * @module
 */
import { ValueError } from '../../../errors.js';
import { Generator, defaultGenerator } from '../../../tensor/random.js';

/** Matcher's code for a prediction whose best IoU is below the low threshold (background). */
export const BELOW_LOW_THRESHOLD = -1;
/** Matcher's code for a prediction whose best IoU lies between the thresholds (ignored). */
export const BETWEEN_THRESHOLDS = -2;

/**
 * IoU [M * N] (row-major, ground truth by row) of `a` (M boxes, flat xyxy) against `b` (N boxes), as
 * torchvision.ops.box_iou; two empty boxes give NaN as there, so callers feed valid ground truth.
 */
export function iouMatrix(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const m = a.length / 4;
  const n = b.length / 4;
  const out = new Float64Array(m * n);
  const areaB = new Float64Array(n);
  for (let j = 0; j < n; j++) areaB[j] = (b[4 * j + 2] - b[4 * j]) * (b[4 * j + 3] - b[4 * j + 1]);
  for (let i = 0; i < m; i++) {
    const [ax1, ay1, ax2, ay2] = [a[4 * i], a[4 * i + 1], a[4 * i + 2], a[4 * i + 3]];
    const areaA = (ax2 - ax1) * (ay2 - ay1);
    for (let j = 0; j < n; j++) {
      const w = Math.max(0, Math.min(ax2, b[4 * j + 2]) - Math.max(ax1, b[4 * j]));
      const h = Math.max(0, Math.min(ay2, b[4 * j + 3]) - Math.max(ay1, b[4 * j + 1]));
      const inter = w * h;
      out[i * n + j] = inter / (areaA + areaB[j] - inter);
    }
  }
  return out;
}

/** Options of `Matcher`. */
export interface MatcherOptions {
  /** Also match each ground truth to the predictions it overlaps best, whatever their IoU (the RPN's rule; default false). */
  allowLowQualityMatches?: boolean;
}

/**
 * Assigns each prediction (anchor or proposal) the ground truth it overlaps most when that IoU is at least
 * `highThreshold`, else BELOW_LOW_THRESHOLD (IoU < `lowThreshold`) or BETWEEN_THRESHOLDS (torchvision's Matcher).
 * With `allowLowQualityMatches`, every prediction that ties for a ground truth's best IoU keeps its best match
 * even below the thresholds, so each ground truth gets at least one prediction.
 */
export class Matcher {
  /** IoU at or above which a prediction is matched. */
  readonly highThreshold: number;
  /** IoU below which a prediction is background. */
  readonly lowThreshold: number;
  /** Whether each ground truth keeps its best predictions whatever their IoU. */
  readonly allowLowQualityMatches: boolean;

  /** A matcher with the two thresholds (`lowThreshold` <= `highThreshold`, both in [0, 1]). */
  constructor(highThreshold: number, lowThreshold: number, opts: MatcherOptions = {}) {
    const ok = (v: number) => typeof v === 'number' && v >= 0 && v <= 1;
    if (!ok(highThreshold) || !ok(lowThreshold) || lowThreshold > highThreshold) {
      throw new ValueError(`Matcher: thresholds must satisfy 0 <= lowThreshold <= highThreshold <= 1, got highThreshold ${String(highThreshold)}, lowThreshold ${String(lowThreshold)}`);
    }
    this.highThreshold = highThreshold;
    this.lowThreshold = lowThreshold;
    this.allowLowQualityMatches = opts.allowLowQualityMatches ?? false;
  }

  /**
   * Matched ground-truth index per prediction (Int32Array [N]; or a negative code) from the IoU matrix `quality`
   * [M * N] of M ground-truth boxes (rows) against N predictions; M must be at least 1 (as torchvision requires).
   */
  match(quality: ArrayLike<number>, m: number, n: number): Int32Array {
    if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || n < 0 || quality.length !== m * n) {
      throw new ValueError(`Matcher.match: quality must hold M * N values for M >= 1 ground-truth boxes, got ${quality.length} values for M = ${m}, N = ${n}`);
    }
    const matches = new Int32Array(n);
    const best = new Float64Array(n).fill(-Infinity);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        if (quality[i * n + j] > best[j]) {
          best[j] = quality[i * n + j];
          matches[j] = i;
        }
      }
    }
    const all = matches.slice();
    for (let j = 0; j < n; j++) {
      if (best[j] < this.lowThreshold) matches[j] = BELOW_LOW_THRESHOLD;
      else if (best[j] < this.highThreshold) matches[j] = BETWEEN_THRESHOLDS;
    }
    if (this.allowLowQualityMatches) {
      for (let i = 0; i < m; i++) {
        let top = -Infinity;
        for (let j = 0; j < n; j++) top = Math.max(top, quality[i * n + j]);
        for (let j = 0; j < n; j++) if (quality[i * n + j] === top) matches[j] = all[j];
      }
    }
    return matches;
  }
}

/** A sampled minibatch: indices of the chosen positives and negatives, each increasing. */
export interface SampledIndices {
  /** Chosen positives (label >= 1). */
  positive: Int32Array;
  /** Chosen negatives (label 0). */
  negative: Int32Array;
}

/** `count` of `pool`'s entries, drawn without replacement (a partial Fisher-Yates), returned in increasing order. */
function drawSorted(pool: number[], count: number, g: Generator): Int32Array {
  const p = pool.slice();
  for (let i = 0; i < count; i++) {
    const j = i + g.randint(0, p.length - i);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return Int32Array.from(p.slice(0, count)).sort();
}

/**
 * Draws `batchSizePerImage` labelled predictions per image with at most `positiveFraction` of them positive
 * (label >= 1), filling the rest with negatives (label 0); ignored ones (label -1) are never drawn
 * (torchvision's BalancedPositiveNegativeSampler). Draws come from `generator` (default: the global one).
 */
export class BalancedPositiveNegativeSampler {
  /** Predictions drawn per image (fewer when too few are labelled). */
  readonly batchSizePerImage: number;
  /** Largest share of positives. */
  readonly positiveFraction: number;
  private readonly generator: Generator | undefined;

  /** A sampler of `batchSizePerImage` with at most `positiveFraction` positives. */
  constructor(batchSizePerImage: number, positiveFraction: number, generator?: Generator) {
    if (!Number.isInteger(batchSizePerImage) || batchSizePerImage < 1) throw new ValueError(`BalancedPositiveNegativeSampler: batchSizePerImage must be a positive integer, got ${String(batchSizePerImage)}`);
    if (typeof positiveFraction !== 'number' || !(positiveFraction >= 0 && positiveFraction <= 1)) throw new ValueError(`BalancedPositiveNegativeSampler: positiveFraction must be in [0, 1], got ${String(positiveFraction)}`);
    if (generator !== undefined && !(generator instanceof Generator)) throw new ValueError('BalancedPositiveNegativeSampler: generator must be a Generator');
    this.batchSizePerImage = batchSizePerImage;
    this.positiveFraction = positiveFraction;
    this.generator = generator;
  }

  /** The chosen positives and negatives of one image's labels (>= 1 positive, 0 negative, -1 ignored). */
  sample(labels: ArrayLike<number>): SampledIndices {
    const pos: number[] = [];
    const neg: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] >= 1) pos.push(i);
      else if (labels[i] === 0) neg.push(i);
    }
    const numPos = Math.min(pos.length, Math.floor(this.batchSizePerImage * this.positiveFraction));
    const numNeg = Math.min(neg.length, this.batchSizePerImage - numPos);
    const g = this.generator ?? defaultGenerator;
    return { positive: drawSorted(pos, numPos, g), negative: drawSorted(neg, numNeg, g) };
  }
}
