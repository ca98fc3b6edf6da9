/**
 * The modules of src/nn/loss-modules-extra.ts: each gives exactly its function's value for its options,
 * keeps a class weight as a buffer (in the state dict) and prints its options.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import * as F from '../../src/nn/functional.js';
import { nn, type Tensor } from '../../src/index.js';

const x = (shape: number[]) => sd.randn(shape, { dtype: 'float64' });
const signs = (n: number) => sd.tensor(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -1 : 1)), { dtype: 'float64' });
const same = (a: Tensor, b: Tensor) => assert.deepEqual([...a.toTypedArray()], [...b.toTypedArray()]);

describe('margin, embedding and likelihood loss modules', () => {
  test('each forward equals its function with the same options', () => {
    sd.manualSeed(3);
    const [a, b, c] = [x([4, 3]), x([4, 3]), x([4, 3])];
    const v = sd.rand([4, 3], { dtype: 'float64' });
    const y = signs(4);
    const y12 = signs(12).reshape([4, 3]);
    const counts = sd.tensor([[0, 1, 2], [3, 0, 1], [1, 1, 4], [2, 0, 0]], { dtype: 'float64' });
    const labels = sd.tensor([[0, 2, -1], [1, -1, 0], [2, 1, 0], [-1, 0, 0]], { dtype: 'int32' });
    const weight = sd.tensor([0.5, 1, 2], { dtype: 'float64' });
    const dist = (u: Tensor, w: Tensor) => F.pairwiseDistance(u, w, { p: 1 });
    same(new nn.MarginRankingLoss({ margin: 0.3, reduction: 'sum' }).forward(a, b, y12), F.marginRankingLoss(a, b, y12, { margin: 0.3, reduction: 'sum' }));
    same(new nn.HingeEmbeddingLoss({ margin: 2 }).forward(a, y12), F.hingeEmbeddingLoss(a, y12, { margin: 2 }));
    same(new nn.SoftMarginLoss({ reduction: 'none' }).forward(a, y12), F.softMarginLoss(a, y12, { reduction: 'none' }));
    same(new nn.MultiLabelMarginLoss().forward(a, labels), F.multilabelMarginLoss(a, labels));
    same(new nn.MultiLabelSoftMarginLoss({ weight }).forward(a, v), F.multilabelSoftMarginLoss(a, v, { weight }));
    same(new nn.CosineEmbeddingLoss({ margin: 0.1 }).forward(a, b, y), F.cosineEmbeddingLoss(a, b, y, { margin: 0.1 }));
    same(new nn.TripletMarginLoss({ p: 1, swap: true, margin: 0.5 }).forward(a, b, c), F.tripletMarginLoss(a, b, c, { p: 1, swap: true, margin: 0.5 }));
    same(new nn.TripletMarginWithDistanceLoss({ distanceFunction: dist }).forward(a, b, c), F.tripletMarginWithDistanceLoss(a, b, c, { distanceFunction: dist }));
    same(new nn.PoissonNLLLoss({ full: true }).forward(a, counts), F.poissonNllLoss(a, counts, { full: true }));
    same(new nn.GaussianNLLLoss({ full: true, reduction: 'sum' }).forward(a, b, v), F.gaussianNllLoss(a, b, v, { full: true, reduction: 'sum' }));
  });
  test('defaults as PyTorch; the class weight is a buffer; repr shows the options', () => {
    assert.equal(new nn.MarginRankingLoss().margin, 0);
    assert.equal(new nn.HingeEmbeddingLoss().margin, 1);
    assert.equal(new nn.CosineEmbeddingLoss().margin, 0);
    const t = new nn.TripletMarginLoss();
    assert.deepEqual([t.margin, t.p, t.eps, t.swap, t.reduction], [1, 2, 1e-6, false, 'mean']);
    const pn = new nn.PoissonNLLLoss();
    assert.deepEqual([pn.logInput, pn.full, pn.eps], [true, false, 1e-8]);
    const g = new nn.GaussianNLLLoss();
    assert.deepEqual([g.full, g.eps], [false, 1e-6]);
    const m = new nn.MultiLabelSoftMarginLoss({ weight: sd.ones([3]) });
    assert.deepEqual(Object.keys(m.stateDict()), ['weight']);
    assert.deepEqual(Object.keys(new nn.MultiLabelSoftMarginLoss().stateDict()), []);
    assert.equal(new nn.TripletMarginLoss({ swap: true }).toString(), 'TripletMarginLoss(margin=1, p=2, eps=0.000001, swap=true, reduction=mean)');
    assert.equal(new nn.MarginRankingLoss({ margin: 0.5, reduction: 'sum' }).toString(), 'MarginRankingLoss(margin=0.5, reduction=sum)');
    assert.equal(new nn.GaussianNLLLoss().toString(), 'GaussianNLLLoss(full=false, eps=0.000001, reduction=mean)');
  });
  test('gradients flow through a module to the input', () => {
    const a = x([3, 4]).requiresGrad_();
    const loss = new nn.TripletMarginLoss().forward(a, x([3, 4]), x([3, 4]));
    const [g] = sd.grad(loss, [a]);
    assert.deepEqual([...g.shape], [3, 4]);
  });
});
