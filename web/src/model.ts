/**
 * The model the page predicts with — the one training in the page or one loaded from a `shendu train` run's
 * checkpoint — and what it takes: class probabilities for a drawn digit and the feature maps of its first conv
 * layers (captured with forward hooks by the library's `viz.featureMaps`, tiled by `viz.featureMapGrid`).
 * @module
 */
import { assertNever } from '../../src/errors.js';
import {
  DataError, interpolate, models, nn, noGrad, pad, softmax, tensor, train, viz, ValueError, type Tensor,
} from '../../src/index.js';
import { MNIST_CLASSES, MNIST_NORM } from './data.js';

/** How a run brought its images to the model's input size (as `shendu train` records it in `prep`). */
export type InputPrep = { kind: 'pad'; pad: number } | { kind: 'resize'; size: number };

/** A classifier of 1-channel images and how to feed it. */
export interface PageModel {
  /** The network: [N, 1, H, W] -> logits [N, classes]. */
  model: nn.Layer;
  /** Class names, one per logit. */
  classes: string[];
  /** Input normalization. */
  norm: { mean: number[]; std: number[] };
  /** Side of the images it was trained on (before `prep`). */
  imageSize: number;
  /** Padding or resizing to the model's input (null: none). */
  prep: InputPrep | null;
  /** Where it comes from, for the page. */
  label: string;
}

/** The page's own LeNet-5 (the zoo's `lenet5`) on MNIST. */
export function freshLeNet(): PageModel {
  return { model: models.createModel('lenet5', { inChannels: 1, inputSize: 28, numClasses: 10 }), classes: MNIST_CLASSES, norm: MNIST_NORM, imageSize: 28, prep: null, label: 'LeNet-5 trained in this page' };
}

/**
 * The model of a `shendu train` checkpoint (`best.safetensors` or `last.safetensors`): rebuilt from the zoo by the
 * library's `models.loadRun` with the model name, options, classes and normalization the file's metadata records.
 * A file that is not such a checkpoint, or a model that does not classify 1-channel images, is a DataError.
 */
export function modelFromCheckpoint(fileName: string, bytes: Uint8Array): PageModel {
  // stored under the file's own name, so that errors from decoding it name the file the user picked
  const base = fileName.replace(/\.safetensors$/, '');
  const name = base === '' || base === '.' || base === '..' || /[\\/]/.test(base) ? 'checkpoint' : base;
  const store = new train.MemoryFileStore();
  store.write(`${name}.safetensors`, bytes);
  const { model, meta, checkpoint } = models.loadRun(store, name, { source: fileName });
  const task = (meta.task as string | undefined) ?? 'classification';
  if (task !== 'classification') throw new DataError(`${fileName}: holds a ${task} model (${meta.model}); the playground draws digits for image classifiers`);
  const opts = meta.modelOptions as { inChannels?: number; inputSize?: number };
  if ((opts.inChannels ?? 1) !== 1) throw new DataError(`${fileName}: ${meta.model} takes ${opts.inChannels}-channel images; the drawing pad makes 1-channel ones`);
  const norm = meta.norm as PageModel['norm'] | undefined;
  const classes = meta.classes as string[] | undefined;
  if (!norm || !Array.isArray(norm.mean) || !Array.isArray(norm.std) || !Array.isArray(classes)) {
    throw new DataError(`${fileName}: the run's metadata lacks its classes or input normalization (was it written by 'shendu train'?)`);
  }
  const epoch = checkpoint.metadata['shendu.epoch'];
  return {
    model, classes, norm,
    imageSize: (meta.imageSize as number | undefined) ?? opts.inputSize ?? 28,
    prep: (meta.prep as InputPrep | null | undefined) ?? null,
    label: `${meta.model} on ${String(meta.dataset)} from ${fileName}${epoch !== undefined ? `, epoch ${epoch}` : ''}`,
  };
}

/** A drawn 28x28 image (values in [0, 1]) as the batch [1, 1, S, S] `pm` takes: resized, prepared, normalized. */
export function modelInput(pm: PageModel, pixels: Float32Array): Tensor {
  if (pixels.length !== 784) throw new ValueError(`modelInput: expected 784 pixels (28x28), got ${pixels.length}`);
  let x = tensor(pixels, { shape: [1, 1, 28, 28] });
  if (pm.imageSize !== 28) x = interpolate(x, { size: [pm.imageSize, pm.imageSize], mode: 'bilinear', alignCorners: false, antialias: pm.imageSize < 28 });
  const prep = pm.prep;
  if (prep) {
    switch (prep.kind) {
      case 'pad': x = pad(x, [prep.pad, prep.pad, prep.pad, prep.pad]); break;
      case 'resize': x = interpolate(x, { size: [prep.size, prep.size], mode: 'bilinear', alignCorners: false, antialias: x.shape[2] > prep.size }); break;
      default: assertNever(prep, 'input preparation');
    }
  }
  return x.sub(pm.norm.mean[0]).div(pm.norm.std[0]);
}

/** Class probabilities of `input` [1, 1, S, S], in eval mode without gradients (the model's mode is put back). */
export function classProbabilities(pm: PageModel, input: Tensor): number[] {
  const modes = pm.model.modules().map((m): [nn.Module, boolean] => [m, m.training]);
  pm.model.eval();
  try {
    return Array.from(noGrad(() => softmax(pm.model.forward(input), 1)).toTypedArray());
  } finally {
    for (const [m, mode] of modes) m.training = mode;
  }
}

/** The outputs of the model's first `count` Conv2d layers for `input`, each as a PNG of one tile per channel. */
export function convFeatureMaps(pm: PageModel, input: Tensor, count = 2): { layer: string; channels: number; size: number; png: Uint8Array }[] {
  const convs = pm.model.namedModules().filter(([, m]) => m instanceof nn.Conv2d).slice(0, count).map(([name]) => name);
  if (convs.length === 0) return [];
  const maps = viz.featureMaps(pm.model, input, { layers: convs });
  return convs.map((layer) => {
    const map = maps.get(layer)!;
    const grid = viz.featureMapGrid(map, { nrow: map.shape[0] <= 8 ? map.shape[0] : 8 });
    return { layer, channels: map.shape[0], size: map.shape[1], png: viz.tileGridPng(grid, { scale: map.shape[1] >= 20 ? 3 : 5 }) };
  });
}
