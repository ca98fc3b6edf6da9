/**
 * Training targets of R-CNN and Fast R-CNN from region proposals: each proposal is labelled by its best IoU with
 * the ground truth (an object class at IoU >= `fgIou`, background in [`bgIouLow`, `bgIouHigh`), ignored otherwise),
 * a seeded sample of `batchSize` proposals per image keeps at most `positiveFraction` positives (R-CNN: 32 of 128;
 * Fast R-CNN: 16 of 64 per image), and each sampled proposal gets its matched box's regression target. Runs on
 * the host: labelling and sampling are bookkeeping, not differentiable.
 * @module
 */
import { ValueError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import { Generator, defaultGenerator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { boxArrayIou } from '../../vision/box-array.js';
import type { BoxCoder } from '../../vision/box-coder.js';

/** Options of labelProposals. */
export interface LabelOptions {
  /** Smallest IoU with a ground-truth box for an object label (default 0.5, both papers). */
  fgIou?: number;
  /** Background IoU range [low, high) (default [0, 0.5): R-CNN's fine-tuning and torchvision; Fast R-CNN used [0.1, 0.5)). */
  bgIou?: readonly [number, number];
}

/** Options of sampleProposals. */
export interface ProposalSampleOptions {
  /** Proposals kept per image (default 64, Fast R-CNN's 128 RoIs over 2 images). */
  batchSize?: number;
  /** Largest share of positives in the sample (default 0.25); backgrounds fill the rest. */
  positiveFraction?: number;
  /** Drives the random choice (default the global generator, seeded by manualSeed). */
  generator?: Generator;
}

/** Per proposal: `labels` (0 background, c + 1 for object class c, -1 ignored), `matched` ground-truth index (-1 none) and `maxIou`. */
export interface ProposalLabels {
  /** 0 = background, c + 1 = object class c, -1 = neither (left out of training). */
  labels: Int32Array;
  /** Index of the ground-truth box with the highest IoU (-1 when the image has none). */
  matched: Int32Array;
  /** That highest IoU (0 when the image has no ground truth). */
  maxIou: Float64Array;
}

function checkFlatBoxes(fn: string, what: string, boxes: ArrayLike<number>): number {
  if (boxes === null || typeof boxes !== 'object' || typeof boxes.length !== 'number' || boxes.length % 4 !== 0) {
    throw new ValueError(`${fn}: ${what} must be a flat array of 4 numbers per box (x1, y1, x2, y2), got ${boxes === null ? 'null' : typeof boxes}${typeof boxes?.length === 'number' ? ` of length ${boxes.length}` : ''}`);
  }
  for (let i = 0; i < boxes.length; i += 4) {
    const b = [boxes[i], boxes[i + 1], boxes[i + 2], boxes[i + 3]];
    if (!b.every(Number.isFinite) || b[2] < b[0] || b[3] < b[1]) throw new ValueError(`${fn}: ${what} box ${i / 4} must be finite with x1 <= x2 and y1 <= y2, got [${b.join(', ')}]`);
  }
  return boxes.length / 4;
}

function checkFraction(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ValueError(`${fn}: ${name} must be a number in [0, 1], got ${String(v)}`);
  return v;
}

/**
 * Labels P proposals (flat [P * 4], xyxy) against K ground-truth boxes (flat [K * 4]) of classes `gtLabels` [K]
 * (0-based): see ProposalLabels. A proposal is matched to the box it overlaps most (the first on ties).
 */
export function labelProposals(proposals: ArrayLike<number>, gtBoxes: ArrayLike<number>, gtLabels: ArrayLike<number>, opts: LabelOptions = {}): ProposalLabels {
  const fn = 'labelProposals';
  const p = checkFlatBoxes(fn, 'proposals', proposals);
  const k = checkFlatBoxes(fn, 'gtBoxes', gtBoxes);
  if (gtLabels === null || typeof gtLabels !== 'object' || gtLabels.length !== k) throw new ValueError(`${fn}: gtLabels must hold one class per ground-truth box (${k}), got ${gtLabels?.length ?? String(gtLabels)}`);
  for (let j = 0; j < k; j++) if (!Number.isInteger(gtLabels[j]) || gtLabels[j] < 0) throw new ValueError(`${fn}: gtLabels must be class indices >= 0, got ${gtLabels[j]} at ${j}`);
  const fg = checkFraction(fn, 'fgIou', opts.fgIou ?? 0.5);
  const bg = opts.bgIou ?? [0, 0.5];
  if (!Array.isArray(bg) || bg.length !== 2 || !(bg[0] >= 0 && bg[0] <= bg[1] && bg[1] <= 1)) throw new ValueError(`${fn}: bgIou must be [low, high] with 0 <= low <= high <= 1, got ${JSON.stringify(bg)}`);
  const labels = new Int32Array(p);
  const matched = new Int32Array(p).fill(-1);
  const maxIou = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const box = [proposals[4 * i], proposals[4 * i + 1], proposals[4 * i + 2], proposals[4 * i + 3]];
    for (let j = 0; j < k; j++) {
      const iou = boxArrayIou(box, [gtBoxes[4 * j], gtBoxes[4 * j + 1], gtBoxes[4 * j + 2], gtBoxes[4 * j + 3]]);
      if (iou > maxIou[i] || matched[i] < 0) {
        maxIou[i] = iou;
        matched[i] = j;
      }
    }
    if (k > 0 && maxIou[i] >= fg) labels[i] = gtLabels[matched[i]] + 1;
    else labels[i] = maxIou[i] >= bg[0] && maxIou[i] < bg[1] ? 0 : -1;
  }
  return { labels, matched, maxIou };
}

/** The first `n` of a seeded Fisher-Yates shuffle of `items`. */
function pick(items: number[], n: number, g: Generator): number[] {
  const a = items.slice();
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(g.random() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/**
 * A balanced sample of proposals by `labels` (as labelProposals gives): min(#positives, batchSize *
 * positiveFraction) positives, then backgrounds up to batchSize in all, each drawn without replacement
 * (torchvision's BalancedPositiveNegativeSampler). Returns the chosen indices, positives first.
 */
export function sampleProposals(labels: ArrayLike<number>, opts: ProposalSampleOptions = {}): Int32Array {
  const fn = 'sampleProposals';
  const batchSize = opts.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`${fn}: batchSize must be a positive integer, got ${String(batchSize)}`);
  const frac = checkFraction(fn, 'positiveFraction', opts.positiveFraction ?? 0.25);
  const g = opts.generator ?? defaultGenerator;
  if (!(g instanceof Generator)) throw new ValueError(`${fn}: generator must be a Generator, got ${typeof g}`);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] > 0) pos.push(i);
    else if (labels[i] === 0) neg.push(i);
  }
  const nPos = Math.min(pos.length, Math.floor(batchSize * frac));
  const nNeg = Math.min(neg.length, batchSize - nPos);
  return Int32Array.from([...pick(pos, nPos, g), ...pick(neg, nNeg, g)]);
}

/** Sampled RoIs of one image with their training targets. */
export interface RoiTargets {
  /** The sampled boxes [R, 4] (float32, xyxy). */
  rois: Tensor;
  /** Their labels [R] int32 (0 background, c + 1 object class c). */
  labels: Tensor;
  /** Regression targets [R, 4] of the matched ground truth relative to each RoI (zeros for background). */
  regressionTargets: Tensor;
}

/** Options of roiTargets: labelling, sampling, and whether ground-truth boxes join the proposals. */
export interface RoiTargetOptions extends LabelOptions, ProposalSampleOptions {
  /** Add the ground-truth boxes to the proposals, as both papers do in training (default true). */
  includeGroundTruth?: boolean;
}

/**
 * One image's training RoIs: proposals (flat [P * 4]) plus, by default, the ground-truth boxes, labelled,
 * sampled, and given `coder`'s regression targets (see the module comment).
 */
export function roiTargets(proposals: ArrayLike<number>, gtBoxes: ArrayLike<number>, gtLabels: ArrayLike<number>, coder: BoxCoder, opts: RoiTargetOptions = {}): RoiTargets {
  const all = opts.includeGroundTruth ?? true ? Float32Array.from([...Array.from(proposals), ...Array.from(gtBoxes)]) : Float32Array.from(proposals);
  const lab = labelProposals(all, gtBoxes, gtLabels, opts);
  const keep = sampleProposals(lab.labels, opts);
  const r = keep.length;
  const rois = new Float32Array(4 * r);
  const labels = new Int32Array(r);
  const matchedBoxes = new Float32Array(4 * r);
  keep.forEach((i, n) => {
    rois.set(all.subarray(4 * i, 4 * i + 4), 4 * n);
    labels[n] = lab.labels[i];
    // background rows regress onto themselves (zero targets), as their box loss is never counted
    const src = lab.labels[i] > 0 ? Array.from(gtBoxes).slice(4 * lab.matched[i], 4 * lab.matched[i] + 4) : all.subarray(4 * i, 4 * i + 4);
    matchedBoxes.set(src, 4 * n);
  });
  const roiT = tensor(rois, { shape: [r, 4] });
  return { rois: roiT, labels: tensor(labels, { shape: [r] }), regressionTargets: coder.encodeSingle(tensor(matchedBoxes, { shape: [r, 4] }), roiT) };
}
