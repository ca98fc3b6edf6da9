/**
 * Claim (chapter 1.3): a single perceptron cannot learn XOR; one hidden layer can. A logistic unit (the smooth
 * perceptron) and a 2-8-1 tanh MLP are trained on the four XOR points (jittered copies of them: 50 each) with the
 * same optimizer; the figure shows both decision regions.
 * Run: npm run build && node dist/examples/course/xor.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { F, Generator, manualSeed, nn, optim, tensor, type Tensor } from '../../src/index.js';
import { savePicture } from '../../src/node/index.js';
import { isMain, runStandalone, type Experiment } from './experiment.js';

/** Jittered XOR: `perCorner` points around each corner of the unit square, label = x1 XOR x2. */
function xorData(perCorner: number, seed: number): { x: Tensor; y: Tensor; points: [number, number, number][] } {
  const g = new Generator(seed);
  const points: [number, number, number][] = [];
  for (const [a, b] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
    for (let i = 0; i < perCorner; i++) points.push([a + 0.15 * g.normal(), b + 0.15 * g.normal(), a ^ b]);
  }
  return {
    x: tensor(points.flatMap(([u, v]) => [u, v]), { shape: [points.length, 2] }),
    y: tensor(points.map((p) => p[2]), { shape: [points.length, 1] }),
    points,
  };
}

function train(model: nn.Module & { forward(x: Tensor): Tensor }, x: Tensor, y: Tensor, steps: number): number[] {
  const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = F.binaryCrossEntropyWithLogits(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}

function accuracy(model: { forward(x: Tensor): Tensor }, x: Tensor, y: Tensor): number {
  const p = model.forward(x).toTypedArray();
  const t = y.toTypedArray();
  let ok = 0;
  for (let i = 0; i < t.length; i++) ok += (p[i] > 0 ? 1 : 0) === t[i] ? 1 : 0;
  return ok / t.length;
}

/** P(class 1) of `model` on a grid over [-0.5, 1.5]^2, as rows for a Vega-Lite rect layer. */
function regionGrid(model: { forward(x: Tensor): Tensor }, name: string, steps: number): { model: string; u: number; v: number; p: number }[] {
  const coords: number[] = [];
  for (let i = 0; i < steps; i++) for (let j = 0; j < steps; j++) coords.push(-0.5 + (2 * (j + 0.5)) / steps, -0.5 + (2 * (i + 0.5)) / steps);
  const logits = model.forward(tensor(coords, { shape: [steps * steps, 2] })).toTypedArray();
  return Array.from(logits, (l, k) => ({ model: name, u: coords[2 * k], v: coords[2 * k + 1], p: 1 / (1 + Math.exp(-l)) }));
}

export const experiment: Experiment = {
  name: 'xor',
  chapter: '1.3 The perceptron and its limits',
  claim: 'A single perceptron cannot learn XOR; a network with one hidden layer can.',
  async run({ quick, outDir }) {
    const { x, y, points } = xorData(50, 0);
    const steps = quick ? 400 : 2000;
    manualSeed(0);
    const perceptron = new nn.Linear(2, 1);
    const pLoss = train(perceptron, x, y, steps);
    manualSeed(0);
    const mlp = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1));
    const mLoss = train(mlp, x, y, steps);
    const accP = accuracy(perceptron, x, y);
    const accM = accuracy(mlp, x, y);
    const cells = [...regionGrid(perceptron, 'single perceptron', 60), ...regionGrid(mlp, 'one hidden layer (8 tanh units)', 60)];
    const pts = points.flatMap(([u, v, c]) => ['single perceptron', 'one hidden layer (8 tanh units)'].map((model) => ({ model, u, v, label: String(c) })));
    const panel = (model: string, acc: number) => ({
      title: `${model}: accuracy ${(100 * acc).toFixed(0)}%`,
      width: 260, height: 260,
      layer: [
        { data: { values: cells.filter((c) => c.model === model) }, mark: { type: 'rect' as const },
          encoding: { x: { field: 'u', type: 'quantitative' as const, bin: { maxbins: 60 }, title: 'x1', axis: { tickCount: 5 } }, y: { field: 'v', type: 'quantitative' as const, bin: { maxbins: 60 }, title: 'x2', axis: { tickCount: 5 } },
            color: { field: 'p', type: 'quantitative' as const, scale: { domain: [0, 1], scheme: 'blueorange' }, title: 'P(XOR = 1)' } } },
        { data: { values: pts.filter((q) => q.model === model) }, mark: { type: 'point' as const, filled: true, size: 18, stroke: 'black', strokeWidth: 0.5 },
          encoding: { x: { field: 'u', type: 'quantitative' as const }, y: { field: 'v', type: 'quantitative' as const },
            shape: { field: 'label', type: 'nominal' as const, title: 'label' }, color: { value: 'white' } } },
      ],
    });
    await savePicture({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', hconcat: [panel('single perceptron', accP), panel('one hidden layer (8 tanh units)', accM)] }, join(outDir, 'xor'));
    return {
      numbers: { perceptronAccuracy: accP, mlpAccuracy: accM, perceptronFinalLoss: pLoss[pLoss.length - 1], mlpFinalLoss: mLoss[mLoss.length - 1], steps },
      figures: [{ file: 'xor.png', caption: 'Decision regions on jittered XOR: the perceptron draws one line, the hidden layer bends it.' }],
      holds: accP <= 0.75 && accM === 1,
      finding: `after ${steps} Adam steps the perceptron classifies ${(100 * accP).toFixed(1)}% of the 200 XOR points (a line can get at most 3 of 4 corners), the 2-8-1 MLP ${(100 * accM).toFixed(1)}%.`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment, import.meta.url);
