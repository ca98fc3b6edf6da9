/**
 * Hyper-parameter importance by fANOVA (Optuna's FanovaImportanceEvaluator and get_param_importances): a random
 * forest (./forest.ts) is fitted to the complete trials' parameters and values, and each parameter's importance is
 * the share of the forest's variance that its marginal explains (./fanova.ts), averaged over the trees and
 * normalized to sum to 1. As Optuna: parameters enter on their own scale (a log-drawn parameter is not logged),
 * categorical ones one-hot, and a parameter with a single possible value gets 0.
 * @module
 */
import { ValueError } from '../../errors.js';
import { toInternal, type Distribution, type ParamValue } from '../distributions.js';
import { intersectionSearchSpace } from '../samplers/base.js';
import type { FrozenTrial, TrialState } from '../storage.js';
import { FanovaTree } from './fanova.js';
import { RegressionForest } from './forest.js';

/** Options of `FanovaImportanceEvaluator` (Optuna's defaults; `seed` default 0 so results repeat). */
export interface FanovaOptions {
  /** Trees in the forest (default 64). */
  nTrees?: number;
  /** Deepest a tree may grow (default 64). */
  maxDepth?: number;
  /** Seed of the forest (default 0). */
  seed?: number;
}

/** Options of `evaluate` and `getParamImportances`. */
export interface ImportanceOptions {
  /** The parameters to assess (default: those every complete trial drew from the same distribution). */
  params?: readonly string[];
  /** What to explain instead of the trial's value, e.g. its duration. */
  target?: (trial: FrozenTrial) => number;
}

/** What importance reads: a study (or anything with `getTrials`), or its trials. */
export type TrialSource = { getTrials(states?: readonly TrialState[]): FrozenTrial[] } | readonly FrozenTrial[];

function single(d: Distribution): boolean {
  return d.kind === 'categorical' ? d.choices.length === 1 : d.low === d.high;
}

/** The parameters to assess, by name, and the complete trials with a finite target that drew them all. */
function prepare(fn: string, source: TrialSource, opts: ImportanceOptions): { space: Record<string, Distribution>; trials: FrozenTrial[]; y: number[] } {
  const all = Array.isArray(source) ? (source as readonly FrozenTrial[]) : (source as { getTrials(): FrozenTrial[] }).getTrials();
  if (!Array.isArray(all)) throw new ValueError(`${fn}: expected a study or an array of trials, got ${typeof source}`);
  const complete = all.filter((t) => t.state === 'complete');
  if (complete.length === 0) throw new ValueError(`${fn}: cannot assess importances without complete trials (got ${all.length} trials, none complete)`);
  let space: Record<string, Distribution>;
  if (opts.params === undefined) {
    space = intersectionSearchSpace(complete);
  } else {
    if (!Array.isArray(opts.params)) throw new ValueError(`${fn}: params must be an array of parameter names, got ${typeof opts.params}`);
    const having = complete.filter((t) => opts.params!.every((p) => p in t.distributions));
    if (having.length === 0) throw new ValueError(`${fn}: no complete trial drew all of ${opts.params.join(', ')} (the parameters are ${Object.keys(intersectionSearchSpace(complete)).join(', ') || 'none'})`);
    space = {};
    for (const p of [...opts.params].sort()) {
      const d = having[0].distributions[p];
      const differs = having.find((t) => JSON.stringify(t.distributions[p]) !== JSON.stringify(d));
      if (differs) throw new ValueError(`${fn}: parameter '${p}' was drawn from different distributions (trials ${having[0].number} and ${differs.number}); importance needs one search space`);
      space[p] = d;
    }
  }
  if (Object.keys(space).length === 0) throw new ValueError(`${fn}: the complete trials share no parameter to assess`);
  const names = Object.keys(space);
  const target = opts.target ?? ((t: FrozenTrial) => t.value as number);
  const trials = complete.filter((t) => names.every((p) => p in t.params) && Number.isFinite(target(t)));
  if (trials.length === 0) throw new ValueError(`${fn}: no complete trial has a finite ${opts.target ? 'target' : 'value'}`);
  return { space, trials, y: trials.map(target) };
}

/** fANOVA importance on a random forest (Hutter et al. 2014), as Optuna's default evaluator. */
export class FanovaImportanceEvaluator {
  private readonly forest: RegressionForest;

  /** Creates the evaluator; see `FanovaOptions` (ValueError naming a bad option). */
  constructor(opts: FanovaOptions = {}) {
    this.forest = new RegressionForest({ nTrees: opts.nTrees ?? 64, maxDepth: opts.maxDepth ?? 64, seed: opts.seed ?? 0 });
  }

  /**
   * Each parameter's importance in [0, 1], summing to 1, most important first. ValueError when there is no complete
   * trial, no shared parameter, or the forest has no variance to explain (e.g. every value equal).
   */
  evaluate(source: TrialSource, opts: ImportanceOptions = {}): Record<string, number> {
    const fn = 'FanovaImportanceEvaluator.evaluate';
    const { space, trials, y } = prepare(fn, source, opts);
    const varied = Object.keys(space).filter((p) => !single(space[p]));
    const importances: Record<string, number> = Object.fromEntries(Object.keys(space).map((p) => [p, 0]));
    if (varied.length > 0) {
      const bounds: [number, number][] = [];
      const columns: number[][] = [];
      for (const p of varied) {
        const d = space[p];
        const first = bounds.length;
        if (d.kind === 'categorical') for (let c = 0; c < d.choices.length; c++) bounds.push([0, 1]);
        else bounds.push([d.low, d.high]);
        columns.push(Array.from({ length: bounds.length - first }, (_, k) => first + k));
      }
      const x = trials.map((t) => {
        const row: number[] = [];
        for (const p of varied) {
          const d = space[p];
          if (d.kind === 'categorical') {
            const k = toInternal(d, t.params[p] as ParamValue);
            for (let c = 0; c < d.choices.length; c++) row.push(c === k ? 1 : 0);
          } else {
            row.push(t.params[p] as number);
          }
        }
        return row;
      });
      const trees = this.forest.fit(x, y).trees.map((t) => new FanovaTree(t, bounds)).filter((t) => t.variance > 0);
      if (trees.length === 0) throw new ValueError(`${fn}: the forest fitted to ${trials.length} trials has no variance to explain (all values equal, or a single trial)`);
      const raw = columns.map((cols) => trees.reduce((s, t) => s + t.marginalVariance(cols) / t.variance, 0) / trees.length);
      const total = raw.reduce((a, b) => a + b, 0);
      varied.forEach((p, k) => (importances[p] = total > 0 ? raw[k] / total : 0));
    }
    return Object.fromEntries(Object.entries(importances).sort((a, b) => b[1] - a[1]));
  }
}

/**
 * Optuna's `get_param_importances`: each parameter's importance (fANOVA on a random forest by default), summing
 * to 1, most important first. See `FanovaImportanceEvaluator.evaluate`.
 */
export function getParamImportances(source: TrialSource, opts: ImportanceOptions & { evaluator?: FanovaImportanceEvaluator } = {}): Record<string, number> {
  return (opts.evaluator ?? new FanovaImportanceEvaluator()).evaluate(source, opts);
}
