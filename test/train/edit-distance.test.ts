/** Edit distance and the sequence scores (train/edit-distance.ts) on hand-worked examples, and bad inputs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError } from '../../src/index.js';
import { SequenceScores, editDistance } from '../../src/train/edit-distance.js';
import { checkErrors } from '../helpers/check-errors.js';

const codes = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

describe('editDistance', () => {
  test('hand examples: kitten/sitting 3, empty sequences, one deletion, one substitution, symmetry', () => {
    assert.equal(editDistance(codes('kitten'), codes('sitting')), 3);
    assert.equal(editDistance(codes('sitting'), codes('kitten')), 3);
    assert.equal(editDistance([], []), 0);
    assert.equal(editDistance([], [1, 2]), 2);
    assert.equal(editDistance([1, 2, 3], []), 3);
    assert.equal(editDistance([1, 2, 3], [1, 3]), 1);
    assert.equal(editDistance([1, 2, 3], [1, 9, 3]), 1);
    assert.equal(editDistance(Int32Array.from([4, 5]), [5, 4]), 2);
  });
});

describe('SequenceScores', () => {
  test('accuracy counts exact sequences; the error rate is summed edits over summed reference length', () => {
    const s = new SequenceScores();
    assert.ok(Number.isNaN(s.accuracy) && Number.isNaN(s.errorRate));
    s.update([[1, 2], [3]], [[1, 2], [3, 4]]);
    assert.equal(s.accuracy, 0.5);
    assert.equal(s.errorRate, 1 / 4);
    s.update([[7, 7, 7]], [[1]]); // 3 edits against 1 reference label
    assert.equal(s.total, 3);
    assert.equal(s.accuracy, 1 / 3);
    assert.equal(s.errorRate, 4 / 5);
    s.reset();
    assert.equal(s.total, 0);
  });
});

checkErrors('edit distance', [
  ['editDistance of null', () => editDistance(null as unknown as number[], [1]), ValueError, /^editDistance: a must be an array of labels, got null/],
  ['editDistance of a number', () => editDistance([1], 3 as unknown as number[]), ValueError, /^editDistance: b must be an array of labels, got number/],
  ['update with different lengths', () => new SequenceScores().update([[1]], []), ValueError, /^SequenceScores.update: predicted and reference must be arrays of the same length, got 1 and 0/],
]);
