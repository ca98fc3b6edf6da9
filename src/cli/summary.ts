/**
 * `shendu summary <model>`: the layer table of a zoo model (output shapes, parameters, multiply-adds) for the
 * input it is built for (224x224 RGB for the ImageNet models), or the size and channels given.
 * @module
 */
import { createModel, modelEntry, modelNames } from '../models/registry.js';
import { skipInit } from '../nn/init.js';
import { summary } from '../nn/summary.js';
import type { Command } from './main.js';
import { tensor, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Layer } from '../nn/module.js';
import type { TaskName } from '../train/tasks/registry.js';
import { nasCnnOptions } from '../models/nascnn.js';
import { loadArchitecture } from '../node/nas-architecture.js';

/** What a model of `task` takes: symbols [1, L] for language models, z [1, latentDim] (and a label) for GANs, else an image. */
function exampleInput(task: TaskName, model: Layer, o: { inChannels: number; inputSize: number }, custom?: (m: Layer, o: { inChannels: number; inputSize: number }) => Tensor[]): readonly number[] | Tensor[] {
  if (custom) return custom(model, o);
  if (task === 'language-model') return [zeros([1, o.inputSize], { dtype: 'int32' })];
  const latent = (model as { latentDim?: number }).latentDim ?? 0;
  if (task === 'gan') return [zeros([1, latent])];
  if (task === 'cgan') return [zeros([1, latent]), tensor(Int32Array.of(0))];
  return [1, o.inChannels, o.inputSize, o.inputSize];
}

/** `shendu summary`. */
export const summaryCommand: Command = {
  spec: {
    name: 'summary',
    summary: 'print the layers of a model: output shapes, parameter counts, multiply-adds',
    positionals: [{ name: 'model', help: 'a zoo model', choices: modelNames }],
    options: {
      'in-channels': { type: 'int', help: "input channels (default: the model's, 3 for the ImageNet and CIFAR models)", metavar: 'N' },
      'input-size': { type: 'int', help: "input height and width (default: the model's, e.g. 224 or 32)", metavar: 'N' },
      'num-classes': { type: 'int', help: "number of classes (default: the model's, e.g. 1000 or 10)", metavar: 'N' },
      arch: { type: 'string', help: 'nascnn: the architecture file a NAS search wrote (saveArchitecture)', metavar: 'FILE' },
    },
  },
  run(args) {
    const name = args.positionals.model as string;
    const entry = modelEntry(name);
    const o = args.options;
    const opts = {
      inChannels: (o['in-channels'] as number | undefined) ?? entry.inChannels,
      inputSize: (o['input-size'] as number | undefined) ?? entry.inputSize,
      numClasses: (o['num-classes'] as number | undefined) ?? entry.numClasses,
      ...(o.arch === undefined ? {} : nasCnnOptions(loadArchitecture(o.arch as string))),
    };
    // a summary counts and traces shapes; the initial weights would only cost time to draw (VGG-19: 143M)
    const model = skipInit(() => createModel(name, opts));
    console.log(`${name}: ${entry.description}\n`);
    console.log(String(summary(model, exampleInput(entry.task, model, opts, entry.exampleInputs))));
    if (entry.task === 'gan' || entry.task === 'cgan') console.log("(the layers of the generator's forward pass; the parameter counts include the discriminator's)");
    return 0;
  },
};
