/**
 * `shendu tune --workers N`: the module each worker process loads (see `optimizeInWorkers`). From the run's
 * settings, passed as JSON, a worker loads the data set, builds the same sampler and pruner the single-process run
 * would and trains trials of the shared study. The sampler and pruner builders are shared with the CLI so that one
 * process and N workers search alike.
 * @module
 */
// a worker process loads this module alone: the training calls tensor methods (x.sub(...)), which
// ops/methods.ts attaches to Tensor, and runs on the wasm backend, as the CLI's entry point arranges for itself
import '../ops/methods.js';
import '../backend/wasm/index.js';
import { fileURLToPath } from 'node:url';
import { setBackend } from '../backend/registry.js';
import { setNumThreads } from '../backend/wasm/index.js';
import { classifierGrid, type ClassifierSpace } from '../tune/classifier-space.js';
import type { Pruner } from '../tune/pruners/base.js';
import { HyperbandPruner } from '../tune/pruners/hyperband.js';
import { SuccessiveHalvingPruner } from '../tune/pruners/successive-halving.js';
import { makePruner, makeSampler } from '../tune/registry.js';
import type { Sampler } from '../tune/samplers/base.js';
import { ClassifierTuning, type ClassifierTuningOptions } from './tune-classifier.js';
import type { WorkerSetup } from './tune-workers.js';

/** Path of this module: the `objectiveModule` of `optimizeInWorkers` for a classifier search. */
export const CLASSIFIER_WORKER_MODULE = fileURLToPath(import.meta.url);

/** The settings of a classifier search that each worker receives (JSON-able). */
export interface ClassifierWorkerArgs {
  /** What `new ClassifierTuning` takes (without callbacks). */
  tuning: Omit<ClassifierTuningOptions, 'onEpoch'>;
  /** Sampler name: grid, random, tpe or gp. */
  sampler: string;
  /** Seed of worker 0's sampler; worker i uses seed + i. */
  seed: number;
  /** Grid sampler: values per float range. */
  gridPoints: number;
  /** Pruner name: none, median, sha or hyperband. */
  pruner: string;
  /** Compute backend, when not the default. */
  backend?: string;
  /** Wasm backend threads of each worker. */
  threads?: number;
}

/** The sampler of a classifier search: `name` seeded with `seed` (grid: `gridPoints` values per float range). */
export function classifierSampler(name: string, seed: number, space: ClassifierSpace, gridPoints: number): Sampler {
  return makeSampler(name, { seed, grid: name === 'grid' ? classifierGrid(space, gridPoints) : undefined });
}

/**
 * The pruner of a classifier search. The number of epochs is known, so Hyperband and successive halving need not
 * wait for a first complete trial to learn the maximum resource.
 */
export function classifierPruner(name: string, epochs: number): Pruner {
  return name === 'hyperband' ? new HyperbandPruner({ minResource: 1, maxResource: epochs })
    : name === 'sha' ? new SuccessiveHalvingPruner({ minResource: 1 }) : makePruner(name);
}

/** A worker's objective, sampler and pruner (the worker entry point calls it with the worker's index). */
export function setup(args: ClassifierWorkerArgs, index: number): WorkerSetup {
  if (args.backend !== undefined) setBackend(args.backend);
  if (args.threads !== undefined) setNumThreads(args.threads);
  const tuning = new ClassifierTuning(args.tuning);
  return {
    objective: tuning.objective,
    sampler: classifierSampler(args.sampler, args.seed + index, args.tuning.space, args.gridPoints),
    pruner: classifierPruner(args.pruner, args.tuning.epochs),
  };
}
