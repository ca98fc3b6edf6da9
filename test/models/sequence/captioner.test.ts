/**
 * The captioner (models/sequence/captioner.ts) and the captioning task (train/tasks/captioning.ts): feature grid and
 * logits shapes, attention rows that sum to 1 over the grid, gradcheck of the attention decoder in float64 (inputs:
 * the feature grid; parameters: central differences on every decoder weight), the loss ignoring padding, training
 * steps lowering the loss until greedy and beam decoding read the training captions back, validation metrics with a
 * BLEU scorer, the zoo and task registries, and bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, gradcheck, manualSeed, mul, optim, randn, sum, tensor } from '../../../src/index.js';
import { noGrad } from '../../../src/autograd/grad-mode.js';
import { CAPTION_SPECIALS, CaptionData, type CaptionBatch } from '../../../src/data/captions.js';
import { Captioner } from '../../../src/models/sequence/captioner.js';
import { createModel, modelEntry } from '../../../src/models/registry.js';
import { logSoftmax } from '../../../src/ops/activation.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { corpusBleu } from '../../../src/text/bleu.js';
import { CaptionTask } from '../../../src/train/tasks/captioning.js';
import { createTask } from '../../../src/train/tasks/registry.js';
import { checkErrors } from '../../helpers/check-errors.js';

const ctx = { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 };
const ids = (rows: number[][]) => tensor(Int32Array.from(rows.flat()), { shape: [rows.length, rows[0].length], dtype: 'int32' });

/** Four 16x16 images, each a bar in a different place, captioned by where the bar is. */
function toyData(): CaptionData {
  const px = new Float32Array(4 * 256);
  const bar = (i: number, x0: number, y0: number, w: number, h: number) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) px[i * 256 + y * 16 + x] = 1;
  };
  bar(0, 0, 0, 8, 8);
  bar(1, 8, 8, 8, 8);
  bar(2, 0, 4, 16, 3);
  bar(3, 6, 0, 3, 16);
  const caps = [['bar', 'top', 'left'], ['bar', 'bottom', 'right'], ['wide', 'bar'], ['tall', 'bar', 'in', 'the', 'middle']];
  const words = [...CAPTION_SPECIALS, 'bar', 'bottom', 'in', 'left', 'middle', 'right', 'tall', 'the', 'top', 'wide'];
  return new CaptionData(px, [1, 16, 16], caps, words);
}

describe('Captioner', () => {
  test('a 64x64 image gives an 8x8 grid of 64 features; logits [B, L, V]; attention rows over the grid sum to 1', () => {
    manualSeed(0);
    const m = new Captioner({ vocabSize: 12, embedDim: 8, hiddenSize: 16, attentionDim: 8, maxLength: 5 });
    const images = randn([2, 1, 64, 64]);
    assert.deepEqual(m.features(images).shape, [2, 64, 64]);
    assert.deepEqual(m.forward(images, ids([[1, 5, 6], [1, 7, 0]])).shape, [2, 3, 12]);
    m.eval();
    const r = m.caption(images);
    assert.equal(r.length, 2);
    for (const c of r) {
      assert.ok(c.ids.length <= 5);
      assert.equal(c.attention.length, c.ids.length);
      for (const row of c.attention) {
        assert.equal(row.length, 64);
        assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-5);
      }
    }
    const { attention } = m.decodeFeatures(m.features(images), ids([[1, 5], [1, 6]]));
    assert.deepEqual(attention.shape, [2, 2, 64]);
  });

  test('gradcheck of the attention decoder in float64: the feature grid', () => {
    manualSeed(1);
    const m = new Captioner({ vocabSize: 6, channels: [3], embedDim: 2, hiddenSize: 3, attentionDim: 2 }).double();
    const feats = randn([2, 4, 3], { dtype: 'float64', requiresGrad: true });
    const tin = ids([[1, 4, 5], [1, 5, 0]]);
    assert.ok(gradcheck((f: Tensor) => {
      const r = m.decodeFeatures(f, tin);
      return [r.logits, r.attention];
    }, [feats]));
  });

  test('gradcheck of the attention decoder in float64: every decoder parameter by central differences', () => {
    manualSeed(2);
    const m = new Captioner({ vocabSize: 6, channels: [3], embedDim: 2, hiddenSize: 3, attentionDim: 2 }).double();
    const feats = randn([2, 4, 3], { dtype: 'float64' });
    const tin = ids([[1, 4, 5], [1, 5, 0]]);
    const proj = randn([2, 3, 6], { dtype: 'float64' });
    const objective = () => sum(mul(m.decodeFeatures(feats, tin).logits, proj));
    m.zeroGrad();
    objective().backward();
    const params = new Map(m.namedParameters());
    const names = ['initH.weight', 'initC.bias', 'embed.weight', 'featProj.weight', 'featProj.bias', 'queryProj.weight', 'score.weight', 'cell.weight_ih', 'cell.weight_hh', 'cell.bias_hh', 'out.weight'];
    const eps = 1e-6;
    for (const name of names) {
      const p = params.get(name)!;
      const g = p.grad!.toTypedArray();
      for (const k of [0, p.numel() - 1]) {
        const at = (delta: number) => {
          const sd = m.stateDict();
          const v = sd[name].toTypedArray();
          v[k] += delta;
          m.loadStateDict({ ...sd, [name]: tensor(v, { shape: [...p.shape], dtype: 'float64' }) });
          return noGrad(() => objective().item());
        };
        const plus = at(eps);
        const minus = at(-2 * eps);
        at(eps);
        const numeric = (plus - minus) / (2 * eps);
        assert.ok(Math.abs(numeric - g[k]) <= 1e-6 + 1e-4 * Math.abs(numeric), `${name}[${k}]: analytic ${g[k]} vs numeric ${numeric}`);
      }
    }
  });

  test('the loss ignores padding: it is the mean cross-entropy over the real target words', () => {
    manualSeed(3);
    const data = toyData();
    const m = new Captioner({ vocabSize: data.words.length, channels: [4, 8], embedDim: 4, hiddenSize: 8, attentionDim: 4 });
    m.eval();
    const b = data.batch([0, 2, 3]);
    const task = new CaptionTask(m, { optimizer: new optim.SGD(m.parameters(), { lr: 0.1 }) });
    const loss = noGrad(() => task.evalStep(b).loss);
    const lp = noGrad(() => logSoftmax(m.forward(b.images, b.targetIn), 2)).toTypedArray();
    const [B, L] = b.targetOut.shape;
    const V = data.words.length;
    const tout = b.targetOut.toTypedArray();
    let s = 0;
    let n = 0;
    for (let i = 0; i < B * L; i++) if (tout[i] !== 0) { s -= lp[i * V + tout[i]]; n++; }
    assert.equal(n, 3 + 1 + 2 + 1 + 5 + 1);
    assert.ok(Math.abs(loss - s / n) < 1e-5, `${loss} vs ${s / n}`);
  });

  test('training lowers the loss; greedy and beam decoding then read the training captions back; validation metrics', () => {
    manualSeed(4);
    const data = toyData();
    const m = new Captioner({ vocabSize: data.words.length, channels: [8, 16], embedDim: 8, hiddenSize: 24, attentionDim: 8, maxLength: 8 });
    const scorer = (h: readonly (readonly number[])[], r: readonly (readonly number[])[]) => ({ bleu4: corpusBleu(r.map((x) => [x]), h) });
    const task = new CaptionTask(m, { optimizer: new optim.Adam(m.parameters(), { lr: 0.02 }), clipGradNorm: 5, teacherForcing: 0.9, scorer });
    const b = data.batch([0, 1, 2, 3]);
    const losses: number[] = [];
    for (let i = 0; i < 80; i++) losses.push(task.trainStep(b, { ...ctx, step: i }).loss);
    assert.ok(losses[79] < 0.1 * losses[0], `${losses[0]} -> ${losses[79]}`);
    m.eval();
    task.resetMetrics('val');
    task.evalStep(b);
    const logs = task.metricLogs('val');
    assert.equal(logs.exact, 1, JSON.stringify(logs));
    assert.equal(logs.wer, 0);
    assert.equal(logs.bleu4, 1);
    const beam = new Captioner({ ...m.options, beamWidth: 3 });
    beam.loadStateDict(m.stateDict());
    beam.eval();
    const r = beam.caption(b.images);
    assert.deepEqual(r.map((x) => x.ids), b.references);
    r.forEach((x) => x.attention.forEach((row) => assert.equal(row.length, 16)));
    task.resetMetrics('val');
    assert.ok(Number.isNaN(task.metricLogs('val').exact));
  });

  test('the zoo entry and the task registry', () => {
    const e = modelEntry('captioner');
    assert.equal(e.task, 'captioning');
    const m = createModel('captioner', { vocabSize: 10 }) as unknown as Captioner;
    const [img, tin] = e.exampleInputs!(m as never, { inChannels: 1, inputSize: 64 });
    assert.deepEqual(m.forward(img, tin).shape, [1, 4, 10]);
    assert.equal(createTask('captioning', m as never, { optimizer: new optim.SGD(m.parameters(), { lr: 0.1 }) }).kind, 'captioning');
  });
});

const m = new Captioner({ vocabSize: 8, channels: [2], embedDim: 2, hiddenSize: 2, attentionDim: 2 });
const img = randn([1, 1, 8, 8]);
const tin = ids([[1, 4]]);
const sgd = () => new optim.SGD(m.parameters(), { lr: 0.1 });
checkErrors('captioner and the captioning task', [
  ['vocabSize 4', () => new Captioner({ vocabSize: 4 }), ValueError, /^captioner: option vocabSize must count <pad>, <bos>, <eos>, <unk> and at least one word \(>= 5\), got 4/],
  ['no stages', () => new Captioner({ channels: [] }), ValueError, /^captioner: option channels must be a non-empty array of positive integers, got \[\]/],
  ['hiddenSize 0', () => new Captioner({ hiddenSize: 0 }), ValueError, /^captioner: option hiddenSize must be a positive integer, got 0/],
  ['RGB images for a grey model', () => m.forward(randn([1, 3, 8, 8]), tin), ValueError, /^captioner: images must be \[B, 1, H, W\] with H, W >= 2, got shape \[1, 3, 8, 8\]/],
  ['float targetIn', () => m.forward(img, tensor([[1, 4]])), ValueError, /^captioner: targetIn must be word ids \[B, L\] int32 with B = 1, got shape \[1, 2\] float32/],
  ['targetIn batch mismatch', () => m.forward(img, ids([[1], [1]])), ValueError, /^captioner: targetIn must be word ids \[B, L\] int32 with B = 1, got shape \[2, 1\] int32/],
  ['word id out of range', () => m.forward(img, ids([[1, 9]])), ValueError, /^captioner: targetIn ids must be in \[0, 8\), got 9/],
  ['teacherForcing 2', () => m.forward(img, tin, { teacherForcing: 2 }), ValueError, /^captioner: teacherForcing must be in \[0, 1\], got 2/],
  ['features of the wrong width', () => m.decodeFeatures(randn([1, 4, 5]), tin), ValueError, /^captioner: features must be \[B, P, 2\], got shape \[1, 4, 5\]/],
  ['task without decode', () => new CaptionTask({} as never, { optimizer: sgd() }), ValueError, /^CaptionTask: the model must have forward\(images, targetIn\) and decode\(images\)/],
  ['task clipGradNorm -1', () => new CaptionTask(m, { optimizer: sgd(), clipGradNorm: -1 }), ValueError, /^CaptionTask: clipGradNorm must be a positive number, got -1/],
  ['task scorer not a function', () => new CaptionTask(m, { optimizer: sgd(), scorer: 3 as never }), ValueError, /^CaptionTask: scorer must be a function/],
  ['task batch of tensors', () => new CaptionTask(m, { optimizer: sgd() }).trainStep([img] as unknown as CaptionBatch, ctx), ValueError, /^CaptionTask: each batch must be \{images, targetIn, targetOut, references\}/],
  ['task targetOut shape', () => new CaptionTask(m, { optimizer: sgd() }).trainStep({ images: img, targetIn: tin, targetOut: ids([[4]]), references: [[4]] }, ctx), ValueError, /^CaptionTask: targetOut must have targetIn's shape \[1, 2\], got \[1, 1\]/],
]);
