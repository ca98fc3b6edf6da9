/**
 * The sampler contract (Optuna's BaseSampler): at the start of a trial a sampler may draw several parameters
 * jointly over a search space it infers from past trials (`sampleRelative`); any parameter outside that space is
 * drawn on its own when the objective suggests it (`sampleIndependent`), which is what makes define-by-run
 * (conditional) spaces work.
 * @module
 */
import type { Distribution } from '../distributions.js';
import type { FrozenTrial, StudyDirection, TrialState } from '../storage.js';

/** What samplers and pruners may read from a study. */
export interface StudyView {
  /** Name of the study in its storage. */
  readonly studyName: string;
  /** Whether the objective is minimized or maximized. */
  readonly direction: StudyDirection;
  /** Snapshots of the trials, optionally only those in `states`. */
  getTrials(states?: readonly TrialState[]): FrozenTrial[];
  /** Records bookkeeping on a trial. */
  setTrialSystemAttr(trialId: number, key: string, value: unknown): void;
  /** Asks `optimize` to start no new trial. */
  stop(): void;
}

/** A strategy that picks parameter values (internal representation: numbers; categorical: choice index). */
export interface Sampler {
  /** The space to sample jointly at the start of `trial` (empty for independent samplers). */
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): Record<string, Distribution>;
  /** Draws the parameters of `space` together; returns internal values by name. */
  sampleRelative(study: StudyView, trial: FrozenTrial, space: Record<string, Distribution>): Record<string, number>;
  /** Draws one parameter that the relative sample did not cover; returns its internal value. */
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, dist: Distribution): number;
  /** Called when a trial starts, before any parameter is drawn. */
  beforeTrial?(study: StudyView, trial: FrozenTrial): void;
  /** Called when a trial has ended. */
  afterTrial?(study: StudyView, trial: FrozenTrial): void;
}

/**
 * The parameters that every complete or pruned trial has with the same distribution (Optuna's
 * IntersectionSearchSpace), in name order; samplers that model parameters jointly use it.
 */
export function intersectionSearchSpace(trials: readonly FrozenTrial[]): Record<string, Distribution> {
  let space: Record<string, Distribution> | null = null;
  for (const t of trials) {
    if (t.state !== 'complete' && t.state !== 'pruned') continue;
    if (space === null) {
      space = { ...t.distributions };
      continue;
    }
    for (const k of Object.keys(space)) {
      const d = t.distributions[k];
      if (d === undefined || JSON.stringify(d) !== JSON.stringify(space[k])) delete space[k];
    }
  }
  const out: Record<string, Distribution> = {};
  for (const k of Object.keys(space ?? {}).sort()) out[k] = (space as Record<string, Distribution>)[k];
  return out;
}
