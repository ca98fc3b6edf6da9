/**
 * Training a zoo model on a dataset, as `shendu train`, `eval`, `predict` and `visualize` (and, later, search and
 * the server) do it: per-dataset input normalization, input preparation (padding or resizing to the model's size), a batch loader over a labeled dataset, and how a run's model is rebuilt from its checkpoint.
 * @module
 */
import { dirname, basename, join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { DataError, ValueError, assertNever } from '../errors.js';
import type { ModelOptions } from '../models/registry.js';
import { loadRun } from '../models/run.js';
import { pad } from '../ops/pad.js';
import { interpolate } from '../ops/resample.js';
import type { TaskName } from '../train/tasks/registry.js';
import type { Layer } from '../nn/module.js';
import type { LabeledDataset } from './datasets/image-dataset.js';
import { NodeFileStore } from './files.js';
import { loadImage } from './datasets/image-folder.js';
import { resizeAntialiased } from '../ops/antialias.js';
import { stack } from '../ops/movement.js';
import { randomPermutation } from '../data/sampler.js';
import type { Transform } from '../data/transforms.js';
import type { Checkpoint } from '../train/types.js';
import { tensor } from '../tensor/creation.js';
import { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

/** Per-channel mean and std the inputs are normalized with (the training split's statistics). */
export const NORMALIZATION: Record<string, { mean: number[]; std: number[] }> = {
  mnist: { mean: [0.1307], std: [0.3081] },
  'fashion-mnist': { mean: [0.286], std: [0.353] },
  cifar10: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] },
  cifar100: { mean: [0.5071, 0.4865, 0.4409], std: [0.2673, 0.2564, 0.2762] },
  emoji: { mean: [0.8219, 0.7697, 0.7099], std: [0.2872, 0.2876, 0.3525] },
};

/** Subtracts the mean and divides by the std per channel of a [B, C, H, W] batch. */
export function normalizeBatch(x: Tensor, norm: { mean: number[]; std: number[] }): Tensor {
  const c = norm.mean.length;
  const mean = tensor(Float32Array.from(norm.mean), { shape: [1, c, 1, 1] });
  const std = tensor(Float32Array.from(norm.std), { shape: [1, c, 1, 1] });
  return x.sub(mean).div(std);
}

/**
 * Batches [inputs, labels] of a labeled dataset (or of the items `indices` picks), brought to the model's input
 * size (`prep`), augmented (`transform`, image by image) and normalized; shuffled each epoch by its own generator
 * (which checkpoints save, so a resumed run sees the same batches).
 */
export class BatchLoader implements Iterable<[Tensor, Tensor]> {
  /** The shuffling generator (null: in order). */
  readonly generator: Generator | null;

  /** Creates the loader over the first `limit` items of `data`. */
  constructor(
    readonly data: LabeledDataset,
    readonly batchSize: number,
    readonly norm: { mean: number[]; std: number[] },
    opts: { shuffleSeed?: number; limit?: number; transform?: Transform; indices?: readonly number[]; prep?: InputPrep | null } = {},
  ) {
    this.prep = opts.prep ?? null;
    this.generator = opts.shuffleSeed === undefined ? null : new Generator(opts.shuffleSeed);
    this.indices = opts.indices ?? null;
    this.count = Math.min(opts.limit ?? Infinity, this.indices ? this.indices.length : data.length);
    this.transform = opts.transform ?? null;
  }

  /** The dataset items this loader serves (null: all, in order), e.g. a training split without its validation part. */
  private readonly indices: readonly number[] | null;
  private readonly count: number;
  private readonly transform: Transform | null;
  private readonly prep: InputPrep | null;

  /** Batches per epoch. */
  get length(): number {
    return Math.ceil(this.count / this.batchSize);
  }

  /** One epoch of batches. */
  *[Symbol.iterator](): Iterator<[Tensor, Tensor]> {
    // the same draws as shuffling the list in place: positions permuted, then mapped to dataset items
    const positions = this.generator ? randomPermutation(this.count, this.generator) : Array.from({ length: this.count }, (_, i) => i);
    const order = this.indices ? positions.map((p) => this.indices![p]) : positions;
    for (let at = 0; at < order.length; at += this.batchSize) {
      const idx = order.slice(at, at + this.batchSize);
      let [x, y] = this.data.batch(idx);
      x = applyPrep(x, this.prep);
      if (this.transform) x = stack(Array.from({ length: idx.length }, (_, i) => this.transform!(x.select(0, i))), 0);
      yield [normalizeBatch(x, this.norm), y];
    }
  }
}

/**
 * Splits item indices 0..n-1 into a training part and a validation part of `valCount` items, by a permutation of
 * its own seed (so the split is the same on resume and does not depend on the shuffling generator).
 */
export function holdOut(n: number, valCount: number, seed: number): { train: number[]; val: number[] } {
  const order = randomPermutation(n, new Generator(seed));
  const val = order.slice(n - valCount).sort((a, b) => a - b);
  const train = order.slice(0, n - valCount).sort((a, b) => a - b);
  return { train, val };
}

/** The default validation split: 5,000 items when the training set has over 20,000 (MNIST, CIFAR), else a tenth. */
export function defaultValSplit(n: number): number {
  return n > 20000 ? 5000 : Math.floor(n / 10);
}

/**
 * How a dataset's images of `from`x`from` pixels reach a model built for `to`x`to`: nothing when equal, zero padding
 * (centred) when the model is up to 8 pixels larger and the gap is even (28 -> 32, as LeNet-5's paper padded MNIST),
 * else a bilinear resize.
 */
export type InputPrep = { kind: 'pad'; pad: number } | { kind: 'resize'; size: number };

/** The InputPrep from images of `from` pixels to a model of `to` (null when no change is needed). */
export function inputPrep(from: number, to: number): InputPrep | null {
  if (from === to) return null;
  if (to > from && to - from <= 8 && (to - from) % 2 === 0) return { kind: 'pad', pad: (to - from) / 2 };
  return { kind: 'resize', size: to };
}

/** Applies an InputPrep to a batch [B, C, H, W] of images in [0, 1] (before normalization). */
export function applyPrep(x: Tensor, prep: InputPrep | null | undefined): Tensor {
  if (!prep) return x;
  switch (prep.kind) {
    case 'pad': return pad(x, [prep.pad, prep.pad, prep.pad, prep.pad]);
    case 'resize': return interpolate(x, { size: [prep.size, prep.size], mode: 'bilinear', alignCorners: false, antialias: x.shape[2] > prep.size });
    default: return assertNever(prep, 'input preparation');
  }
}

/** What a run stores in its checkpoints' metadata so eval, predict and visualize can rebuild the model. */
export interface RunInfo {
  /** Zoo model name. */
  model: string;
  /** Options it was built with (image models' input channels, size and classes, when it takes images). */
  modelOptions: ModelOptions & { inChannels?: number; inputSize?: number; numClasses?: number };
  /** The training task (from the model's metadata; absent in runs before tasks: classification). */
  task?: TaskName;
  /** Dataset it was trained on. */
  dataset: string;
  /** Class names. */
  classes: string[];
  /** Input normalization. */
  norm: { mean: number[]; std: number[] };
  /** The dataset's image size (absent in older runs: the model's input size). */
  imageSize?: number;
  /** How the dataset's images were brought to the model's input size (absent or null: unchanged). */
  prep?: InputPrep | null;
  /** Where the weights started from when fine-tuned (`shendu train --init RUN --freeze ... --replace-head`). */
  fineTuned?: { init?: string; freeze?: string; replaceHead: boolean };
}

/**
 * The trained run a command argument names — a run directory (its last.safetensors) or a .safetensors file —
 * restored with the library's loadRun: the model with its weights, in eval mode, and the run's metadata.
 */
export function openRun(cmd: string, path: string): { model: Layer; info: RunInfo; checkpoint: Checkpoint; file: string } {
  let dir: string;
  let name: string;
  if (existsSync(path) && statSync(path).isDirectory()) {
    dir = path;
    name = 'last';
  } else {
    dir = dirname(path);
    name = basename(path).replace(/\.safetensors$/, '');
  }
  const file = join(dir, `${name}.safetensors`);
  if (!existsSync(file)) throw new DataError(`${cmd}: no checkpoint at ${file} (pass a run directory such as runs/lenet5-mnist, or a .safetensors file)`);
  const { model, meta, checkpoint } = loadRun(new NodeFileStore(dir), name, { source: file });
  return { model, info: meta as unknown as RunInfo, checkpoint, file };
}

/** Refuses a run whose model is not an image classifier (eval, predict and visualize read class scores). */
export function requireClassifier(cmd: string, info: RunInfo, file: string): void {
  const task = info.task ?? 'classification';
  if (task !== 'classification') throw new ValueError(`${cmd}: ${file} holds a ${task} model (${info.model}), not an image classifier; ${cmd} works on classifier runs${task === 'language-model' || task === 'vae' || task === 'gan' || task === 'cgan' ? ' (draw from it with shendu sample)' : ''}`);
}

/**
 * One image file as the run's model takes it: decoded to the model's channels (refused above `maxPixels` before
 * decoding), resized (antialiased bilinear) to the images the run trained on when its size differs, optionally
 * inverted, then prepared as in training (`prep`). `image` is that [C, H, W] picture in [0, 1]; `input` the
 * normalized batch [1, C, H, W] for the model; `originalSize` the file's [width, height].
 */
export function runImage(info: RunInfo, file: string, opts: { maxPixels?: number; invert?: boolean } = {}): { image: Tensor; input: Tensor; originalSize: [number, number] } {
  const channels = (info.modelOptions.inChannels ?? 1) as 1 | 3;
  const size = info.imageSize ?? info.modelOptions.inputSize ?? 28;
  let image = loadImage(file, { channels, maxPixels: opts.maxPixels });
  const originalSize: [number, number] = [image.shape[2], image.shape[1]];
  if (image.shape[1] !== size || image.shape[2] !== size) image = resizeAntialiased(image, [size, size], 'bilinear');
  if (opts.invert) image = image.neg().add(1);
  image = applyPrep(image.unsqueeze(0), info.prep).squeeze(0);
  return { image, input: normalizeBatch(image.unsqueeze(0), info.norm), originalSize };
}
