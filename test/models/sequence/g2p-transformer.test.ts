/**
 * The Transformer G2P (models/sequence/g2p-transformer.ts): one forward pass and the greedy decoding of the whole
 * model against PyTorch 1.13 with the same weights (tools/make_g2p_transformer_fixtures.py, sinusoidal and learned
 * positions), shapes, the masks (padding letters, padding phonemes and later phonemes change nothing they must not),
 * the sinusoidal table, scheduled sampling, training with the seq2seq task until greedy and beam decoding read the
 * words back, the zoo entry, and bad inputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ValueError, manualSeed, noGrad, optim, tensor, type Tensor } from '../../../src/index.js';
import { G2PData, parseCmudict } from '../../../src/data/g2p.js';
import { G2PTransformer, sinusoidalPositions, type G2PTransformerOptions } from '../../../src/models/sequence/g2p-transformer.js';
import { createModel, modelEntry } from '../../../src/models/registry.js';
import { Seq2SeqTask } from '../../../src/train/tasks/seq2seq.js';
import { createTask } from '../../../src/train/tasks/registry.js';
import { checkErrors } from '../../helpers/check-errors.js';
import { assertTensorClose, makeInput, values, type EncTensor } from '../../helpers/check-op.js';

interface FixtureCase {
  name: string;
  options: G2PTransformerOptions;
  stateKeys: string[];
  state: Record<string, EncTensor>;
  source: EncTensor;
  sourceLengths: number[];
  targetIn: EncTensor;
  logits: EncTensor;
  decoded: number[][];
}

const fixture = JSON.parse(readFileSync(new URL('../../../../test/fixtures/models/g2p_transformer.json', import.meta.url), 'utf8')) as { cases: FixtureCase[] };
const ctx = { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 };
const ids = (rows: number[][]): Tensor => tensor(Int32Array.from(rows.flat()), { shape: [rows.length, rows[0].length], dtype: 'int32' });
const rowsOf = (t: Tensor, b: number, from: number, to: number): number[] => {
  const [, L, V] = t.shape;
  return Array.from(t.toTypedArray().subarray((b * L + from) * V, (b * L + to) * V));
};
const close = (a: number[], b: number[], tol = 1e-5): boolean => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= tol);

describe('G2PTransformer against PyTorch', () => {
  for (const c of fixture.cases) {
    test(`${c.name}: state dict names, logits and greedy decoding equal torch's`, () => {
      const m = new G2PTransformer(c.options);
      assert.deepEqual(Object.keys(m.stateDict()), c.stateKeys);
      const state = Object.fromEntries(Object.entries(c.state).map(([k, e]) => [k, makeInput(e, 'float32', 'contiguous', false)]));
      m.loadStateDict(state);
      m.eval();
      const source = tensor(Int32Array.from(values(c.source)), { shape: c.source.shape, dtype: 'int32' });
      const targetIn = tensor(Int32Array.from(values(c.targetIn)), { shape: c.targetIn.shape, dtype: 'int32' });
      const logits = noGrad(() => m.forward(source, c.sourceLengths, targetIn));
      assertTensorClose(logits, c.logits, 'float32', 1e-4, 1e-4, c.name);
      assert.deepEqual(m.decode(source, c.sourceLengths), c.decoded);
    });
  }
});

describe('G2PTransformer', () => {
  const small = (o: G2PTransformerOptions = {}) => new G2PTransformer({ numLetters: 9, numClasses: 8, dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, maxLength: 6, ...o });
  const src = ids([[3, 4, 5, 6], [7, 8, 0, 0]]);
  const tin = ids([[1, 3, 4, 5, 6], [1, 7, 0, 0, 0]]);

  test('shapes: logits [B, Lt, V], memory [B, Ls, dModel], the padding mask, the sinusoidal table', () => {
    manualSeed(0);
    for (const positions of ['sinusoidal', 'learned'] as const) {
      const m = small({ positions }).eval();
      assert.deepEqual(m.forward(src, [4, 2], tin).shape, [2, 5, 8]);
      const e = m.encode(src, [4, 2]);
      assert.deepEqual(e.memory.shape, [2, 4, 8]);
      assert.deepEqual(Array.from(e.memoryKeyPaddingMask.toTypedArray()), [0, 0, 0, 0, 0, 0, 1, 1]);
      assert.equal(m.decode(src, [4, 2]).length, 2);
    }
    const pe = sinusoidalPositions(3, 4).toTypedArray();
    assert.ok(close(Array.from(pe.subarray(0, 4)), [0, 1, 0, 1]));
    assert.ok(close(Array.from(pe.subarray(8, 12)), [Math.sin(2), Math.cos(2), Math.sin(0.02), Math.cos(0.02)]));
    assert.equal(modelEntry('g2p_transformer').task, 'seq2seq');
    const z = createModel('g2p_transformer') as unknown as G2PTransformer;
    assert.equal(z.parameters().reduce((s, p) => s + p.numel(), 0), 240938); // the same count as the torch twin
  });

  test('masks: padding letters, padding phonemes and later phonemes do not change the other positions', () => {
    manualSeed(1);
    for (const positions of ['sinusoidal', 'learned'] as const) {
      const m = small({ positions }).eval();
      const base = noGrad(() => m.forward(src, [4, 2], tin));
      // other letters under the padding, and one more padding column
      const junk = noGrad(() => m.forward(ids([[3, 4, 5, 6, 0], [7, 8, 5, 2, 6]]), [4, 2], tin));
      for (const b of [0, 1]) assert.ok(close(rowsOf(base, b, 0, 5), rowsOf(junk, b, 0, 5)), `${positions}: source padding, word ${b}`);
      // other phonemes in the target padding: the real positions 0..1 of word 1 stay
      const tjunk = noGrad(() => m.forward(src, [4, 2], ids([[1, 3, 4, 5, 6], [1, 7, 4, 5, 3]])));
      assert.ok(close(rowsOf(base, 1, 0, 2), rowsOf(tjunk, 1, 0, 2)), `${positions}: target padding`);
      assert.ok(close(rowsOf(base, 0, 0, 5), rowsOf(tjunk, 0, 0, 5)), `${positions}: the other word`);
      // causality: changing phoneme 3 of word 0 leaves positions 0..2 and changes position 3
      const later = noGrad(() => m.forward(src, [4, 2], ids([[1, 3, 4, 7, 6], [1, 7, 0, 0, 0]])));
      assert.ok(close(rowsOf(base, 0, 0, 3), rowsOf(later, 0, 0, 3)), `${positions}: causal`);
      assert.ok(!close(rowsOf(base, 0, 3, 4), rowsOf(later, 0, 3, 4)), `${positions}: position 3 reads its input`);
      // a word decodes the same alone as in a padded batch
      assert.deepEqual(m.decode(ids([[7, 8]]), [2])[0], m.decode(src, [4, 2])[1]);
    }
  });

  test('scheduled sampling (teacherForcing < 1) feeds predictions at some steps and keeps gradients', () => {
    manualSeed(2);
    const m = small({ dropout: 0 });
    const forced = m.forward(src, [4, 2], tin);
    manualSeed(3);
    const sampled = m.forward(src, [4, 2], tin, { teacherForcing: 0 });
    assert.deepEqual(sampled.shape, forced.shape);
    assert.ok(close(rowsOf(forced, 0, 0, 1), rowsOf(sampled, 0, 0, 1)), 'step 0 always reads <bos>');
    assert.ok(!close(rowsOf(forced, 0, 1, 5), rowsOf(sampled, 0, 1, 5)), 'later steps read the predictions');
    sampled.sum().backward();
    assert.ok(m.out.weight.grad !== null && m.srcEmbed.weight.grad !== null);
  });

  test('trained by the seq2seq task until greedy and beam decoding read the training words back', () => {
    const DICT = ['CAT  K AE1 T', 'CATS  K AE1 T S', 'TACK  T AE1 K', "A'S  EY1 Z", 'ACT  AE1 K T', 'TAT  T AE1 T'].join('\n');
    const data = new G2PData(parseCmudict(DICT));
    manualSeed(4);
    const opts = { numLetters: data.letters.length, numClasses: data.phonemes.length, dModel: 16, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 32, dropout: 0, maxLength: 8 };
    const m = new G2PTransformer(opts);
    const task = new Seq2SeqTask(m, { optimizer: new optim.Adam(m.parameters(), { lr: 0.01 }), clipGradNorm: 5 });
    const b = data.batch([0, 1, 2, 3, 4, 5]);
    const losses: number[] = [];
    for (let i = 0; i < 80; i++) losses.push(task.trainStep(b, { ...ctx, step: i }).loss);
    assert.ok(losses[79] < 0.1 * losses[0], `${losses[0]} -> ${losses[79]}`);
    m.eval();
    task.resetMetrics('val');
    task.evalStep(b);
    const logs = task.metricLogs('val');
    assert.equal(logs.seq_acc, 1, JSON.stringify(logs));
    assert.equal(logs.ter, 0);
    const beam = new G2PTransformer({ ...opts, beamWidth: 3 });
    beam.loadStateDict(m.stateDict());
    beam.eval();
    assert.deepEqual(beam.decode(b.source, b.sourceLengths), b.references);
    assert.equal(createTask('seq2seq', m as never, { optimizer: new optim.SGD(m.parameters(), { lr: 0.1 }) }).kind, 'seq2seq');
  });
});

const m = new G2PTransformer({ numLetters: 7, numClasses: 8, dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 4 });
const learned = new G2PTransformer({ numLetters: 7, numClasses: 8, dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 4, positions: 'learned', maxPositions: 4, maxLength: 3 });
const s3 = tensor(Int32Array.from([1, 2, 3]), { shape: [1, 3], dtype: 'int32' });
const t2 = tensor(Int32Array.from([1, 4]), { shape: [1, 2], dtype: 'int32' });
checkErrors('g2p_transformer', [
  ['dModel not divisible by nhead', () => new G2PTransformer({ dModel: 10, nhead: 4 }), ValueError, /^g2p_transformer: option dModel \(10\) must be divisible by nhead \(4\)/],
  ['positions rotary', () => new G2PTransformer({ positions: 'rotary' as 'learned' }), ValueError, /^g2p_transformer: option positions must be 'sinusoidal' or 'learned', got 'rotary'/],
  ['numClasses 3', () => new G2PTransformer({ numClasses: 3 }), ValueError, /^g2p_transformer: option numClasses must count pad, <bos>, <eos> and at least one phoneme/],
  ['dropout 1', () => new G2PTransformer({ dropout: 1 }), ValueError, /^g2p_transformer: option dropout must be in \[0, 1\), got 1/],
  ['layers 0', () => new G2PTransformer({ numEncoderLayers: 0 }), ValueError, /^g2p_transformer: option numEncoderLayers must be a positive integer, got 0/],
  ['maxLength past the learned table', () => new G2PTransformer({ positions: 'learned', maxPositions: 8, maxLength: 8 }), ValueError, /^g2p_transformer: option maxLength \(8\) \+ 1 must fit in maxPositions \(8\)/],
  ['float source', () => m.forward(tensor([[1, 2]]), [2], t2), ValueError, /^g2p_transformer: source must be letter ids \[B, Ls\] int32, got shape \[1, 2\] float32/],
  ['length too long', () => m.forward(s3, [4], t2), ValueError, /^g2p_transformer: sourceLengths must be 1 integers in \[1, 3\], got \[4\]/],
  ['letter id out of range', () => m.forward(tensor(Int32Array.from([9, 1, 1]), { shape: [1, 3], dtype: 'int32' }), [3], t2), ValueError, /^g2p_transformer: source ids must be in \[0, 7\), got 9/],
  ['targetIn batch mismatch', () => m.forward(s3, [3], tensor(Int32Array.from([1, 4, 1, 4]), { shape: [2, 2], dtype: 'int32' })), ValueError, /^g2p_transformer: targetIn must be phoneme ids \[B, Lt\] int32 with B = 1, got shape \[2, 2\] int32/],
  ['phoneme id out of range', () => m.forward(s3, [3], tensor(Int32Array.from([1, 8]), { shape: [1, 2], dtype: 'int32' })), ValueError, /^g2p_transformer: targetIn ids must be in \[0, 8\), got 8/],
  ['teacherForcing 2', () => m.forward(s3, [3], t2, { teacherForcing: 2 }), ValueError, /^g2p_transformer: teacherForcing must be in \[0, 1\], got 2/],
  ['word past the learned table', () => learned.decode(tensor(Int32Array.from([1, 2, 3, 4, 5]), { shape: [1, 5], dtype: 'int32' }), [5]), ValueError, /^g2p_transformer: source has 5 positions, more than the learned table's maxPositions \(4\)/],
  ['decode lengths', () => m.decode(s3, [0]), ValueError, /^g2p_transformer: sourceLengths must be 1 integers in \[1, 3\], got \[0\]/],
]);
