/**
 * The reconstruction and VAE tasks (src/train/tasks/reconstruction.ts, vae.ts) on small subsets of real MNIST:
 * a few epochs of fitTask lower the loss and write the pictures (inputs over reconstructions, samples of the fixed
 * latent batch); a run that crashes after epoch 2 resumes from its checkpoint to bit-identical weights, noise
 * and latent batch included; the logs; the registry; bad models and options.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode } from 'fast-png';
import { DataLoader, Generator, ShapeError, TensorDataset, ValueError, manualSeed, models, narrow, nn, optim, viz } from '../../src/index.js';
import { mnist } from '../../src/node/index.js';
import { ModelCheckpoint, loadCheckpoint } from '../../src/train/checkpoint.js';
import { evaluateTask, fitTask } from '../../src/train/loop.js';
import { PictureSaver } from '../../src/train/picture-saver.js';
import { MemoryFileStore } from '../../src/train/store.js';
import type { Task } from '../../src/train/task.js';
import { ReconstructionTask } from '../../src/train/tasks/reconstruction.js';
import { createTask, TASK_NAMES } from '../../src/train/tasks/registry.js';
import { VaeTask } from '../../src/train/tasks/vae.js';
import { expectError } from '../helpers/check-errors.js';
import { assertSameBits, bits } from './helpers.js';

const trainSet = mnist({ train: true });
const testSet = mnist({ train: false });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const [xTrain, yTrain] = trainSet.batch(range(96));
const [xTest, yTest] = testSet.batch(range(32));

function loaders(seed: number) {
  return {
    train: new DataLoader(new TensorDataset(xTrain, yTrain), { batchSize: 32, shuffle: true, generator: new Generator(seed) }),
    val: new DataLoader(new TensorDataset(xTest, yTest), { batchSize: 16 }),
  };
}

type Build = () => Task;
const draw = viz.imageGridPng;
const builders: Record<string, Build> = {
  'ae (bce)': () => {
    const m = new models.AutoEncoder({ sizes: [784, 64, 16, 64, 784] });
    return new ReconstructionTask(m, { optimizer: new optim.Adam(m.parameters(), { lr: 1e-3 }), loss: 'bce', drawGrid: draw });
  },
  'dae (masking)': () => {
    const m = new models.DenoisingAutoEncoder({ sizes: [784, 64, 784], noise: 'masking', maskProb: 0.3 });
    return new ReconstructionTask(m, { optimizer: new optim.Adam(m.parameters(), { lr: 1e-3 }), seed: 5, drawGrid: draw });
  },
  'sae (kl)': () => {
    const m = new models.SparseAutoEncoder({ sizes: [784, 32, 784] });
    return new ReconstructionTask(m, { optimizer: new optim.Adam(m.parameters(), { lr: 1e-3 }), loss: 'bce', drawGrid: draw });
  },
  'convae': () => {
    const m = new models.ConvAutoEncoder({ channels: [4, 8] });
    return new ReconstructionTask(m, { optimizer: new optim.Adam(m.parameters(), { lr: 3e-3 }), drawGrid: draw, pictureCount: 8 });
  },
  'vae': () => {
    const m = new models.VAE({ hidden: 64, latentDim: 4 });
    return new VaeTask(m, { optimizer: new optim.Adam(m.parameters(), { lr: 1e-3 }), seed: 3, drawGrid: draw, sampleCount: 16 });
  },
};

function run(name: string, store: MemoryFileStore, crashAt?: number, resume = false) {
  manualSeed(11);
  const task = builders[name]();
  const { train, val } = loaders(2);
  const callbacks = [
    new ModelCheckpoint({ store }),
    new PictureSaver({ store, everyEpoch: true }),
    { onEpochEnd: (e: number) => { if (e === crashAt) throw new Error('simulated crash'); } },
  ];
  const history = fitTask(task, { trainLoader: train, valLoader: val, epochs: 3, callbacks, resumeFrom: resume ? loadCheckpoint(store, 'last') : undefined });
  return { task, history };
}

const straightRuns: Record<string, ReturnType<typeof run>> = {};
for (const name of Object.keys(builders)) {
  describe(`${name} on real MNIST`, () => {
    const store = new MemoryFileStore();
    const straight = run(name, store);
    straightRuns[name] = straight;

    test('three epochs lower the training and validation losses', () => {
      const [e1, , e3] = straight.history.epochs;
      assert.ok(e3.loss < e1.loss, `train loss ${e1.loss} -> ${e3.loss}`);
      assert.ok(e3.val_loss < e1.val_loss, `val loss ${e1.val_loss} -> ${e3.val_loss}`);
    });

    test('pictures: inputs over reconstructions (and samples for the VAE), every epoch', () => {
      const rec = decode(store.read('reconstructions-epoch3.png')!);
      // 16 pictured images (8 for convae): rows of 8 inputs, each followed by their reconstructions
      const rows = name === 'convae' ? 2 : 4;
      assert.deepEqual([rec.width, rec.height, rec.channels], [8 * 30 + 2, rows * 30 + 2, 1]);
      assert.ok(store.read('reconstructions-epoch1.png'));
      if (name === 'vae') {
        const s = decode(store.read('samples.png')!);
        assert.deepEqual([s.width, s.height], [8 * 30 + 2, 2 * 30 + 2]);
      } else {
        assert.equal(store.read('samples.png'), null);
      }
      // the first row is the first validation images themselves
      const px = rec.data as Uint8Array;
      const img0 = xTest.toTypedArray();
      for (const [y, x] of [[10, 10], [14, 14], [20, 12]]) assert.equal(px[(2 + y) * rec.width + 2 + x], Math.round(255 * img0[y * 28 + x]));
    });

    test('a crash after epoch 2 resumes to the bit-identical weights of the uninterrupted run', () => {
      const crashStore = new MemoryFileStore();
      assert.throws(() => run(name, crashStore, 3), /simulated crash/);
      assert.equal(loadCheckpoint(crashStore, 'last')!.state!.epoch, 2);
      const resumed = run(name, crashStore, undefined, true);
      assertSameBits(resumed.task.model.stateDict(), straight.task.model.stateDict());
      assert.deepEqual(resumed.history.epochs.map(({ time: _t, ...r }) => r), straight.history.epochs.map(({ time: _t, ...r }) => r));
      assert.deepEqual(Array.from(crashStore.read('reconstructions.png')!), Array.from(store.read('reconstructions.png')!));
      if (name === 'vae') {
        assert.deepEqual(bits({ z: (resumed.task as VaeTask).fixedLatents }), bits({ z: (straight.task as VaeTask).fixedLatents }));
        assert.deepEqual(Array.from(crashStore.read('samples.png')!), Array.from(store.read('samples.png')!));
      }
    });
  });
}

describe('task logs', () => {
  test('vae: loss = recon + KL per image; validation samples z too, from the task generator', () => {
    for (const e of straightRuns.vae.history.epochs) {
      assert.ok(Math.abs(e.loss - (e.recon + e.kl)) < 1e-3 * e.loss);
      assert.ok(Math.abs(e.val_loss - (e.val_recon + e.val_kl)) < 1e-3 * e.val_loss);
    }
  });

  test('sae logs its penalty; an AE without penalty logs recon = loss; dae validation has no noise', () => {
    const sae = straightRuns['sae (kl)'].history.epochs[2];
    assert.ok(sae.penalty > 0 && Math.abs(sae.loss - sae.recon - sae.penalty) < 1e-4 * sae.loss);
    const ae = straightRuns['ae (bce)'].history.epochs[2];
    assert.ok(!('penalty' in ae) && Math.abs(ae.loss - ae.recon) < 1e-6);
    const { task } = straightRuns['dae (masking)'];
    const a = evaluateTask(task, loaders(2).val);
    const b = evaluateTask(task, loaders(2).val);
    assert.equal(a.loss, b.loss, 'evaluation draws no noise');
  });

  test('createTask builds both by name; beta from the model or the options', () => {
    assert.ok(TASK_NAMES.includes('reconstruction') && TASK_NAMES.includes('vae'));
    const ae = new models.AutoEncoder();
    assert.equal(createTask('reconstruction', ae, { optimizer: new optim.SGD(ae.parameters(), { lr: 0.1 }) }).kind, 'reconstruction');
    const v = new models.VAE({ beta: 4 });
    const t = createTask('vae', v, { optimizer: new optim.Adam(v.parameters()) }) as VaeTask;
    assert.equal(t.kind, 'vae');
    assert.equal(t.beta, 4);
    assert.equal(new VaeTask(v, { optimizer: new optim.Adam(v.parameters()), beta: 0.5 }).beta, 0.5);
  });
});

describe('bad models and options', () => {
  const lin = new nn.Linear(4, 4);
  const ae = new models.AutoEncoder();
  const vae = new models.VAE();
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['reconstruction of a classifier', () => new ReconstructionTask(lin, { optimizer: new optim.SGD(lin.parameters(), { lr: 0.1 }) }), ValueError, /^ReconstructionTask: the model must be an auto-encoder with forwardWithCode\(x\) -> \{output, code\} \(ae, dae, sae, convae, convae_t\), got Linear$/],
    ['vae task of an AE', () => new VaeTask(ae, { optimizer: new optim.SGD(ae.parameters(), { lr: 0.1 }) }), ValueError, /^VaeTask: the model must be a VAE \(forwardVae, nll, generate, latentDim: vae, convvae\), got AutoEncoder$/],
    ['loss name', () => new ReconstructionTask(ae, { optimizer: new optim.SGD(ae.parameters(), { lr: 0.1 }), loss: 'l1' as never }), ValueError, /^ReconstructionTask: loss must be 'mse' or 'bce', got "l1"$/],
    ['drawGrid', () => new ReconstructionTask(ae, { optimizer: new optim.SGD(ae.parameters(), { lr: 0.1 }), drawGrid: 'png' as never }), ValueError, /^ReconstructionTask: drawGrid must be a function/],
    ['beta', () => new VaeTask(vae, { optimizer: new optim.Adam(vae.parameters()), beta: -1 }), ValueError, /^VaeTask: beta must be a finite number >= 0, got -1$/],
    ['sampleCount', () => new VaeTask(vae, { optimizer: new optim.Adam(vae.parameters()), sampleCount: 0 }), ValueError, /^VaeTask: sampleCount must be a positive integer, got 0$/],
    ['batch', () => new ReconstructionTask(ae, { optimizer: new optim.SGD(ae.parameters(), { lr: 0.1 }) }).trainStep('x', { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 }), ValueError, /^fit: each batch must be \[input, target\] or \{input, target\} of tensors \(or an input tensor\), got string$/],
    ['wrong image size', () => new ReconstructionTask(ae, { optimizer: new optim.SGD(ae.parameters(), { lr: 0.1 }) }).trainStep([narrow(xTrain, 3, 0, 20), yTrain], { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 }), ShapeError, /^ae: input must be \[N, 784\] or \[N, C, H, W\] with C\*H\*W = 784, got shape \[96, 1, 28, 20\]$/],
  ];
  for (const [label, call, cls, msg] of cases) test(label, () => { expectError(call, cls, msg, label); });

  test('resuming a VAE run with another latent size is refused by the weights, naming the keys', () => {
    const store = new MemoryFileStore();
    run('vae', store);
    const ck = loadCheckpoint(store, 'last');
    const m = new models.VAE({ hidden: 64, latentDim: 3 });
    const task = new VaeTask(m, { optimizer: new optim.Adam(m.parameters()) });
    expectError(() => fitTask(task, { trainLoader: loaders(2).train, epochs: 4, resumeFrom: ck }), ShapeError,
      /^loadStateDict: the state does not fit VAE: mis-shaped keys: fc21\.weight: expected shape \[3, 64\], got \[4, 64\]/);
    const bad = new VaeTask(new models.VAE({ hidden: 64, latentDim: 3 }), { optimizer: new optim.Adam(m.parameters()) });
    expectError(() => bad.loadStateDict({ ...(ck!.state!.task as Record<string, unknown>) }), ShapeError, /^VaeTask: the checkpoint's fixed latent batch must be \[N, 3\] \(the model's latentDim\), got \[16, 4\]$/);
  });
});
