/**
 * CTC decoding: best path collapses repeats and drops blanks; prefix beam search finds the most likely labelling
 * (checked against brute-force enumeration of every alignment, and against ctcLoss's likelihood), and beats
 * greedy decoding where the best path is not the best labelling.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DTypeError, F, ShapeError, ValueError, ctcBeamSearchDecode, ctcGreedyDecode, log, manualSeed, randn, tensor,
} from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

/** log of per-frame probabilities given as rows [T][C] (unbatched). */
const logOf = (rows: number[][]) => log(tensor(rows, { dtype: 'float64' }));

/** Every labelling's probability, by summing over all C^T alignments (small T only). */
function bruteForce(p: number[][], blank: number): Map<string, number> {
  const T = p.length;
  const C = p[0].length;
  const out = new Map<string, number>();
  const path = new Array<number>(T).fill(0);
  const visit = (t: number, prob: number) => {
    if (t === T) {
      const labels: number[] = [];
      path.forEach((c, i) => {
        if (c !== blank && (i === 0 || path[i - 1] !== c)) labels.push(c);
      });
      const key = labels.join(',');
      out.set(key, (out.get(key) ?? 0) + prob);
      return;
    }
    for (let c = 0; c < C; c++) {
      path[t] = c;
      visit(t + 1, prob * p[t][c]);
    }
  };
  visit(0, 1);
  return out;
}

describe('ctcGreedyDecode', () => {
  test('collapses repeats, drops blanks, keeps a label repeated across a blank', () => {
    // argmax path: 1 1 0 1 2 2 0 0 3
    const rows = [1, 1, 0, 1, 2, 2, 0, 0, 3].map((c) => [0, 1, 2, 3].map((k) => (k === c ? 0.7 : 0.1)));
    assert.deepEqual(ctcGreedyDecode(logOf(rows)), [[1, 1, 2, 3]]);
    assert.deepEqual(ctcGreedyDecode(logOf(rows), { blank: 3 }), [[1, 0, 1, 2, 0]]);
  });

  test('batched input with input lengths', () => {
    const a = [2, 2, 1, 0].map((c) => [0, 1, 2].map((k) => (k === c ? 0.8 : 0.1)));
    const b = [0, 1, 0, 1].map((c) => [0, 1, 2].map((k) => (k === c ? 0.8 : 0.1)));
    const lp = log(tensor([0, 1, 2, 3].map((t) => [a[t], b[t]]), { dtype: 'float32' }));
    assert.deepEqual(ctcGreedyDecode(lp), [[2, 1], [1, 1]]);
    assert.deepEqual(ctcGreedyDecode(lp, { inputLengths: [2, 3] }), [[2], [1]]);
  });
});

describe('ctcBeamSearchDecode', () => {
  test('beats greedy where many alignments share one labelling', () => {
    // greedy reads blank, blank -> [] (p = 0.36); the labelling [1] has p = 0.16 + 0.24 + 0.24 = 0.64
    const lp = logOf([[0.6, 0.4], [0.6, 0.4]]);
    assert.deepEqual(ctcGreedyDecode(lp), [[]]);
    const [hyps] = ctcBeamSearchDecode(lp, { beamWidth: 4 });
    assert.deepEqual(hyps[0].labels, [1]);
    assert.ok(Math.abs(hyps[0].logProb - Math.log(0.64)) < 1e-12);
    assert.ok(Math.abs(hyps[1].logProb - Math.log(0.36)) < 1e-12);
  });

  test('a wide beam finds the most likely labelling of brute-force enumeration, with its exact probability', () => {
    manualSeed(3);
    for (const blank of [0, 2]) {
      for (let trial = 0; trial < 4; trial++) {
        const probs = F.softmax(randn([5, 3], { dtype: 'float64' }).mul(2), 1);
        const rows = probs.toArray() as number[][];
        const all = [...bruteForce(rows, blank).entries()].sort((x, y) => y[1] - x[1]);
        const [hyps] = ctcBeamSearchDecode(probs.log(), { blank, beamWidth: 1000 });
        assert.equal(hyps[0].labels.join(','), all[0][0]);
        assert.equal(hyps.length, all.length, 'every labelling survives an unbounded beam');
        for (const h of hyps) assert.ok(Math.abs(Math.exp(h.logProb) - bruteForce(rows, blank).get(h.labels.join(','))!) < 1e-12);
      }
    }
  });

  test("a hypothesis's logProb equals minus ctcLoss of its labels", () => {
    manualSeed(5);
    // 2 labels and 7 frames: at most 255 prefixes, so a beam of 300 is exhaustive
    const lp = F.logSoftmax(randn([7, 2, 3], { dtype: 'float64' }), 2);
    const hyps = ctcBeamSearchDecode(lp, { beamWidth: 300, inputLengths: [7, 5] });
    hyps.forEach((hs, b) => {
      for (const h of hs.slice(0, 3)) {
        const len = [7, 5][b];
        const single = lp.narrow(0, 0, len).select(1, b);
        const nll = F.ctcLoss(single, tensor(h.labels.length ? h.labels : [1], { dtype: 'int32' }), len, h.labels.length, { reduction: 'sum' }).item();
        assert.ok(Math.abs(-nll - h.logProb) < 1e-9, `sample ${b} labels ${h.labels}: ${-nll} vs ${h.logProb}`);
      }
    });
  });

  test('beam width 1 keeps a single hypothesis', () => {
    const lp = F.logSoftmax(randn([6, 1, 5]), 2);
    const [hyps] = ctcBeamSearchDecode(lp, { beamWidth: 1 });
    assert.equal(hyps.length, 1);
  });
});

const lp = F.logSoftmax(randn([4, 2, 3]), 2);
checkErrors('ctc decoding', [
  ['greedy 1-D input', () => ctcGreedyDecode(randn([4])), ShapeError, /^ctcGreedyDecode: logProbs must be \[T, N, C\] or unbatched \[T, C\], got shape \[4\]/],
  ['greedy int input', () => ctcGreedyDecode(tensor([[1, 2]], { dtype: 'int32' })), DTypeError, /^ctcGreedyDecode: logProbs must be a floating-point tensor, got dtype int32/],
  ['greedy blank out of range', () => ctcGreedyDecode(lp, { blank: 3 }), ValueError, /^ctcGreedyDecode: blank must be a class index in \[0, 3\), got 3/],
  ['beam lengths count', () => ctcBeamSearchDecode(lp, { inputLengths: [4] }), ShapeError, /^ctcBeamSearchDecode: inputLengths must hold one length per batch element \(2\), got 1/],
  ['beam length > T', () => ctcBeamSearchDecode(lp, { inputLengths: [4, 5] }), ValueError, /^ctcBeamSearchDecode: inputLengths must be integers in \[0, 4\], got 5/],
  ['beam width 0', () => ctcBeamSearchDecode(lp, { beamWidth: 0 }), ValueError, /^ctcBeamSearchDecode: beamWidth must be a positive integer, got 0/],
]);
