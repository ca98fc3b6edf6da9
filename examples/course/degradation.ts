/**
 * The degradation problem (He et al. 2016, section 4.2; the course's chapter 7.1.4): plain nets of 20 and 56 layers
 * and their residual twins, trained with one recipe on the same images. A deeper plain net ends with the HIGHER
 * training error; a deeper ResNet with the LOWER. Fashion-MNIST (padded to the CIFAR nets' 32x32) stands in for
 * CIFAR-10 so that it runs on a fresh machine; `--dataset cifar10 --data-dir DIR` uses CIFAR-10 when present.
 *
 * Run: npm run build && node dist/examples/course/degradation.js [--images 10000] [--epochs 10] [--batch-size 64]
 *      [--lr 0.02] [--init he|default] [--augment flip-crop|none] [--models plain20,plain56,resnet20,resnet56]
 *      [--out docs/pictures/degradation] [--threads N] [--from a.json,b.json]
 * `--init he` builds the nets with the paper's initialization (the zoo's option `init: 'he'`); `--augment flip-crop`
 * mirrors each training image left-right with p = 0.5 and crops a random 32x32 window of it zero-padded by 4 (the
 * paper's CIFAR augmentation; the zeros are the subset's mean, as it is applied after standardizing), drawn by
 * Generator(2).
 * Writes <out>.png/.svg (training error per epoch, one line per model) and <out>.json (the numbers; rewritten after
 * each model, so a stopped run keeps the models it finished). `--from a.json,b.json` trains nothing: it merges the
 * results of runs made with one recipe (e.g. the models split between two processes, one per core) and draws them.
 *
 * The recipe (the defaults), and how it was chosen — in PyTorch first (bench/torch_degradation.py, one thread),
 * then run once in shendu. The first recipe (4,000 images, 6 epochs, lr 0.05, PyTorch's default init, no
 * augmentation; bench/torch_degradation.json) showed the plain half only: ResNet-56 trailed ResNet-20 in both
 * frameworks (shendu 18.05 % vs 13.40 % at the end), and on 4,000 images longer runs just memorize (session 14's
 * pilots: 0.32 % vs 4.23 % with default init, 0.00 % vs 0.08 % with He init after 20 epochs). So, as in the paper:
 * He initialization and flip-crop augmentation (which keeps the nets from memorizing), on 10,000 images for 10
 * epochs. PyTorch pilots of ResNet-20/56 with that, final training error (bench/results/degradation-*-torch.json):
 * lr 0.1, batch 128 (the paper's): 10.64 % vs 16.44 % (ResNet-56's first epoch at 86 % error); lr 0.05, batch 64:
 * 9.87 % vs 11.27 %; lr 0.02, batch 64: 10.72 % vs **9.44 %** — the only one of the three where the deeper ResNet
 * ends lower, so lr 0.02 it is (a short schedule favours the shallower net unless the deeper one starts gently; the
 * paper's 64k iterations are out of reach here). PyTorch's plain-20 with it: 11.86 % (its plain-56 was stopped after
 * one epoch, 74.6 %, to leave the cores to shendu).
 * shendu's run of that recipe (two processes, one per core, merged with --from; 2026-12-04; the 56-layer nets took
 * 390-740 s an epoch on the shared machine): final training error plain-20 11.63 %, plain-56
 * 22.10 % (degradation: the deeper plain net far worse at every epoch), ResNet-20 11.02 %, ResNet-56 **9.24 %** (the
 * deeper ResNet lower, from epoch 3 on: 20.25 vs 20.41, 15.38 vs 16.77 at epoch 5, 10.57 vs 12.12 at epoch 8) —
 * both halves of the paper's figure; PyTorch's ResNets 10.72 % and 9.44 %, plain-20 11.86 %. Figure
 * docs/pictures/degradation.png, numbers docs/pictures/degradation.json, logs and the two processes' JSON in
 * bench/results/degradation-shendu-{A,B}.*
 * @module
 */
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DataLoader, Generator, TensorDataset, manualSeed, models, optim, setNumThreads, transforms, train, type Dataset, type Tensor } from '../../src/index.js';
import { NodeFileStore, loadDataset, saveLineChart } from '../../src/node/index.js';
import { scriptArgs } from '../../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  images: { type: 'string', default: '10000' }, epochs: { type: 'string', default: '10' },
  'batch-size': { type: 'string', default: '64' }, lr: { type: 'string', default: '0.02' },
  models: { type: 'string', default: 'plain20,plain56,resnet20,resnet56' },
  out: { type: 'string', default: 'docs/pictures/degradation' }, dataset: { type: 'string', default: 'fashion-mnist' },
  'data-dir': { type: 'string' }, init: { type: 'string', default: 'he' }, augment: { type: 'string', default: 'flip-crop' },
  from: { type: 'string' }, threads: { type: 'string' },
});
if (a.threads) setNumThreads(Number(a.threads));
const images = Number(a.images);
const epochs = Number(a.epochs);
const batchSize = Number(a['batch-size']);
const lr = Number(a.lr);
const names = a.models.split(',');
const out = a.out;
const datasetName = a.dataset;
if (a.init !== 'default' && a.init !== 'he') throw new Error(`--init must be default or he, got ${a.init}`);
const init: 'default' | 'he' = a.init;
const augment = a.augment;
if (augment !== 'none' && augment !== 'flip-crop') throw new Error(`--augment must be none or flip-crop, got ${augment}`);

/** The training images as the nets see them: flipped and cropped afresh at every visit with --augment flip-crop. */
function augmented(set: TensorDataset): Dataset<Tensor[]> {
  if (augment === 'none') return set;
  const g = new Generator(2);
  const move = transforms.compose(transforms.randomHorizontalFlip({ generator: g }), transforms.randomCrop(32, { padding: 4, generator: g }));
  return { length: set.length, get: (i) => { const [image, label] = set.get(i); return [move(image), label]; } };
}

type Results = Record<string, { trainError: number[]; seconds: number }>;
/** What one run of this script records: the recipe and each model's curve. */
interface Run { dataset: string; images: number; epochs: number; batchSize: number; lr: number; init: string; augment: string; results: Results }

/** Writes <out>.json atomically (the file store's temporary file + rename). */
function save(run: Run): void {
  new NodeFileStore(dirname(out)).write(`${basename(out)}.json`, new TextEncoder().encode(JSON.stringify(run, null, 2) + '\n'));
}

/** Trains each of `names` on the first `images` training images; returns the run. */
function trainAll(): Run {
  const data = loadDataset(datasetName, { dataDir: a['data-dir'] });
  const n = Math.min(images, data.train.length);
  const [x0, y] = data.train.batch(Array.from({ length: n }, (_, i) => i));
  const [c, h] = data.train.inputShape;
  // pad to 32x32 (Fashion-MNIST's 28 + 2 each side), then standardize with the subset's own statistics
  const padded = h < 32 ? transforms.pad((32 - h) / 2)(x0) : x0;
  const mean = padded.mean([0, 2, 3], true);
  const std = padded.sub(mean).square().mean([0, 2, 3], true).sqrt();
  const x: Tensor = padded.sub(mean).div(std);
  const run: Run = { dataset: datasetName, images: n, epochs, batchSize, lr, init, augment, results: {} };
  for (const name of names) {
    manualSeed(0);
    const model = models.createModel(name, { inChannels: c, numClasses: data.numClasses, init });
    const opt = new optim.SGD(model.parameters(), { lr, momentum: 0.9, weightDecay: 1e-4 });
    const sched = new optim.CosineAnnealingLR(opt, epochs);
    const loader = new DataLoader(augmented(new TensorDataset(x, y)), { batchSize, shuffle: true, generator: new Generator(1) });
    const task = new train.ClassificationTask(model, { optimizer: opt, scheduler: sched });
    const t0 = performance.now();
    const history = train.fitTask(task, {
      trainLoader: loader, epochs,
      callbacks: [{ onEpochEnd: (e, logs) => console.log(`${name} epoch ${e}/${epochs}: training error ${(100 * (1 - logs.accuracy)).toFixed(2)}%, loss ${logs.loss.toFixed(4)}, ${logs.time.toFixed(0)} s`) }],
    });
    run.results[name] = { trainError: history.epochs.map((e) => 100 * (1 - e.accuracy)), seconds: (performance.now() - t0) / 1000 };
    save(run);
  }
  return run;
}

/** The runs in the --from files, which must share one recipe, as one run. */
function merged(files: string[]): Run {
  const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Run);
  const recipe = (r: Run) => JSON.stringify([r.dataset, r.images, r.epochs, r.batchSize, r.lr, r.init, r.augment]);
  runs.forEach((r, i) => {
    if (recipe(r) !== recipe(runs[0])) throw new Error(`--from: ${files[i]} was trained with [dataset, images, epochs, batch, lr, init, augment] = ${recipe(r)}, ${files[0]} with ${recipe(runs[0])}`);
  });
  return { ...runs[0], results: Object.assign({}, ...runs.map((r) => r.results)) as Results };
}

const run = a.from ? merged(a.from.split(',')) : trainAll();
const results = run.results;
// in the order of --models (default plain20, plain56, resnet20, resnet56), then any others the runs hold
const shown = [...names.filter((m) => m in results), ...Object.keys(results).filter((m) => !names.includes(m))];
const series = shown.map((name) => ({ name, x: results[name].trainError.map((_, i) => i + 1), y: results[name].trainError }));
const recipeNote = `${run.init === 'he' ? 'He init' : 'default init'}${run.augment === 'none' ? '' : `, ${run.augment}`}, lr ${run.lr}, batch ${run.batchSize}`;
await saveLineChart(series, out, { title: `Training error, ${run.images} ${run.dataset} images (${recipeNote})`, xTitle: 'epoch', yTitle: 'training error (%)' });
if (a.from) save(run);
const last = (m: string) => results[m]?.trainError.at(-1);
console.log(`final training error: ${shown.map((m) => `${m} ${last(m)?.toFixed(2)}%`).join(', ')}`);
if (last('plain20') !== undefined && last('plain56') !== undefined && last('resnet20') !== undefined && last('resnet56') !== undefined) {
  console.log(`plain: deeper is ${last('plain56')! > last('plain20')! ? 'worse (degradation)' : 'not worse'}; residual: deeper is ${last('resnet56')! < last('resnet20')! ? 'better' : 'not better'}`);
}
console.log(`wrote ${out}.png, ${out}.svg and ${out}.json`);
