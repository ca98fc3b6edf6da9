/**
 * Captioning data (data/captions.ts, data/caption-canvas.ts): the canvas composer is deterministic per seed, its
 * captions follow the grammar and name the placed items in reading order, items stay in their slots and are the
 * source images resized; CaptionData's padded teacher-forcing batches, <unk> for unknown words, decodeIds; bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError, ValueError } from '../../src/errors.js';
import { CAPTION_BOS, CAPTION_EOS, CAPTION_OOV, CAPTION_SPECIALS, CAPTION_UNK, CaptionData } from '../../src/data/captions.js';
import { type CaptionItemSource, DIGIT_NOUNS, FASHION_NOUNS, article, composeCaptionCanvases } from '../../src/data/caption-canvas.js';
import { checkErrors } from '../helpers/check-errors.js';
import { resizeBytes } from '../../src/data/resize-bytes.js';

/** n fake 28x28 items: item k is a filled square whose size and brightness depend on k, label k % 10. */
function fakeSource(n: number, nouns: readonly string[]): CaptionItemSource {
  const pixels = new Uint8Array(n * 784);
  for (let k = 0; k < n; k++) for (let y = 4; y < 24; y++) for (let x = 4; x < 10 + (k % 14); x++) pixels[k * 784 + y * 28 + x] = 100 + k;
  return { pixels, labels: Int32Array.from({ length: n }, (_, k) => k % 10), size: 28, nouns };
}
const sources = [fakeSource(30, DIGIT_NOUNS), fakeSource(20, FASHION_NOUNS)];
const GRAMMAR = /^an? [a-z]+( (left of|above) an? [a-z]+)*$/;

describe('captioned canvases', () => {
  test('the same seed gives the same canvases; another seed others', () => {
    const a = composeCaptionCanvases(sources, { count: 20, seed: 3 });
    const b = composeCaptionCanvases(sources, { count: 20, seed: 3 });
    const c = composeCaptionCanvases(sources, { count: 20, seed: 4 });
    assert.deepEqual(a.pixels, b.pixels);
    assert.deepEqual(a.captions, b.captions);
    assert.notDeepEqual(a.captions, c.captions);
  });

  test('captions follow the grammar and name the items in reading order; items sit in their own slots', () => {
    const r = composeCaptionCanvases(sources, { count: 60, seed: 1 });
    assert.equal(r.pixels.length, 60 * 64 * 64);
    const counts = new Set<number>();
    r.captions.forEach((cap, i) => {
      const text = cap.join(' ');
      assert.match(text, GRAMMAR);
      const items = r.items[i];
      counts.add(items.length);
      assert.ok(items.length >= 2 && items.length <= 4);
      const nouns = items.map((p) => sources[p.source].nouns[p.label]);
      const expected = nouns.map((n) => `${article(n)} ${n}`).join(r.layouts[i] === 'row' ? ' left of ' : ' above ');
      assert.equal(text, expected);
      const slot = Math.floor(64 / items.length);
      items.forEach((p, k) => {
        const [x, y, side] = p.box;
        const along = r.layouts[i] === 'row' ? x : y;
        assert.ok(along >= k * slot && along + side <= (k + 1) * slot, `item ${k} of canvas ${i} leaves its slot`);
        assert.ok(side <= 28 && x + side <= 64 && y + side <= 64);
        assert.equal(p.label, sources[p.source].labels[p.index]);
      });
    });
    assert.deepEqual([...counts].sort(), [2, 3, 4]);
    assert.ok(r.layouts.includes('row') && r.layouts.includes('column'));
    assert.ok(r.items.flat().some((p) => p.source === 0) && r.items.flat().some((p) => p.source === 1));
  });

  test("each item's square on the canvas is its source image resized (items never overlap)", () => {
    const r = composeCaptionCanvases(sources, { count: 10, seed: 2 });
    r.items.forEach((items, i) => {
      for (const p of items) {
        const [x0, y0, side] = p.box;
        const patch = resizeBytes(sources[p.source].pixels, p.index * 784, 28, 28, side, side);
        for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) assert.equal(r.pixels[i * 4096 + (y0 + y) * 64 + x0 + x], patch[y * side + x]);
      }
    });
  });

  test("articles: 'an eight', 'a one', 'a seven', 'an apron'", () => {
    assert.deepEqual(['eight', 'one', 'seven', 'apron', 'boot'].map(article), ['an', 'a', 'a', 'an', 'a']);
  });
});

describe('CaptionData', () => {
  const words = [...CAPTION_SPECIALS, 'a', 'seven', 'left', 'of', 'boot'];
  const caps = [['a', 'seven'], ['a', 'seven', 'left', 'of', 'a', 'boot'], ['a', 'cat']];
  const data = new CaptionData(new Float32Array(3 * 4), [1, 2, 2], caps, words);

  test('ids with <unk> for unknown words, references with CAPTION_OOV; decodeIds stops at <eos>', () => {
    assert.deepEqual(data.ids[2], [4, CAPTION_UNK]);
    assert.deepEqual(data.referenceIds[2], [4, CAPTION_OOV]);
    const b = data.batch([2]);
    assert.deepEqual(Array.from(b.targetOut.toTypedArray()), [4, CAPTION_UNK, CAPTION_EOS]);
    assert.deepEqual(b.references, [[4, CAPTION_OOV]]);
    assert.deepEqual(data.decodeIds([4, 5, CAPTION_EOS, 8]), ['a', 'seven']);
    assert.deepEqual(data.decodeIds([CAPTION_BOS, 4, 0]), ['a']);
  });

  test('batches: <bos> inputs, <eos> targets, padding 0, images stacked', () => {
    const b = data.batch([0, 1]);
    assert.deepEqual(b.images.shape, [2, 1, 2, 2]);
    assert.deepEqual(b.targetIn.shape, [2, 7]);
    assert.deepEqual(Array.from(b.targetIn.toTypedArray()), [1, 4, 5, 0, 0, 0, 0, 1, 4, 5, 6, 7, 4, 8]);
    assert.deepEqual(Array.from(b.targetOut.toTypedArray()), [4, 5, 2, 0, 0, 0, 0, 4, 5, 6, 7, 4, 8, 2]);
    assert.deepEqual(b.references, [[4, 5], [4, 5, 6, 7, 4, 8]]);
    assert.equal(data.batches(2).length, 2);
    const [img, ids] = data.get(1);
    assert.deepEqual(img.shape, [1, 2, 2]);
    assert.deepEqual(Array.from(ids.toTypedArray()), [4, 5, 6, 7, 4, 8]);
  });
});

const words = [...CAPTION_SPECIALS, 'a'];
checkErrors('captioning data', [
  ['no sources', () => composeCaptionCanvases([]), ValueError, /^composeCaptionCanvases: sources must be a non-empty array of item sources, got an empty array/],
  ['pixels of the wrong size', () => composeCaptionCanvases([{ ...sources[0], pixels: new Uint8Array(10) }]), ValueError, /^composeCaptionCanvases: sources\[0\]\.pixels must hold labels\.length x size x size bytes/],
  ['label outside the nouns', () => composeCaptionCanvases([{ ...sources[0], nouns: ['zero'] }]), ValueError, /^composeCaptionCanvases: sources\[0\]\.labels must be classes in \[0, 1\), got 1 at 1/],
  ['upper-case noun', () => composeCaptionCanvases([{ ...sources[0], nouns: ['Zero', ...DIGIT_NOUNS.slice(1)] }]), ValueError, /^composeCaptionCanvases: sources\[0\]\.nouns must be lower-case words/],
  ['items [3, 2]', () => composeCaptionCanvases(sources, { items: [3, 2] }), ValueError, /^composeCaptionCanvases: items must be integers \[min, max\] with 1 <= min <= max, got \[3,2\]/],
  ['canvas too small', () => composeCaptionCanvases(sources, { canvasSize: 20 }), ValueError, /^composeCaptionCanvases: canvasSize must be an integer of at least 8 pixels per item \(32\), got 20/],
  ['count 0', () => composeCaptionCanvases(sources, { count: 0 }), ValueError, /^composeCaptionCanvases: count must be a positive integer, got 0/],
  ['negative seed', () => composeCaptionCanvases(sources, { seed: -1 }), ValueError, /^composeCaptionCanvases: seed must be a non-negative safe integer, got -1/],
  ['pixels for fewer images', () => new CaptionData(new Float32Array(4), [1, 2, 2], [['a'], ['a']], words), ShapeError, /^CaptionData: pixels must hold 2 images of \[1, 2, 2\] \(8 values\), got 4/],
  ['table without specials', () => new CaptionData(new Float32Array(4), [1, 2, 2], [['a']], ['a']), ValueError, /^CaptionData: the word table must start with <pad>, <bos>, <eos>, <unk>, got \["a"\]/],
  ['empty caption', () => new CaptionData(new Float32Array(4), [1, 2, 2], [[]], words), ValueError, /^CaptionData: captions must be non-empty arrays of words, one per image/],
  ['bad image shape', () => new CaptionData(new Float32Array(4), [2, 2] as unknown as [number, number, number], [['a']], words), ShapeError, /^CaptionData: imageShape must be \[C, H, W\] positive integers, got \[2,2\]/],
  ['decode an id outside the table', () => new CaptionData(new Float32Array(4), [1, 2, 2], [['a']], words).decodeIds([9]), ValueError, /^CaptionData\.decodeIds: ids must be integers in \[0, 5\), got 9/],
  ['empty batch', () => new CaptionData(new Float32Array(4), [1, 2, 2], [['a']], words).batch([]), ShapeError, /^CaptionData\.batch: indices must not be empty/],
]);
