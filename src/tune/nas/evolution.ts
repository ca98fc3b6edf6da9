/**
 * Regularized (ageing) evolution, Real, Aggarwal, Huang & Le (2019), "Regularized Evolution for Image
 * Classifier Architecture Search": a population of `populationSize` architectures starts random; each cycle
 * draws `sampleSize` of them at random (tournament selection), mutates the best of that sample into a child,
 * trains the child, adds it and removes the OLDEST member (not the worst), so every architecture has a limited
 * life and only those that keep being re-discovered survive (robust to lucky noisy evaluations).
 * @module
 */
import { ValueError } from '../../errors.js';
import { Generator } from '../../tensor/random.js';
import { bestCandidate, candidatesInBudget, evaluateCandidate, type NasBudgetOptions, type NasCandidate, type NasObjective, type NasSearchResult } from './search.js';
import { activeDecisions, checkEncoding, checkSpace, randomEncoding, type Encoding, type NasSpace } from './space.js';

/** Options of `regularizedEvolution`. */
export interface EvolutionOptions extends NasBudgetOptions {
  /** Size of the population P (default 20; the first P candidates are random). */
  populationSize?: number;
  /** Tournament size S, 1 <= S <= P (default 5). */
  sampleSize?: number;
  /** Seed of the initial population, the tournaments and the mutations (default 0). */
  seed?: number;
}

/**
 * A child of `parent`: one decision that the parent uses (an active one) set to a different choice drawn
 * uniformly, so the child always differs from its parent in a way that changes the network. A space whose
 * active decisions all have a single choice has no mutations: then the parent is returned unchanged.
 */
export function mutate(space: NasSpace, parent: Encoding, rng: Generator): number[] {
  checkSpace('mutate', space);
  checkEncoding('mutate', space, parent);
  const active = activeDecisions(space, parent);
  const open = space.decisions.map((d, t) => t).filter((t) => active[t] && space.decisions[t].choices.length > 1);
  const child = [...parent];
  if (open.length === 0) return child;
  const t = open[rng.randint(0, open.length)];
  const other = rng.randint(0, space.decisions[t].choices.length - 1);
  child[t] = other >= parent[t] ? other + 1 : other;
  return child;
}

/**
 * Regularized evolution within the budget. Each candidate's trace holds the population's best and mean reward
 * (`populationBest`, `populationMean`) after it joined (for the initial ones: over the population so far).
 * Throws ValueError for sizes out of range.
 */
export async function regularizedEvolution(space: NasSpace, objective: NasObjective, opts: EvolutionOptions): Promise<NasSearchResult> {
  const fn = 'regularizedEvolution';
  checkSpace(fn, space);
  const n = candidatesInBudget(fn, opts);
  const P = opts.populationSize ?? 20;
  const S = opts.sampleSize ?? 5;
  if (!Number.isInteger(P) || P < 2) throw new ValueError(`${fn}: populationSize must be an integer >= 2, got ${P}`);
  if (!Number.isInteger(S) || S < 1 || S > P) throw new ValueError(`${fn}: sampleSize must be an integer in [1, populationSize = ${P}], got ${S}`);
  const rng = new Generator(opts.seed ?? 0);
  const candidates: NasCandidate[] = [];
  const population: NasCandidate[] = []; // oldest first
  const stats = (): Record<string, number> => ({
    populationBest: Math.max(...population.map((c) => c.reward)),
    populationMean: population.reduce((s, c) => s + c.reward, 0) / population.length,
  });
  const add = async (encoding: number[]): Promise<void> => {
    const trace: Record<string, number> = {};
    const c = await evaluateCandidate(fn, objective, encoding, candidates, { ...opts, onCandidate: undefined }, trace);
    population.push(c);
    if (population.length > P) population.shift(); // ageing: the oldest dies
    Object.assign(trace, stats());
    opts.onCandidate?.(c);
  };
  for (let i = 0; i < Math.min(P, n); i++) await add(randomEncoding(space, rng));
  for (let i = P; i < n; i++) {
    // tournament: S distinct members drawn uniformly, the best of them is the parent
    const pool = population.map((_, k) => k);
    let parent: NasCandidate | null = null;
    for (let s = 0; s < S; s++) {
      const k = pool.splice(rng.randint(0, pool.length), 1)[0];
      if (parent === null || population[k].reward > parent.reward) parent = population[k];
    }
    await add(mutate(space, (parent as NasCandidate).encoding, rng));
  }
  return { method: 'evolution', candidates, best: bestCandidate(candidates) };
}
