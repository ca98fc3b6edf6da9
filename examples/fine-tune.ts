/**
 * Fine-tuning against training from scratch on a small labelled set (chapter 3.7). The target: LeNet-5 on 1,000
 * labelled Fashion-MNIST images (a seeded sample of the training split), tested on all 10,000 test images. Two
 * pretrained starting points:
 * - `mnist`: LeNet-5 trained on the 60,000 MNIST digits (another data set, another task);
 * - `rotation`: LeNet-5 trained to tell by how much (0, 90, 180 or 270 degrees) the other 59,000 Fashion-MNIST
 *   training images were turned — their class labels are never read (self-supervised, Gidaris et al. 2018).
 * From each, the head is replaced and the net trained on the 1,000 images with the conv features frozen, and with
 * everything fine-tuned at a 10x lower lr for the features — the same recipe, seed and batches as from scratch.
 * Prints each run's test accuracy per epoch and writes the curves in one chart.
 * Run: npm run build && node dist/examples/fine-tune.js [--sources mnist,rotation] [--pretrain-epochs 1]
 * [--epochs 15] [--subset 1000] [--batch-size 32] [--lr 0.001] [--seed 0] [--out runs/examples]
 * @module
 */
import { join } from 'node:path';
import { randomPermutation } from '../src/data/sampler.js';
import { F, Generator, cat, manualSeed, models, nn, noGrad, optim, rot90, tensor, type Tensor } from '../src/index.js';
import { fashionMnist, mnist, saveLineChart, type ImageDataset } from '../src/node/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  sources: { type: 'string', default: 'mnist,rotation' }, 'pretrain-epochs': { type: 'string', default: '1' },
  epochs: { type: 'string', default: '15' }, subset: { type: 'string', default: '1000' },
  'batch-size': { type: 'string', default: '32' }, lr: { type: 'string', default: '0.001' },
  seed: { type: 'string', default: '0' }, out: { type: 'string', default: join('runs', 'examples') },
});
const sources = a.sources.split(',');
const pretrainEpochs = Number(a['pretrain-epochs']);
const epochs = Number(a.epochs);
const subset = Number(a.subset);
const batchSize = Number(a['batch-size']);
const lr = Number(a.lr);
const seed = Number(a.seed);
const outDir = a.out;
for (const s of sources) if (s !== 'mnist' && s !== 'rotation') throw new Error(`--sources: unknown source '${s}', expected mnist and/or rotation`);
const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;
const tAll = performance.now();

type Model = ReturnType<typeof models.createModel>;
interface Data { x: Tensor; y: Tensor }

/** Each data set's own training-split statistics, as the CLI normalizes with. */
const MNIST_NORM = { mean: 0.1307, std: 0.3081 };
const FASHION_NORM = { mean: 0.286, std: 0.353 };

/** A data set (or the items `indices` picks) as normalized tensors in memory. */
function load(ds: ImageDataset, norm: { mean: number; std: number }, indices?: number[]): Data {
  const [x, y] = ds.batch(indices ?? Array.from({ length: ds.length }, (_, i) => i));
  return { x: x.sub(norm.mean).div(norm.std), y };
}

/** One epoch of minibatch steps over `data` in an order drawn from `order`. */
function trainEpoch(model: Model, opt: optim.Optimizer, data: Data, order: Generator): void {
  model.train();
  const n = data.x.shape[0];
  const perm = randomPermutation(n, order);
  for (let at = 0; at < n; at += batchSize) {
    const idx = tensor(Int32Array.from(perm.slice(at, at + batchSize)));
    const loss = F.crossEntropy(model.forward(data.x.indexSelect(0, idx)), data.y.indexSelect(0, idx));
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
}

/** Accuracy of `model` on `data`, in batches of 1,000. */
function accuracy(model: Model, data: Data): number {
  model.eval();
  return noGrad(() => {
    const n = data.x.shape[0];
    let correct = 0;
    for (let at = 0; at < n; at += 1000) {
      const k = Math.min(1000, n - at);
      correct += model.forward(data.x.narrow(0, at, k)).argmax(1).eq(data.y.narrow(0, at, k)).sum().item();
    }
    return correct / n;
  });
}

/** Each image turned by a random multiple of 90 degrees, labelled with the number of quarter turns (0-3). */
function rotations(x: Tensor, g: Generator): Data {
  const turns = Array.from({ length: x.shape[0] }, () => g.randint(0, 4));
  const parts: Tensor[] = [];
  const labels: number[] = [];
  for (let k = 0; k < 4; k++) {
    const idx = turns.flatMap((t, i) => (t === k ? [i] : []));
    parts.push(rot90(x.indexSelect(0, tensor(Int32Array.from(idx))), k, [2, 3]));
    labels.push(...idx.map(() => k));
  }
  return { x: cat(parts, 0), y: tensor(Int32Array.from(labels)) };
}

/** Trains a fresh LeNet-5 with `classes` outputs on `train` for --pretrain-epochs; returns its weights. */
function pretrain(what: string, classes: number, train: Data, test: Data): nn.StateDict {
  const t = performance.now();
  manualSeed(seed);
  const model = models.createModel('lenet5', { numClasses: classes });
  const opt = optim.createOptimizer('adam', model.parameters(), { lr });
  const order = new Generator(seed + 1);
  for (let e = 1; e <= pretrainEpochs; e++) trainEpoch(model, opt, train, order);
  console.log(`pretrained on ${what}: ${pretrainEpochs} epoch(s) over ${train.x.shape[0]} images, held-out accuracy ${(100 * accuracy(model, test)).toFixed(2)}% (${seconds(t)})`);
  return model.stateDict();
}

// the target: a seeded sample of Fashion-MNIST's training split with its labels, and the whole test split
const fashionTrainSet = fashionMnist({ train: true });
const order = randomPermutation(fashionTrainSet.length, new Generator(seed + 2));
const fashionTrain = load(fashionTrainSet, FASHION_NORM, order.slice(0, subset));
const fashionTest = load(fashionMnist({ train: false }), FASHION_NORM);

const weights: Record<string, nn.StateDict> = {};
if (sources.includes('mnist')) {
  weights.mnist = pretrain('MNIST digits', 10, load(mnist({ train: true }), MNIST_NORM), load(mnist({ train: false }), MNIST_NORM));
}
if (sources.includes('rotation')) {
  // the images outside the labelled subset, without their labels; the test images' rotations are held out
  const rest = load(fashionTrainSet, FASHION_NORM, order.slice(subset)).x;
  const g = new Generator(seed + 5);
  weights.rotation = pretrain('Fashion-MNIST rotations (labels unused)', 4, rotations(rest, g), rotations(fashionTest.x.narrow(0, 0, 2000), g));
}

/** LeNet-5's conv feature extractor: Sequential positions 0 and 3 (the fc layers are 7 and 9, the head 11). */
const FEATURES = ['0', '3'];

/**
 * LeNet-5 for the 10 Fashion-MNIST classes with every pretrained tensor that fits loaded (the rotation net's
 * 4-class head does not, and is reported) and a freshly initialized head (a digit or rotation classifier's last
 * layer is of no use for clothes).
 */
function fromPretrained(source: string): { model: Model; note: string } {
  const model = models.createModel('lenet5', { numClasses: 10 });
  const r = nn.loadMatching(model, weights[source]);
  const head = models.replaceHead(model, 10);
  const skipped = r.misShaped.map((m) => `${m.key} [${m.got}]`);
  return { model, note: `${r.loaded.length} tensors loaded${skipped.length ? ` (skipped ${skipped.join(', ')})` : ''}, head ${head} replaced` };
}

interface Run {
  name: string;
  /** Its legend entry (the chart cuts labels beyond about 15 characters). */
  label: string;
  /** Builds the model (after the shared seed is set) and its optimizer. */
  setup: () => { model: Model; opt: optim.Optimizer; note: string };
}

const runs: Run[] = [{
  name: 'scratch',
  label: 'scratch',
  setup: () => {
    const model = models.createModel('lenet5', { numClasses: 10 });
    return { model, opt: optim.createOptimizer('adam', model.parameters(), { lr }), note: `all layers at lr ${lr}` };
  },
}];
for (const source of Object.keys(weights)) {
  runs.push({
    name: `${source}, features frozen`,
    label: `${source === 'mnist' ? 'MNIST' : 'rotate'} frozen`,
    setup: () => {
      const { model, note } = fromPretrained(source);
      const frozen = nn.freeze(model, FEATURES);
      const trainable = model.parameters().filter((p) => p.requiresGrad);
      return { model, opt: optim.createOptimizer('adam', trainable, { lr }), note: `${note}, ${frozen.length} conv tensors frozen, fc layers at lr ${lr}` };
    },
  }, {
    name: `${source}, all fine-tuned`,
    label: `${source === 'mnist' ? 'MNIST' : 'rotate'} tuned`,
    setup: () => {
      const { model, note } = fromPretrained(source);
      const groups = nn.paramGroupsByPrefix(model, Object.fromEntries(FEATURES.map((p) => [p, lr / 10])), { lr });
      return { model, opt: optim.createOptimizer('adam', groups, { lr }), note: `${note}, conv features at lr ${lr / 10}, the rest at lr ${lr}` };
    },
  });
}

const curves: Record<string, number[]> = {};
for (const run of runs) {
  const t = performance.now();
  manualSeed(seed + 3); // the same initialization draws (scratch's body, every run's head) and ...
  const { model, opt, note } = run.setup();
  const batches = new Generator(seed + 4); // ... the same batches in every run
  curves[run.name] = [];
  for (let e = 1; e <= epochs; e++) {
    trainEpoch(model, opt, fashionTrain, batches);
    curves[run.name].push(accuracy(model, fashionTest));
  }
  console.log(`(${String.fromCharCode(97 + runs.indexOf(run))}) ${run.name}: ${note} (${seconds(t)})`);
}

const names = runs.map((r) => r.name);
const pct = (a: number) => (100 * a).toFixed(2).padStart(8);
console.log(`\nFashion-MNIST test accuracy (%, 10,000 images) per epoch, LeNet-5 trained on ${subset} labelled images, Adam, batch ${batchSize}:`);
console.log(['epoch'.padStart(5), ...names.map((_, i) => `(${String.fromCharCode(97 + i)})`.padStart(8))].join(' '));
for (let e = 0; e < epochs; e++) console.log([String(e + 1).padStart(5), ...names.map((n) => pct(curves[n][e]))].join(' '));
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
console.log(['last 5'.padStart(5), ...names.map((n) => pct(mean(curves[n].slice(-5))))].join(' '));

const png = await saveLineChart(
  runs.map(({ name, label }) => ({ name: label, x: curves[name].map((_, e) => e + 1), y: curves[name].map((a) => 100 * a) })),
  join(outDir, 'fine-tune-fashion'),
  { title: `LeNet-5 on ${subset} labelled Fashion-MNIST images: scratch vs pretrained`, xTitle: 'epoch', yTitle: 'test accuracy (%)', width: 480, height: 300 },
);
console.log(`\nsaved ${png.png} (total ${seconds(tAll)})`);
