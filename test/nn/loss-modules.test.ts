/**
 * Loss modules (src/nn/loss-modules.ts) against the loss functions, their buffers, and the typed errors of
 * both for bad inputs and options. Values of the functions themselves are checked against PyTorch in
 * loss.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DTypeError, ShapeError, Tensor, ValueError, grad, manualSeed, rand, randint, randn, sigmoid, softmax, tensor,
} from '../../src/index.js';
import * as F from '../../src/nn/functional.js';
import {
  BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, ExponentialLoss, FocalLoss, HingeLoss, HuberLoss, KLDivLoss, L1Loss,
  MSELoss, MultiMarginLoss, NLLLoss, PerceptronLoss, SmoothL1Loss,
} from '../../src/nn/loss-modules.js';
import { Module } from '../../src/nn/module.js';

function same(a: Tensor, b: Tensor, label: string): void {
  assert.deepEqual([...a.shape], [...b.shape], `${label}: shape`);
  assert.equal(a.dtype, b.dtype, `${label}: dtype`);
  assert.deepEqual(Array.from(a.toTypedArray()), Array.from(b.toTypedArray()), `${label}: values`);
}

const f64 = { dtype: 'float64' as const };

describe('loss modules equal the loss functions', () => {
  manualSeed(7);
  const x = randn([6, 4], f64);
  const y = randn([6, 4], f64);
  const probs = rand([6, 4], f64).mul(0.9).add(0.05);
  const hard = randint(0, 2, [6, 4]).double();
  const pm = hard.mul(2).sub(1);
  const cls = tensor([0, 3, 1, -100, 2, 3], { dtype: 'int32' });
  const cls2 = tensor([0, 3, 1, 1, 2, 3], { dtype: 'int32' });
  const w = rand([4], f64).add(0.5);
  const soft = softmax(randn([6, 4], f64), 1);
  const logp = F.logSoftmax(x, 1);

  const cases: [string, Module & { forward(a: Tensor, b: Tensor): Tensor }, () => Tensor, Tensor, Tensor][] = [];
  for (const reduction of ['none', 'mean', 'sum'] as const) {
    cases.push(
      ['L1Loss', new L1Loss({ reduction }), () => F.l1Loss(x, y, { reduction }), x, y],
      ['MSELoss', new MSELoss({ reduction }), () => F.mseLoss(x, y, { reduction }), x, y],
      ['HuberLoss', new HuberLoss({ reduction, delta: 0.7 }), () => F.huberLoss(x, y, { reduction, delta: 0.7 }), x, y],
      ['SmoothL1Loss', new SmoothL1Loss({ reduction, beta: 0.3 }), () => F.smoothL1Loss(x, y, { reduction, beta: 0.3 }), x, y],
      ['BCELoss', new BCELoss({ reduction, weight: w }), () => F.binaryCrossEntropy(probs, hard, { reduction, weight: w }), probs, hard],
      ['BCEWithLogitsLoss', new BCEWithLogitsLoss({ reduction, weight: w, posWeight: w.add(1) }),
        () => F.binaryCrossEntropyWithLogits(x, hard, { reduction, weight: w, posWeight: w.add(1) }), x, hard],
      ['CrossEntropyLoss', new CrossEntropyLoss({ reduction, weight: w, labelSmoothing: 0.1 }),
        () => F.crossEntropy(x, cls, { reduction, weight: w, labelSmoothing: 0.1 }), x, cls],
      ['CrossEntropyLoss/probs', new CrossEntropyLoss({ reduction, labelSmoothing: 0.2 }),
        () => F.crossEntropy(x, soft, { reduction, labelSmoothing: 0.2 }), x, soft],
      ['NLLLoss', new NLLLoss({ reduction, weight: w, ignoreIndex: 3 }), () => F.nllLoss(logp, cls2, { reduction, weight: w, ignoreIndex: 3 }), logp, cls2],
      ['HingeLoss', new HingeLoss({ reduction, margin: 0.5 }), () => F.hingeLoss(x, pm, { reduction, margin: 0.5 }), x, pm],
      ['MultiMarginLoss', new MultiMarginLoss({ reduction, p: 2, margin: 0.8, weight: w }),
        () => F.multiMarginLoss(x, cls2, { reduction, p: 2, margin: 0.8, weight: w }), x, cls2],
      ['PerceptronLoss', new PerceptronLoss({ reduction }), () => F.perceptronLoss(x, pm, { reduction }), x, pm],
      ['ExponentialLoss', new ExponentialLoss({ reduction }), () => F.exponentialLoss(x, pm, { reduction }), x, pm],
      ['FocalLoss', new FocalLoss({ reduction, alpha: w, gamma: 1.5 }), () => F.focalLoss(x, cls2, { reduction, alpha: w, gamma: 1.5 }), x, cls2],
    );
  }
  for (const reduction of ['none', 'mean', 'sum', 'batchmean'] as const) {
    cases.push(
      ['KLDivLoss', new KLDivLoss({ reduction }), () => F.klDiv(logp, soft, { reduction }), logp, soft],
      ['KLDivLoss/logTarget', new KLDivLoss({ reduction, logTarget: true }), () => F.klDiv(logp, y, { reduction, logTarget: true }), logp, y],
    );
  }
  for (const [name, m, fn, a, b] of cases) {
    test(`${name} (${String((m as unknown as { reduction: string }).reduction)})`, () => {
      assert.ok(m instanceof Module);
      same(m.forward(a, b), fn(), name);
    });
  }

  test('default reductions are mean, as PyTorch', () => {
    same(new MSELoss().forward(x, y), F.mseLoss(x, y, { reduction: 'mean' }), 'MSELoss()');
    same(new KLDivLoss().forward(logp, soft), F.klDiv(logp, soft, { reduction: 'mean' }), 'KLDivLoss()');
    same(new CrossEntropyLoss().forward(x, cls), F.crossEntropy(x, cls, { reduction: 'mean' }), 'CrossEntropyLoss()');
    assert.equal(new MSELoss().forward(x, y).ndim, 0);
  });

  test('sigmoidFocalLoss defaults to reduction none, as torchvision', () => {
    same(F.sigmoidFocalLoss(x, hard), F.sigmoidFocalLoss(x, hard, { reduction: 'none', alpha: 0.25, gamma: 2 }), 'sigmoidFocalLoss');
    assert.deepEqual([...F.sigmoidFocalLoss(x, hard).shape], [6, 4]);
  });

  test('gradients reach the input through a module', () => {
    const xi = x.detach().requiresGrad_();
    const [g] = grad([new CrossEntropyLoss({ weight: w }).forward(xi, cls)], [xi]);
    const [h] = grad([F.crossEntropy(xi, cls, { weight: w })], [xi]);
    same(g, h, 'gradient');
    // the ignored row gets no gradient
    assert.deepEqual(Array.from(g.select(0, 3).toTypedArray()), [0, 0, 0, 0]);
  });
});

describe('class weights are buffers', () => {
  const w = tensor([1, 2, 3]);
  test('weighted losses register weight (and posWeight, alpha) as buffers, not parameters', () => {
    for (const [m, names] of [
      [new CrossEntropyLoss({ weight: w }), ['weight']],
      [new NLLLoss({ weight: w }), ['weight']],
      [new BCELoss({ weight: w }), ['weight']],
      [new BCEWithLogitsLoss({ weight: w, posWeight: w }), ['weight', 'posWeight']],
      [new MultiMarginLoss({ weight: w }), ['weight']],
      [new FocalLoss({ alpha: w }), ['alpha']],
    ] as const) {
      assert.deepEqual(m.namedBuffers().map((e) => e[0]), names, m.constructor.name);
      assert.deepEqual(Object.keys(m.stateDict()), names, m.constructor.name);
      assert.equal(m.parameters().length, 0);
    }
  });

  test('without weights there are no buffers, and the weight is null', () => {
    const m = new CrossEntropyLoss();
    assert.equal(m.weight, null);
    assert.deepEqual(m.buffers(), []);
  });

  test('a loaded state dict changes the weights the loss uses', () => {
    const m = new CrossEntropyLoss({ weight: tensor([1, 1, 1]) });
    m.loadStateDict({ weight: tensor([0, 1, 0]) });
    const x = tensor([[1, 2, 3], [3, 2, 1]]);
    const t = tensor([0, 1], { dtype: 'int32' });
    // only the class-1 sample counts
    same(m.forward(x, t), F.crossEntropy(x.select(0, 1).unsqueeze(0), tensor([1], { dtype: 'int32' })), 'reweighted');
  });

  test('toString shows the settings', () => {
    assert.equal(new CrossEntropyLoss({ labelSmoothing: 0.1 }).toString(), 'CrossEntropyLoss(reduction=mean, ignoreIndex=-100, labelSmoothing=0.1)');
    assert.equal(new HuberLoss({ reduction: 'sum', delta: 2 }).toString(), 'HuberLoss(reduction=sum, delta=2)');
  });
});

describe('typed errors name the loss and the values', () => {
  const x = randn([4, 3]);
  const t = tensor([0, 1, 2, 1], { dtype: 'int32' });

  test('unknown reduction', () => {
    assert.throws(() => F.mseLoss(x, x, { reduction: 'avg' as never }), { name: 'ValueError', message: "mseLoss: reduction must be one of 'none', 'mean', 'sum', got 'avg'" });
    assert.throws(() => F.crossEntropy(x, t, { reduction: 'batchmean' as never }), (e: Error) => e instanceof ValueError && /^crossEntropy: .*'batchmean'/.test(e.message));
    assert.throws(() => F.klDiv(x, x, { reduction: 'avg' as never }), (e: Error) => e instanceof ValueError && e.message.includes("'batchmean'") && e.message.includes("got 'avg'"));
    assert.throws(() => new MSELoss({ reduction: 'elementwise_mean' as never }), (e: Error) => e instanceof ValueError && /^MSELoss: reduction .* got 'elementwise_mean'/.test(e.message));
    assert.throws(() => new KLDivLoss({ reduction: 'avg' as never }), (e: Error) => e instanceof ValueError && /^KLDivLoss:/.test(e.message));
  });

  test('target shape mismatch', () => {
    assert.throws(() => F.mseLoss(x, randn([3])), { name: 'ShapeError', message: 'mseLoss: target shape [3] must equal the input shape [4, 3]' });
    assert.throws(() => new BCEWithLogitsLoss().forward(x, rand([4, 1])), (e: Error) => e instanceof ShapeError && /^binaryCrossEntropyWithLogits: target shape \[4, 1\]/.test(e.message));
    assert.throws(() => F.crossEntropy(x, tensor([0, 1, 2], { dtype: 'int32' })), (e: Error) =>
      e instanceof ShapeError && e.message === 'crossEntropy: target shape [3] does not fit input [4, 3]: expected [4] (class indices) or [4, 3] (class probabilities)');
    assert.throws(() => F.nllLoss(randn([2, 3, 5]), randint(0, 3, [2, 4])), (e: Error) => e instanceof ShapeError && /nllLoss: target shape \[2, 4\] .* expected \[2, 5\]/.test(e.message));
    assert.throws(() => F.crossEntropy(x, t, { weight: tensor([1, 2]) }), { name: 'ShapeError', message: 'crossEntropy: weight must have shape [3] (one per class), got [2]' });
    assert.throws(() => F.binaryCrossEntropyWithLogits(x, rand([4, 3]), { posWeight: tensor([1, 2]) }), (e: Error) => e instanceof ShapeError && /posWeight/.test(e.message));
  });

  test('class index out of range', () => {
    assert.throws(() => F.crossEntropy(x, tensor([0, 3, 1, 1], { dtype: 'int32' })), {
      name: 'ValueError', message: 'crossEntropy: target 3 (at flat index 1) is out of range for 3 classes (valid: 0..2, or ignoreIndex -100)',
    });
    assert.throws(() => new NLLLoss().forward(x, tensor([0, -1, 1, 1], { dtype: 'int32' })), (e: Error) => e instanceof ValueError && /^nllLoss: target -1 /.test(e.message));
    assert.throws(() => F.multiMarginLoss(x, tensor([0, 1, 2, 7], { dtype: 'int32' })), (e: Error) => e instanceof ValueError && /^multiMarginLoss: target 7 .* 3 classes \(valid: 0\.\.2\)$/.test(e.message));
    assert.throws(() => new FocalLoss().forward(x, tensor([0, 1, 2, 3], { dtype: 'int32' })), (e: Error) => e instanceof ValueError && /^focalLoss: target 3/.test(e.message));
    // the ignored value itself may be anything, here 255 as in segmentation masks
    assert.doesNotThrow(() => F.crossEntropy(x, tensor([0, 255, 1, 1], { dtype: 'int32' }), { ignoreIndex: 255 }));
  });

  test('float target where an int target is expected', () => {
    assert.throws(() => F.nllLoss(x, tensor([0, 1, 2, 1])), { name: 'DTypeError', message: 'nllLoss: a class-index target must be an int32 tensor, got dtype float32' });
    assert.throws(() => new CrossEntropyLoss().forward(x, tensor([0, 1, 2, 1])), (e: Error) => e instanceof DTypeError && /^crossEntropy: a class-index target must be an int32 tensor, got dtype float32; a float target must have the input's shape \[4, 3\]/.test(e.message));
    assert.throws(() => F.multiMarginLoss(x, tensor([0, 1, 2, 1])), (e: Error) => e instanceof DTypeError && /^multiMarginLoss: .*float32/.test(e.message));
    // and the reverse: an int target of the input's shape would be probabilities
    assert.throws(() => F.crossEntropy(x, randint(0, 2, [4, 3])), (e: Error) => e instanceof DTypeError && /^crossEntropy: .*class probabilities .*int32/.test(e.message));
    assert.throws(() => F.mseLoss(x, randint(0, 2, [4, 3])), { name: 'DTypeError', message: 'mseLoss: target must be a floating-point tensor, got dtype int32' });
    assert.throws(() => F.mseLoss(randint(0, 2, [4, 3]), x), (e: Error) => e instanceof DTypeError && /^mseLoss: input must be a floating-point tensor, got dtype int32/.test(e.message));
  });

  test('bad labelSmoothing', () => {
    assert.throws(() => F.crossEntropy(x, t, { labelSmoothing: -0.1 }), { name: 'ValueError', message: 'crossEntropy: labelSmoothing must be a number in [0, 1], got -0.1' });
    assert.throws(() => new CrossEntropyLoss({ labelSmoothing: -0.1 }), { name: 'ValueError', message: 'CrossEntropyLoss: labelSmoothing must be a number in [0, 1], got -0.1' });
    assert.throws(() => F.crossEntropy(x, t, { labelSmoothing: 1.5 }), (e: Error) => e instanceof ValueError && /got 1\.5$/.test(e.message));
  });

  test('other bad options and values', () => {
    assert.throws(() => F.huberLoss(x, x, { delta: 0 }), { name: 'ValueError', message: 'huberLoss: delta must be a number > 0, got 0' });
    assert.throws(() => new HuberLoss({ delta: -1 }), (e: Error) => e instanceof ValueError && /^HuberLoss: delta/.test(e.message));
    assert.throws(() => F.smoothL1Loss(x, x, { beta: -1 }), (e: Error) => e instanceof ValueError && /^smoothL1Loss: beta must be a number >= 0, got -1$/.test(e.message));
    assert.throws(() => F.multiMarginLoss(x, t, { p: 3 as never }), { name: 'ValueError', message: 'multiMarginLoss: p must be 1 or 2, got 3' });
    assert.throws(() => new MultiMarginLoss({ p: 3 as never }), (e: Error) => e instanceof ValueError && /^MultiMarginLoss: p/.test(e.message));
    assert.throws(() => F.focalLoss(x, t, { gamma: -1 }), (e: Error) => e instanceof ValueError && /^focalLoss: gamma/.test(e.message));
    assert.throws(() => F.binaryCrossEntropy(x, rand([4, 3])), (e: Error) => e instanceof ValueError && /^binaryCrossEntropy: input must hold probabilities in \[0, 1\], got values in \[-?\d/.test(e.message));
    assert.throws(() => F.hingeLoss(x, tensor([[1, 0, -1], [1, 1, 1], [1, 1, 1], [1, 1, 1]])), { name: 'ValueError', message: 'hingeLoss: targets must be -1 or 1, got 0 at flat index 1' });
    assert.throws(() => F.crossEntropy(x, softmax(x, 1), { ignoreIndex: 0 }), { name: 'ValueError', message: 'crossEntropy: ignoreIndex is not supported with class-probability targets, got 0' });
    assert.throws(() => F.crossEntropy(x, t, { ignoreIndex: 0.5 }), (e: Error) => e instanceof ValueError && /ignoreIndex must be an integer, got 0\.5/.test(e.message));
    assert.throws(() => F.l1Loss([1, 2] as never, x), (e: Error) => e instanceof ValueError && /^l1Loss: input must be a Tensor, got an array/.test(e.message));
  });
});

describe('numerical behaviour beyond the fixtures', () => {
  test('binaryCrossEntropyWithLogits is finite for logits of ±1000, with gradient sigmoid(x) - y', () => {
    const x = tensor([1000, -1000, 1000, -1000, 0], f64).requiresGrad_();
    const y = tensor([0, 1, 1, 0, 1], f64);
    const l = F.binaryCrossEntropyWithLogits(x, y, { reduction: 'none' });
    assert.deepEqual(Array.from(l.toTypedArray()), [1000, 1000, 0, 0, Math.log(2)]);
    const [g] = grad([l.sum()], [x]);
    assert.deepEqual(Array.from(g.toTypedArray()), [1, -1, 0, 0, -0.5]);
  });

  test('binaryCrossEntropy after a saturated float32 sigmoid gives a finite gradient', () => {
    const z = tensor([40, -200, 40, -200]).requiresGrad_();
    const p = sigmoid(z);
    assert.deepEqual(Array.from(p.toTypedArray()), [1, 0, 1, 0]);
    const [g] = grad([F.binaryCrossEntropy(p, tensor([1, 0, 0, 1]))], [z]);
    for (const v of g.toTypedArray()) assert.ok(Number.isFinite(v), `gradient ${v} is not finite`);
  });

  test('crossEntropy equals nllLoss of logSoftmax and focalLoss with gamma 0', () => {
    manualSeed(3);
    const x = randn([5, 4], f64);
    const t = randint(0, 4, [5]);
    const ce = F.crossEntropy(x, t).item();
    assert.ok(Math.abs(ce - F.nllLoss(F.logSoftmax(x, 1), t).item()) < 1e-14);
    assert.ok(Math.abs(ce - F.focalLoss(x, t, { gamma: 0 }).item()) < 1e-14);
  });

  test('klDiv batchmean is the true KL divergence', () => {
    const p = tensor([[0.5, 0.5], [0.9, 0.1]], f64);
    const q = tensor([[0.25, 0.75], [0.5, 0.5]], f64);
    const kl = (a: number[], b: number[]) => a.reduce((s, ai, i) => s + ai * Math.log(ai / b[i]), 0);
    const want = (kl([0.5, 0.5], [0.25, 0.75]) + kl([0.9, 0.1], [0.5, 0.5])) / 2;
    assert.ok(Math.abs(F.klDiv(q.log(), p, { reduction: 'batchmean' }).item() - want) < 1e-14);
  });
});

describe('zeroOneLoss', () => {
  test('returns the fraction or count of misclassified samples as a number', () => {
    const logits = tensor([[2, 1, 0], [0, 3, 1], [1, 0, 5], [4, 0, 0]]);
    const t = tensor([0, 2, 2, 1], { dtype: 'int32' });
    assert.equal(F.zeroOneLoss(logits, t), 0.5);
    assert.equal(F.zeroOneLoss(logits, t, { normalize: false }), 2);
    assert.equal(F.zeroOneLoss(tensor([0, 1, 2, 1], { dtype: 'int32' }), t), 0.25);
    assert.equal(F.zeroOneLoss(tensor([1, -1, 1]).sign(), tensor([1, 1, 1])), 1 / 3);
  });

  test('rejects shapes that fit neither labels nor scores', () => {
    assert.throws(() => F.zeroOneLoss(randn([4, 3]), tensor([0, 1, 2], { dtype: 'int32' })), (e: Error) => e instanceof ShapeError && /^zeroOneLoss: scores \[4, 3\] do not fit target \[3\]/.test(e.message));
    assert.throws(() => F.zeroOneLoss(randn([4, 3, 2, 1]), tensor([0, 1], { dtype: 'int32' })), (e: Error) => e instanceof ShapeError && /^zeroOneLoss: pred/.test(e.message));
  });
});
