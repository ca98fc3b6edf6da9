/**
 * The degradation problem (He et al. 2016, section 4.2; the course's chapter 7.1.4): plain nets of 20 and 56 layers
 * and their residual twins, trained with one recipe on the same images. A deeper plain net ends with the HIGHER
 * training error; a deeper ResNet with the LOWER. Fashion-MNIST (padded to the CIFAR nets' 32x32) stands in for
 * CIFAR-10 so that it runs on a fresh machine; `--dataset cifar10 --data-dir DIR` uses CIFAR-10 when present.
 *
 * Run: npm run build && node dist/examples/course/degradation.js [--images 5000] [--epochs 6] [--batch-size 64]
 *      [--lr 0.05] [--models plain20,plain56,resnet20,resnet56] [--out docs/pictures/degradation]
 * Writes <out>.png/.svg (training error per epoch, one line per model) and <out>.json (the numbers).
 * @module
 */
import { writeFileSync } from 'node:fs';
import { DataLoader, Generator, TensorDataset, manualSeed, models, optim, transforms, train, type Tensor } from '../../src/index.js';
import { loadDataset, saveLineChart } from '../../src/node/index.js';
import { scriptArgs } from '../../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  images: { type: 'string', default: '5000' }, epochs: { type: 'string', default: '6' },
  'batch-size': { type: 'string', default: '64' }, lr: { type: 'string', default: '0.05' },
  models: { type: 'string', default: 'plain20,plain56,resnet20,resnet56' },
  out: { type: 'string', default: 'docs/pictures/degradation' }, dataset: { type: 'string', default: 'fashion-mnist' },
  'data-dir': { type: 'string' },
});
const images = Number(a.images);
const epochs = Number(a.epochs);
const batchSize = Number(a['batch-size']);
const lr = Number(a.lr);
const names = a.models.split(',');
const out = a.out;
const datasetName = a.dataset;

const data = loadDataset(datasetName, { dataDir: a['data-dir'] });
const n = Math.min(images, data.train.length);
const [x0, y] = data.train.batch(Array.from({ length: n }, (_, i) => i));
const [c, h] = data.train.inputShape;
// pad to 32x32 (Fashion-MNIST's 28 + 2 each side), then standardize with the subset's own statistics
const padded = h < 32 ? transforms.pad((32 - h) / 2)(x0) : x0;
const mean = padded.mean([0, 2, 3], true);
const std = padded.sub(mean).square().mean([0, 2, 3], true).sqrt();
const x: Tensor = padded.sub(mean).div(std);

const results: Record<string, { trainError: number[]; seconds: number }> = {};
for (const name of names) {
  manualSeed(0);
  const model = models.createModel(name, { inChannels: c, numClasses: data.numClasses });
  const opt = new optim.SGD(model.parameters(), { lr, momentum: 0.9, weightDecay: 1e-4 });
  const sched = new optim.CosineAnnealingLR(opt, epochs);
  const loader = new DataLoader(new TensorDataset(x, y), { batchSize, shuffle: true, generator: new Generator(1) });
  const task = new train.ClassificationTask(model, { optimizer: opt, scheduler: sched });
  const t0 = performance.now();
  const history = train.fitTask(task, {
    trainLoader: loader, epochs,
    callbacks: [{ onEpochEnd: (e, logs) => console.log(`${name} epoch ${e}/${epochs}: training error ${(100 * (1 - logs.accuracy)).toFixed(2)}%, loss ${logs.loss.toFixed(4)}, ${logs.time.toFixed(0)} s`) }],
  });
  results[name] = { trainError: history.epochs.map((e) => 100 * (1 - e.accuracy)), seconds: (performance.now() - t0) / 1000 };
}

const series = names.map((name) => ({ name, x: results[name].trainError.map((_, i) => i + 1), y: results[name].trainError }));
await saveLineChart(series, out, { title: `Training error, ${n} ${datasetName} images (plain vs residual)`, xTitle: 'epoch', yTitle: 'training error (%)' });
writeFileSync(`${out}.json`, JSON.stringify({ dataset: datasetName, images: n, epochs, batchSize, lr, results }, null, 2) + '\n');
const last = (m: string) => results[m]?.trainError.at(-1);
console.log(`final training error: ${names.map((m) => `${m} ${last(m)?.toFixed(2)}%`).join(', ')}`);
if (last('plain20') !== undefined && last('plain56') !== undefined && last('resnet20') !== undefined && last('resnet56') !== undefined) {
  console.log(`plain: deeper is ${last('plain56')! > last('plain20')! ? 'worse (degradation)' : 'not worse'}; residual: deeper is ${last('resnet56')! < last('resnet20')! ? 'better' : 'not better'}`);
}
console.log(`wrote ${out}.png, ${out}.svg and ${out}.json`);
