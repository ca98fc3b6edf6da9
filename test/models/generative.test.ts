/**
 * The auto-encoder and VAE family (src/models/generative): PyTorch-style parameter names and counts, output
 * shapes, the sizes each conv model takes, the sampling API (encode, reconstruct, sample with a generator), the
 * denoising corruption and the sparsity penalties against hand computations, the Gaussian decoder's likelihood,
 * the zoo entries, and bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Generator, ShapeError, ValueError, manualSeed, models, noGrad, rand, randn, tensor, type Tensor,
} from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

const vals = (t: Tensor) => Array.from(t.toTypedArray());
const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('MLP auto-encoders', () => {
  test('ae: 784-256-64-256-784, encoder/decoder names, output shaped as the input, codes [N, 64]', () => {
    manualSeed(0);
    const ae = new models.AutoEncoder();
    assert.deepEqual(Object.entries(ae.stateDict()).map(([k, t]) => `${k}:${t.shape.join('x')}`), [
      'encoder.0.weight:256x784', 'encoder.0.bias:256', 'encoder.2.weight:64x256', 'encoder.2.bias:64',
      'decoder.0.weight:256x64', 'decoder.0.bias:256', 'decoder.2.weight:784x256', 'decoder.2.bias:784',
    ]);
    const x = rand([3, 1, 28, 28]);
    const { output, code } = ae.forwardWithCode(x);
    assert.deepEqual(output.shape, [3, 1, 28, 28]);
    assert.deepEqual(code.shape, [3, 64]);
    assert.ok(vals(output).every((v) => v > 0 && v < 1), 'sigmoid output');
    assert.deepEqual(ae.forward(rand([2, 784])).shape, [2, 784]);
    assert.deepEqual(vals(ae.reconstruct(x)), vals(output));
    assert.equal(ae.reconstruct(x).requiresGrad, false);
    assert.deepEqual(new models.AutoEncoder({ sizes: [784, 128, 32, 10, 32, 128, 784] }).encode(x).shape, [3, 10]);
    assert.deepEqual(new models.AutoEncoder({ inChannels: 3, inputSize: 8 }).forward(rand([2, 3, 8, 8])).shape, [2, 3, 8, 8]);
  });

  test('dae: Gaussian noise x + std * N(0, 1) from the given generator, masking zeroes about maskProb of the values', () => {
    const x = rand([4, 784], { generator: new Generator(1) });
    const g = new models.DenoisingAutoEncoder({ noiseStd: 0.5 });
    const a = g.corrupt(x, { generator: new Generator(7) });
    const b = g.corrupt(x, { generator: new Generator(7) });
    assert.deepEqual(vals(a), vals(b), 'same generator state, same noise');
    const eps = randn([4, 784], { generator: new Generator(7) });
    const xv = vals(x);
    const ev = vals(eps);
    vals(a).forEach((v, i) => close(v, xv[i] + 0.5 * ev[i]));
    const m = new models.DenoisingAutoEncoder({ noise: 'masking', maskProb: 0.25 });
    const c = vals(m.corrupt(x, { generator: new Generator(3) }));
    const zeroed = c.filter((v, i) => v === 0 && xv[i] !== 0).length / c.length;
    assert.ok(Math.abs(zeroed - 0.25) < 0.03, `masked fraction ${zeroed}`);
    assert.ok(c.every((v, i) => v === 0 || v === xv[i]), 'kept values unchanged');
    assert.deepEqual(vals(m.forward(x)), vals(m.reconstruct(x)), 'forward adds no noise');
  });

  test('sae: the KL sparsity penalty and the L1 penalty against hand computations', () => {
    const code = tensor([[0.1, 0.5], [0.3, 0.02]]);
    const kl = new models.SparseAutoEncoder({ sizes: [4, 2, 4], rho: 0.05, beta: 3 });
    let want = 0;
    for (const q of [0.2, 0.26]) want += 0.05 * Math.log(0.05 / q) + 0.95 * Math.log(0.95 / (1 - q));
    close(kl.penalty(code).item(), 3 * want);
    assert.ok(vals(kl.encode(rand([5, 4]))).every((v) => v > 0 && v < 1), "'kl' codes are sigmoid activations");
    const l1 = new models.SparseAutoEncoder({ sizes: [4, 2, 4], penalty: 'l1', l1Weight: 0.01 });
    close(l1.penalty(tensor([[0.1, -0.5], [0.3, 0.02]])).item(), 0.01 * 0.92 / 2);
  });
});

describe('convolutional auto-encoders', () => {
  test('convae: pooling indices feed maxUnpool2d; any H, W >= 4 comes back at its size', () => {
    manualSeed(0);
    const m = new models.ConvAutoEncoder();
    assert.deepEqual(Object.keys(m.stateDict()), [
      'encoder.0.weight', 'encoder.0.bias', 'encoder.1.weight', 'encoder.1.bias',
      'decoder.0.weight', 'decoder.0.bias', 'decoder.1.weight', 'decoder.1.bias',
    ]);
    for (const [h, w] of [[28, 28], [30, 30], [9, 13], [4, 4]]) {
      const { output, code } = m.forwardWithCode(rand([2, 1, h, w]));
      assert.deepEqual(output.shape, [2, 1, h, w]);
      assert.deepEqual(code.shape, [2, 32, Math.floor(Math.floor(h / 2) / 2), Math.floor(Math.floor(w / 2) / 2)]);
    }
  });

  test('convae: unpooling puts values only where the encoder pooled its maxima', () => {
    // with one stage and an identity-like decoder conv, the reconstruction is zero outside the maxima positions
    manualSeed(1);
    const m = new models.ConvAutoEncoder({ channels: [1] });
    const enc = m.encoder.at(0) as unknown as { weight: Tensor; bias: Tensor };
    const dec = m.decoder.at(0) as unknown as { weight: Tensor; bias: Tensor };
    noGrad(() => {
      for (const p of [enc, dec]) {
        const w = new Float32Array(9);
        w[4] = 1;
        p.weight.copy_(tensor(w).reshape([1, 1, 3, 3]));
        p.bias.copy_(tensor([0]));
      }
    });
    const x = rand([1, 1, 4, 4], { generator: new Generator(5) });
    const out = vals(m.forward(x));
    const xv = vals(x);
    let kept = 0;
    for (let by = 0; by < 2; by++) {
      for (let bx = 0; bx < 2; bx++) {
        const idx = [0, 1].flatMap((dy) => [0, 1].map((dx) => (2 * by + dy) * 4 + 2 * bx + dx));
        const arg = idx.reduce((a, b) => (xv[b] > xv[a] ? b : a));
        for (const i of idx) {
          if (i === arg) close(out[i], 1 / (1 + Math.exp(-xv[i])));
          else close(out[i], 0.5);
        }
        kept++;
      }
    }
    assert.equal(kept, 4);
  });

  test('convae_t: 2x2 stride-2 transposed convs, H and W divisible by 4', () => {
    const m = new models.ConvAutoEncoder({ inChannels: 3, channels: [8, 16, 32] }, 'transposed');
    assert.deepEqual(m.forward(rand([2, 3, 32, 32])).shape, [2, 3, 32, 32]);
    assert.deepEqual((m.decoder.at(0) as unknown as { weight: Tensor }).weight.shape, [32, 16, 2, 2]);
    assert.deepEqual(new models.ConvAutoEncoder({}, 'transposed').forward(rand([1, 1, 28, 28])).shape, [1, 1, 28, 28]);
  });

  test('convae_t with codeSize: a dense bottleneck [N, codeSize] between the conv stages', () => {
    const m = new models.ConvAutoEncoder({ codeSize: 32 }, 'transposed');
    const x = rand([3, 1, 28, 28]);
    const { output, code } = m.forwardWithCode(x);
    assert.deepEqual(code.shape, [3, 32]);
    assert.deepEqual(output.shape, [3, 1, 28, 28]);
    assert.deepEqual(m.toCode?.weight.shape, [32, 32 * 7 * 7]);
    assert.deepEqual(m.fromCode?.weight.shape, [32 * 7 * 7, 32]);
    assert.ok(Object.keys(m.stateDict()).includes('toCode.weight'));
    assert.equal(m.parameterCount(), new models.ConvAutoEncoder({}, 'transposed').parameterCount() + 2 * 32 * 1568 + 32 + 1568);
    assert.ok(m.toString().includes('codeSize=32'));
  });
});

describe('VAEs', () => {
  test("vae: PyTorch example's names and 652,824 parameters; encode gives [mu, logvar]; sample and reconstruct", () => {
    manualSeed(0);
    const v = new models.VAE();
    assert.deepEqual(Object.entries(v.stateDict()).map(([k, t]) => `${k}:${t.shape.join('x')}`), [
      'fc1.weight:400x784', 'fc1.bias:400', 'fc21.weight:20x400', 'fc21.bias:20', 'fc22.weight:20x400', 'fc22.bias:20',
      'fc3.weight:400x20', 'fc3.bias:400', 'fc4.weight:784x400', 'fc4.bias:784',
    ]);
    assert.equal(v.parameterCount(), 652824);
    const x = rand([5, 1, 28, 28]);
    const [mu, logvar] = v.encode(x);
    assert.deepEqual([mu.shape, logvar.shape], [[5, 20], [5, 20]]);
    const s1 = v.sample(6, { generator: new Generator(9) });
    const s2 = v.sample(6, { generator: new Generator(9) });
    assert.deepEqual(s1.shape, [6, 1, 28, 28]);
    assert.deepEqual(vals(s1), vals(s2), 'same generator, same samples');
    assert.ok(vals(s1).every((p) => p > 0 && p < 1));
    assert.deepEqual(vals(v.generate(randn([6, 20], { generator: new Generator(9) }))), vals(s1));
    const r = v.reconstruct(x);
    assert.deepEqual(r.shape, [5, 1, 28, 28]);
    assert.deepEqual(vals(r), vals(v.decode(mu)), 'reconstruct decodes the posterior mean');
    const f1 = v.forwardVae(x, { generator: new Generator(2) });
    const f2 = v.forwardVae(x, { generator: new Generator(2) });
    assert.deepEqual(vals(f1.output), vals(f2.output), 'reparameterization draws from the given generator');
    assert.notDeepEqual(vals(f1.output), vals(r));
    v.eval();
    assert.deepEqual(vals(v.forward(x)), vals(r), 'eval-mode forward decodes mu');
  });

  test('the Bernoulli NLL is the summed BCE; the Gaussian decoder learns a per-pixel log-variance', () => {
    const x = rand([2, 1, 2, 2], { generator: new Generator(4) });
    const p = rand([2, 1, 2, 2], { generator: new Generator(5) });
    const v = new models.VAE({ inputSize: 2, hidden: 3, latentDim: 2 });
    const xv = vals(x);
    const pv = vals(p);
    close(v.nll(p, x).item(), xv.reduce((s, t, i) => s - (t * Math.log(pv[i]) + (1 - t) * Math.log(1 - pv[i])), 0));
    const g = new models.VAE({ inputSize: 2, hidden: 3, latentDim: 2, decoder: 'gaussian' });
    assert.ok(Object.keys(g.stateDict()).includes('decoderLogvar'));
    noGrad(() => g.decoderLogvar!.copy_(tensor([0.1, -0.2, 0.3, 0])));
    const lv = [0.1, -0.2, 0.3, 0];
    const want = xv.reduce((s, t, i) => s + 0.5 * (lv[i % 4] + (t - pv[i]) ** 2 / Math.exp(lv[i % 4]) + Math.log(2 * Math.PI)), 0);
    close(g.nll(p, x).item(), want);
  });

  test('convvae: two stride-2 convs to mu/logvar and back; sampling gives [n, C, S, S]', () => {
    manualSeed(0);
    const v = new models.ConvVAE({ latentDim: 8 });
    assert.deepEqual(Object.keys(v.stateDict()), [
      'encoder.0.weight', 'encoder.0.bias', 'encoder.2.weight', 'encoder.2.bias', 'fc21.weight', 'fc21.bias',
      'fc22.weight', 'fc22.bias', 'fc3.weight', 'fc3.bias', 'decoder.0.weight', 'decoder.0.bias', 'decoder.2.weight', 'decoder.2.bias',
    ]);
    const out = v.forwardVae(rand([3, 1, 28, 28]), { generator: new Generator(1) });
    assert.deepEqual([out.output.shape, out.mu.shape], [[3, 1, 28, 28], [3, 8]]);
    assert.deepEqual(v.sample(4, { generator: new Generator(1) }).shape, [4, 1, 28, 28]);
    assert.deepEqual(new models.ConvVAE({ inChannels: 3, inputSize: 32 }).sample(2).shape, [2, 3, 32, 32]);
  });
});

test('the zoo builds each by name with its task and no classifier head', () => {
  const tasks: Record<string, string> = { ae: 'reconstruction', dae: 'reconstruction', sae: 'reconstruction', convae: 'reconstruction', convae_t: 'reconstruction', vae: 'vae', convvae: 'vae' };
  for (const [name, task] of Object.entries(tasks)) {
    const e = models.modelEntry(name);
    assert.equal(e.task, task, name);
    assert.equal(e.head, undefined, name);
    const m = models.createModel(name, { inChannels: 1, inputSize: 28, numClasses: 10 } as never);
    assert.deepEqual(m.forward(rand([2, 1, 28, 28])).shape, [2, 1, 28, 28], name);
  }
});

const vae20 = new models.VAE();
const anyOpts = (o: Record<string, unknown>) => o as never;
checkErrors('generative models', [
  ['ae: even sizes', () => new models.AutoEncoder({ sizes: [784, 64, 64, 784] }), ValueError, /^ae: option sizes must be an odd number \(>= 3\) of positive integers .* got \[784,64,64,784\]$/],
  ['ae: sizes vs inputSize', () => new models.AutoEncoder({ sizes: [784, 32, 784], inputSize: 32 }), ValueError, /^ae: option sizes starts with 784 features, but inChannels and inputSize give 1024$/],
  ['ae: activation', () => new models.AutoEncoder(anyOpts({ activation: 'gelu' })), ValueError, /^ae: option activation must be 'relu', 'sigmoid' or 'tanh', got 'gelu'$/],
  ['ae: wrong features', () => new models.AutoEncoder().forward(rand([2, 1, 32, 32])), ShapeError, /^ae: input must be \[N, 784\] or \[N, C, H, W\] with C\*H\*W = 784, got shape \[2, 1, 32, 32\]$/],
  ['dae: maskProb 1', () => new models.DenoisingAutoEncoder({ noise: 'masking', maskProb: 1 }), ValueError, /^dae: option maskProb must be below 1/],
  ['dae: noise kind', () => new models.DenoisingAutoEncoder(anyOpts({ noise: 'salt' })), ValueError, /^dae: option noise must be one of 'gaussian', 'masking', got "salt"$/],
  ['sae: kl needs sigmoid codes', () => new models.SparseAutoEncoder({ codeActivation: 'relu' }), ValueError, /^sae: the 'kl' penalty needs code activations in \(0, 1\), so codeActivation must be 'sigmoid'/],
  ['sae: rho', () => new models.SparseAutoEncoder({ rho: 1 }), ValueError, /^sae: option rho must be a number in \(0, 1\), got 1$/],
  ['convae: too small', () => new models.ConvAutoEncoder().forward(rand([1, 1, 3, 8])), ShapeError, /^convae: input must be \[N, 1, H, W\] with H, W >= 4 \(2 stages of 2x2 pooling\), got shape \[1, 1, 3, 8\]$/],
  ['convae: channels', () => new models.ConvAutoEncoder().forward(rand([1, 3, 28, 28])), ShapeError, /^convae: input must be \[N, 1, H, W\]/],
  ['convae_t: size not divisible by 4', () => new models.ConvAutoEncoder({}, 'transposed').forward(rand([1, 1, 30, 30])), ShapeError, /^convae_t: input must be \[N, 1, H, W\] with H and W divisible by 4 \(e\.g\. 28 or 32\) \(2 stages of 2x2 pooling\), got shape \[1, 1, 30, 30\]$/],
  ['convae: codeSize with unpooling', () => new models.ConvAutoEncoder({ codeSize: 8 }), ValueError, /^convae: option codeSize needs convae_t/],
  ['convae_t: codeSize 0', () => new models.ConvAutoEncoder({ codeSize: 0 }, 'transposed'), ValueError, /^convae_t: option codeSize must be a positive integer/],
  ['convae_t: bottleneck inputSize not divisible', () => new models.ConvAutoEncoder({ codeSize: 8, inputSize: 30 }, 'transposed'), ValueError, /^convae_t: option inputSize must be divisible by 4 \(2 stages of 2x2 pooling\), got 30$/],
  ['convae_t: other size than the bottleneck', () => new models.ConvAutoEncoder({ codeSize: 8 }, 'transposed').forward(rand([1, 1, 32, 32])), ShapeError, /^convae_t: input must be \[N, 1, H, W\] with H = W = 28 \(its bottleneck is sized for them\)/],
  ['convae: 3-D input', () => new models.ConvAutoEncoder().forward(rand([1, 28, 28])), ShapeError, /^convae: input must be \[N, 1, H, W\]/],
  ['vae: wrong features', () => vae20.encode(rand([2, 1, 32, 32])), ShapeError, /^vae: input must be \[N, 784\] or \[N, C, H, W\] with C\*H\*W = 784, got shape \[2, 1, 32, 32\]$/],
  ['vae: wrong latent', () => vae20.decode(rand([2, 10])), ShapeError, /^vae: z must be \[N, 20\], got shape \[2, 10\]$/],
  ['vae: sample n', () => vae20.sample(0), ValueError, /^vae\.sample: option n must be a positive integer, got 0$/],
  ['vae: decoder', () => new models.VAE(anyOpts({ decoder: 'laplace' })), ValueError, /^vae: option decoder must be one of 'bernoulli', 'gaussian', got "laplace"$/],
  ['vae: latent size mismatch on load', () => new models.VAE({ latentDim: 2 }).loadStateDict(vae20.stateDict()), ShapeError, /^loadStateDict: the state does not fit VAE: mis-shaped keys: fc21\.weight: expected shape \[2, 400\], got \[20, 400\]/],
  ['convvae: inputSize not divisible by 4', () => new models.ConvVAE({ inputSize: 30 }), ShapeError, /^convvae: inputSize must be divisible by 4 \(two stride-2 stages\), got 30$/],
  ['convvae: other size than built for', () => new models.ConvVAE().encode(rand([1, 1, 32, 32])), ShapeError, /^convvae: input must be \[N, 1, 28, 28\] \(the inputSize it was built for/],
]);

test('zoo metadata: [0, 1] pixels unchanged (identity normalization), 28x28 grey', () => {
  for (const name of ['ae', 'dae', 'sae', 'convae', 'convae_t', 'vae', 'convvae']) {
    const e = models.modelEntry(name);
    assert.deepEqual([e.normalization, e.inChannels, e.inputSize], [{ mean: [0], std: [1] }, 1, 28], name);
  }
});
