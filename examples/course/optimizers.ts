/**
 * Claim (chapter 3.5): optimizers side by side. Full-batch GD is smooth but makes one step per pass over the data;
 * SGD and mini-batch SGD make many noisy ones; momentum and Nesterov build up speed along a narrow valley where GD, its step limited by the steep direction, crawls;
 * AdaGrad, AdaDelta, RMSprop, Adam and AdamW scale each coordinate by its own gradient history, which undoes bad
 * conditioning. Measured twice: a 784-64-10 MLP on MNIST (training loss per pass over the data, same initial
 * weights and batch order), and the paths of each optimizer on a 2-D ill-conditioned quadratic and on Rosenbrock.
 * Run: npm run build && node dist/examples/course/optimizers.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { DataLoader, F, Generator, TensorDataset, manualSeed, nn, noGrad, optim, type Tensor } from '../../src/index.js';
import { saveLineChart } from '../../src/node/index.js';
import { accuracyOf, imageSubset } from './data.js';
import { isMain, runStandalone, type Experiment } from './experiment.js';
import { path, quadratic, rosenbrock, savePaths, type GradientKind, type Objective2d } from './optimizer-paths.js';

const COLORS = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#000000'];
type Make = (p: nn.Parameter[]) => optim.Optimizer;
/** On MNIST the optimizers other than GD and SGD see mini-batches of this many images. */
const BATCH = 64;

/** Each optimizer: how it sees the data, and its learning rates on MNIST, on the quadratic and on Rosenbrock. */
const OPTIMIZERS: Record<string, { kind: GradientKind; mnistBatch: 'all' | number; mnist: Make; quad: Make; rosen: Make }> = {
  GD: { kind: 'full', mnistBatch: 'all', mnist: (p) => new optim.SGD(p, { lr: 0.5 }), quad: (p) => new optim.SGD(p, { lr: 0.038 }), rosen: (p) => new optim.SGD(p, { lr: 1e-3 }) },
  SGD: { kind: 1, mnistBatch: 1, mnist: (p) => new optim.SGD(p, { lr: 0.01 }), quad: (p) => new optim.SGD(p, { lr: 0.038 }), rosen: (p) => new optim.SGD(p, { lr: 1e-3 }) },
  'mini-batch': { kind: 8, mnistBatch: BATCH, mnist: (p) => new optim.SGD(p, { lr: 0.05 }), quad: (p) => new optim.SGD(p, { lr: 0.038 }), rosen: (p) => new optim.SGD(p, { lr: 1e-3 }) },
  momentum: { kind: 'full', mnistBatch: BATCH, mnist: (p) => new optim.SGD(p, { lr: 0.02, momentum: 0.9 }), quad: (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.9 }), rosen: (p) => new optim.SGD(p, { lr: 2e-4, momentum: 0.9 }) },
  Nesterov: { kind: 'full', mnistBatch: BATCH, mnist: (p) => new optim.SGD(p, { lr: 0.02, momentum: 0.9, nesterov: true }), quad: (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.9, nesterov: true }), rosen: (p) => new optim.SGD(p, { lr: 2e-4, momentum: 0.9, nesterov: true }) },
  AdaGrad: { kind: 'full', mnistBatch: BATCH, mnist: (p) => new optim.Adagrad(p, { lr: 0.02 }), quad: (p) => new optim.Adagrad(p, { lr: 1 }), rosen: (p) => new optim.Adagrad(p, { lr: 0.3 }) },
  AdaDelta: { kind: 'full', mnistBatch: BATCH, mnist: (p) => new optim.Adadelta(p, { lr: 1 }), quad: (p) => new optim.Adadelta(p, { lr: 1 }), rosen: (p) => new optim.Adadelta(p, { lr: 1 }) },
  RMSprop: { kind: 'full', mnistBatch: BATCH, mnist: (p) => new optim.RMSprop(p, { lr: 1e-3 }), quad: (p) => new optim.RMSprop(p, { lr: 0.05 }), rosen: (p) => new optim.RMSprop(p, { lr: 0.01 }) },
  Adam: { kind: 'full', mnistBatch: BATCH, mnist: (p) => new optim.Adam(p, { lr: 1e-3 }), quad: (p) => new optim.Adam(p, { lr: 0.2 }), rosen: (p) => new optim.Adam(p, { lr: 0.05 }) },
  AdamW: { kind: 'full', mnistBatch: BATCH, mnist: (p) => new optim.AdamW(p, { lr: 1e-3, weightDecay: 0.01 }), quad: (p) => new optim.AdamW(p, { lr: 0.2, weightDecay: 0.01 }), rosen: (p) => new optim.AdamW(p, { lr: 0.05, weightDecay: 0.01 }) },
};


function datasetLoss(model: nn.Module & { forward(x: Tensor): Tensor }, x: Tensor, y: Tensor): number {
  return noGrad(() => F.crossEntropy(model.forward(x), y).item());
}

export const experiment: Experiment = {
  name: 'optimizers',
  chapter: '3.5 Optimization algorithms',
  claim: 'Per pass over the data mini-batch methods beat full-batch GD; momentum and Nesterov get down a narrow valley faster than GD; adaptive methods (AdaGrad, RMSprop, Adam) rescale each coordinate and cope with bad conditioning.',
  async run({ quick, outDir }) {
    // ---- MNIST: training loss on the whole training subset after each fraction of a pass ----
    const n = quick ? 1000 : 5000;
    const epochs = quick ? 2 : 5;
    const checks = 4;
    const raw = imageSubset(n);
    const rawTest = imageSubset(quick ? 1000 : 5000, { train: false });
    const mu = raw.x.mean().item();
    const sigma = raw.x.sub(mu).square().mean().sqrt().item();
    const x = raw.x.sub(mu).div(sigma);
    const xTest = rawTest.x.sub(mu).div(sigma);
    const curves: Record<string, number[]> = {};
    const finalLoss: Record<string, number> = {};
    const testAccuracy: Record<string, number> = {};
    const seconds: Record<string, number> = {};
    for (const [name, o] of Object.entries(OPTIMIZERS)) {
      manualSeed(0);
      const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 64), new nn.ReLU(), new nn.Linear(64, 10));
      const opt = o.mnist(model.parameters());
      const batchSize = o.mnistBatch === 'all' ? n : o.mnistBatch;
      const loader = new DataLoader(new TensorDataset(x, raw.y), { batchSize, shuffle: true, generator: new Generator(1) });
      const perEpoch = Math.ceil(n / batchSize);
      const every = Math.max(1, Math.floor(perEpoch / checks));
      curves[name] = [datasetLoss(model, x, raw.y)];
      const t0 = performance.now();
      for (let e = 0; e < epochs; e++) {
        let b = 0;
        for (const batch of loader) {
          const [xb, yb] = batch as [Tensor, Tensor];
          const loss = F.crossEntropy(model.forward(xb), yb);
          opt.zeroGrad();
          loss.backward();
          opt.step();
          b++;
          if (b % every === 0 && b < perEpoch) curves[name].push(datasetLoss(model, x, raw.y));
        }
        curves[name].push(datasetLoss(model, x, raw.y));
      }
      seconds[name] = (performance.now() - t0) / 1000;
      finalLoss[name] = curves[name][curves[name].length - 1];
      testAccuracy[name] = accuracyOf(noGrad(() => model.forward(xTest)), rawTest.y);
    }
    // x positions in passes over the data: GD checks once per pass, the others `checks` times
    const passes = (name: string) => {
      const c = curves[name];
      const per = (c.length - 1) / epochs;
      return c.map((_, i) => i / per);
    };
    const names = Object.keys(OPTIMIZERS);
    await saveLineChart(names.map((name) => ({ name, x: passes(name), y: curves[name] })), join(outDir, 'optimizers-mnist'),
      { title: `MLP 784-64-10 on ${n} MNIST images: training loss`, xTitle: 'passes over the data (epochs)', yTitle: 'training loss (whole subset)', yScale: 'log', width: 460, height: 300, colors: COLORS, points: false });

    // ---- 2-D paths ----
    const runPaths = (obj: Objective2d, steps: number, which: 'quad' | 'rosen') =>
      Object.fromEntries(names.map((name) => [name, path(obj, OPTIMIZERS[name][which], steps, OPTIMIZERS[name].kind)]));
    const quad = quadratic(50);
    const rosen = rosenbrock();
    const quadSteps = 100;
    const rosenSteps = quick ? 1000 : 3000;
    const quadPaths = runPaths(quad, quadSteps, 'quad');
    const rosenPaths = runPaths(rosen, rosenSteps, 'rosen');
    await savePaths(quad, quadPaths, COLORS, join(outDir, 'optimizers-quadratic'));
    await savePaths(rosen, rosenPaths, COLORS, join(outDir, 'optimizers-rosenbrock'));
    const finalGap = (obj: Objective2d, paths: Record<string, [number, number][]>) =>
      Object.fromEntries(names.map((k) => {
        const p = paths[k];
        return [k, p.length < (obj === quad ? quadSteps : rosenSteps) + 1 ? Infinity : obj.f(...p[p.length - 1])];
      }));
    const quadGap = finalGap(quad, quadPaths);
    const rosenGap = finalGap(rosen, rosenPaths);
    // how far across the valley a path swings: the largest |y| after its first step on the quadratic
    const swing = (k: string) => Math.max(...quadPaths[k].slice(2).map(([, v]) => Math.abs(v)));

    const miniBatchBeatsGd = names.filter((k) => k !== 'GD').every((k) => finalLoss[k] < finalLoss.GD);
    const momentumFaster = quadGap.momentum < quadGap.GD && quadGap.Nesterov < quadGap.GD;
    const adaptiveCope = ['AdaGrad', 'RMSprop', 'Adam'].every((k) => rosenGap[k] < rosenGap.GD);
    const fmt = (r: Record<string, number>, d = 3) => names.map((k) => `${k} ${Number.isFinite(r[k]) ? r[k].toPrecision(d) : 'diverged'}`).join(', ');
    return {
      numbers: {
        images: n, epochs, batchSize: BATCH, mnistFinalLoss: finalLoss, mnistTestAccuracy: testAccuracy, mnistSeconds: seconds,
        quadraticSteps: quadSteps, quadraticFinalGap: quadGap, rosenbrockSteps: rosenSteps, rosenbrockFinalGap: rosenGap,
        quadraticSwingGD: swing('GD'), quadraticSwingMomentum: swing('momentum'),
      },
      figures: [
        { file: 'optimizers-mnist.png', caption: 'Training loss of the same MLP (same start, same data order) against passes over the data, one line per optimizer.' },
        { file: 'optimizers-quadratic.png', caption: `Paths of ${quadSteps} steps on ½(x² + 50y²) from (−4.5, 1.5); SGD and mini-batch see one and eight of 100 shifted copies per step, the others the exact gradient.` },
        { file: 'optimizers-rosenbrock.png', caption: `Paths of ${rosenSteps} steps on Rosenbrock from (−1.5, 2); the minimum is at (1, 1).` },
      ],
      holds: miniBatchBeatsGd && momentumFaster && adaptiveCope,
      finding: `MNIST training loss after ${epochs} passes: ${fmt(finalLoss)} (GD made only ${epochs} steps). ` +
        `Quadratic after ${quadSteps} steps, f − f*: ${fmt(quadGap, 2)}; GD swings to |y| = ${swing('GD').toFixed(2)} across the valley, momentum to ${swing('momentum').toFixed(2)}. ` +
        `Rosenbrock after ${rosenSteps} steps: ${fmt(rosenGap, 2)}.`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment, import.meta.url);
