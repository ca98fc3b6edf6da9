import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode } from 'fast-png';
import { ShapeError, ValueError, tensor, viz } from '../../src/index.js';

test('imageGridPng: grey images packed nrow per row with padding, enlarged nearest-neighbour', () => {
  // three 2x2 grey images with values 0, 0.5, 1 in the top-left pixel
  const x = tensor([0, 0.2, 0.2, 0.2, 0.5, 0.2, 0.2, 0.2, 1, 0.2, 0.2, 0.2], { shape: [3, 1, 2, 2] });
  const png = decode(viz.imageGridPng(x, { nrow: 2, padding: 1, scale: 2, padValue: 1 }));
  assert.equal(png.channels, 1);
  assert.equal(png.width, (2 * (2 + 1) + 1) * 2);
  assert.equal(png.height, (2 * (2 + 1) + 1) * 2);
  const at = (px: number, py: number) => png.data[py * png.width + px];
  assert.equal(at(0, 0), 255, 'padding');
  assert.deepEqual([at(2, 2), at(3, 3), at(4, 4)], [0, 0, 51]);
  assert.equal(at(8, 2), 128, 'second image, first row');
  assert.equal(at(2, 8), 255, 'third image, second row');
  assert.equal(at(8, 8), 255, 'empty slot takes the pad value');
});

test('imageGridPng: RGB, undoing mean/std, and min-max normalization per image', () => {
  const x = tensor([[[[-1]], [[0]], [[1]]]], { shape: [1, 3, 1, 1] });
  const rgb = decode(viz.imageGridPng(x, { padding: 0, mean: [0.5], std: [0.5] }));
  assert.deepEqual([rgb.channels, rgb.width, rgb.height], [3, 1, 1]);
  assert.deepEqual([...rgb.data], [0, 128, 255]);
  const maps = tensor([0, 10, 20, 30, -5, -4, -3, -1], { shape: [2, 1, 2, 2] });
  const each = decode(viz.imageGridPng(maps, { padding: 0, normalize: true, scaleEach: true }));
  // 2x2 maps side by side: [0 10; 20 30] over [0, 30], [-5 -4; -3 -1] over [-5, -1]
  assert.deepEqual([each.width, each.height], [4, 2]);
  assert.deepEqual([...each.data], [0, 85, 0, 64, 170, 255, 128, 255]);
  const whole = decode(viz.imageGridPng(maps, { padding: 0, normalize: true }));
  assert.deepEqual([...whole.data].slice(0, 2), [36, 109], 'one range, [-5, 30], for all images');
  const fixed = decode(viz.imageGridPng(maps, { padding: 0, normalize: true, valueRange: [0, 20], nrow: 1 }));
  assert.deepEqual([...fixed.data].slice(0, 4), [0, 128, 255, 255]);
});

test('imageGridSpec: one image mark and one caption per image, images embedded as PNG data URIs', async () => {
  const x = tensor(new Float32Array(4 * 3 * 5 * 6).fill(0.5), { shape: [4, 3, 5, 6] });
  const captions = ['pred 3 / true 5', 'pred 1 / true 7', 'a\nb', 'last'];
  const spec = viz.imageGridSpec(x, captions, { nrow: 3, scale: 2, captionColors: ['red', 'red', 'green', 'green'] });
  const rows = (spec as unknown as { data: { values: { url: string; caption: string | string[]; ix: number; iy: number }[] } }).data.values;
  assert.equal(rows.length, 4);
  const tile = decode(Uint8Array.from(atob(rows[0].url.slice('data:image/png;base64,'.length)), (ch) => ch.charCodeAt(0)));
  assert.deepEqual([tile.width, tile.height, tile.channels], [12, 10, 3]);
  assert.ok([...tile.data].every((v) => v === 128));
  assert.equal(rows[3].iy > rows[2].iy, true, 'fourth image starts the second row');
  const svg = await viz.renderSvg(spec);
  assert.equal((svg.match(/<image /g) ?? []).length, 4);
  for (const c of ['pred 3 / true 5', 'pred 1 / true 7', 'last']) assert.ok(svg.includes(`>${c}<`), `caption '${c}'`);
  assert.match(svg, />a<\/tspan>/);
});

test('image grids: wrong rank or channels are ShapeErrors, caption count and options are ValueErrors', () => {
  const x = tensor(new Float32Array(2 * 28 * 28), { shape: [2, 28, 28] });
  assert.throws(() => viz.imageGridSpec(x, ['a', 'b']), (e: Error) => e instanceof ShapeError && /imageGridSpec: images must be 4-D \(N, C, H, W\), got shape \[2, 28, 28\]/.test(e.message));
  assert.throws(() => viz.imageGridPng(x), (e: Error) => e instanceof ShapeError && /imageGridPng: images must be 4-D/.test(e.message));
  const two = tensor(new Float32Array(2 * 2 * 4 * 4), { shape: [2, 2, 4, 4] });
  assert.throws(() => viz.imageGridPng(two), (e: Error) => e instanceof ShapeError && /1 \(grey\) or 3 \(RGB\) channels, got 2/.test(e.message));
  const ok = tensor(new Float32Array(3 * 1 * 4 * 4), { shape: [3, 1, 4, 4] });
  assert.throws(() => viz.imageGridSpec(ok, ['a', 'b']), (e: Error) => e instanceof ValueError && /imageGridSpec: 2 captions for 3 images/.test(e.message));
  assert.throws(() => viz.imageGridPng(ok, { scale: 1.5 }), (e: Error) => e instanceof ValueError && /scale must be an integer >= 1, got 1.5/.test(e.message));
  assert.throws(() => viz.imageGridPng(ok, { mean: [0.1, 0.2], std: [1, 1] }), (e: Error) => e instanceof ValueError && /imageGridPng: mean needs 1 finite number for 1-channel images, got \[0.1,0.2\]/.test(e.message));
  assert.throws(() => viz.imageGridPng(ok, { mean: [0.1] }), (e: Error) => e instanceof ValueError && /give mean and std together/.test(e.message));
});
