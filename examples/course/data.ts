/**
 * The real data the course experiments share: the first n MNIST or Fashion-MNIST images of a split, as float
 * tensors, and Boston house prices with a seeded split.
 * @module
 */
import { F, Generator, randomPermutation, tensor, type Tensor, type nn, type optim } from '../../src/index.js';
import { bostonHousing, fashionMnist, mnist } from '../../src/node/index.js';

/** The first `n` images [n, 1, 28, 28] (values in [0, 1]) and labels [n] (int32) of MNIST or Fashion-MNIST. */
export function imageSubset(n: number, opts: { train?: boolean; fashion?: boolean } = {}): { x: Tensor; y: Tensor } {
  const ds = opts.fashion ? fashionMnist({ train: opts.train ?? true }) : mnist({ train: opts.train ?? true });
  const [x, y] = ds.batch(Array.from({ length: Math.min(n, ds.length) }, (_, i) => i));
  return { x, y };
}

/** Fraction of rows of `logits` [n, k] whose argmax equals `y` [n]. */
export function accuracyOf(logits: Tensor, y: Tensor): number {
  const pred = logits.argmax(1).toTypedArray();
  const t = y.toTypedArray();
  let ok = 0;
  for (let i = 0; i < t.length; i++) ok += pred[i] === t[i] ? 1 : 0;
  return ok / t.length;
}

/** Boston house prices: features [506, 13] and prices [506] (float64), split 80/20 with a seeded shuffle. */
export function bostonSplit(seed = 0): { xTrain: Tensor; yTrain: Tensor; xTest: Tensor; yTest: Tensor } {
  const ds = bostonHousing();
  const X = ds.features().double().toTypedArray();
  const Y = ds.targets().double().toTypedArray();
  const n = ds.length;
  const d = X.length / n;
  const g = new Generator(seed);
  const order = randomPermutation(n, g);
  const pick = (idx: number[]) => ({
    x: tensor(idx.flatMap((r) => Array.from(X.subarray(r * d, (r + 1) * d))), { shape: [idx.length, d], dtype: 'float64' }),
    y: tensor(idx.map((r) => Y[r]), { shape: [idx.length], dtype: 'float64' }),
  });
  const cut = Math.round(0.8 * n);
  const tr = pick(order.slice(0, cut));
  const te = pick(order.slice(cut));
  return { xTrain: tr.x, yTrain: tr.y, xTest: te.x, yTest: te.y };
}

/** One epoch of cross-entropy training of `model` over `loader`'s (x, y) batches; returns each batch's loss. */
export function trainEpoch(model: nn.Module & { forward(x: Tensor): Tensor }, opt: optim.Optimizer, loader: Iterable<unknown>): number[] {
  const losses: number[] = [];
  for (const batch of loader) {
    const [x, y] = batch as [Tensor, Tensor];
    const loss = F.crossEntropy(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}
