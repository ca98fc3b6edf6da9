/**
 * `shendu train` on the generative and dense-prediction tasks (vae, unet, cgan) and `shendu sample` of image
 * generators, end to end on slices of real MNIST: each run leaves its task's pictures and test report, sampling
 * writes a grid, and bad input (augmenting masks, a class the CGAN lacks, evaluating a VAE) is one clear line.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { models, noGrad, randn, tensor } from '../../src/index.js';
import { NodeFileStore } from '../../src/node/index.js';
import { run, workDir } from './helpers.js';

const work = workDir('shendu-gen-cli-');
const summary = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

test('vae: trains on [0, 1] pixels, draws samples and reconstructions, reports the test loss; sample writes a grid', () => {
  const out = join(work, 'vae');
  const r = run('train', 'vae', '--limit', '256', '--epochs', '1', '--test-limit', '100', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /test loss \d+\.\d{4} per image \(negative ELBO\) on 100 images \(recon .*, kl .*\)/);
  const s = summary(out);
  assert.equal(s.task, 'vae');
  assert.ok(s.testLoss > 50 && s.testLoss < 600, String(s.testLoss));
  for (const f of ['samples.png', 'reconstructions.png', 'curves.png']) assert.ok(existsSync(join(out, f)), f);
  const g = run('sample', out, '--n', '8', '--seed', '2');
  assert.equal(g.code, 0, g.err);
  assert.ok(existsSync(join(out, 'samples-seed2.png')));
  const e = run('eval', out);
  assert.equal(e.code, 1);
  assert.match(e.err, /eval: .* holds a vae model \(vae\), not an image classifier; eval works on classifier runs \(draw from it with shendu sample\)/);
});

test('unet: trains on masks made from the digits and reports mean IoU; augmentation is refused', () => {
  const out = join(work, 'unet');
  const r = run('train', 'unet', '--limit', '128', '--epochs', '1', '--test-limit', '64', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /test mean IoU 0\.\d{4}, pixel accuracy \d+\.\d\d% on 64 images/);
  assert.ok(summary(out).testMeanIoU > 0);
  assert.ok(existsSync(join(out, 'segmentation.png')));
  const bad = run('train', 'unet', '--augment', 'affine', '--out', join(work, 'unet-aug'));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--augment moves the images but not their segmentation targets; unet trains without augmentation/);
});

test('cgan: both networks train with a constant rate, samples one row per class; sample --class; export writes its generator', async () => {
  const out = join(work, 'cgan');
  const r = run('train', 'cgan', '--limit', '128', '--epochs', '1', '--test-limit', '64', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /adam lr 0\.0002, constant rate/);
  assert.match(r.out, /test: discriminator loss \d\.\d{4}, generator loss \d\.\d{4}/);
  for (const f of ['samples.png', 'losses.png']) assert.ok(existsSync(join(out, f)), f);
  // the run records the conditioning it trained with (the default changed once: old runs restore as concat)
  const recorded = models.loadRun(new NodeFileStore(out), 'last');
  assert.equal(recorded.meta.modelOptions.conditioning, 'projection');
  assert.equal((recorded.model as unknown as models.CGAN).conditioning, 'projection');
  const g = run('sample', out, '--n', '4', '--class', '3', '--out', join(work, 'threes.png'));
  assert.equal(g.code, 0, g.err);
  assert.match(g.out, /4 samples of class 3 written to .*threes\.png/);
  const bad = run('sample', out, '--class', '12');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--class must be in 0\.\.9 \(the run's CGAN has 10 classes\), got 12/);
  // the generator as ONNX: latents and labels in, images out, as ONNX Runtime computes them
  const e = run('export', out);
  assert.equal(e.code, 0, e.err);
  assert.match(e.out, /model\.onnx: cgan as ONNX \(opset 17, \d+ bytes\), the generator: latents \[N, 100\] and class labels \[N\] \(int32\) -> images/);
  const { model } = models.loadRun(new NodeFileStore(out), 'last');
  const z = randn([3, 100]);
  const labels = tensor(Int32Array.of(1, 7, 3), { shape: [3] });
  const want = noGrad(() => (model as unknown as models.CGAN).forward(z, labels)).toTypedArray();
  const session = await ort.InferenceSession.create(readFileSync(join(out, 'model.onnx')));
  const got = (await session.run({
    [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(z.toTypedArray() as Float32Array), [3, 100]),
    [session.inputNames[1]]: new ort.Tensor('int32', Int32Array.of(1, 7, 3), [3]),
  }))[session.outputNames[0]].data as Float32Array;
  assert.equal(got.length, want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - Number(want[i])));
  assert.ok(worst <= 1e-4, `max |shendu - onnxruntime| = ${worst}`);
});
