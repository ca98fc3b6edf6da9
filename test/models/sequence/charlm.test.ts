/**
 * The character language model (models/sequence/charlm.ts, generate.ts), its BPTT batches (data/bptt.ts) and the
 * language-model task (train/tasks/language-model.ts): shapes and parameter names, batches that continue each other
 * row by row, a state carried across batches (the task's loss equals a hand-run of the same steps), exact resume,
 * sampling, and bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, manualSeed, nn, optim, tensor, Generator } from '../../../src/index.js';
import { BpttBatches } from '../../../src/data/bptt.js';
import { CharLM } from '../../../src/models/sequence/charlm.js';
import { drawSymbol, generate } from '../../../src/models/sequence/generate.js';
import { createModel, modelEntry } from '../../../src/models/registry.js';
import { fitTask } from '../../../src/train/loop.js';
import { ModelCheckpoint, loadCheckpoint } from '../../../src/train/checkpoint.js';
import { MemoryFileStore } from '../../../src/train/store.js';
import { LanguageModelTask } from '../../../src/train/tasks/language-model.js';
import { createTask } from '../../../src/train/tasks/registry.js';
import { checkErrors } from '../../helpers/check-errors.js';

/** A stream with structure a model can learn: 'abcabc...' with a rare 'd'. */
function stream(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (i % 17 === 16 ? 3 : i % 3));
}

describe('BpttBatches', () => {
  test('rows continue from one batch to the next; targets are the next symbols; the last batch is shorter', () => {
    const s = Int32Array.from({ length: 23 }, (_, i) => i);
    const b = new BpttBatches(s, { batchSize: 2, seqLen: 4 });
    assert.equal(b.rowLength, 11);
    assert.equal(b.length, 3); // 10 targets per row: 4 + 4 + 2
    assert.equal(b.targetCount, 20);
    const [x0, y0] = b.batch(0);
    assert.deepEqual(x0.shape, [2, 4]);
    assert.deepEqual(Array.from(x0.toTypedArray()), [0, 1, 2, 3, 11, 12, 13, 14]);
    assert.deepEqual(Array.from(y0.toTypedArray()), [1, 2, 3, 4, 12, 13, 14, 15]);
    const [x2, y2] = b.batch(2);
    assert.deepEqual(x2.shape, [2, 2]);
    assert.deepEqual(Array.from(x2.toTypedArray()), [8, 9, 19, 20]);
    assert.deepEqual(Array.from(y2.toTypedArray()), [9, 10, 20, 21]);
    assert.equal([...b].length, 3);
  });
});

describe('CharLM', () => {
  test('logits [N, L, V], PyTorch example parameter names, every cell', () => {
    for (const cell of ['lstm', 'gru', 'rnn'] as const) {
      manualSeed(0);
      const m = new CharLM({ vocabSize: 7, cell, embedDim: 5, hiddenSize: 6, numLayers: 2 });
      const x = tensor(Int32Array.from([0, 1, 2, 3, 4, 5]), { shape: [2, 3] });
      assert.deepEqual(m.forward(x).shape, [2, 3, 7]);
      const keys = Object.keys(m.stateDict());
      assert.ok(keys.includes('encoder.weight') && keys.includes('rnn.weight_hh_l1') && keys.includes('decoder.bias'), keys.join());
    }
  });

  test('step from the state of the first half equals the whole sequence at once', () => {
    manualSeed(1);
    const m = new CharLM({ vocabSize: 5, embedDim: 4, hiddenSize: 8 });
    const all = tensor(Int32Array.from([0, 1, 2, 3, 4, 0]), { shape: [1, 6] });
    const whole = m.forward(all).toTypedArray();
    const [, s] = m.step(tensor(Int32Array.from([0, 1, 2]), { shape: [1, 3] }), null);
    const [second] = m.step(tensor(Int32Array.from([3, 4, 0]), { shape: [1, 3] }), s);
    const tail = whole.subarray(15);
    second.toTypedArray().forEach((v, i) => assert.ok(Math.abs(v - tail[i]) < 1e-5, `${i}`));
  });

  test('is in the zoo as charlm with the language-model task', () => {
    assert.equal(modelEntry('charlm').task, 'language-model');
    const m = createModel('charlm', { numClasses: 11, hiddenSize: 16, embedDim: 8 }) as CharLM;
    assert.equal(m.options.vocabSize, 11);
  });
});

describe('LanguageModelTask', () => {
  test('carries the detached state across batches and restarts it each epoch', () => {
    manualSeed(2);
    const m = new CharLM({ vocabSize: 4, embedDim: 4, hiddenSize: 8, numLayers: 1 });
    const data = new BpttBatches(stream(200), { batchSize: 4, seqLen: 10 });
    const task = new LanguageModelTask(m, { optimizer: new optim.SGD(m.parameters(), { lr: 0 }) });
    task.resetMetrics('train');
    const ctx = { epoch: 1, batch: 1, batchesPerEpoch: data.length, step: 0 };
    const r0 = task.trainStep(data.batch(0), ctx);
    const r1 = task.trainStep(data.batch(1), ctx);
    // by hand: the second batch from the first batch's final state
    const [, s0] = m.step(data.batch(0)[0], null);
    const [logits] = m.step(data.batch(1)[0], s0);
    const want = nn.functional.crossEntropy(logits.reshape([-1, 4]), data.batch(1)[1].reshape([-1])).item();
    assert.ok(Math.abs(r1.loss - want) < 1e-6, `${r1.loss} vs ${want}`);
    assert.equal(r1.n, 40);
    assert.ok(Math.abs(r1.logs!.bpc - r1.loss / Math.LN2) < 1e-12);
    task.resetMetrics('train');
    const again = task.trainStep(data.batch(0), ctx);
    assert.ok(Math.abs(again.loss - r0.loss) < 1e-6, 'a new epoch starts from zeros');
  });

  test('learns a periodic stream and resumes a run exactly', () => {
    const run = (epochs: number, store: MemoryFileStore, resume: boolean) => {
      manualSeed(3);
      const m = new CharLM({ vocabSize: 4, embedDim: 4, hiddenSize: 12, numLayers: 1 });
      const task = createTask('language-model', m, { optimizer: new optim.Adam(m.parameters(), { lr: 0.02 }), clipGradNorm: 1 });
      const h = fitTask(task, {
        trainLoader: new BpttBatches(stream(400), { batchSize: 4, seqLen: 20 }), valLoader: new BpttBatches(stream(120), { batchSize: 2, seqLen: 20 }),
        epochs, callbacks: [new ModelCheckpoint({ store, monitor: 'val_bpc' })], resumeFrom: resume ? loadCheckpoint(store, 'last') : null,
      });
      return { m, h };
    };
    const full = run(4, new MemoryFileStore(), false);
    const first = full.h.epochs[0].val_bpc;
    const last = full.h.epochs[3].val_bpc;
    assert.ok(last < first && last < 1, `held-out bpc ${first} -> ${last}`);
    const store = new MemoryFileStore();
    run(2, store, false);
    const resumed = run(4, store, true);
    const a = full.m.stateDict();
    const b = resumed.m.stateDict();
    for (const k of Object.keys(a)) assert.deepEqual(b[k].toTypedArray(), a[k].toTypedArray(), k);
  });
});

describe('generate', () => {
  test('topK 1 is the greedy continuation; a seeded generator repeats its draws', () => {
    manualSeed(4);
    const m = new CharLM({ vocabSize: 6, embedDim: 4, hiddenSize: 8, numLayers: 1 });
    const greedy = generate(m, [0, 1], { length: 5, topK: 1 });
    let state = null;
    let logits;
    [logits, state] = m.step(tensor(Int32Array.from([0, 1]), { shape: [1, 2] }), null);
    const want: number[] = [];
    for (let i = 0; i < 5; i++) {
      const row = Array.from(logits.toTypedArray()).slice(-6);
      const next = row.indexOf(Math.max(...row));
      want.push(next);
      [logits, state] = m.step(tensor(Int32Array.of(next), { shape: [1, 1] }), state);
    }
    assert.deepEqual(greedy, want);
    const s1 = generate(m, [2], { length: 20, temperature: 1.5, generator: new Generator(9) });
    const s2 = generate(m, [2], { length: 20, temperature: 1.5, generator: new Generator(9) });
    assert.deepEqual(s1, s2);
    assert.equal(m.training, true, 'the mode is restored');
  });

  test('drawSymbol follows softmax(logits / T) over the top k', () => {
    const g = new Generator(5);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[drawSymbol([Math.log(1), Math.log(3), Math.log(6), 5], 1, 3, g)]++;
    assert.equal(counts[0], 0, 'outside the top 3');
    const p = [counts[1], counts[2], counts[3]].map((c) => c / 4000);
    const z = 3 + 6 + Math.exp(5);
    [3 / z, 6 / z, Math.exp(5) / z].forEach((want, i) => assert.ok(Math.abs(p[i] - want) < 0.03, `${p[i]} vs ${want}`));
  });
});

describe('bad input', () => {
  const m = new CharLM({ vocabSize: 4, embedDim: 2, hiddenSize: 3, numLayers: 1 });
  checkErrors('charlm', [
    ['unknown cell', () => new CharLM({ cell: 'tree' as never }), ValueError, /charlm: option cell must be one of lstm, gru, rnn, got 'tree'/],
    ['zero hidden', () => new CharLM({ hiddenSize: 0 }), ValueError, /charlm: option hiddenSize must be a positive integer, got 0/],
    ['1-D input', () => m.forward(tensor(Int32Array.of(1, 2))), ValueError, /charlm: input must be symbols \[N, L\]/],
    ['symbol out of range', () => generate(m, [4]), ValueError, /generate: prompt symbols must be integers in \[0, 4\), got 4/],
    ['empty prompt', () => generate(m, []), ValueError, /generate: the prompt must hold at least one symbol/],
    ['zero temperature', () => generate(m, [1], { temperature: 0 }), ValueError, /generate: temperature must be a positive number, got 0/],
    ['tiny stream', () => new BpttBatches([1, 2, 3], { batchSize: 2, seqLen: 4 }), ValueError, /BpttBatches: 3 symbols are too few for 2 rows of at least 2/],
    ['batch past the end', () => new BpttBatches(stream(20), { batchSize: 2, seqLen: 4 }).batch(3), ValueError, /BpttBatches: batch must be in 0\.\.2, got 3/],
    ['model without step', () => new LanguageModelTask(new nn.Linear(2, 2) as never, { optimizer: new optim.SGD(m.parameters(), { lr: 1 }) }), ValueError, /LanguageModelTask: the model must have step\(x, state\)/],
    ['mismatched targets', () => new LanguageModelTask(m, { optimizer: new optim.SGD(m.parameters(), { lr: 1 }) }).trainStep([tensor(Int32Array.of(1, 2), { shape: [1, 2] }), tensor(Int32Array.of(1), { shape: [1, 1] })], { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 }), ValueError, /symbols and targets must both be \[N, L\], got \[1, 2\] and \[1, 1\]/],
  ]);
});
