/**
 * Clustering MNIST digits without their labels — k-means (k-means++, 10 restarts) and hierarchical
 * agglomerative clustering with each linkage, on raw pixels and on 50 principal components — scored against
 * the true digits by the adjusted Rand index (1 = the digit classes exactly, 0 = chance). PCA's explained
 * variance is printed, and the first two principal components of the digits are saved as a scatter plot
 * coloured by digit, plus the cumulative explained variance curve.
 * Run: npm run build && node dist/examples/mnist-clustering.js [--n 2000] [--out runs/examples]
 * @module
 */
import { join } from 'node:path';
import { classic, Generator, type Tensor } from '../src/index.js';
import { mnist, saveLineChart, savePicture } from '../src/node/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  n: { type: 'string', default: '2000' }, out: { type: 'string', default: join('runs', 'examples') },
});
const n = Number(a.n);
const outDir = a.out;
const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;
const tAll = performance.now();

// a seeded random sample of n training digits, pixels in [0, 1]
const ds = mnist({ train: true });
const g = new Generator(0);
const pick = new Set<number>();
while (pick.size < n) pick.add(g.randint(0, ds.length));
const [images, labels] = ds.batch([...pick]);
const X = images.reshape([n, 784]).double();
const y = labels;
const counts = new Array<number>(10).fill(0);
for (const v of y.toTypedArray()) counts[v]++;
console.log(`MNIST: ${n} random training digits (per digit: ${counts.join(' ')}), 784 pixels in [0, 1]`);

// ---- PCA ----
let t = performance.now();
const pcaAll = new classic.PCA({ nComponents: 200, svdSolver: 'covarianceEigh' }).fit(X);
const ratio = Array.from(pcaAll.explainedVarianceRatio.toTypedArray());
const cum = ratio.map(((s) => (v: number) => (s += v))(0));
const need = (f: number) => cum.findIndex((c) => c >= f) + 1;
console.log(`PCA (${seconds(t)}): the first 2 components explain ${(cum[1] * 100).toFixed(1)}% of the pixel variance, 10: ${(cum[9] * 100).toFixed(1)}%, 50: ${(cum[49] * 100).toFixed(1)}%; 80% needs ${need(0.8)} components, 90% ${need(0.9)}, 95% ${need(0.95)}`);
const pca50 = new classic.PCA({ nComponents: 50, svdSolver: 'covarianceEigh' });
const Z50 = pca50.fitTransform(X);
const recon = pca50.inverseTransform(Z50);
const err = classic.meanSquaredError(X.reshape([-1]), recon.reshape([-1]));
console.log(`    reconstruction from 50 components: mean squared pixel error ${err.toFixed(4)}, ${((1 - cum[49]) * 100).toFixed(1)}% of the variance left out`);

// ---- clusterings, scored by the adjusted Rand index against the digits ----
const fmt3 = (v: number) => (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3);
const ari = (pred: Tensor) => fmt3(classic.adjustedRandScore(y, pred));
const nmi = (pred: Tensor) => fmt3(classic.normalizedMutualInfoScore(y, pred));
const report = (what: string, pred: Tensor, time: string, extra = '') => {
  const sizes = new Array<number>(10).fill(0);
  for (const v of pred.toTypedArray()) sizes[v]++;
  console.log(`${what.padEnd(48)} ARI ${ari(pred)}  NMI ${nmi(pred)}  cluster sizes ${[...sizes].sort((a, b) => b - a).join(' ')}${extra}  (${time})`);
};
console.log('\nclusterings into 10 groups, compared with the 10 digits:');
for (const [name, data] of [['raw pixels', X], ['50 principal components', Z50]] as const) {
  t = performance.now();
  const km = new classic.KMeans({ nClusters: 10, nInit: 10, seed: 0 }).fit(data);
  report(`k-means++ x10 restarts, ${name}`, km.labels, seconds(t), `  inertia ${km.inertia.toFixed(0)}`);
}
for (const linkage of ['ward', 'average', 'complete', 'single'] as const) {
  for (const [name, data] of [['raw pixels', X], ['50 principal components', Z50]] as const) {
    t = performance.now();
    const hac = new classic.AgglomerativeClustering({ nClusters: 10, linkage }).fit(data);
    report(`HAC ${linkage} linkage, ${name}`, hac.labels, seconds(t));
  }
}

// ---- pictures: the digits in the plane of the first two components, and the variance curve ----
const Z2 = new classic.PCA({ nComponents: 2, svdSolver: 'covarianceEigh' }).fitTransform(X).toTypedArray();
const yv = y.toTypedArray();
const points = Array.from({ length: n }, (_, i) => ({ pc1: Z2[2 * i], pc2: Z2[2 * i + 1], digit: String(yv[i]) }));
const spec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  background: 'white',
  title: { text: `MNIST: ${n} digits on their first two principal components`, fontSize: 15 },
  width: 560,
  height: 440,
  data: { values: points },
  mark: { type: 'circle', size: 22, opacity: 0.75 },
  encoding: {
    x: { field: 'pc1', type: 'quantitative', title: `PC 1 (${(ratio[0] * 100).toFixed(1)}% of variance)` },
    y: { field: 'pc2', type: 'quantitative', title: `PC 2 (${(ratio[1] * 100).toFixed(1)}% of variance)` },
    color: { field: 'digit', type: 'nominal', title: 'digit', scale: { scheme: 'category10' }, legend: { symbolSize: 120, labelFontSize: 13, titleFontSize: 13 } },
  },
} as const;
const scatter = await savePicture(spec as never, join(outDir, 'mnist-pca-scatter'));
const curve = await saveLineChart([{ name: 'cumulative', x: cum.map((_, i) => i + 1), y: cum }], join(outDir, 'mnist-pca-variance'), {
  title: 'PCA of MNIST digits', xTitle: 'number of components', yTitle: 'share of pixel variance explained', width: 420, height: 260,
});
console.log(`\nsaved ${scatter.png} and ${curve.png}`);
console.log(`time ${seconds(tAll)}`);
