/**
 * Restoring a trained zoo model from its run: `loadRun(store)` is `restoreRun` (train/checkpoint.ts) with the
 * zoo's `createModel` as the builder, so eval, predict, visualize, the server and search all rebuild a run the
 * same way.
 * @module
 */
import type { Layer } from '../nn/module.js';
import { restoreRun, type RunMetadata } from '../train/checkpoint.js';
import type { FileStore } from '../train/store.js';
import type { Checkpoint } from '../train/types.js';
import { createModel, modelEntry, type ModelOptions } from './registry.js';

/**
 * The model of the run in `store`, from its checkpoint `name` (default 'last'), with the weights loaded and in
 * eval mode, plus the run's metadata (model name and options, task, dataset, classes, normalization, ...).
 * `source` names the run in error messages. Options the run did not record because their default changed later
 * (the entry's `runDefaults`) are filled in with the value it was trained with.
 */
export function loadRun(store: FileStore, name = 'last', opts: { source?: string } = {}): { model: Layer; meta: RunMetadata; checkpoint: Checkpoint } {
  return restoreRun(store, name, (meta) => createModel(meta.model, { ...modelEntry(meta.model).runDefaults, ...(meta.modelOptions as ModelOptions) }), opts);
}
