/**
 * Box geometry as torchvision.ops.boxes: format conversion, areas, pairwise IoU and generalized IoU, clipping to
 * an image and dropping small boxes. Boxes are rows (x1, y1, x2, y2) unless a format says otherwise. Built from
 * tensor ops, so every result that torchvision differentiates is differentiable here with the same gradients.
 * Like torchvision, nothing here rejects inverted or empty boxes: their areas and IoUs are what the formulas give
 * (a zero-area box has IoU NaN with another zero-area box, 0/0).
 * @module
 */
import { ValueError, assertNever } from '../errors.js';
import { clamp, div, maximum, minimum, mul, sub, add } from '../ops/elementwise.js';
import { select, slice } from '../ops/indexing.js';
import { reshape, stack, unsqueeze, clone } from '../ops/movement.js';
import { unbind } from '../ops/shape.js';
import { fromHost } from '../autograd/primitives.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBoxes, checkBoxesAnyBatch, checkImageSize } from './check.js';

/** A box layout: corners (x1, y1, x2, y2), corner and size (x, y, w, h), or centre and size (cx, cy, w, h). */
export type BoxFormat = 'xyxy' | 'xywh' | 'cxcywh';

const FORMATS: readonly BoxFormat[] = ['xyxy', 'xywh', 'cxcywh'];

function checkFormat(fmt: unknown, arg: string): BoxFormat {
  if (!FORMATS.includes(fmt as BoxFormat)) {
    throw new ValueError(`boxConvert: ${arg} must be one of 'xyxy', 'xywh', 'cxcywh', got ${JSON.stringify(fmt)}`);
  }
  return fmt as BoxFormat;
}

function toXyxy(boxes: Tensor, fmt: BoxFormat): Tensor {
  switch (fmt) {
    case 'xyxy':
      return boxes;
    case 'xywh': {
      const [x, y, w, h] = unbind(boxes, -1);
      return stack([x, y, add(x, w), add(y, h)], -1);
    }
    case 'cxcywh': {
      const [cx, cy, w, h] = unbind(boxes, -1);
      const hw = mul(w, 0.5);
      const hh = mul(h, 0.5);
      return stack([sub(cx, hw), sub(cy, hh), add(cx, hw), add(cy, hh)], -1);
    }
    default:
      return assertNever(fmt, 'box format');
  }
}

function fromXyxy(boxes: Tensor, fmt: BoxFormat): Tensor {
  switch (fmt) {
    case 'xyxy':
      return boxes;
    case 'xywh': {
      const [x1, y1, x2, y2] = unbind(boxes, -1);
      return stack([x1, y1, sub(x2, x1), sub(y2, y1)], -1);
    }
    case 'cxcywh': {
      const [x1, y1, x2, y2] = unbind(boxes, -1);
      return stack([div(add(x1, x2), 2), div(add(y1, y2), 2), sub(x2, x1), sub(y2, y1)], -1);
    }
    default:
      return assertNever(fmt, 'box format');
  }
}

/**
 * Converts boxes [..., 4] from `inFmt` to `outFmt` (as torchvision.ops.box_convert, through xyxy); a copy when
 * the formats are equal. Differentiable.
 */
export function boxConvert(boxes: Tensor, inFmt: BoxFormat, outFmt: BoxFormat): Tensor {
  checkBoxesAnyBatch('boxConvert', boxes);
  const a = checkFormat(inFmt, 'inFmt');
  const b = checkFormat(outFmt, 'outFmt');
  if (a === b) return clone(boxes);
  return fromXyxy(toXyxy(boxes, a), b);
}

/** Areas [N] of boxes [N, 4] in xyxy: (x2 - x1) * (y2 - y1), negative for an inverted box as in torchvision. */
export function boxArea(boxes: Tensor): Tensor {
  checkBoxes('boxArea', boxes);
  return mul(sub(select(boxes, 1, 2), select(boxes, 1, 0)), sub(select(boxes, 1, 3), select(boxes, 1, 1)));
}

/** Pairwise intersections and unions [N, M] of boxes a [N, 4] and b [M, 4]. */
function interUnion(a: Tensor, b: Tensor): { inter: Tensor; union: Tensor } {
  const lt = maximum(unsqueeze(slice(a, null, '0:2'), 1), slice(b, null, '0:2'));
  const rb = minimum(unsqueeze(slice(a, null, '2:4'), 1), slice(b, null, '2:4'));
  const wh = clamp(sub(rb, lt), 0);
  const inter = mul(select(wh, 2, 0), select(wh, 2, 1));
  const union = sub(add(unsqueeze(boxArea(a), 1), boxArea(b)), inter);
  return { inter, union };
}

function checkPair(fn: string, a: Tensor, b: Tensor): void {
  checkBoxes(fn, a, 'boxes1');
  checkBoxes(fn, b, 'boxes2');
  if (a.device !== b.device) throw new ValueError(`${fn}: boxes1 and boxes2 are on different backends: ${a.device} and ${b.device}`);
}

/**
 * Intersection over union [N, M] of every box of `boxes1` [N, 4] with every box of `boxes2` [M, 4], both xyxy
 * (torchvision.ops.box_iou). Differentiable w.r.t. both.
 */
export function boxIou(boxes1: Tensor, boxes2: Tensor): Tensor {
  checkPair('boxIou', boxes1, boxes2);
  const { inter, union } = interUnion(boxes1, boxes2);
  return div(inter, union);
}

/**
 * Generalized IoU [N, M] (Rezatofighi et al. 2019; torchvision.ops.generalized_box_iou): IoU minus the share of
 * the smallest enclosing box not covered by the union, in [-1, 1]. Differentiable w.r.t. both box sets.
 */
export function generalizedBoxIou(boxes1: Tensor, boxes2: Tensor): Tensor {
  checkPair('generalizedBoxIou', boxes1, boxes2);
  const { inter, union } = interUnion(boxes1, boxes2);
  const iou = div(inter, union);
  const lti = minimum(unsqueeze(slice(boxes1, null, '0:2'), 1), slice(boxes2, null, '0:2'));
  const rbi = maximum(unsqueeze(slice(boxes1, null, '2:4'), 1), slice(boxes2, null, '2:4'));
  const whi = clamp(sub(rbi, lti), 0);
  const areai = mul(select(whi, 2, 0), select(whi, 2, 1));
  return sub(iou, div(sub(areai, union), areai));
}

/**
 * Boxes [..., 4] (xyxy) clipped to an image of `size` = [height, width]: x into [0, width], y into [0, height]
 * (torchvision.ops.clip_boxes_to_image). Differentiable (gradient 0 where a coordinate was clipped).
 */
export function clipBoxes(boxes: Tensor, size: readonly [number, number]): Tensor {
  checkBoxesAnyBatch('clipBoxes', boxes);
  const [h, w] = checkImageSize('clipBoxes', size);
  const x = clamp(slice(boxes, '...', '0::2'), 0, w);
  const y = clamp(slice(boxes, '...', '1::2'), 0, h);
  return reshape(stack([x, y], boxes.ndim), boxes.shape);
}

/** torchvision's name of `clipBoxes`. */
export const clipBoxesToImage = clipBoxes;

/**
 * Indices (int32 [K], increasing) of the boxes [N, 4] (xyxy) whose width and height are both at least `minSize`
 * (torchvision.ops.remove_small_boxes).
 */
export function removeSmallBoxes(boxes: Tensor, minSize: number): Tensor {
  checkBoxes('removeSmallBoxes', boxes);
  if (typeof minSize !== 'number' || Number.isNaN(minSize)) throw new ValueError(`removeSmallBoxes: minSize must be a number, got ${String(minSize)}`);
  const d = boxes.toTypedArray();
  const keep: number[] = [];
  for (let i = 0; i < boxes.shape[0]; i++) {
    if (d[4 * i + 2] - d[4 * i] >= minSize && d[4 * i + 3] - d[4 * i + 1] >= minSize) keep.push(i);
  }
  return fromHost(keep, [keep.length], 'int32', boxes.device);
}
