import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { DataError, DataLoader, ShapeError, ValueError } from '../../../src/index.js';
import { decodeImageBytes, imageFolder, loadImage } from '../../../src/node/datasets/index.js';
import { tempDir, writeBytes } from './fixtures.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const isDataError = (...parts: string[]) => (e: unknown) => {
  assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
  for (const p of parts) assert.ok(e.message.includes(p), `message '${e.message}' should contain '${p}'`);
  return true;
};

/** HWC bytes of a w x h image with `channels`, value (y * w + x) * 10 + c. */
function pixels(w: number, h: number, channels: number): Uint8Array {
  const out = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < channels; c++) out[(y * w + x) * channels + c] = ((y * w + x) * 10 + c * 3) % 256;
  return out;
}

function png(path: string, w: number, h: number, channels: number, data = pixels(w, h, channels), extra: { depth?: 1 | 8 | 16; palette?: number[][] } = {}): string {
  return writeBytes(path, encodePng({ width: w, height: h, channels, depth: extra.depth ?? 8, data, palette: extra.palette }));
}

function jpeg(path: string, w: number, h: number, rgb: [number, number, number]): string {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([...rgb, 255], i * 4);
  return writeBytes(path, new Uint8Array(encodeJpeg({ width: w, height: h, data }, 100).data));
}

const plane = (t: { toTypedArray(): ArrayLike<number> }, c: number, n: number) => Array.from(t.toTypedArray()).slice(c * n, (c + 1) * n);
const u = (v: number) => Math.fround(v / 255);

test('imageFolder: classes from sorted sub-folders, PNG and JPEG files, hidden and other files skipped', () => {
  const root = join(tmp.dir, 'animals');
  png(join(root, 'cat', 'a.png'), 4, 3, 3);
  jpeg(join(root, 'cat', 'b.jpg'), 4, 3, [200, 40, 90]);
  png(join(root, 'dog', 'z.PNG'), 4, 3, 4);
  png(join(root, 'dog', 'sub', 'c.png'), 4, 3, 1);
  writeBytes(join(root, 'dog', 'notes.txt'), new TextEncoder().encode('not an image'));
  writeBytes(join(root, 'dog', '.x.png'), new Uint8Array([1, 2, 3]));
  png(join(root, 'bird', 'e.png'), 2, 2, 1, new Uint8Array([0, 1, 1, 0]), { depth: 8, palette: [[255, 0, 0], [0, 0, 255]] });
  mkdirSync(join(root, '.cache'));
  const ds = imageFolder(root);
  assert.deepEqual(ds.classes, ['bird', 'cat', 'dog']);
  assert.equal(ds.numClasses, 3);
  assert.deepEqual(ds.samples.map(([p, k]) => [p.slice(root.length + 1), k]), [['bird/e.png', 0], ['cat/a.png', 1], ['cat/b.jpg', 1], ['dog/sub/c.png', 2], ['dog/z.PNG', 2]]);
  assert.equal(ds.length, 5);

  const [rgb, label] = ds.get(1);
  assert.equal(label, 1);
  assert.deepEqual(rgb.shape, [3, 3, 4]);
  const src = pixels(4, 3, 3);
  assert.deepEqual(plane(rgb, 0, 12), Array.from({ length: 12 }, (_, i) => u(src[i * 3])));
  assert.deepEqual(plane(rgb, 2, 12), Array.from({ length: 12 }, (_, i) => u(src[i * 3 + 2])));

  const [jpg] = ds.get(2);
  assert.deepEqual(jpg.shape, [3, 3, 4]);
  for (const [c, v] of [[0, 200], [1, 40], [2, 90]]) for (const got of plane(jpg, c, 12)) assert.ok(Math.abs(got * 255 - v) <= 3, `JPEG channel ${c}: ${got * 255} vs ${v}`);

  const [gray] = ds.get(3);
  const g = pixels(4, 3, 1);
  assert.deepEqual(plane(gray, 0, 12), Array.from(g, u));
  assert.deepEqual(plane(gray, 1, 12), Array.from(g, u), 'grayscale is repeated into R, G, B');

  const [rgba] = ds.get(4);
  assert.deepEqual(rgba.shape, [3, 3, 4], 'alpha is dropped');

  const [pal] = ds.get(0);
  assert.deepEqual(Array.from(pal.toTypedArray()), [1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0]);

  assert.deepEqual(ds.inputShape, [3, 2, 2], 'from the first image');
  assert.throws(() => ds.images(), (e: unknown) => e instanceof ShapeError && /pass size/.test(e.message));
  ds.verify();
});

test('channels 1 and 4, 16-bit and 1-bit PNGs, resizing, bulk tensors and the loader', () => {
  const root = join(tmp.dir, 'modes');
  const rgba = pixels(2, 2, 4);
  png(join(root, 'a', 'rgba.png'), 2, 2, 4, rgba);
  png(join(root, 'a', 'red.png'), 2, 2, 3, new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 10, 10]));
  png(join(root, 'b', 'wide.png'), 2, 2, 1, new Uint16Array([0, 65535, 257 * 100, 32896]) as unknown as Uint8Array, { depth: 16 });
  png(join(root, 'b', 'bits.png'), 3, 2, 1, new Uint8Array([0b10100000, 0b01000000]), { depth: 1 });

  const four = loadImage(join(root, 'a', 'rgba.png'), { channels: 4 });
  assert.deepEqual(four.shape, [4, 2, 2]);
  assert.deepEqual(plane(four, 3, 4), [3, 7, 11, 15].map((i) => u(rgba[i])));
  const gray = loadImage(join(root, 'a', 'red.png'), { channels: 1 });
  assert.deepEqual(gray.shape, [1, 2, 2]);
  assert.deepEqual(Array.from(gray.toTypedArray()), [76, 150, 29, 10].map(u), 'L = (299 R + 587 G + 114 B) / 1000');
  assert.deepEqual(Array.from(loadImage(join(root, 'b', 'wide.png'), { channels: 1 }).toTypedArray()), [0, 255, 100, 128].map(u));
  assert.deepEqual(Array.from(loadImage(join(root, 'b', 'bits.png'), { channels: 1 }).toTypedArray()), [1, 0, 1, 0, 1, 0]);
  assert.deepEqual(plane(loadImage(join(root, 'b', 'bits.png'), { channels: 4 }), 3, 6), [1, 1, 1, 1, 1, 1], 'missing alpha is opaque');

  const flat = png(join(tmp.dir, 'flat.png'), 5, 3, 3, new Uint8Array(45).fill(51));
  const big = loadImage(flat, { size: [6, 10] });
  assert.deepEqual(big.shape, [3, 6, 10]);
  for (const v of big.toTypedArray()) assert.ok(Math.abs(v - 0.2) < 1e-6);
  assert.throws(() => loadImage(flat, { size: 0 }), ValueError);
  assert.throws(() => loadImage(flat, { channels: 2 as 1 }), ValueError);

  const ds = imageFolder(root, { size: 8, channels: 1, transform: (x) => x.mul(-1) });
  assert.deepEqual(ds.inputShape, [1, 8, 8]);
  const all = ds.images();
  assert.deepEqual(all.shape, [4, 1, 8, 8]);
  assert.deepEqual(Array.from(ds.labels().toTypedArray()), [0, 0, 1, 1]);
  const [x, y] = ds.get(2);
  assert.equal(y, 1);
  assert.deepEqual(x.shape, [1, 8, 8]);
  assert.ok(Math.max(...x.toTypedArray()) <= 0, 'the transform runs in get()');
  const [bx, by] = ds.batch([3, 0]);
  assert.deepEqual(bx.shape, [2, 1, 8, 8]);
  assert.deepEqual(Array.from(by.toTypedArray()), [1, 0]);
  const batches = [...new DataLoader(ds, { batchSize: 3 })] as { shape: number[] }[][];
  assert.deepEqual(batches.map((b) => b[0].shape), [[3, 1, 8, 8], [1, 1, 8, 8]]);
});

test('corrupt, truncated and non-image files are DataErrors naming the file', () => {
  const root = join(tmp.dir, 'bad');
  const good = png(join(root, 'a', 'good.png'), 4, 4, 3);
  const bytes = readFileSync(good);
  const flipped = Buffer.from(bytes);
  flipped[bytes.length - 20] ^= 0xff;
  const corrupt = writeBytes(join(root, 'a', 'corrupt.png'), flipped);
  const cut = writeBytes(join(root, 'a', 'cut.png'), bytes.subarray(0, bytes.length - 16));
  const jpg = jpeg(join(tmp.dir, 'ok.jpg'), 8, 8, [1, 2, 3]);
  const jbytes = readFileSync(jpg);
  const jcut = writeBytes(join(root, 'b', 'cut.jpg'), jbytes.subarray(0, jbytes.length - 40));
  const text = writeBytes(join(root, 'b', 'text.png'), new TextEncoder().encode('hello, I am not a PNG'));
  const empty = writeBytes(join(root, 'b', 'empty.jpeg'), new Uint8Array(0));

  assert.throws(() => loadImage(corrupt), isDataError(corrupt, 'corrupt or truncated PNG'));
  assert.throws(() => loadImage(cut), isDataError(cut, 'PNG'));
  assert.throws(() => loadImage(jcut), isDataError(jcut, 'corrupt or truncated JPEG'));
  assert.throws(() => loadImage(text), isDataError(text, 'not a PNG or JPEG file', '68 65 6C 6C'));
  assert.throws(() => loadImage(empty), isDataError(empty, 'empty'));
  assert.throws(() => loadImage(join(root, 'missing.png')), isDataError(join(root, 'missing.png'), 'no such file'));
  assert.throws(() => decodeImageBytes(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 'mem.jpg'), isDataError('mem.jpg', 'JPEG'));

  const ds = imageFolder(root);
  assert.equal(ds.length, 6);
  const at = (p: string) => ds.samples.findIndex(([f]) => f === p);
  assert.throws(() => ds.get(at(corrupt)), isDataError(corrupt));
  assert.doesNotThrow(() => ds.get(at(good)));
  assert.throws(() => ds.verify(), isDataError(join(root, 'a')));
});

test('a missing root, no class folders, or an empty class are DataErrors', () => {
  assert.throws(() => imageFolder(join(tmp.dir, 'nope')), isDataError(join(tmp.dir, 'nope'), 'not a directory'));
  const flat = join(tmp.dir, 'flat-root');
  png(join(flat, 'x.png'), 2, 2, 3);
  assert.throws(() => imageFolder(flat), isDataError(flat, 'no class sub-folders'));
  const emptyClass = join(tmp.dir, 'empty-class');
  png(join(emptyClass, 'a', 'x.png'), 2, 2, 3);
  mkdirSync(join(emptyClass, 'b'));
  writeFileSync(join(emptyClass, 'b', 'readme.md'), 'no images here');
  assert.throws(() => imageFolder(emptyClass), isDataError(join(emptyClass, 'b'), 'no image files'));
});

test('loadImage shrinks with antialiasing: a 24-px stroke on a 1000x1000 canvas survives at 28x28', () => {
  // rows 380..403 fall between the bilinear sample rows 374.5 and 410.2 of a plain 1000 -> 28 resize, which
  // would lose the stroke entirely
  const size = 1000;
  const data = new Uint8Array(size * size);
  data.fill(255, 380 * size, 404 * size);
  const tmp = tempDir();
  const file = join(tmp.dir, 'stroke.png');
  writeFileSync(file, encodePng({ width: size, height: size, channels: 1, data }));
  const img = loadImage(file, { channels: 1, size: 28 });
  tmp.cleanup();
  const rows = Array.from({ length: 28 }, (_, i) => img.select(1, i).amax().item());
  const shown = rows.map((v) => v.toFixed(2)).join(' ');
  assert.ok(Math.max(...rows) > 0.25, `the stroke is visible: ${shown}`);
  // the triangle filter spreads it over two rows; together they hold 24 / 35.7 of full brightness
  assert.ok(Math.abs(rows.reduce((a, b) => a + b, 0) - 24 / (1000 / 28)) < 0.01, `rows ${shown}`);
  const total = img.sum().item() * (size / 28) ** 2;
  assert.ok(Math.abs(total / (24 * size) - 1) < 1e-3, 'the stroke keeps its mass');
});
