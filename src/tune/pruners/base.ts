/**
 * The pruner contract (Optuna's BasePruner): after a trial reports an intermediate value, `prune` says whether
 * the trial should stop early.
 * @module
 */
import type { StudyView } from '../samplers/base.js';
import type { FrozenTrial } from '../storage.js';

/** Decides from intermediate values whether a running trial should stop. */
export interface Pruner {
  /** True when `trial` (a snapshot with its latest report) should be pruned. */
  prune(study: StudyView, trial: FrozenTrial): boolean;
}

/** Never prunes (Optuna's NopPruner). */
export class NopPruner implements Pruner {
  /** Always false. */
  prune(): boolean {
    return false;
  }
}
