/**
 * Detection sets for `shendu train`'s image-dataset plumbing (BatchLoader, hold-out split): the boxes of a batch
 * packed into one tensor [B, K, 5] of rows (label, x1, y1, x2, y2) padded with label -1, and the canvas detection
 * sets by name (`canvas-mnist`, `canvas-fashion-mnist`) as train/test LabeledDatasets of that form.
 * @module
 */
import { ValueError } from '../../errors.js';
import { stack } from '../../ops/movement.js';
import { tensor } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import type { DetectionTarget } from '../../train/tasks/detection.js';
import type { CanvasDetection } from '../../vision/canvas-detection.js';
import { canvasDetection } from './canvas-detection.js';
import type { DataDirOptions } from './data-dir.js';
import type { LabeledDataset } from './image-dataset.js';

/** Detection targets packed into one tensor [B, K, 5]: rows (label, x1, y1, x2, y2), label -1 for padding (K = most boxes). */
export function packTargets(targets: readonly DetectionTarget[]): Tensor {
  const k = Math.max(1, ...targets.map((t) => t.labels.shape[0]));
  const out = new Float32Array(targets.length * k * 5);
  targets.forEach((t, i) => {
    const b = t.boxes.toTypedArray();
    const l = t.labels.toTypedArray();
    for (let j = 0; j < k; j++) {
      const o = (i * k + j) * 5;
      if (j >= l.length) out[o] = -1;
      else out.set([l[j], b[4 * j], b[4 * j + 1], b[4 * j + 2], b[4 * j + 3]], o);
    }
  });
  return tensor(out, { shape: [targets.length, k, 5] });
}

/** The targets of packTargets' tensor [B, K, 5] (rows with label -1 dropped). */
export function unpackTargets(packed: Tensor): DetectionTarget[] {
  if (!(packed instanceof Tensor) || packed.ndim !== 3 || packed.shape[2] !== 5) {
    throw new ValueError(`unpackTargets: expected packed targets [B, K, 5] (label, x1, y1, x2, y2), got ${packed instanceof Tensor ? `shape [${packed.shape.join(', ')}]` : typeof packed}`);
  }
  const [n, k] = packed.shape;
  const v = packed.toTypedArray();
  return Array.from({ length: n }, (_, i) => {
    const boxes: number[] = [];
    const labels: number[] = [];
    for (let j = 0; j < k; j++) {
      const o = (i * k + j) * 5;
      if (v[o] < 0) continue;
      labels.push(v[o]);
      boxes.push(v[o + 1], v[o + 2], v[o + 3], v[o + 4]);
    }
    return { boxes: tensor(Float32Array.from(boxes), { shape: [labels.length, 4] }), labels: tensor(Int32Array.from(labels), { shape: [labels.length], dtype: 'int32' }) };
  });
}

/**
 * A detection set as a LabeledDataset for `shendu train`: item i is [image [C, H, W], packed target [K_i, 5]] and
 * batches are [images, packTargets(...)]; `targets()` lists every object's class (what checkLabels reads).
 */
export function detectionImages(set: CanvasDetection, name: string): LabeledDataset {
  const [, c, h, w] = set.images.shape;
  const ds = {
    name, inputShape: [c, h, w], classes: set.classes, numClasses: set.classes.length, length: set.length,
    get: (i: number) => {
      const [img, t] = set.get(i);
      return [img, packTargets([t]).squeeze(0)];
    },
    inputs: () => set.images,
    targets: () => tensor(Int32Array.from(set.labels.flat()), { dtype: 'int32' }),
    batch(indices: ArrayLike<number>): [Tensor, Tensor] {
      const items = Array.from(indices, (i) => set.get(i));
      return [stack(items.map((it) => it[0])), packTargets(items.map((it) => it[1]))];
    },
  };
  // the one place the packed target stands where a class label would: only batch() and targets() are read by train
  return ds as unknown as LabeledDataset;
}

/** The canvas detection sets `shendu train` knows, by dataset name: their train and test splits as detectionImages. */
export const DETECTION_DATASETS: Record<string, { description: string; load: (o: DataDirOptions) => { train: LabeledDataset; test: LabeledDataset } }> = {
  'canvas-mnist': {
    description: 'MNIST canvas detection set: 96x96 canvases with 2-5 real MNIST digits each (boxes + labels), 5,000 train / 1,000 test, 10 classes',
    load: (o) => ({ train: detectionImages(canvasDetection({ ...o, train: true }), 'canvas-mnist train'), test: detectionImages(canvasDetection({ ...o, train: false }), 'canvas-mnist test') }),
  },
  'canvas-fashion-mnist': {
    description: 'Fashion-MNIST canvas detection set: 96x96 canvases with 2-5 real Fashion-MNIST items each, 5,000 train / 1,000 test, 10 classes',
    load: (o) => ({
      train: detectionImages(canvasDetection({ ...o, items: 'fashion-mnist', train: true }), 'canvas-fashion-mnist train'),
      test: detectionImages(canvasDetection({ ...o, items: 'fashion-mnist', train: false }), 'canvas-fashion-mnist test'),
    }),
  },
};

/** The names loadDetectionDataset takes. */
export const DETECTION_DATASET_NAMES: readonly string[] = Object.keys(DETECTION_DATASETS);

/**
 * A detection set by name (one of DETECTION_DATASET_NAMES) as `shendu train` loads data sets: both splits as
 * detectionImages, classes and input shape, task 'detection'. An unknown name is a ValueError listing the valid ones.
 */
export function loadDetectionDataset(name: string, opts: DataDirOptions = {}): { name: string; task: 'detection'; train: LabeledDataset; test: LabeledDataset; numClasses: number; classes: readonly string[]; inputShape: readonly number[] } {
  if (!Object.hasOwn(DETECTION_DATASETS, name)) throw new ValueError(`unknown detection dataset '${name}'; detectors train on: ${DETECTION_DATASET_NAMES.join(', ')}`);
  const { train, test } = DETECTION_DATASETS[name].load(opts);
  return { name, task: 'detection', train, test, numClasses: train.numClasses, classes: train.classes, inputShape: train.inputShape };
}
