/**
 * Neural architecture search on Fashion-MNIST within a budget of trained epochs (issue 17): regularized evolution
 * and the REINFORCE-trained LSTM controller each spend `--budget` epochs (one epoch per candidate) searching the
 * chain-of-stages CNN space of `tune.cnnSpace`, every candidate trained with one fixed short recipe on a fixed
 * subset and scored by its accuracy on held-out training images. Then the best architecture of each search is
 * retrained with the same recipe (fresh seeds) and compared, on test images, with the median of `--random` random
 * architectures of the same space trained the same way.
 *
 * Writes `<out>/nas-fashion.json` (every candidate, the comparison) and PNGs: `nas-controller.png` (reward and its
 * moving-average baseline per sampled architecture), `nas-evolution.png` (population best and mean accuracy vs
 * candidates evaluated) and `nas-random.png` (the random architectures' test accuracies with the found ones marked),
 * and the found architectures as architecture files `nas-best-evolution.json` and `nas-best-controller.json`
 * (nas-architectures.ts; `shendu train nascnn --arch <file>` trains one).
 *
 * Run: npm run build && nice -n 5 node dist/examples/nas-fashion.js [--budget 200] [--train 1000] [--val 500]
 *      [--test 1000] [--random 20] [--seeds 2] [--threads 1] [--out docs/pictures] [--quick]
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { F, Generator, manualSeed, noGrad, optim, randomPermutation, setNumThreads, tensor, tune, type nn, type Tensor } from '../src/index.js';
import { fashionMnist } from '../src/node/index.js';
import { saveNasPictures } from './nas-fashion-plots.js';
import { saveNasArchitectures } from './nas-architectures.js';
import { scriptArgs } from '../src/node/script-args.js';

// the sizes' defaults depend on --quick, so they are read without one and filled in below
const a = scriptArgs(import.meta.url, {
  quick: { type: 'boolean' }, threads: { type: 'string', default: '1' }, budget: { type: 'string' }, train: { type: 'string' }, val: { type: 'string' },
  test: { type: 'string' }, random: { type: 'string' }, seeds: { type: 'string' }, out: { type: 'string' },
});
const quick = a.quick;
const budget = Number(a.budget ?? (quick ? '6' : '200'));
const nTrain = Number(a.train ?? (quick ? '200' : '1000'));
const nVal = Number(a.val ?? (quick ? '200' : '500'));
const nTest = Number(a.test ?? (quick ? '200' : '1000'));
const nRandom = Number(a.random ?? (quick ? '3' : '20'));
const nSeeds = Number(a.seeds ?? (quick ? '1' : '2'));
const outDir = a.out ?? (quick ? join('runs', 'nas-quick') : join('docs', 'pictures'));
setNumThreads(Number(a.threads));
mkdirSync(outDir, { recursive: true });

// The recipe every candidate gets: Adam, lr 3e-3, batch 16, one epoch over the first nTrain training images
// (standardized with Fashion-MNIST's mean 0.286 and std 0.353), a flattening classifier head (global average
// pooling learns too slowly for one short epoch); validation = nVal training images from index 50,000 on (never
// trained on), test = the first nTest test images. The space's stem is 8 channels wide (so stage widths 4-16 and
// 8-32) to keep a candidate epoch at about a second of one thread.
const RECIPE = { lr: 3e-3, batchSize: 16, epochs: 1, searchSeed: 0, head: 'flatten', stemChannels: 8 } as const;
const t0 = performance.now();
const trainSet = fashionMnist({ train: true });
const subset = (ds: typeof trainSet, from: number, n: number): [Tensor, Tensor] => {
  const [x, y] = ds.batch(Array.from({ length: n }, (_, i) => from + i));
  return [x.sub(0.286).div(0.353), y];
};
const [xTrain, yTrain] = subset(trainSet, 0, nTrain);
const [xVal, yVal] = subset(trainSet, 50000, nVal);
const [xTest, yTest] = subset(fashionMnist({ train: false }), 0, nTest);
console.log(`data: ${nTrain} train, ${nVal} validation, ${nTest} test images (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

function accuracy(model: nn.Sequential, x: Tensor, y: Tensor): number {
  model.eval();
  return noGrad(() => {
    let ok = 0;
    for (let i = 0; i < x.shape[0]; i += 250) {
      const n = Math.min(250, x.shape[0] - i);
      ok += model.forward(x.narrow(0, i, n)).argmax(1).eq(y.narrow(0, i, n)).sum().item();
    }
    return ok / x.shape[0];
  });
}

interface Trained { val: number; test: number | null; params: number; seconds: number }

/** Trains the architecture of `encoding` with the recipe and seed `seed`; test accuracy only when asked. */
function train(encoding: tune.Encoding, seed: number, withTest: boolean): Trained {
  const start = performance.now();
  manualSeed(seed);
  const model = tune.buildCnn(space.decode(encoding), { head: RECIPE.head });
  const opt = new optim.Adam(model.parameters(), { lr: RECIPE.lr });
  const g = new Generator(seed);
  for (let e = 0; e < RECIPE.epochs; e++) {
    model.train();
    const order = randomPermutation(nTrain, g);
    for (let i = 0; i + RECIPE.batchSize <= nTrain; i += RECIPE.batchSize) {
      const idx = tensor(Int32Array.from(order.slice(i, i + RECIPE.batchSize)));
      const loss = F.crossEntropy(model.forward(xTrain.indexSelect(0, idx)), yTrain.indexSelect(0, idx));
      opt.zeroGrad();
      loss.backward();
      opt.step();
    }
  }
  const params = model.parameters().reduce((s, p) => s + p.numel(), 0);
  return { val: accuracy(model, xVal, yVal), test: withTest ? accuracy(model, xTest, yTest) : null, params, seconds: (performance.now() - start) / 1000 };
}

const space = tune.cnnSpace({ stemChannels: RECIPE.stemChannels });
const describe = (e: tune.Encoding) => tune.describeCnn(space.decode(e));
const log = (method: string) => (c: tune.NasCandidate) => {
  const extra = Object.entries(c.trace).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ');
  console.log(`${method} #${c.index} (${c.epochsUsed} epochs): val ${(100 * c.reward).toFixed(1)}%  ${describe(c.encoding)}${extra ? `  [${extra}]` : ''}`);
};
const searchObjective = (encoding: tune.Encoding) => train(encoding, RECIPE.searchSeed, false).val;
const budgetOpts = { budgetEpochs: budget, epochsPerCandidate: RECIPE.epochs };

let t = performance.now();
const evolution = await tune.regularizedEvolution(space, searchObjective, {
  ...budgetOpts, populationSize: quick ? 3 : 20, sampleSize: quick ? 2 : 5, seed: 1, onCandidate: log('evolution'),
});
const evolutionSeconds = (performance.now() - t) / 1000;
t = performance.now();
const controller = await tune.controllerSearch(space, searchObjective, {
  ...budgetOpts, seed: 2, hiddenSize: 32, lr: 0.02, baselineDecay: 0.9, entropyWeight: 1e-3, onCandidate: log('controller'),
});
const controllerSeconds = (performance.now() - t) / 1000;

// N random architectures (random search spending N epochs), each trained with the retraining seed and tested
t = performance.now();
const RETRAIN_SEEDS = Array.from({ length: nSeeds }, (_, i) => 100 + i);
const randomTests: Trained[] = [];
const random = await tune.randomSearch(space, (e) => {
  const r = train(e, RETRAIN_SEEDS[0], true);
  randomTests.push(r);
  return r.val;
}, { budgetEpochs: nRandom * RECIPE.epochs, epochsPerCandidate: RECIPE.epochs, seed: 3, onCandidate: log('random') });
const randomSeconds = (performance.now() - t) / 1000;

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const retrain = (name: string, best: tune.NasCandidate) => {
  const runs = RETRAIN_SEEDS.map((s) => train(best.encoding, s, true));
  const tests = runs.map((r) => r.test as number);
  console.log(`${name} best (search val ${(100 * best.reward).toFixed(1)}%), retrained: test ${tests.map((a) => `${(100 * a).toFixed(1)}%`).join(', ')}  ${describe(best.encoding)}`);
  return { architecture: describe(best.encoding), encoding: best.encoding, searchVal: best.reward, params: runs[0].params, test: tests, testMean: mean(tests), val: runs.map((r) => r.val) };
};
const found = { evolution: retrain('evolution', evolution.best), controller: retrain('controller', controller.best) };
const randomTest = randomTests.map((r) => r.test as number);
const randomMedian = median(randomTest);
console.log(`random architectures (N=${nRandom}): test median ${(100 * randomMedian).toFixed(1)}%, min ${(100 * Math.min(...randomTest)).toFixed(1)}%, max ${(100 * Math.max(...randomTest)).toFixed(1)}%`);
for (const [name, f] of Object.entries(found)) {
  const beats = f.testMean > randomMedian;
  console.log(`${name}: retrained test ${(100 * f.testMean).toFixed(1)}% (mean of ${nSeeds}) vs random median ${(100 * randomMedian).toFixed(1)}%: ${beats ? 'beats' : 'does NOT beat'} it by ${(100 * (f.testMean - randomMedian)).toFixed(1)} points; rank among random: above ${randomTest.filter((a) => a < f.testMean).length}/${nRandom}`);
}

const result = {
  recipe: { ...RECIPE, nTrain, nVal, nTest, validation: 'training images 50000..', test: 'first test images', budgetEpochs: budget, retrainSeeds: RETRAIN_SEEDS },
  seconds: { evolution: evolutionSeconds, controller: controllerSeconds, random: randomSeconds, total: (performance.now() - t0) / 1000 },
  comparison: { randomMedianTest: randomMedian, randomTest, found },
  evolution: evolution.candidates,
  controller: controller.candidates,
  random: random.candidates.map((c, i) => ({ ...c, test: randomTests[i].test, params: randomTests[i].params, architecture: describe(c.encoding) })),
};
writeFileSync(join(outDir, 'nas-fashion.json'), JSON.stringify(result, null, 1));

await saveNasPictures(result, outDir);
const archFiles = saveNasArchitectures(result, outDir);
console.log(`wrote ${join(outDir, 'nas-fashion.json')}, nas-controller.png, nas-evolution.png, nas-random.png, ${archFiles.join(', ')}; ${((performance.now() - t0) / 60000).toFixed(1)} min in all`);
