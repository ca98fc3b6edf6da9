/**
 * Boston house prices (506 districts, 13 features, median value in $1000s) by least squares, ridge and lasso
 * on standardized features: test R^2 of each, the least-squares residual report, the same fit by gradient
 * descent, a degree-2 polynomial ridge and a log-linear model; the lasso and ridge coefficient paths over
 * alpha saved as PNG line charts (log x axis).
 * Run: npm run build && node dist/examples/boston-regression.js [--out runs/examples]
 * @module
 */
import { join } from 'node:path';
import { classic, Generator, tensor, type Tensor } from '../src/index.js';
import { BOSTON_FEATURES, bostonHousing, saveLineChart } from '../src/node/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const outDir = scriptArgs(import.meta.url, { out: { type: 'string', default: join('runs', 'examples') } }).out;
const t0 = performance.now();

// ---- data: a seeded 80/20 split, features standardized with the training statistics ----
const ds = bostonHousing();
const X = ds.features().double();
const y = ds.targets().double();
const n = ds.length;
const g = new Generator(0);
const order = Array.from({ length: n }, (_, i) => i);
for (let i = n - 1; i > 0; i--) {
  const j = g.randint(0, i + 1);
  [order[i], order[j]] = [order[j], order[i]];
}
const nTrain = Math.round(0.8 * n);
const take = (t: Tensor, idx: number[]): Tensor => {
  const d = t.ndim === 2 ? t.shape[1] : 1;
  const src = t.toTypedArray();
  const out = new Float64Array(idx.length * d);
  idx.forEach((r, i) => out.set(src.subarray(r * d, (r + 1) * d), i * d));
  return tensor(out, { shape: t.ndim === 2 ? [idx.length, d] : [idx.length] });
};
const trainIdx = order.slice(0, nTrain);
const testIdx = order.slice(nTrain);
const scaler = new classic.StandardScaler();
const Xtr = scaler.fitTransform(take(X, trainIdx));
const Xte = scaler.transform(take(X, testIdx));
const ytr = take(y, trainIdx);
const yte = take(y, testIdx);
console.log(`Boston house prices: ${n} districts, ${BOSTON_FEATURES.length} features; train ${nTrain}, test ${n - nTrain} (seeded split), features standardized`);

// ---- least squares, ridge, lasso ----
const fmt = (v: number, d = 4) => v.toFixed(d);
const ols = new classic.LinearRegression().fit(Xtr, ytr);
console.log(`\nleast squares (closed form, SVD)   train R^2 ${fmt(ols.score(Xtr, ytr))}   test R^2 ${fmt(ols.score(Xte, yte))}`);
const gd = new classic.LinearRegressionGD({ lr: 0.1, maxIter: 20000, tol: 1e-8 }).fit(Xtr, ytr);
const gap = Math.max(...Array.from(gd.coef.sub(ols.coef).abs().toTypedArray()));
console.log(`least squares (gradient descent)   train R^2 ${fmt(gd.score(Xtr, ytr))}   test R^2 ${fmt(gd.score(Xte, yte))}   (${gd.nIter} steps, max |w_gd - w_ols| = ${gap.toExponential(1)})`);
for (const alpha of [1, 10, 100]) {
  const m = new classic.Ridge({ alpha }).fit(Xtr, ytr);
  console.log(`ridge alpha=${String(alpha).padEnd(4)}                    train R^2 ${fmt(m.score(Xtr, ytr))}   test R^2 ${fmt(m.score(Xte, yte))}`);
}
for (const alpha of [0.01, 0.1, 0.5]) {
  const m = new classic.Lasso({ alpha }).fit(Xtr, ytr);
  const zeros = Array.from(m.coef.toTypedArray()).filter((v) => v === 0).length;
  console.log(`lasso alpha=${String(alpha).padEnd(4)}                    train R^2 ${fmt(m.score(Xtr, ytr))}   test R^2 ${fmt(m.score(Xte, yte))}   (${zeros} of 13 coefficients exactly 0)`);
}
const poly = new classic.PolynomialFeatures({ degree: 2, includeBias: false });
const Ptr = new classic.StandardScaler().fit(poly.fitTransform(Xtr));
const polyRidge = new classic.Ridge({ alpha: 10 }).fit(Ptr.transform(poly.transform(Xtr)), ytr);
console.log(`ridge alpha=10 on ${poly.nOutputFeatures} degree-2 features  train R^2 ${fmt(polyRidge.score(Ptr.transform(poly.transform(Xtr)), ytr))}   test R^2 ${fmt(polyRidge.score(Ptr.transform(poly.transform(Xte)), yte))}`);
const logLin = new classic.LogLinearRegression().fit(Xtr, ytr);
console.log(`log-linear (least squares on log price)  train R^2 ${fmt(logLin.score(Xtr, ytr))}   test R^2 ${fmt(logLin.score(Xte, yte))}  (R^2 on the price scale)`);

console.log('\nleast-squares coefficients (per standard deviation of each feature):');
const coef = Array.from(ols.coef.toTypedArray());
console.log(BOSTON_FEATURES.map((f, j) => `${f.padStart(8)} ${coef[j] >= 0 ? '+' : ''}${coef[j].toFixed(2)}`).join('\n'));
console.log(`intercept ${ols.intercept.item().toFixed(2)}`);
console.log('\nleast squares, training residuals (as R\'s summary(lm)):');
console.log(classic.formatResidualReport(classic.residualReport(ytr, ols.predict(Xtr), { nFeatures: 13 })));
const testRep = classic.residualReport(yte, ols.predict(Xte));
console.log(`test set: RMSE ${fmt(testRep.rmse, 3)}, MAE ${fmt(testRep.mae, 3)} ($1000s), R^2 ${fmt(testRep.r2)}`);

// ---- coefficient paths ----
const colors = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac', '#1f3b73', '#6a3d9a', '#000000'];
const lasso = classic.lassoPath(Xtr, ytr, { nAlphas: 80, eps: 1e-4, tol: 1e-8, maxIter: 10000 });
const ridgeAlphas = Array.from({ length: 80 }, (_, i) => 10 ** (-2 + (7 * i) / 79));
const ridge = classic.ridgePath(Xtr, ytr, { alphas: ridgeAlphas });
const seriesOf = (path: classic.RegularizationPath) => {
  const c = path.coefs.toTypedArray();
  return BOSTON_FEATURES.map((name, j) => ({ name, x: path.alphas, y: path.alphas.map((_, a) => c[a * 13 + j]) }));
};
const common = { xScale: 'log' as const, yTitle: 'coefficient (per std of feature)', width: 520, height: 320, colors, points: false };
const lassoPng = await saveLineChart(seriesOf(lasso), join(outDir, 'boston-lasso-path'), { ...common, title: 'Lasso path: Boston house prices', xTitle: 'alpha (L1 penalty, log scale)' });
const ridgePng = await saveLineChart(seriesOf(ridge), join(outDir, 'boston-ridge-path'), { ...common, title: 'Ridge path: Boston house prices', xTitle: 'alpha (L2 penalty, log scale)' });
const firstIn = (j: number) => {
  const c = lasso.coefs.toTypedArray();
  const a = lasso.alphas.findIndex((_, k) => c[k * 13 + j] !== 0);
  return a < 0 ? Infinity : lasso.alphas[a];
};
const entry = BOSTON_FEATURES.map((f, j) => [f, firstIn(j)] as const).sort((a, b) => b[1] - a[1]);
console.log(`\nlasso path: ${lasso.alphas.length} alphas from ${lasso.alphas[0].toFixed(2)} down to ${lasso.alphas[lasso.alphas.length - 1].toExponential(1)}; features in order of entry: ${entry.slice(0, 6).map(([f]) => f).join(', ')}, ...`);
console.log(`saved ${lassoPng.png} and ${ridgePng.png}`);
console.log(`time ${((performance.now() - t0) / 1000).toFixed(1)} s`);
