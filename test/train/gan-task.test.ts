/**
 * The GAN task (src/train/tasks/gan.ts) and its pictures (src/train/raster.ts): two named optimizers with DCGAN's
 * Adam settings, per-epoch logs, the sample grid (a CGAN's row per class) and loss curves, exact resume of both
 * networks, both optimizers and the latent generator after a crash (with a negative control), the registry, and
 * bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode } from 'fast-png';
import { DTypeError, DataLoader, Generator, ShapeError, TensorDataset, ValueError, manualSeed, models, optim, rand, randint, tensor, zeros } from '../../src/index.js';
import { LambdaCallback } from '../../src/train/callbacks.js';
import { ModelCheckpoint, loadCheckpoint } from '../../src/train/checkpoint.js';
import { fitTask } from '../../src/train/loop.js';
import { PictureSaver } from '../../src/train/picture-saver.js';
import { imageGridRaster, lineChartRaster } from '../../src/train/raster.js';
import { MemoryFileStore } from '../../src/train/store.js';
import { GanTask, type GanTaskOptions } from '../../src/train/tasks/gan.js';
import { createTask, TASK_NAMES } from '../../src/train/tasks/registry.js';
import type { Checkpoint } from '../../src/train/types.js';
import { checkErrors } from '../helpers/check-errors.js';
import { assertSameBits, differ } from './helpers.js';

/** 40 random 8x8 images in [-1, 1] with labels 0..2, in batches of 8 shuffled by a seeded generator. */
function data(shuffleSeed: number) {
  const g = new Generator(11);
  const x = rand([40, 1, 8, 8], { generator: g }).mul(2).sub(1);
  const y = randint(0, 3, [40], { generator: g });
  return new DataLoader(new TensorDataset(x, y), { batchSize: 8, shuffle: true, generator: new Generator(shuffleSeed) });
}

function cganRun(seed: number, opts: GanTaskOptions = {}) {
  manualSeed(seed);
  const model = new models.CGAN({ arch: 'dcgan', latentDim: 4, width: 2, inputSize: 8, numClasses: 3 });
  return { model, task: new GanTask(model, { seed: 5, fixedSamples: 2, ...opts }) };
}

function train(run: ReturnType<typeof cganRun>, store: MemoryFileStore, opts: { crashAt?: number; resumeFrom?: Checkpoint | null; shuffleSeed?: number } = {}) {
  return fitTask(run.task, {
    trainLoader: data(opts.shuffleSeed ?? 3), epochs: 3, resumeFrom: opts.resumeFrom,
    callbacks: [
      new PictureSaver({ store, everyEpoch: true }),
      new LambdaCallback({ onEpochEnd: (e) => { if (e === opts.crashAt) throw new Error('simulated crash'); } }),
      new ModelCheckpoint({ store }),
    ],
  });
}

describe('GanTask', () => {
  const straightStore = new MemoryFileStore();
  const straight = cganRun(0);
  const history = train(straight, straightStore);

  test('two optimizers named generator and discriminator, Adam lr 2e-4, betas [0.5, 0.999], each over its network', () => {
    assert.deepEqual(Object.keys(straight.task.optimizers).sort(), ['discriminator', 'generator']);
    for (const [name, net] of [['generator', straight.model.generator], ['discriminator', straight.model.discriminator]] as const) {
      const o = straight.task.optimizers[name];
      assert.ok(o instanceof optim.Adam);
      assert.equal(o.paramGroups[0].lr, 2e-4);
      assert.deepEqual(o.paramGroups[0].betas, [0.5, 0.999]);
      assert.equal(o.paramGroups[0].params.length, net.parameters().length);
    }
    assert.equal(straight.task.kind, 'cgan');
  });

  test('logs d_loss, g_loss, d_real and d_fake per epoch; loss is d_loss + g_loss; 5 steps an epoch', () => {
    assert.equal(history.epochs.length, 3);
    for (const h of history.epochs) {
      for (const k of ['d_loss', 'g_loss', 'd_real', 'd_fake']) assert.ok(Number.isFinite(h[k]), k);
      assert.ok(Math.abs(h.loss - h.d_loss - h.g_loss) < 1e-9);
      assert.ok(h.d_real > 0 && h.d_real < 1 && h.d_fake > 0 && h.d_fake < 1);
    }
    assert.equal(loadCheckpoint(straightStore, 'last')?.state?.step, 15);
  });

  test('pictures each epoch: the fixed-latent grid with one row per class, and both loss curves', () => {
    for (let e = 1; e <= 3; e++) for (const n of ['samples', 'losses']) assert.ok(straightStore.read(`${n}-epoch${e}.png`), `${n} ${e}`);
    const grid = decode(straightStore.read('samples.png')!);
    // 3 classes x 2 samples of 8x8, 2-pixel gaps, enlarged twice
    assert.deepEqual([grid.width, grid.height, grid.channels], [(2 * 10 + 2) * 2, (3 * 10 + 2) * 2, 1]);
    const curves = decode(straightStore.read('losses.png')!);
    assert.deepEqual([curves.width, curves.height, curves.channels], [480, 300, 3]);
    assert.deepEqual(straight.task.curves.d, history.epochs.map((h) => h.d_loss));
    assert.deepEqual(straight.task.curves.g, history.epochs.map((h) => h.g_loss));
    assert.deepEqual(Array.from(straight.task.fixedLabels!.toTypedArray()), [0, 0, 1, 1, 2, 2]);
  });

  const store = new MemoryFileStore();
  assert.throws(() => train(cganRun(0), store, { crashAt: 3 }), /simulated crash/);
  const ck = loadCheckpoint(store, 'last')!;

  test('a run interrupted after epoch 2 and resumed ends with bit-identical weights of both networks', () => {
    assert.equal(ck.state?.epoch, 2);
    const resumed = cganRun(99); // other initial weights: everything must come from the checkpoint
    const h = train(resumed, store, { resumeFrom: ck });
    const weights = resumed.model.stateDict();
    assert.ok(Object.keys(weights).some((k) => k.startsWith('generator.')) && Object.keys(weights).some((k) => k.startsWith('discriminator.')));
    assertSameBits(weights, straight.model.stateDict());
    assert.deepEqual(resumed.task.rng.getState(), straight.task.rng.getState());
    assert.deepEqual(resumed.task.curves, straight.task.curves);
    assertSameBits({ z: resumed.task.fixedZ }, { z: straight.task.fixedZ });
    assert.deepEqual(h.epochs.map(({ time: _t, ...r }) => r), history.epochs.map(({ time: _t, ...r }) => r));
    assert.deepEqual(store.read('samples-epoch3.png'), straightStore.read('samples-epoch3.png'));
  });

  test('negative control: a latent generator that is not restored changes the weights', () => {
    const task = { ...(ck.state!.task as Record<string, unknown>), rng: new Generator(42).getState() };
    const altered: Checkpoint = { ...ck, state: { ...ck.state!, task } };
    const r = cganRun(0);
    train(r, new MemoryFileStore(), { resumeFrom: altered });
    assert.ok(differ(r.model.stateDict(), straight.model.stateDict()));
  });

  test('a bad batch leaves the latent generator where it was', () => {
    const r = cganRun(0);
    const before = r.task.rng.getState();
    assert.throws(() => r.task.trainStep([zeros([2, 1, 8, 8]), tensor([0, 7], { dtype: 'int32' })], { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 }), ValueError);
    assert.deepEqual(r.task.rng.getState(), before);
  });

  test('a resume with another fixed-sample count is refused', () => {
    assert.throws(() => train(cganRun(0, { fixedSamples: 3 }), new MemoryFileStore(), { resumeFrom: ck }), (e: Error) => e instanceof ValueError && /fixed latents must be \[9, 4\], got \[6, 4\]/.test(e.message));
  });

  test('an unconditional GAN trains on bare image batches; hinge and minimax losses; createTask builds it', () => {
    assert.ok(TASK_NAMES.includes('gan') && TASK_NAMES.includes('cgan'));
    manualSeed(0);
    const model = new models.GAN({ arch: 'mlp', latentDim: 3, width: 4, inputSize: 8 });
    for (const loss of ['hinge', 'minimax'] as const) {
      const task = createTask('gan', model, { loss, lr: 1e-3 }) as GanTask;
      assert.equal(task.kind, 'gan');
      const loader = [rand([6, 1, 8, 8]).mul(2).sub(1), rand([6, 1, 8, 8]).mul(2).sub(1)];
      const h = fitTask(task, { trainLoader: loader, valLoader: loader, epochs: 2 });
      assert.ok(Number.isFinite(h.epochs[1].val_d_loss) && Number.isFinite(h.epochs[1].g_loss), loss);
      assert.equal(task.fixedZ.shape[0], 64);
      assert.deepEqual(decode(task.pictures()[0].png).width, (8 * 10 + 2) * 2);
    }
  });
});

describe('raster pictures', () => {
  test('imageGridRaster maps valueRange to black and white; lineChartRaster draws on white', () => {
    const x = tensor([-1, 0, 1, 3], { shape: [4, 1, 1, 1] });
    const png = decode(imageGridRaster(x, { nrow: 4, valueRange: [-1, 1], scale: 1 }));
    const row = Array.from(png.data.subarray(2 * png.width, 3 * png.width));
    assert.deepEqual([row[2], row[5], row[8], row[11]], [0, 128, 255, 255]);
    const chart = decode(lineChartRaster([{ name: 'a', values: [3, 2, NaN, 1] }], { width: 200, height: 100 }));
    assert.deepEqual([chart.width, chart.height, chart.data[0]], [200, 100, 255]);
  });
});

{
  const c = new models.CGAN({ arch: 'mlp', latentDim: 2, width: 2, inputSize: 4, numClasses: 3 });
  const task = new GanTask(c, { fixedSamples: 1 });
  const ctx = { epoch: 1, batch: 1, batchesPerEpoch: 1, step: 0 };
  const x = zeros([2, 1, 4, 4]);
  checkErrors('GanTask', [
    ['not a GAN', () => new GanTask(models.lenet5() as never), ValueError, /^GanTask: model must be a GAN \(generator, discriminator, generate, discriminate, latentDim\)/],
    ['unknown loss', () => new GanTask(c, { loss: 'wgan' as never }), ValueError, /^GanTask: loss must be 'minimax', 'nonSaturating' or 'hinge', got 'wgan'$/],
    ['fixedSamples 0', () => new GanTask(c, { fixedSamples: 0 }), ValueError, /^GanTask: fixedSamples must be a positive integer, got 0$/],
    ['CGAN batch without labels', () => task.trainStep(x, ctx), ValueError, /^cgan: each batch must be \[input, target\]/],
    ['CGAN float labels', () => task.trainStep([x, zeros([2])], ctx), DTypeError, /^cgan: labels must be int32 class indices, got dtype float32$/],
    ['CGAN label out of range', () => task.trainStep([x, tensor([0, 3], { dtype: 'int32' })], ctx), ValueError, /^cgan: labels must be class indices in \[0, 2\], got 3 at index 1$/],
    ['CGAN labels of another length', () => task.trainStep([x, tensor([0], { dtype: 'int32' })], ctx), ShapeError, /^cgan: labels must be \[2\] \(one per image\), got shape \[1\]$/],
    ['images not 4-D', () => task.trainStep([zeros([2, 16]), tensor([0, 1], { dtype: 'int32' })], ctx), ShapeError, /^cgan: images must be \[N, C, H, W\], got shape \[2, 16\]$/],
    ['images of another size', () => task.trainStep([zeros([2, 1, 5, 5]), tensor([0, 1], { dtype: 'int32' })], ctx), ShapeError, /^CGAN\.discriminate: images must be \[N, 1, 4, 4\], got shape \[2, 1, 5, 5\]$/],
    ['float64 images for a float32 model', () => task.trainStep([zeros([2, 1, 4, 4], { dtype: 'float64' }), tensor([0, 1], { dtype: 'int32' })], ctx), DTypeError, /^cgan: images must be float32 like the model, got float64$/],
  ]);
}
