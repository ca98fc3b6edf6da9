/**
 * The CRNN (models/sequence/crnn.ts) and the CTC task (train/tasks/ctc.ts): output shapes and parameter names, the
 * zoo entry and the task registry, a few steps on tiny strips lowering the CTC loss, the task's metrics against a
 * hand decoding, and bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, manualSeed, optim, tensor } from '../../../src/index.js';
import { DigitStrips } from '../../../src/data/digit-strips.js';
import { CRNN } from '../../../src/models/sequence/crnn.js';
import { createModel, modelEntry } from '../../../src/models/registry.js';
import { CtcTask, type CtcBatch } from '../../../src/train/tasks/ctc.js';
import { createTask } from '../../../src/train/tasks/registry.js';
import { checkErrors } from '../../helpers/check-errors.js';
import { barDigits } from '../../helpers/bar-digits.js';

const ctx = { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 };

describe('CRNN', () => {
  test('frame scores [W/4, N, classes + 1], the blank last, PyTorch parameter names', () => {
    manualSeed(0);
    const m = new CRNN({ imageHeight: 14 });
    const y = m.forward(tensor(new Float32Array(2 * 14 * 112), { shape: [2, 1, 14, 112] }));
    assert.deepEqual(y.shape, [28, 2, 11]);
    assert.equal(m.blank, 10);
    const keys = Object.keys(m.stateDict());
    for (const k of ['cnn.0.weight', 'cnn.1.running_mean', 'rnn.weight_ih_l0', 'rnn.weight_hh_l0_reverse', 'fc.weight', 'fc.bias']) assert.ok(keys.includes(k), k);
    // PyTorch's count for the same layers: convs 144 + 4608 + 13824, BN 2 x (16 + 32 + 48), LSTM 2 x 4 x 64 x (144 + 64 + 2), fc 128 x 11 + 11
    assert.equal(m.parameters().reduce((s, p) => s + p.numel(), 0), 144 + 4608 + 13824 + 192 + 2 * 4 * 64 * 210 + 128 * 11 + 11);
  });

  test('the zoo builds it for the ctc task, which the registry creates', () => {
    const e = modelEntry('crnn');
    assert.equal(e.task, 'ctc');
    const m = createModel('crnn', { hiddenSize: 8, channels: [4, 4, 4] }) as CRNN;
    const task = createTask('ctc', m, { optimizer: new optim.Adam(m.parameters()) });
    assert.equal(task.kind, 'ctc');
  });

  test('a few Adam steps on tiny strips lower the CTC loss; metrics follow the decoded sequences', () => {
    manualSeed(0);
    const strips = new DigitStrips(barDigits(), { count: 8, maxDigits: 3, seed: 2, downsample: 1, jitter: 0, gap: [2, 4] });
    const m = new CRNN({ imageHeight: 12, channels: [6, 6, 6], hiddenSize: 12 });
    const task = new CtcTask(m, { optimizer: new optim.Adam(m.parameters(), { lr: 0.02 }), clipGradNorm: 5 });
    const batch = strips.batch([0, 1, 2, 3, 4, 5, 6, 7]);
    const losses: number[] = [];
    task.resetMetrics('train');
    for (let i = 0; i < 12; i++) losses.push(task.trainStep(batch, { ...ctx, step: i }).loss);
    assert.ok(losses[11] < 0.7 * losses[0], losses.map((l) => l.toFixed(3)).join(' '));
    m.eval();
    task.resetMetrics('val');
    const r = task.evalStep(batch);
    assert.equal(r.n, 8);
    const logs = task.metricLogs('val');
    assert.ok(logs.seq_acc >= 0 && logs.seq_acc <= 1 && logs.cer >= 0, JSON.stringify(logs));
  });

  test('beamWidth > 1 decodes by prefix beam search; on a clear input it agrees with greedy', () => {
    const m = new CRNN({ beamWidth: 4 });
    // frames: 3, blank, 3, 7, 7 -> "3 3 7"
    const T = 5;
    const lp = new Float32Array(T * 11).fill(Math.log(0.01));
    [3, 10, 3, 7, 7].forEach((c, t) => { lp[t * 11 + c] = Math.log(0.9); });
    const x = tensor(lp, { shape: [T, 1, 11] });
    assert.deepEqual(m.decode(x), [[3, 3, 7]]);
    assert.deepEqual(new CRNN().decode(x), [[3, 3, 7]]);
  });
});

const tiny = (): CRNN => new CRNN({ channels: [2, 2, 2], hiddenSize: 2 });
const opt = (m: CRNN) => new optim.SGD(m.parameters(), { lr: 0.1 });
checkErrors('crnn and the CTC task', [
  ['hiddenSize 0', () => new CRNN({ hiddenSize: 0 }), ValueError, /^crnn: option hiddenSize must be a positive integer, got 0/],
  ['two channels', () => new CRNN({ channels: [4, 4] as unknown as [number, number, number] }), ValueError, /^crnn: option channels must be three positive integers/],
  ['imageHeight 3', () => new CRNN({ imageHeight: 3 }), ValueError, /^crnn: option imageHeight must be at least 4/],
  ['input of the wrong height', () => tiny().forward(tensor(new Float32Array(28 * 56), { shape: [1, 1, 28, 56] })), ValueError, /^crnn: input must be images \[N, 1, 14, W\], got shape \[1, 1, 28, 56\]/],
  ['task on a model without decode', () => new CtcTask({} as unknown as CRNN, { optimizer: opt(tiny()) }), ValueError, /^CtcTask: the model must have forward\(x\)/],
  ['clipGradNorm -1', () => { const m = tiny(); return new CtcTask(m, { optimizer: opt(m), clipGradNorm: -1 }); }, ValueError, /^CtcTask: clipGradNorm must be a positive number, got -1/],
  ['batch as an array', () => { const m = tiny(); return new CtcTask(m, { optimizer: opt(m) }).trainStep([1, 2] as unknown as CtcBatch, ctx); }, ValueError, /^CtcTask: each batch must be \{input, targets \[N, S\] int32, targetLengths\}/],
]);
