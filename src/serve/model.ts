/**
 * The trained run a server answers with: its checkpoint opened by name inside the run directory only (no
 * absolute paths, no '..', no symbolic link leading out of the directory), restored as `shendu predict`
 * restores it (`openRun`), and its forward pass to class probabilities.
 * @module
 */
import { realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { noGrad } from '../autograd/grad-mode.js';
import { DataError, ShapeError, ValueError } from '../errors.js';
import type { Layer } from '../nn/module.js';
import { openRun, requireClassifier, type RunInfo } from '../node/recipe.js';
import { runInputShape } from '../node/run-image.js';
import { softmax } from '../ops/activation.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFileName } from '../train/store.js';

/** A classifier run ready to answer. */
export interface ServedModel {
  /** The model, in eval mode. */
  model: Layer;
  /** The run's metadata (model name, dataset, classes, normalization, input preparation). */
  info: RunInfo;
  /** The checkpoint file it was restored from (inside the run directory). */
  file: string;
  /** One sample's input shape [C, H, W]. */
  sampleShape: [number, number, number];
  /** Class probabilities [N, K] (softmax of the model's logits) of a normalized batch [N, C, H, W]. */
  probabilities(x: Tensor): Tensor;
}

/** The real path of the directory `runDir` (a DataError when it is missing or not a directory). */
function realDir(runDir: string): string {
  let real: string;
  try {
    real = realpathSync(runDir);
  } catch {
    throw new DataError(`serve: no run directory at ${runDir} (pass a run directory such as runs/lenet5-mnist)`);
  }
  if (!statSync(real).isDirectory()) throw new DataError(`serve: ${runDir} is not a directory; pass the run directory that holds the checkpoint`);
  return real;
}

/**
 * Restores checkpoint `checkpoint` (default 'last': `<runDir>/last.safetensors`) of the classifier run in
 * `runDir`. The name must stay inside the directory: an absolute path, '.', '..' or a symbolic link out of it
 * is a ValueError; a run of another task (a GAN, a language model) is a ValueError too.
 */
export function loadServedRun(runDir: string, opts: { checkpoint?: string } = {}): ServedModel {
  const name = checkFileName('serve: checkpoint', opts.checkpoint ?? 'last');
  const dir = realDir(runDir);
  const path = join(dir, `${name.replace(/\.safetensors$/, '')}.safetensors`);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new DataError(`serve: no checkpoint ${JSON.stringify(name)} in ${runDir} (expected ${path})`);
  }
  if (!real.startsWith(dir + sep)) throw new ValueError(`serve: checkpoint ${JSON.stringify(name)} leads outside the run directory ${runDir} (to ${real}); copy the file into the run instead`);
  if (!statSync(real).isFile()) throw new DataError(`serve: checkpoint ${path} is not a file`);
  const { model, info, file } = openRun('serve', real);
  requireClassifier('serve', info, file);
  const sampleShape = runInputShape(info);
  return {
    model,
    info,
    file,
    sampleShape,
    probabilities(x: Tensor): Tensor {
      if (x.shape.length !== 4 || x.shape[1] !== sampleShape[0] || x.shape[2] !== sampleShape[1] || x.shape[3] !== sampleShape[2]) {
        throw new ShapeError(`serve: inputs must be [N, ${sampleShape.join(', ')}], got [${x.shape.join(', ')}]`);
      }
      const logits = noGrad(() => model.forward(x)) as Tensor;
      if (logits.shape.length !== 2) throw new ShapeError(`serve: ${info.model} gives outputs of shape [${logits.shape.join(', ')}], a classifier gives [N, classes]`);
      return noGrad(() => softmax(logits, 1));
    },
  };
}
