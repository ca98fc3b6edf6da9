/**
 * The captioning sets (node/datasets/captions.ts): held-out canvases are made only from MNIST's and Fashion-MNIST's
 * test images (each item's square is that test image resized, and its caption noun is that image's label), the
 * splits are fixed by their seeds, the word table comes from the training captions; the emoji names split 1,533 /
 * 378 with lower-cased word captions and <unk> for held-out words unseen in training.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError } from '../../../src/errors.js';
import { CAPTION_OOV, CAPTION_SPECIALS, CAPTION_UNK } from '../../../src/data/captions.js';
import { DIGIT_NOUNS, FASHION_NOUNS } from '../../../src/data/caption-canvas.js';
import { canvasCaptions, emojiCaptions, emojiNameWords } from '../../../src/node/datasets/captions.js';
import { fashionMnist } from '../../../src/node/datasets/fashion-mnist.js';
import { mnist } from '../../../src/node/datasets/mnist.js';
import { checkErrors } from '../../helpers/check-errors.js';
import { resizeBytes } from '../../../src/data/resize-bytes.js';

describe('canvasCaptions', () => {
  const sets = canvasCaptions({ trainCount: 40, testCount: 30 });

  test('held-out canvases are drawn from the test splits only; training canvases from the training splits', () => {
    for (const [train, canvases] of [[false, sets.testCanvases], [true, sets.trainCanvases]] as const) {
      const sources = [mnist({ train }), fashionMnist({ train })];
      const nouns = [DIGIT_NOUNS, FASHION_NOUNS];
      canvases.items.forEach((items, i) => {
        for (const p of items) {
          const src = sources[p.source];
          assert.ok(p.index < src.length);
          assert.equal(p.label, src.rawLabels[p.index]);
          assert.ok(canvases.captions[i].includes(nouns[p.source][p.label]));
          const [x0, y0, side] = p.box;
          const patch = resizeBytes(src.rawPixels, p.index * 784, 28, 28, side, side);
          for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) assert.equal(canvases.pixels[i * 4096 + (y0 + y) * 64 + x0 + x], patch[y * side + x]);
        }
      });
    }
  });

  test('fixed splits: the same call gives the same canvases; the word table is the training captions\' words', () => {
    const again = canvasCaptions({ trainCount: 40, testCount: 30 });
    assert.deepEqual(again.test.captions, sets.test.captions);
    assert.deepEqual(again.train.pixels, sets.train.pixels);
    assert.notDeepEqual(sets.train.captions.slice(0, 30), sets.test.captions);
    assert.deepEqual(sets.train.words.slice(0, 4), CAPTION_SPECIALS);
    assert.deepEqual(sets.train.words, sets.test.words);
    assert.deepEqual(new Set(sets.train.words.slice(4)), new Set(sets.train.captions.flat()));
    assert.deepEqual(sets.train.imageShape, [1, 64, 64]);
  });
});

describe('emojiCaptions', () => {
  test('1,533 training and 378 held-out emoji captioned by their lower-cased names; rare words are <unk>', () => {
    const e = emojiCaptions({ size: 16, minCount: 2 });
    assert.equal(e.train.length, 1533);
    assert.equal(e.test.length, 378);
    assert.deepEqual(e.train.imageShape, [3, 16, 16]);
    e.train.captions.forEach((c, i) => assert.deepEqual(c, emojiNameWords(e.trainInfo[i].name)));
    assert.deepEqual(emojiNameWords('GRINNING FACE WITH SMILING EYES'), ['grinning', 'face', 'with', 'smiling', 'eyes']);
    assert.deepEqual(emojiNameWords('KEYCAP: *'), ['keycap']);
    assert.ok(e.train.words.includes('face'));
    const counts = new Map<string, number>();
    for (const w of e.train.captions.flat()) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const w of e.train.words.slice(4)) assert.ok(counts.get(w)! >= 2, w);
    assert.ok(e.test.ids.flat().includes(CAPTION_UNK));
    // references keep unknown words apart from <unk>: a generated <unk> never matches them
    e.test.ids.forEach((ids, i) => ids.forEach((id, k) => assert.equal(e.test.referenceIds[i][k], id === CAPTION_UNK ? CAPTION_OOV : id)));
    const all = emojiCaptions({ size: 16 });
    assert.ok(!all.train.ids.flat().includes(CAPTION_UNK));
    assert.ok(all.train.words.length > e.train.words.length);
    assert.ok(e.train.pixels.every((v) => v >= 0 && v <= 1));
  });
});

checkErrors('captioning sets', [
  ['emoji minCount 0', () => emojiCaptions({ minCount: 0 }), ValueError, /^emojiCaptions: minCount must be a positive integer, got 0/],
]);
