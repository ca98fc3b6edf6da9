/**
 * BLEU (text/bleu.ts): corpus and sentence BLEU equal NLTK 3.8's on seeded random corpora and on NLTK's published
 * worked example (fixture from tools/make_bleu_fixtures.py), with default and custom weights and epsilon smoothing;
 * hand-computed cases for clipping (the paper's "the the the ..." example), the brevity penalty, the closest-length
 * tie rule, hypotheses shorter than n (no phantom n-gram, unlike NLTK), token ids; bad inputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ValueError } from '../../src/errors.js';
import { bleuScore, corpusBleu, sentenceBleu } from '../../src/text/bleu.js';
import { checkErrors } from '../helpers/check-errors.js';

interface Corpus {
  references: string[][][];
  hypotheses: string[][];
  bleu4: number;
  bleu2: number;
  bleu_custom: number;
  bleu4_smoothed?: number;
  sentence_bleu4: number[];
  sentence_bleu4_smoothed?: number[];
}
const fx = JSON.parse(readFileSync(new URL('../../../test/fixtures/bleu.json', import.meta.url), 'utf8')) as { corpora: Corpus[]; example: Corpus };

// NLTK's unsmoothed zero is exp(w log(float min)), about 1e-77: equal to 0 at this tolerance
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 + 1e-12 * Math.abs(b), `${what}: ${a} vs NLTK ${b}`);

describe('BLEU against NLTK 3.8', () => {
  test("NLTK's worked example: corpus BLEU-4 0.5920..., custom weights 0.5818..., BLEU-2 0.8242...", () => {
    const e = fx.example;
    close(corpusBleu(e.references, e.hypotheses), e.bleu4, 'bleu4');
    assert.equal(corpusBleu(e.references, e.hypotheses).toFixed(4), '0.5921');
    close(corpusBleu(e.references, e.hypotheses, { weights: [0.1, 0.3, 0.5, 0.1] }), e.bleu_custom, 'custom');
    close(corpusBleu(e.references, e.hypotheses, { weights: [0.5, 0.5] }), e.bleu2, 'bleu2');
    e.hypotheses.forEach((h, i) => close(sentenceBleu(e.references[i], h), e.sentence_bleu4[i], `sentence ${i}`));
  });

  test('seeded random corpora: corpus BLEU-4/2/custom, smoothed, and sentence BLEU', () => {
    assert.equal(fx.corpora.length, 8);
    fx.corpora.forEach((c, k) => {
      close(corpusBleu(c.references, c.hypotheses), c.bleu4, `corpus ${k} bleu4`);
      close(corpusBleu(c.references, c.hypotheses, { weights: [0.5, 0.5] }), c.bleu2, `corpus ${k} bleu2`);
      close(corpusBleu(c.references, c.hypotheses, { weights: [0.1, 0.3, 0.5, 0.1] }), c.bleu_custom, `corpus ${k} custom`);
      close(corpusBleu(c.references, c.hypotheses, { smoothing: 'epsilon' }), c.bleu4_smoothed!, `corpus ${k} smoothed`);
      c.hypotheses.forEach((h, i) => {
        close(sentenceBleu(c.references[i], h), c.sentence_bleu4[i], `corpus ${k} sentence ${i}`);
        close(sentenceBleu(c.references[i], h, { smoothing: 'epsilon' }), c.sentence_bleu4_smoothed![i], `corpus ${k} smoothed sentence ${i}`);
      });
    });
    // the fixture covers zero and non-zero scores
    assert.ok(fx.corpora.some((c) => c.sentence_bleu4.some((v) => v < 1e-30)));
    assert.ok(fx.corpora.some((c) => c.bleu4 > 0.3));
  });
});

describe('BLEU by hand', () => {
  test("clipped counts: the paper's 'the the the the the the the' scores unigram precision 2/7", () => {
    const hyp = 'the the the the the the the'.split(' ');
    const refs = ['the cat is on the mat'.split(' '), 'there is a cat on the mat'.split(' ')];
    const r = bleuScore([refs], [hyp], { weights: [1] });
    assert.deepEqual([r.matches[0], r.totals[0]], [2, 7]);
    assert.equal(r.referenceLength, 7); // the closest reference length to 7
    close(r.bleu, 2 / 7, 'bleu-1');
    assert.equal(sentenceBleu(refs, hyp), 0); // no 2-gram match: unsmoothed BLEU-4 is 0
  });

  test('brevity penalty exp(1 - r / c) for a short hypothesis; a tie in closeness goes to the shorter reference', () => {
    close(sentenceBleu([['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']], ['a', 'b', 'c', 'd']), Math.exp(1 - 8 / 4), 'bp');
    const r = bleuScore([[['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd', 'e', 'f']]], [['a', 'b', 'c', 'd', 'e']]);
    assert.equal(r.referenceLength, 4);
    assert.equal(r.brevityPenalty, 1);
    assert.equal(r.bleu, 1);
    assert.equal(sentenceBleu([['a', 'b']], []), 0);
  });

  test('a hypothesis shorter than n adds no n-gram: a corpus equal to its references scores 1 (NLTK: 0.6^0.25)', () => {
    const refs = [[['a', 'cat']], [['the', 'cat', 'sat', 'on', 'the', 'mat']]];
    const hyps = [['a', 'cat'], ['the', 'cat', 'sat', 'on', 'the', 'mat']];
    const r = bleuScore(refs, hyps);
    assert.deepEqual(r.totals, [8, 6, 4, 3]);
    assert.equal(r.bleu, 1);
    // epsilon smoothing of an order with no n-gram at all: epsilon / max(1, 0), as NLTK's method 1
    close(sentenceBleu([['a', 'cat']], ['a', 'cat'], { smoothing: 'epsilon' }), Math.sqrt(0.1), 'smoothed short');
    assert.ok(Number.isNaN(bleuScore([[['a']]], [['a']]).precisions[1]));
  });

  test('token ids work as tokens; the number 1 and the string "1" differ', () => {
    assert.equal(corpusBleu([[[3, 4, 5, 6]]], [[3, 4, 5, 6]]), 1);
    assert.equal(corpusBleu([[[1, 2]]], [['1', '2']], { weights: [1] }), 0);
    assert.equal(corpusBleu([[['a b']]], [['a', 'b']], { weights: [1] }), 0);
  });
});

checkErrors('bleu', [
  ['count mismatch', () => corpusBleu([[['a']]], [['a'], ['b']]), ValueError, /^corpusBleu: 2 hypotheses but 1 reference lists/],
  ['empty corpus', () => corpusBleu([], []), ValueError, /^corpusBleu: the corpus is empty/],
  ['no references', () => corpusBleu([[]], [['a']]), ValueError, /^corpusBleu: references\[0\] must be a non-empty array of reference token arrays, got an empty array/],
  ['hypothesis a string', () => corpusBleu([[['a']]], ['a b' as unknown as string[]]), ValueError, /^corpusBleu: hypotheses\[0\] must be an array of tokens \(strings or numbers\), got string/],
  ['reference with null token', () => corpusBleu([[['a', null as unknown as string]]], [['a']]), ValueError, /^corpusBleu: references\[0\]\[0\] must be an array of tokens/],
  ['hypotheses not an array', () => corpusBleu([], null as unknown as string[][]), ValueError, /^corpusBleu: hypotheses must be an array of token arrays, got null/],
  ['negative weight', () => corpusBleu([[['a']]], [['a']], { weights: [1, -0.5] }), ValueError, /^corpusBleu: weights must be a non-empty array of finite numbers >= 0, got \[1,-0.5\]/],
  ['empty weights', () => corpusBleu([[['a']]], [['a']], { weights: [] }), ValueError, /^corpusBleu: weights must be a non-empty array/],
  ['unknown smoothing', () => sentenceBleu([['a']], ['a'], { smoothing: 'add1' as 'none' }), ValueError, /^sentenceBleu: smoothing must be 'none' or 'epsilon', got "add1"/],
  ['epsilon 0', () => sentenceBleu([['a']], ['a'], { smoothing: 'epsilon', epsilon: 0 }), ValueError, /^sentenceBleu: epsilon must be in \(0, 1\], got 0/],
  ['sentence references not an array', () => sentenceBleu('a' as unknown as string[][], ['a']), ValueError, /^sentenceBleu: references must be an array of reference token arrays, got string/],
]);
