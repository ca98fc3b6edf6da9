/**
 * The layers PixelShuffle, PixelUnshuffle, CosineSimilarity, PairwiseDistance and EmbeddingBag: each forward is
 * its function with the layer's options; EmbeddingBag's table starts N(0, 1) with a zero padding row that gets
 * no gradient, and travels in the state dict.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import * as F from '../../src/nn/functional.js';
import { nn, type Tensor } from '../../src/index.js';

const x = (shape: number[]) => sd.randn(shape, { dtype: 'float64' });
const same = (a: Tensor, b: Tensor) => {
  assert.deepEqual([...a.shape], [...b.shape]);
  assert.deepEqual([...a.toTypedArray()], [...b.toTypedArray()]);
};

describe('PixelShuffle / PixelUnshuffle', () => {
  test('apply the function; unshuffle inverts shuffle; repr', () => {
    const a = x([2, 8, 3, 3]);
    const up = new nn.PixelShuffle(2);
    same(up.forward(a), F.pixelShuffle(a, 2));
    same(new nn.PixelUnshuffle(2).forward(up.forward(a)), a);
    assert.deepEqual([...up.forward(a).shape], [2, 2, 6, 6]);
    assert.equal(up.toString(), 'PixelShuffle(upscaleFactor=2)');
    assert.equal(new nn.PixelUnshuffle(3).toString(), 'PixelUnshuffle(downscaleFactor=3)');
  });
});

describe('CosineSimilarity / PairwiseDistance', () => {
  test('apply the function with their options (PyTorch defaults: dim 1, eps 1e-8; p 2, eps 1e-6)', () => {
    const [a, b] = [x([4, 5]), x([4, 5])];
    same(new nn.CosineSimilarity().forward(a, b), F.cosineSimilarity(a, b));
    same(new nn.CosineSimilarity({ dim: 0, eps: 0.1 }).forward(a, b), F.cosineSimilarity(a, b, { dim: 0, eps: 0.1 }));
    same(new nn.PairwiseDistance().forward(a, b), F.pairwiseDistance(a, b));
    same(new nn.PairwiseDistance({ p: 1, keepdim: true }).forward(a, b), F.pairwiseDistance(a, b, { p: 1, keepdim: true }));
    assert.equal(new nn.CosineSimilarity().toString(), 'CosineSimilarity(dim=1, eps=1e-8)');
    assert.equal(new nn.PairwiseDistance().toString(), 'PairwiseDistance(p=2, eps=0.000001, keepdim=false)');
  });
});

describe('EmbeddingBag', () => {
  test('the table starts N(0, 1) (5 sigma), the padding row at zero; it is the state dict', () => {
    sd.manualSeed(17);
    const m = new nn.EmbeddingBag(200, 50, { paddingIdx: -1, dtype: 'float64' });
    assert.equal(m.paddingIdx, 199);
    const w = m.weight.toTypedArray();
    assert.ok(Array.from(w.subarray(199 * 50)).every((v) => v === 0));
    const n = 199 * 50;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += w[i];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (w[i] - mean) ** 2;
    v /= n;
    assert.ok(Math.abs(mean) < 5 / Math.sqrt(n), `mean ${mean}`);
    assert.ok(Math.abs(v - 1) < 5 * Math.sqrt(2 / n), `variance ${v}`);
    assert.deepEqual(Object.keys(m.stateDict()), ['weight']);
    assert.equal(m.toString(), 'EmbeddingBag(200, 50, mode=mean, paddingIdx=199)');
  });
  test('forward is embeddingBag with its options; the padding row gets no gradient', () => {
    sd.manualSeed(18);
    const m = new nn.EmbeddingBag(6, 3, { mode: 'sum', paddingIdx: 2, dtype: 'float64' });
    const input = sd.tensor([0, 2, 1, 2, 5, 5], { dtype: 'int32' });
    const offsets = sd.tensor([0, 2, 2, 6], { dtype: 'int32' });
    const psw = sd.tensor([1, 2, 3, 4, 5, 6], { dtype: 'float64' });
    const out = m.forward(input, offsets, psw);
    same(out, F.embeddingBag(input, m.weight, { offsets, perSampleWeights: psw, mode: 'sum', paddingIdx: 2 }));
    assert.deepEqual([...out.shape], [4, 3]);
    for (const b of [1, 3]) assert.ok(Array.from(out.select(0, b).toTypedArray()).every((v) => v === 0), `the empty bag ${b} is zeros`);
    const [g] = sd.grad(out.sum(), [m.weight]);
    const gs = g.toTypedArray();
    assert.deepEqual(Array.from(gs.subarray(6, 9)), [0, 0, 0]);
    // bags [0, 2], [], [1, 2, 5, 5], []: row 5 twice (weights 5 and 6), rows 0 and 1 once (weights 1 and 3)
    assert.deepEqual(Array.from(gs.subarray(15, 18)), [11, 11, 11]);
    assert.deepEqual(Array.from(gs.subarray(0, 3)), [1, 1, 1]);
    assert.deepEqual(Array.from(gs.subarray(3, 6)), [3, 3, 3]);
    const m2 = new nn.EmbeddingBag(6, 3, { mode: 'max', includeLastOffset: true });
    same(m2.forward(input, offsets), F.embeddingBag(input, m2.weight, { offsets, mode: 'max', includeLastOffset: true }));
  });
});
