/**
 * The canvas detection set built from real MNIST or Fashion-MNIST items (vision.composeCanvasDetection), with a
 * fixed split: the training canvases use only training-split items and seed CANVAS_DETECTION_SEEDS.train, the
 * test canvases only test-split items and seed CANVAS_DETECTION_SEEDS.test, so no item appears on both sides.
 * @module
 */
import { ValueError } from '../../errors.js';
import { type CanvasDetection, type CanvasDetectionOptions, composeCanvasDetection } from '../../vision/canvas-detection.js';
import type { DataDirOptions } from './data-dir.js';
import { fashionMnist } from './fashion-mnist.js';
import { mnist } from './mnist.js';

/** The composition seeds of the two splits. */
export const CANVAS_DETECTION_SEEDS = { train: 15, test: 1015 } as const;

/** Default number of canvases per split. */
export const CANVAS_DETECTION_SIZES = { train: 5000, test: 1000 } as const;

/** Options of canvasDetection(): the composition's options (its seed is fixed by the split) and where the items come from. */
export interface CanvasDetectionSetOptions extends Omit<CanvasDetectionOptions, 'seed'>, DataDirOptions {
  /** Items from 'mnist' (default) or 'fashion-mnist'. */
  items?: 'mnist' | 'fashion-mnist';
  /** The training split (default true) or the test split. */
  train?: boolean;
}

/**
 * The canvas detection set's training (default) or test split: `images` [N, C, H, W] float32, per-image boxes
 * [x1, y1, x2, y2] and labels (see vision.composeCanvasDetection). Default 5,000 training / 1,000 test canvases of
 * 96x96 with 2-5 objects and 3 clutter fragments each.
 */
export function canvasDetection(opts: CanvasDetectionSetOptions = {}): CanvasDetection {
  const items = opts.items ?? 'mnist';
  if (items !== 'mnist' && items !== 'fashion-mnist') throw new ValueError(`canvasDetection: items must be 'mnist' or 'fashion-mnist', got ${JSON.stringify(items)}`);
  const train = opts.train ?? true;
  const split = train ? 'train' : 'test';
  const ds = items === 'mnist' ? mnist({ train, dataDir: opts.dataDir }) : fashionMnist({ train, dataDir: opts.dataDir });
  const [, h, w] = ds.imageShape;
  return composeCanvasDetection(
    { pixels: ds.rawPixels, labels: ds.rawLabels, height: h, width: w, classes: ds.classes },
    { ...opts, numImages: opts.numImages ?? CANVAS_DETECTION_SIZES[split], seed: CANVAS_DETECTION_SEEDS[split] },
  );
}
