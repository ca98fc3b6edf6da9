/**
 * F.ctcLoss and nn.CTCLoss against torch.nn.functional.ctc_loss (tools/make_ctc_fixtures.py): values, logits
 * gradients through logSoftmax (float64 and float32), PyTorch's raw log-probability gradient minus exp(logProbs),
 * gradcheck of the exact gradient, and the typed errors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  DTypeError, F, ShapeError, Tensor, ValueError, gradcheck, listBackends, nn, randn, tensor, type DType,
} from '../../src/index.js';
import { onBackend } from '../helpers/backends.js';
import { checkErrors } from '../helpers/check-errors.js';
import { assertTensorClose, makeInput, values, type EncTensor } from '../helpers/check-op.js';

interface CtcCase {
  name: string;
  blank: number;
  reduction: 'none' | 'mean' | 'sum';
  zeroInfinity: boolean;
  unbatched: boolean;
  layout: 'padded' | 'concat';
  inputLengths: number[];
  targetLengths: number[];
  logits: EncTensor;
  targets: EncTensor;
  gradOut: EncTensor;
  loss64: EncTensor;
  grad64: EncTensor;
  loss32: EncTensor;
  grad32: EncTensor;
  rawGrad64: EncTensor;
}

const cases = JSON.parse(readFileSync(new URL('../../../test/fixtures/nn/ctc.json', import.meta.url), 'utf8')).cases as CtcCase[];

type Lengths = 'arrays' | 'tensors';

function call(c: CtcCase, logits: Tensor, lengths: Lengths): Tensor {
  const x = c.unbatched ? logits.select(1, 0) : logits;
  const lp = F.logSoftmax(x, -1);
  return lossOf(c, lp, lengths);
}

function lossOf(c: CtcCase, lp: Tensor, lengths: Lengths): Tensor {
  const targets = makeInput(c.targets, 'int32', 'contiguous', false);
  const len = (xs: number[]): number | number[] | Tensor => {
    if (c.unbatched) return lengths === 'arrays' ? xs[0] : tensor(xs[0], { dtype: 'int32' });
    return lengths === 'arrays' ? xs : tensor(xs, { dtype: 'int32' });
  };
  return F.ctcLoss(lp, targets, len(c.inputLengths), len(c.targetLengths), { blank: c.blank, reduction: c.reduction, zeroInfinity: c.zeroInfinity });
}

describe('ctcLoss against PyTorch', () => {
  for (const c of cases) {
    for (const [backend, dtype] of listBackends().flatMap((b) => (['float64', 'float32'] as DType[]).map((d) => [b, d] as const))) {
      test(`${backend}: ${c.name} ${dtype}`, () => onBackend(backend, () => {
        const [rtol, atol] = dtype === 'float64' ? [1e-10, 1e-12] : [2e-5, 2e-6];
        for (const [layout, lengths] of [['contiguous', 'arrays'], ['strided', 'tensors']] as const) {
          const logits = makeInput(c.logits, dtype, layout, true);
          const loss = call(c, logits, lengths);
          assertTensorClose(loss, dtype === 'float64' ? c.loss64 : c.loss32, dtype, rtol, atol, `${layout} loss`);
          loss.backward(makeInput(c.gradOut, dtype, 'contiguous', false));
          assertTensorClose(logits.grad!, dtype === 'float64' ? c.grad64 : c.grad32, dtype, rtol, atol, `${layout} logits grad`);
        }
      }));
    }
    test(`${c.name}: PyTorch's log-probability gradient is ours plus exp(logProbs) on the frames used`, () => {
      const logits = makeInput(c.logits, 'float64', 'contiguous', false);
      const lpFull = F.logSoftmax(logits, -1).detach();
      const lp = (c.unbatched ? lpFull.select(1, 0) : lpFull).detach();
      lp.requiresGrad = true;
      const loss = lossOf(c, lp, 'arrays');
      loss.backward(makeInput(c.gradOut, 'float64', 'contiguous', false));
      const [, N, C] = lpFull.shape;
      const g = values(c.gradOut);
      const lpv = lpFull.toTypedArray();
      const want = values(c.rawGrad64);
      for (let b = 0; b < N; b++) {
        // an impossible sample has no exp(logProbs) term in PyTorch either: its rows are 0 (zeroInfinity) or NaN
        if (!finiteAlone(c, b)) continue;
        const weight = c.reduction === 'none' ? g[b] : c.reduction === 'sum' ? g[0] : g[0] / (N * Math.max(c.targetLengths[b], 1));
        for (let t = 0; t < c.inputLengths[b]; t++) for (let k = 0; k < C; k++) want[(t * N + b) * C + k] -= Math.exp(lpv[(t * N + b) * C + k]) * weight;
      }
      assertTensorClose(lp.grad!, { ...c.rawGrad64, shape: [...lp.shape], data: want }, 'float64', 1e-9, 1e-11, 'grad w.r.t. log-probabilities');
    });
  }
});

/** Whether sample b alone has a finite loss (reads it from a 'none' call, so 'mean'/'sum' cases work too). */
function finiteAlone(c: CtcCase, b: number): boolean {
  const lp = F.logSoftmax(makeInput(c.logits, 'float64', 'contiguous', false), -1);
  const per = lossOf({ ...c, reduction: 'none', zeroInfinity: false }, c.unbatched ? lp.select(1, 0) : lp, 'arrays');
  return Number.isFinite(per.toTypedArray()[c.unbatched ? 0 : b]);
}

describe('ctcLoss gradients', () => {
  test('gradcheck w.r.t. unnormalized log-probabilities (the gradient is exact, not log_softmax-shaped)', () => {
    const lp = randn([7, 3, 4], { dtype: 'float64' });
    lp.requiresGrad = true;
    const targets = tensor([[1, 1, 2], [3, 0, 0], [2, 3, 1]], { dtype: 'int32' });
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      assert.ok(gradcheck((x) => F.ctcLoss(x, targets, [7, 5, 6], [3, 1, 3], { reduction }), [lp]));
    }
    assert.ok(gradcheck((x) => F.ctcLoss(F.logSoftmax(x, 2), targets, [7, 5, 6], [3, 1, 3], { blank: 0 }), [lp]));
  });

  test('gradcheck with blank 2 and concatenated targets', () => {
    const lp = randn([6, 2, 5], { dtype: 'float64' });
    lp.requiresGrad = true;
    const targets = tensor([1, 4, 4, 0, 3], { dtype: 'int32' });
    assert.ok(gradcheck((x) => F.ctcLoss(x, targets, [6, 6], [2, 3], { blank: 2, reduction: 'sum' }), [lp]));
  });

  test('nn.CTCLoss equals F.ctcLoss and repeats its options', () => {
    const lp = F.logSoftmax(randn([9, 2, 4], { dtype: 'float64' }), 2);
    const targets = tensor([[1, 2], [3, 3]], { dtype: 'int32' });
    const m = new nn.CTCLoss({ blank: 0, reduction: 'sum', zeroInfinity: true });
    assert.equal(m.forward(lp, targets, [9, 8], [2, 2]).item(), F.ctcLoss(lp, targets, [9, 8], [2, 2], { reduction: 'sum', zeroInfinity: true }).item());
    assert.match(m.toString(), /blank=0, reduction=sum, zeroInfinity=true/);
  });

  test('an empty input sequence has loss 0 for an empty target and infinity otherwise', () => {
    const lp = F.logSoftmax(randn([4, 2, 3], { dtype: 'float64' }), 2);
    const l = F.ctcLoss(lp, tensor([[1], [2]], { dtype: 'int32' }), [0, 0], [0, 1], { reduction: 'none' }).toTypedArray();
    assert.deepEqual([...l], [0, Infinity]);
  });
});

const lp3 = F.logSoftmax(randn([5, 2, 4]), 2);
const tg = tensor([[1, 2], [3, 1]], { dtype: 'int32' });
checkErrors('ctcLoss', [
  ['1-D logProbs', () => F.ctcLoss(randn([5]), tg, [5, 5], [2, 2]), ShapeError, /^ctcLoss: logProbs must be \[T, N, C\] or unbatched \[T, C\], got shape \[5\]/],
  ['int logProbs', () => F.ctcLoss(tensor([[[0]]], { dtype: 'int32' }), tg, [1], [1]), DTypeError, /^ctcLoss: logProbs must be a floating-point tensor, got dtype int32/],
  ['float targets', () => F.ctcLoss(lp3, tg.float(), [5, 5], [2, 2]), DTypeError, /^ctcLoss: targets must be an int32 tensor .* got dtype float32/],
  ['float32 lengths tensor', () => F.ctcLoss(lp3, tg, tensor([5, 5]), [2, 2]), DTypeError, /^ctcLoss: inputLengths must be an int32 tensor .* got dtype float32/],
  ['input length > T', () => F.ctcLoss(lp3, tg, [6, 5], [2, 2]), ValueError, /^ctcLoss: inputLengths must be at most the input's length T = 5, got 6 for batch element 0/],
  ['negative length', () => F.ctcLoss(lp3, tg, [5, 5], [-1, 2]), ValueError, /^ctcLoss: targetLengths must be non-negative integers, got -1/],
  ['fractional length', () => F.ctcLoss(lp3, tg, [4.5, 5], [2, 2]), ValueError, /^ctcLoss: inputLengths must be non-negative integers, got 4.5/],
  ['too few input lengths', () => F.ctcLoss(lp3, tg, [5], [2, 2]), ShapeError, /^ctcLoss: inputLengths must hold one length per batch element \(2\), got 1/],
  ['target length > padded width', () => F.ctcLoss(lp3, tg, [5, 5], [3, 2]), ValueError, /^ctcLoss: targetLengths must be at most the padded targets' width S = 2, got 3 for batch element 0/],
  ['padded targets of the wrong batch', () => F.ctcLoss(lp3, tensor([[1, 2]], { dtype: 'int32' }), [5, 5], [2, 2]), ShapeError, /^ctcLoss: padded targets must be \[N, S\] with N = 2, got shape \[1, 2\]/],
  ['concatenated targets too short', () => F.ctcLoss(lp3, tensor([1, 2, 3], { dtype: 'int32' }), [5, 5], [2, 2]), ShapeError, /^ctcLoss: 1-D \(concatenated\) targets must hold exactly sum\(targetLengths\) = 4 labels, got shape \[3\]/],
  ['3-D targets', () => F.ctcLoss(lp3, tensor([[[1]]], { dtype: 'int32' }), [5, 5], [1, 1]), ShapeError, /^ctcLoss: targets must be \[N, S\] \(padded\) or 1-D \(concatenated\), got shape \[1, 1, 1\]/],
  ['blank out of range', () => F.ctcLoss(lp3, tg, [5, 5], [2, 2], { blank: 4 }), ValueError, /^ctcLoss: blank must be a class index in \[0, 4\), got 4/],
  ['label out of range', () => F.ctcLoss(lp3, tensor([[1, 7], [3, 1]], { dtype: 'int32' }), [5, 5], [2, 2]), ValueError, /^ctcLoss: targets must be class indices in \[0, 4\) other than the blank 0, got 7/],
  ['label equal to the blank', () => F.ctcLoss(lp3, tg, [5, 5], [2, 2], { blank: 3 }), ValueError, /^ctcLoss: targets must be class indices in \[0, 4\) other than the blank 3, got 3/],
  ['bad reduction', () => F.ctcLoss(lp3, tg, [5, 5], [2, 2], { reduction: 'avg' as never }), ValueError, /^ctcLoss: reduction must be one of 'none', 'mean', 'sum', got 'avg'/],
  ['lengths not a list', () => F.ctcLoss(lp3, tg, 'five' as never, [2, 2]), ValueError, /^ctcLoss: inputLengths must be an int32 tensor, a number or an array of numbers, got string/],
  ['unbatched 2-D targets', () => F.ctcLoss(lp3.select(1, 0), tg, 5, 2), ShapeError, /^ctcLoss: targets must be 1-D \[S\] for a 2-D \(unbatched\) input, got shape \[2, 2\]/],
  ['CTCLoss negative blank', () => new nn.CTCLoss({ blank: -1 }), ValueError, /^CTCLoss: blank must be a non-negative integer, got -1/],
]);
