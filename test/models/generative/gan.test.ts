/**
 * GAN and CGAN (src/models/generative/gan.ts, cgan.ts): shapes for both architectures, the container's state-dict
 * keys (`generator.*`, `discriminator.*`), DCGAN's initialization, conditioning by concatenation and projection,
 * the sampling API and its determinism, the zoo entries, and the bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DTypeError, Generator, ShapeError, Tensor, ValueError, manualSeed, models, nn, tensor, train, zeros } from '../../../src/index.js';
import { checkErrors } from '../../helpers/check-errors.js';

const labels = (v: number[]) => tensor(v, { dtype: 'int32' });
const std = (t: Tensor) => {
  const v = Array.from(t.toTypedArray() as Float32Array);
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
};

describe('GAN and CGAN', () => {
  for (const arch of ['dcgan', 'mlp'] as const) {
    test(`${arch}: generator and discriminator shapes, tanh range, keys under generator.* and discriminator.*`, () => {
      manualSeed(0);
      const g = new models.GAN({ arch, latentDim: 8, width: 8 });
      const x = g.generate(zeros([3, 8]).add(0.5));
      assert.deepEqual(x.shape, [3, 1, 28, 28]);
      const v = x.toTypedArray();
      assert.ok(v.every((p) => p >= -1 && p <= 1));
      assert.deepEqual(g.discriminate(x).shape, [3]);
      const keys = Object.keys(g.stateDict());
      assert.ok(keys.length > 4 && keys.every((k) => k.startsWith('generator.') || k.startsWith('discriminator.')), keys.join(', '));
      assert.deepEqual(g.forward(zeros([2, 8])).shape, [2, 1, 28, 28]);
      const c = new models.CGAN({ arch, latentDim: 8, width: 8, numClasses: 4 });
      const xc = c.generate(zeros([2, 8]), labels([3, 0]));
      assert.deepEqual(xc.shape, [2, 1, 28, 28]);
      assert.deepEqual(c.discriminate(xc, labels([3, 0])).shape, [2]);
      assert.deepEqual(c.stateDict()['generator.embed.weight'].shape, [4, 4]);
    });
  }

  test('dcgan layout and initialization: ConvTranspose2d 7x7 then two stride-2 layers; weights N(0, 0.02), BN scales N(1, 0.02)', () => {
    manualSeed(0);
    const g = models.gan({ latentDim: 100, width: 64 });
    const sd = g.stateDict();
    assert.deepEqual(sd['generator.net.1.weight'].shape, [100, 128, 7, 7]);
    assert.deepEqual(sd['generator.net.4.weight'].shape, [128, 64, 4, 4]);
    assert.deepEqual(sd['generator.net.7.weight'].shape, [64, 1, 4, 4]);
    assert.deepEqual(sd['discriminator.features.0.weight'].shape, [64, 1, 4, 4]);
    assert.deepEqual(sd['discriminator.out.weight'].shape, [1, 128 * 49]);
    assert.ok(Math.abs(std(sd['generator.net.1.weight']) - 0.02) < 0.002);
    assert.ok(Math.abs(std(sd['generator.net.2.weight']) - 0.02) < 0.01);
    const bnMean = Array.from(sd['generator.net.2.weight'].toTypedArray()).reduce((a, b) => a + b, 0) / 128;
    assert.ok(Math.abs(bnMean - 1) < 0.01);
    assert.equal(g.modules().filter((m) => m instanceof nn.BatchNorm2d).length, 3);
    const s32 = new models.GAN({ inputSize: 32, width: 4, latentDim: 4 });
    assert.deepEqual(s32.generate(zeros([1, 4])).shape, [1, 1, 32, 32]);
  });

  test("CGAN's default is projection; a run recorded before that default (no conditioning in its options) restores as concat", () => {
    assert.equal(new models.CGAN({ arch: 'mlp', width: 4 }).conditioning, 'projection');
    const store = new train.MemoryFileStore();
    const old = new models.CGAN({ arch: 'mlp', width: 4, latentDim: 4, conditioning: 'concat' });
    const modelOptions = { arch: 'mlp', width: 4, latentDim: 4 };
    train.saveCheckpoint(store, 'last', old, { metadata: { shendu: JSON.stringify({ model: 'cgan', modelOptions }) } });
    const { model } = models.loadRun(store);
    assert.equal((model as models.CGAN).conditioning, 'concat');
    const now = new models.CGAN({ ...modelOptions, conditioning: 'projection' } as models.CGanOptions);
    train.saveCheckpoint(store, 'new', now, { metadata: { shendu: JSON.stringify({ model: 'cgan', modelOptions: { ...modelOptions, conditioning: 'projection' } }) } });
    assert.equal((models.loadRun(store, 'new').model as models.CGAN).conditioning, 'projection');
  });

  test('the label changes what the generator draws and what the discriminator says (concat and projection)', () => {
    for (const conditioning of ['concat', 'projection'] as const) {
      manualSeed(1);
      const c = new models.CGAN({ arch: 'mlp', latentDim: 4, width: 8, conditioning, numClasses: 3 });
      c.eval();
      const z = tensor([[0.1, -0.2, 0.3, 0.4], [0.1, -0.2, 0.3, 0.4]]);
      const x = c.generate(z, labels([0, 2]));
      const a = Array.from(x.toTypedArray());
      assert.notDeepEqual(a.slice(0, 784), a.slice(784), conditioning);
      const same = x.narrow(0, 0, 1).expand([2, 1, 28, 28]).contiguous();
      const d = Array.from(c.discriminate(same, labels([0, 1])).toTypedArray());
      assert.notEqual(d[0], d[1], conditioning);
      assert.equal(c.conditioning, conditioning);
    }
    const p = new models.CGAN({ conditioning: 'projection', width: 4 });
    assert.deepEqual(p.stateDict()['discriminator.embed.weight'].shape, [10, 8 * 49]);
    // projection vectors start Glorot-uniform (the projection discriminator's reference code), not N(0, 1)
    const bound = Math.sqrt(6 / (10 + 8 * 49));
    const w = Array.from(p.stateDict()['discriminator.embed.weight'].toTypedArray() as Float32Array);
    assert.ok(w.every((v) => Math.abs(v) <= bound), 'within the Glorot bound');
    assert.ok(Math.abs(std(p.stateDict()['discriminator.embed.weight']) - bound / Math.sqrt(3)) < 0.01, 'uniform spread');
    assert.deepEqual(new models.CGAN({ width: 4, conditioning: 'concat' }).stateDict()['discriminator.embed.weight'].shape, [10, 784]);
  });

  test('sample: n images in [-1, 1], deterministic for a seeded generator, eval mode restored, CGAN labels', () => {
    manualSeed(2);
    const g = new models.GAN({ arch: 'mlp', latentDim: 6, width: 8 });
    const a = g.sample(5, { generator: new Generator(3) });
    const b = g.sample(5, { generator: new Generator(3) });
    assert.deepEqual(a.shape, [5, 1, 28, 28]);
    assert.deepEqual(Array.from(a.toTypedArray()), Array.from(b.toTypedArray()));
    assert.equal(a.requiresGrad, false);
    assert.equal(g.training, true);
    const c = new models.CGAN({ arch: 'mlp', latentDim: 6, width: 8 });
    const all7 = c.sample(3, { generator: new Generator(3), labels: 7 });
    const arr = c.sample(3, { generator: new Generator(3), labels: [7, 7, 7] });
    const t = c.sample(3, { generator: new Generator(3), labels: labels([7, 7, 7]) });
    assert.deepEqual(Array.from(all7.toTypedArray()), Array.from(arr.toTypedArray()));
    assert.deepEqual(Array.from(all7.toTypedArray()), Array.from(t.toTypedArray()));
    assert.deepEqual(c.sample(12).shape, [12, 1, 28, 28]); // labels 0..9, 0, 1
  });

  test('zoo: gan and cgan are registered without a classifier head, with their tasks and [-1, 1] normalization', () => {
    for (const [name, task] of [['gan', 'gan'], ['cgan', 'cgan']] as const) {
      const e = models.modelEntry(name);
      assert.equal(e.task, task);
      assert.equal(e.head, undefined);
      assert.deepEqual(e.normalization, { mean: [0.5], std: [0.5] });
      assert.deepEqual([e.inChannels, e.inputSize], [1, 28]);
    }
    assert.ok(models.createModel('gan', { arch: 'mlp', width: 8 }) instanceof models.GAN);
    const c = models.createModel('cgan', { numClasses: 5, width: 4 }) as models.CGAN;
    assert.equal(c.numClasses, 5);
    assert.ok(models.createModel('gan') instanceof models.GAN);
  });

  test('a checkpoint of another latent size is refused when loaded', () => {
    const small = new models.GAN({ arch: 'mlp', latentDim: 4, width: 8 });
    const big = new models.GAN({ arch: 'mlp', latentDim: 6, width: 8 });
    assert.throws(() => big.loadStateDict(small.stateDict()), (e: Error) => e instanceof ShapeError && /generator\.net\.0\.weight/.test(e.message));
  });
});

{
  const g = new models.GAN({ arch: 'mlp', latentDim: 4, width: 4 });
  const c = new models.CGAN({ arch: 'mlp', latentDim: 4, width: 4 });
  const z4 = zeros([2, 4]);
  checkErrors('GAN and CGAN', [
    ['CGAN.sample: label 12 of 10 classes', () => c.sample(2, { labels: 12 }), ValueError, /^CGAN\.sample: labels must be class indices in \[0, 9\] \(numClasses 10\), got 12 at index 0$/],
    ['CGAN.generate: negative label', () => c.generate(z4, labels([1, -1])), ValueError, /^CGAN\.generate: labels must be class indices in \[0, 9\] \(numClasses 10\), got -1 at index 1$/],
    ['CGAN.sample: fractional label', () => c.sample(2, { labels: [1, 2.5] }), ValueError, /^CGAN\.sample: labels must be class indices in \[0, 9\], got 2\.5 at index 1$/],
    ['CGAN.generate: float labels', () => c.generate(z4, zeros([2])), DTypeError, /^CGAN\.generate: labels must be int32 class indices, got dtype float32$/],
    ['CGAN.generate: labels of another length', () => c.generate(z4, labels([1, 2, 3])), ShapeError, /^CGAN\.generate: labels must have shape \[2\] \(one per sample\), got \[3\]$/],
    ['CGAN.generate: no labels', () => c.generate(z4), ValueError, /^CGAN\.generate: a CGAN needs labels: int32 class indices \[2\] in \[0, 9\]$/],
    ['GAN.generate: latent size mismatch', () => g.generate(zeros([2, 100])), ShapeError, /^GAN\.generate: z must be \[N, 4\] \(N >= 1, the model's latentDim 4\), got shape \[2, 100\]$/],
    ['GAN.generate: labels for an unconditional GAN', () => g.generate(z4, labels([0, 1])), ValueError, /^GAN\.generate: an unconditional GAN takes no labels/],
    ['GAN.sample: n = 0', () => g.sample(0), ValueError, /^GAN\.sample: n must be a positive integer, got 0$/],
    ['GAN.sample: n = 2.5', () => g.sample(2.5), ValueError, /^GAN\.sample: n must be a positive integer, got 2\.5$/],
    ['GAN.discriminate: wrong image size', () => g.discriminate(zeros([2, 1, 32, 32])), ShapeError, /^GAN\.discriminate: images must be \[N, 1, 28, 28\], got shape \[2, 1, 32, 32\]$/],
    ['GAN: dcgan inputSize not a multiple of 4', () => new models.GAN({ inputSize: 30 }), ValueError, /^GAN: option inputSize must be a multiple of 4 for arch 'dcgan' .* got 30; 28 and 32 work$/],
    ['GAN: unknown arch', () => new models.GAN({ arch: 'vit' as never }), ValueError, /^GAN: option arch must be 'dcgan' or 'mlp', got 'vit'$/],
    ['CGAN: unknown conditioning', () => new models.CGAN({ conditioning: 'add' as never }), ValueError, /^CGAN: option conditioning must be 'concat' or 'projection', got 'add'$/],
    ['CGAN: latentDim 0', () => new models.CGAN({ latentDim: 0 }), ValueError, /^CGAN: option latentDim must be a positive integer, got 0$/],
  ]);
}
