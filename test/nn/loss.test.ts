/**
 * The loss functions of src/nn/loss.ts against PyTorch (tools/fixtures/loss.py): values, gradients for the
 * fixture's upstream gradient, float32, non-contiguous inputs and gradcheck, on every backend.
 */
import * as sd from '../../src/index.js';
import * as F from '../../src/nn/functional.js';
import { checkErrors } from '../helpers/check-errors.js';
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

// Bad inputs: each raises the typed error whose message names the op, the argument, what was expected and what was got.
{
  const z = (s: number[], dtype: sd.DType = 'float64') => sd.zeros(s, { dtype });
  const i32 = (s: number[]) => sd.zeros(s, { dtype: 'int32' });
  checkErrors('loss', [
    ['mseLoss: shapes differ', () => F.mseLoss(z([2, 3]), z([3, 2])), sd.ShapeError, /^mseLoss: target shape \[3, 2\] must equal the input shape \[2, 3\]$/],
    ['mseLoss: unknown reduction', () => F.mseLoss(z([2]), z([2]), { reduction: 'avg' as never }), sd.ValueError, /^mseLoss: reduction must be one of 'none', 'mean', 'sum', got 'avg'$/],
    ['mseLoss: null input', () => F.mseLoss(null as never, z([2])), sd.ValueError, /^mseLoss: input must be a Tensor, got null$/],
    ['l1Loss: int input', () => F.l1Loss(i32([2]), i32([2])), sd.DTypeError, /^l1Loss: input must be a floating-point tensor, got dtype int32$/],
    ['crossEntropy: target shape fits neither form', () => F.crossEntropy(z([2, 3]), z([2, 4])), sd.ShapeError, /^crossEntropy: target shape \[2, 4\] does not fit input \[2, 3\]: expected \[2\] \(class indices\) or \[2, 3\] \(class probabilities\)$/],
    ['crossEntropy: class index out of range', () => F.crossEntropy(z([2, 3]), sd.tensor([0, 3], { dtype: 'int32' })), sd.ValueError, /^crossEntropy: target 3 \(at flat index 1\) is out of range for 3 classes \(valid: 0\.\.2, or ignoreIndex -100\)$/],
    ['crossEntropy: index target of the wrong length', () => F.crossEntropy(z([2, 3]), i32([3])), sd.ShapeError, /^crossEntropy: target shape \[3\] does not fit input \[2, 3\]: expected \[2\] \(class indices\) or \[2, 3\] \(class probabilities\)$/],
    ['crossEntropy: labelSmoothing above 1', () => F.crossEntropy(z([2, 3]), i32([2]), { labelSmoothing: 1.5 }), sd.ValueError, /^crossEntropy: labelSmoothing must be a number in \[0, 1\], got 1\.5$/],
    ['crossEntropy: weight shape', () => F.crossEntropy(z([2, 3]), i32([2]), { weight: z([2]) }), sd.ShapeError, /^crossEntropy: weight must have shape \[3\] \(one per class\), got \[2\]$/],
    ['crossEntropy: int input', () => F.crossEntropy(i32([2, 3]), i32([2])), sd.DTypeError, /^crossEntropy: input must be a floating-point tensor, got dtype int32$/],
    ['crossEntropy: 0-d input', () => F.crossEntropy(z([]), i32([])), sd.ShapeError, /^crossEntropy: input must be \[N, C\], \[N, C, d1, \.\.\.\] or \[C\], got shape \[\]$/],
    ['crossEntropy: int probability target', () => F.crossEntropy(z([2, 3]), i32([2, 3])), sd.DTypeError, /^crossEntropy: a target of the input's shape \[2, 3\] holds class probabilities and must be floating-point, got dtype int32$/],
    ['nllLoss: float index target', () => F.nllLoss(z([2, 3]), z([2])), sd.DTypeError, /^nllLoss: a class-index target must be an int32 tensor, got dtype float64$/],
    ['binaryCrossEntropy: input outside [0, 1]', () => F.binaryCrossEntropy(sd.tensor([1.5], { dtype: 'float64' }), z([1])), sd.ValueError, /^binaryCrossEntropy: input must hold probabilities in \[0, 1\], got values in \[1\.5, 1\.5\] \(for logits use binaryCrossEntropyWithLogits\)$/],
    ['binaryCrossEntropy: weight shape', () => F.binaryCrossEntropy(z([2]), z([2]), { weight: z([3]) }), sd.ShapeError, /^binaryCrossEntropy: weight of shape \[3\] must broadcast to the input shape \[2\]$/],
    ['binaryCrossEntropyWithLogits: posWeight shape', () => F.binaryCrossEntropyWithLogits(z([2, 3]), z([2, 3]), { posWeight: z([2]) }), sd.ShapeError, /^binaryCrossEntropyWithLogits: posWeight of shape \[2\] must broadcast to the input shape \[2, 3\]$/],
    ['huberLoss: delta 0', () => F.huberLoss(z([2]), z([2]), { delta: 0 }), sd.ValueError, /^huberLoss: delta must be a number > 0, got 0$/],
    ['smoothL1Loss: negative beta', () => F.smoothL1Loss(z([2]), z([2]), { beta: -1 }), sd.ValueError, /^smoothL1Loss: beta must be a number >= 0, got -1$/],
    ['klDiv: shapes differ', () => F.klDiv(z([2]), z([3])), sd.ShapeError, /^klDiv: target shape \[3\] must equal the input shape \[2\]$/],
    ['multiMarginLoss: p 3', () => F.multiMarginLoss(z([2, 3]), i32([2]), { p: 3 as never }), sd.ValueError, /^multiMarginLoss: p must be 1 or 2, got 3$/],
    ['multiMarginLoss: target out of range', () => F.multiMarginLoss(z([2, 3]), sd.tensor([0, 3], { dtype: 'int32' })), sd.ValueError, /^multiMarginLoss: target 3 \(at flat index 1\) is out of range for 3 classes \(valid: 0\.\.2\)$/],
    ['hingeLoss: shapes differ', () => F.hingeLoss(z([2]), z([3])), sd.ShapeError, /^hingeLoss: target shape \[3\] must equal the input shape \[2\]$/],
    ['focalLoss: negative gamma', () => F.focalLoss(z([2, 3]), i32([2]), { gamma: -1 }), sd.ValueError, /^focalLoss: gamma must be a number >= 0, got -1$/],
  ]);
}
