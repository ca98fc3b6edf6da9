/**
 * The region proposal network of Faster R-CNN (torchvision.models.detection.rpn): a 3x3 conv head scoring an
 * objectness logit and four box deltas per anchor at every feature-map cell; proposals are the decoded anchors
 * filtered by pre-NMS top-k, clipping, small-box removal, NMS and post-NMS top-k; in training, anchors are
 * matched to the ground truth (IoU >= 0.7 positive, < 0.3 negative, each object's best anchors positive too), a
 * balanced minibatch of them is sampled, and the losses are the binary cross-entropy of the objectness and the
 * smooth-L1 (beta 1/9) of the positives' deltas, summed over the sampled anchors and divided by their count.
 * @module
 */
import { noGrad } from '../../../autograd/grad-mode.js';
import { ValueError } from '../../../errors.js';
import { Conv2d } from '../../../nn/conv.js';
import { normal_, zeros_ } from '../../../nn/init.js';
import { binaryCrossEntropyWithLogits } from '../../../nn/loss-binary.js';
import { smoothL1Loss } from '../../../nn/loss.js';
import { Module } from '../../../nn/module.js';
import { relu } from '../../../ops/activation.js';
import { div } from '../../../ops/elementwise.js';
import { indexSelect } from '../../../ops/indexing.js';
import { permute, reshape } from '../../../ops/movement.js';
import { fromHost } from '../../../autograd/primitives.js';
import type { Generator } from '../../../tensor/random.js';
import type { Tensor } from '../../../tensor/tensor.js';
import type { DetectionTarget } from '../../../train/tasks/detection.js';
import { AnchorGenerator } from '../../../vision/anchors.js';
import { BoxCoder } from '../../../vision/box-coder.js';
import { nms } from '../../../vision/nms.js';
import { BalancedPositiveNegativeSampler, BELOW_LOW_THRESHOLD, BETWEEN_THRESHOLDS, Matcher, iouMatrix } from './matching.js';

/** A conv 3x3 + ReLU, then 1x1 convs to A objectness logits and 4A box deltas per cell (torchvision's RPNHead). */
export class RPNHead extends Module {
  /** The shared 3x3 conv (inChannels -> inChannels). */
  conv: Conv2d;
  /** Objectness logits, one per anchor. */
  clsLogits: Conv2d;
  /** Box deltas (dx, dy, dw, dh) per anchor. */
  bboxPred: Conv2d;

  /** A head for `inChannels`-channel maps and `numAnchors` anchors per cell; weights N(0, 0.01), biases 0, as torchvision. */
  constructor(inChannels: number, numAnchors: number) {
    super();
    this.conv = new Conv2d(inChannels, inChannels, 3, { padding: 1 });
    this.clsLogits = new Conv2d(inChannels, numAnchors, 1);
    this.bboxPred = new Conv2d(inChannels, numAnchors * 4, 1);
    for (const c of [this.conv, this.clsLogits, this.bboxPred]) {
      normal_(c.weight, 0, 0.01);
      if (c.bias) zeros_(c.bias);
    }
  }

  /** [objectness [N, A, h, w], deltas [N, 4A, h, w]] of a feature map [N, C, h, w]. */
  forward(x: Tensor): [Tensor, Tensor] {
    const t = relu(this.conv.forward(x));
    return [this.clsLogits.forward(t), this.bboxPred.forward(t)];
  }
}

/** Options of `RegionProposalNetwork` (torchvision's arguments; top-k counts per [training, testing]). */
export interface RpnOptions {
  /** IoU at or above which an anchor is positive (default 0.7). */
  fgIouThresh?: number;
  /** IoU below which an anchor is negative (default 0.3). */
  bgIouThresh?: number;
  /** Anchors sampled per image for the losses (default 256). */
  batchSizePerImage?: number;
  /** Largest share of positives among them (default 0.5). */
  positiveFraction?: number;
  /** Proposals kept before NMS, [training, testing] (torchvision's default [2000, 1000]). */
  preNmsTopN?: readonly [number, number];
  /** Proposals kept after NMS, [training, testing] (default [2000, 1000]). */
  postNmsTopN?: readonly [number, number];
  /** NMS IoU threshold between proposals (default 0.7). */
  nmsThresh?: number;
  /** Proposals with a side below this many pixels are dropped (default 1e-3). */
  minSize?: number;
}

/** What the RPN gives a batch: per-image proposals (host [P_i * 4], xyxy) and, in training, its two losses. */
export interface RpnOutput {
  /** Proposals per image, best objectness first, as flat xyxy rows. */
  proposals: Float32Array[];
  /** loss_objectness and loss_rpn_box_reg (training only). */
  losses: Record<string, Tensor>;
}

function topN(name: string, v: readonly [number, number] | undefined, dflt: [number, number]): [number, number] {
  const p = v ?? dflt;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((k) => Number.isInteger(k) && k > 0)) throw new ValueError(`RegionProposalNetwork: ${name} must be [training, testing], two positive integers, got ${JSON.stringify(v)}`);
  return [p[0], p[1]];
}

/** The RPN: head, anchors, proposal filtering and (in training) its losses; see the module comment. */
export class RegionProposalNetwork extends Module {
  /** Anchors per feature-map cell. */
  anchorGenerator: AnchorGenerator;
  /** The conv head. */
  head: RPNHead;
  /** Anchor-to-ground-truth matching (0.7 / 0.3, low-quality matches allowed). */
  readonly matcher: Matcher;
  /** The anchors' minibatch sampler. */
  readonly sampler: BalancedPositiveNegativeSampler;
  /** Box coding relative to anchors, weights (1, 1, 1, 1). */
  readonly boxCoder = new BoxCoder([1, 1, 1, 1]);
  private readonly preNmsTopN: [number, number];
  private readonly postNmsTopN: [number, number];
  private readonly nmsThresh: number;
  private readonly minSize: number;

  /** An RPN over `inChannels`-channel maps with `anchorGenerator`'s anchors (one feature level). */
  constructor(inChannels: number, anchorGenerator: AnchorGenerator, opts: RpnOptions = {}, generator?: Generator) {
    super();
    if (anchorGenerator.numAnchorsPerLocation().length !== 1) throw new ValueError(`RegionProposalNetwork: takes one feature map, so the anchor generator must have one level, got ${anchorGenerator.numAnchorsPerLocation().length}`);
    this.anchorGenerator = anchorGenerator;
    this.head = new RPNHead(inChannels, anchorGenerator.numAnchorsPerLocation()[0]);
    this.matcher = new Matcher(opts.fgIouThresh ?? 0.7, opts.bgIouThresh ?? 0.3, { allowLowQualityMatches: true });
    this.sampler = new BalancedPositiveNegativeSampler(opts.batchSizePerImage ?? 256, opts.positiveFraction ?? 0.5, generator);
    this.preNmsTopN = topN('preNmsTopN', opts.preNmsTopN, [2000, 1000]);
    this.postNmsTopN = topN('postNmsTopN', opts.postNmsTopN, [2000, 1000]);
    this.nmsThresh = opts.nmsThresh ?? 0.7;
    this.minSize = opts.minSize ?? 1e-3;
    if (!(this.nmsThresh >= 0 && this.nmsThresh <= 1)) throw new ValueError(`RegionProposalNetwork: nmsThresh must be in [0, 1], got ${String(opts.nmsThresh)}`);
  }

  /** The anchors [h * w * A, 4] (host, xyxy) of an image of `imageSize` over an h x w map, as AnchorGenerator. */
  anchors(imageSize: readonly [number, number], grid: readonly [number, number]): Float32Array {
    const stride: [number, number] = [Math.floor(imageSize[0] / grid[0]), Math.floor(imageSize[1] / grid[1])];
    return this.anchorGenerator.gridAnchors([[grid[0], grid[1]]], [stride])[0].toTypedArray() as Float32Array;
  }

  /**
   * Proposals of `features` [N, C, h, w] for images of `imageSize` [H, W]; with `targets`, also the losses
   * (targets must have been checked: finite boxes with x2 > x1, y2 > y1).
   */
  run(features: Tensor, imageSize: readonly [number, number], targets?: readonly DetectionTarget[]): RpnOutput {
    const [n, , h, w] = features.shape;
    const [obj, deltas] = this.head.forward(features);
    const a = obj.shape[1];
    const perImage = h * w * a;
    // torchvision's permute_and_flatten: (image, cell row, cell column, anchor) order, as the anchors
    const objFlat = reshape(permute(obj, [0, 2, 3, 1]), [n * perImage]);
    const deltaFlat = reshape(permute(reshape(deltas, [n, a, 4, h, w]), [0, 3, 4, 1, 2]), [n * perImage, 4]);
    const anchors = this.anchors(imageSize, [h, w]);
    const proposals = noGrad(() => this.filterProposals(objFlat, deltaFlat, anchors, n, imageSize));
    const losses = targets === undefined ? {} : this.computeLoss(objFlat, deltaFlat, anchors, targets);
    return { proposals, losses };
  }

  private filterProposals(objFlat: Tensor, deltaFlat: Tensor, anchors: Float32Array, n: number, [ih, iw]: readonly [number, number]): Float32Array[] {
    const perImage = anchors.length / 4;
    const anchorT = fromHost(anchors, [perImage, 4], deltaFlat.dtype, deltaFlat.device);
    const logits = objFlat.toTypedArray();
    const phase = this.training ? 0 : 1;
    const out: Float32Array[] = [];
    for (let i = 0; i < n; i++) {
      const off = i * perImage;
      const order = Array.from({ length: perImage }, (_, j) => j).sort((p, q) => logits[off + q] - logits[off + p] || p - q);
      const top = order.slice(0, Math.min(this.preNmsTopN[phase], perImage));
      const idx = fromHost(top.map((j) => off + j), [top.length], 'int32', deltaFlat.device);
      const anc = indexSelect(anchorT, 0, fromHost(top, [top.length], 'int32', deltaFlat.device));
      const boxes = this.boxCoder.decodeSingle(indexSelect(deltaFlat.detach(), 0, idx), anc).toTypedArray();
      const keptBoxes: number[] = [];
      const keptScores: number[] = [];
      top.forEach((j, k) => {
        const x1 = Math.min(Math.max(boxes[4 * k], 0), iw);
        const y1 = Math.min(Math.max(boxes[4 * k + 1], 0), ih);
        const x2 = Math.min(Math.max(boxes[4 * k + 2], 0), iw);
        const y2 = Math.min(Math.max(boxes[4 * k + 3], 0), ih);
        if (x2 - x1 < this.minSize || y2 - y1 < this.minSize) return;
        keptBoxes.push(x1, y1, x2, y2);
        keptScores.push(1 / (1 + Math.exp(-logits[off + j])));
      });
      const count = keptScores.length;
      if (count === 0) {
        out.push(new Float32Array(0));
        continue;
      }
      const keep = nms(fromHost(keptBoxes, [count, 4], 'float32', 'cpu'), fromHost(keptScores, [count], 'float32', 'cpu'), this.nmsThresh).toTypedArray();
      const k = Math.min(keep.length, this.postNmsTopN[phase]);
      const props = new Float32Array(4 * k);
      for (let r = 0; r < k; r++) for (let c = 0; c < 4; c++) props[4 * r + c] = keptBoxes[4 * keep[r] + c];
      out.push(props);
    }
    return out;
  }

  /**
   * Per-anchor labels (1 positive, 0 negative, -1 ignored) and matched ground-truth index of one image's anchors
   * (torchvision's assign_targets_to_anchors; without ground truth every anchor is negative).
   */
  assignTargets(anchors: Float32Array, gtBoxes: ArrayLike<number>): { labels: Int8Array; matched: Int32Array } {
    const count = anchors.length / 4;
    const m = gtBoxes.length / 4;
    const labels = new Int8Array(count);
    if (m === 0) return { labels, matched: new Int32Array(count) };
    const matched = this.matcher.match(iouMatrix(gtBoxes, anchors), m, count);
    for (let j = 0; j < count; j++) {
      labels[j] = matched[j] >= 0 ? 1 : matched[j] === BETWEEN_THRESHOLDS ? -1 : 0;
      if (matched[j] === BELOW_LOW_THRESHOLD || matched[j] === BETWEEN_THRESHOLDS) matched[j] = 0;
    }
    return { labels, matched };
  }

  private computeLoss(objFlat: Tensor, deltaFlat: Tensor, anchors: Float32Array, targets: readonly DetectionTarget[]): Record<string, Tensor> {
    const perImage = anchors.length / 4;
    const pos: number[] = [];
    const neg: number[] = [];
    const posAnchors: number[] = [];
    const posGt: number[] = [];
    targets.forEach((t, i) => {
      const gt = t.boxes.toTypedArray();
      const { labels, matched } = this.assignTargets(anchors, gt);
      const s = this.sampler.sample(labels);
      for (const j of s.positive) {
        pos.push(i * perImage + j);
        for (let c = 0; c < 4; c++) {
          posAnchors.push(anchors[4 * j + c]);
          posGt.push(gt[4 * matched[j] + c]);
        }
      }
      for (const j of s.negative) neg.push(i * perImage + j);
    });
    const dev = objFlat.device;
    const sampled = [...pos, ...neg];
    const labelT = fromHost([...pos.map(() => 1), ...neg.map(() => 0)], [sampled.length], objFlat.dtype, dev);
    const lossObjectness = binaryCrossEntropyWithLogits(indexSelect(objFlat, 0, fromHost(sampled, [sampled.length], 'int32', dev)), labelT);
    const np = pos.length;
    const regTargets = noGrad(() => this.boxCoder.encodeSingle(fromHost(posGt, [np, 4], deltaFlat.dtype, dev), fromHost(posAnchors, [np, 4], deltaFlat.dtype, dev)));
    const boxSum = smoothL1Loss(indexSelect(deltaFlat, 0, fromHost(pos, [np], 'int32', dev)), regTargets, { beta: 1 / 9, reduction: 'sum' });
    return { loss_objectness: lossObjectness, loss_rpn_box_reg: div(boxSum, Math.max(sampled.length, 1)) };
  }
}
