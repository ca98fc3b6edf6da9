/**
 * The search space: suggest* draws values inside their distributions, define-by-run conditional parameters, a
 * parameter suggested twice keeps its value, and bad spaces raise ValueErrors naming the parameter.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tune, ValueError } from '../../src/index.js';
import { checkErrors, expectError } from '../helpers/check-errors.js';

/** Runs `body` inside one trial of a fresh random-sampled study and returns what it returned. */
async function inTrial<T>(body: (t: tune.Trial) => T): Promise<T> {
  const study = tune.createStudy({ sampler: new tune.RandomSampler({ seed: 1 }), pruner: 'none' });
  let out: T | undefined;
  await study.optimize((t) => {
    out = body(t);
    return 0;
  }, { nTrials: 1 });
  return out as T;
}

function trialNow(): tune.Trial {
  let captured: tune.Trial | null = null;
  const study = tune.createStudy({ sampler: new tune.RandomSampler({ seed: 1 }), pruner: 'none' });
  // The objective never settles, so the trial stays running for the error table.
  void study.optimize((t) => {
    captured = t;
    return new Promise<number>(() => {});
  }, { nTrials: 1 });
  return captured as unknown as tune.Trial;
}

describe('suggest', () => {
  test('values stay in their distributions, on their grids', async () => {
    const study = tune.createStudy({ sampler: new tune.RandomSampler({ seed: 3 }), pruner: 'none' });
    await study.optimize((t) => {
      const a = t.suggestFloat('a', -1, 2);
      const b = t.suggestFloat('b', 1e-5, 1, { log: true });
      const c = t.suggestFloat('c', 0, 1, { step: 0.25 });
      const d = t.suggestInt('d', 2, 10, { step: 2 });
      const e = t.suggestInt('e', 1, 1024, { log: true });
      const f = t.suggestCategorical('f', ['x', 'y', null, 3]);
      assert.ok(a >= -1 && a <= 2 && b >= 1e-5 && b <= 1);
      assert.ok([0, 0.25, 0.5, 0.75, 1].includes(c), `c=${c}`);
      assert.ok(d % 2 === 0 && d >= 2 && d <= 10, `d=${d}`);
      assert.ok(Number.isInteger(e) && e >= 1 && e <= 1024);
      assert.ok(['x', 'y', null, 3].includes(f));
      return a;
    }, { nTrials: 40 });
    const logs = study.trials.map((t) => Math.log10(t.params.b as number));
    assert.ok(logs.filter((l) => l < -2.5).length > 10, 'log sampling puts about half the values below 10^-2.5');
  });

  test('a parameter suggested again returns its first value', async () => {
    const [x, y] = await inTrial((t) => [t.suggestFloat('x', 0, 1), t.suggestFloat('x', 0, 1)]);
    assert.equal(x, y);
  });

  test('conditional parameters: each trial holds only the branch it took', async () => {
    const study = tune.createStudy({ sampler: new tune.TPESampler({ seed: 0, nStartupTrials: 5 }), pruner: 'none' });
    await study.optimize((t) => {
      const kind = t.suggestCategorical('kind', ['svm', 'tree']);
      if (kind === 'svm') return (Math.log10(t.suggestFloat('c', 1e-3, 1e3, { log: true })) - 1) ** 2;
      return (t.suggestInt('depth', 1, 10) - 4) ** 2 + 0.5;
    }, { nTrials: 30 });
    for (const t of study.trials) {
      const keys = Object.keys(t.params).sort();
      assert.deepEqual(keys, t.params.kind === 'svm' ? ['c', 'kind'] : ['depth', 'kind']);
    }
    assert.ok(study.bestValue < 0.5, `best ${study.bestValue}`);
  });
});

const t0 = trialNow();
checkErrors('tune search space', [
  ['float low >= high', () => t0.suggestFloat('lr', 1, 1), ValueError, /^suggestFloat: parameter 'lr': low must be < high, got low=1, high=1/],
  ['float log with low <= 0', () => t0.suggestFloat('lr', 0, 1, { log: true }), ValueError, /^suggestFloat: parameter 'lr': log=true needs low > 0, got low=0/],
  ['float step not dividing', () => t0.suggestFloat('p', 0, 1, { step: 0.3 }), ValueError, /^suggestFloat: parameter 'p': step must divide high - low, got step=0.3 for \[0, 1\]/],
  ['float step with log', () => t0.suggestFloat('p', 0.1, 1, { step: 0.1, log: true }), ValueError, /^suggestFloat: parameter 'p': step and log=true cannot be combined/],
  ['float non-finite', () => t0.suggestFloat('p', 0, Infinity), ValueError, /^suggestFloat: parameter 'p': low and high must be finite numbers/],
  ['int low >= high', () => t0.suggestInt('n', 5, 2), ValueError, /^suggestInt: parameter 'n': low must be < high, got low=5, high=2/],
  ['int non-integer', () => t0.suggestInt('n', 0.5, 2), ValueError, /^suggestInt: parameter 'n': low and high must be integers, got low=0.5/],
  ['int log with low <= 0', () => t0.suggestInt('n', 0, 8, { log: true }), ValueError, /^suggestInt: parameter 'n': log=true needs low > 0, got low=0/],
  ['int step not dividing', () => t0.suggestInt('n', 0, 10, { step: 3 }), ValueError, /^suggestInt: parameter 'n': step must divide high - low, got step=3 for \[0, 10\]/],
  ['int step 0', () => t0.suggestInt('n', 0, 10, { step: 0 }), ValueError, /^suggestInt: parameter 'n': step must be a positive integer, got 0/],
  ['empty choices', () => t0.suggestCategorical('act', []), ValueError, /^suggestCategorical: parameter 'act': choices must be a non-empty array, got \[\]/],
  ['object choice', () => t0.suggestCategorical('act', [{} as unknown as string]), ValueError, /^suggestCategorical: parameter 'act': choices must be null, booleans, numbers or strings, got object/],
  ['re-suggest with another distribution', () => { t0.suggestFloat('w', 0, 1); return t0.suggestFloat('w', 0, 2); }, ValueError,
    /^suggestFloat: parameter 'w' was already suggested as float \[0, 1\] in this trial, got float \[0, 2\]/],
  ['unknown sampler', () => tune.makeSampler('bayes'), ValueError, /^makeSampler: unknown sampler "bayes", expected one of grid, random, tpe, gp/],
  ['unknown sampler in createStudy', () => tune.createStudy({ sampler: 'cmaes' as 'tpe' }), ValueError, /^makeSampler: unknown sampler "cmaes"/],
  ['unknown pruner', () => tune.makePruner('patient'), ValueError, /^makePruner: unknown pruner "patient", expected one of none, median, sha, hyperband/],
  ['grid sampler without grid', () => tune.makeSampler('grid'), ValueError, /^makeSampler: sampler 'grid' needs the grid of values/],
  ['grid with empty values', () => new tune.GridSampler({ x: [] }), ValueError, /^GridSampler: parameter 'x': values must be a non-empty array, got \[\]/],
  ['bad direction', () => tune.createStudy({ direction: 'up' as 'maximize' }), ValueError, /^createStudy: direction must be 'minimize' or 'maximize', got "up"/],
  ['TPE nEiCandidates 0', () => new tune.TPESampler({ nEiCandidates: 0 }), ValueError, /^TPESampler: nEiCandidates must be an integer >= 1, got 0/],
  ['SHA reductionFactor 1', () => new tune.SuccessiveHalvingPruner({ reductionFactor: 1 }), ValueError, /^SuccessiveHalvingPruner: reductionFactor must be an integer >= 2, got 1/],
  ['Hyperband bootstrap with auto', () => new tune.HyperbandPruner({ bootstrapCount: 1 }), ValueError, /^HyperbandPruner: bootstrapCount > 0 needs a numeric maxResource/],
  ['percentile out of range', () => new tune.PercentilePruner(120), ValueError, /^PercentilePruner: percentile must be in \[0, 100\], got 120/],
  ['report with a negative step', () => t0.report(1, -1), ValueError, /^report: step must be an integer >= 0, got -1/],
]);

test('a parameter outside the grid is a ValueError naming it', async () => {
  const study = tune.createStudy({ sampler: new tune.GridSampler({ x: [1, 2] }), pruner: 'none' });
  await assert.rejects(study.optimize((t) => t.suggestFloat('y', 0, 1), { nTrials: 1 }), (e: Error) => {
    expectError(() => { throw e; }, ValueError, /^GridSampler: parameter 'y' is not in the grid \(grid parameters: x\)/);
    return true;
  });
});
