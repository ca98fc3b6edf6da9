/**
 * Claim (chapter 2): least squares, ridge and lasso on Boston house prices. Ridge (an L2 penalty) shrinks every
 * coefficient smoothly towards zero but sets none exactly to zero; the lasso (an L1 penalty) sets them to zero one
 * after another, so it also selects features. A moderate penalty lowers the test error when there is little data
 * to fit 13 coefficients (random subsets of 30 training houses, averaged over draws), barely matters with 404
 * houses, and too strong a penalty underfits. Features are standardized with the training statistics.
 * Run: npm run build && node dist/examples/course/ridge-lasso.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { Generator, classic, randomPermutation, tensor, type Tensor } from '../../src/index.js';
import { BOSTON_FEATURES, saveLineChart } from '../../src/node/index.js';
import { bostonSplit } from './data.js';
import { isMain, mean, runStandalone, type Experiment } from './experiment.js';

const COLORS = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac', '#1f3b73', '#6a3d9a', '#000000'];
const SMALL = 30;

function logGrid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => 10 ** (lo + ((hi - lo) * i) / (n - 1)));
}

function mse(pred: Tensor, y: Tensor): number {
  return pred.sub(y).square().mean().item();
}

function rows(x: Tensor, idx: readonly number[]): Tensor {
  const d = x.ndim === 2 ? x.shape[1] : 1;
  const src = x.toTypedArray();
  return tensor(idx.flatMap((r) => Array.from(src.subarray(r * d, (r + 1) * d))), { shape: x.ndim === 2 ? [idx.length, d] : [idx.length], dtype: 'float64' });
}

/** Test MSE of every coefficient vector on a path (alphas in the path's order). */
function pathTestMse(path: classic.RegularizationPath, xTest: Tensor, yTest: Tensor): number[] {
  const d = xTest.shape[1];
  const c = path.coefs.toTypedArray();
  const b = path.intercepts.toTypedArray();
  return path.alphas.map((_, a) => mse(xTest.matmul(tensor(Array.from(c.subarray(a * d, (a + 1) * d)), { shape: [d], dtype: 'float64' })).add(b[a]), yTest));
}

/** The path's values re-ordered by ascending alpha (lasso paths come descending). */
function ascending(alphas: readonly number[], values: readonly number[]): { alphas: number[]; values: number[] } {
  const order = alphas.map((_, i) => i).sort((i, j) => alphas[i] - alphas[j]);
  return { alphas: order.map((i) => alphas[i]), values: order.map((i) => values[i]) };
}

export const experiment: Experiment = {
  name: 'ridge-lasso',
  chapter: '2 Linear regression: least squares, ridge and lasso',
  claim: 'Ridge shrinks all coefficients without zeroing any, the lasso zeroes them one by one; a moderate penalty lowers the test error when data are few, too strong a penalty underfits.',
  async run({ quick, outDir }) {
    const nAlphas = quick ? 25 : 60;
    const draws = quick ? 5 : 20;
    const split = bostonSplit(0);
    const scaler = new classic.StandardScaler();
    const xTrain = scaler.fitTransform(split.xTrain);
    const xTest = scaler.transform(split.xTest);
    const { yTrain, yTest } = split;
    const ridgeAlphas = logGrid(-3, 5, nAlphas);
    const lassoAlphas = logGrid(-4, 1.5, nAlphas);
    const lassoOpts = { alphas: lassoAlphas, tol: 1e-8, maxIter: 10000 };

    // all 404 training houses: the paths and the test error along them
    const ols = new classic.LinearRegression().fit(xTrain, yTrain);
    const olsMse = mse(ols.predict(xTest), yTest);
    const ridge = classic.ridgePath(xTrain, yTrain, { alphas: ridgeAlphas });
    const lasso = classic.lassoPath(xTrain, yTrain, lassoOpts);
    const ridgeMse = pathTestMse(ridge, xTest, yTest);
    const lassoFull = ascending(lasso.alphas, pathTestMse(lasso, xTest, yTest));
    const d = BOSTON_FEATURES.length;
    const zerosAt = (path: classic.RegularizationPath) => path.alphas.map((_, a) => Array.from(path.coefs.toTypedArray().subarray(a * d, (a + 1) * d)).filter((v) => v === 0).length);
    const lassoZeros = ascending(lasso.alphas, zerosAt(lasso)).values;
    const ridgeZeros = zerosAt(ridge);

    // few houses: SMALL random training rows per draw (the scaler refitted on them), test MSE averaged over draws
    const g = new Generator(1);
    const smallOls: number[] = [];
    const smallRidge: number[][] = [];
    const smallLasso: number[][] = [];
    for (let k = 0; k < draws; k++) {
      const idx = randomPermutation(yTrain.shape[0], g).slice(0, SMALL);
      const sc = new classic.StandardScaler();
      const xs = sc.fitTransform(rows(split.xTrain, idx));
      const ys = rows(yTrain, idx);
      const xt = sc.transform(split.xTest);
      smallOls.push(mse(new classic.LinearRegression().fit(xs, ys).predict(xt), yTest));
      smallRidge.push(pathTestMse(classic.ridgePath(xs, ys, { alphas: ridgeAlphas }), xt, yTest));
      const lp = classic.lassoPath(xs, ys, lassoOpts);
      smallLasso.push(ascending(lp.alphas, pathTestMse(lp, xt, yTest)).values);
    }
    const avg = (runs: number[][]) => runs[0].map((_, a) => mean(runs.map((r) => r[a])));
    const smallRidgeMse = avg(smallRidge);
    const smallLassoMse = avg(smallLasso);
    const smallOlsMse = mean(smallOls);

    const coefSeries = (path: classic.RegularizationPath) => {
      const c = path.coefs.toTypedArray();
      return BOSTON_FEATURES.map((name, j) => ({ name, x: path.alphas, y: path.alphas.map((_, a) => c[a * d + j]) }));
    };
    const common = { xScale: 'log' as const, yTitle: 'coefficient (per std of feature)', width: 460, height: 300, colors: COLORS, points: false };
    await saveLineChart(coefSeries(ridge), join(outDir, 'ridge-lasso-ridge-path'), { ...common, title: 'Ridge path (404 houses)', xTitle: 'alpha (L2 penalty)' });
    await saveLineChart(coefSeries(lasso), join(outDir, 'ridge-lasso-lasso-path'), { ...common, title: 'Lasso path (404 houses)', xTitle: 'alpha (L1 penalty)' });
    const flat = (alphas: readonly number[], v: number) => alphas.map(() => v);
    await saveLineChart([
      { name: 'ridge, 404', x: ridgeAlphas, y: ridgeMse },
      { name: 'lasso, 404', x: lassoFull.alphas, y: lassoFull.values },
      { name: 'OLS, 404', x: [1e-4, 1e5], y: flat([0, 0], olsMse) },
      { name: `ridge, ${SMALL}`, x: ridgeAlphas, y: smallRidgeMse },
      { name: `lasso, ${SMALL}`, x: lassoAlphas, y: smallLassoMse },
      { name: `OLS, ${SMALL}`, x: [1e-4, 1e5], y: flat([0, 0], smallOlsMse) },
    ], join(outDir, 'ridge-lasso-test-error'),
    { title: 'Test MSE against the penalty (each model\'s own alpha)', xTitle: 'alpha', yTitle: 'test MSE ($1000s²)', xScale: 'log', yScale: 'log', width: 460, height: 300, points: false,
      colors: ['#4c78a8', '#f58518', '#000000', '#72b7b2', '#eeca3b', '#9d755d'] });

    const best = (v: readonly number[], alphas: readonly number[]) => {
      const i = v.indexOf(Math.min(...v));
      return { mse: v[i], alpha: alphas[i] };
    };
    const bestRidge = best(ridgeMse, ridgeAlphas);
    const bestLasso = best(lassoFull.values, lassoFull.alphas);
    const bestSmallRidge = best(smallRidgeMse, ridgeAlphas);
    const bestSmallLasso = best(smallLassoMse, lassoAlphas);
    // a lasso alpha where some but not all coefficients are zero: the feature selection the claim is about
    const partial = lassoZeros.findIndex((z) => z > 0 && z < d);
    const holds = ridgeZeros.every((z) => z === 0) && partial >= 0 && lassoZeros[lassoZeros.length - 1] === d &&
      bestSmallRidge.mse < smallOlsMse && bestSmallLasso.mse < smallOlsMse &&
      ridgeMse[ridgeMse.length - 1] > olsMse && lassoFull.values[lassoFull.values.length - 1] > olsMse;
    return {
      numbers: {
        trainHouses: yTrain.shape[0], testHouses: yTest.shape[0], smallTrainHouses: SMALL, draws,
        olsTestMse: olsMse, ridgeBest: bestRidge, lassoBest: bestLasso,
        smallOlsTestMse: smallOlsMse, smallRidgeBest: bestSmallRidge, smallLassoBest: bestSmallLasso,
        ridgeAlphas, ridgeTestMse: ridgeMse, lassoAlphas: lassoFull.alphas, lassoTestMse: lassoFull.values, lassoZeroCoefficients: lassoZeros,
      },
      figures: [
        { file: 'ridge-lasso-ridge-path.png', caption: 'Ridge coefficients against alpha: all shrink smoothly, none becomes exactly zero.' },
        { file: 'ridge-lasso-lasso-path.png', caption: 'Lasso coefficients against alpha: they reach zero one after another.' },
        { file: 'ridge-lasso-test-error.png', caption: `Test MSE against alpha for ridge and lasso, trained on all 404 houses and on ${SMALL} (mean of ${draws} draws); least squares as flat lines.` },
      ],
      holds,
      finding: `with ${SMALL} training houses least squares has test MSE ${smallOlsMse.toFixed(1)}, the best ridge ${bestSmallRidge.mse.toFixed(1)} (alpha ${bestSmallRidge.alpha.toPrecision(2)}) and the best lasso ${bestSmallLasso.mse.toFixed(1)} (alpha ${bestSmallLasso.alpha.toPrecision(2)}); ` +
        `with 404: least squares ${olsMse.toFixed(2)}, ridge ${bestRidge.mse.toFixed(2)}, lasso ${bestLasso.mse.toFixed(2)}, and the strongest penalties underfit (${ridgeMse[ridgeMse.length - 1].toFixed(1)}, ${lassoFull.values[lassoFull.values.length - 1].toFixed(1)}). ` +
        `No ridge coefficient is ever exactly 0; the lasso zeroes ${lassoZeros.filter((z, i) => i === 0 || z !== lassoZeros[i - 1]).join(' → ')} of ${d} as alpha grows.`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment, import.meta.url);
