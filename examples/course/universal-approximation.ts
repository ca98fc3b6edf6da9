/**
 * Claim (chapter 4.2): a network with one hidden layer can approximate a continuous function, and it fits better as
 * the layer widens. One-hidden-layer tanh nets of widths 1 to 128 are fitted to f(x) = sin(2x) + 0.5·cos(5x) on
 * [−π, π], by two protocols: independent training (what an optimizer reaches from scratch at each width) and widening
 * by growth (what each width can represent). The figures show the error against the width for both, and the fits.
 *
 * Points: 256 evenly spaced training points (both ends included); 255 validation points, the midpoints between
 * neighbouring training points; 1000 test points at the centres of 1000 equal cells of [−π, π]. No test point is a
 * training or a validation point; validation and test points are both dense on a smooth f, so validation picks the
 * net whose test error is lowest too, and the 1000 test points measure the error over the whole interval.
 *
 * Training, the same for every run: full-batch Adam on the training MSE, the lr cosine-annealed to 0 over `steps`
 * steps, one run per lr of LRS (and per seed where a seed draws something); among a width's candidates, the one with
 * the lowest validation MSE is that width's net, and its test MSE is the width's number.
 *
 * Protocol 1, independent training: every width from the default init, candidates = every lr × seed of `seeds`.
 *
 * Protocol 2, widening by growth (how the constructive proofs of the theorem build a wider net from a narrower one):
 * the chain starts with protocol 1's width-1 net; width w' > w starts from width w's chosen grown net with w' − w
 * hidden units added — their input weights and biases drawn as `nn.Linear`'s default init (PyTorch's), their output
 * weights zero — so the grown net computes exactly width w's function at its start. It is trained further, with the
 * same candidates (every lr × seed, the seed drawing the new units) plus the inherited start itself, untrained. Since
 * a wider net contains every narrower one, the grown curve measures what a width can represent, as far as the
 * training finds it; protocol 1 measures what the optimizer reaches from scratch.
 *
 * Control for the extra training: the grown net of width w' has had more steps in all than width w. So width w's net
 * is also trained further by itself ("same width, trained on"), from the same start, with the same lrs, the same
 * steps and itself as a candidate; the only difference left between it and the grown w' net is the w' − w new units.
 *
 * Full mode: widths 1, 2, 4, …, 128 (each growth step doubles), seeds 0 and 1, 6,000 steps: 64 independent, 56 growth
 * and 28 control trainings. Quick mode (the test): widths 1, 4, 16, 64 (each growth step adds three times the units),
 * seed 0, 1,000 steps.
 *
 * Verdict, fixed before the full run: the claim holds when at every step of the chain w → w' the grown net's test
 * MSE is at least 10% below BOTH width w's grown net and width w trained on (the control), and the widest grown net
 * is at least ten times better than one unit. Why a strict gain: the parent is a candidate, so the grown net can
 * never be worse than it on validation — "never worse" would be near automatic and say nothing; and without the
 * control a fall could come from the extra steps rather than the extra units. Why 10%: for a smooth target the best
 * error of a width-n net falls like a power of n, so a doubling that adds real capacity cuts the MSE many-fold; 10% is
 * a lenient floor that still lies above the few-percent disagreement between validation and test choices. A
 * doubling that gains less is reported as such. Protocol 1 is reported with its own earlier rule (the test MSE
 * never grows by more than 10% from one width to the next and the widest is ten times better than one unit) as
 * `independentHolds`; it does not decide `holds`.
 *
 * History of protocol 1: an earlier version trained every width with one lr (Adam 0.01, cosine over 6,000 steps,
 * seed 0, widths 1/2/4/8/32/128) and measured test MSE 0.468, 0.39, 0.084, 0.076, 0.00049, 0.00075 (on the 1001-point
 * grid then used as test set): width 128 trailed width 32 — hence the lr chosen per width on held-out points. With
 * that (full mode, 2026-12-03): test MSE 0.46, 0.36, 0.083, 0.0034, 0.00024, 0.00032, 0.00052, 0.00059 for widths
 * 1 … 128 — a 1900-fold fall up to 16 units, then a 2.4-fold rise to 128. Not over-fitting: the training MSE is as
 * high (width 128, lr 0.03: 0.00067 train, 0.00059 test), and most of the error is the last wiggle of f (x > 2.2). A
 * side check with 4x the steps (24,000) lowered both but kept the order (width 16: 0.000061, width 128: 0.00028 test
 * MSE), and the lead's side check with full-batch L-BFGS (strong-Wolfe line search, float64, up to 5,000 iterations,
 * seeds 0 and 1; a throwaway script) fits far closer — best test MSE for widths 1/2/4/8/16/32/64 = 0.46, 0.19, 0.054,
 * 6.9e-5, 1.5e-6, 5.4e-7, 1.7e-6 — yet 64 units still trail 32: from scratch, the widest nets stop short of the fit
 * they can represent at every optimizer tried. That is why protocol 2 exists.
 *
 * What the full run gave (2026-12-03; 4.2 CPU-minutes, 8.2 minutes' wall time on a loaded 2-core machine), test MSE
 * for widths 1, 2, 4, …, 128 —
 *   grown:                 0.46, 0.37, 0.034, 0.0010, 0.00041, 0.00029, 0.00025, 0.00023
 *   control (trained on):  0.46, 0.37, 0.033, 0.00076, 0.00029, 0.00025, 0.00023   (at widths 1 … 64)
 *   from scratch:          0.46, 0.36, 0.083, 0.0034, 0.00024, 0.00032, 0.00052, 0.00059   (as before)
 * The grown curve falls at every doubling and 1960-fold from 1 to 128 units, but the verdict fails: from 16 units on
 * the fall is what the extra training buys, not the new units — 16→32, 32→64 and 64→128 fell 28%, 14% and 8%
 * against the parent, but against the control the grown nets came out 2% worse, 0.7% worse and 0.05% better
 * (0.000294 vs 0.000288, 0.000254 vs 0.000252, 0.0002331 vs 0.0002332). Up to 16 units both protocols show the
 * claim (1 → 16: from scratch 1900-fold, grown 1100-fold, every growth step ≥ 18% below parent and control);
 * beyond, neither sees more capacity. Growth is not the better measure everywhere: its 16-unit net (0.00041) trails
 * the from-scratch one (0.00024), being tied to the path its parents took. What stops it: the nets of 16 units or more
 * leave much the same error, largest at the ends of the interval (the error figure: RMS error ≈ 0.05 in the leftmost
 * window of 40 test points, which alone holds roughly 40–50% of the MSE as read off the figure, 0.01–0.04 in the
 * rightmost, mostly 0.002–0.01 between) — a floor near 2.3e-4 that more units do not lower within 6,000 Adam steps per stage, while the L-BFGS
 * check above reached 5.4e-7 at 32 units: the floor is the optimizer's, not the width's. The claim is reported as
 * reproduced up to 16 units and not beyond; the 10% margin was not changed after the run. (The check that a grown
 * start computes its parent's function was added after this run; it changes no number.)
 *
 * Tried in session 14 and not adopted (the experiment above is unchanged): the same two protocols with full-batch
 * L-BFGS in float64 (strong Wolfe, 5,000 iterations, seeds 0 and 1, no lr grid) in place of Adam. From scratch it
 * fits far closer — 0.46, 0.19, 0.054, 4.6e-7, 7.7e-7, 6.5e-7, 3.3e-7, 1.7e-6 for widths 1 … 128 — but the curve
 * is flat from 8 units on; the growth chain stalls at 8 units (0.0024 at every width from 8 to 128: the grown
 * nets' L-BFGS runs did not beat their inherited start on validation), so the verdict fails from 8→16 on, earlier
 * than with Adam (127 s, `examples/course/universal-approximation.ts` with `train` swapped; the script is not
 * kept). Side checks, from scratch, 3,000 iterations, one seed: with 2,048 training points instead of 256 (more
 * points than any net has parameters) the training and test MSE agree to two digits at every width (0.46, 0.39,
 * 0.066, 5.2e-5, 9.9e-8, 9.9e-7, 2.5e-6, 3.8e-6), so the rise beyond 16 units is not over-fitting but the
 * optimizer not finding the wider nets' fits; a harder target, sin(2x²), stops improving the same way (test MSE
 * with 256 points 0.40, 0.33, 0.25, 0.11, 7.0e-6, 2.0e-5, 6.1e-5, 1.0e-4; with 2,048 points 0.40, 0.33, 0.30, 0.11,
 * 3.7e-4, 2.2e-5, 4.2e-5, 8.1e-5: lowest at 16 or 32 units). Whatever the optimizer, from some width on these
 * measurements see the optimizer, not the width.
 *
 * Run: npm run build && node dist/examples/course/universal-approximation.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { F, manualSeed, nn, noGrad, optim, tensor, type Tensor } from '../../src/index.js';
import { saveLineChart } from '../../src/node/index.js';
import { isMain, runStandalone, type Experiment } from './experiment.js';

const FULL_WIDTHS = [1, 2, 4, 8, 16, 32, 64, 128];
const QUICK_WIDTHS = [1, 4, 16, 64];
const LRS = [1e-3, 3e-3, 1e-2, 3e-2];
/** A step of the growth chain must cut the test MSE by this fraction (see the verdict in the module doc). */
const MIN_GAIN = 0.1;

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

type Data = Record<'x' | 'y' | 'xv' | 'yv' | 'xt' | 'yt', Tensor>;

/** A one-hidden-layer net's parameters as plain arrays: w1, b1, w2 of length `width`, and the output bias b2. */
interface Weights {
  width: number;
  w1: number[];
  b1: number[];
  w2: number[];
  b2: number;
}

/** One candidate net: how it was made (lr 0 = the inherited start, untrained), its errors and its weights. */
interface Fit {
  lr: number;
  seed: number;
  valMse: number;
  testMse: number;
  pred: number[];
  weights: Weights;
}

function makeNet(width: number): nn.Sequential {
  return new nn.Sequential(new nn.Linear(1, width), new nn.Tanh(), new nn.Linear(width, 1));
}

function weightsOf(model: nn.Sequential): Weights {
  const s = model.stateDict();
  const arr = (k: string) => Array.from(s[k].toTypedArray() as Float32Array);
  const w1 = arr('0.weight');
  return { width: w1.length, w1, b1: arr('0.bias'), w2: arr('2.weight'), b2: arr('2.bias')[0] };
}

function netOf(w: Weights): nn.Sequential {
  const model = makeNet(w.width);
  model.loadStateDict({
    '0.weight': tensor(w.w1, { shape: [w.width, 1] }), '0.bias': tensor(w.b1),
    '2.weight': tensor(w.w2, { shape: [1, w.width] }), '2.bias': tensor([w.b2]),
  });
  return model;
}

/** `parent` widened to `width` units: the new units drawn as the default init (seeded), their output weights zero. */
function grow(parent: Weights, width: number, seed: number): Weights {
  manualSeed(seed);
  const fresh = weightsOf(makeNet(width));
  const p = parent.width;
  return {
    width, w1: [...parent.w1, ...fresh.w1.slice(p)], b1: [...parent.b1, ...fresh.b1.slice(p)],
    w2: [...parent.w2, ...new Array<number>(width - p).fill(0)], b2: parent.b2,
  };
}

function evaluate(model: nn.Sequential, lr: number, seed: number, data: Data): Fit {
  return noGrad(() => {
    const pred = model.forward(data.xt);
    return {
      lr, seed, valMse: F.mseLoss(model.forward(data.xv), data.yv).item(), testMse: F.mseLoss(pred, data.yt).item(),
      pred: Array.from(pred.toTypedArray()), weights: weightsOf(model),
    };
  });
}

/** Trains `model` with full-batch Adam, lr cosine-annealed to 0 over `steps`; returns its errors and weights. */
function train(model: nn.Sequential, lr: number, seed: number, steps: number, data: Data): Fit {
  const opt = new optim.Adam(model.parameters(), { lr });
  const sched = new optim.CosineAnnealingLR(opt, steps);
  for (let s = 0; s < steps; s++) {
    const loss = F.mseLoss(model.forward(data.x), data.y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    sched.step();
  }
  return evaluate(model, lr, seed, data);
}

/** The candidate with the lowest validation MSE (the first of equals). */
function best(fits: readonly Fit[]): Fit {
  return fits.reduce((a, b) => (b.valMse < a.valMse ? b : a));
}

function steppedDown(from: number, to: number): boolean {
  return to <= (1 - MIN_GAIN) * from;
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
    const data: Data = {
      x: column(xTrain), y: column(xTrain.map(target)), xv: column(xVal), yv: column(xVal.map(target)),
      xt: column(xTest), yt: column(xTest.map(target)),
    };
    const grid = LRS.flatMap((lr) => seeds.map((seed) => ({ lr, seed })));

    // protocol 1: every width from scratch
    const independent = widths.map((width) => best(grid.map(({ lr, seed }) => {
      manualSeed(seed);
      return train(makeNet(width), lr, seed, steps, data);
    })));
    // protocol 2: each width grown from the previous one's chosen net; the control trains the previous net on
    const grown: Fit[] = [independent[0]];
    const trainedOn: Fit[] = [];
    for (let i = 1; i < widths.length; i++) {
      const parent = grown[i - 1];
      const start = evaluate(netOf(grow(parent.weights, widths[i], 0)), 0, -1, data);
      // the grown start computes the parent's function (its new units' output weights are zero)
      if (!(Math.abs(start.valMse - parent.valMse) <= 1e-5 * parent.valMse)) {
        throw new Error(`universal-approximation: the grown ${widths[i]}-unit start should equal its parent, got validation MSE ${start.valMse} vs ${parent.valMse}`);
      }
      grown.push(best([start, ...grid.map(({ lr, seed }) => train(netOf(grow(parent.weights, widths[i], seed)), lr, seed, steps, data))]));
      trainedOn.push(best([{ ...parent, lr: 0, seed: -1 }, ...LRS.map((lr) => train(netOf(parent.weights), lr, -1, steps, data))]));
    }

    const ind = independent.map((c) => c.testMse);
    const gro = grown.map((c) => c.testMse);
    const on = trainedOn.map((c) => c.testMse);
    const w = widths;
    await saveLineChart([
      { name: 'from scratch', x: w, y: ind },
      { name: 'grown', x: w, y: gro },
      { name: 'control', x: w.slice(0, -1), y: on },
    ], join(outDir, 'universal-approximation-mse'),
    { title: 'One hidden layer: error against width', xTitle: 'hidden units', yTitle: 'test MSE', xScale: 'log', yScale: 'log', points: true, width: 480, height: 300,
      colors: ['#888888', '#000000', '#d62728'] });
    await saveLineChart([{ name: 'target f(x)', x: xTest, y: xTest.map(target) }, ...w.map((wd, i) => ({ name: `width ${wd}`, x: xTest, y: grown[i].pred }))],
      join(outDir, 'universal-approximation-fits'),
      { title: 'f(x) = sin 2x + 0.5 cos 5x and the grown nets', xTitle: 'x', yTitle: 'y', width: 560, height: 320 });
    // the error's root mean square over 25 windows of 40 neighbouring test points: where along x each width errs
    const windows = Array.from({ length: 25 }, (_, k) => xTest.slice(40 * k, 40 * k + 40));
    const windowX = windows.map((xs) => xs.reduce((a, b) => a + b, 0) / xs.length);
    const windowRms = (pred: readonly number[]) => windows.map((xs, k) =>
      Math.sqrt(xs.reduce((a, x, j) => a + (pred[40 * k + j] - target(x)) ** 2, 0) / xs.length));
    await saveLineChart(w.map((wd, i) => ({ name: `width ${wd}`, x: windowX, y: windowRms(grown[i].pred) })),
      join(outDir, 'universal-approximation-error'),
      { title: 'Where the grown nets err', xTitle: 'x', yTitle: 'RMS error (windows of 40 test points)', yScale: 'log', points: false, width: 560, height: 320 });

    const chain = w.slice(1).map((wd, k) => ({ from: w[k], to: wd, vsParent: steppedDown(gro[k], gro[k + 1]), vsControl: steppedDown(on[k], gro[k + 1]) }));
    const failed = chain.filter((s) => !s.vsParent || !s.vsControl);
    const tenfold = gro[gro.length - 1] * 10 <= gro[0];
    const independentHolds = ind.every((m, i) => i === 0 || m <= 1.1 * ind[i - 1]) && ind[ind.length - 1] * 10 < ind[0];
    const fmt = (xs: readonly number[]) => xs.map((m) => m.toPrecision(2)).join(', ');
    return {
      numbers: {
        widths, steps, seeds, lrGrid: LRS, minGainPerStep: MIN_GAIN,
        growthTestMse: gro, growthValMse: grown.map((c) => c.valMse), growthChosenLr: grown.map((c) => c.lr), growthChosenSeed: grown.map((c) => c.seed),
        trainedOnTestMse: on, trainedOnChosenLr: trainedOn.map((c) => c.lr),
        independentTestMse: ind, independentValMse: independent.map((c) => c.valMse), independentChosenLr: independent.map((c) => c.lr),
        independentChosenSeed: independent.map((c) => c.seed), independentHolds,
      },
      figures: [
        { file: 'universal-approximation-mse.png', caption: 'Test MSE against width (log-log): each width trained from scratch (what the optimizer reaches), grown from the narrower net (what the width can represent), and the control: each width’s grown net trained on for the same steps without new units, drawn at its own width (the next width’s grown point must lie 10% below it).' },
        { file: 'universal-approximation-fits.png', caption: 'The target function and the curve each grown net fits.' },
        { file: 'universal-approximation-error.png', caption: 'Where the grown nets err: the root mean square of net(x) − f(x) over each of 25 windows of 40 neighbouring test points (log scale), one curve per width.' },
      ],
      holds: failed.length === 0 && tenfold,
      finding: `test MSE by width (${w.join(', ')}), ${steps} cosine-annealed Adam steps per training, lr (of ${LRS.join(', ')}) and seed chosen on validation points — ` +
        `grown: ${fmt(gro)}; the narrower net trained on (control): ${fmt(on)}; independent from scratch: ${fmt(ind)}. ` +
        (failed.length === 0 ? `Every growth step cut the test MSE by at least ${MIN_GAIN * 100}% against both the parent and the control` :
          `Growth steps without a ${MIN_GAIN * 100}% gain: ${failed.map((s) => `${s.from}→${s.to} (${s.vsParent ? '' : 'vs parent'}${!s.vsParent && !s.vsControl ? ', ' : ''}${s.vsControl ? '' : 'vs control'})`).join(', ')}`) +
        `; widest vs one unit ${(gro[0] / gro[gro.length - 1]).toPrecision(3)}-fold.`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment, import.meta.url);
