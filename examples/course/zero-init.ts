/**
 * Claim (chapter 3.3): with every weight initialized to zero, the hidden units of a layer receive identical
 * gradients and stay identical for ever; random initialization breaks the symmetry. A 784-32-10 sigmoid MLP is
 * trained on MNIST twice, all-zero and default (Kaiming-uniform) initialized; after every epoch we record the mean
 * pairwise Euclidean distance between the hidden units' incoming weight vectors, and the test accuracy.
 * Run: npm run build && node dist/examples/course/zero-init.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { DataLoader, Generator, TensorDataset, manualSeed, nn, optim, type Tensor } from '../../src/index.js';
import { saveLineChart } from '../../src/node/index.js';
import { accuracyOf, imageSubset, trainEpoch } from './data.js';
import { isMain, runStandalone, type Experiment } from './experiment.js';

/** Mean distance between all pairs of rows of w [units, inputs]. */
function meanPairwiseDistance(w: Tensor): number {
  const v = w.toTypedArray();
  const [units, d] = w.shape;
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < units; i++) {
    for (let j = i + 1; j < units; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (v[i * d + k] - v[j * d + k]) ** 2;
      sum += Math.sqrt(s);
      pairs++;
    }
  }
  return sum / pairs;
}

export const experiment: Experiment = {
  name: 'zero-init',
  chapter: '3.3 Parameter initialization',
  claim: 'Zero initialization keeps the hidden units of a layer identical for ever; random initialization breaks the symmetry.',
  async run({ quick, outDir }) {
    const train = imageSubset(quick ? 2000 : 20000);
    const test = imageSubset(quick ? 1000 : 10000, { train: false });
    const epochs = quick ? 3 : 10;
    const runs: Record<string, { distance: number[]; accuracy: number[] }> = {};
    for (const init of ['zero', 'random'] as const) {
      manualSeed(0);
      const hidden = new nn.Linear(784, 32);
      const out = new nn.Linear(32, 10);
      if (init === 'zero') for (const p of [hidden.weight, hidden.bias!, out.weight, out.bias!]) nn.init.zeros_(p);
      const model = new nn.Sequential(new nn.Flatten(), hidden, new nn.Sigmoid(), out);
      const opt = new optim.SGD(model.parameters(), { lr: 0.5 });
      const loader = new DataLoader(new TensorDataset(train.x, train.y), { batchSize: 64, shuffle: true, generator: new Generator(1) });
      const rec = { distance: [meanPairwiseDistance(hidden.weight)], accuracy: [accuracyOf(model.forward(test.x), test.y)] };
      for (let e = 0; e < epochs; e++) {
        trainEpoch(model, opt, loader);
        rec.distance.push(meanPairwiseDistance(hidden.weight));
        rec.accuracy.push(accuracyOf(model.forward(test.x), test.y));
      }
      runs[init] = rec;
    }
    const ep = Array.from({ length: epochs + 1 }, (_, i) => i);
    await saveLineChart([
      { name: 'zero init', x: ep, y: runs.zero.distance },
      { name: 'random init', x: ep, y: runs.random.distance },
    ], join(outDir, 'zero-init-distance'), { title: 'Mean distance between hidden units\' weight vectors', xTitle: 'epoch', yTitle: 'mean pairwise distance' });
    await saveLineChart([
      { name: 'zero init', x: ep, y: runs.zero.accuracy.map((a) => 100 * a) },
      { name: 'random init', x: ep, y: runs.random.accuracy.map((a) => 100 * a) },
    ], join(outDir, 'zero-init-accuracy'), { title: 'Test accuracy', xTitle: 'epoch', yTitle: 'accuracy (%)' });
    const zMax = Math.max(...runs.zero.distance);
    const rLast = runs.random.distance[epochs];
    return {
      numbers: { zeroDistance: runs.zero.distance, randomDistance: runs.random.distance, zeroAccuracy: runs.zero.accuracy, randomAccuracy: runs.random.accuracy, epochs },
      figures: [
        { file: 'zero-init-distance.png', caption: 'Mean pairwise distance between the 32 hidden units\' incoming weights per epoch.' },
        { file: 'zero-init-accuracy.png', caption: 'Test accuracy per epoch: 32 identical units act as one.' },
      ],
      holds: zMax === 0 && rLast > 0 && runs.random.accuracy[epochs] > runs.zero.accuracy[epochs],
      finding: `zero init: the largest distance between two hidden units over ${epochs} epochs is ${zMax} (all 32 units identical), test accuracy ${(100 * runs.zero.accuracy[epochs]).toFixed(1)}%; random init: distance ${rLast.toFixed(3)}, accuracy ${(100 * runs.random.accuracy[epochs]).toFixed(1)}%.`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment, import.meta.url);
