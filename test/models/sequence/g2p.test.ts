/**
 * G2P (models/sequence/g2p.ts), its data (data/g2p.ts: CMUdict's format, the seeded word split, padded batches) and
 * the seq2seq task (train/tasks/seq2seq.ts): parsing and stress handling, batch layout, logits shapes for both
 * attentions, attention rows that sum to 1 over the real letters, a few steps lowering the loss, greedy and beam
 * decoding agreeing after training, the CMUdict package loader, and bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataError, ShapeError, ValueError, manualSeed, noGrad, optim, randn, tensor, type Tensor } from '../../../src/index.js';
import { assertClose } from '../../helpers/backends.js';
import { G2PData, parseCmudict, G2P_BOS, G2P_EOS } from '../../../src/data/g2p.js';
import { G2P } from '../../../src/models/sequence/g2p.js';
import { modelEntry } from '../../../src/models/registry.js';
import { cmudict } from '../../../src/node/datasets/cmudict.js';
import { Seq2SeqTask, type Seq2SeqBatch } from '../../../src/train/tasks/seq2seq.js';
import { createTask } from '../../../src/train/tasks/registry.js';
import { checkErrors } from '../../helpers/check-errors.js';

const DICT = [
  ';;; a comment',
  'CAT  K AE1 T',
  'CATS  K AE1 T S',
  'CAT(1)  K AA1 T',
  'TACK  T AE1 K',
  "A'S  EY1 Z",
  'A.S  EY1 Z',
  '{BRACE  B R EY1 S',
  'ACT  AE1 K T',
].join('\n');

const ctx = { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 };

describe('CMUdict G2P data', () => {
  test('parsing keeps letter words, the first pronunciation, and strips stress unless asked', () => {
    const e = parseCmudict(DICT);
    assert.deepEqual(e.map((x) => x.word), ['CAT', 'CATS', 'TACK', "A'S", 'ACT']);
    assert.deepEqual(e[0].phonemes, ['K', 'AE', 'T']);
    assert.deepEqual(parseCmudict(DICT, { stress: true })[0].phonemes, ['K', 'AE1', 'T']);
    assert.equal(parseCmudict(DICT, { alternatives: true }).filter((x) => x.word === 'CAT').length, 2);
  });

  test('symbol tables, batches (<bos> inputs, <eos> targets, padding 0) and a seeded split by word', () => {
    const d = new G2PData(parseCmudict(DICT));
    assert.deepEqual(d.letters, ['<pad>', "'", 'A', 'C', 'K', 'S', 'T']);
    assert.deepEqual(d.phonemes.slice(0, 3), ['<pad>', '<bos>', '<eos>']);
    const b = d.batch([0, 3]); // CAT, A'S
    assert.deepEqual(b.source.shape, [2, 3]);
    assert.deepEqual(b.sourceLengths, [3, 3]);
    const k = d.phonemes.indexOf('K');
    const ae = d.phonemes.indexOf('AE');
    const t = d.phonemes.indexOf('T');
    assert.deepEqual(Array.from(b.targetIn.toTypedArray()).slice(0, 4), [G2P_BOS, k, ae, t]);
    assert.deepEqual(Array.from(b.targetOut.toTypedArray()).slice(0, 4), [k, ae, t, G2P_EOS]);
    assert.deepEqual(Array.from(b.targetOut.toTypedArray()).slice(4), [d.phonemes.indexOf('EY'), d.phonemes.indexOf('Z'), G2P_EOS, 0]);
    assert.deepEqual(d.decodePhonemes([k, ae, G2P_EOS, t]), ['K', 'AE']);
    const [tr, te] = d.split(0.4, 3);
    assert.equal(tr.length + te.length, 5);
    assert.equal(te.length, 2);
    const [tr2] = d.split(0.4, 3);
    assert.deepEqual(tr.entries, tr2.entries);
    assert.ok(te.entries.every((x) => !tr.entries.includes(x)));
  });

  test('the npm package: over 100,000 letter words, 39 phonemes without stress', () => {
    const d = cmudict();
    assert.ok(d.length > 100000, String(d.length));
    assert.equal(d.phonemes.length, 3 + 39);
    assert.equal(d.letters.length, 28);
    const cat = d.entries.find((e) => e.word === 'CAT');
    assert.deepEqual(cat?.phonemes, ['K', 'AE', 'T']);
  });
});

describe('G2P model and the seq2seq task', () => {
  const data = new G2PData(parseCmudict(DICT));
  const small = (attention: 'luong' | 'bahdanau', beamWidth = 1) => new G2P({ numLetters: data.letters.length, numClasses: data.phonemes.length, embedDim: 8, hiddenSize: 12, attention, beamWidth, maxLength: 8 });

  test('logits [B, Lt, V] for both attentions; attention rows sum to 1 over the real letters', () => {
    for (const kind of ['luong', 'bahdanau'] as const) {
      manualSeed(0);
      const m = small(kind);
      const b = data.batch([0, 1, 4]);
      assert.deepEqual(m.forward(b.source, b.sourceLengths, b.targetIn).shape, [3, 5, data.phonemes.length]);
      const r = m.attend(b.source, b.sourceLengths);
      assert.equal(r.length, 3);
      for (const [i, x] of r.entries()) {
        for (const row of x.attention) {
          assert.equal(row.length, b.sourceLengths[i]);
          assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-5);
        }
      }
    }
  });

  test('teacher forcing: one projection after the loop gives the step-by-step logits and gradients', () => {
    // ratio 1 projects all steps at once; a ratio a hair below 1 takes the step-by-step path (projecting each step,
    // for the argmax feedback it never uses here); without gradients the attention uses plain bmm
    const b = data.batch([0, 1, 4, 2]);
    for (const kind of ['luong', 'bahdanau'] as const) {
      manualSeed(2);
      const m = small(kind);
      const w = randn([4, 5, data.phonemes.length]);
      const run = (ratio: number) => {
        m.zeroGrad();
        const logits = m.forward(b.source, b.sourceLengths, b.targetIn, { teacherForcing: ratio });
        logits.mul(w).sum().backward();
        return { logits, grads: m.parameters().map((p) => p.grad as Tensor) };
      };
      const [once, stepwise] = [run(1), run(1 - 1e-12)];
      const plain = noGrad(() => m.forward(b.source, b.sourceLengths, b.targetIn));
      assertClose(once.logits, stepwise.logits, 1e-6, `${kind} logits`);
      assertClose(plain, stepwise.logits, 1e-6, `${kind} logits without gradients`);
      once.grads.forEach((g, i) => assertClose(g, stepwise.grads[i], 1e-5, `${kind} gradient ${i}`));
    }
  });

  test('training steps lower the loss; then greedy and beam decoding read the training words back', () => {
    manualSeed(1);
    const m = small('luong');
    const task = new Seq2SeqTask(m, { optimizer: new optim.Adam(m.parameters(), { lr: 0.03 }), clipGradNorm: 5, teacherForcing: 0.9 });
    const b = data.batch([0, 1, 2, 3, 4]);
    const losses: number[] = [];
    for (let i = 0; i < 60; i++) losses.push(task.trainStep(b, { ...ctx, step: i }).loss);
    assert.ok(losses[59] < 0.2 * losses[0], `${losses[0]} -> ${losses[59]}`);
    m.eval();
    task.resetMetrics('val');
    task.evalStep(b);
    const logs = task.metricLogs('val');
    assert.equal(logs.seq_acc, 1, JSON.stringify(logs));
    assert.equal(logs.ter, 0);
    const beam = small('luong', 3);
    beam.loadStateDict(m.stateDict());
    beam.eval();
    assert.deepEqual(beam.decode(b.source, b.sourceLengths), b.references);
  });

  test('the zoo entry and the task registry', () => {
    assert.equal(modelEntry('g2p').task, 'seq2seq');
    const m = small('bahdanau');
    assert.equal(createTask('seq2seq', m as never, { optimizer: new optim.SGD(m.parameters(), { lr: 0.1 }) }).kind, 'seq2seq');
  });
});

const m = new G2P({ numLetters: 7, numClasses: 8, embedDim: 2, hiddenSize: 2 });
const src = tensor(Int32Array.from([1, 2, 3]), { shape: [1, 3], dtype: 'int32' });
const tin = tensor(Int32Array.from([1, 4]), { shape: [1, 2], dtype: 'int32' });
checkErrors('g2p and the seq2seq task', [
  ['parse a non-string', () => parseCmudict(3 as unknown as string), ValueError, /^parseCmudict: text must be a string, got number/],
  ['an entry without phonemes', () => parseCmudict('CAT  K AE1 T\nDOG'), DataError, /^parseCmudict: line 2 \('DOG'\) has no phonemes/],
  ['empty G2PData', () => new G2PData([]), ValueError, /^G2PData: entries must be a non-empty array/],
  ['unknown letter', () => new G2PData(parseCmudict(DICT)).encodeWord('CAZ'), ValueError, /^G2PData.encodeWord: 'Z' in 'CAZ' is not one of the letters/],
  ['split fraction 1', () => new G2PData(parseCmudict(DICT)).split(1), ValueError, /^G2PData.split: testFraction must be in \(0, 1\), got 1/],
  ['empty batch', () => new G2PData(parseCmudict(DICT)).batch([]), ShapeError, /^G2PData.batch: indices must not be empty/],
  ['attention dot', () => new G2P({ attention: 'dot' as 'luong' }), ValueError, /^g2p: option attention must be 'luong' or 'bahdanau', got 'dot'/],
  ['numClasses 3', () => new G2P({ numClasses: 3 }), ValueError, /^g2p: option numClasses must count pad, <bos>, <eos> and at least one phoneme/],
  ['float source', () => m.forward(tensor([[1, 2]]), [2], tin), ValueError, /^g2p: source must be letter ids \[B, Ls\] int32/],
  ['length too long', () => m.forward(src, [4], tin), ValueError, /^g2p: sourceLengths must be 1 integers in \[1, 3\], got \[4\]/],
  ['letter id out of range', () => m.forward(tensor(Int32Array.from([9, 1, 1]), { shape: [1, 3], dtype: 'int32' }), [3], tin), ValueError, /^g2p: source ids must be in \[0, 7\), got 9/],
  ['teacherForcing 2', () => m.forward(src, [3], tin, { teacherForcing: 2 }), ValueError, /^g2p: teacherForcing must be in \[0, 1\], got 2/],
  ['task teacherForcing -1', () => new Seq2SeqTask(m, { optimizer: new optim.SGD(m.parameters(), { lr: 0.1 }), teacherForcing: -1 }), ValueError, /^Seq2SeqTask: teacherForcing must be in \[0, 1\], got -1/],
  ['task batch of tensors', () => new Seq2SeqTask(m, { optimizer: new optim.SGD(m.parameters(), { lr: 0.1 }) }).trainStep([src] as unknown as Seq2SeqBatch, ctx), ValueError, /^Seq2SeqTask: each batch must be \{source, sourceLengths, targetIn, targetOut, references\}/],
]);
