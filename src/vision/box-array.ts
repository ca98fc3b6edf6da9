/**
 * Box arithmetic on plain number arrays ([x1, y1, x2, y2], pixel-edge coordinates, x2 > x1 for a non-empty box),
 * for code that works on proposals and annotations before they become tensors (selective search, the canvas set,
 * box-aware augmentation, proposal recall). Tensor box ops with gradients live in the box-op files.
 * @module
 */
import { ValueError } from '../errors.js';

/** A box [x1, y1, x2, y2] as plain numbers. */
export type BoxArray = readonly [number, number, number, number];

/** Area of one box (0 when degenerate). */
export function boxArrayArea(b: ArrayLike<number>): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

/** Intersection over union of two boxes (0 when both are empty), as torchvision's box_iou for one pair. */
export function boxArrayIou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = boxArrayArea(a) + boxArrayArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** Checks that every entry of `boxes` is 4 finite numbers with x1 <= x2 and y1 <= y2; `what` names the argument. */
export function checkBoxArrays(op: string, what: string, boxes: readonly ArrayLike<number>[]): void {
  if (!Array.isArray(boxes)) throw new ValueError(`${op}: ${what} must be an array of [x1, y1, x2, y2] boxes, got ${typeof boxes}`);
  boxes.forEach((b, i) => {
    if (!b || b.length !== 4) throw new ValueError(`${op}: ${what}[${i}] must be [x1, y1, x2, y2], got ${JSON.stringify(b)}`);
    for (let k = 0; k < 4; k++) if (!Number.isFinite(b[k])) throw new ValueError(`${op}: ${what}[${i}] must be finite, got [${Array.from(b).join(', ')}]`);
    if (b[2] < b[0] || b[3] < b[1]) throw new ValueError(`${op}: ${what}[${i}] must have x1 <= x2 and y1 <= y2, got [${Array.from(b).join(', ')}]`);
  });
}

/**
 * Proposal recall: the fraction of ground-truth boxes (over all images) that some proposal among the first `topK`
 * of their image covers with IoU >= `iouThreshold`. `proposals[i]` and `groundTruth[i]` belong to image i.
 */
export function proposalRecall(proposals: readonly (readonly BoxArray[])[], groundTruth: readonly (readonly BoxArray[])[], iouThreshold: number, topK = Infinity): number {
  if (proposals.length !== groundTruth.length) throw new ValueError(`proposalRecall: proposals has ${proposals.length} images but groundTruth has ${groundTruth.length}`);
  if (!(iouThreshold >= 0 && iouThreshold <= 1)) throw new ValueError(`proposalRecall: iouThreshold must be in [0, 1], got ${iouThreshold}`);
  if (!(topK >= 1)) throw new ValueError(`proposalRecall: topK must be >= 1, got ${topK}`);
  let hit = 0;
  let total = 0;
  groundTruth.forEach((gts, i) => {
    const props = proposals[i].slice(0, topK);
    for (const g of gts) {
      total++;
      if (props.some((p) => boxArrayIou(p, g) >= iouThreshold)) hit++;
    }
  });
  return total === 0 ? 0 : hit / total;
}
