/**
 * The sequence auto-encoder (src/models/generative/sequence-ae.ts) and the windows it reads (src/data/windows.ts):
 * shapes and names for LSTM and GRU cells, per-step reconstruction errors, a short training run that lowers the
 * error, windows cut and folded back, and bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError, ValueError, arange, manualSeed, noGrad, optim, randn, stack, tensor, F, zeros } from '../../../src/index.js';
import { foldWindows, slidingWindows, windowStarts } from '../../../src/data/windows.js';
import { SequenceAE, reconstructionErrors } from '../../../src/models/generative/sequence-ae.js';
import { checkErrors } from '../../helpers/check-errors.js';

describe('windows', () => {
  test('slidingWindows cuts [T, F] into [N, size, F]; foldWindows averages overlapping per-step values', () => {
    const series = tensor([[0, 10], [1, 11], [2, 12], [3, 13], [4, 14]]);
    assert.deepEqual(windowStarts(5, 3, 1), [0, 1, 2]);
    assert.deepEqual(windowStarts(6, 3, 2), [0, 2]);
    const w = slidingWindows(series, 3, { stride: 2 });
    assert.deepEqual(w.shape, [2, 3, 2]);
    assert.deepEqual(Array.from(w.toTypedArray()), [0, 10, 1, 11, 2, 12, 2, 12, 3, 13, 4, 14]);
    assert.deepEqual(slidingWindows(arange(4).float(), 2, { starts: [2] }).shape, [1, 2, 1]);
    const folded = foldWindows(tensor([[1, 2, 3], [5, 6, 7]]), [0, 2], 6);
    assert.deepEqual(Array.from(folded.slice(0, 5)), [1, 2, 4, 6, 7]);
    assert.ok(Number.isNaN(folded[5]));
  });
});

describe('SequenceAE', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    test(`${cell}: [N, T, F] -> [N, T, F] through a code [N, H]; parameter names`, () => {
      manualSeed(0);
      const m = new SequenceAE({ features: 3, hiddenSize: 5, cell });
      const x = randn([4, 7, 3]);
      assert.deepEqual(m.encode(x).shape, [4, 5]);
      assert.deepEqual(m.forward(x).shape, [4, 7, 3]);
      const g = cell === 'lstm' ? 20 : 15;
      const shapes = Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape]));
      assert.deepEqual(shapes['encoder.weight_ih_l0'], [g, 3]);
      assert.deepEqual(shapes['decoder.weight_ih_l0'], [g, 5]);
      assert.deepEqual(shapes['output.weight'], [3, 5]);
      assert.deepEqual(reconstructionErrors(m, x, { batchSize: 3 }).shape, [4, 7]);
    });
  }

  test('per-step errors are the squared reconstruction error averaged over features', () => {
    manualSeed(1);
    const m = new SequenceAE({ features: 2, hiddenSize: 4 });
    const x = randn([3, 5, 2]);
    const y = noGrad(() => m.eval().forward(x));
    const want = noGrad(() => F.mseLoss(y, x, { reduction: 'none' }).mean(2)).toTypedArray();
    const got = reconstructionErrors(m.train(), x).toTypedArray();
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6));
    assert.equal(m.training, true, 'mode restored');
  });

  test('training on sine windows lowers the reconstruction error', () => {
    manualSeed(2);
    const series = stack([arange(200).float().mul(0.3).sin(), arange(200).float().mul(0.3).cos()], 1);
    const w = slidingWindows(series, 12, { stride: 4 });
    const m = new SequenceAE({ features: 2, hiddenSize: 8, cell: 'gru' });
    const opt = new optim.Adam(m.parameters(), { lr: 0.02 });
    const before = reconstructionErrors(m, w).mean().item();
    for (let i = 0; i < 40; i++) {
      opt.zeroGrad();
      F.mseLoss(m.forward(w), w).backward();
      opt.step();
    }
    const after = reconstructionErrors(m, w).mean().item();
    assert.ok(after < before / 3, `error ${before} -> ${after}`);
  });
});

checkErrors('sequence auto-encoder and windows', [
  ['2-D input', () => new SequenceAE({ features: 2 }).forward(zeros([4, 2])), ShapeError, /^SequenceAE\.encode: input must be windows \[N, T, 2\] \(batch, steps, features\), got shape \[4, 2\]/],
  ['wrong features', () => new SequenceAE({ features: 2 }).forward(zeros([1, 4, 3])), ShapeError, /input must be windows \[N, T, 2\].*got shape \[1, 4, 3\]/],
  ['unknown cell', () => new SequenceAE({ cell: 'rnn' as 'gru' }), ValueError, /^SequenceAE: option cell must be 'lstm' or 'gru', got "rnn"/],
  ['hiddenSize 0', () => new SequenceAE({ hiddenSize: 0 }), ValueError, /^SequenceAE: option hiddenSize must be a positive integer, got 0/],
  ['code of the wrong size', () => new SequenceAE({ hiddenSize: 4 }).decode(zeros([2, 3]), 5), ShapeError, /^SequenceAE\.decode: code must be \[N, 4\], got shape \[2, 3\]/],
  ['window longer than the series', () => slidingWindows(zeros([3, 2]), 4), ValueError, /^windowStarts: the series has 3 steps, fewer than one window of 4/],
  ['3-D series', () => slidingWindows(zeros([3, 2, 1]), 2), ShapeError, /^slidingWindows: series must be \[T, F\] or \[T\], got shape \[3, 2, 1\]/],
  ['start outside', () => slidingWindows(zeros([5, 1]), 2, { starts: [4] }), ValueError, /^slidingWindows: window start 4 is outside \[0, 3\]/],
  ['stride 0', () => windowStarts(5, 2, 0), ValueError, /^windowStarts: stride must be a positive integer, got 0/],
  ['fold count mismatch', () => foldWindows(zeros([2, 3]), [0], 5), ShapeError, /^foldWindows: 2 windows of values but 1 starts/],
]);
