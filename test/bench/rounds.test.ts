/**
 * Rounds of the bench's peers suite (bench/rounds.ts): the interleaved order and the best round of each runner.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bestOfRounds, roundOrder } from '../../bench/rounds.js';
import type { Row } from '../../bench/rows.js';
import { parseSelection } from '../../bench/select.js';

const row = (value: number, extra: Partial<Row> = {}): Row => ({ workload: 'lstm_train', runner: 'torch-1t', value, unit: 'tokens/s', ...extra });

describe('bench rounds', () => {
  test('roundOrder: table order in even rounds, reversed in odd ones, the input left alone', () => {
    const runners = ['a', 'b', 'c'];
    assert.deepEqual(roundOrder(runners, 0), ['a', 'b', 'c']);
    assert.deepEqual(roundOrder(runners, 1), ['c', 'b', 'a']);
    assert.deepEqual(roundOrder(runners, 2), ['a', 'b', 'c']);
    assert.deepEqual(runners, ['a', 'b', 'c']);
  });

  test('bestOfRounds keeps the highest figure, its note, and every round in order', () => {
    const best = bestOfRounds([row(100, { note: 'slow' }), row(140, { note: 'fast' }), row(120)]);
    assert.equal(best.value, 140);
    assert.equal(best.note, 'fast');
    assert.deepEqual(best.rounds, [100, 140, 120]);
  });

  test('a failed round does not count, and shows as NaN among the rounds', () => {
    const best = bestOfRounds([row(NaN, { error: 'timed out after 120 s' }), row(90)]);
    assert.equal(best.value, 90);
    assert.equal(best.error, undefined);
    assert.deepEqual(best.rounds, [NaN, 90]);
  });

  test('when every round failed, the first error is the row', () => {
    const best = bestOfRounds([row(NaN, { error: 'first' }), row(NaN, { error: 'second' })]);
    assert.equal(best.error, 'first');
    assert.equal(best.rounds, undefined);
  });

  test('one round is the row itself, without a rounds list', () => {
    assert.deepEqual(bestOfRounds([row(5)]), row(5));
    assert.throws(() => bestOfRounds([]), /no rounds/);
  });

  test('--rounds=R is parsed (default 2) and refuses what is not a whole number of at least 1', () => {
    assert.equal(parseSelection([]).rounds, 2);
    assert.equal(parseSelection(['lstm_train', '--rounds=3']).rounds, 3);
    for (const bad of ['0', '1.5', 'x', '']) {
      assert.throws(() => parseSelection([`--rounds=${bad}`]), new RegExp(`^Error: bench: --rounds must be a whole number of at least 1, got '${bad}'`));
    }
  });
});
