/**
 * `shendu train <model>`: trains a zoo model on a dataset with a live progress bar, checkpoints every epoch
 * (resumable with --resume, even after kill -9), and leaves in the run directory the weights (safetensors), the
 * metrics logs, training curves, a confusion-matrix heat map and a grid of misclassified test images.
 * @module
 */
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { randomAffine, randomHorizontalFlip, randomCrop, compose, type Transform } from '../data/transforms.js';
import { ValueError } from '../errors.js';
import { crossEntropy } from '../nn/loss.js';
import { createModel, modelNames } from '../models/registry.js';
import { DATASET_NAMES, loadDataset, type LabeledDataset } from '../node/datasets/index.js';
import { NodeFileStore, terminalProgress } from '../node/files.js';
import { saveConfusionMatrix, saveImageGrid, saveTrainingCurves } from '../node/pictures.js';
import { noGrad } from '../autograd/grad-mode.js';
import { manualSeed } from '../tensor/random.js';
import { getBackend, setBackend } from '../backend/registry.js';
import { getNumThreads, setNumThreads } from '../backend/wasm/index.js';
import { CSVLogger, JSONLinesLogger, LRLogger, LambdaCallback } from '../train/callbacks.js';
import { ModelCheckpoint, loadCheckpoint } from '../train/checkpoint.js';
import { fit } from '../train/fit.js';
import { checkLabels } from '../train/labels.js';
import { ConfusionMatrix } from '../train/metrics.js';
import type { Callback, EpochLogs } from '../train/types.js';
import type { Command } from './main.js';
import { BatchLoader, DEFAULT_LR, NORMALIZATION, OPTIMIZERS, SCHEDULERS, makeOptimizer, makeScheduler, normalizeBatch, type RunInfo } from './recipe.js';
import { UsageError } from './args.js';

const AUGMENTS = ['none', 'affine', 'flip-crop'] as const;

/** `shendu train`. */
export const trainCommand: Command = {
  spec: {
    name: 'train',
    summary: 'train a model on a dataset; writes runs/NAME with checkpoints, logs and pictures',
    positionals: [{ name: 'model', help: 'a zoo model', choices: modelNames }],
    options: {
      dataset: { type: 'string', default: 'mnist', choices: DATASET_NAMES, help: 'dataset to train on' },
      epochs: { type: 'int', default: 10, help: 'number of epochs', metavar: 'N' },
      'batch-size': { type: 'int', default: 64, help: 'samples per batch', metavar: 'N' },
      lr: { type: 'number', help: 'learning rate (default depends on the optimizer: adam 0.001, sgd 0.05, ...)', metavar: 'X' },
      optimizer: { type: 'string', default: 'adam', choices: OPTIMIZERS, help: 'optimizer' },
      scheduler: { type: 'string', default: 'cosine', choices: SCHEDULERS, help: 'learning-rate schedule' },
      'weight-decay': { type: 'number', default: 0, help: 'L2 weight decay', metavar: 'X' },
      augment: { type: 'string', default: 'none', choices: AUGMENTS, help: 'training augmentation (affine: rotate 10°, shift 10%; flip-crop: for CIFAR)' },
      seed: { type: 'int', default: 0, help: 'seed of initialization and shuffling', metavar: 'N' },
      out: { type: 'string', help: 'run directory (default runs/<model>-<dataset>)', metavar: 'DIR' },
      resume: { type: 'flag', help: "continue the run in --out from its last checkpoint" },
      limit: { type: 'int', help: 'use only the first N training images (quick trials)', metavar: 'N' },
      'test-limit': { type: 'int', help: 'evaluate on only the first N test images (quick trials)', metavar: 'N' },
      'data-dir': { type: 'string', help: 'directory holding downloaded datasets (else $SHENDU_DATA_DIR)', metavar: 'DIR' },
      backend: { type: 'string', choices: ['wasm', 'cpu'], help: 'kernel backend (default: wasm where it loads)' },
      threads: { type: 'int', help: 'kernel threads of the wasm backend (default: the number of cores)', metavar: 'N' },
    },
  },
  async run(args) {
    const o = args.options;
    const modelName = args.positionals.model as string;
    const datasetName = o.dataset as string;
    const epochs = o.epochs as number;
    const batchSize = o['batch-size'] as number;
    if (epochs < 1) throw new UsageError(`shendu train: --epochs must be at least 1, got ${epochs}`);
    const testLimit = o['test-limit'] as number | undefined;
    if (testLimit !== undefined && testLimit < 1) throw new UsageError(`shendu train: --test-limit must be at least 1, got ${testLimit}`);
    if (batchSize < 1) throw new UsageError(`shendu train: --batch-size must be at least 1, got ${batchSize}`);
    const optimizerName = o.optimizer as string;
    const lr = (o.lr as number | undefined) ?? DEFAULT_LR[optimizerName];
    if (!(lr > 0)) throw new UsageError(`shendu train: --lr must be positive, got ${lr}`);
    const out = (o.out as string | undefined) ?? join('runs', `${modelName}-${datasetName}`);
    const data = loadDataset(datasetName, { dataDir: o['data-dir'] as string | undefined });
    if (data.task !== 'classification') throw new ValueError(`train: dataset '${datasetName}' is a regression dataset; the zoo's models classify images`);
    const [inChannels, height, width] = data.train.inputShape;
    if (height !== width) throw new ValueError(`train: the zoo's models take square images, '${datasetName}' has ${height}x${width}`);
    const norm = NORMALIZATION[datasetName];
    const info: RunInfo = { model: modelName, modelOptions: { inChannels, inputSize: height, numClasses: data.numClasses }, dataset: datasetName, classes: [...data.classes], norm };

    if (o.backend !== undefined) setBackend(o.backend as string);
    if (o.threads !== undefined) {
      if ((o.threads as number) < 1) throw new UsageError(`shendu train: --threads must be at least 1, got ${o.threads as number}`);
      setNumThreads(o.threads as number);
    }
    const backend = getBackend().name;
    const threads = backend === 'wasm' ? getNumThreads() : 1;
    manualSeed(o.seed as number);
    const model = createModel(modelName, info.modelOptions);
    const augment = o.augment as string;
    let transform: Transform | undefined;
    if (augment === 'affine') transform = randomAffine({ degrees: 10, translate: [0.1, 0.1], interpolation: 'bilinear' });
    if (augment === 'flip-crop') transform = compose(randomHorizontalFlip(), randomCrop(height, { padding: 4 }));
    const trainLoader = new BatchLoader(data.train, batchSize, norm, { shuffleSeed: (o.seed as number) + 1, limit: o.limit as number | undefined, transform });
    const testLoader = new BatchLoader(data.test, 1000, norm, { limit: testLimit });
    const optimizer = makeOptimizer(optimizerName, model.parameters(), lr, o['weight-decay'] as number);
    const scheduler = makeScheduler(o.scheduler as string, optimizer, epochs, trainLoader.length, lr);

    // labels outside the classes are refused before training starts (cheap on the label tensors)
    checkLabels(data.train.targets(), data.numClasses);
    checkLabels(data.test.targets(), data.numClasses);
    mkdirSync(out, { recursive: true });
    const store = new NodeFileStore(out);
    const resumeFrom = o.resume ? loadCheckpoint(store, 'last') : null;
    if (o.resume && !resumeFrom) throw new ValueError(`train: --resume given but ${out} holds no checkpoint (last.safetensors); start without --resume`);
    // resident memory after each epoch: it should stay flat once the first epoch has warmed up
    const rssMiB: number[] = [];
    const callbacks: Callback[] = [
      terminalProgress(),
      new LambdaCallback({ onEpochEnd: () => void rssMiB.push(Math.round(process.memoryUsage().rss / 2 ** 20)) }),
      new ModelCheckpoint({ store, monitor: 'val_accuracy', metadata: { shendu: JSON.stringify(info) } }),
      new CSVLogger({ store }),
      new JSONLinesLogger({ store }),
      new LRLogger({ store }),
    ];
    console.log(`training ${modelName} on ${datasetName} (${Math.min((o.limit as number | undefined) ?? Infinity, data.train.length)} images, ${Math.min(testLimit ?? Infinity, data.test.length)} test), ${epochs} epochs, ${optimizerName} lr ${lr}, ${o.scheduler} schedule, batch ${batchSize}, ${backend} backend${backend === 'wasm' ? `, ${threads} thread${threads > 1 ? 's' : ''}` : ''} -> ${out}`);
    if (resumeFrom) console.log(`resuming from ${join(out, 'last.safetensors')} (epoch ${resumeFrom.state?.epoch ?? '?'})`);
    const history = fit(model, {
      trainLoader, valLoader: testLoader, loss: crossEntropy, optimizer, scheduler, epochs, metrics: ['accuracy'],
      callbacks, resumeFrom, generators: [trainLoader.generator!],
    });

    const report = await finalReport(model, data.test, norm, info, out, testLimit ?? data.test.length);
    const last = history.epochs[history.epochs.length - 1] as EpochLogs;
    await saveTrainingCurves(history.epochs, join(out, 'curves'));
    const times = history.epochs.map((e) => e.time).filter((t) => typeof t === 'number');
    const summary = {
      model: modelName, dataset: datasetName, epochs: history.epochs.length, testAccuracy: report.accuracy,
      testLoss: last.val_loss, meanEpochSeconds: times.length ? times.reduce((a, b) => a + b, 0) / times.length : null,
      optimizer: optimizerName, lr, scheduler: o.scheduler, batchSize, seed: o.seed, backend, threads,
      rssMiBAfterEpoch: rssMiB, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    writeFileSync(join(out, 'summary.json.tmp'), JSON.stringify(summary, null, 2) + '\n');
    renameSync(join(out, 'summary.json.tmp'), join(out, 'summary.json'));
    console.log(`test accuracy ${(100 * report.accuracy).toFixed(2)}% on ${Math.min(testLimit ?? Infinity, data.test.length)} images` + (summary.meanEpochSeconds ? `, ${summary.meanEpochSeconds.toFixed(1)} s per epoch` : ''));
    console.log(`run saved in ${out}: last.safetensors, best.safetensors, metrics.csv, metrics.jsonl, curves.png, confusion.png, misclassified.png`);
    return 0;
  },
};

/** Test accuracy of the final model, and the confusion-matrix and misclassified-images pictures. */
async function finalReport(
  model: ReturnType<typeof createModel>, test: LabeledDataset,
  norm: { mean: number[]; std: number[] }, info: RunInfo, out: string, count: number,
): Promise<{ accuracy: number }> {
  const confusion = new ConfusionMatrix({ numClasses: info.modelOptions.numClasses });
  const wrongIdx: number[] = [];
  const wrongPred: number[] = [];
  model.eval();
  noGrad(() => {
    for (let at = 0; at < count; at += 1000) {
      const idx = Array.from({ length: Math.min(1000, count - at) }, (_, i) => at + i);
      const [x, y] = test.batch(idx);
      const logits = model.forward(normalizeBatch(x, norm));
      confusion.update(logits, y);
      const pred = logits.argmax(1).toTypedArray();
      const truth = y.toTypedArray();
      for (let i = 0; i < pred.length && wrongIdx.length < 48; i++) {
        if (pred[i] !== truth[i]) {
          wrongIdx.push(idx[i]);
          wrongPred.push(pred[i]);
        }
      }
    }
  });
  const m = confusion.matrix;
  const total = m.reduce((s, r) => s + r.reduce((a, b) => a + b, 0), 0);
  const correct = m.reduce((s, r, i) => s + r[i], 0);
  await saveConfusionMatrix(m, info.classes, join(out, 'confusion'));
  if (wrongIdx.length) {
    const [imgs, labels] = test.batch(wrongIdx);
    const truth = labels.toTypedArray();
    const name = (k: number) => info.classes[k] ?? String(k);
    await saveImageGrid(imgs, wrongIdx.map((_, i) => `pred ${name(wrongPred[i])}\ntrue ${name(truth[i])}`), join(out, 'misclassified'), { nrow: 8 });
  }
  return { accuracy: correct / total };
}
