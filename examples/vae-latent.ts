/**
 * Latent-space pictures on real MNIST (issue 14, the course's chapter 10), each model trained briefly here with
 * `fitTask` (Adam lr 1e-3, batch 128, grey-level pixels in [0, 1], the first --limit training images):
 *  1. `vae-latent-scatter.png`: the zoo's `vae` with a 2-D latent (784-400-2-400-784, BCE summed + KL); the
 *     posterior means of 5,000 test images, one dot each, coloured by class.
 *  2. `vae-interpolation.png`: pairs of test digits of different classes; for each pair a row for the zoo's `vae`
 *     (20-D latent, PyTorch's example) and a row for the zoo's `ae` (784-256-64-256-784, MSE as `shendu train ae`):
 *     the first digit, 9 decoded codes evenly spaced on the line between the two digits' codes (posterior means
 *     for the VAE), the second digit.
 *  3. `beta-vae-traversal.png`: a beta-VAE (the zoo's `vae`, latentDim 10, beta 4: KL weighted 4 times, Higgins
 *     et al. 2017); starting from the posterior mean of one test digit, each row sweeps one latent dimension over
 *     [-3, 3] (11 values) with the others fixed; rows ordered by the dimension's mean KL on test images (its
 *     label), so the dimensions the model uses come first and the collapsed ones (KL near 0) change nothing.
 * `--only scatter,interpolation,traversal` draws a part of them (default all).
 * The committed pictures (shared 2-core machine, one thread): `--epochs 4 --limit 10000` for the interpolation
 * (VAE 144.6 per image after 4 epochs, AE 0.0255 MSE per pixel) and the traversal (beta-VAE recon 147.1, KL 5.9 per
 * image; mean KL per dimension from 1.00 down to 0.11: z3 and z4 change the digit most, z2 and z8 least), and
 * `--only scatter --epochs 10 --limit 12000` for the scatter (164.4 per image): 0, 1, 2, 3 and 7 take their own
 * regions, 4/9 and 5/8/6 overlap, as a 2-D VAE's latent usually shows.
 * Run: npm run build && nice -n 5 node dist/examples/vae-latent.js [--epochs 4] [--limit 10000] [--seed 1] [--threads 1] [--only ...] [--out docs/pictures]
 * @module
 */
import { join } from 'node:path';
import { DataLoader, Generator, TensorDataset, cat, manualSeed, models, narrow, noGrad, optim, setNumThreads, train, viz, type Tensor } from '../src/index.js';
import { mnist, saveImageGrid, savePicture } from '../src/node/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  epochs: { type: 'string', default: '4' }, limit: { type: 'string', default: '10000' },
  seed: { type: 'string', default: '1' }, out: { type: 'string', default: join('docs', 'pictures') },
  threads: { type: 'string' }, only: { type: 'string' },
});
const epochs = Number(a.epochs);
const limit = Number(a.limit);
const PARTS = ['scatter', 'interpolation', 'traversal'];
const only = (a.only ?? PARTS.join(',')).split(',');
for (const p of only) if (!PARTS.includes(p)) throw new Error(`--only takes a comma-separated list of ${PARTS.join(', ')}; got '${p}'`);
const seed = Number(a.seed);
const outDir = a.out;
if (a.threads !== undefined) setNumThreads(Number(a.threads));
const print = (s: string) => process.stdout.write(`${s}\n`);

const trainSet = mnist({ train: true });
const testSet = mnist({ train: false });
const n = Math.min(limit, trainSet.length);
const xTrain = narrow(trainSet.images(), 0, 0, n);
const yTrain = narrow(trainSet.labels(), 0, 0, n);
const xTest = testSet.images();
const yTest = Array.from(testSet.labels().toTypedArray(), Number);
print(`MNIST: ${n} training images, ${xTest.shape[0]} test images in [0, 1]; ${epochs} epochs per model`);

/** Trains `task` for the given epochs on the training subset, printing each epoch's losses. */
function fit(name: string, task: train.Task, what: (l: Record<string, number>) => string): void {
  const loader = new DataLoader(new TensorDataset(xTrain, yTrain), { batchSize: 128, shuffle: true, generator: new Generator(seed) });
  const t0 = performance.now();
  train.fitTask(task, {
    trainLoader: loader, epochs,
    callbacks: [{ onEpochEnd: (e: number, logs: train.EpochLogs) => print(`  ${name} epoch ${e}: ${what(logs as unknown as Record<string, number>)}`) }],
  });
  print(`${name}: ${epochs} epochs in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
const vaeLogs = (l: Record<string, number>) => `loss ${l.loss.toFixed(2)} per image (recon ${l.recon.toFixed(2)}, KL ${l.kl.toFixed(2)})`;
function trainVae(name: string, opts: models.VaeOptions): models.VAE {
  manualSeed(seed);
  const model = new models.VAE(opts);
  fit(name, new train.VaeTask(model, { optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }), seed }), vaeLogs);
  model.eval();
  return model;
}
/** Posterior means [N, D] of images, in batches, without gradients. */
const encodeMu = (m: models.VAE, x: Tensor): Tensor => noGrad(() => {
  const parts: Tensor[] = [];
  for (let i = 0; i < x.shape[0]; i += 1000) parts.push(m.encode(narrow(x, 0, i, Math.min(1000, x.shape[0] - i)))[0]);
  return cat(parts, 0);
});

// 1. the 2-D latent of a VAE, test images coloured by class
if (only.includes('scatter')) {
  const vae2 = trainVae('vae (2-D latent)', { latentDim: 2 });
  const shown = 5000;
  const mu2 = encodeMu(vae2, narrow(xTest, 0, 0, shown));
  await savePicture(viz.latentScatterSpec(mu2, yTest.slice(0, shown), {
    title: `VAE with a 2-D latent: posterior means of ${shown} MNIST test images`, xTitle: 'z1', yTitle: 'z2', size: 420,
  }), join(outDir, 'vae-latent-scatter'));
  print(`wrote ${join(outDir, 'vae-latent-scatter.png')}`);
}

const firstOf = (c: number) => yTest.indexOf(c);
// 2. interpolation strips between pairs of test digits, VAE and AE rows for each pair
if (only.includes('interpolation')) {
  const vae = trainVae('vae (20-D latent)', {});
  manualSeed(seed);
  const ae = models.createModel('ae', { inChannels: 1, inputSize: 28 }) as models.AutoEncoder;
  fit('ae', new train.ReconstructionTask(ae, { optimizer: new optim.Adam(ae.parameters(), { lr: 1e-3 }), seed }), (l) => `loss ${l.loss.toFixed(4)} (MSE per pixel)`);
  ae.eval();
  const pairs: [number, number][] = [[0, 6], [1, 7], [2, 3], [4, 9], [5, 8]];
  const steps = 9;
  const strips: Tensor[] = [];
  const captions: string[] = [];
  noGrad(() => {
    for (const [ca, cb] of pairs) {
      const [ia, ib] = [firstOf(ca), firstOf(cb)];
      const xa = narrow(xTest, 0, ia, 1);
      const xb = narrow(xTest, 0, ib, 1);
      const rows: [string, Tensor][] = [
        ['VAE', vae.decode(viz.interpolateLatents(vae.encode(xa)[0], vae.encode(xb)[0], steps))],
        ['AE', ae.decode(viz.interpolateLatents(ae.encode(xa), ae.encode(xb), steps)).reshape([steps, 1, 28, 28])],
      ];
      for (const [label, mids] of rows) {
        strips.push(xa, mids, xb);
        captions.push(`${label} ${ca}`, ...Array<string>(steps).fill(''), `${cb}`);
      }
    }
  });
  await saveImageGrid(cat(strips, 0), captions, join(outDir, 'vae-interpolation'), {
    nrow: steps + 2, scale: 2, title: 'Test digit, 9 decoded codes on the line to the other digit\'s code, other digit (VAE and AE rows)',
  });
  print(`wrote ${join(outDir, 'vae-interpolation.png')}`);
}

// 3. a beta-VAE's latent traversal, dimensions ordered by their mean KL
if (only.includes('traversal')) {
  const beta = trainVae('beta-vae (beta 4, 10-D latent)', { latentDim: 10, beta: 4 });
  const testPart = narrow(xTest, 0, 0, 2000);
  const [muT, logvarT] = noGrad(() => beta.encode(testPart));
  const d = beta.latentDim;
  const klPerDim = new Array<number>(d).fill(0);
  const muV = muT.toTypedArray();
  const lvV = logvarT.toTypedArray();
  for (let i = 0; i < testPart.shape[0]; i++) {
    for (let j = 0; j < d; j++) {
      const [m, lv] = [Number(muV[i * d + j]), Number(lvV[i * d + j])];
      klPerDim[j] += (0.5 * (m * m + Math.exp(lv) - lv - 1)) / testPart.shape[0];
    }
  }
  const order = Array.from({ length: d }, (_, j) => j).sort((a, b) => klPerDim[b] - klPerDim[a]);
  print(`beta-vae: mean KL per latent dimension on 2,000 test images: ${klPerDim.map((k, j) => `z${j} ${k.toFixed(2)}`).join(', ')}`);
  const seedDigit = firstOf(3);
  const base = narrow(muT, 0, seedDigit, 1).reshape([d]);
  const values = 11;
  const grid = noGrad(() => beta.decode(viz.traverseLatents(base, { dims: order, range: [-3, 3], steps: values })));
  const sweep = Array.from({ length: values }, (_, j) => (-3 + (6 * j) / (values - 1)).toFixed(1));
  const traversalCaptions = order.flatMap((j, r) => sweep.map((v, k) => (k === 0 ? `z${j} KL ${klPerDim[j].toFixed(2)}` : r === order.length - 1 ? v : '')));
  await saveImageGrid(grid, traversalCaptions, join(outDir, 'beta-vae-traversal'), {
    nrow: values, scale: 2, title: `beta-VAE (beta 4): each row sweeps one latent over [-3, 3], the others at the code of test image ${seedDigit} (a 3)`,
  });
  print(`wrote ${join(outDir, 'beta-vae-traversal.png')}`);
  print(JSON.stringify({ epochs, limit: n, klPerDim: klPerDim.map((k) => Number(k.toFixed(4))), order }));
}
