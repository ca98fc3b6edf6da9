/**
 * The classifier search space: the default space, JSON spaces checked with errors naming the parameter, draws that
 * stay inside the ranges (log ranges spread over decades), and the grid a GridSampler walks through.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tune, ValueError } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

const OPT = ['sgd', 'adam'];

describe('classifier space', () => {
  test('the default space searches lr and weight decay in log space, and dropout only when asked', () => {
    assert.deepEqual(tune.defaultClassifierSpace(false), { lr: { low: 1e-4, high: 3e-2, log: true }, weightDecay: { low: 1e-6, high: 1e-2, log: true } });
    assert.deepEqual(tune.defaultClassifierSpace(true).dropout, { low: 0, high: 0.6 });
    assert.equal(tune.describeClassifierSpace(tune.defaultClassifierSpace(true)), 'lr log [0.0001, 0.03], weightDecay log [0.000001, 0.01], dropout [0, 0.6]');
  });

  test('a JSON space parses to the same object, and random draws stay in range with log ranges spread over decades', async () => {
    const json = { lr: { low: 1e-4, high: 1e-1, log: true }, dropout: { low: 0, high: 0.5 }, batchSize: [32, 64], optimizer: ['adam', 'sgd'] };
    const space = tune.parseClassifierSpace(JSON.parse(JSON.stringify(json)), OPT);
    assert.deepEqual(space, json);
    const study = tune.createStudy({ direction: 'maximize', sampler: new tune.RandomSampler({ seed: 0 }), pruner: 'none' });
    const drawn: tune.ClassifierParams[] = [];
    await study.optimize((t) => {
      drawn.push(tune.suggestClassifierParams(t, space));
      return 0;
    }, { nTrials: 200 });
    for (const p of drawn) {
      assert.ok(p.lr >= 1e-4 && p.lr <= 1e-1 && p.dropout! >= 0 && p.dropout! <= 0.5);
      assert.ok([32, 64].includes(p.batchSize!) && OPT.includes(p.optimizer!));
      assert.equal(p.weightDecay, undefined);
    }
    // log-uniform: about a third of the draws in each decade
    const low = drawn.filter((p) => p.lr < 1e-3).length;
    assert.ok(low > 45 && low < 90, `${low} of 200 draws below 1e-3`);
    assert.deepEqual(Object.keys(study.trials[0].params).sort(), ['batchSize', 'dropout', 'lr', 'optimizer']);
  });

  test('classifierGrid: endpoints exactly, log ranges geometric, choices as given; a grid study visits every point once', async () => {
    const space: tune.ClassifierSpace = { lr: { low: 1e-4, high: 1e-2, log: true }, dropout: { low: 0, high: 0.5 }, optimizer: ['adam', 'sgd'] };
    const grid = tune.classifierGrid(space, 3);
    assert.deepEqual(grid, { lr: [1e-4, 1e-3, 1e-2], dropout: [0, 0.25, 0.5], optimizer: ['adam', 'sgd'] });
    const study = tune.createStudy({ direction: 'maximize', sampler: new tune.GridSampler(grid), pruner: 'none' });
    await study.optimize((t) => tune.suggestClassifierParams(t, space).lr, {});
    assert.equal(study.trials.length, 18);
    assert.equal(new Set(study.trials.map((t) => JSON.stringify(t.params))).size, 18);
    assert.equal(study.bestValue, 1e-2);
  });
});

checkErrors('parseClassifierSpace', [
  ['not an object', () => tune.parseClassifierSpace([1], OPT), ValueError, /^space: a search space must be an object \{lr, weightDecay\?, dropout\?, batchSize\?, optimizer\?\}, got \[1\]$/],
  ['no lr', () => tune.parseClassifierSpace({ dropout: { low: 0, high: 0.5 } }, OPT), ValueError, /^space: parameter 'lr' is required$/],
  ['unknown parameter', () => tune.parseClassifierSpace({ lr: { low: 0.1, high: 1 }, momentum: [0.9] }, OPT, 'f.json'), ValueError, /^f\.json: unknown parameter 'momentum'; the space knows lr, weightDecay, dropout, batchSize, optimizer$/],
  ['low >= high', () => tune.parseClassifierSpace({ lr: { low: 1, high: 1 } }, OPT), ValueError, /^space: parameter 'lr': low must be below high, got low 1 >= high 1$/],
  ['log with low <= 0', () => tune.parseClassifierSpace({ lr: { low: 0, high: 1, log: true } }, OPT), ValueError, /^space: parameter 'lr': a log range needs low > 0, got 0$/],
  ['a range that is a list', () => tune.parseClassifierSpace({ lr: [0.1, 1] }, OPT), ValueError, /^space: parameter 'lr' must be a range \{low, high, log\?\}, got \[0\.1,1\]$/],
  ['low not a number', () => tune.parseClassifierSpace({ lr: { low: '0.1', high: 1 } }, OPT), ValueError, /^space: parameter 'lr': low must be a finite number, got "0\.1"$/],
  ['log not a boolean', () => tune.parseClassifierSpace({ lr: { low: 0.1, high: 1, log: 'yes' } }, OPT), ValueError, /^space: parameter 'lr': log must be true or false, got "yes"$/],
  ['unknown range field', () => tune.parseClassifierSpace({ lr: { low: 0.1, high: 1, step: 0.1 } }, OPT), ValueError, /^space: parameter 'lr' has unknown field 'step'; a range has low, high and log$/],
  ['dropout reaching 1', () => tune.parseClassifierSpace({ lr: { low: 0.1, high: 1 }, dropout: { low: 0, high: 1 } }, OPT), ValueError, /^space: parameter 'dropout' must lie in \[0, 1\), got \[0, 1\]$/],
  ['negative weight decay', () => tune.parseClassifierSpace({ lr: { low: 0.1, high: 1 }, weightDecay: { low: -1, high: 1 } }, OPT), ValueError, /^space: parameter 'weightDecay' must lie in \[0, Infinity\), got \[-1, 1\]$/],
  ['empty choices', () => tune.parseClassifierSpace({ lr: { low: 0.1, high: 1 }, optimizer: [] }, OPT), ValueError, /^space: parameter 'optimizer' has no choices \(an empty list\)$/],
  ['unknown optimizer', () => tune.parseClassifierSpace({ lr: { low: 0.1, high: 1 }, optimizer: ['adam', 'lion'] }, OPT), ValueError, /^space: parameter 'optimizer': every choice must be one of sgd, adam, got "lion"$/],
  ['fractional batch size', () => tune.parseClassifierSpace({ lr: { low: 0.1, high: 1 }, batchSize: [32, 1.5] }, OPT), ValueError, /^space: parameter 'batchSize': every choice must be a positive integer, got 1\.5$/],
  ['repeated choice', () => tune.parseClassifierSpace({ lr: { low: 0.1, high: 1 }, batchSize: [32, 32] }, OPT), ValueError, /^space: parameter 'batchSize' lists a choice twice: \[32,32\]$/],
  ['a grid of one point', () => tune.classifierGrid(tune.defaultClassifierSpace(false), 1), ValueError, /^classifierGrid: points must be an integer >= 2, got 1$/],
]);
