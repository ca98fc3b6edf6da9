/**
 * beamSearch (src/models/sequence/beam.ts), the bookkeeping shared by the sequence models' beam decoding: K = 1 is
 * greedy, the search runs on past hypotheses that end early, `from` says which row each hypothesis extends, the
 * attention rows kept are the winner's, and maxLength bounds a decoder that never ends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { beamSearch } from '../../../src/models/sequence/beam.js';

const EOS = 2;
const V = 5; // 0 pad, 1 bos, 2 eos, tokens 3 and 4

/** A decoder whose next-token probabilities depend only on the tokens so far (`table` by their joined ids). */
function scorer(table: Record<string, number[]>, calls: { rows: number[][]; from: number[] }[] = []) {
  return (rows: readonly (readonly number[])[], from: Int32Array) => {
    calls.push({ rows: rows.map((r) => [...r]), from: [...from] });
    const lp: number[] = [];
    rows.forEach((ids) => {
      const p = table[ids.join(',')] ?? [0, 0, 1, 0, 0];
      lp.push(...p.map((v) => Math.log(v)));
    });
    return { logProbs: lp, attention: rows.flatMap((ids, k) => [k, ids.length, -1]) };
  };
}

// a junk prefix (4) ends at once; the good one (3, 3) ends a step later with a higher total probability
const TABLE: Record<string, number[]> = {
  '': [0, 0, 0.02, 0.58, 0.4],
  '4': [0, 0, 0.99, 0.005, 0.005],
  '3': [0, 0, 0.05, 0.9, 0.05],
  '3,3': [0, 0, 0.99, 0.005, 0.005],
  '3,4': [0, 0, 0.99, 0.005, 0.005],
};

test('beam width 1 is greedy decoding', () => {
  const r = beamSearch({ beamWidth: 1, vocabSize: V, maxLength: 10, eos: EOS, next: scorer(TABLE) });
  assert.deepEqual(r.ids, [3, 3]);
});

test('the search goes on while the best continuation is not an ending, so a junk prefix that ends first does not win', () => {
  const calls: { rows: number[][]; from: number[] }[] = [];
  const r = beamSearch({ beamWidth: 2, vocabSize: V, maxLength: 10, eos: EOS, next: scorer(TABLE, calls), attentionStride: 3, attentionWidth: 2 });
  assert.deepEqual(r.ids, [3, 3]);
  // step 0 starts every row from row 0; step 1 has [3] in row 0 and [4] in row 1, each extending row 0
  assert.deepEqual(calls[0], { rows: [[], []], from: [0, 0] });
  assert.deepEqual(calls[1], { rows: [[3], [4]], from: [0, 0] });
  // the winner's attention: row 0 at step 0 (k 0, length 0), then row 0 at step 1 (k 0, length 1), width 2 of 3
  assert.deepEqual(r.attention, [[0, 0], [0, 1]]);
});

test('maxLength bounds a decoder that never ends (the best live hypothesis wins); without attention the rows are empty', () => {
  const rows = (pEos: number) => () => ({ logProbs: Array.from({ length: 2 * V }, (_, i) => Math.log([0, 0, pEos, 0.9, 0.1 - pEos][i % V])) });
  const never = beamSearch({ beamWidth: 2, vocabSize: V, maxLength: 4, eos: EOS, next: rows(0) });
  assert.deepEqual(never.ids, [3, 3, 3, 3]);
  assert.deepEqual(never.attention, [[], [], [], []]);
});
