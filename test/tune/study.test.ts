/**
 * Studies: optimize with nTrials / timeout / concurrency, trial states (complete, pruned, fail), caught and
 * re-thrown errors, best trial in both directions, resuming a study by name, and the trials table.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tune, ValueError } from '../../src/index.js';

const quadratic = (t: tune.Trial): number => (t.suggestFloat('x', -5, 5) - 1) ** 2;

describe('study', () => {
  test('states, best trial and pruned values', async () => {
    const study = tune.createStudy({ sampler: new tune.RandomSampler({ seed: 0 }), pruner: 'none' });
    class Flaky extends Error {}
    await study.optimize((t) => {
      const x = t.suggestFloat('x', -5, 5);
      if (t.number === 2) throw new Flaky('boom');
      if (t.number === 3) return NaN;
      if (t.number === 4) {
        t.report(7, 0);
        t.report(5, 3);
        throw new tune.TrialPruned();
      }
      return (x - 1) ** 2;
    }, { nTrials: 8, catch: [Flaky] });
    const states = study.trials.map((t) => t.state);
    assert.deepEqual(states, ['complete', 'complete', 'fail', 'fail', 'pruned', 'complete', 'complete', 'complete']);
    assert.equal(study.trials[4].value, 5, 'a pruned trial keeps its last intermediate value');
    const complete = study.trials.filter((t) => t.state === 'complete').map((t) => t.value as number);
    assert.equal(study.bestValue, Math.min(...complete));
    assert.equal(study.bestTrial.value, study.bestValue);
    assert.equal(study.bestValue, (((study.bestParams.x as number) - 1) ** 2));
    assert.deepEqual(study.trials.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('an error not in catch fails the trial and is re-thrown', async () => {
    const study = tune.createStudy({ sampler: 'random', pruner: 'none' });
    await assert.rejects(study.optimize(() => { throw new RangeError('bad objective'); }, { nTrials: 3 }), /bad objective/);
    assert.deepEqual(study.trials.map((t) => t.state), ['fail']);
    assert.throws(() => study.bestTrial, (e: Error) => e instanceof ValueError && /has no complete trial yet/.test(e.message));
  });

  test('maximize picks the largest value', async () => {
    const study = tune.createStudy({ direction: 'maximize', sampler: new tune.RandomSampler({ seed: 2 }) });
    await study.optimize((t) => -quadratic(t), { nTrials: 20 });
    const vals = study.trials.map((t) => t.value as number);
    assert.equal(study.bestValue, Math.max(...vals));
  });

  test('concurrency runs asynchronous objectives together, numbers stay unique', async () => {
    const study = tune.createStudy({ sampler: new tune.RandomSampler({ seed: 4 }), pruner: 'none' });
    let running = 0;
    let peak = 0;
    await study.optimize(async (t) => {
      running++;
      peak = Math.max(peak, running);
      const x = t.suggestFloat('x', 0, 1);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return x;
    }, { nTrials: 12, concurrency: 4 });
    assert.equal(peak, 4);
    assert.equal(study.trials.length, 12);
    assert.deepEqual(study.trials.map((t) => t.number), [...Array(12).keys()]);
  });

  test('maxTrialsInStudy: a study full while a trial of another process runs waits, and replaces it once it failed', async () => {
    // A storage where a trial of a "dead process" runs until failStaleTrials notices, 100 ms after the start.
    class WithZombie extends tune.InMemoryStorage {
      zombie = -1;
      deadline = Infinity;
      override failStaleTrials(): number[] {
        if (Date.now() < this.deadline || this.getTrial(this.zombie, false).state !== 'running') return [];
        this.finishTrial(this.zombie, 'fail', null);
        return [this.zombie];
      }
    }
    const storage = new WithZombie();
    const study = tune.createStudy({ storage, sampler: new tune.RandomSampler({ seed: 2 }), pruner: 'none' });
    storage.zombie = storage.createTrial(0) as number;
    storage.deadline = Date.now() + 100;
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { maxTrialsInStudy: 3 });
    assert.deepEqual(study.trials.map((t) => t.state), ['fail', 'complete', 'complete', 'complete']);
  });

  test('timeout stops starting trials', async () => {
    const study = tune.createStudy({ sampler: 'random', pruner: 'none' });
    const t0 = Date.now();
    await study.optimize(async (t) => {
      await new Promise((r) => setTimeout(r, 20));
      return quadratic(t);
    }, { timeout: 0.15 });
    assert.ok(Date.now() - t0 < 1000);
    assert.ok(study.trials.length >= 2 && study.trials.length <= 9, `${study.trials.length} trials`);
  });

  test('a study reopened by name in the same storage resumes; an existing name without loadIfExists is refused', async () => {
    const storage = new tune.InMemoryStorage();
    const a = tune.createStudy({ storage, studyName: 's', sampler: 'random' });
    await a.optimize(quadratic, { nTrials: 3 });
    const b = tune.createStudy({ storage, studyName: 's', sampler: 'random', loadIfExists: true });
    await b.optimize(quadratic, { nTrials: 2 });
    assert.deepEqual(b.trials.map((t) => t.number), [0, 1, 2, 3, 4]);
    assert.throws(() => tune.createStudy({ storage, studyName: 's' }), /studyName 's' already exists in the storage; pass loadIfExists: true/);
    assert.throws(() => tune.createStudy({ storage, studyName: 's', direction: 'maximize', loadIfExists: true }), /was created with direction 'minimize', got 'maximize'/);
  });

  test('optimize without nTrials or timeout is refused unless the sampler stops the study', async () => {
    const study = tune.createStudy({ sampler: 'random' });
    await assert.rejects(study.optimize(quadratic), /optimize: give nTrials, timeout or maxTrialsInStudy/);
  });
});

describe('trials table', () => {
  test('CSV and JSON list every trial with its parameters', async () => {
    const study = tune.createStudy({ sampler: new tune.RandomSampler({ seed: 5 }), pruner: 'none' });
    await study.optimize((t) => {
      const k = t.suggestCategorical('k', ['a,b', 'c']);
      t.report(1.5, 0);
      return k === 'c' ? t.suggestInt('n', 1, 3) : 0;
    }, { nTrials: 4 });
    const csv = tune.trialsToCsv(study.trials).trim().split('\n');
    assert.equal(csv[0], 'number,state,value,datetime_start,datetime_complete,duration,params_k,params_n');
    assert.equal(csv.length, 5);
    for (const [i, line] of csv.slice(1).entries()) {
      const t = study.trials[i];
      assert.ok(line.startsWith(`${i},complete,${t.value},`), line);
      assert.ok(line.includes(t.params.k === 'a,b' ? '"a,b",' : `c,${t.params.n}`), line);
    }
    const json = JSON.parse(tune.trialsToJson(study.trials));
    assert.equal(json.length, 4);
    assert.deepEqual(json[0].intermediateValues, { 0: 1.5 });
    assert.deepEqual(json[1].params, study.trials[1].params);
  });
});
