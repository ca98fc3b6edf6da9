/**
 * The text models of issue 13 (src/models/sequence/text-classifier.ts, pos-tagger.ts): output shapes, padding that
 * changes nothing, pretrained embeddings, the zoo entries, a few training steps that lower the loss, bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DTypeError, ShapeError, ValueError, manualSeed, models, noGrad, optim, tensor, text, train } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

const ids = (rows: number[][]) => tensor(rows, { dtype: 'int32' });
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${i}: ${a[i]} vs ${b[i]}`);
};

describe('TextClassifier', () => {
  for (const encoder of models.TEXT_ENCODERS) {
    test(`${encoder}: logits [N, C], and extra padding columns change nothing`, () => {
      manualSeed(0);
      const m = new models.TextClassifier({ vocabSize: 30, numClasses: 3, encoder, embedDim: 8, hiddenSize: 5 }).eval();
      const y = noGrad(() => m.forward(ids([[4, 5, 6, 1], [7, 8, 1, 1]])));
      assert.deepEqual(y.shape, [2, 3]);
      const wider = noGrad(() => m.forward(ids([[4, 5, 6, 1, 1, 1], [7, 8, 1, 1, 1, 1]])));
      close(y.toTypedArray(), wider.toTypedArray());
      const alone = noGrad(() => m.forward(ids([[7, 8]])));
      close(alone.toTypedArray(), (y.toTypedArray() as Float32Array).slice(3));
    });
  }

  test('bag: the text vector is the mean of the token embeddings', () => {
    manualSeed(1);
    const m = new models.TextClassifier({ vocabSize: 10, embedDim: 4 });
    const w = m.embedding.weight.toTypedArray();
    const v = noGrad(() => m.encode(ids([[2, 3, 1]]))).toTypedArray();
    close(v, [0, 1, 2, 3].map((j) => (w[2 * 4 + j] + w[3 * 4 + j]) / 2));
  });

  test('loadEmbeddings copies the table, zeroes the padding row and can freeze it', () => {
    const m = new models.TextClassifier({ vocabSize: 4, embedDim: 2 });
    m.loadEmbeddings(tensor([[1, 2], [3, 4], [5, 6], [7, 8]]), { freeze: true });
    assert.deepEqual(Array.from(m.embedding.weight.toTypedArray()), [1, 2, 0, 0, 5, 6, 7, 8]);
    assert.equal(m.embedding.weight.requiresGrad, false);
    m.loadEmbeddings(tensor([[1, 2], [3, 4], [5, 6], [7, 8]]));
    assert.equal(m.embedding.weight.requiresGrad, true);
  });

  test('a few steps of the classification task lower the loss (bilstm)', () => {
    manualSeed(0);
    const m = new models.TextClassifier({ vocabSize: 12, encoder: 'bilstm', embedDim: 8, hiddenSize: 8 });
    // class 1 iff token 5 occurs
    const seqs = [[2, 3, 4], [5, 3], [4, 4, 2, 3], [2, 5, 4], [3, 2], [4, 5, 5, 2], [6, 7], [7, 5]];
    const labels = seqs.map((s) => (s.includes(5) ? 1 : 0));
    const task = new train.ClassificationTask(m, { optimizer: new optim.Adam(m.parameters(), { lr: 0.05 }) });
    const batch = new text.PaddedBatches(seqs, labels, { batchSize: 8, shuffle: false }).batch([0, 1, 2, 3, 4, 5, 6, 7]);
    const ctx = { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 };
    const first = task.trainStep(batch, ctx).loss;
    let last = first;
    for (let i = 0; i < 15; i++) last = task.trainStep(batch, ctx).loss;
    assert.ok(last < 0.5 * first, `${first} -> ${last}`);
  });

  test('the zoo builds it', () => {
    const e = models.modelEntry('textclassifier');
    assert.equal(e.task, 'classification');
    const m = models.createModel('textclassifier', { vocabSize: 50, encoder: 'bilstm' }) as models.TextClassifier;
    assert.equal(m.options.hiddenSize, 64);
    assert.deepEqual(noGrad(() => m.forward(ids([[3, 4]]))).shape, [1, 2]);
  });

  checkErrors('TextClassifier', [
    ['unknown encoder', () => new models.TextClassifier({ encoder: 'cnn' as 'bag' }), ValueError, /^textclassifier: option encoder must be one of bag, bilstm, got 'cnn'/],
    ['vocabSize 0', () => new models.TextClassifier({ vocabSize: 0 }), ValueError, /^textclassifier: option vocabSize must be a positive integer, got 0/],
    ['paddingIdx out of range', () => new models.TextClassifier({ vocabSize: 5, paddingIdx: 5 }), ValueError, /option paddingIdx must be an integer in \[0, 5\), got 5/],
    ['dropout 1', () => new models.TextClassifier({ dropout: 1 }), ValueError, /option dropout must be in \[0, 1\), got 1/],
    ['1-D input', () => new models.TextClassifier({ vocabSize: 5 }).forward(ids([[2]]).reshape([1])), ShapeError, /^textclassifier: input must be token indices \[N, L\] \(int32\), got shape \[1\]/],
    ['float input', () => new models.TextClassifier({ vocabSize: 5 }).forward(tensor([[2, 3]])), DTypeError, /input must be int32 token indices, got dtype float32/],
    ['empty row', () => new models.TextClassifier({ vocabSize: 5 }).forward(ids([[2, 3], [1, 1]])), ValueError, /row 1 of the input has no tokens \(it starts with the padding index 1\)/],
    ['embedding shape', () => new models.TextClassifier({ vocabSize: 5, embedDim: 2 }).loadEmbeddings(tensor([[1, 2]])), ShapeError, /loadEmbeddings: weights must have shape \[5, 2\], got \[1, 2\]/],
  ]);
});

describe('POSTagger', () => {
  const feats = (rows: number[][][]) => tensor(rows, { dtype: 'int32' });

  test('logits [N, L, tags]; a sentence tags the same alone and padded in a batch', () => {
    manualSeed(0);
    const m = new models.POSTagger({ vocabSize: 20, suffixVocabSize: 10, numClasses: 5, embedDim: 6, hiddenSize: 4 }).eval();
    assert.equal(m.numFeatures, 3);
    const y = noGrad(() => m.forward(feats([[[4, 3, 1], [5, 2, 0], [6, 2, 0]], [[7, 4, 3], [1, 1, 1], [1, 1, 1]]])));
    assert.deepEqual(y.shape, [2, 3, 5]);
    const alone = noGrad(() => m.forward(feats([[[7, 4, 3]]])));
    close(alone.toTypedArray(), (y.toTypedArray() as Float32Array).slice(15, 20));
  });

  test('features can be left out: word only', () => {
    const m = new models.POSTagger({ vocabSize: 20, suffixVocabSize: 0, shape: false, numClasses: 4 });
    assert.equal(m.numFeatures, 1);
    assert.deepEqual(noGrad(() => m.forward(feats([[[3], [4]]]))).shape, [1, 2, 4]);
  });

  test('wordShape and wordSuffix', () => {
    assert.deepEqual(['the', 'Fulton', 'NATO', '1961', 'I', "'s"].map(models.wordShape), [0, 1, 2, 3, 1, 0]);
    assert.deepEqual(['Running', 'to', 'élan'].map((w) => models.wordSuffix(w)), ['ing', 'to', 'lan']);
  });

  test('a few steps of the tagging task lower the loss', () => {
    manualSeed(0);
    const m = new models.POSTagger({ vocabSize: 10, suffixVocabSize: 0, shape: false, numClasses: 3, embedDim: 8, hiddenSize: 8 });
    // the tag of word w is w % 3
    const seqs = [[2, 3, 4, 5], [6, 7], [8, 9, 2], [3, 3, 5, 6, 7]];
    const tags = seqs.map((s) => s.map((w) => w % 3));
    const task = new train.TaggingTask(m, { optimizer: new optim.Adam(m.parameters(), { lr: 0.05 }) });
    const batch = new text.PaddedBatches(seqs.map((s) => s.map((w) => [w])), tags, { batchSize: 4, shuffle: false }).batch([0, 1, 2, 3]);
    const ctx = { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 };
    const first = task.trainStep(batch, ctx).loss;
    let last = first;
    for (let i = 0; i < 20; i++) last = task.trainStep(batch, ctx).loss;
    assert.ok(last < 0.3 * first, `${first} -> ${last}`);
    assert.equal(models.modelEntry('postagger').task, 'tagging');
  });

  checkErrors('POSTagger', [
    ['wrong feature count', () => new models.POSTagger({ vocabSize: 5, suffixVocabSize: 5 }).forward(feats([[[2], [3]]])), ShapeError, /^postagger: input must be token features \[N, L, 3\] \(int32: word, suffix, shape\), got shape \[1, 2, 1\]/],
    ['negative suffixVocabSize', () => new models.POSTagger({ suffixVocabSize: -1 }), ValueError, /^postagger: option suffixVocabSize must be an integer >= 0, got -1/],
    ['shape not boolean', () => new models.POSTagger({ shape: 1 as unknown as boolean }), ValueError, /option shape must be a boolean, got 1/],
    ['paddingIdx beyond the suffixes', () => new models.POSTagger({ vocabSize: 50, suffixVocabSize: 3, paddingIdx: 3 }), ValueError, /option paddingIdx must be an integer in \[0, 3\), got 3/],
  ]);
});
