/**
 * `models`: the model zoo.
 * @module
 */
export { logisticRegression, mlp, lenet5, type ImageClassifierOptions, type MlpOptions, type LeNetOptions, type ActivationName } from './classic-nets.js';
export { createModel, modelEntry, modelNames, type ModelEntry, type ModelOptions } from './registry.js';
