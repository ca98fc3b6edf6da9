/**
 * Claim (chapter 4.4): an extreme learning machine — one hidden layer with random, fixed weights and output weights
 * from one regularized least-squares solve — trains without any iteration, and its accuracy grows with the number
 * of hidden units; back-propagation through the same 784-L-10 ReLU net learns the hidden layer too and needs far
 * fewer units for the same accuracy, at the price of many gradient steps. Both are measured on the same MNIST
 * images (standardized) at each width L; the figures show test accuracy and training time against L.
 * Run: npm run build && node dist/examples/course/elm.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { DataLoader, Generator, TensorDataset, classic, manualSeed, nn, noGrad, optim } from '../../src/index.js';
import { saveLineChart } from '../../src/node/index.js';
import { accuracyOf, imageSubset, trainEpoch } from './data.js';
import { isMain, runStandalone, type Experiment } from './experiment.js';

export const experiment: Experiment = {
  name: 'elm',
  chapter: '4.4 Extreme learning machines',
  claim: 'An extreme learning machine trains in one least-squares solve and gets more accurate as its random hidden layer widens; back-propagation on the same net needs far fewer hidden units for the same accuracy.',
  async run({ quick, outDir }) {
    const n = quick ? 3000 : 10000;
    const widths = quick ? [25, 100, 400] : [25, 50, 100, 200, 400, 800, 1600];
    const bpWidths = quick ? [25, 100] : [25, 100, 400];
    const epochs = quick ? 2 : 3;
    const raw = imageSubset(n);
    const rawTest = imageSubset(quick ? 1000 : 5000, { train: false });
    const mu = raw.x.mean().item();
    const sigma = raw.x.sub(mu).square().mean().sqrt().item();
    const x = raw.x.flatten(1).sub(mu).div(sigma);
    const xTest = rawTest.x.flatten(1).sub(mu).div(sigma);
    const elmAccuracy: number[] = [];
    const elmSeconds: number[] = [];
    for (const L of widths) {
      const t0 = performance.now();
      const elm = new classic.ELMClassifier({ nHidden: L, activation: 'relu', alpha: 1, seed: 0 }).fit(x.double(), raw.y);
      elmSeconds.push((performance.now() - t0) / 1000);
      elmAccuracy.push(elm.score(xTest.double(), rawTest.y));
    }
    const bpAccuracy: number[] = [];
    const bpSeconds: number[] = [];
    for (const L of bpWidths) {
      manualSeed(0);
      const model = new nn.Sequential(new nn.Linear(784, L), new nn.ReLU(), new nn.Linear(L, 10));
      const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
      const loader = new DataLoader(new TensorDataset(x, raw.y), { batchSize: 64, shuffle: true, generator: new Generator(1) });
      const t0 = performance.now();
      for (let e = 0; e < epochs; e++) trainEpoch(model, opt, loader);
      bpSeconds.push((performance.now() - t0) / 1000);
      bpAccuracy.push(accuracyOf(noGrad(() => model.forward(xTest)), rawTest.y));
    }
    await saveLineChart([
      { name: 'ELM (one solve)', x: widths, y: elmAccuracy },
      { name: 'back-prop', x: bpWidths, y: bpAccuracy },
    ], join(outDir, 'elm-accuracy'), { title: `784-L-10 ReLU net on ${n} MNIST images (back-prop: ${epochs} epochs of Adam)`, xTitle: 'hidden units L', yTitle: 'test accuracy', xScale: 'log', points: true, width: 420 });
    await saveLineChart([
      { name: 'ELM (one solve)', x: widths, y: elmSeconds },
      { name: 'back-prop', x: bpWidths, y: bpSeconds },
    ], join(outDir, 'elm-seconds'), { title: 'Training time (this machine, shared)', xTitle: 'hidden units L', yTitle: 'seconds', xScale: 'log', yScale: 'log', points: true, width: 420 });
    // the direction: ELM accuracy grows with L (never dropping by more than a point, ten points from first to
    // last) and at every width both were trained at, back-propagation is the more accurate
    const grows = elmAccuracy.every((a, i) => i === 0 || a >= elmAccuracy[i - 1] - 0.01) && elmAccuracy[elmAccuracy.length - 1] > elmAccuracy[0] + 0.1;
    const bpBetter = bpWidths.every((L, i) => bpAccuracy[i] > elmAccuracy[widths.indexOf(L)]);
    // the smallest ELM width that matches back-prop's accuracy at its smallest width, if any
    const match = widths.find((_, i) => elmAccuracy[i] >= bpAccuracy[0]);
    const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
    return {
      numbers: { images: n, epochs, widths, elmAccuracy, elmSeconds, bpWidths, bpAccuracy, bpSeconds },
      figures: [
        { file: 'elm-accuracy.png', caption: 'Test accuracy against hidden units: the ELM (random hidden layer, output layer by one ridge solve) and back-propagation through the same net.' },
        { file: 'elm-seconds.png', caption: 'Training time against hidden units for the ELM\'s solve and back-propagation.' },
      ],
      holds: grows && bpBetter,
      finding: `ELM test accuracy ${widths.map((L, i) => `${pct(elmAccuracy[i])} (${L})`).join(', ')}, each in one solve of ${elmSeconds[0].toFixed(2)}-${elmSeconds[elmSeconds.length - 1].toFixed(1)} s; ` +
        `back-prop ${bpWidths.map((L, i) => `${pct(bpAccuracy[i])} (${L}, ${bpSeconds[i].toFixed(1)} s)`).join(', ')}; ` +
        (match === undefined ? `no ELM width up to ${widths[widths.length - 1]} reaches back-prop's ${pct(bpAccuracy[0])} with ${bpWidths[0]} units.` : `the ELM needs ${match} units to reach back-prop's ${pct(bpAccuracy[0])} with ${bpWidths[0]}.`),
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment, import.meta.url);
