/**
 * Claim (chapter 3.1): inputs normalized to zero mean and unit variance converge faster than raw ones at the same
 * learning rate. Logistic regression (784 → 10 softmax) is trained on MNIST by mini-batch SGD with one learning
 * rate on three versions of the same images: raw pixels (0-255), pixels scaled to [0, 1], and standardized pixels
 * ((x − mean) / std of the training subset). The figure shows the training loss per batch (moving average).
 * Run: npm run build && node dist/examples/course/normalization.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { DataLoader, Generator, TensorDataset, manualSeed, nn, optim, type Tensor } from '../../src/index.js';
import { saveLineChart } from '../../src/node/index.js';
import { accuracyOf, imageSubset, trainEpoch } from './data.js';
import { isMain, mean, runStandalone, type Experiment } from './experiment.js';

const LR = 0.01;
/** The smoothed loss a run must get below to count as converged: well under chance level (ln 10 ≈ 2.30). */
const TARGET = 1;
/** Batches in the moving average of the loss curve. */
const WINDOW = 10;

function movingAverage(xs: readonly number[], w: number): number[] {
  return xs.map((_, i) => mean(xs.slice(Math.max(0, i - w + 1), i + 1)));
}

export const experiment: Experiment = {
  name: 'normalization',
  chapter: '3.1 Data preprocessing',
  claim: 'Normalized inputs (zero mean, unit variance) converge faster than raw ones at the same learning rate.',
  async run({ quick, outDir }) {
    const n = quick ? 2000 : 20000;
    const epochs = quick ? 2 : 3;
    const train = imageSubset(n);
    const test = imageSubset(quick ? 1000 : 10000, { train: false });
    const mu = train.x.mean().item();
    const sigma = train.x.sub(mu).square().mean().sqrt().item();
    const variants: Record<string, (x: Tensor) => Tensor> = {
      'raw (0-255)': (x) => x.mul(255),
      'scaled to [0, 1]': (x) => x,
      standardized: (x) => x.sub(mu).div(sigma),
    };
    const curves: Record<string, number[]> = {};
    const finalLoss: Record<string, number> = {};
    const testAccuracy: Record<string, number> = {};
    const stepsToTarget: Record<string, number> = {};
    for (const [name, prep] of Object.entries(variants)) {
      manualSeed(0);
      const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 10));
      const opt = new optim.SGD(model.parameters(), { lr: LR });
      const loader = new DataLoader(new TensorDataset(prep(train.x), train.y), { batchSize: 64, shuffle: true, generator: new Generator(1) });
      const losses: number[] = [];
      for (let e = 0; e < epochs; e++) losses.push(...trainEpoch(model, opt, loader));
      const smooth = movingAverage(losses, WINDOW);
      curves[name] = smooth;
      finalLoss[name] = smooth[smooth.length - 1];
      testAccuracy[name] = accuracyOf(model.forward(prep(test.x)), test.y);
      const hit = smooth.findIndex((l) => l < TARGET);
      if (hit >= 0) stepsToTarget[name] = hit + 1;
    }
    const names = Object.keys(variants);
    const steps = curves[names[0]].length;
    await saveLineChart(names.map((name) => ({ name, x: curves[name].map((_, i) => i + 1), y: curves[name] })),
      join(outDir, 'normalization-loss'),
      { title: `Logistic regression on MNIST, SGD lr ${LR}: training loss`, xTitle: 'batch', yTitle: `loss (mean of last ${WINDOW} batches)`, yScale: 'log' });
    const raw = 'raw (0-255)';
    const std = 'standardized';
    const reach = (k: string) => (stepsToTarget[k] === undefined ? `never got below ${TARGET}` : `got below ${TARGET} after ${stepsToTarget[k]} batches`);
    return {
      numbers: { lr: LR, images: n, epochs, batches: steps, targetLoss: TARGET, finalLoss, testAccuracy, stepsToTarget },
      figures: [{ file: 'normalization-loss.png', caption: `Training loss per batch (moving average of ${WINDOW}) of the same logistic regression at the same lr on raw, [0, 1] and standardized pixels.` }],
      holds: stepsToTarget[std] !== undefined && (stepsToTarget[raw] === undefined || stepsToTarget[std] < stepsToTarget[raw]) && finalLoss[std] < finalLoss[raw],
      finding: `at lr ${LR}, standardized inputs ${reach(std)} and end at loss ${finalLoss[std].toFixed(3)} (test accuracy ${(100 * testAccuracy[std]).toFixed(1)}%); ` +
        `[0, 1] inputs ${reach('scaled to [0, 1]')}, end at ${finalLoss['scaled to [0, 1]'].toFixed(3)}; raw 0-255 pixels ${reach(raw)}, end at ${finalLoss[raw].toFixed(3)} (${(100 * testAccuracy[raw]).toFixed(1)}%).`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment, import.meta.url);
