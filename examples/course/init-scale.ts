/**
 * Claim (chapters 3.3, 4.1): the scale of the initial weights decides whether signals survive a deep net. A 10-layer
 * MLP (784-256-...-256, then 256-10) with tanh or ReLU is initialized four ways — fixed-variance N(0, 0.01²) (too
 * small), fixed-variance N(0, 1) (too large), Xavier normal (std = sqrt(2 / (fanIn + fanOut))) and He normal
 * (std = sqrt(2 / fanIn)) — and on one batch of real MNIST images we record, per hidden layer, the standard deviation
 * of its activations (forward) and of the loss gradient with respect to them (backward), at initialization.
 * Run: npm run build && node dist/examples/course/init-scale.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { F, manualSeed, nn, type Tensor } from '../../src/index.js';
import { saveLineChart } from '../../src/node/index.js';
import { imageSubset } from './data.js';
import { isMain, runStandalone, type Experiment } from './experiment.js';

const INITS = ['N(0, 0.01²)', 'N(0, 1)', 'Xavier', 'He'] as const;
type Init = (typeof INITS)[number];
type Act = 'tanh' | 'relu';
const DEPTH = 10;
const WIDTH = 256;

/** Population standard deviation of all entries of t. */
function stdOf(t: Tensor): number {
  const v = t.toTypedArray();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const m = s / v.length;
  let q = 0;
  for (let i = 0; i < v.length; i++) q += (v[i] - m) ** 2;
  return Math.sqrt(q / v.length);
}

function initialize(w: Tensor, init: Init): void {
  switch (init) {
    case 'N(0, 0.01²)': nn.init.normal_(w, 0, 0.01); break;
    case 'N(0, 1)': nn.init.normal_(w, 0, 1); break;
    case 'Xavier': nn.init.xavierNormal_(w); break;
    case 'He': nn.init.kaimingNormal_(w, { nonlinearity: 'relu' }); break;
  }
}

/** Per-hidden-layer activation std and activation-gradient std of a freshly initialized net on (x, y). */
function measure(x: Tensor, y: Tensor, act: Act, init: Init): { actStd: number[]; gradStd: number[] } {
  manualSeed(0);
  const layers = Array.from({ length: DEPTH }, (_, l) => new nn.Linear(l === 0 ? 784 : WIDTH, WIDTH));
  const head = new nn.Linear(WIDTH, 10);
  for (const lin of [...layers, head]) {
    initialize(lin.weight, init);
    nn.init.zeros_(lin.bias!);
  }
  let h = x;
  const hidden: Tensor[] = [];
  for (const lin of layers) {
    const z = lin.forward(h);
    h = act === 'tanh' ? F.tanh(z) : F.relu(z);
    h.retainGrad();
    hidden.push(h);
  }
  F.crossEntropy(head.forward(h), y).backward();
  return { actStd: hidden.map(stdOf), gradStd: hidden.map((a) => stdOf(a.grad!)) };
}

/** Largest over smallest of positive values (Infinity when one is 0). */
function spread(xs: readonly number[]): number {
  return Math.max(...xs) / Math.min(...xs);
}

export const experiment: Experiment = {
  name: 'init-scale',
  chapter: '3.3 Parameter initialization; 4.1 Activation functions',
  claim: 'In a 10-layer net, fixed-variance initializations make activations and gradients shrink or explode layer by layer; Xavier (for tanh) and He (for ReLU) keep them at a steady scale.',
  async run({ quick, outDir }) {
    const { x: images, y } = imageSubset(quick ? 128 : 1024);
    // Standardized pixels (MNIST mean and std), so the input itself has unit scale.
    const x = images.flatten(1).sub(0.1307).div(0.3081);
    const stats: Record<string, { actStd: number[]; gradStd: number[] }> = {};
    for (const act of ['tanh', 'relu'] as const) for (const init of INITS) stats[`${act} ${init}`] = measure(x, y, act, init);
    const layer = Array.from({ length: DEPTH }, (_, i) => i + 1);
    const series = (key: 'actStd' | 'gradStd') => Object.entries(stats).map(([name, s]) => ({ name, x: layer, y: s[key] }));
    await saveLineChart(series('actStd'), join(outDir, 'init-scale-activations'), {
      title: 'Activation std per layer at initialization (MNIST batch)', xTitle: 'hidden layer', yTitle: 'std of activations', yScale: 'log', width: 420, height: 280,
    });
    await saveLineChart(series('gradStd'), join(outDir, 'init-scale-gradients'), {
      title: 'Std of dLoss/dactivation per layer at initialization', xTitle: 'hidden layer', yTitle: 'std of gradient', yScale: 'log', width: 420, height: 280,
    });
    // A signal "survives" when neither its forward nor its backward scale moves by more than 10x over the 10 layers.
    const spreads: Record<string, number> = {};
    for (const [k, s] of Object.entries(stats)) spreads[k] = Math.max(spread(s.actStd), spread(s.gradStd));
    const matched = ['tanh Xavier', 'relu He'];
    const fixed = ['tanh N(0, 0.01²)', 'tanh N(0, 1)', 'relu N(0, 0.01²)', 'relu N(0, 1)'];
    const holds = matched.every((k) => spreads[k] <= 10) && fixed.every((k) => !(spreads[k] <= 100));
    const f = (v: number) => (v < 1e-3 || v >= 1e4 ? v.toExponential(1) : v.toPrecision(3));
    const desc = (k: string) => `${k}: activation std ${f(stats[k].actStd[0])} -> ${f(stats[k].actStd[DEPTH - 1])}, gradient std ${f(stats[k].gradStd[DEPTH - 1])} -> ${f(stats[k].gradStd[0])} (layer 10 -> 1)`;
    const numbers: Record<string, Record<string, readonly number[]>> = {};
    for (const [k, s] of Object.entries(stats)) numbers[k] = { activationStd: s.actStd, gradientStd: s.gradStd };
    return {
      numbers: { ...numbers, spread: spreads, batch: x.shape[0] },
      figures: [
        { file: 'init-scale-activations.png', caption: 'Std of each hidden layer\'s activations at initialization, per nonlinearity and init (log scale).' },
        { file: 'init-scale-gradients.png', caption: 'Std of the loss gradient w.r.t. each hidden layer\'s activations at initialization (log scale).' },
      ],
      holds,
      finding: `On ${x.shape[0]} MNIST images, ${desc('relu N(0, 0.01²)')}; ${desc('relu N(0, 1)')}; ${desc('relu He')}; ${desc('tanh N(0, 0.01²)')}; ${desc('tanh N(0, 1)')}; ${desc('tanh Xavier')}. Largest/smallest std over the layers: He+ReLU ${spreads['relu He'].toFixed(2)}, Xavier+tanh ${spreads['tanh Xavier'].toFixed(2)}, fixed-variance inits ${fixed.map((k) => f(spreads[k])).join(', ')}.`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment, import.meta.url);
