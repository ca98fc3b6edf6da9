/**
 * The NAS search methods on toy rewards (no training): the LSTM controller samples deterministically from its
 * seed and REINFORCE raises the probability of rewarded choices; regularized evolution mutates one active
 * decision and climbs a toy fitness; random search and the controller search spend exactly their epoch budget;
 * bad options raise ValueErrors naming the option.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Generator, tune, ValueError } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

const toy: tune.NasSpace = {
  decisions: Array.from({ length: 8 }, (_, t) => ({ name: `d${t}`, choices: ['a', 'b', 'c', 'd'] })),
};
/** Toy fitness: how many decisions chose 'c' (index 2), in [0, 8]. */
const countC = (e: tune.Encoding) => e.filter((v) => v === 2).length;

describe('NasController', () => {
  test('the same seed draws the same architectures; another seed draws others', () => {
    const draw = (seed: number) => {
      const c = new tune.NasController(toy, { seed, hiddenSize: 16 });
      return Array.from({ length: 5 }, () => c.sample().encoding);
    };
    assert.deepEqual(draw(3), draw(3));
    assert.notDeepEqual(draw(3), draw(4));
    for (const e of draw(5)) assert.equal(e.length, 8);
  });

  test('score() gives the log-probability sample() had for the same architecture', () => {
    const c = new tune.NasController(toy, { seed: 1 });
    const s = c.sample();
    assert.ok(Math.abs(c.score(s.encoding).logProb.item() - s.logProb.item()) < 1e-5);
    assert.ok(s.logProb.item() < 0);
    // an untrained controller is close to uniform: log p ~ 8 log(1/4), entropy ~ 8 log 4
    assert.ok(Math.abs(s.logProb.item() - 8 * Math.log(0.25)) < 1.5);
    assert.ok(Math.abs(s.entropy.item() - 8 * Math.log(4)) < 0.2);
  });

  test('one REINFORCE step with a positive advantage raises the log-probability of the rewarded architecture', () => {
    const c = new tune.NasController(toy, { seed: 2 });
    const r = new tune.Reinforce(c, { lr: 0.05 });
    r.baseline = 0;
    const s = c.sample();
    const before = c.score(s.encoding).logProb.item();
    const step = r.step(s, 1);
    assert.equal(step.advantage, 1);
    assert.ok(c.score(s.encoding).logProb.item() > before + 0.1, 'log p went up');
    assert.ok(Math.abs((r.baseline as number) - 0.1) < 1e-12, 'b <- 0.9 * 0 + 0.1 * 1');
  });

  test('REINFORCE on a toy reward makes the controller prefer the rewarded choice', () => {
    const c = new tune.NasController(toy, { seed: 0, hiddenSize: 16 });
    const r = new tune.Reinforce(c, { lr: 0.02, baselineDecay: 0.8 });
    const firstIsC = () => c.firstDecisionProbs()[2];
    const p0 = firstIsC();
    assert.ok(Math.abs(p0 - 0.25) < 0.1);
    for (let i = 0; i < 60; i++) {
      const s = c.sample();
      r.step(s, s.encoding[0] === 2 ? 1 : 0);
    }
    assert.ok(firstIsC() > 0.6, `p(d0 = c) went from ${p0.toFixed(3)} to ${firstIsC().toFixed(3)}`);
  });
});

describe('regularized evolution and the search loops', () => {
  test('mutate changes exactly one active decision to another choice', () => {
    const rng = new Generator(0);
    const space: tune.NasSpace = { ...toy, isActive: (e) => e.map((_, t) => t < 4) };
    for (let i = 0; i < 50; i++) {
      const parent = tune.randomEncoding(space, rng);
      const child = tune.mutate(space, parent, rng);
      const diff = child.map((v, t) => (v !== parent[t] ? t : -1)).filter((t) => t >= 0);
      assert.equal(diff.length, 1);
      assert.ok(diff[0] < 4, 'only active decisions mutate');
    }
    const fixed: tune.NasSpace = { decisions: [{ name: 'only', choices: [1] }] };
    assert.deepEqual(tune.mutate(fixed, [0], rng), [0]);
  });

  test('regularized evolution climbs a toy fitness, deterministically from its seed', async () => {
    const run = () => tune.regularizedEvolution(toy, countC, { budgetEpochs: 300, populationSize: 20, sampleSize: 5, seed: 4 });
    const res = await run();
    assert.equal(res.method, 'evolution');
    assert.equal(res.candidates.length, 300);
    const initial = res.candidates.slice(0, 20);
    const initialBest = Math.max(...initial.map((c) => c.reward));
    const last = res.candidates[299].trace;
    assert.ok(res.best.reward > initialBest, `best ${res.best.reward} > initial best ${initialBest}`);
    assert.ok(last.populationMean > initial[19].trace.populationMean + 2, `population mean ${last.populationMean} vs ${initial[19].trace.populationMean}`);
    assert.deepEqual((await run()).candidates.map((c) => c.encoding), res.candidates.map((c) => c.encoding));
  });

  test('random search spends exactly its budget in epochs and is seeded', async () => {
    const seen: number[] = [];
    const res = await tune.randomSearch(toy, async (e, i) => {
      seen.push(i);
      return countC(e);
    }, { budgetEpochs: 10, epochsPerCandidate: 3, seed: 1 });
    assert.equal(res.candidates.length, 3);
    assert.deepEqual(seen, [0, 1, 2]);
    assert.deepEqual(res.candidates.map((c) => c.epochsUsed), [3, 6, 9]);
    assert.equal(res.best.reward, Math.max(...res.candidates.map((c) => c.reward)));
    const again = await tune.randomSearch(toy, countC, { budgetEpochs: 10, epochsPerCandidate: 3, seed: 1 });
    assert.deepEqual(again.candidates.map((c) => c.encoding), res.candidates.map((c) => c.encoding));
  });

  test('the controller search learns the toy fitness and records its baseline', async () => {
    const res = await tune.controllerSearch(toy, countC, { budgetEpochs: 150, seed: 0, hiddenSize: 16, lr: 0.03 });
    assert.equal(res.candidates.length, 150);
    const mean = (cs: tune.NasCandidate[]) => cs.reduce((s, c) => s + c.reward, 0) / cs.length;
    const first = mean(res.candidates.slice(0, 30));
    const last = mean(res.candidates.slice(-30));
    assert.ok(last > first + 1.5, `mean reward ${first.toFixed(2)} -> ${last.toFixed(2)}`);
    assert.ok(res.candidates.every((c) => Number.isFinite(c.trace.baseline)));
  });
});

const ctl = new tune.NasController(toy, { seed: 0 });
checkErrors('tune NAS search', [
  ['controller on an empty space', () => new tune.NasController({ decisions: [] }), ValueError, /^NasController: space has no decisions/],
  ['controller hiddenSize 0', () => new tune.NasController(toy, { hiddenSize: 0 }), ValueError, /^NasController: hiddenSize must be a positive integer, got 0/],
  ['score of an invalid encoding', () => ctl.score([0, 1, 9, 0, 0, 0, 0, 0]), ValueError, /^NasController\.score: encoding\[2\] \(decision 'd2'\) must be an integer in \[0, 3\], got 9/],
  ['REINFORCE lr 0', () => new tune.Reinforce(ctl, { lr: 0 }), ValueError, /^Reinforce: lr must be positive, got 0/],
  ['REINFORCE baselineDecay 1', () => new tune.Reinforce(ctl, { baselineDecay: 1 }), ValueError, /^Reinforce: baselineDecay must be in \[0, 1\), got 1/],
  ['REINFORCE NaN reward', () => new tune.Reinforce(ctl).step(ctl.sample(), NaN), ValueError, /^Reinforce\.step: reward must be a finite number, got NaN/],
  ['mutate an invalid encoding', () => tune.mutate(toy, [0], new Generator(0)), ValueError, /^mutate: encoding must have 8 entries/],
  ['budget below one candidate', () => tune.candidatesInBudget('randomSearch', { budgetEpochs: 1, epochsPerCandidate: 2 }), ValueError, /^randomSearch: budgetEpochs must be a finite number >= epochsPerCandidate \(2\), got 1/],
  ['epochsPerCandidate 0', () => tune.candidatesInBudget('f', { budgetEpochs: 10, epochsPerCandidate: 0 }), ValueError, /^f: epochsPerCandidate must be a positive number, got 0/],
  ['no candidates', () => tune.bestCandidate([]), ValueError, /^bestCandidate: no candidates/],
]);

describe('async search errors', () => {
  test('bad evolution sizes, empty spaces and non-finite rewards reject with ValueErrors', async () => {
    await assert.rejects(tune.regularizedEvolution(toy, countC, { budgetEpochs: 10, populationSize: 1 }), (e: Error) => e instanceof ValueError && /^regularizedEvolution: populationSize must be an integer >= 2, got 1/.test(e.message));
    await assert.rejects(tune.regularizedEvolution(toy, countC, { budgetEpochs: 10, populationSize: 4, sampleSize: 5 }), (e: Error) => e instanceof ValueError && /sampleSize must be an integer in \[1, populationSize = 4\], got 5/.test(e.message));
    await assert.rejects(tune.randomSearch({ decisions: [] }, countC, { budgetEpochs: 2 }), (e: Error) => e instanceof ValueError && /^randomSearch: space has no decisions/.test(e.message));
    await assert.rejects(tune.controllerSearch(toy, () => NaN, { budgetEpochs: 2 }), (e: Error) => e instanceof ValueError && /^controllerSearch: the objective returned NaN for candidate 0; expected a finite number/.test(e.message));
  });
});
