/**
 * Fast R-CNN's multi-task loss (Girshick, ICCV 2015, eq. 1), as torchvision's `fastrcnn_loss` (0.14): softmax
 * cross-entropy over the K + 1 classes (0 = background) of all sampled RoIs, plus smooth-L1 between the box
 * regression of each positive RoI's own class and its target, summed and divided by the number of RoIs. The paper
 * uses smooth L1 with beta 1; torchvision's default 1/9 is ours too.
 * @module
 */
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../errors.js';
import { crossEntropy, smoothL1Loss } from '../../nn/loss.js';
import { div } from '../../ops/elementwise.js';
import { gather, indexSelect } from '../../ops/indexing.js';
import { reshape } from '../../ops/movement.js';
import { checkTensor } from '../../ops/util.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Options of fastRcnnLoss. */
export interface FastRcnnLossOptions {
  /** Smooth-L1 threshold (default 1/9, torchvision's; the paper's is 1). */
  beta?: number;
}

/** The two terms of the multi-task loss. */
export interface FastRcnnLosses {
  /** Cross-entropy of the class scores (mean over RoIs). */
  lossClassifier: Tensor;
  /** Smooth-L1 of the positives' class-specific box regression, summed, over the number of RoIs. */
  lossBoxReg: Tensor;
}

/**
 * The multi-task loss of R RoIs: `classLogits` [R, K + 1], `boxRegression` [R, 4 (K + 1)] (one (dx, dy, dw, dh) per
 * class), `labels` [R] int32 (0 background) and `regressionTargets` [R, 4]. See the module comment.
 */
export function fastRcnnLoss(classLogits: Tensor, boxRegression: Tensor, labels: Tensor, regressionTargets: Tensor, opts: FastRcnnLossOptions = {}): FastRcnnLosses {
  const fn = 'fastRcnnLoss';
  checkTensor(fn, classLogits, 'classLogits');
  checkTensor(fn, boxRegression, 'boxRegression');
  checkTensor(fn, labels, 'labels');
  checkTensor(fn, regressionTargets, 'regressionTargets');
  if (classLogits.ndim !== 2 || classLogits.shape[1] < 2) throw new ShapeError(`${fn}: classLogits must be [R, K + 1] with K >= 1, got ${fmtShape(classLogits.shape)}`);
  const [r, c] = classLogits.shape;
  if (boxRegression.ndim !== 2 || boxRegression.shape[0] !== r || boxRegression.shape[1] !== 4 * c) throw new ShapeError(`${fn}: boxRegression must be [${r}, ${4 * c}] for classLogits ${fmtShape(classLogits.shape)}, got ${fmtShape(boxRegression.shape)}`);
  if (labels.dtype !== 'int32') throw new DTypeError(`${fn}: labels must be int32, got ${labels.dtype}`);
  if (labels.ndim !== 1 || labels.shape[0] !== r) throw new ShapeError(`${fn}: labels must be [${r}], got ${fmtShape(labels.shape)}`);
  if (regressionTargets.ndim !== 2 || regressionTargets.shape[0] !== r || regressionTargets.shape[1] !== 4) throw new ShapeError(`${fn}: regressionTargets must be [${r}, 4], got ${fmtShape(regressionTargets.shape)}`);
  if (r === 0) throw new ValueError(`${fn}: no RoIs (R = 0); the loss of an empty sample is undefined`);
  const lab = labels.toTypedArray();
  const pos: number[] = [];
  for (let i = 0; i < r; i++) {
    if (!(lab[i] >= 0 && lab[i] < c)) throw new ValueError(`${fn}: labels must be in [0, ${c - 1}], got ${lab[i]} at ${i}`);
    if (lab[i] > 0) pos.push(i);
  }
  const lossClassifier = crossEntropy(classLogits, labels);
  const posIdx = tensor(Int32Array.from(pos), { shape: [pos.length] });
  // the positives' rows [P, K + 1, 4], then each one's own class: [P, 1, 4] -> [P, 4]
  const rows = reshape(indexSelect(boxRegression, 0, posIdx), [pos.length, c, 4]);
  const cls = Int32Array.from(pos.flatMap((i) => [lab[i], lab[i], lab[i], lab[i]]));
  const own = reshape(gather(rows, 1, tensor(cls, { shape: [pos.length, 1, 4] })), [pos.length, 4]);
  const target = indexSelect(regressionTargets, 0, posIdx);
  const lossBoxReg = div(smoothL1Loss(own, target, { beta: opts.beta ?? 1 / 9, reduction: 'sum' }), r);
  return { lossClassifier, lossBoxReg };
}
