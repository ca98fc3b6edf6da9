/**
 * MNIST for the benchmarks: the training images, read once by shendu's own loader, cut into consecutive
 * batches of float32 pixels in [0, 1]. bench/torch_train.py reads the same IDX files and cuts the same batches.
 * @module
 */
import { mnist, mnistLocation } from '../../src/node/index.js';

/** The MNIST training split as raw bytes and labels. */
export interface MnistTrain {
  /** 28x28 pixels per image, row-major, one byte each. */
  pixels: Uint8Array;
  /** One digit per image. */
  labels: Int32Array;
  /** Number of images. */
  count: number;
}

/** Pixels per MNIST image. */
export const MNIST_PIXELS = 28 * 28;

/** Reads the MNIST training images and labels with shendu's `mnist()`. */
export function loadMnistTrain(): MnistTrain {
  const ds = mnist({ train: true });
  return { pixels: ds.rawPixels, labels: ds.rawLabels, count: ds.length };
}

/** The directory the IDX files are read from (passed to the PyTorch script so it reads the same files). */
export function mnistDir(): string {
  const loc = mnistLocation();
  if (!loc.dir) throw new Error(`MNIST: ${loc.description}`);
  return loc.dir;
}

/**
 * Batch `k` of `batch` images: images k*batch .. k*batch+batch-1, wrapping around the set. Returns pixels
 * [batch * 784] float32 in [0, 1] and labels [batch] int32.
 */
export function mnistBatch(data: MnistTrain, k: number, batch: number): { x: Float32Array; y: Int32Array } {
  const start = (k % Math.floor(data.count / batch)) * batch;
  const x = new Float32Array(batch * MNIST_PIXELS);
  const src = data.pixels.subarray(start * MNIST_PIXELS, (start + batch) * MNIST_PIXELS);
  for (let i = 0; i < x.length; i++) x[i] = src[i] / 255;
  return { x, y: data.labels.slice(start, start + batch) };
}
