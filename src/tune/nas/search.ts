/**
 * The search loops, each spending a budget counted in trained epochs (the unit: every candidate trains
 * `epochsPerCandidate` epochs, so a budget of 200 epochs at 1 epoch per candidate evaluates 200 architectures):
 * random search (the baseline) and the REINFORCE-trained controller here, regularized evolution in
 * evolution.ts. The objective trains a candidate and returns its reward (higher is better, e.g. validation
 * accuracy); the search never looks inside it.
 * @module
 */
import { ValueError } from '../../errors.js';
import { Generator } from '../../tensor/random.js';
import { NasController, Reinforce, type NasControllerOptions, type ReinforceOptions } from './controller.js';
import { checkSpace, randomEncoding, type Encoding, type NasSpace } from './space.js';

/** Trains and scores one architecture; `index` is its 0-based position in the search. Higher is better. */
export type NasObjective = (encoding: Encoding, index: number) => number | Promise<number>;

/** The budget of a search. */
export interface NasBudgetOptions {
  /** Total trained epochs the search may spend (e.g. 200). */
  budgetEpochs: number;
  /** Epochs each candidate trains (default 1); the search evaluates floor(budgetEpochs / epochsPerCandidate). */
  epochsPerCandidate?: number;
  /** Called after each evaluation (progress lines, logs). */
  onCandidate?: (candidate: NasCandidate) => void;
}

/** One evaluated architecture of a search. */
export interface NasCandidate {
  /** 0-based position in the search. */
  index: number;
  /** The architecture. */
  encoding: number[];
  /** What the objective returned. */
  reward: number;
  /** Trained epochs spent so far, this candidate included. */
  epochsUsed: number;
  /** Method-specific numbers at this point: the controller's `baseline`, evolution's `populationBest` / `populationMean`. */
  trace: Record<string, number>;
}

/** What a search returns. */
export interface NasSearchResult {
  /** 'random', 'evolution' or 'controller'. */
  method: string;
  /** Every evaluation, in order. */
  candidates: NasCandidate[];
  /** The candidate with the highest reward (the first of equals). */
  best: NasCandidate;
}

/** The number of candidates a budget pays for; throws ValueError naming `fn` for a bad budget. */
export function candidatesInBudget(fn: string, opts: NasBudgetOptions): number {
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${fn}: options {budgetEpochs, ...} are required`);
  const per = opts.epochsPerCandidate ?? 1;
  if (!(per > 0) || !Number.isFinite(per)) throw new ValueError(`${fn}: epochsPerCandidate must be a positive number, got ${per}`);
  if (!(opts.budgetEpochs >= per) || !Number.isFinite(opts.budgetEpochs)) {
    throw new ValueError(`${fn}: budgetEpochs must be a finite number >= epochsPerCandidate (${per}), got ${opts.budgetEpochs}`);
  }
  return Math.floor(opts.budgetEpochs / per + 1e-9);
}

/** The candidate with the highest reward (the earliest among equals). */
export function bestCandidate(candidates: readonly NasCandidate[]): NasCandidate {
  if (candidates.length === 0) throw new ValueError('bestCandidate: no candidates');
  return candidates.reduce((a, b) => (b.reward > a.reward ? b : a));
}

/** Evaluates `encoding` as candidate `index`, checks the reward and records it. */
export async function evaluateCandidate(
  fn: string, objective: NasObjective, encoding: number[], candidates: NasCandidate[], opts: NasBudgetOptions, trace: Record<string, number> = {},
): Promise<NasCandidate> {
  const index = candidates.length;
  const reward = await objective(encoding, index);
  if (typeof reward !== 'number' || !Number.isFinite(reward)) throw new ValueError(`${fn}: the objective returned ${String(reward)} for candidate ${index}; expected a finite number`);
  const c: NasCandidate = { index, encoding, reward, epochsUsed: (index + 1) * (opts.epochsPerCandidate ?? 1), trace };
  candidates.push(c);
  opts.onCandidate?.(c);
  return c;
}

/** Options of `randomSearch`. */
export interface RandomSearchOptions extends NasBudgetOptions {
  /** Seed of the uniform draws (default 0). */
  seed?: number;
}

/** Random search: every candidate drawn uniformly from the space (each decision independently). */
export async function randomSearch(space: NasSpace, objective: NasObjective, opts: RandomSearchOptions): Promise<NasSearchResult> {
  checkSpace('randomSearch', space);
  const n = candidatesInBudget('randomSearch', opts);
  const rng = new Generator(opts.seed ?? 0);
  const candidates: NasCandidate[] = [];
  for (let i = 0; i < n; i++) await evaluateCandidate('randomSearch', objective, randomEncoding(space, rng), candidates, opts);
  return { method: 'random', candidates, best: bestCandidate(candidates) };
}

/** Options of `controllerSearch`: the budget, the controller's and REINFORCE's options. */
export interface ControllerSearchOptions extends NasBudgetOptions, NasControllerOptions, ReinforceOptions {}

/**
 * NAS with the RNN controller (Zoph & Le 2017) and one architecture per update: sample, train and score it, then
 * one REINFORCE step with the moving-average baseline. Each candidate's trace holds the `baseline` after its
 * reward and the controller's `logProb` of it before the update.
 */
export async function controllerSearch(space: NasSpace, objective: NasObjective, opts: ControllerSearchOptions): Promise<NasSearchResult & { controller: NasController }> {
  checkSpace('controllerSearch', space);
  const n = candidatesInBudget('controllerSearch', opts);
  const controller = new NasController(space, opts);
  const reinforce = new Reinforce(controller, opts);
  const candidates: NasCandidate[] = [];
  for (let i = 0; i < n; i++) {
    const sample = controller.sample();
    const trace: Record<string, number> = {};
    const c = await evaluateCandidate('controllerSearch', objective, sample.encoding, candidates, { ...opts, onCandidate: undefined }, trace);
    const step = reinforce.step(sample, c.reward);
    trace.baseline = reinforce.baseline as number;
    trace.logProb = step.logProb;
    trace.advantage = step.advantage;
    opts.onCandidate?.(c);
  }
  return { method: 'controller', candidates, best: bestCandidate(candidates), controller };
}
