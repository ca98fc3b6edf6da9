import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { encode as encodePng } from 'fast-png';
import { DataError, ValueError, transforms as T } from '../../../src/index.js';
import { EMOJI_MEAN, EMOJI_STD, EMOJI_TEST_EVERY, emoji, emojiLocation, listDatasets, loadDataset, packageDir } from '../../../src/node/datasets/index.js';
import { tempDir, writeBytes } from './fixtures.js';

const tmp = tempDir('shendu-emoji-');
after(() => tmp.cleanup());

const pkg = packageDir('emoji-datasource-google')!;
const meta = JSON.parse(readFileSync(join(pkg, 'emoji.json'), 'utf8')) as { category: string; subcategory: string; short_name: string; sort_order: number; has_img_google: boolean; image: string }[];
const train = emoji();
const testSplit = emoji({ train: false });

test('emoji: the real package, 10 categories, every 5th emoji of each category to test', () => {
  assert.ok(pkg, 'emoji-datasource-google is installed (a dependency)');
  assert.equal(emojiLocation().kind, 'package');
  assert.deepEqual(train.classes, ['Smileys & Emotion', 'People & Body', 'Component', 'Animals & Nature', 'Food & Drink', 'Travel & Places', 'Activities', 'Objects', 'Symbols', 'Flags']);
  assert.deepEqual(testSplit.classes, train.classes);
  assert.equal(train.length + testSplit.length, meta.filter((e) => e.has_img_google).length);
  assert.equal(train.length, 1533);
  assert.equal(testSplit.length, 378);
  // per class: n images, floor(n / 5) of them in test, counted from emoji.json here
  const n = train.classes.map((c) => meta.filter((e) => e.has_img_google && e.category === c).length);
  assert.deepEqual(testSplit.classCounts(), n.map((k) => Math.floor(k / EMOJI_TEST_EVERY)));
  assert.deepEqual(train.classCounts(), n.map((k) => k - Math.floor(k / EMOJI_TEST_EVERY)));
  assert.deepEqual(train.classCounts(), [136, 309, 4, 128, 105, 175, 68, 212, 180, 216]);
  const [img, label] = train.get(7);
  assert.deepEqual(img.shape, [3, 64, 64]);
  assert.equal(img.dtype, 'float32');
  assert.ok(Array.from(img.toTypedArray()).every((v) => v >= 0 && v <= 1));
  assert.equal(label, train.classes.indexOf(train.emoji[7].category));
  assert.deepEqual(train.inputs().shape, [1533, 3, 64, 64]);
});

test('emoji: a known emoji, its label, name and pixels (alpha over white, as PIL alpha_composite)', () => {
  const i = train.emoji.findIndex((e) => e.shortName === 'grinning');
  assert.equal(i, 0, 'GRINNING FACE is the first emoji in Unicode order');
  assert.equal(train.emojiName(i), 'GRINNING FACE');
  assert.equal(train.emoji[i].subcategory, 'face-smiling');
  assert.ok(train.emoji[i].file.endsWith(join('img', 'google', '64', '1f600.png')));
  const [img, label] = train.get(i);
  assert.equal(train.classes[label], 'Smileys & Emotion');
  // [x, y, R, G, B] from PIL: Image.alpha_composite(white, Image.open('1f600.png')).convert('RGB')
  const pil = [[0, 0, 255, 255, 255], [32, 32, 253, 224, 48], [20, 45, 66, 43, 13], [23, 3, 255, 254, 253], [24, 3, 254, 250, 242], [25, 3, 254, 244, 227]];
  const d = img.toTypedArray();
  for (const [x, y, ...rgb] of pil) rgb.forEach((v, c) => assert.equal(d[c * 4096 + y * 64 + x], Math.fround(v / 255), `pixel (${x}, ${y}) channel ${c}`));
  assert.throws(() => train.emojiName(1533), /out of range|index/);
});

test('emoji: the split is disjoint, covers every image and is the same every time', () => {
  const trainFiles = new Set(train.emoji.map((e) => e.file));
  assert.equal(trainFiles.size, train.length);
  for (const e of testSplit.emoji) assert.ok(!trainFiles.has(e.file), `${e.file} is in both splits`);
  const again = emoji({ train: false });
  assert.deepEqual(again.emoji.map((e) => e.file), testSplit.emoji.map((e) => e.file));
  assert.deepEqual(Array.from(again.rawPixels.subarray(0, 5000)), Array.from(testSplit.rawPixels.subarray(0, 5000)));
  // the test emoji of one category are its 5th, 10th, ... in sort order
  const flags = meta.filter((e) => e.has_img_google && e.category === 'Flags').sort((a, b) => a.sort_order - b.sort_order);
  const want = flags.filter((_, j) => j % 5 === 4).map((e) => e.short_name);
  assert.deepEqual(testSplit.emoji.filter((e) => e.category === 'Flags').map((e) => e.shortName), want);
});

test('emoji: subcategory labels, skin tones stay with their base emoji, other sizes', () => {
  const sub = emoji({ train: false, category: 'subcategory' });
  assert.equal(sub.numClasses, new Set(meta.filter((e) => e.has_img_google).map((e) => e.subcategory)).size);
  assert.equal(sub.classes[sub.get(0)[1]], sub.emoji[0].subcategory);
  const tones = emoji({ train: false, skinTones: true, size: 16 });
  assert.deepEqual(tones.inputShape, [3, 16, 16]);
  assert.ok(tones.length > testSplit.length);
  const testNames = new Set(testSplit.emoji.map((e) => e.name));
  const variants = tones.emoji.filter((e) => e.skinTone !== null);
  assert.ok(variants.length > 100);
  for (const v of variants) assert.ok(testNames.has(v.name.slice(0, v.name.lastIndexOf(': '))), `${v.name}: its base emoji is in the test split`);
  assert.match(variants[0].name, /: (LIGHT|MEDIUM-LIGHT|MEDIUM|MEDIUM-DARK|DARK) SKIN TONE/);
});

test('emoji: EMOJI_MEAN / EMOJI_STD are the training split statistics', () => {
  const { mean, std } = T.computeMeanStd(train);
  mean.forEach((m, c) => assert.ok(Math.abs(m - EMOJI_MEAN[c]) < 1e-4, `mean ${c}: ${m} vs ${EMOJI_MEAN[c]}`));
  std.forEach((s, c) => assert.ok(Math.abs(s - EMOJI_STD[c]) < 1e-4, `std ${c}: ${s} vs ${EMOJI_STD[c]}`));
});

test('emoji through the registry: listed as a package dataset, loadDataset gives both splits', () => {
  const info = listDatasets().find((d) => d.name === 'emoji');
  assert.ok(info && info.available && info.origin === 'package');
  assert.match(info.source, /emoji-datasource-google/);
  const d = loadDataset('emoji', { testTransform: T.normalize(EMOJI_MEAN, EMOJI_STD) });
  assert.equal(d.numClasses, 10);
  assert.deepEqual(d.inputShape, [3, 64, 64]);
  assert.equal(d.train.length, 1533);
  assert.ok(d.test.get(0)[0].toTypedArray()[0] > 0.5, 'a white corner, normalized, is above 0.5');
});

/** A small fake package: emoji.json and 4x4 RGBA PNGs, category A (3 emoji) and B (6, one without a Google image). */
function fakePackage(dir: string): string {
  const rows: object[] = [];
  for (let k = 0; k < 9; k++) {
    const category = k < 3 ? 'A' : 'B';
    rows.push({ name: `EMOJI ${k}`, short_name: `e${k}`, unified: `${k}`, image: `e${k}.png`, category, subcategory: `${category}-sub`, sort_order: 100 - k, has_img_google: k !== 8 });
    const data = new Uint8Array(4 * 4 * 4);
    for (let p = 0; p < 16; p++) data.set([10 * k, 100, 200, p === 0 ? 0 : p === 1 ? 128 : 255], p * 4);
    writeBytes(join(dir, 'img', 'google', '64', `e${k}.png`), encodePng({ width: 4, height: 4, channels: 4, data }));
  }
  writeFileSync(join(dir, 'emoji.json'), JSON.stringify(rows));
  return dir;
}

test('emoji from a package directory: order, split, compositing; corrupt and missing files are DataErrors naming them', () => {
  const root = fakePackage(join(tmp.dir, 'pkg'));
  const tr = emoji({ root, size: 4 });
  const te = emoji({ root, size: 4, train: false });
  // sort_order descends with k, so B comes first; B's 5 images with a Google image: e7 e6 e5 e4 e3 -> e3 to test
  assert.deepEqual(tr.classes, ['B', 'A']);
  assert.deepEqual(te.emoji.map((e) => e.shortName), ['e3']);
  assert.deepEqual(tr.emoji.map((e) => e.shortName), ['e7', 'e6', 'e5', 'e4', 'e2', 'e1', 'e0']);
  assert.deepEqual(Array.from(tr.rawLabels), [0, 0, 0, 0, 1, 1, 1]);
  const px = tr.get(0)[0].toTypedArray(); // e7: R 70, G 100, B 200
  assert.deepEqual([px[0], px[16], px[32]], [1, 1, 1], 'alpha 0 is white');
  const half = (v: number) => Math.fround(Math.round((v * 128 + 255 * 127) / 255) / 255);
  assert.deepEqual([px[1], px[17], px[33]], [half(70), half(100), half(200)], 'alpha 128 blends with white');
  assert.deepEqual([px[2], px[18], px[34]], [70, 100, 200].map((v) => Math.fround(v / 255)), 'alpha 255 is the colour');

  const bad = join(root, 'img', 'google', '64', 'e5.png');
  writeFileSync(bad, Buffer.from(readFileSync(bad)).subarray(0, 30));
  assert.throws(() => emoji({ root }), (e: unknown) => e instanceof DataError && e.message.includes(bad));
  writeFileSync(bad, 'not a png');
  assert.throws(() => emoji({ root }), (e: unknown) => e instanceof DataError && e.message.includes(bad) && /not a PNG/.test(e.message));
  const gone = join(tmp.dir, 'pkg2');
  fakePackage(gone);
  const e0 = join(gone, 'img', 'google', '64', 'e0.png');
  writeFileSync(e0, '');
  assert.throws(() => emoji({ root: gone }), (e: unknown) => e instanceof DataError && e.message.includes(e0) && /empty/.test(e.message));
  rmSync(e0);
  assert.throws(() => emoji({ root: gone }), (e: unknown) => e instanceof DataError && e.message.includes(e0) && /no such file/.test(e.message));
  assert.throws(() => emoji({ root: join(tmp.dir, 'nowhere') }), (e: unknown) => e instanceof DataError && e.message.includes(join(tmp.dir, 'nowhere', 'emoji.json')) && e.message.includes('emoji-datasource-google'));
  writeFileSync(join(gone, 'emoji.json'), '[{"name": 3');
  assert.throws(() => emoji({ root: gone }), (e: unknown) => e instanceof DataError && e.message.includes(join(gone, 'emoji.json')) && /not valid JSON/.test(e.message));
  writeFileSync(join(gone, 'emoji.json'), JSON.stringify([{ short_name: 'x', category: 'A', subcategory: 'a', image: 'e0.png', has_img_google: true }]));
  assert.throws(() => emoji({ root: gone }), (e: unknown) => e instanceof DataError && /entry 0 has no name/.test(e.message));
  assert.throws(() => emoji({ root, category: 'group' as 'category' }), (e: unknown) => e instanceof ValueError && /^emoji: category must be 'category' or 'subcategory', got "group"/.test(e.message));
  assert.throws(() => emoji({ root, size: 0 }), (e: unknown) => e instanceof ValueError && /^emoji: size must be a positive integer, got 0/.test(e.message));
});
