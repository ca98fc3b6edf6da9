/**
 * `shendu train <model>`: trains a zoo model on a dataset with a live progress bar, checkpoints every epoch
 * (resumable with --resume, even after kill -9), and leaves in the run directory the weights (safetensors), the
 * metrics logs, training curves, a confusion-matrix heat map and a grid of misclassified test images.
 * @module
 */
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { colorJitter, randomAffine, randomHorizontalFlip, randomCrop, compose, type Transform } from '../data/transforms.js';
import { ValueError } from '../errors.js';
import { createModel, modelEntry, modelNames } from '../models/registry.js';
import { CORPUS_NAMES, DATASET_NAMES, DETECTION_DATASET_NAMES, loadDataset, loadDetectionDataset } from '../node/datasets/index.js';
import { trainLanguageModel } from './train-lm.js';
import { fineTune } from './fine-tune.js';
import { DEFAULT_LR, OPTIMIZER_NAMES, SCHEDULER_NAMES } from '../optim/registry.js';
import { manualSeed } from '../tensor/random.js';
import { getBackend, setBackend } from '../backend/registry.js';
import { getNumThreads, setNumThreads } from '../backend/wasm/index.js';
import { checkLabels } from '../train/labels.js';
import type { EpochLogs } from '../train/types.js';
import { runFit } from './run-fit.js';
import type { Command } from './main.js';
import { BatchLoader, defaultValSplit, holdOut, inputPrep, type RunInfo } from '../node/recipe.js';
import { taskRecipe } from '../node/train-recipes/index.js';
import { UsageError } from './args.js';
import { nasCnnOptions, type NasCnnOptions } from '../models/nascnn.js';
import { loadArchitecture } from '../node/nas-architecture.js';

const AUGMENTS = ['none', 'affine', 'flip-crop', 'flip-crop-color'] as const;

/** `shendu train`. */
export const trainCommand: Command = {
  spec: {
    name: 'train',
    summary: 'train a model on a dataset; writes runs/NAME with checkpoints, logs and pictures',
    positionals: [{ name: 'model', help: 'a zoo model', choices: modelNames }],
    options: {
      dataset: { type: 'string', choices: [...DATASET_NAMES, ...CORPUS_NAMES, ...DETECTION_DATASET_NAMES], help: 'dataset to train on (default mnist; moby-dick for language models; canvas-mnist for detectors)' },
      epochs: { type: 'int', default: 10, help: 'number of epochs', metavar: 'N' },
      'batch-size': { type: 'int', default: 64, help: 'samples per batch', metavar: 'N' },
      lr: { type: 'number', help: 'learning rate (default depends on the optimizer: adam 0.001, sgd 0.05, ...)', metavar: 'X' },
      optimizer: { type: 'string', default: 'adam', choices: OPTIMIZER_NAMES, help: 'optimizer' },
      scheduler: { type: 'string', default: 'cosine', choices: SCHEDULER_NAMES, help: 'learning-rate schedule' },
      'weight-decay': { type: 'number', default: 0, help: 'L2 weight decay', metavar: 'X' },
      augment: { type: 'string', default: 'none', choices: AUGMENTS, help: 'training augmentation (affine: rotate 10°, shift 10%; flip-crop: mirror and crop with 4 pixels of padding, for CIFAR; flip-crop-color: also colour jitter of brightness, contrast and saturation by up to 20%)' },
      'input-size': { type: 'int', help: "the model's input height and width; images are padded (a gap of up to 8 pixels) or resized to it (default: the model's own size when the images are smaller and it is a small model, e.g. Fashion-MNIST's 28 -> 32 for resnet20; else the images' size)", metavar: 'N' },
      init: { type: 'string', help: "start from another run's weights (a run directory or .safetensors file): every weight whose name and shape fit is loaded, the rest listed", metavar: 'RUN' },
      freeze: { type: 'string', help: 'comma-separated parameter name prefixes to keep fixed (e.g. features or 0,3 for LeNet-5); the optimizer updates the rest', metavar: 'PREFIXES' },
      'replace-head': { type: 'flag', help: 'give the model a freshly initialized classifier head after --init (always trained, even under --freeze)' },
      seed: { type: 'int', default: 0, help: 'seed of initialization and shuffling', metavar: 'N' },
      out: { type: 'string', help: 'run directory (default runs/<model>-<dataset>)', metavar: 'DIR' },
      resume: { type: 'flag', help: "continue the run in --out from its last checkpoint" },
      overwrite: { type: 'flag', help: 'replace the run that --out holds (its checkpoints, logs and pictures are deleted)' },
      'val-split': { type: 'int', help: 'training images held out for validation, which picks best.safetensors (default 5000 for sets over 20,000 images, else a tenth; 0: none)', metavar: 'N' },
      limit: { type: 'int', help: 'use only the first N training images (quick trials)', metavar: 'N' },
      'test-limit': { type: 'int', help: 'evaluate on only the first N test images (quick trials)', metavar: 'N' },
      'data-dir': { type: 'string', help: 'directory holding downloaded datasets (else $SHENDU_DATA_DIR)', metavar: 'DIR' },
      backend: { type: 'string', choices: ['wasm', 'cpu'], help: 'kernel backend (default: wasm where it loads)' },
      threads: { type: 'int', help: 'kernel threads of the wasm backend (default: the number of cores)', metavar: 'N' },
      cell: { type: 'string', choices: ['lstm', 'gru', 'rnn'], help: 'language models: the recurrent cell (default lstm)' },
      'seq-len': { type: 'int', help: 'language models: time steps per batch of truncated BPTT (default 100)', metavar: 'N' },
      'clip-grad-norm': { type: 'number', help: 'language models: clip the gradient norm at X (default 1)', metavar: 'X' },
      'hidden-size': { type: 'int', help: 'language models: units per recurrent layer (default 256)', metavar: 'N' },
      'num-layers': { type: 'int', help: 'language models: recurrent layers (default 2)', metavar: 'N' },
      'embed-dim': { type: 'int', help: 'language models: symbol embedding size (default 64)', metavar: 'N' },
      dropout: { type: 'number', help: 'language models: dropout between layers (default 0)', metavar: 'P' },
      arch: { type: 'string', help: 'nascnn: the architecture file a NAS search wrote (saveArchitecture); the run keeps the architecture, so eval, predict and export need no --arch', metavar: 'FILE' },
    },
  },
  async run(args) {
    const o = args.options;
    const modelName = args.positionals.model as string;
    const datasetName = (o.dataset as string | undefined) ?? (modelEntry(modelName).task === 'detection' ? 'canvas-mnist' : 'mnist');
    const epochs = o.epochs as number;
    const batchSize = o['batch-size'] as number;
    if (epochs < 1) throw new UsageError(`shendu train: --epochs must be at least 1, got ${epochs}`);
    const testLimit = o['test-limit'] as number | undefined;
    if (testLimit !== undefined && testLimit < 1) throw new UsageError(`shendu train: --test-limit must be at least 1, got ${testLimit}`);
    const limit = o.limit as number | undefined;
    if (limit !== undefined && limit < 1) throw new UsageError(`shendu train: --limit must be at least 1, got ${limit}`);
    if (o.resume && o.overwrite) throw new UsageError('shendu train: --resume and --overwrite exclude each other; choose one');
    if (batchSize < 1) throw new UsageError(`shendu train: --batch-size must be at least 1, got ${batchSize}`);
    const optimizerName = o.optimizer as string;
    if (o.threads !== undefined && (o.threads as number) < 1) throw new UsageError(`shendu train: --threads must be at least 1, got ${o.threads as number}`);
    const entry = modelEntry(modelName);
    const searchedArch = entry.searchedArchitecture === true;
    if ((o.arch !== undefined) !== searchedArch) throw new UsageError(`shendu train: ${searchedArch ? `${modelName} needs --arch FILE (an architecture file a NAS search wrote)` : `--arch is for nascnn; ${modelName} has a fixed architecture`}`);
    const searched = o.arch === undefined ? undefined : nasCnnOptions(loadArchitecture(o.arch as string));
    if (o.backend !== undefined) setBackend(o.backend as string);
    if (o.threads !== undefined) {
      const cores = availableParallelism();
      const wanted = o.threads as number;
      if (wanted > cores) console.error(`shendu train: --threads ${wanted} is more than this machine's ${cores} cores; using ${cores}`);
      setNumThreads(Math.min(wanted, cores));
    }
    const backend = getBackend().name;
    const threads = backend === 'wasm' ? getNumThreads() : 1;
    if (entry.task === 'language-model') return trainLanguageModel(args, { backend, threads });
    if (CORPUS_NAMES.includes(datasetName)) throw new UsageError(`shendu train: '${datasetName}' is a text corpus, for language models (charlm); ${modelName} trains on images`);
    for (const flag of ['cell', 'seq-len', 'clip-grad-norm', 'hidden-size', 'num-layers', 'embed-dim', 'dropout']) {
      if (o[flag] !== undefined) throw new UsageError(`shendu train: --${flag} is for language models; ${modelName} is an image model`);
    }
    const recipe = taskRecipe(entry.task);
    const lr = (o.lr as number | undefined) ?? recipe.defaultLr(optimizerName) ?? DEFAULT_LR[optimizerName as keyof typeof DEFAULT_LR];
    if (!(lr > 0)) throw new UsageError(`shendu train: --lr must be positive, got ${lr}`);
    const out = (o.out as string | undefined) ?? join('runs', `${modelName}-${datasetName}`);
    const data = entry.task === 'detection' ? loadDetectionDataset(datasetName, { dataDir: o['data-dir'] as string | undefined }) : loadDataset(datasetName, { dataDir: o['data-dir'] as string | undefined });
    if (data.task === 'regression') throw new ValueError(`train: dataset '${datasetName}' is a regression dataset; the zoo's models classify images`);
    const trainData = recipe.dataset ? recipe.dataset(data.train) : data.train;
    const [inChannels, height, width] = data.train.inputShape;
    if (height !== width) throw new ValueError(`train: the zoo's models take square images, '${datasetName}' has ${height}x${width}`);
    const size = (o['input-size'] as number | undefined) ?? (height < entry.inputSize && entry.inputSize <= 64 ? entry.inputSize : height);
    if (size < 1) throw new UsageError(`shendu train: --input-size must be at least 1, got ${size}`);
    const prep = inputPrep(height, size);
    const norm = recipe.normalization(datasetName);
    const info: RunInfo = {
      model: modelName, modelOptions: { inChannels, inputSize: size, numClasses: trainData.numClasses }, task: entry.task,
      dataset: datasetName, classes: [...trainData.classes], norm, imageSize: height, prep,
    };
    if (searched) Object.assign(info.modelOptions, searched);
    const valCount = (o['val-split'] as number | undefined) ?? Math.min(defaultValSplit(data.train.length), limit === undefined ? Infinity : Math.ceil(limit / 10));
    if (valCount < 0 || valCount >= data.train.length) {
      throw new UsageError(`shendu train: --val-split must be in 0..${data.train.length - 1} (the training set has ${data.train.length} images), got ${valCount}`);
    }

    manualSeed(o.seed as number);
    const model = createModel(modelName, info.modelOptions);
    // options whose default has changed (the entry's runDefaults) are recorded with the value used, so the run rebuilds the same model later
    for (const key of Object.keys(entry.runDefaults ?? {})) (info.modelOptions as Record<string, unknown>)[key] = (model as unknown as Record<string, unknown>)[key];
    const augment = o.augment as string;
    if (augment !== 'none' && recipe.augments === false) throw new UsageError(`shendu train: --augment moves the images but not their ${entry.task} targets; ${modelName} trains without augmentation`);
    if (augment.startsWith('flip-crop') && datasetName === 'mnist') {
      console.error(`shendu train: warning: --augment flip-crop mirrors images left to right, which changes what digits mean; MNIST may train better with --augment affine`);
    }
    let transform: Transform | undefined;
    if (augment === 'affine') transform = randomAffine({ degrees: 10, translate: [0.1, 0.1], interpolation: 'bilinear' });
    if (augment === 'flip-crop') transform = compose(randomHorizontalFlip(), randomCrop(size, { padding: 4 }));
    if (augment === 'flip-crop-color') transform = compose(randomHorizontalFlip(), randomCrop(size, { padding: 4 }), colorJitter({ brightness: 0.2, contrast: 0.2, saturation: 0.2 }));
    const split = holdOut(data.train.length, valCount, (o.seed as number) + 2);
    const trainLoader = new BatchLoader(trainData, batchSize, norm, { shuffleSeed: (o.seed as number) + 1, limit, transform, indices: split.train, prep });
    const valLoader = valCount > 0 ? new BatchLoader(trainData, 1000, norm, { indices: split.val, prep }) : undefined;
    const tuning = fineTune(model, modelName, info.modelOptions.numClasses ?? data.numClasses, o);
    if (tuning) info.fineTuned = { init: o.init as string | undefined, freeze: o.freeze as string | undefined, replaceHead: Boolean(o['replace-head']) };
    const task = recipe.buildTask({
      model, optimizer: optimizerName, lr, weightDecay: o['weight-decay'] as number, scheduler: o.scheduler as string,
      epochs, stepsPerEpoch: trainLoader.length, seed: o.seed as number, info,
    });

    // labels outside the classes are refused before training starts (cheap on the label tensors)
    checkLabels(data.train.targets(), data.numClasses);
    checkLabels(data.test.targets(), data.numClasses);
    const banner = [`training ${modelName} (${entry.task}) on ${datasetName}${prep ? ` (${height}x${height} ${prep.kind === 'pad' ? 'padded' : 'resized'} to ${size}x${size})` : ''} (${Math.min(limit ?? Infinity, split.train.length)} images, ${valCount} held out for validation), ${epochs} epochs, ${optimizerName} lr ${lr}, ${recipe.constantLr ? 'constant rate' : `${o.scheduler} schedule`}, batch ${batchSize}, ${backend} backend${backend === 'wasm' ? `, ${threads} thread${threads > 1 ? 's' : ''}` : ''} -> ${out}`];
    if (tuning) banner.push(tuning);
    const run = await runFit({
      out, resume: Boolean(o.resume), overwrite: Boolean(o.overwrite), metadata: { ...info, valSplit: valCount },
      checkSame: (stored) => checkSameRun(out, stored, info, valCount), monitor: recipe.monitor(valLoader !== undefined),
      task, trainLoader, valLoader, epochs, generators: [trainLoader.generator!], banner,
    });
    const report = await recipe.report({ model, task, test: data.test, info, out, count: Math.min(testLimit ?? Infinity, data.test.length) });
    const last = run.history.epochs[run.history.epochs.length - 1] as EpochLogs;
    const summary = {
      model: modelName, task: entry.task, dataset: datasetName, epochs: run.history.epochs.length, ...report.metrics,
      valAccuracy: last.val_accuracy ?? null, valLoss: last.val_loss ?? null, meanEpochSeconds: run.meanEpochSeconds,
      optimizer: optimizerName, lr, scheduler: o.scheduler, batchSize, seed: o.seed, backend, threads,
    };
    run.finish(summary);
    console.log(report.line + (summary.meanEpochSeconds ? `, ${summary.meanEpochSeconds.toFixed(1)} s per epoch` : ''));
    const pictures = readdirSync(out).filter((f) => f.endsWith('.png')).sort();
    console.log(`run saved in ${out}: ${['last.safetensors', 'best.safetensors', 'metrics.csv', 'metrics.jsonl', ...pictures].join(', ')}`);
    return 0;
  },
};

/** Refuses to resume a run with another model, dataset, input size, class count or validation split than it was made with. */
function checkSameRun(out: string, stored: string | undefined, info: RunInfo, valSplit: number): void {
  if (stored === undefined) throw new ValueError(`train: ${join(out, 'last.state.safetensors')} has no 'shendu' metadata, so it cannot be checked against this command; start a new run with --overwrite`);
  let was: RunInfo & { valSplit?: number };
  try {
    was = JSON.parse(stored);
  } catch {
    throw new ValueError(`train: the 'shendu' metadata of ${join(out, 'last.state.safetensors')} is not valid JSON; start a new run with --overwrite`);
  }
  const pairs: [string, unknown, unknown][] = [
    ['model', was.model, info.model],
    ['dataset', was.dataset, info.dataset],
    ['input channels', was.modelOptions?.inChannels, info.modelOptions.inChannels],
    ['input size', was.modelOptions?.inputSize, info.modelOptions.inputSize],
    ['classes', was.modelOptions?.numClasses, info.modelOptions.numClasses],
    ['validation split', was.valSplit ?? valSplit, valSplit],
    ['architecture (--arch)', JSON.stringify((was.modelOptions as NasCnnOptions | undefined)?.architecture), JSON.stringify((info.modelOptions as NasCnnOptions).architecture)],
  ];
  const changed = modelEntry(info.model).runDefaults ?? {};
  for (const [key, old] of Object.entries(changed)) {
    pairs.push([key, (was.modelOptions as Record<string, unknown> | undefined)?.[key] ?? old, (info.modelOptions as Record<string, unknown>)[key]]);
  }
  const diff = pairs.filter(([, a, b]) => a !== b).map(([k, a, b]) => `${k}: the run has ${String(a)}, this command ${String(b)}`);
  if (diff.length > 0) throw new ValueError(`train: cannot resume ${out} with different settings (${diff.join('; ')}); resume with the run's settings, or pass --overwrite to start again`);
}
