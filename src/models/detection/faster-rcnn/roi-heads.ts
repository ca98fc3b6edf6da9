/**
 * Faster R-CNN's second stage (torchvision.models.detection.roi_heads, with its TwoMLPHead and FastRCNNPredictor):
 * RoI Align 7x7 (sampling ratio 2) of each proposal on the feature map, two fully connected layers, then class
 * logits (background = class 0) and class-specific box deltas (weights 10, 10, 5, 5). In training the proposals
 * plus the ground-truth boxes are matched (IoU >= 0.5 foreground, else background), 512 of them sampled with at
 * most 25% foreground, and the losses are cross-entropy and smooth-L1 (beta 1/9) of the foreground's true-class
 * deltas summed and divided by the sample count. At test time: softmax scores, decoded per-class boxes clipped to
 * the image, score threshold, small-box removal, per-class NMS and the best `detectionsPerImg`.
 * @module
 */
import { noGrad } from '../../../autograd/grad-mode.js';
import { fromHost } from '../../../autograd/primitives.js';
import { ValueError } from '../../../errors.js';
import { Linear } from '../../../nn/linear.js';
import { crossEntropy, smoothL1Loss } from '../../../nn/loss.js';
import { Module } from '../../../nn/module.js';
import { relu, softmax } from '../../../ops/activation.js';
import { div } from '../../../ops/elementwise.js';
import { indexSelect } from '../../../ops/indexing.js';
import { flatten, reshape } from '../../../ops/movement.js';
import type { Generator } from '../../../tensor/random.js';
import type { Tensor } from '../../../tensor/tensor.js';
import type { Detection, DetectionTarget } from '../../../train/tasks/detection.js';
import { BoxCoder } from '../../../vision/box-coder.js';
import { batchedNms } from '../../../vision/nms.js';
import { roiAlign } from '../../../vision/roi.js';
import { BalancedPositiveNegativeSampler, BELOW_LOW_THRESHOLD, BETWEEN_THRESHOLDS, Matcher, iouMatrix } from './matching.js';

/** Two fully connected layers with ReLU on flattened RoI features: [K, C, 7, 7] -> [K, representationSize]. */
export class TwoMLPHead extends Module {
  /** First layer (C * 7 * 7 -> representationSize). */
  fc6: Linear;
  /** Second layer. */
  fc7: Linear;

  /** A head for `inFeatures` flattened inputs. */
  constructor(inFeatures: number, representationSize: number) {
    super();
    this.fc6 = new Linear(inFeatures, representationSize);
    this.fc7 = new Linear(representationSize, representationSize);
  }

  /** relu(fc7(relu(fc6(flatten(x))))). */
  forward(x: Tensor): Tensor {
    return relu(this.fc7.forward(relu(this.fc6.forward(flatten(x, 1)))));
  }
}

/** Class logits [K, numClasses] and per-class box deltas [K, numClasses * 4] (numClasses counts the background). */
export class FastRCNNPredictor extends Module {
  /** The classifier. */
  clsScore: Linear;
  /** The box regressor. */
  bboxPred: Linear;

  /** A predictor for `inChannels` features and `numClasses` classes including background. */
  constructor(inChannels: number, numClasses: number) {
    super();
    this.clsScore = new Linear(inChannels, numClasses);
    this.bboxPred = new Linear(inChannels, numClasses * 4);
  }

  /** [logits, deltas] of features [K, inChannels]. */
  forward(x: Tensor): [Tensor, Tensor] {
    return [this.clsScore.forward(x), this.bboxPred.forward(x)];
  }
}

/** Options of `RoIHeads` (torchvision's names and defaults). */
export interface RoIHeadsOptions {
  /** IoU at or above which a proposal is foreground (default 0.5). */
  fgIouThresh?: number;
  /** IoU below which it is background (default 0.5). */
  bgIouThresh?: number;
  /** Proposals sampled per image (default 512). */
  batchSizePerImage?: number;
  /** Largest foreground share (default 0.25). */
  positiveFraction?: number;
  /** Smallest class score kept at test time (default 0.05). */
  scoreThresh?: number;
  /** Per-class NMS IoU at test time (default 0.5). */
  nmsThresh?: number;
  /** Detections kept per image (default 100). */
  detectionsPerImg?: number;
  /** RoI Align output size (default 7). */
  poolSize?: number;
  /** RoI Align sampling ratio (default 2). */
  samplingRatio?: number;
}

/** RoI pooling, box head, predictor, training targets and losses, and postprocessing; see the module comment. */
export class RoIHeads extends Module {
  /** The fully connected head. */
  boxHead: TwoMLPHead;
  /** Class logits and box deltas. */
  boxPredictor: FastRCNNPredictor;
  /** Proposal-to-ground-truth matching (0.5 / 0.5). */
  readonly matcher: Matcher;
  /** The proposals' minibatch sampler. */
  readonly sampler: BalancedPositiveNegativeSampler;
  /** Box coding relative to proposals, weights (10, 10, 5, 5). */
  readonly boxCoder = new BoxCoder([10, 10, 5, 5]);
  /** Classes including background. */
  readonly numClasses: number;
  private readonly o: Required<Pick<RoIHeadsOptions, 'scoreThresh' | 'nmsThresh' | 'detectionsPerImg' | 'poolSize' | 'samplingRatio'>>;

  /** Heads over `inChannels`-channel maps for `numClasses` classes including background. */
  constructor(inChannels: number, numClasses: number, representationSize: number, opts: RoIHeadsOptions = {}, generator?: Generator) {
    super();
    const poolSize = opts.poolSize ?? 7;
    if (!Number.isInteger(poolSize) || poolSize < 1) throw new ValueError(`RoIHeads: poolSize must be a positive integer, got ${String(poolSize)}`);
    const prob = (name: string, v: number) => {
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ValueError(`RoIHeads: ${name} must be in [0, 1], got ${String(v)}`);
      return v;
    };
    const dets = opts.detectionsPerImg ?? 100;
    if (!Number.isInteger(dets) || dets < 1) throw new ValueError(`RoIHeads: detectionsPerImg must be a positive integer, got ${String(dets)}`);
    this.o = { scoreThresh: prob('scoreThresh', opts.scoreThresh ?? 0.05), nmsThresh: prob('nmsThresh', opts.nmsThresh ?? 0.5), detectionsPerImg: dets, poolSize, samplingRatio: opts.samplingRatio ?? 2 };
    this.numClasses = numClasses;
    this.boxHead = new TwoMLPHead(inChannels * poolSize * poolSize, representationSize);
    this.boxPredictor = new FastRCNNPredictor(representationSize, numClasses);
    this.matcher = new Matcher(opts.fgIouThresh ?? 0.5, opts.bgIouThresh ?? 0.5);
    this.sampler = new BalancedPositiveNegativeSampler(opts.batchSizePerImage ?? 512, opts.positiveFraction ?? 0.25, generator);
  }

  /** [logits [K, numClasses], deltas [K, numClasses * 4]] of the RoIs (rows of batch index, x1, y1, x2, y2). */
  private predict(features: Tensor, rois: number[], imageSize: readonly [number, number]): [Tensor, Tensor] {
    // MultiScaleRoIAlign's scale: the power of two nearest to feature size / image size
    const scale = 2 ** Math.round(Math.log2(features.shape[2] / imageSize[0]));
    const roiT = fromHost(rois, [rois.length / 5, 5], features.dtype, features.device);
    const pooled = roiAlign(features, roiT, this.o.poolSize, { spatialScale: scale, samplingRatio: this.o.samplingRatio });
    return this.boxPredictor.forward(this.boxHead.forward(pooled));
  }

  /**
   * Sampled proposals, class labels (0 background, object class + 1 else) and matched ground-truth boxes of one
   * image: its proposals plus its ground-truth boxes, matched and subsampled (torchvision's select_training_samples).
   */
  selectTrainingSamples(proposals: ArrayLike<number>, target: DetectionTarget): { boxes: Float64Array; labels: Int32Array; matchedGt: Float64Array } {
    const gt = target.boxes.toTypedArray();
    const gtLabels = target.labels.toTypedArray();
    const all = new Float64Array(proposals.length + gt.length);
    all.set(proposals as ArrayLike<number>);
    all.set(gt, proposals.length);
    const count = all.length / 4;
    const m = gt.length / 4;
    const labels = new Int32Array(count);
    let matched: Int32Array = new Int32Array(count);
    if (m > 0) {
      matched = this.matcher.match(iouMatrix(gt, all), m, count);
      for (let j = 0; j < count; j++) {
        labels[j] = matched[j] === BELOW_LOW_THRESHOLD ? 0 : matched[j] === BETWEEN_THRESHOLDS ? -1 : gtLabels[matched[j]] + 1;
        if (matched[j] < 0) matched[j] = 0;
      }
    }
    const s = this.sampler.sample(labels);
    const keep = Int32Array.from([...s.positive, ...s.negative]).sort();
    const boxes = new Float64Array(keep.length * 4);
    const matchedGt = new Float64Array(keep.length * 4);
    const out = new Int32Array(keep.length);
    keep.forEach((j, r) => {
      out[r] = labels[j];
      for (let c = 0; c < 4; c++) {
        boxes[4 * r + c] = all[4 * j + c];
        // torchvision matches images without ground truth to a dummy all-zero box
        matchedGt[4 * r + c] = m > 0 ? gt[4 * matched[j] + c] : 0;
      }
    });
    return { boxes, labels: out, matchedGt };
  }

  /** loss_classifier and loss_box_reg of a batch's proposals (host, per image) against its targets. */
  losses(features: Tensor, proposals: readonly ArrayLike<number>[], imageSize: readonly [number, number], targets: readonly DetectionTarget[]): Record<string, Tensor> {
    const rois: number[] = [];
    const labels: number[] = [];
    const posRows: number[] = [];
    const posProps: number[] = [];
    const posGt: number[] = [];
    proposals.forEach((p, i) => {
      const s = this.selectTrainingSamples(p, targets[i]);
      s.labels.forEach((l, r) => {
        rois.push(i, s.boxes[4 * r], s.boxes[4 * r + 1], s.boxes[4 * r + 2], s.boxes[4 * r + 3]);
        if (l > 0) {
          posRows.push(labels.length * this.numClasses + l);
          for (let c = 0; c < 4; c++) {
            posProps.push(s.boxes[4 * r + c]);
            posGt.push(s.matchedGt[4 * r + c]);
          }
        }
        labels.push(l);
      });
    });
    const [logits, deltas] = this.predict(features, rois, imageSize);
    const dev = features.device;
    const k = labels.length;
    const lossClassifier = crossEntropy(logits, fromHost(labels, [k], 'int32', dev));
    const np = posRows.length;
    const regTargets = noGrad(() => this.boxCoder.encodeSingle(fromHost(posGt, [np, 4], features.dtype, dev), fromHost(posProps, [np, 4], features.dtype, dev)));
    // row (sample r, class l) of the deltas read as [K * numClasses, 4]
    const posDeltas = indexSelect(reshape(deltas, [k * this.numClasses, 4]), 0, fromHost(posRows, [np], 'int32', dev));
    const boxSum = smoothL1Loss(posDeltas, regTargets, { beta: 1 / 9, reduction: 'sum' });
    return { loss_classifier: lossClassifier, loss_box_reg: div(boxSum, Math.max(k, 1)) };
  }

  /** Detections per image (labels are object classes, 0-based) from the proposals (torchvision's postprocess_detections). */
  detect(features: Tensor, proposals: readonly ArrayLike<number>[], imageSize: readonly [number, number]): Detection[] {
    const rois: number[] = [];
    proposals.forEach((p, i) => {
      for (let r = 0; r < p.length / 4; r++) rois.push(i, p[4 * r], p[4 * r + 1], p[4 * r + 2], p[4 * r + 3]);
    });
    const dev = features.device;
    const empty = (): Detection => ({ boxes: fromHost([], [0, 4], features.dtype, dev), scores: fromHost([], [0], features.dtype, dev), labels: fromHost([], [0], 'int32', dev) });
    if (rois.length === 0) return proposals.map(empty);
    const [logits, deltas] = this.predict(features, rois, imageSize);
    const k = rois.length / 5;
    const c = this.numClasses;
    const ref = fromHost(rois.filter((_, j) => j % 5 !== 0), [k, 4], features.dtype, dev);
    const decoded = this.boxCoder.decodeSingle(deltas, ref).toTypedArray();
    const probs = softmax(logits, 1).toTypedArray();
    const [ih, iw] = imageSize;
    let row = 0;
    return proposals.map((p) => {
      const boxes: number[] = [];
      const scores: number[] = [];
      const labels: number[] = [];
      for (let r = 0; r < p.length / 4; r++, row++) {
        for (let cls = 1; cls < c; cls++) {
          const score = probs[row * c + cls];
          if (!(score > this.o.scoreThresh)) continue;
          const o = (row * c + cls) * 4;
          const x1 = Math.min(Math.max(decoded[o], 0), iw);
          const y1 = Math.min(Math.max(decoded[o + 1], 0), ih);
          const x2 = Math.min(Math.max(decoded[o + 2], 0), iw);
          const y2 = Math.min(Math.max(decoded[o + 3], 0), ih);
          if (x2 - x1 < 1e-2 || y2 - y1 < 1e-2) continue;
          boxes.push(x1, y1, x2, y2);
          scores.push(score);
          labels.push(cls - 1);
        }
      }
      const n = scores.length;
      if (n === 0) return empty();
      const boxT = fromHost(boxes, [n, 4], features.dtype, dev);
      const keep = batchedNms(boxT, fromHost(scores, [n], features.dtype, dev), fromHost(labels, [n], 'int32', dev), this.o.nmsThresh);
      const top = fromHost(Array.from(keep.toTypedArray()).slice(0, this.o.detectionsPerImg), [Math.min(keep.shape[0], this.o.detectionsPerImg)], 'int32', dev);
      return {
        boxes: indexSelect(boxT, 0, top),
        scores: indexSelect(fromHost(scores, [n], features.dtype, dev), 0, top),
        labels: indexSelect(fromHost(labels, [n], 'int32', dev), 0, top),
      };
    });
  }
}
