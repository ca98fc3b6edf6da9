/**
 * Digit strips (data/digit-strips.ts): shapes, labels that match the digits drawn (each synthetic digit has its ink
 * in its own rows, so a strip's rows tell which digits it holds), seeded reproducibility, padded CTC batches, and
 * bad inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Generator, ShapeError, ValueError } from '../../src/index.js';
import { DigitStrips, type DigitSource } from '../../src/data/digit-strips.js';
import { barDigits } from '../helpers/bar-digits.js';
import { checkErrors } from '../helpers/check-errors.js';

describe('DigitStrips', () => {
  test('shapes, lengths within bounds, and each strip holds the bars of its labels', () => {
    const strips = new DigitStrips(barDigits(), { count: 50, minDigits: 2, maxDigits: 5, jitter: 0, downsample: 1, gap: [1, 3], seed: 3 });
    assert.equal(strips.length, 50);
    assert.equal(strips.height, 12);
    assert.equal(strips.width, 60);
    for (let i = 0; i < strips.length; i++) {
      const [img, lab] = strips.get(i);
      assert.deepEqual(img.shape, [1, 12, 60]);
      assert.equal(lab.dtype, 'int32');
      const labels = Array.from(lab.toTypedArray());
      assert.ok(labels.length >= 2 && labels.length <= 5);
      // reading the strip left to right: each bar run of 6 columns is one digit, its row the digit + 1
      const px = img.toTypedArray();
      const read: number[] = [];
      for (let x = 0; x < 60; x++) {
        for (let y = 0; y < 12; y++) {
          if (px[y * 60 + x] > 0 && (x === 0 || px[y * 60 + x - 1] === 0)) read.push(y - 1);
        }
      }
      assert.deepEqual(read, labels, `strip ${i}`);
    }
  });

  test('the same seed gives the same strips; another seed other strips; 2x pooling halves the size', () => {
    const a = new DigitStrips(barDigits(), { count: 5, seed: 7 });
    const b = new DigitStrips(barDigits(), { count: 5, seed: 7 });
    const c = new DigitStrips(barDigits(), { count: 5, seed: 8 });
    assert.deepEqual(a.labels, b.labels);
    assert.deepEqual(Array.from(a.pixels), Array.from(b.pixels));
    assert.notDeepEqual(Array.from(a.pixels), Array.from(c.pixels));
    assert.equal(a.height, 6);
    assert.equal(a.width, 48); // 8 digits of 12 pixels, halved
    let max = 0;
    for (const v of a.pixels) max = Math.max(max, v);
    assert.ok(max > 0 && max <= 1);
  });

  test('batch pads targets with 0 and keeps the true lengths; batches cover every strip, reshuffled by a generator', () => {
    const s = new DigitStrips(barDigits(), { count: 7, seed: 1 });
    const b = s.batch([0, 1, 2]);
    assert.deepEqual(b.input.shape, [3, 1, 6, 48]);
    const S = Math.max(...[0, 1, 2].map((i) => s.labels[i].length));
    assert.deepEqual(b.targets.shape, [3, S]);
    assert.deepEqual(b.targetLengths, [0, 1, 2].map((i) => s.labels[i].length));
    const t = Array.from(b.targets.toTypedArray());
    for (let j = 0; j < 3; j++) assert.deepEqual(t.slice(j * S, (j + 1) * S), [...s.labels[j], ...new Array(S - s.labels[j].length).fill(0)]);
    const loader = s.batches(3, { generator: new Generator(0) });
    assert.equal(loader.length, 3);
    const seen = [...loader].reduce((n, bb) => n + bb.targetLengths.length, 0);
    assert.equal(seen, 7);
  });
});

const src = barDigits();
checkErrors('DigitStrips', [
  ['null source', () => new DigitStrips(null as unknown as DigitSource), ValueError, /^DigitStrips: source must be/],
  ['pixels too short', () => new DigitStrips({ ...src, pixels: new Uint8Array(10) }), ShapeError, /^DigitStrips: source.pixels must hold .* got 10/],
  ['label 11', () => new DigitStrips({ ...src, labels: [11, ...Array.from(src.labels).slice(1)] }), ValueError, /^DigitStrips: source.labels must be digits 0-9, got 11 at 0/],
  ['maxDigits < minDigits', () => new DigitStrips(src, { minDigits: 3, maxDigits: 2 }), ValueError, /^DigitStrips: option maxDigits must be an integer >= 3, got 2/],
  ['count 0', () => new DigitStrips(src, { count: 0 }), ValueError, /^DigitStrips: option count must be an integer >= 1, got 0/],
  ['gap reversed', () => new DigitStrips(src, { gap: [4, 1] }), ValueError, /^DigitStrips: option gap must be \[min, max\]/],
  ['downsample 5', () => new DigitStrips(src, { downsample: 5 }), ValueError, /^DigitStrips: option downsample must divide the digit size 12, got 5/],
  ['index out of range', () => new DigitStrips(src, { count: 2 }).get(2), ValueError, /DigitStrips/],
  ['empty batch', () => new DigitStrips(src, { count: 2 }).batch([]), ShapeError, /^DigitStrips.batch: indices must not be empty/],
  ['batchSize 0', () => new DigitStrips(src, { count: 2 }).batches(0), ValueError, /^DigitStrips.batches: batchSize must be a positive integer, got 0/],
]);
