/**
 * Claim (chapter 4.2): a network with one hidden layer can approximate a continuous function, and it fits better as
 * the layer widens. One-hidden-layer tanh nets of widths 1 to 128 are fitted to f(x) = sin(2x) + 0.5·cos(5x) on
 * [−π, π]. The figures show the error against the width and the fitted curves.
 *
 * Points: 256 evenly spaced training points (both ends included); 255 validation points, the midpoints between
 * neighbouring training points; 1000 test points at the centres of 1000 equal cells of [−π, π]. No test point is a
 * training or a validation point.
 *
 * Protocol, fixed before the full run and the same for every width (the claim is about the best fit a width allows,
 * so no width gets an optimizer setting that merely happens to suit it): full-batch Adam on the training MSE, the lr
 * cosine-annealed to 0 over `steps` steps, for every lr of LRS and every seed of `seeds`; the (lr, seed) whose final
 * net has the lowest validation MSE is that width's net, and its test MSE is the width's number. Full mode: widths
 * 1, 2, 4, …, 128, seeds 0 and 1, 6,000 steps (8 × 4 × 2 trainings, a few CPU-minutes). Quick mode (the test):
 * widths 1, 4, 16, 64, seed 0, 1,000 steps.
 *
 * Why this protocol: an earlier version trained every width with one lr (Adam 0.01, cosine over 6,000 steps, seed 0,
 * widths 1/2/4/8/32/128) and measured test MSE 0.468, 0.39, 0.084, 0.076, 0.00049, 0.00075 (on the 1001-point grid
 * then used as test set): width 128 trailed width 32, which may say only that this lr suited 32 better than 128,
 * not that 128 units approximate worse — hence the lr chosen per width on held-out points.
 *
 * The claim holds when the test MSE never grows by more than 10% from one width to the next and the widest net is at
 * least ten times better than a single unit.
 *
 * What this protocol gave (full mode, 2026-12-03): test MSE 0.46, 0.36, 0.083, 0.0034, 0.00024, 0.00032, 0.00052,
 * 0.00059 for widths 1 … 128 — a 1900-fold fall up to 16 units, then a 2.4-fold rise to 128, so the claim's verdict
 * still fails. Not over-fitting: the training MSE is as high (width 128, lr 0.03: 0.00067 train, 0.00059 test), and
 * most of the error is the last wiggle of f (x > 2.2), which no width fits (the fits figure). A side check with 4x
 * the steps (24,000) lowered both but kept the order (width 16: 0.000061, width 128: 0.00028 test MSE): the wide nets
 * are limited by what Adam reaches in the budget, not by what they can represent (a 128-unit net contains every
 * 16-unit one). A second side check by the lead (a throwaway script, not committed): full-batch L-BFGS (strong-Wolfe
 * line search, float64, up to 5,000 iterations, seeds 0 and 1) fits far closer — best test MSE over the two seeds for
 * widths 1/2/4/8/16/32/64 = 0.46, 0.19, 0.054, 6.9e-5, 1.5e-6, 5.4e-7, 1.7e-6 — yet 64 units still trail 32: at
 * every optimizer tried the widest nets stop short of the fit they can represent, so the measured curve shows the
 * optimizer's reach beyond some width, and the claim is reported as not reproduced rather than tuned until it is.
 * Run: npm run build && node dist/examples/course/universal-approximation.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { F, manualSeed, nn, noGrad, optim, tensor, viz, type Tensor } from '../../src/index.js';
import { saveLineChart } from '../../src/node/index.js';
import { isMain, runStandalone, type Experiment } from './experiment.js';

const FULL_WIDTHS = [1, 2, 4, 8, 16, 32, 64, 128];
const QUICK_WIDTHS = [1, 4, 16, 64];
const LRS = [1e-3, 3e-3, 1e-2, 3e-2];

function target(x: number): number {
  return Math.sin(2 * x) + 0.5 * Math.cos(5 * x);
}

/** `n` points of [−π, π]: evenly spaced with both ends (offset 0), or the centres of `n` equal cells (offset 0.5). */
function points(n: number, offset: 0 | 0.5): number[] {
  const cells = offset === 0 ? n - 1 : n;
  return Array.from({ length: n }, (_, i) => -Math.PI + (2 * Math.PI * (i + offset)) / cells);
}

function column(values: readonly number[]): Tensor {
  return tensor(values, { shape: [values.length, 1] });
}

interface Fit {
  lr: number;
  seed: number;
  valMse: number;
  testMse: number;
  pred: number[];
}

/** Trains one net with full-batch Adam, lr cosine-annealed to 0; returns its validation and test errors. */
function fit(width: number, lr: number, seed: number, steps: number, data: Record<'x' | 'y' | 'xv' | 'yv' | 'xt' | 'yt', Tensor>): Fit {
  manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(1, width), new nn.Tanh(), new nn.Linear(width, 1));
  const opt = new optim.Adam(model.parameters(), { lr });
  const sched = new optim.CosineAnnealingLR(opt, steps);
  for (let s = 0; s < steps; s++) {
    const loss = F.mseLoss(model.forward(data.x), data.y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    sched.step();
  }
  return noGrad(() => {
    const pred = model.forward(data.xt);
    return {
      lr, seed, valMse: F.mseLoss(model.forward(data.xv), data.yv).item(), testMse: F.mseLoss(pred, data.yt).item(),
      pred: Array.from(pred.toTypedArray()),
    };
  });
}

export const experiment: Experiment = {
  name: 'universal-approximation',
  chapter: '4.2 Universal approximation',
  claim: 'A network with one hidden layer fits a continuous 1-D function better as the hidden layer widens.',
  async run({ quick, outDir }) {
    const widths = quick ? QUICK_WIDTHS : FULL_WIDTHS;
    const seeds = quick ? [0] : [0, 1];
    const steps = quick ? 1000 : 6000;
    const xTrain = points(256, 0);
    const xVal = xTrain.slice(1).map((x, i) => (x + xTrain[i]) / 2);
    const xTest = points(1000, 0.5);
    const data = {
      x: column(xTrain), y: column(xTrain.map(target)), xv: column(xVal), yv: column(xVal.map(target)),
      xt: column(xTest), yt: column(xTest.map(target)),
    };
    const chosen: Fit[] = [];
    // test MSE of each lr at each width (its better seed by validation): shows what one fixed lr would have given
    const perLr: Record<string, number[]> = Object.fromEntries(LRS.map((lr) => [`lr ${lr}`, [] as number[]]));
    for (const width of widths) {
      let best: Fit | undefined;
      for (const lr of LRS) {
        let bestOfLr: Fit | undefined;
        for (const seed of seeds) {
          const f = fit(width, lr, seed, steps, data);
          if (bestOfLr === undefined || f.valMse < bestOfLr.valMse) bestOfLr = f;
        }
        perLr[`lr ${lr}`].push(bestOfLr!.testMse);
        if (best === undefined || bestOfLr!.valMse < best.valMse) best = bestOfLr;
      }
      chosen.push(best!);
    }
    const mse = chosen.map((c) => c.testMse);
    // the chosen-lr curve last and in black, so it is drawn over the fixed-lr curves it often coincides with
    await saveLineChart([
      ...LRS.map((lr) => ({ name: `lr ${lr}`, x: widths, y: perLr[`lr ${lr}`] })),
      { name: 'chosen lr', x: widths, y: mse },
    ], join(outDir, 'universal-approximation-mse'),
    { title: 'One hidden layer: error against width', xTitle: 'hidden units', yTitle: 'test MSE', xScale: 'log', yScale: 'log', points: true, width: 480, height: 300,
      colors: [...viz.seriesColors.slice(1, 1 + LRS.length), '#000000'] });
    await saveLineChart([{ name: 'target f(x)', x: xTest, y: xTest.map(target) }, ...widths.map((w, i) => ({ name: `width ${w}`, x: xTest, y: chosen[i].pred }))],
      join(outDir, 'universal-approximation-fits'),
      { title: 'f(x) = sin 2x + 0.5 cos 5x and the fitted nets', xTitle: 'x', yTitle: 'y', width: 560, height: 320 });
    const neverWorse = mse.every((m, i) => i === 0 || m <= 1.1 * mse[i - 1]);
    const last = mse[mse.length - 1];
    return {
      numbers: {
        widths, testMse: mse, valMse: chosen.map((c) => c.valMse), chosenLr: chosen.map((c) => c.lr),
        chosenSeed: chosen.map((c) => c.seed), testMseByLr: perLr, lrGrid: LRS, seeds, steps,
      },
      figures: [
        { file: 'universal-approximation-mse.png', caption: 'Test MSE against width (log-log): with the lr each width chose on the validation points (chosen lr), and with each lr of the grid for every width (its better seed on validation).' },
        { file: 'universal-approximation-fits.png', caption: 'The target function and the curve each width fits (its validation-chosen lr and seed).' },
      ],
      holds: neverWorse && last * 10 < mse[0],
      finding: `with the lr (of ${LRS.join(', ')}) and seed chosen on validation points, ${steps} cosine-annealed Adam steps: test MSE ` +
        `${widths.map((w, i) => `${mse[i].toPrecision(2)} (${w} unit${w === 1 ? '' : 's'}, lr ${chosen[i].lr})`).join(', ')}.`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment);
