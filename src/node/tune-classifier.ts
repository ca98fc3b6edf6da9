/**
 * Tuning a zoo image classifier on an image data set (`shendu tune`, examples/tune-hyperband.ts): one trial draws
 * lr, weight decay, dropout, batch size and optimizer from a ClassifierSpace, trains the model exactly as
 * `shendu train` does (the classification recipe's task, BatchLoader, the held-out validation split, fitTask) and
 * reports the validation accuracy after every epoch to the study's pruner, ending the trial as pruned when asked.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Layer } from '../nn/module.js';
import { createModel, isModelName, modelEntry, modelNames, type ModelName, type ModelOptionsMap } from '../models/registry.js';
import { OPTIMIZER_NAMES } from '../optim/registry.js';
import { manualSeed } from '../tensor/random.js';
import { checkLabels } from '../train/labels.js';
import { fitTask } from '../train/loop.js';
import type { Callback, EpochLogs } from '../train/types.js';
import { suggestClassifierParams, type ClassifierParams, type ClassifierSpace } from '../tune/classifier-space.js';
import { TrialPruned, type Trial } from '../tune/trial.js';
import type { Objective } from '../tune/study.js';
import { DATASET_NAMES, loadDataset } from './datasets/index.js';
import type { LabeledDataset } from './datasets/image-dataset.js';
import { BatchLoader, defaultValSplit, holdOut, inputPrep, type RunInfo } from './recipe.js';
import { classificationRecipe } from './train-recipes/classification.js';

type TakesDropout = { [K in ModelName]: ModelOptionsMap[K] extends { dropout?: number } ? K : never }[ModelName];

/** The zoo's image classifiers built with a `dropout` option (the list is checked against their option types). */
export const DROPOUT_MODELS: readonly TakesDropout[] = Object.freeze([
  'mlp', 'lenet5', 'alexnet', 'vgg11', 'vgg13', 'vgg16', 'vgg19', 'vgg11_bn', 'vgg13_bn', 'vgg16_bn', 'vgg19_bn', 'googlenet',
] as const);

/** Whether the zoo model `name` takes a dropout probability among its options. */
export function takesDropout(name: string): boolean {
  return (DROPOUT_MODELS as readonly string[]).includes(name);
}

/** The zoo's image classifiers (classification task, image inputs): the models `shendu tune` can tune. */
export function imageClassifierNames(): ModelName[] {
  return modelNames().filter((n) => {
    const e = modelEntry(n);
    return e.task === 'classification' && e.exampleInputs === undefined;
  });
}

/** Options of `ClassifierTuning`. */
export interface ClassifierTuningOptions {
  /** Zoo name of an image classifier, e.g. 'lenet5'. */
  model: string;
  /** Image data set name (a classification set of the dataset registry). */
  dataset: string;
  /** Directory of downloaded data sets (else $SHENDU_DATA_DIR). */
  dataDir?: string;
  /** Epochs of a fully trained trial (the pruner's last step). */
  epochs: number;
  /** Training images used (default: all of the training split). */
  limit?: number;
  /** Training images held out for validation (default: as `shendu train`). */
  valCount?: number;
  /** The space to draw from. */
  space: ClassifierSpace;
  /** Batch size when the space does not search it (default 64). */
  batchSize?: number;
  /** Optimizer when the space does not search it (default 'adam'). */
  optimizer?: string;
  /** Learning-rate schedule over the full `epochs` (default 'cosine', as `shendu train`). */
  scheduler?: string;
  /** Seed of initialization, shuffling and the validation split; every trial uses the same (default 0). */
  seed?: number;
  /** Called after each trained epoch of a trial (after reporting, before the pruning decision). */
  onEpoch?: (trial: Trial, epoch: number, logs: EpochLogs) => void;
  /** Called with the trained model when a trial completes all `epochs` (not when pruned), e.g. to score it on a test split. */
  onTrained?: (trial: Trial, model: Layer, training: TrialTraining) => void;
}

/** A finished trial's training, as the objective leaves it for callers (keyed by trial number). */
export interface TrialTraining {
  /** Parameters drawn. */
  params: ClassifierParams;
  /** Epochs trained. */
  epochs: number;
  /** Validation accuracy after each epoch, in [0, 1]. */
  valAccuracy: number[];
  /** Seconds per epoch. */
  epochSeconds: number[];
  /** Whether the pruner stopped it. */
  pruned: boolean;
}

/**
 * A data set, split and space bound into an objective: `objective(trial)` trains one configuration and returns the
 * final validation accuracy in [0, 1] (maximize it). Loads the data set once.
 */
export class ClassifierTuning {
  /** The objective to give `study.optimize`. */
  readonly objective: Objective;
  /** Training images a trial sees per epoch. */
  readonly trainCount: number;
  /** Validation images. */
  readonly valCount: number;
  /** The model's metadata as `shendu train` would store it. */
  readonly info: RunInfo;
  /** Each trial's training record by trial number (this process's trials). */
  readonly trainings = new Map<number, TrialTraining>();

  /** Loads the data set and checks the options (ValueError naming the option). */
  constructor(readonly opts: ClassifierTuningOptions) {
    const fn = 'ClassifierTuning';
    if (!isModelName(opts.model) || !imageClassifierNames().includes(opts.model)) {
      throw new ValueError(`${fn}: model must be a zoo image classifier (${imageClassifierNames().join(', ')}), got '${opts.model}'`);
    }
    if (!DATASET_NAMES.includes(opts.dataset)) throw new ValueError(`${fn}: unknown dataset '${opts.dataset}'; valid: ${DATASET_NAMES.join(', ')}`);
    if (!Number.isSafeInteger(opts.epochs) || opts.epochs < 1) throw new ValueError(`${fn}: epochs must be an integer >= 1, got ${opts.epochs}`);
    if (opts.space.dropout && !takesDropout(opts.model)) {
      throw new ValueError(`${fn}: the space has 'dropout' but ${opts.model} has no dropout option (models with one: ${DROPOUT_MODELS.join(', ')})`);
    }
    const batchSize = opts.batchSize ?? 64;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new ValueError(`${fn}: batchSize must be an integer >= 1, got ${batchSize}`);
    const optimizer = opts.optimizer ?? 'adam';
    if (!(OPTIMIZER_NAMES as readonly string[]).includes(optimizer)) throw new ValueError(`${fn}: unknown optimizer '${optimizer}'; valid: ${OPTIMIZER_NAMES.join(', ')}`);
    const data = loadDataset(opts.dataset, { dataDir: opts.dataDir });
    if (data.task !== 'classification') throw new ValueError(`${fn}: dataset '${opts.dataset}' is a regression data set; the zoo's models classify images`);
    const train: LabeledDataset = data.train;
    checkLabels(train.targets(), data.numClasses);
    const [inChannels, height, width] = train.inputShape;
    if (height !== width) throw new ValueError(`${fn}: the zoo's models take square images, '${opts.dataset}' has ${height}x${width}`);
    const entry = modelEntry(opts.model);
    const size = height < entry.inputSize && entry.inputSize <= 64 ? entry.inputSize : height;
    const prep = inputPrep(height, size);
    const seed = opts.seed ?? 0;
    if (opts.limit !== undefined && (!Number.isSafeInteger(opts.limit) || opts.limit < 1)) throw new ValueError(`${fn}: limit must be an integer >= 1, got ${opts.limit}`);
    const valCount = opts.valCount ?? Math.min(defaultValSplit(train.length), opts.limit === undefined ? Infinity : Math.ceil(opts.limit / 10));
    if (!Number.isSafeInteger(valCount) || valCount < 1 || valCount >= train.length) {
      throw new ValueError(`${fn}: valCount must be in 1..${train.length - 1} (tuning needs validation images), got ${valCount}`);
    }
    const split = holdOut(train.length, valCount, seed + 2);
    this.trainCount = Math.min(opts.limit ?? Infinity, split.train.length);
    this.valCount = valCount;
    const norm = classificationRecipe.normalization(opts.dataset);
    this.info = {
      model: opts.model, modelOptions: { inChannels, inputSize: size, numClasses: train.numClasses }, task: 'classification',
      dataset: opts.dataset, classes: [...train.classes], norm, imageSize: height, prep,
    };
    const valLoader = new BatchLoader(train, 1000, norm, { indices: split.val, prep });
    const scheduler = opts.scheduler ?? 'cosine';

    this.objective = (trial: Trial): number => {
      const params = suggestClassifierParams(trial, opts.space);
      const bs = params.batchSize ?? batchSize;
      manualSeed(seed);
      const modelOptions = { ...this.info.modelOptions, ...(params.dropout !== undefined ? { dropout: params.dropout } : {}) };
      const model = createModel(opts.model, modelOptions);
      const trainLoader = new BatchLoader(train, bs, norm, { shuffleSeed: seed + 1, limit: opts.limit, indices: split.train, prep });
      const task = classificationRecipe.buildTask({
        model, optimizer: params.optimizer ?? optimizer, lr: params.lr, weightDecay: params.weightDecay ?? 0, scheduler,
        epochs: opts.epochs, stepsPerEpoch: trainLoader.length, seed, info: this.info,
      });
      const record: TrialTraining = { params, epochs: 0, valAccuracy: [], epochSeconds: [], pruned: false };
      this.trainings.set(trial.number, record);
      const pruning: Callback = {
        onEpochEnd: (epoch, logs, ctx) => {
          const acc = logs.val_accuracy as number;
          record.epochs = epoch;
          record.valAccuracy.push(acc);
          record.epochSeconds.push((logs.time as number | undefined) ?? 0);
          trial.report(acc, epoch);
          opts.onEpoch?.(trial, epoch, logs);
          if (epoch < opts.epochs && trial.shouldPrune()) {
            record.pruned = true;
            ctx.stop(`pruned after epoch ${epoch}`);
          }
        },
      };
      fitTask(task, { trainLoader, valLoader, epochs: opts.epochs, callbacks: [pruning] });
      if (record.pruned) throw new TrialPruned(`trial ${trial.number} pruned after epoch ${record.epochs} at validation accuracy ${record.valAccuracy.at(-1)}`);
      opts.onTrained?.(trial, model, record);
      return record.valAccuracy.at(-1) as number;
    };
  }
}
