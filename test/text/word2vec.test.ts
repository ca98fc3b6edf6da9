/**
 * word2vec: the generator, table search and subsampling against their definitions; determinism by seed;
 * on a synthetic corpus where two word groups share contexts only within the group, words of a group end up
 * closer than words of different groups (skip-gram and CBOW, on every backend); the wasm backend's native loops
 * against the JavaScript ones (same words kept, vectors equal up to float32 rounding), and the JavaScript loops
 * taking over where a native runner declines; WordVectors: neighbours, analogy, .vec round trip and corrupt
 * files; the PCA projection spec; typed errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataError, Generator, ValueError, listBackends, text } from '../../src/index.js';
import { registerWord2VecKernel, word2vecKernel } from '../../src/backend/host-word2vec.js';
import { Lcg48, bisectLeft, guideTable } from '../../src/text/word2vec-train.js';
import { onBackend } from '../helpers/backends.js';
import { checkErrors } from '../helpers/check-errors.js';

const ANIMALS = ['cat', 'dog', 'cow', 'horse', 'sheep'];
const TOOLS = ['hammer', 'saw', 'drill', 'wrench', 'chisel'];

/** Sentences "the <animal> eats|drinks|sleeps <food>" and "a <tool> cuts|drills|shapes <material>". */
function synthetic(n: number, seed: number): string[][] {
  const g = new Generator(seed);
  const pick = (xs: string[]) => xs[g.randint(0, xs.length)];
  return Array.from({ length: n }, (_, i) => i % 2 === 0
    ? ['the', pick(ANIMALS), pick(['eats', 'drinks', 'sleeps']), pick(['grass', 'hay', 'water', 'milk'])]
    : ['a', pick(TOOLS), pick(['cuts', 'drills', 'shapes']), pick(['wood', 'metal', 'stone', 'plank'])]);
}

describe('word2vec building blocks follow word2vec.c / gensim', () => {
  test('the 48-bit generator: next = (next * 25214903917 + 11) mod 2^48, draw = next >> 16', () => {
    let ref = (123n << 24n) + 456n;
    const rng = new Lcg48(123, 456);
    for (let i = 0; i < 1000; i++) {
      assert.equal(rng.draw(), Number(ref >> 16n));
      ref = (ref * 25214903917n + 11n) & ((1n << 48n) - 1n);
    }
  });
  test('the guide table finds what bisection finds', () => {
    const counts = [500, 300, 300, 20, 7, 5, 5, 5, 1, 1];
    let acc = 0;
    const total = counts.reduce((a, c) => a + c ** 0.75, 0);
    const cum = Uint32Array.from(counts, (c) => Math.round(((acc += c ** 0.75) / total) * (2 ** 31 - 1)));
    const guide = guideTable(cum);
    const g = new Generator(3);
    for (let i = 0; i < 5000; i++) {
      const x = g.randint(0, 2 ** 31 - 1);
      let t = guide[x >>> 15];
      while (cum[t] < x) t++;
      assert.equal(t, bisectLeft(cum, x));
    }
  });
  test('vocabulary by descending count with minCount, and the same vectors for the same seed', () => {
    const corpus = synthetic(200, 1);
    const a = new text.Word2Vec(corpus, { vectorSize: 8, minCount: 1, epochs: 2, seed: 4 });
    const b = new text.Word2Vec(corpus, { vectorSize: 8, minCount: 1, epochs: 2, seed: 4 });
    const c = new text.Word2Vec(corpus, { vectorSize: 8, minCount: 1, epochs: 2, seed: 5 });
    assert.deepEqual(a.vocab.tokens.slice(0, 2).sort(), ['a', 'the']);
    assert.ok(a.vocab.counts.every((n, i) => i === 0 || n <= a.vocab.counts[i - 1]));
    assert.deepEqual(Array.from(a.wv.vectors), Array.from(b.wv.vectors));
    assert.notDeepEqual(Array.from(a.wv.vectors), Array.from(c.wv.vectors));
    assert.ok(!new text.Word2Vec(corpus, { vectorSize: 8, minCount: 60, epochs: 1 }).wv.has('cat'), 'rare words are cut');
    const report = a.lastReport!;
    assert.equal(report.rawWords, 2 * 200 * 4);
    assert.ok(report.effectiveWords < report.rawWords, 'subsampling drops frequent words');
    const noSample = new text.Word2Vec(corpus, { vectorSize: 8, minCount: 1, epochs: 1, sample: 0 });
    assert.equal(noSample.lastReport!.effectiveWords, 800);
  });
});

describe('word2vec learns the corpus structure', () => {
  for (const [backend, sg] of listBackends().flatMap((b) => [[b, true], [b, false]] as const)) {
    test(`${sg ? 'skip-gram' : 'CBOW'} (${backend})`, () => {
      const model = onBackend(backend, () => new text.Word2Vec(synthetic(600, 2), { vectorSize: 16, window: 2, minCount: 1, sample: 0, epochs: 15, sg, seed: 3 }));
      const wv = model.wv;
      const mean = (pairs: [string, string][]) => pairs.reduce((a, [x, y]) => a + wv.similarity(x, y), 0) / pairs.length;
      const within: [string, string][] = [];
      const across: [string, string][] = [];
      for (const [i, a] of ANIMALS.entries()) {
        for (const [j, b] of ANIMALS.entries()) if (i < j) within.push([a, b]);
        for (const t of TOOLS) across.push([a, t]);
      }
      for (const [i, a] of TOOLS.entries()) for (const [j, b] of TOOLS.entries()) if (i < j) within.push([a, b]);
      assert.ok(mean(within) > mean(across) + 0.3, `within ${mean(within)} vs across ${mean(across)}`);
      for (const w of ANIMALS) {
        const top = wv.mostSimilar(w, 4).map((n) => n.word);
        assert.deepEqual(top.filter((x) => ANIMALS.includes(x)).length, 4, `${w}: ${top}`);
      }
    });
  }
});

describe('word2vec on each backend', () => {
  const corpus = synthetic(300, 6);
  const train = (backend: string, opts: text.Word2VecOptions) => onBackend(backend, () => new text.Word2Vec(corpus, { minCount: 1, epochs: 3, seed: 2, ...opts }));
  const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
  for (const opts of [{ sg: true, vectorSize: 13 }, { sg: false, vectorSize: 8 }, { sg: false, cbowMean: false, vectorSize: 5, negative: 7 }]) {
    test(`native loops keep the same words and reach the same vectors up to rounding: ${JSON.stringify(opts)}`, (t) => {
      const native = listBackends().filter((b) => word2vecKernel(b) !== null);
      if (native.length === 0) t.skip('no backend with native word2vec loops loaded');
      const ref = train('cpu', opts);
      for (const b of native) {
        const got = train(b, opts);
        assert.equal(got.lastReport!.effectiveWords, ref.lastReport!.effectiveWords, `${b}: the generator's stream and the words kept`);
        assert.ok(maxDiff(got.wv.vectors, ref.wv.vectors) < 1e-4, `${b}: syn0 differs by ${maxDiff(got.wv.vectors, ref.wv.vectors)}`);
        assert.ok(maxDiff(got.syn1neg, ref.syn1neg) < 1e-4, `${b}: syn1neg differs by ${maxDiff(got.syn1neg, ref.syn1neg)}`);
        assert.deepEqual(Array.from(train(b, opts).wv.vectors), Array.from(got.wv.vectors), `${b}: same seed, same vectors`);
      }
    });
  }
  test('where a native runner declines (its memory is full), the JavaScript loops train instead, the same', () => {
    const plain = train('cpu', { sg: true, vectorSize: 6 });
    let calls = 0;
    registerWord2VecKernel('cpu', () => {
      calls++;
      return null;
    });
    try {
      const declined = train('cpu', { sg: true, vectorSize: 6 });
      assert.equal(calls, 3, 'asked once an epoch');
      assert.deepEqual(Array.from(declined.wv.vectors), Array.from(plain.wv.vectors));
    } finally {
      registerWord2VecKernel('cpu', null);
    }
  });
});

describe('WordVectors', () => {
  const wv = new text.WordVectors(['king', 'queen', 'man', 'woman', 'apple'], Float32Array.from([
    1, 1, 0.1, /* king */ 1, -1, 0.1, /* queen */ 0.2, 1, 0, /* man */ 0.2, -1, 0, /* woman */ -1, 0, 1, /* apple */
  ]), 3);
  test('neighbours by cosine, and the analogy a - b + c', () => {
    assert.equal(wv.mostSimilar('king', 1)[0].word, 'man');
    assert.ok(Math.abs(wv.similarity('king', 'king') - 1) < 1e-6);
    assert.equal(wv.analogy('king', 'man', 'woman', 1)[0].word, 'queen');
    assert.deepEqual(wv.mostSimilar({ positive: ['king'], negative: ['apple'] }, 4).map((n) => n.word).sort(), ['man', 'queen', 'woman']);
  });
  test('.vec round trip is exact and gensim-readable in form', () => {
    const g = new Generator(1);
    const words = ['whale', 'sea', 'ship', 'ahab’s', 'x-ray'];
    const big = new text.WordVectors(words, Float32Array.from({ length: 5 * 7 }, () => g.normal() * 1e-3), 7);
    const vec = big.toVec();
    assert.equal(vec.split('\n')[0], '5 7');
    assert.equal(vec.split('\n')[1].split(' ').length, 8);
    const back = text.WordVectors.fromVec(vec);
    assert.deepEqual(back.words, words);
    assert.deepEqual(Array.from(back.vectors), Array.from(big.vectors));
    assert.equal(text.shortestFloat32(0.1), '0.1');
  });
  test('the PCA projection spec holds one labelled point per word', () => {
    const spec = text.wordProjectionSpec(wv, ['king', 'queen', 'man', 'woman'], { groups: ['royal', 'royal', 'common', 'common'] }) as unknown as { data: { values: { word: string; x: number }[] } };
    assert.deepEqual(spec.data.values.map((r) => r.word), ['king', 'queen', 'man', 'woman']);
    assert.ok(spec.data.values.every((r) => Number.isFinite(r.x)));
  });
});

checkErrors('word2vec', [
  ['sentences not token arrays', () => new text.Word2Vec(['a b c'] as unknown as string[][]), ValueError, /^Word2Vec: sentences must be an array of token arrays/],
  ['window 0', () => new text.Word2Vec([['a']], { window: 0 }), ValueError, /^Word2Vec: window must be a positive integer, got 0/],
  ['sample 1', () => new text.Word2Vec([['a']], { sample: 1 }), ValueError, /^Word2Vec: sample must be a number in \[0, 1\), got 1/],
  ['minAlpha above alpha', () => new text.Word2Vec([['a']], { alpha: 0.01, minAlpha: 0.1 }), ValueError, /^Word2Vec: minAlpha must be a number in \[0, alpha = 0.01\], got 0.1/],
  ['empty vocabulary', () => new text.Word2Vec([['a', 'b']], { minCount: 5 }), ValueError, /^Word2Vec: no word occurs minCount = 5 times; the vocabulary is empty/],
  ['unknown word', () => new text.WordVectors(['a'], new Float32Array(2), 2).mostSimilar('b'), ValueError, /^WordVectors\.mostSimilar: word "b" is not in the vocabulary \(1 words\)/],
  ['vec header', () => text.WordVectors.fromVec('a b\n', 'x.vec'), DataError, /^WordVectors\.fromVec \(x\.vec\): line 1 must be "count size"/],
  ['vec line count', () => text.WordVectors.fromVec('2 2\nw 1 2\n'), DataError, /the header announces 2 words but 1 lines follow/],
  ['vec short line', () => text.WordVectors.fromVec('1 3\nw 1 2\n'), DataError, /line 2 must hold a word and 3 numbers, got 2 fields after the word/],
  ['vec bad number', () => text.WordVectors.fromVec('1 2\nw 1 zz\n'), DataError, /line 2: value 2 of "w" is not a finite number: "zz"/],
  ['vec duplicate word', () => text.WordVectors.fromVec('2 1\nw 1\nw 2\n'), DataError, /line 3: word "w" appears twice/],
]);
