/**
 * The playground's model side in Node (what runs the same in the page): checkpoints from `shendu train` rebuilt
 * for the drawing pad, the pad's image prepared as the run's training did, probabilities in eval mode with the
 * training mode kept, the first conv layers' feature maps, MNIST batches, and training that stops on request.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataError, encodeSafetensors, F, manualSeed, models, ValueError } from '../../src/index.js';
import { mnistBatch, MNIST_NORM, type MnistSplit } from '../../web/src/data.js';
import { classProbabilities, convFeatureMaps, freshLeNet, modelFromCheckpoint, modelInput, type PageModel } from '../../web/src/model.js';
import { PageTraining } from '../../web/src/trainer.js';
import { checkErrors } from '../helpers/check-errors.js';

/** A checkpoint file as `shendu train` writes one: the state dict with the run's metadata under 'shendu'. */
function checkpointBytes(meta: Record<string, unknown> | null, modelOpts: Record<string, unknown> = { inChannels: 1, inputSize: 28, numClasses: 10 }): Uint8Array {
  manualSeed(1);
  const model = models.createModel('lenet5', modelOpts);
  const m: Record<string, string> = { format: 'pt', 'shendu.epoch': '3' };
  if (meta) m.shendu = JSON.stringify({ model: 'lenet5', modelOptions: modelOpts, ...meta });
  return encodeSafetensors(model.stateDict(), m);
}
const RUN = { task: 'classification', dataset: 'mnist', classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], norm: { mean: [0.1307], std: [0.3081] }, imageSize: 28, prep: null };

/** A fake MNIST split of `n` images: image k is filled with k % 256, labelled k % 10. */
function split(n: number): MnistSplit {
  const images = new Uint8Array(n * 784);
  for (let k = 0; k < n; k++) images.fill(k % 256, k * 784, (k + 1) * 784);
  return { images, labels: Uint8Array.from({ length: n }, (_, k) => k % 10), count: n };
}

test('modelFromCheckpoint rebuilds a shendu train checkpoint with its classes, normalization and epoch', () => {
  const pm = modelFromCheckpoint('best.safetensors', checkpointBytes(RUN));
  assert.equal(pm.label, 'lenet5 on mnist from best.safetensors, epoch 3');
  assert.deepEqual(pm.classes, RUN.classes);
  assert.deepEqual(pm.norm, RUN.norm);
  assert.equal(pm.model.training, false);
  manualSeed(1);
  const ref = models.createModel('lenet5', { inChannels: 1, inputSize: 28, numClasses: 10 });
  assert.deepEqual(pm.model.stateDict()['0.weight'].toArray(), ref.stateDict()['0.weight'].toArray());
});

test('modelInput normalizes as the run did, and pads or resizes as its prep says', () => {
  const pixels = new Float32Array(784);
  pixels[0] = 1;
  const base = freshLeNet();
  const x = modelInput(base, pixels);
  assert.deepEqual(x.shape, [1, 1, 28, 28]);
  const v = x.toTypedArray();
  assert.ok(Math.abs(v[0] - (1 - MNIST_NORM.mean[0]) / MNIST_NORM.std[0]) < 1e-5);
  assert.ok(Math.abs(v[1] + MNIST_NORM.mean[0] / MNIST_NORM.std[0]) < 1e-5);
  assert.deepEqual(modelInput({ ...base, prep: { kind: 'pad', pad: 2 } }, pixels).shape, [1, 1, 32, 32]);
  assert.deepEqual(modelInput({ ...base, prep: { kind: 'resize', size: 36 } }, pixels).shape, [1, 1, 36, 36]);
  assert.deepEqual(modelInput({ ...base, imageSize: 20 }, pixels).shape, [1, 1, 20, 20]);
});

test('classProbabilities is softmax of the eval-mode logits and leaves the model in its mode', () => {
  const pm = freshLeNet();
  pm.model.train();
  const x = modelInput(pm, new Float32Array(784).fill(0.5));
  const p = classProbabilities(pm, x);
  assert.equal(pm.model.training, true);
  pm.model.eval();
  const ref = F.softmax(pm.model.forward(x), 1).toTypedArray();
  assert.equal(p.length, 10);
  p.forEach((q, i) => assert.ok(Math.abs(q - ref[i]) < 1e-6));
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5);
});

test('convFeatureMaps gives PNG tiles of LeNet-5\'s two conv layers', () => {
  const pm = freshLeNet();
  const maps = convFeatureMaps(pm, modelInput(pm, new Float32Array(784).fill(0.3)));
  assert.deepEqual(maps.map((m) => [m.layer, m.channels, m.size]), [['0', 6, 28], ['3', 16, 10]]);
  for (const m of maps) assert.deepEqual([...m.png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
});

test('mnistBatch normalizes bytes and keeps labels', () => {
  const [x, y] = mnistBatch(split(20), [3, 17]);
  assert.deepEqual(x.shape, [2, 1, 28, 28]);
  assert.deepEqual(Array.from(y.toTypedArray()), [3, 7]);
  assert.ok(Math.abs(x.toTypedArray()[784] - (17 / 255 - MNIST_NORM.mean[0]) / MNIST_NORM.std[0]) < 1e-5);
});

test('PageTraining trains batch after batch and stops before the next one when asked', async () => {
  manualSeed(0);
  const pm: PageModel = freshLeNet();
  const run = new PageTraining(pm.model, split(256), split(32), { batchSize: 16, evalEvery: 2, evalSize: 32 });
  const seen: number[] = [];
  const evals: number[] = [];
  await run.run({
    onBatch(batch, loss, acc) {
      assert.ok(Number.isFinite(loss) && acc >= 0 && acc <= 1);
      seen.push(batch);
      if (batch === 3) run.stop();
    },
    onEval(batch, loss, acc) {
      assert.ok(Number.isFinite(loss) && acc >= 0 && acc <= 1);
      evals.push(batch);
    },
  });
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(evals, [2]);
  assert.equal(run.batches, 3);
});

const good = freshLeNet();
checkErrors('web playground', [
  ['truncated checkpoint', () => modelFromCheckpoint('cut.safetensors', checkpointBytes(RUN).subarray(0, 50)), DataError, /cut\.safetensors/],
  ['no shendu metadata', () => modelFromCheckpoint('plain.safetensors', checkpointBytes(null)), DataError, /^plain\.safetensors: the checkpoint has no 'shendu' metadata/],
  ['not a classifier', () => modelFromCheckpoint('vae.safetensors', checkpointBytes({ ...RUN, task: 'vae' })), DataError, /^vae\.safetensors: holds a vae model \(lenet5\)/],
  ['3-channel model', () => modelFromCheckpoint('rgb.safetensors', checkpointBytes({ ...RUN, dataset: 'cifar10' }, { inChannels: 3, inputSize: 32, numClasses: 10 })), DataError, /^rgb\.safetensors: lenet5 takes 3-channel images/],
  ['no normalization', () => modelFromCheckpoint('old.safetensors', checkpointBytes({ ...RUN, norm: undefined })), DataError, /^old\.safetensors: the run's metadata lacks its classes or input normalization/],
  ['wrong pixel count', () => modelInput(good, new Float32Array(100)), ValueError, /^modelInput: expected 784 pixels \(28x28\), got 100/],
  ['batch size 0', () => new PageTraining(good.model, split(8), split(8), { batchSize: 0 }), ValueError, /^PageTraining: batchSize must be a positive integer, got 0/],
  ['negative lr', () => new PageTraining(good.model, split(8), split(8), { lr: -1 }), ValueError, /^PageTraining: lr must be positive, got -1/],
  ['fractional evalEvery', () => new PageTraining(good.model, split(8), split(8), { evalEvery: 1.5 }), ValueError, /^PageTraining: evalEvery must be a positive integer, got 1.5/],
  ['evalSize 0', () => new PageTraining(good.model, split(8), split(8), { evalSize: 0 }), ValueError, /^PageTraining: evalSize must be a positive integer, got 0/],
]);
