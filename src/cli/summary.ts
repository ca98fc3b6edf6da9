/**
 * `shendu summary <model>`: the layer table of a zoo model (output shapes, parameters, multiply-adds).
 * @module
 */
import { createModel, modelEntry, modelNames } from '../models/registry.js';
import { summary } from '../nn/summary.js';
import type { Command } from './main.js';

/** `shendu summary`. */
export const summaryCommand: Command = {
  spec: {
    name: 'summary',
    summary: 'print the layers of a model: output shapes, parameter counts, multiply-adds',
    positionals: [{ name: 'model', help: 'a zoo model', choices: modelNames }],
    options: {
      'in-channels': { type: 'int', default: 1, help: 'input channels', metavar: 'N' },
      'input-size': { type: 'int', default: 28, help: 'input height and width', metavar: 'N' },
      'num-classes': { type: 'int', default: 10, help: 'number of classes', metavar: 'N' },
    },
  },
  run(args) {
    const name = args.positionals.model as string;
    const opts = { inChannels: args.options['in-channels'] as number, inputSize: args.options['input-size'] as number, numClasses: args.options['num-classes'] as number };
    const model = createModel(name, opts);
    console.log(`${name}: ${modelEntry(name).description}\n`);
    console.log(String(summary(model, [1, opts.inChannels, opts.inputSize, opts.inputSize])));
    return 0;
  },
};
