/**
 * CIFAR-10 and CIFAR-100 (Krizhevsky, 2009), 32x32 RGB images, from the binary version the user downloads
 * from https://www.cs.toronto.edu/~kriz/cifar.html and extracts into the data directory:
 * `<dataDir>/cifar-10-batches-bin/` (data_batch_1.bin .. data_batch_5.bin, test_batch.bin, batches.meta.txt)
 * and `<dataDir>/cifar-100-binary/` (train.bin, test.bin, fine_label_names.txt, coarse_label_names.txt).
 * Nothing here downloads.
 * @module
 */
import { join } from 'node:path';
import { parseCifar, type CifarData } from '../../data/cifar.js';
import type { Transform } from '../../data/transforms.js';
import { DataError, ValueError } from '../../errors.js';
import { type DataDirOptions, type DatasetLocation, describeDataDir, isDir, isFile, readDataFile, resolveDataDir } from './data-dir.js';
import { ImageDataset, checkLabels } from './image-dataset.js';

/** CIFAR-10's class names (used when batches.meta.txt is absent). */
export const CIFAR10_CLASSES: readonly string[] = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** CIFAR-100's 100 fine class names (used when fine_label_names.txt is absent). */
export const CIFAR100_CLASSES: readonly string[] = [
  'apple', 'aquarium_fish', 'baby', 'bear', 'beaver', 'bed', 'bee', 'beetle', 'bicycle', 'bottle',
  'bowl', 'boy', 'bridge', 'bus', 'butterfly', 'camel', 'can', 'castle', 'caterpillar', 'cattle',
  'chair', 'chimpanzee', 'clock', 'cloud', 'cockroach', 'couch', 'crab', 'crocodile', 'cup', 'dinosaur',
  'dolphin', 'elephant', 'flatfish', 'forest', 'fox', 'girl', 'hamster', 'house', 'kangaroo', 'keyboard',
  'lamp', 'lawn_mower', 'leopard', 'lion', 'lizard', 'lobster', 'man', 'maple_tree', 'motorcycle', 'mountain',
  'mouse', 'mushroom', 'oak_tree', 'orange', 'orchid', 'otter', 'palm_tree', 'pear', 'pickup_truck', 'pine_tree',
  'plain', 'plate', 'poppy', 'porcupine', 'possum', 'rabbit', 'raccoon', 'ray', 'road', 'rocket',
  'rose', 'sea', 'seal', 'shark', 'shrew', 'skunk', 'skyscraper', 'snail', 'snake', 'spider',
  'squirrel', 'streetcar', 'sunflower', 'sweet_pepper', 'table', 'tank', 'telephone', 'television', 'tiger', 'tractor',
  'train', 'trout', 'tulip', 'turtle', 'wardrobe', 'whale', 'willow_tree', 'wolf', 'woman', 'worm',
];

/** CIFAR-100's 20 coarse (superclass) names (used when coarse_label_names.txt is absent). */
export const CIFAR100_COARSE_CLASSES: readonly string[] = [
  'aquatic_mammals', 'fish', 'flowers', 'food_containers', 'fruit_and_vegetables', 'household_electrical_devices',
  'household_furniture', 'insects', 'large_carnivores', 'large_man-made_outdoor_things', 'large_natural_outdoor_scenes',
  'large_omnivores_and_herbivores', 'medium_mammals', 'non-insect_invertebrates', 'people', 'reptiles', 'small_mammals',
  'trees', 'vehicles_1', 'vehicles_2',
];

/** Options of cifar10() and cifar100(). */
export interface CifarOptions extends DataDirOptions {
  /** The training split (default true) or the test split. */
  train?: boolean;
  /** Applied to each image tensor ([3, 32, 32] float32 in [0, 1]) in get(i). */
  transform?: Transform;
}

/** Options of cifar100(). */
export interface Cifar100Options extends CifarOptions {
  /** Which labels the items carry: the 100 'fine' classes (default) or the 20 'coarse' superclasses. */
  labels?: 'fine' | 'coarse';
}

const CIFAR10 = {
  title: 'CIFAR-10',
  folder: 'cifar-10-batches-bin',
  pythonFolder: 'cifar-10-batches-py',
  archive: 'cifar-10-binary.tar.gz',
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
  names: ['batches.meta.txt'],
};
const CIFAR100 = {
  title: 'CIFAR-100',
  folder: 'cifar-100-binary',
  pythonFolder: 'cifar-100-python',
  archive: 'cifar-100-binary.tar.gz',
  train: ['train.bin'],
  test: ['test.bin'],
  names: ['fine_label_names.txt', 'coarse_label_names.txt'],
};
const DOWNLOAD_PAGE = 'https://www.cs.toronto.edu/~kriz/cifar.html';
const DOWNLOAD_DIR = 'https://www.cs.toronto.edu/~kriz/';

/**
 * What the user must do: which archive to download (the page's "binary version (suitable for C programs)" link),
 * the command that extracts it into the data directory, and the folder and files that gives. When the data
 * directory holds the archive unextracted, or the Python version's folder, says so.
 */
function howToGet(spec: typeof CIFAR100, dataDir: string | undefined): string {
  const dir = dataDir ?? '<dataDir>';
  const files = [...spec.train, ...spec.test, ...spec.names].join(', ');
  const steps = `download "${spec.title} binary version (suitable for C programs)" (about 160 MB) from ${DOWNLOAD_DIR}${spec.archive} (listed on ${DOWNLOAD_PAGE}) and extract it into the data directory with 'tar xzf ${spec.archive} -C ${dir}', giving ${join(dir, spec.folder)}/ with ${files}`;
  if (dataDir === undefined) return steps;
  if (isFile(join(dataDir, spec.archive))) return `found ${join(dataDir, spec.archive)} not yet extracted: run 'tar xzf ${join(dataDir, spec.archive)} -C ${dataDir}', giving ${join(dataDir, spec.folder)}/ with ${files}`;
  if (isDir(join(dataDir, spec.pythonFolder))) return `found ${join(dataDir, spec.pythonFolder)}, the Python (pickle) version, which shendu does not read; ${steps}`;
  return steps;
}

function locate(spec: typeof CIFAR100, opts: DataDirOptions): DatasetLocation {
  const dataDir = resolveDataDir(opts.dataDir);
  if (dataDir === undefined) return { kind: 'missing', description: `${describeDataDir(opts.dataDir)}; ${howToGet(spec, undefined)}` };
  const dir = join(dataDir, spec.folder);
  const missing = [...spec.train, ...spec.test].filter((f) => !isFile(join(dir, f)));
  if (missing.length > 0) return { kind: 'missing', description: `missing ${missing.join(', ')} in ${dir}; ${howToGet(spec, dataDir)}` };
  return { kind: 'data-dir', dir, description: `binary files in ${dir}` };
}

/** Where cifar10() would read from, without reading the files. */
export function cifar10Location(opts: DataDirOptions = {}): DatasetLocation {
  return locate(CIFAR10, opts);
}

/** Where cifar100() would read from, without reading the files. */
export function cifar100Location(opts: DataDirOptions = {}): DatasetLocation {
  return locate(CIFAR100, opts);
}

function readSplit(spec: typeof CIFAR100, variant: 'cifar10' | 'cifar100', opts: DataDirOptions, train: boolean): { dir: string; files: string[]; data: CifarData } {
  const dataDir = resolveDataDir(opts.dataDir);
  if (dataDir === undefined) throw new DataError(`${spec.title}: ${describeDataDir(opts.dataDir)}; ${howToGet(spec, undefined)}`);
  const dir = join(dataDir, spec.folder);
  const files = (train ? spec.train : spec.test).map((f) => join(dir, f));
  for (const f of files) {
    if (!isFile(f)) throw new DataError(`${spec.title}: missing file ${f} (looked in ${dir}); ${howToGet(spec, dataDir)}`);
  }
  const parts = files.map((f) => parseCifar(readDataFile(f), variant, f));
  const count = parts.reduce((a, p) => a + p.count, 0);
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  const coarse = variant === 'cifar100' ? new Uint8Array(count) : null;
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * 3072);
    labels.set(p.labels, at);
    if (coarse && p.coarseLabels) coarse.set(p.coarseLabels, at);
    at += p.count;
  }
  return { dir, files, data: { count, images, labels, coarseLabels: coarse } };
}

/**
 * Class names from a label-names file (one name per line, blank lines ignored) when it exists, else
 * `fallback`; a file with a different number of names is a DataError.
 */
export function readLabelNames(path: string, fallback: readonly string[]): readonly string[] {
  if (!isFile(path)) return fallback;
  const names = new TextDecoder('utf-8').decode(readDataFile(path)).split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
  if (names.length !== fallback.length) throw new DataError(`${path}: ${names.length} class names, expected ${fallback.length}`);
  return names;
}

/**
 * The CIFAR-10 training (default, 50,000 images from data_batch_1..5.bin) or test split (10,000 from
 * test_batch.bin): item i is [image [3, 32, 32] float32 in [0, 1], class index]. A missing file is a
 * DataError naming it, where it was looked for, and where to download the binary version.
 */
export function cifar10(opts: CifarOptions = {}): ImageDataset {
  const train = opts.train ?? true;
  const { dir, files, data } = readSplit(CIFAR10, 'cifar10', opts, train);
  return new ImageDataset({
    name: `CIFAR-10 ${train ? 'train' : 'test'}`,
    pixels: data.images,
    labels: data.labels,
    imageShape: [3, 32, 32],
    classes: readLabelNames(join(dir, 'batches.meta.txt'), CIFAR10_CLASSES),
    source: files.join(', '),
    transform: opts.transform,
  });
}

/**
 * The CIFAR-100 training (default, 50,000 images from train.bin) or test split (10,000 from test.bin):
 * item i is [image [3, 32, 32] float32 in [0, 1], fine class index 0..99], or the coarse superclass 0..19
 * with `labels: 'coarse'`.
 */
export function cifar100(opts: Cifar100Options = {}): ImageDataset {
  const train = opts.train ?? true;
  const mode = opts.labels ?? 'fine';
  if (mode !== 'fine' && mode !== 'coarse') throw new ValueError(`cifar100: labels must be 'fine' or 'coarse', got '${String(mode)}'`);
  const { dir, files, data } = readSplit(CIFAR100, 'cifar100', opts, train);
  const classes = mode === 'fine'
    ? readLabelNames(join(dir, 'fine_label_names.txt'), CIFAR100_CLASSES)
    : readLabelNames(join(dir, 'coarse_label_names.txt'), CIFAR100_COARSE_CLASSES);
  const labels = mode === 'fine' ? data.labels : data.coarseLabels!;
  checkLabels(labels, classes.length, files.join(', '));
  return new ImageDataset({
    name: `CIFAR-100 ${train ? 'train' : 'test'}${mode === 'coarse' ? ' (coarse)' : ''}`,
    pixels: data.images,
    labels,
    imageShape: [3, 32, 32],
    classes,
    source: files.join(', '),
    transform: opts.transform,
  });
}
