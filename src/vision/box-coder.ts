/**
 * Faster R-CNN's box coding (torchvision.models.detection._utils.BoxCoder): a box relative to a reference box
 * (anchor or proposal) as (dx, dy, dw, dh) = (wx (gx - px) / pw, wy (gy - py) / ph, ww log(gw / pw),
 * wh log(gh / ph)), centres and sizes of ground truth g and reference p, and back. Built from tensor ops, so both
 * directions are differentiable as in torchvision.
 * @module
 */
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { add, clamp, div, exp, log, mul, sub } from '../ops/elementwise.js';
import { select, slice } from '../ops/indexing.js';
import { cat, flatten, reshape, split, stack, to, unsqueeze } from '../ops/movement.js';
import { checkTensor } from '../ops/util.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBoxes } from './check.js';

/** Options of `BoxCoder`. */
export interface BoxCoderOptions {
  /** The largest dw, dh fed to exp when decoding (default log(1000 / 16), torchvision's). */
  bboxXformClip?: number;
}

interface Geometry {
  w: Tensor;
  h: Tensor;
  cx: Tensor;
  cy: Tensor;
}

function geometry(boxes: Tensor): Geometry {
  const w = sub(select(boxes, 1, 2), select(boxes, 1, 0));
  const h = sub(select(boxes, 1, 3), select(boxes, 1, 1));
  return { w, h, cx: add(select(boxes, 1, 0), mul(w, 0.5)), cy: add(select(boxes, 1, 1), mul(h, 0.5)) };
}

/** Encodes boxes as regression targets relative to reference boxes, and decodes predicted offsets back to boxes. */
export class BoxCoder {
  /** The (wx, wy, ww, wh) weights the offsets are multiplied by when encoding (divided by when decoding). */
  readonly weights: readonly [number, number, number, number];
  /** The largest dw, dh fed to exp when decoding. */
  readonly bboxXformClip: number;

  /** A coder with `weights` (wx, wy, ww, wh): (1, 1, 1, 1) in Faster R-CNN's RPN, (10, 10, 5, 5) in its RoI heads. */
  constructor(weights: readonly [number, number, number, number], opts: BoxCoderOptions = {}) {
    if (!Array.isArray(weights) || weights.length !== 4 || !weights.every((v) => typeof v === 'number' && Number.isFinite(v) && v !== 0)) {
      throw new ValueError(`BoxCoder: weights must be four finite non-zero numbers (wx, wy, ww, wh), got ${JSON.stringify(weights)}`);
    }
    const clip = opts.bboxXformClip ?? Math.log(1000 / 16);
    if (typeof clip !== 'number' || Number.isNaN(clip)) throw new ValueError(`BoxCoder: bboxXformClip must be a number, got ${String(clip)}`);
    this.weights = [weights[0], weights[1], weights[2], weights[3]];
    this.bboxXformClip = clip;
  }

  /**
   * Regression targets [N, 4] of `referenceBoxes` [N, 4] (ground truth, xyxy) relative to `proposals` [N, 4]
   * (anchors or proposals, xyxy), in the dtype of `referenceBoxes` (torchvision's encode_single).
   */
  encodeSingle(referenceBoxes: Tensor, proposals: Tensor): Tensor {
    checkBoxes('BoxCoder.encode', referenceBoxes, 'referenceBoxes');
    checkBoxes('BoxCoder.encode', proposals, 'proposals');
    if (referenceBoxes.shape[0] !== proposals.shape[0]) {
      throw new ShapeError(`BoxCoder.encode: referenceBoxes ${fmtShape(referenceBoxes.shape)} and proposals ${fmtShape(proposals.shape)} differ in N`);
    }
    const [wx, wy, ww, wh] = this.weights;
    const p = geometry(proposals);
    const g = geometry(referenceBoxes);
    const dx = div(mul(wx, sub(g.cx, p.cx)), p.w);
    const dy = div(mul(wy, sub(g.cy, p.cy)), p.h);
    const dw = mul(ww, log(div(g.w, p.w)));
    const dh = mul(wh, log(div(g.h, p.h)));
    return to(stack([dx, dy, dw, dh], 1), referenceBoxes.dtype);
  }

  /** `encodeSingle` over per-image lists: targets of each image's boxes relative to its proposals, one tensor per image. */
  encode(referenceBoxes: readonly Tensor[], proposals: readonly Tensor[]): Tensor[] {
    if (!Array.isArray(referenceBoxes) || !Array.isArray(proposals) || referenceBoxes.length !== proposals.length) {
      throw new ValueError('BoxCoder.encode: referenceBoxes and proposals must be arrays of per-image [Ni, 4] tensors of equal length');
    }
    const sizes = referenceBoxes.map((b, i) => checkBoxes('BoxCoder.encode', b, `referenceBoxes[${i}]`).shape[0]);
    proposals.forEach((b, i) => checkBoxes('BoxCoder.encode', b, `proposals[${i}]`));
    if (sizes.length === 0) return [];
    return split(this.encodeSingle(cat([...referenceBoxes], 0), cat([...proposals], 0)), sizes, 0);
  }

  /**
   * Boxes [N, 4k] decoded from offsets `relCodes` [N, 4k] (k sets of (dx, dy, dw, dh) per reference box, one per
   * class in the RoI heads) relative to `boxes` [N, 4] (xyxy), in the dtype of `relCodes` (torchvision's
   * decode_single); dw and dh are clipped to `bboxXformClip` before exp.
   */
  decodeSingle(relCodes: Tensor, boxes: Tensor): Tensor {
    checkTensor('BoxCoder.decode', relCodes, 'relCodes');
    checkBoxes('BoxCoder.decode', boxes);
    if (relCodes.ndim !== 2 || relCodes.shape[1] % 4 !== 0 || relCodes.shape[0] !== boxes.shape[0]) {
      throw new ShapeError(`BoxCoder.decode: relCodes must have shape [${boxes.shape[0]}, 4k] for boxes ${fmtShape(boxes.shape)}, got ${fmtShape(relCodes.shape)}`);
    }
    const b = geometry(to(boxes, relCodes.dtype));
    const [wx, wy, ww, wh] = this.weights;
    const col = (k: number) => slice(relCodes, null, `${k}::4`);
    const dx = div(col(0), wx);
    const dy = div(col(1), wy);
    const dw = clamp(div(col(2), ww), null, this.bboxXformClip);
    const dh = clamp(div(col(3), wh), null, this.bboxXformClip);
    const w = unsqueeze(b.w, 1);
    const h = unsqueeze(b.h, 1);
    const cx = add(mul(dx, w), unsqueeze(b.cx, 1));
    const cy = add(mul(dy, h), unsqueeze(b.cy, 1));
    const hw = mul(mul(exp(dw), w), 0.5);
    const hh = mul(mul(exp(dh), h), 0.5);
    return flatten(stack([sub(cx, hw), sub(cy, hh), add(cx, hw), add(cy, hh)], 2), 1);
  }

  /**
   * `decodeSingle` over the per-image reference boxes `boxes` (concatenated): offsets `relCodes` [sum Ni, 4k] (or
   * anything reshapeable to that) give boxes [sum Ni, k, 4] (torchvision's decode).
   */
  decode(relCodes: Tensor, boxes: readonly Tensor[]): Tensor {
    checkTensor('BoxCoder.decode', relCodes, 'relCodes');
    if (!Array.isArray(boxes)) throw new ValueError('BoxCoder.decode: boxes must be an array of per-image [Ni, 4] tensors');
    boxes.forEach((b, i) => checkBoxes('BoxCoder.decode', b, `boxes[${i}]`));
    if (boxes.length === 0) throw new ValueError('BoxCoder.decode: boxes must hold at least one per-image tensor');
    const all = cat([...boxes], 0);
    const n = all.shape[0];
    if (n === 0) return this.decodeSingle(relCodes, all);
    if (relCodes.numel() % (4 * n) !== 0) {
      throw new ShapeError(`BoxCoder.decode: relCodes ${fmtShape(relCodes.shape)} cannot be read as [${n}, 4k] for ${n} reference boxes`);
    }
    const pred = this.decodeSingle(reshape(relCodes, [n, relCodes.numel() / n]), all);
    return reshape(pred, [n, -1, 4]);
  }
}
