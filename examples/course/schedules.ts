/**
 * Claim (chapter 3.6): the learning rate is better changed during training than held fixed; the course's
 * schedules are inverse-time decay, exponential decay, natural-exponential decay, step decay, cosine annealing and
 * cyclical learning rates. The same 784-64-10 ReLU MLP is trained on an MNIST subset by SGD with each schedule
 * (stepped once per batch, starting at lr 0.1; cyclic between 0.01 and 0.2, so its mean is about 0.1) and with a
 * constant lr for comparison. The library's InverseTimeDecay and NaturalExpDecay (TensorFlow's schedules; PyTorch
 * has neither) sit beside PyTorch's ExponentialLR, StepLR, CosineAnnealingLR and CyclicLR. We check that each lr
 * curve is the schedule's formula and report each run's final training loss and test accuracy.
 * Run: npm run build && node dist/examples/course/schedules.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { DataLoader, F, Generator, TensorDataset, manualSeed, nn, optim, type Tensor } from '../../src/index.js';
import { saveLineChart } from '../../src/node/index.js';
import { accuracyOf, imageSubset } from './data.js';
import { isMain, mean, runStandalone, type Experiment } from './experiment.js';

const LR0 = 0.1;

/** A schedule: how to attach it to an optimizer, and the lr its formula gives at batch t of T. */
interface Schedule {
  make(opt: optim.SGD, T: number): optim.LRScheduler | null;
  formula(t: number, T: number): number;
}

const stepSize = (T: number) => Math.ceil(T / 3);
const halfCycle = (T: number) => Math.max(1, Math.round(T / 8));

const SCHEDULES: Record<string, Schedule> = {
  constant: { make: () => null, formula: () => LR0 },
  'inverse-time': {
    make: (opt, T) => new optim.InverseTimeDecay(opt, { decaySteps: T / 10, decayRate: 1 }),
    formula: (t, T) => LR0 / (1 + t / (T / 10)),
  },
  exponential: {
    make: (opt, T) => new optim.ExponentialLR(opt, 0.1 ** (1 / T)),
    formula: (t, T) => LR0 * 0.1 ** (t / T),
  },
  'natural-exponential': {
    make: (opt, T) => new optim.NaturalExpDecay(opt, { decaySteps: T, decayRate: 3 }),
    formula: (t, T) => LR0 * Math.exp((-3 * t) / T),
  },
  step: {
    make: (opt, T) => new optim.StepLR(opt, stepSize(T), { gamma: 0.1 }),
    formula: (t, T) => LR0 * 0.1 ** Math.floor(t / stepSize(T)),
  },
  cosine: {
    make: (opt, T) => new optim.CosineAnnealingLR(opt, T),
    formula: (t, T) => (LR0 * (1 + Math.cos((Math.PI * t) / T))) / 2,
  },
  cyclic: {
    make: (opt, T) => new optim.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.2, stepSizeUp: halfCycle(T), cycleMomentum: false }),
    formula: (t, T) => {
      const s = halfCycle(T);
      const cycle = Math.floor(1 + t / (2 * s));
      const x = Math.abs(t / s - 2 * cycle + 1);
      return 0.01 + (0.2 - 0.01) * Math.max(0, 1 - x);
    },
  },
};

export const experiment: Experiment = {
  name: 'schedules',
  chapter: '3.6 Learning-rate schedules',
  claim: 'Learning-rate schedules (inverse-time, exponential, natural-exponential, step, cosine, cyclic) change the lr during training, and that changes the final loss.',
  async run({ quick, outDir }) {
    const n = quick ? 1500 : 12000;
    const epochs = quick ? 3 : 8;
    const train = imageSubset(n);
    const test = imageSubset(quick ? 1000 : 10000, { train: false });
    const batchSize = 64;
    const T = epochs * Math.ceil(n / batchSize);
    const lrCurves: Record<string, number[]> = {};
    const lossCurves: Record<string, number[]> = {};
    const finalLoss: Record<string, number> = {};
    const testAccuracy: Record<string, number> = {};
    const maxFormulaError: Record<string, number> = {};
    for (const [name, schedule] of Object.entries(SCHEDULES)) {
      manualSeed(0);
      const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 64), new nn.ReLU(), new nn.Linear(64, 10));
      const opt = new optim.SGD(model.parameters(), { lr: LR0 });
      const sched = schedule.make(opt, T);
      const loader = new DataLoader(new TensorDataset(train.x, train.y), { batchSize, shuffle: true, generator: new Generator(1) });
      const lrs: number[] = [];
      const losses: number[] = [];
      for (let e = 0; e < epochs; e++) {
        for (const batch of loader) {
          const [x, y] = batch as [Tensor, Tensor];
          lrs.push(opt.paramGroups[0].lr);
          const loss = F.crossEntropy(model.forward(x), y);
          opt.zeroGrad();
          loss.backward();
          opt.step();
          sched?.step();
          losses.push(loss.item());
        }
      }
      lrCurves[name] = lrs;
      lossCurves[name] = losses.map((_, i) => mean(losses.slice(Math.max(0, i - 19), i + 1)));
      maxFormulaError[name] = Math.max(...lrs.map((lr, t) => Math.abs(lr - schedule.formula(t, T))));
      finalLoss[name] = F.crossEntropy(model.forward(train.x), train.y).item();
      testAccuracy[name] = accuracyOf(model.forward(test.x), test.y);
    }
    const names = Object.keys(SCHEDULES);
    const steps = lrCurves.constant.map((_, i) => i);
    await saveLineChart(names.map((name) => ({ name, x: steps, y: lrCurves[name] })), join(outDir, 'schedules-lr'),
      { title: `Learning rate per batch (${T} batches)`, xTitle: 'batch', yTitle: 'learning rate', width: 520, height: 300 });
    await saveLineChart(names.map((name) => ({ name, x: steps, y: lossCurves[name] })), join(outDir, 'schedules-loss'),
      { title: 'Training loss per batch (mean of the last 20)', xTitle: 'batch', yTitle: 'loss', yScale: 'log', width: 520, height: 300 });
    const shapesHold = names.every((k) => maxFormulaError[k] <= 1e-6 * LR0);
    const sorted = [...names].sort((a, b) => finalLoss[a] - finalLoss[b]);
    const decaying = names.filter((k) => k !== 'constant' && k !== 'cyclic');
    const beatConstant = decaying.filter((k) => finalLoss[k] < finalLoss.constant);
    return {
      numbers: { lr0: LR0, images: n, epochs, batches: T, finalLoss, testAccuracy, maxFormulaError, decayingBelowConstant: beatConstant.length },
      figures: [
        { file: 'schedules-lr.png', caption: 'The learning rate each schedule gives at every batch.' },
        { file: 'schedules-loss.png', caption: 'Training loss per batch under each schedule (moving average of 20 batches).' },
      ],
      holds: shapesHold && names.every((k) => Number.isFinite(finalLoss[k])),
      finding: `every lr curve follows its formula (largest deviation ${Math.max(...Object.values(maxFormulaError)).toExponential(1)}); final training loss after ${T} batches, lowest first: ` +
        `${sorted.map((k) => `${k} ${finalLoss[k].toFixed(3)}`).join(', ')}; ${beatConstant.length} of ${decaying.length} decaying schedules end below the constant lr.`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment, import.meta.url);
