/**
 * Claim (chapter 4.2): a network with one hidden layer can approximate a continuous function, and it fits better as
 * the layer widens. One-hidden-layer tanh nets of widths 1 to 128 are fitted to f(x) = sin(2x) + 0.5·cos(5x) on
 * [−π, π] (256 evenly spaced training points) with the same full-batch Adam budget; the error is measured on 1001
 * points between them. The figures show the error against the width and the fitted curves.
 * Run: npm run build && node dist/examples/course/universal-approximation.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { F, manualSeed, nn, optim, tensor, type Tensor } from '../../src/index.js';
import { saveLineChart } from '../../src/node/index.js';
import { isMain, runStandalone, type Experiment } from './experiment.js';

const WIDTHS = [1, 2, 4, 8, 32, 128];

function target(x: number): number {
  return Math.sin(2 * x) + 0.5 * Math.cos(5 * x);
}

function grid(n: number): number[] {
  return Array.from({ length: n }, (_, i) => -Math.PI + (2 * Math.PI * i) / (n - 1));
}

function column(values: readonly number[]): Tensor {
  return tensor(values, { shape: [values.length, 1] });
}

export const experiment: Experiment = {
  name: 'universal-approximation',
  chapter: '4.2 Universal approximation',
  claim: 'A network with one hidden layer fits a continuous 1-D function better as the hidden layer widens.',
  async run({ quick, outDir }) {
    const steps = quick ? 1500 : 6000;
    const xTrain = grid(256);
    const xTest = grid(1001);
    const x = column(xTrain);
    const y = column(xTrain.map(target));
    const xt = column(xTest);
    const yt = column(xTest.map(target));
    const mse: number[] = [];
    const fits: Record<string, number[]> = {};
    for (const width of WIDTHS) {
      manualSeed(0);
      const model = new nn.Sequential(new nn.Linear(1, width), new nn.Tanh(), new nn.Linear(width, 1));
      const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
      const sched = new optim.CosineAnnealingLR(opt, steps);
      for (let s = 0; s < steps; s++) {
        const loss = F.mseLoss(model.forward(x), y);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        sched.step();
      }
      const pred = model.forward(xt);
      mse.push(F.mseLoss(pred, yt).item());
      fits[`width ${width}`] = Array.from(pred.toTypedArray());
    }
    await saveLineChart([{ name: 'test MSE', x: WIDTHS, y: mse }], join(outDir, 'universal-approximation-mse'),
      { title: 'One hidden layer: error against width', xTitle: 'hidden units', yTitle: 'test MSE', xScale: 'log', yScale: 'log', points: true });
    await saveLineChart([{ name: 'target f(x)', x: xTest, y: xTest.map(target) }, ...WIDTHS.map((w) => ({ name: `width ${w}`, x: xTest, y: fits[`width ${w}`] }))],
      join(outDir, 'universal-approximation-fits'),
      { title: 'f(x) = sin 2x + 0.5 cos 5x and the fitted nets', xTitle: 'x', yTitle: 'y', width: 560, height: 320 });
    // the direction: the error never grows by more than 10% from one width to the next, and the widest net is at
    // least ten times better than a single unit
    const neverWorse = mse.every((m, i) => i === 0 || m <= 1.1 * mse[i - 1]);
    const last = mse[mse.length - 1];
    return {
      numbers: { widths: WIDTHS, testMse: mse, steps },
      figures: [
        { file: 'universal-approximation-mse.png', caption: 'Test MSE of the fitted one-hidden-layer net against its width (log-log).' },
        { file: 'universal-approximation-fits.png', caption: 'The target function and the curve each width fits.' },
      ],
      holds: neverWorse && last * 10 < mse[0],
      finding: `after ${steps} Adam steps the test MSE falls from ${mse[0].toFixed(3)} (1 unit) through ${WIDTHS.slice(1, -1).map((w, i) => `${mse[i + 1].toPrecision(2)} (${w})`).join(', ')} to ${last.toPrecision(2)} (${WIDTHS[WIDTHS.length - 1]} units).`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment);
