/**
 * Claim (chapter 3.8): regularization reduces overfitting. A small CNN is trained on a small MNIST subset until it
 * fits it, once plainly and once with each regularizer, and the gap between training and test accuracy is compared:
 * an L1 or L2 penalty in the loss, weight decay, dropout, DropConnect, spatial dropout (Dropout2d), DropBlock, label
 * smoothing, early stopping (on held-out training images) and augmentation (random shifts). It also checks the
 * course's "L2 = weight decay for SGD, not for Adam": SGD with an L2 penalty and SGD with weightDecay end at the same
 * weights, while Adam with an L2 penalty and AdamW's decoupled decay do not.
 * Run: npm run build && node dist/examples/course/regularization.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { DataLoader, F, Generator, TensorDataset, manualSeed, nn, noGrad, optim, stack, transforms, unbind, type Tensor } from '../../src/index.js';
import { saveLineChart, savePicture } from '../../src/node/index.js';
import { accuracyOf, imageSubset } from './data.js';
import { isMain, mean, runStandalone, type Experiment } from './experiment.js';

/** The penalty strength shared by the L2 penalty, SGD's weightDecay, Adam's L2 penalty and AdamW's decay. */
const LAMBDA = 0.01;
const L1 = 1e-4;

/** Where a variant puts its dropout layer. */
interface NetOptions { spatial?: () => nn.Layer; dropout?: number; dropConnect?: number }

function net(o: NetOptions = {}): nn.Sequential {
  const hidden = new nn.Linear(16 * 7 * 7, 100);
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    ...(o.spatial ? [o.spatial()] : []),
    new nn.Conv2d(8, 16, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(),
    o.dropConnect ? new nn.DropConnect(hidden, o.dropConnect) : hidden, new nn.ReLU(),
    ...(o.dropout ? [new nn.Dropout(o.dropout)] : []),
    new nn.Linear(100, 10),
  );
}

/** One variant: its net, its optimizer, an extra term of the loss, label smoothing and augmentation. */
interface Variant {
  net?: NetOptions;
  adam?: boolean;
  weightDecay?: number;
  decoupled?: boolean;
  penalty?: (params: nn.Parameter[]) => Tensor;
  labelSmoothing?: number;
  augment?: boolean;
}

const VARIANTS: Record<string, Variant> = {
  none: {},
  'L1 penalty': { penalty: (p) => optim.l1Penalty(p).mul(L1) },
  'L2 penalty': { penalty: (p) => optim.l2Penalty(p).mul(LAMBDA) },
  'SGD weight decay': { weightDecay: LAMBDA },
  'Adam (none)': { adam: true },
  'Adam + L2 penalty': { adam: true, penalty: (p) => optim.l2Penalty(p).mul(LAMBDA) },
  'AdamW decay': { adam: true, decoupled: true, weightDecay: LAMBDA },
  dropout: { net: { dropout: 0.5 } },
  DropConnect: { net: { dropConnect: 0.5 } },
  'spatial dropout': { net: { spatial: () => new nn.Dropout2d(0.2) } },
  DropBlock: { net: { spatial: () => new nn.DropBlock2d(0.2, 3) } },
  'label smoothing': { labelSmoothing: 0.1 },
  augmentation: { augment: true },
};

function optimizerFor(v: Variant, params: nn.Parameter[]): optim.Optimizer {
  if (v.decoupled) return new optim.AdamW(params, { lr: 1e-3, weightDecay: v.weightDecay ?? 0 });
  if (v.adam) return new optim.Adam(params, { lr: 1e-3 });
  return new optim.SGD(params, { lr: 0.01, momentum: 0.9, weightDecay: v.weightDecay ?? 0 });
}

function flatWeights(model: nn.Module): Float64Array {
  return Float64Array.from(model.parameters().flatMap((p) => Array.from(p.toTypedArray())));
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export const experiment: Experiment = {
  name: 'regularization',
  chapter: '3.8 Regularization',
  claim: 'Regularizers (L1, L2, weight decay, dropout, DropConnect, spatial dropout, DropBlock, label smoothing, early stopping, augmentation) shrink the train/test gap on a small training set; L2 equals weight decay for SGD, not for Adam.',
  async run({ quick, outDir }) {
    const n = quick ? 200 : 500;
    const epochs = quick ? 15 : 20;
    const batchSize = quick ? 10 : 32;
    const all = imageSubset(2 * n);
    const x = all.x.narrow(0, 0, n);
    const y = all.y.narrow(0, 0, n);
    // early stopping watches images of the training split that the net does not train on
    const xVal = all.x.narrow(0, n, n);
    const yVal = all.y.narrow(0, n, n);
    const test = imageSubset(quick ? 1000 : 5000, { train: false });
    const crop = transforms.randomCrop(28, { padding: 2, generator: new Generator(2) });
    const evalAcc = (m: nn.Sequential, xs: Tensor, ys: Tensor) => noGrad(() => accuracyOf(m.forward(xs), ys));
    const trainAcc: Record<string, number> = {};
    const testAcc: Record<string, number> = {};
    const gap: Record<string, number> = {};
    const weights: Record<string, Float64Array> = {};
    const history: { train: number[]; test: number[]; val: number[] } = { train: [], test: [], val: [] };
    for (const [name, v] of Object.entries(VARIANTS)) {
      manualSeed(0);
      const model = net(v.net);
      const opt = optimizerFor(v, model.parameters());
      const loader = new DataLoader(new TensorDataset(x, y), { batchSize, shuffle: true, generator: new Generator(1) });
      for (let e = 0; e < epochs; e++) {
        model.train();
        for (const batch of loader) {
          let [xb, yb] = batch as [Tensor, Tensor];
          if (v.augment) xb = stack(unbind(xb, 0).map(crop));
          let loss = F.crossEntropy(model.forward(xb), yb, { labelSmoothing: v.labelSmoothing ?? 0 });
          if (v.penalty) loss = loss.add(v.penalty(model.parameters()));
          opt.zeroGrad();
          loss.backward();
          opt.step();
        }
        model.eval();
        if (name === 'none') {
          history.train.push(evalAcc(model, x, y));
          history.test.push(evalAcc(model, test.x, test.y));
          history.val.push(evalAcc(model, xVal, yVal));
        }
      }
      model.eval();
      trainAcc[name] = evalAcc(model, x, y);
      testAcc[name] = evalAcc(model, test.x, test.y);
      gap[name] = trainAcc[name] - testAcc[name];
      weights[name] = flatWeights(model);
    }
    // early stopping: the plain run's epoch with the best held-out accuracy (the first of ties)
    const stop = history.val.indexOf(Math.max(...history.val));
    trainAcc['early stopping'] = history.train[stop];
    testAcc['early stopping'] = history.test[stop];
    gap['early stopping'] = history.train[stop] - history.test[stop];

    const sgdSame = maxAbsDiff(weights['L2 penalty'], weights['SGD weight decay']);
    const adamSame = maxAbsDiff(weights['Adam + L2 penalty'], weights['AdamW decay']);
    const names = Object.keys(gap);
    const epochsAxis = history.train.map((_, i) => i + 1);
    await saveLineChart([
      { name: 'train', x: epochsAxis, y: history.train },
      { name: 'held-out', x: epochsAxis, y: history.val },
      { name: 'test', x: epochsAxis, y: history.test },
    ], join(outDir, 'regularization-curves'), { title: `No regularization, ${n} images: accuracy per epoch (early stopping at ${stop + 1})`, xTitle: 'epoch', yTitle: 'accuracy', points: true, width: 420 });
    // a dot plot: one row per variant, its train and test accuracy joined by a bar whose length is the gap
    const rows = names.flatMap((k) => [{ variant: k, split: 'train', acc: trainAcc[k] }, { variant: k, split: 'test', acc: testAcc[k] }]);
    const yEnc = { field: 'variant', type: 'nominal' as const, sort: names, title: null };
    await savePicture({
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: `${n} training images, ${epochs} epochs: train and test accuracy`, width: 360, height: 18 * names.length,
      layer: [
        { data: { values: names.map((k) => ({ variant: k, lo: testAcc[k], hi: trainAcc[k] })) }, mark: { type: 'rule' as const, color: '#999', strokeWidth: 3 },
          encoding: { y: yEnc, x: { field: 'lo', type: 'quantitative' as const, scale: { zero: false }, title: 'accuracy' }, x2: { field: 'hi' } } },
        { data: { values: rows }, mark: { type: 'point' as const, filled: true, size: 70 },
          encoding: { y: yEnc, x: { field: 'acc', type: 'quantitative' as const }, color: { field: 'split', type: 'nominal' as const, title: null, scale: { domain: ['train', 'test'], range: ['#4c78a8', '#e45756'] } } } },
      ],
    }, join(outDir, 'regularization-gap'));

    const regularizers = names.filter((k) => k !== 'none' && k !== 'Adam (none)');
    const baseline = (k: string) => (k.startsWith('Adam') ? gap['Adam (none)'] : gap.none);
    const smaller = regularizers.filter((k) => gap[k] < baseline(k));
    const meanChange = mean(regularizers.map((k) => gap[k] - baseline(k)));
    // the verdict: on average a regularizer shrinks its optimizer's gap, and the L2/weight-decay identity holds for
    // SGD only; which single regularizer helps is reported, since with few images each gap carries a few points of noise
    const holds = sgdSame < 1e-4 && adamSame > 100 * Math.max(sgdSame, 1e-7) && meanChange < 0;
    const pct = (a: number) => (100 * a).toFixed(1);
    return {
      numbers: {
        images: n, epochs, lambda: LAMBDA, l1: L1, trainAccuracy: trainAcc, testAccuracy: testAcc, gap, earlyStopEpoch: stop + 1,
        maxWeightDiffSgdL2VsWeightDecay: sgdSame, maxWeightDiffAdamL2VsAdamW: adamSame, meanGapChangeOfRegularizers: meanChange,
      },
      figures: [
        { file: 'regularization-gap.png', caption: 'Train and test accuracy of each variant after the same number of epochs; the distance between the two dots is the gap.' },
        { file: 'regularization-curves.png', caption: 'The plain run\'s train, held-out and test accuracy per epoch; early stopping keeps the epoch of the best held-out accuracy.' },
      ],
      holds,
      finding: `train/test gap (points): ${names.map((k) => `${k} ${pct(gap[k])}`).join(', ')}; ${smaller.length} of ${regularizers.length} regularizers shrink the gap of their optimizer's plain run, by ${(-100 * meanChange).toFixed(1)} points on average` +
        `${smaller.length < regularizers.length ? ` (not: ${regularizers.filter((k) => !smaller.includes(k)).join(', ')})` : ''}. ` +
        `SGD with an L2 penalty and with weightDecay end ${sgdSame.toExponential(1)} apart; Adam with an L2 penalty and AdamW ${adamSame.toExponential(1)} apart.`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment, import.meta.url);
