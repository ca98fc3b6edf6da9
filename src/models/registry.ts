/**
 * The model zoo by name: `createModel('lenet5', {numClasses: 10})`. The CLI and checkpoints refer to models
 * by these names.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Sequential } from '../nn/containers.js';
import { lenet5, logisticRegression, mlp, type LeNetOptions, type MlpOptions } from './classic-nets.js';

/** Options any zoo model accepts (each model ignores what it does not use). */
export type ModelOptions = MlpOptions & LeNetOptions;

/** A zoo entry: a one-line description and a builder. */
export interface ModelEntry {
  /** What the model is, for `shendu summary` and help texts. */
  description: string;
  /** Builds a fresh model. */
  build: (opts: ModelOptions) => Sequential;
}

const MODELS: Record<string, ModelEntry> = {
  logistic: { description: 'multinomial logistic regression (one linear layer on the flattened image)', build: logisticRegression },
  mlp: { description: 'multi-layer perceptron, hidden layers 256 and 128 with ReLU', build: mlp },
  lenet5: { description: 'LeNet-5: conv 6@5x5, pool, conv 16@5x5, pool, 120, 84, classes', build: lenet5 },
};

/** Names of the zoo's models. */
export function modelNames(): string[] {
  return Object.keys(MODELS);
}

/** The zoo entry called `name`; unknown names are refused with the list of valid ones. */
export function modelEntry(name: string): ModelEntry {
  const e = Object.prototype.hasOwnProperty.call(MODELS, name) ? MODELS[name] : undefined;
  if (!e) throw new ValueError(`unknown model '${name}'; valid models: ${modelNames().join(', ')}`);
  return e;
}

/** Builds the model called `name` with `opts`. */
export function createModel(name: string, opts: ModelOptions = {}): Sequential {
  return modelEntry(name).build(opts);
}
