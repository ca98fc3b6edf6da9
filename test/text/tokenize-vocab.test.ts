/**
 * Tokenizers, Vocab (build order, specials, encode/decode, JSON round trip and corrupt files), padBatch and
 * BucketBatchSampler, with their typed errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataError, Generator, ValueError, text } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

describe('tokenizers', () => {
  const s = 'Call me Ishmael. Some years ago—never mind how long—I didn’t sail; a sea-captain’s   log: 1851!';
  test('words: lower-cased, punctuation dropped, inner apostrophes and hyphens kept', () => {
    assert.deepEqual(new text.WordTokenizer().tokenize(s), ['call', 'me', 'ishmael', 'some', 'years', 'ago', 'never', 'mind', 'how', 'long', 'i', 'didn’t', 'sail', 'a', 'sea-captain’s', 'log', '1851']);
  });
  test('words: case kept, punctuation kept as tokens, inner marks split', () => {
    assert.deepEqual(text.tokenizeWords("Ahab's sea-boots, too!", { lower: false, punctuation: 'keep' }), ["Ahab's", 'sea-boots', ',', 'too', '!']);
    assert.deepEqual(text.tokenizeWords("Ahab's sea-boots", { joinInner: false, punctuation: 'keep' }), ['ahab', "'", 's', 'sea', '-', 'boots']);
    assert.deepEqual(text.tokenizeWords('  '), []);
  });
  test('characters are code points', () => {
    assert.deepEqual(text.tokenizeChars('Ab 🐋'), ['A', 'b', ' ', '🐋']);
    assert.deepEqual(new text.CharTokenizer({ lower: true }).tokenize('AB'), ['a', 'b']);
  });
});

describe('Vocab', () => {
  const corpus = [['the', 'whale', 'the', 'sea'], ['the', 'whale', 'ship', 'ahab'], ['sea']];
  test('specials first, then by count, ties alphabetical; minCount and maxSize', () => {
    const v = text.Vocab.build(corpus);
    assert.deepEqual(v.tokens, ['<unk>', '<pad>', '<bos>', '<eos>', 'the', 'sea', 'whale', 'ahab', 'ship']);
    assert.deepEqual(v.counts, [0, 0, 0, 0, 3, 2, 2, 1, 1]);
    assert.deepEqual(text.Vocab.build(corpus, { minCount: 2 }).tokens.slice(4), ['the', 'sea', 'whale']);
    assert.deepEqual(text.Vocab.build(corpus, { maxSize: 6 }).tokens, ['<unk>', '<pad>', '<bos>', '<eos>', 'the', 'sea']);
    assert.deepEqual(text.Vocab.build(corpus.flat(), { specials: [] }).tokens, ['the', 'sea', 'whale', 'ahab', 'ship']);
  });
  test('encode / decode, unknown tokens, bos/eos, skipSpecials', () => {
    const v = text.Vocab.build(corpus);
    const ids = v.encode(['the', 'kraken', 'sea'], { bos: true, eos: true });
    assert.deepEqual(ids, [2, 4, 0, 5, 3]);
    assert.deepEqual(v.decode(ids), ['<bos>', 'the', '<unk>', 'sea', '<eos>']);
    assert.deepEqual(v.decode(ids, { skipSpecials: true }), ['the', 'sea']);
    assert.equal(v.length, 9);
  });
  test('JSON round trip', () => {
    const v = text.Vocab.build(corpus, { minCount: 1 });
    const back = text.Vocab.fromJSON(JSON.stringify(v));
    assert.deepEqual(back.tokens, v.tokens);
    assert.deepEqual(back.counts, v.counts);
    assert.equal(back.numSpecials, 4);
    assert.equal(back.unkToken, '<unk>');
    assert.deepEqual(back.encode(['ahab', 'moby']), v.encode(['ahab', 'moby']));
  });
});

describe('padBatch and BucketBatchSampler', () => {
  test('padBatch pads with lengths, batch-first or time-major', () => {
    const b = text.padBatch([[5, 6, 7], [8], [9, 10]], { paddingValue: 1 });
    assert.deepEqual(b.data.toArray(), [[5, 6, 7], [8, 1, 1], [9, 10, 1]]);
    assert.equal(b.data.dtype, 'int32');
    assert.deepEqual(b.lengths, [3, 1, 2]);
    assert.deepEqual(text.padBatch([[5, 6], [8]], { batchFirst: false, totalLength: 3 }).data.toArray(), [[5, 8], [6, 0], [0, 0]]);
  });
  test('buckets: every index once, batches of similar length, seeded order', () => {
    const lengths = Array.from({ length: 103 }, (_, i) => (i * 37) % 50 + 1);
    const run = (seed: number) => [...new text.BucketBatchSampler(lengths, 8, { bucketSize: 32, generator: new Generator(seed) })];
    const batches = run(1);
    assert.deepEqual(batches.flat().sort((a, b) => a - b), lengths.map((_, i) => i));
    assert.equal(batches.length, new text.BucketBatchSampler(lengths, 8, { bucketSize: 32 }).length);
    assert.deepEqual(run(1), batches);
    assert.notDeepEqual(run(2), batches);
    // within a bucket of 32 sorted lengths, a batch of 8 spans far less than the whole range 1..50
    const spread = batches.filter((b) => b.length === 8).map((b) => Math.max(...b.map((i) => lengths[i])) - Math.min(...b.map((i) => lengths[i])));
    assert.ok(spread.reduce((a, x) => a + x, 0) / spread.length < 20, `mean spread ${spread}`);
    const unshuffled = [...new text.BucketBatchSampler([3, 1, 2, 5], 2, { shuffle: false })];
    assert.deepEqual(unshuffled, [[1, 2], [0, 3]]);
    assert.equal([...new text.BucketBatchSampler([3, 1, 2], 2, { shuffle: false, dropLast: true })].length, 1);
  });
});

checkErrors('text', [
  ['tokenize a number', () => new text.WordTokenizer().tokenize(3 as unknown as string), ValueError, /^WordTokenizer\.tokenize: text must be a string, got number/],
  ['unknown punctuation mode', () => new text.WordTokenizer({ punctuation: 'split' as 'keep' }), ValueError, /^WordTokenizer: punctuation must be 'drop' or 'keep', got "split"/],
  ['minCount 0', () => text.Vocab.build([['a']], { minCount: 0 }), ValueError, /^Vocab\.build: minCount must be an integer >= 1, got 0/],
  ['maxSize below the specials', () => text.Vocab.build([['a']], { maxSize: 2 }), ValueError, /^Vocab\.build: maxSize = 2 is smaller than the 4 specials/],
  ['unknown token without unk', () => text.Vocab.build([['a']], { specials: [] }).indexOf('b'), ValueError, /^Vocab\.indexOf: token "b" is not in the vocab and the vocab has no unkToken/],
  ['decode out of range', () => text.Vocab.build([['a']]).decode([7]), ValueError, /^Vocab\.tokenAt: index must be an integer in \[0, 5\), got 7/],
  ['corrupt JSON', () => text.Vocab.fromJSON('{"format": "shendu.vocab", "tok', 'vocab.json'), DataError, /^Vocab\.fromJSON \(vocab\.json\): not valid JSON/],
  ['wrong format', () => text.Vocab.fromJSON('{"format": "other"}'), DataError, /^Vocab\.fromJSON \(vocab JSON\): expected an object with format 'shendu\.vocab', got format "other"/],
  ['counts of the wrong length', () => text.Vocab.fromJSON({ format: 'shendu.vocab', version: 1, tokens: ['a', 'b'], counts: [1], numSpecials: 0, unkToken: null }), DataError, /counts must be 2 non-negative integers, one per token/],
  ['duplicate tokens', () => text.Vocab.fromJSON({ format: 'shendu.vocab', version: 1, tokens: ['a', 'a'], counts: [1, 1], numSpecials: 0, unkToken: null }), DataError, /tokens must be distinct/],
  ['unkToken not a token', () => text.Vocab.fromJSON({ format: 'shendu.vocab', version: 1, tokens: ['a'], counts: [1], numSpecials: 0, unkToken: '<unk>' }), DataError, /unkToken must be null or one of the tokens, got "<unk>"/],
  ['padBatch empty', () => text.padBatch([]), ValueError, /^padBatch: seqs must be a non-empty array of index sequences, got an empty array/],
  ['padBatch totalLength too short', () => text.padBatch([[1, 2, 3]], { totalLength: 2 }), ValueError, /^padBatch: totalLength must be an integer >= the longest sequence's length 3, got 2/],
  ['bucket smaller than a batch', () => new text.BucketBatchSampler([1, 2], 4, { bucketSize: 2 }), ValueError, /^BucketBatchSampler: bucketSize must be an integer >= batchSize \(4\), got 2/],
]);
