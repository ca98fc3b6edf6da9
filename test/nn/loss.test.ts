/**
 * The loss functions of src/nn/loss.ts against PyTorch (tools/fixtures/loss.py): values, gradients for the
 * fixture's upstream gradient, float32, non-contiguous inputs and gradcheck, on every backend.
 */
import * as sd from '../../src/index.js';
import * as F from '../../src/nn/functional.js';
import { checkFamily } from '../helpers/check-op.js';

checkFamily('loss', {
  l1: ([x, y], o) => F.l1Loss(x, y, o),
  mse: ([x, y], o) => F.mseLoss(x, y, o),
  huber: ([x, y], o) => F.huberLoss(x, y, o),
  smoothL1: ([x, y], o) => F.smoothL1Loss(x, y, o),
  bce: ([x, y], o) => F.binaryCrossEntropy(x, y, o),
  bce_weight: ([x, y, weight], o) => F.binaryCrossEntropy(x, y, { ...o, weight }),
  bce_logits: ([x, y], o) => F.binaryCrossEntropyWithLogits(x, y, o),
  bce_logits_weight: ([x, y, weight], o) => F.binaryCrossEntropyWithLogits(x, y, { ...o, weight }),
  bce_logits_pos: ([x, y, posWeight], o) => F.binaryCrossEntropyWithLogits(x, y, { ...o, posWeight }),
  bce_logits_both: ([x, y, weight, posWeight], o) => F.binaryCrossEntropyWithLogits(x, y, { ...o, weight, posWeight }),
  sigmoid_focal: ([x, y], o) => F.sigmoidFocalLoss(x, y, o),
  ce: ([x, t], o) => F.crossEntropy(x, t, o),
  ce_weight: ([x, t, weight], o) => F.crossEntropy(x, t, { ...o, weight }),
  nll: ([x, t], o) => F.nllLoss(x, t, o),
  nll_weight: ([x, t, weight], o) => F.nllLoss(x, t, { ...o, weight }),
  kl: ([x, y], o) => F.klDiv(x, y, o),
  hinge: ([x, y], o) => F.hingeLoss(x, y, o),
  perceptron: ([x, y], o) => F.perceptronLoss(x, y, o),
  exponential: ([x, y], o) => F.exponentialLoss(x, y, o),
  multi_margin: ([x, t], o) => F.multiMarginLoss(x, t, o),
  multi_margin_weight: ([x, t, weight], o) => F.multiMarginLoss(x, t, { ...o, weight }),
  focal: ([x, t], o) => F.focalLoss(x, t, o),
  focal_alpha: ([x, t, alpha], o) => F.focalLoss(x, t, { ...o, alpha }),
  // a metric returning a number: wrapped as a 0-d tensor of the scores' float dtype (float64 for labels)
  zero_one: ([p, t], o) => sd.tensor(F.zeroOneLoss(p, t, o), { dtype: sd.isFloating(p.dtype) ? p.dtype : 'float64' }),
});
