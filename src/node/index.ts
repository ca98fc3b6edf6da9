/**
 * `shendu/node`: everything in `shendu` plus what needs Node.js — datasets on disk and in npm packages,
 * and pictures rendered to PNG files.
 * @module
 */
export * from '../index.js';
export * from './datasets/index.js';
export * from './pictures.js';
