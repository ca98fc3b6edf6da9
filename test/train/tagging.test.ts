/**
 * The token-tagging task (src/train/tasks/tagging.ts) and text.PaddedBatches: padding positions count in neither
 * the loss nor the accuracy, batches pad inputs and targets as documented, bad inputs raise typed errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DTypeError, F, Generator, ShapeError, ValueError, nn, optim, tensor, text, train, type Tensor } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

/** A "model" returning fixed logits [N, L, C], with one parameter so that an optimizer can be built. */
class Fixed extends nn.Module {
  readonly w = new nn.Parameter(tensor([0]));
  constructor(readonly logits: Tensor) {
    super();
  }
  forward(): Tensor {
    return this.logits;
  }
}

const ctx = { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 };

describe('TaggingTask', () => {
  test('loss and accuracy leave the padding out: logits there change nothing', () => {
    // 2 sentences, L = 3, C = 2; sentence 1 has one real token
    const real = [[2, 0], [0, 1], [1, 0], [0, 3]];
    const tags = tensor([[0, 1, 1], [1, -100, -100]], { dtype: 'int32' });
    const make = (padLogit: number) => new Fixed(tensor([[real[0], real[1], real[2]], [real[3], [padLogit, 0], [0, padLogit]]]));
    const results = [0, 50].map((p) => {
      const m = make(p);
      const task = new train.TaggingTask(m as unknown as nn.Module & { forward(x: Tensor): Tensor }, { optimizer: new optim.SGD(m.parameters(), { lr: 0 }) });
      task.resetMetrics('val');
      const r = task.evalStep([tensor([0]), tags]);
      return { loss: r.loss, n: r.n, acc: task.metricLogs('val').accuracy };
    });
    const expected = F.crossEntropy(tensor(real), tensor([0, 1, 1, 1], { dtype: 'int32' })).item();
    for (const r of results) {
      assert.ok(Math.abs(r.loss - expected) < 1e-6, `${r.loss} vs ${expected}`);
      assert.equal(r.n, 4);
      assert.equal(r.acc, 0.75); // token 3 (logits [1, 0], tag 1) is wrong
    }
  });

  test('the registry builds it and its train step runs', () => {
    const m = new Fixed(tensor([[[1, 0], [0, 1]]]));
    const task = train.createTask('tagging', m as unknown as nn.Module & { forward(x: Tensor): Tensor }, { optimizer: new optim.SGD(m.parameters(), { lr: 0.1 }) });
    assert.equal(task.kind, 'tagging');
    assert.ok(train.TASK_NAMES.includes('tagging'));
  });

  const fixed = (logits: Tensor) => {
    const m = new Fixed(logits);
    return new train.TaggingTask(m as unknown as nn.Module & { forward(x: Tensor): Tensor }, { optimizer: new optim.SGD(m.parameters(), { lr: 0 }) });
  };
  const l3 = tensor([[[1, 0], [0, 1]]]);
  checkErrors('TaggingTask', [
    ['2-D logits', () => fixed(tensor([[1, 0]])).trainStep([tensor([0]), tensor([[0]], { dtype: 'int32' })], ctx), ShapeError, /^TaggingTask: the model must return logits \[N, L, C\], got shape \[1, 2\]/],
    ['tags of another shape', () => fixed(l3).trainStep([tensor([0]), tensor([[0, 1, 1]], { dtype: 'int32' })], ctx), ShapeError, /tags must be \[N, L\] = \[1, 2\] to fit the logits \[1, 2, 2\], got \[1, 3\]/],
    ['float tags', () => fixed(l3).trainStep([tensor([0]), tensor([[0, 1]])], ctx), DTypeError, /tags must be int32 tag indices, got dtype float32/],
    ['all padding', () => fixed(l3).evalStep([tensor([0]), tensor([[-100, -100]], { dtype: 'int32' })]), ValueError, /every tag of the batch is the ignoreIndex -100/],
    ['not a pair', () => fixed(l3).evalStep(tensor([0]) as unknown as [Tensor, Tensor]), ValueError, /^TaggingTask: each batch must be \[inputs, tags\] of tensors/],
    ['bad clip', () => fixed(l3) && new train.TaggingTask(new Fixed(l3) as never, { optimizer: new optim.SGD(new Fixed(l3).parameters(), { lr: 0 }), clipGradNorm: -1 }), ValueError, /clipGradNorm must be a positive number, got -1/],
  ]);
});

describe('PaddedBatches', () => {
  test('class targets: inputs [N, L] padded with 1, targets [N]', () => {
    const b = new text.PaddedBatches([[5, 6, 7], [8]], [1, 0], { shuffle: false });
    assert.equal(b.length, 1);
    const [[x, y]] = [...b];
    assert.deepEqual(x.toArray(), [[5, 6, 7], [8, 1, 1]]);
    assert.equal(x.dtype, 'int32');
    assert.deepEqual(y.toArray(), [1, 0]);
  });

  test('per-token targets with features: inputs [N, L, F], targets [N, L] padded with -100', () => {
    const b = new text.PaddedBatches([[[5, 2], [6, 3]], [[7, 4]]], [[0, 1], [2]], { batchSize: 2, shuffle: false });
    const [[x, y]] = [...b];
    assert.deepEqual(x.shape, [2, 2, 2]);
    assert.deepEqual(x.toArray(), [[[5, 2], [6, 3]], [[7, 4], [1, 1]]]);
    assert.deepEqual(y.toArray(), [[0, 1], [2, -100]]);
  });

  test('shuffled passes cover every sequence once, grouped by length', () => {
    const seqs = Array.from({ length: 40 }, (_, i) => Array.from({ length: 1 + (i % 7) }, () => 3));
    const b = new text.PaddedBatches(seqs, seqs.map((_, i) => i), { batchSize: 8, generator: new Generator(0) });
    const seen = [...b].flatMap(([, y]) => Array.from(y.toTypedArray())).sort((p, q) => p - q);
    assert.deepEqual(seen, seqs.map((_, i) => i));
  });

  checkErrors('PaddedBatches', [
    ['no sequences', () => new text.PaddedBatches([], []), ValueError, /^PaddedBatches: sequences must be a non-empty array, got an empty array/],
    ['targets count', () => new text.PaddedBatches([[2]], [0, 1]), ValueError, /targets must have one entry per sequence \(1\), got 2/],
    ['empty sequence', () => new text.PaddedBatches([[2], []], [0, 1]), ValueError, /sequences\[1\] must be a non-empty array of tokens, got an empty array/],
    ['bad token', () => new text.PaddedBatches([[2, 1.5]], [0]), ValueError, /sequences\[0\] has token 1\.5; expected an integer index/],
    ['tags per token', () => new text.PaddedBatches([[2, 3]], [[0]]), ValueError, /targets\[0\] must be 2 integer tags \(one per token\), got \[0\]/],
    ['batchSize', () => new text.PaddedBatches([[2]], [0], { batchSize: 0 }), ValueError, /batchSize must be a positive integer, got 0/],
  ]);
});
