/**
 * GANs on real MNIST (issue 14's measurement), through the public API only:
 *  1. the judge, a LeNet-5 trained as `shendu train lenet5` trains it: either the run such a command left
 *     (`--lenet runs/lenet5-mnist`, made by `shendu train lenet5 --epochs 3 --limit 20000`), or one trained here
 *     with that command's recipe (the same zoo model, MNIST normalization mean 0.1307 / std 0.3081, Adam lr 1e-3,
 *     cosine schedule, batch 64, seed 0, the CLI's validation hold-out); GAN samples in [-1, 1] are mapped back to
 *     pixels in [0, 1] and normalized as that run's inputs;
 *  2. trains a conditional GAN with the 'cgan' task (fitTask + GanTask) and after every epoch lets the LeNet
 *     classify 1,000 CGAN samples (100 per class): the share classified as the class they were conditioned on;
 *  3. trains an unconditional GAN with the 'gan' task and after every epoch reports the classifier-feature Fréchet
 *     distance: Gaussians fitted to the LeNet's penultimate features (its 84 units after ReLU) of the 10,000 real
 *     MNIST test images and of 10,000 samples, `|muA - muB|^2 + tr(covA + covB - 2 (covA covB)^(1/2))`.
 * Pictures go to docs/pictures/: cgan-samples.png (one row per class), cgan-losses.png, gan-samples.png,
 * gan-losses.png, gan-frechet.png. The networks are the zoo's 'gan'/'cgan' with `--arch` (default mlp: on a shared
 * 2-core machine a DCGAN epoch takes an hour; `--arch dcgan --width 16` runs the convolutional pair); the CGAN's
 * discriminator takes the label by projection (Miyato & Koyama 2018) unless `--conditioning concat`.
 * Measured on the shared 2-core machine (judge: `shendu train lenet5 --epochs 3 --limit 20000 --threads 1`, 97.89% on
 * the test set; `--only cgan --cgan-epochs 10 --lenet runs/lenet5-mnist --threads 1`, MLP, 20,000 images): the
 * LeNet agrees with the conditioned class on 90.9% of 1,000 samples after epoch 10 (per class 99 100 85 95 95 68 97
 * 94 92 84); per epoch 95.5, 85.1, 73.4, 81.8, 81.3, 75.6, 82.4, 77.8, 85.3, 90.9% (the first epoch's generator
 * draws one stiff template per class; agreement dips while it learns variety); resumed (`--resume --cgan-epochs 12`)
 * 89.6% after epoch 11 and 93.2% after epoch 12. About 27 CPU-seconds per epoch.
 * With 'concat' conditioning the same MLP had reached 61.9% after 10 epochs and 67.6% after 13 (a LeNet trained on
 * [-1, 1] images by the earlier version of this example).
 * Run: npm run build && nice -n 5 node dist/examples/gan-mnist.js [--only both|cgan|gan] [--resume] [--limit 20000]
 *      [--cgan-epochs 8] [--gan-epochs 6] [--lenet runs/lenet5-mnist | --lenet-epochs 3] [--arch mlp] [--width 256]
 *      [--conditioning projection] [--loss nonSaturating] [--batch-size 64] [--threads 1] [--out docs/pictures]
 * @module
 */
import { join } from 'node:path';
import {
  DataLoader, Generator, TensorDataset, manualSeed, models, nn, noGrad, setNumThreads, tensor, train, type Tensor,
} from '../src/index.js';
import {
  BatchLoader, NORMALIZATION, NodeFileStore, applyPrep, holdOut, loadDataset, normalizeBatch, openRun, requireClassifier, type InputPrep,
} from '../src/node/index.js';
import { classificationRecipe } from '../src/node/train-recipes/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  limit: { type: 'string', default: '20000' }, 'cgan-epochs': { type: 'string', default: '8' }, 'gan-epochs': { type: 'string', default: '6' },
  lenet: { type: 'string' }, 'lenet-epochs': { type: 'string', default: '3' }, arch: { type: 'string', default: 'mlp' }, width: { type: 'string' },
  conditioning: { type: 'string', default: 'projection' }, loss: { type: 'string', default: 'nonSaturating' }, 'batch-size': { type: 'string', default: '64' },
  out: { type: 'string', default: 'docs/pictures' }, 'run-dir': { type: 'string', default: 'runs/gan-mnist' }, only: { type: 'string', default: 'both' },
  resume: { type: 'boolean' }, threads: { type: 'string' },
});
const limit = Number(a.limit);
const cganEpochs = Number(a['cgan-epochs']);
const ganEpochs = Number(a['gan-epochs']);
const lenetRun = a.lenet;
const lenetEpochs = Number(a['lenet-epochs']);
const arch = a.arch as models.GanArch;
const width = Number(a.width ?? (arch === 'mlp' ? '256' : '16'));
const conditioning = a.conditioning as models.Conditioning;
const lossKind = a.loss as NonNullable<train.GanTaskOptions['loss']>;
const batchSize = Number(a['batch-size']);
const out = a.out;
const runDir = a['run-dir'];
const only = a.only;
// continue the runs in --run-dir from their last checkpoints (exact resume) up to the epochs given
const resume = a.resume;
if (!['both', 'cgan', 'gan'].includes(only)) throw new Error(`--only must be both, cgan or gan, got '${only}'`);
if (a.threads) setNumThreads(Number(a.threads));

const mnist = loadDataset('mnist');
/** The first `n` images of a split as [n, 1, 28, 28] float32 in [-1, 1] (pixel p in [0, 1] as 2p - 1) and int32 labels. */
function load(split: 'train' | 'test', n: number): { x: Tensor; y: Tensor } {
  const d = mnist[split];
  const k = Math.min(n, d.length);
  return { x: d.inputs().narrow(0, 0, k).mul(2).sub(1).contiguous(), y: d.targets().narrow(0, 0, k).contiguous() };
}
const trainSet = load('train', limit);
const testSet = load('test', 10000);
const loader = (seed: number) => new DataLoader(new TensorDataset(trainSet.x, trainSet.y), { batchSize, shuffle: true, generator: new Generator(seed) });
const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(0);
const print = (s: string) => process.stdout.write(`${s}\n`);

// 1. the judge: a LeNet-5 from `shendu train lenet5`, or trained here with that command's recipe
interface Judge { lenet: nn.Sequential; norm: { mean: number[]; std: number[] }; prep: InputPrep | null | undefined; source: string }
function lenetJudge(): Judge {
  if (lenetRun !== undefined) {
    const run = openRun('gan-mnist', lenetRun);
    requireClassifier('gan-mnist', run.info, run.file);
    if (run.info.model !== 'lenet5' || run.info.dataset !== 'mnist') throw new Error(`--lenet must be a lenet5 run on mnist, ${run.file} holds ${run.info.model} on ${run.info.dataset}`);
    return { lenet: run.model as nn.Sequential, norm: run.info.norm, prep: run.info.prep, source: run.file };
  }
  // what `shendu train lenet5 --epochs E --limit L` does (src/cli/train.ts), through the same recipe objects
  const seed = 0;
  const norm = NORMALIZATION.mnist;
  const valCount = Math.min(5000, Math.ceil(limit / 10));
  const split = holdOut(mnist.train.length, valCount, seed + 2);
  const trainLoader = new BatchLoader(mnist.train, 64, norm, { shuffleSeed: seed + 1, limit, indices: split.train });
  const valLoader = new BatchLoader(mnist.train, 1000, norm, { indices: split.val });
  manualSeed(seed);
  const model = models.createModel('lenet5', { inChannels: 1, inputSize: 28, numClasses: 10 });
  const task = classificationRecipe.buildTask({
    model, optimizer: 'adam', lr: 1e-3, weightDecay: 0, scheduler: 'cosine', epochs: lenetEpochs, stepsPerEpoch: trainLoader.length, seed,
    info: { model: 'lenet5', modelOptions: { inChannels: 1, inputSize: 28, numClasses: 10 }, task: 'classification', dataset: 'mnist', classes: [...mnist.classes], norm, imageSize: 28, prep: null },
  });
  const t0 = performance.now();
  const history = train.fitTask(task, { trainLoader, valLoader, epochs: lenetEpochs, generators: [trainLoader.generator!] });
  print(`LeNet-5 (shendu train lenet5's recipe): ${lenetEpochs} epochs on ${limit} images (${seconds(t0)} s), val accuracy ${(100 * (history.epochs.at(-1)?.val_accuracy ?? NaN)).toFixed(2)}%`);
  return { lenet: model as nn.Sequential, norm, prep: null, source: `trained here (${lenetEpochs} epochs, ${limit} images)` };
}
const judge = lenetJudge();
/** GAN images in [-1, 1] as the LeNet's inputs: pixels in [0, 1], prepared and normalized as its run's. */
const judgeInput = (x: Tensor): Tensor => normalizeBatch(applyPrep(x.add(1).div(2), judge.prep), judge.norm);
const predict = (x: Tensor): Int32Array => noGrad(() => {
  judge.lenet.eval();
  const parts: number[] = [];
  for (let i = 0; i < x.shape[0]; i += 500) parts.push(...judge.lenet.forward(judgeInput(x.narrow(0, i, Math.min(500, x.shape[0] - i)))).argmax(1).toTypedArray());
  return Int32Array.from(parts);
});
const agree = (pred: Int32Array, truth: Tensor) => {
  const t = truth.toTypedArray();
  return pred.reduce((s, p, i) => s + (p === t[i] ? 1 : 0), 0) / pred.length;
};
const lenetAcc = agree(predict(testSet.x), testSet.y);
print(`judge: LeNet-5 ${judge.source}, test accuracy ${(100 * lenetAcc).toFixed(2)}% on 10,000`);

/** Trains `model` with the GAN task; `onEpoch` runs after each epoch (pictures are written to the run directory). */
function trainGan(name: 'gan' | 'cgan', epochs: number, onEpoch: (epoch: number, logs: train.EpochLogs, task: train.GanTask) => void) {
  manualSeed(0);
  const model = models.createModel(name, name === 'cgan' ? { arch, width, conditioning } : { arch, width }) as models.GAN;
  const task = new train.GanTask(model, { seed: 1, loss: lossKind });
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

// 2. the conditional GAN, judged by the LeNet after every epoch on the same 1,000 latents and labels
const wanted = tensor(Int32Array.from({ length: 1000 }, (_, i) => i % 10));
const judgeCgan = (cgan: models.GAN) => {
  const predicted = predict(cgan.sample(1000, { generator: new Generator(123), labels: wanted }));
  const perClass = Array.from({ length: 10 }, (_, c) => {
    let ok = 0;
    for (let i = c; i < 1000; i += 10) ok += predicted[i] === c ? 1 : 0;
    return ok;
  });
  return { acc: agree(predicted, wanted), perClass };
};
let cganAcc = NaN;
let perClass: number[] = [];
const cganPerEpoch: number[] = [];
if (only !== 'gan') {
  const { model: cgan } = trainGan('cgan', cganEpochs, (e, logs, task) => {
    const j = judgeCgan(task.gan as models.GAN);
    cganPerEpoch.push(j.acc);
    print(`  cgan epoch ${e}: ${fmt(logs)}, LeNet agrees with the label on ${(100 * j.acc).toFixed(1)}% (per class: ${j.perClass.join(' ')})`);
  });
  ({ acc: cganAcc, perClass } = judgeCgan(cgan));
  print(`CGAN (${arch}, ${conditioning} conditioning): the LeNet classifies ${(100 * cganAcc).toFixed(1)}% of 1,000 samples as the class they were conditioned on (per class, of 100: ${perClass.join(' ')})`);
}

// 3. the unconditional GAN, with the classifier-feature Fréchet distance per epoch
const frechet: number[] = [];
if (only !== 'cgan') {
  const real = models.featureStats(judge.lenet, judgeInput(testSet.x));
  const fd = (model: models.GAN): number => {
    const fake = models.featureStats(judge.lenet, judgeInput(model.sample(10000, { generator: new Generator(7) })));
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
print(JSON.stringify({ limit, arch, width, conditioning, loss: lossKind, batchSize, judge: judge.source, lenetAcc, cganEpochs, cganAcc, cganPerEpoch, perClass, ganEpochs, frechet }));
