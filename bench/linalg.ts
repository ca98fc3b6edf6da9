/**
 * The `linalg` benchmark suite, shendu's side: float64 linear algebra and the classical methods built on it,
 * on the problems issue 18 names — the float64 product itself (the ceiling of the blocked factorizations), svd, svdvals, eigh, qr, inv, solve, lstsq and pinv of 500x500 matrices; PCA
 * of 2000x500 to 10 components (the exact and the randomized solver); least squares regression of 5000x100;
 * k-means++ with 10 restarts on 10000x20. The inputs are drawn here (seeded) and written to one file that
 * bench/numpy_linalg.py reads, so that numpy and scikit-learn solve the very same problems.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { classic, linalg, manualSeed, randn, tensor, type Tensor } from '../src/index.js';
import type { Row } from './rows.js';
import { timeIt } from './timing.js';

/** Sizes of the suite's problems. */
export const LINALG_SIZES = { square: 500, pca: [2000, 500], pcaComponents: 10, regression: [5000, 100], kmeans: [10000, 20], kmeansClusters: 8 } as const;

/** The suite's workloads, in order. */
export const LINALG_WORKLOADS: readonly string[] = [
  'matmul_f64_500', 'svd_500', 'svdvals_500', 'eigh_500', 'qr_500', 'inv_500', 'solve_500', 'lstsq_500', 'lstsq_gelsy_500', 'pinv_500',
  'pca_full_2000x500', 'pca_randomized_2000x500', 'linear_regression_5000x100', 'kmeans_10000x20',
];

/** The problems, as float64 tensors (and, for the file, their raw values). */
interface Problems {
  A: Tensor; // [500, 500], standard normal
  S: Tensor; // [500, 500], symmetric: (A + A^T) / 2
  b: Tensor; // [500, 1]
  pcaX: Tensor; // [2000, 500], low-rank signal plus noise
  regX: Tensor; // [5000, 100]
  regY: Tensor; // [5000]
  kmX: Tensor; // [10000, 20], 8 overlapping Gaussian blobs
}

function draw(): Problems {
  manualSeed(18);
  const f64 = { dtype: 'float64' as const };
  const n = LINALG_SIZES.square;
  const A = randn([n, n], f64);
  const S = A.add(A.transpose(0, 1)).mul(0.5);
  const b = randn([n, 1], f64);
  const [pn, pd] = LINALG_SIZES.pca;
  // a few strong directions over isotropic noise, so the leading components are well separated
  const pcaX = randn([pn, 20], f64).mul(tensor(Array.from({ length: 20 }, (_, i) => 10 / (i + 1)), f64)).matmul(randn([20, pd], f64)).add(randn([pn, pd], f64));
  const [rn, rd] = LINALG_SIZES.regression;
  const regX = randn([rn, rd], f64);
  const regY = regX.matmul(randn([rd], f64)).add(randn([rn], f64).mul(0.1));
  const [kn, kd] = LINALG_SIZES.kmeans;
  const centers = randn([LINALG_SIZES.kmeansClusters, kd], f64).mul(1.5); // overlapping blobs: Lloyd needs tens of steps
  const which = tensor(Int32Array.from({ length: kn }, (_, i) => i % LINALG_SIZES.kmeansClusters), { dtype: 'int32' });
  const kmX = centers.indexSelect(0, which).add(randn([kn, kd], f64));
  return { A, S, b, pcaX, regX, regY, kmX };
}

/**
 * Writes the problems to `file` for the Python side: a JSON header line (name -> shape), then each array's
 * float64 values (little-endian, row-major) in the header's order.
 */
function writeProblems(p: Problems, file: string): void {
  const entries = Object.entries(p) as [string, Tensor][];
  const header = JSON.stringify(Object.fromEntries(entries.map(([k, t]) => [k, t.shape])));
  const parts = [Buffer.from(header + '\n')];
  for (const [, t] of entries) {
    const v = Float64Array.from(t.toTypedArray());
    parts.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
  }
  writeFileSync(file, Buffer.concat(parts));
}

type Case = [name: string, fn: () => unknown, note?: () => string];

function cases(p: Problems): Case[] {
  const k = LINALG_SIZES.pcaComponents;
  let km: classic.KMeans | undefined;
  return [
    ['matmul_f64_500', () => p.A.matmul(p.S)],
    ['svd_500', () => linalg.svd(p.A, { fullMatrices: false })],
    ['svdvals_500', () => linalg.svdvals(p.A)],
    ['eigh_500', () => linalg.eigh(p.S)],
    ['qr_500', () => linalg.qr(p.A)],
    ['inv_500', () => linalg.inv(p.A)],
    ['solve_500', () => linalg.solve(p.A, p.b)],
    // numpy's lstsq is LAPACK's gelsd (SVD); PyTorch's default on the CPU, and shendu's, is gelsy (QR): both rows
    ['lstsq_500', () => linalg.lstsq(p.A, p.b, { driver: 'gelsd' })],
    ['lstsq_gelsy_500', () => linalg.lstsq(p.A, p.b, { driver: 'gelsy' })],
    ['pinv_500', () => linalg.pinv(p.A)],
    ['pca_full_2000x500', () => new classic.PCA({ nComponents: k, svdSolver: 'full' }).fit(p.pcaX)],
    ['pca_randomized_2000x500', () => new classic.PCA({ nComponents: k, svdSolver: 'randomized', seed: 0 }).fit(p.pcaX)],
    ['linear_regression_5000x100', () => new classic.LinearRegression().fit(p.regX, p.regY)],
    ['kmeans_10000x20', () => (km = new classic.KMeans({ nClusters: LINALG_SIZES.kmeansClusters, nInit: 10, seed: 0 }).fit(p.kmX)),
      () => `Lloyd iterations of the best run ${km?.nIter}`],
  ];
}

/**
 * Draws the problems, writes them to `problemsFile`, and times each workload in `only` on shendu (host
 * float64; the runner is `shendu`). Figures are calls per second (higher is faster).
 */
export function runShenduLinalg(only: readonly string[], problemsFile: string, log: (s: string) => void): Row[] {
  const p = draw();
  writeProblems(p, problemsFile);
  const rows: Row[] = [];
  for (const [name, fn, note] of cases(p)) {
    if (!only.includes(name)) continue;
    const s = timeIt(() => void fn(), { warmup: 1, minSeconds: 2, minRuns: 3 });
    const row: Row = { workload: name, runner: 'shendu', value: 1 / s, unit: 'runs/s', ...(note ? { note: note() } : {}) };
    rows.push(row);
    log(`  shendu ${name}: ${(s * 1000).toFixed(1)} ms${row.note ? ` (${row.note})` : ''}`);
  }
  return rows;
}
