/**
 * `shendu/node`: everything in `shendu` plus what needs Node.js — datasets on disk and in npm packages,
 * pictures rendered to PNG files, and the file store and terminal progress the training loop writes through.
 * @module
 */
export * from '../index.js';
export * from './datasets/index.js';
export * from './pictures.js';
export * from './files.js';
