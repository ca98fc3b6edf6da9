/** viz.featureMaps, featureMapGrid, filters, the tile drawings and the heat-map colouring. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode } from 'fast-png';
import { ShapeError, ValueError, models, nn, noGrad, tensor, viz, zeros } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';
import { vizInput, vizNet } from './viz-net.js';

test('featureMaps: each asked layer\'s output for one image, batch dim dropped, equal to running the layers by hand', () => {
  const model = vizNet().train();
  const x = vizInput();
  const maps = viz.featureMaps(model, x, { layers: ['4', '0', '10'] });
  assert.deepEqual([...maps.keys()], ['4', '0', '10']);
  assert.deepEqual(maps.get('0')?.shape, [4, 12, 12]);
  assert.deepEqual(maps.get('4')?.shape, [6, 12, 12]);
  assert.deepEqual(maps.get('10')?.shape, [5]);
  model.eval();
  const byHand = noGrad(() => {
    let h = x.unsqueeze(0);
    for (let i = 0; i <= 4; i++) h = model.at(i).forward(h);
    return h;
  });
  assert.deepEqual([...(maps.get('4')?.toTypedArray() ?? [])], [...byHand.toTypedArray()]);
  assert.equal(maps.get('0')?.requiresGrad, false);
  model.train();
  viz.featureMaps(model, x.unsqueeze(0), { layers: ['1'] });
  assert.ok(model.modules().every((m) => m.training), 'modes restored');
  assert.ok(model.modules().every((m) => !Object.hasOwn(m, 'forward')), 'hooks removed');
});

test('featureMaps on a zoo model: nested names, and a module reused gives its last output', () => {
  const net = models.createModel('resnet20', { inChannels: 1, inputSize: 16, numClasses: 3 });
  const maps = viz.featureMaps(net, zeros([1, 16, 16]), { layers: ['layer1.0.conv1', 'layer3'] });
  assert.deepEqual(maps.get('layer1.0.conv1')?.shape, [16, 16, 16]);
  assert.deepEqual(maps.get('layer3')?.shape, [64, 4, 4]);
  const names = viz.layerNames(net);
  assert.ok(names.includes('layer2.1.bn2') && !names.includes(''));
});

test('layerShapes: every layer\'s output shape in the order layers finish, containers after their children', () => {
  const net = models.createModel('resnet20', { inChannels: 1, inputSize: 8, numClasses: 3 });
  const rows = viz.layerShapes(net, zeros([1, 1, 8, 8]));
  const names = rows.map((r) => r.name);
  assert.equal(rows.length, viz.layerNames(net).length);
  assert.ok(names.indexOf('layer1.0.conv1') < names.indexOf('layer1.0') && names.indexOf('layer1.0') < names.indexOf('layer1'));
  assert.deepEqual(rows.at(-1), { name: 'fc', type: 'Linear', shape: [1, 3] });
  assert.deepEqual(rows.find((r) => r.name === 'layer3')?.shape, [1, 64, 2, 2]);
});

test('featureMapGrid: one grey tile per channel stretched by its own min and max, flat channels labelled', () => {
  const map = tensor([0, 1, 2, 3, -4, -4, -4, -4, 10, 30, 20, 10], { shape: [3, 2, 2] });
  const grid = viz.featureMapGrid(map);
  assert.deepEqual(grid.images.shape, [3, 1, 2, 2]);
  assert.deepEqual(grid.captions, ['0', '1 flat', '2']);
  assert.equal(grid.nrow, 3, 'one full row rather than 2 + 1');
  assert.equal(viz.featureMapGrid(zeros([32, 1, 1])).nrow, 8);
  assert.equal(viz.featureMapGrid(zeros([7, 1, 1])).nrow, 3);
  const px = [...grid.images.toTypedArray()].map((v) => Math.round(v * 100) / 100);
  assert.deepEqual(px, [0, 0.33, 0.67, 1, 0, 0, 0, 0, 0, 1, 0.5, 0]);
  assert.equal(viz.featureMapGrid(zeros([100, 2, 2]), { maxChannels: 10 }).captions.length, 10);
  const png = decode(viz.tileGridPng(grid, { scale: 2 }));
  assert.deepEqual([png.width, png.height, png.channels], [(3 * 3 + 1) * 2, (1 * 3 + 1) * 2, 1]);
});

test('filters: RGB tiles for 3 input channels, grey per filter for 1, a row of (out, in) tiles otherwise', () => {
  const rgb = viz.filters(new nn.Conv2d(3, 5, 3));
  assert.deepEqual(rgb.images.shape, [5, 3, 3, 3]);
  assert.deepEqual(rgb.captions, ['0', '1', '2', '3', '4']);
  const vals = rgb.images.toTypedArray();
  assert.equal(Math.min(...vals.subarray(0, 27)), 0);
  assert.equal(Math.max(...vals.subarray(0, 27)), 1, 'each RGB filter stretched over its three channels');
  assert.deepEqual(viz.filters(new nn.Conv2d(1, 6, 5)).images.shape, [6, 1, 5, 5]);
  const conv = new nn.Conv2d(4, 2, 2);
  const pairs = viz.filters(conv);
  assert.deepEqual(pairs.images.shape, [8, 1, 2, 2]);
  assert.equal(pairs.nrow, 4);
  assert.deepEqual(pairs.captions.slice(0, 5), ['0.0', '0.1', '0.2', '0.3', '1.0']);
  const capped = viz.filters(conv.weight, { maxTiles: 4 });
  assert.deepEqual([capped.images.shape[0], capped.captions], [4, ['0.0', '0.1', '1.0', '1.1']]);
});

test('tileGridSpec: a captioned image chart', () => {
  const spec = viz.tileGridSpec(viz.filters(new nn.Conv2d(1, 3, 3)), { title: 'conv1' }) as unknown as { title: string; data: { values: { caption: string }[] } };
  assert.equal(spec.title, 'conv1');
  assert.deepEqual(spec.data.values.map((v) => v.caption), ['0', '1', '2']);
});

test('colorize and overlayHeatmap: jet from blue to red, blended with the image', () => {
  const heat = tensor([0, 0.5, 1, 2], { shape: [2, 2] });
  const jet = viz.colorize(heat, { valueRange: [0, 1] }).toTypedArray();
  // pixel 0 dark blue, pixel 1 light green, pixels 2 and 3 (clamped) dark red, as matplotlib's jet
  assert.deepEqual([jet[0], jet[4], jet[8]], [0, 0, 0.5]);
  assert.deepEqual([jet[1], jet[5], jet[9]], [0.5, 1, 0.5]);
  assert.deepEqual([jet[3], jet[7], jet[11]], [0.5, 0, 0]);
  const hot = viz.colorize(heat, { colormap: 'hot' }).toTypedArray();
  assert.deepEqual([hot[3], hot[7], hot[11]], [1, 1, 1], 'min-max scaled by default: the top is white');
  const grey = tensor([1, 1, 1, 1], { shape: [1, 2, 2] });
  const over = viz.overlayHeatmap(grey, heat, { alpha: 0.25, colormap: 'gray' });
  assert.deepEqual(over.shape, [3, 2, 2]);
  assert.deepEqual([...over.toTypedArray()].slice(0, 4), [0.75, 0.75 + 0.25 / 4, 0.875, 1]);
});

checkErrors('featureMaps and the tile grids', [
  ['featureMaps without layers', () => viz.featureMaps(vizNet(), vizInput(), { layers: [] }), ValueError, /^featureMaps: opts.layers must be a non-empty array of layer names/],
  ['featureMaps of an unknown layer', () => viz.featureMaps(vizNet(), vizInput(), { layers: ['0', 'fc'] }), ValueError, /^featureMaps: Sequential has no layer 'fc'; layers: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10$/],
  ['an unknown layer of a big model lists the close names', () => viz.featureMaps(models.createModel('resnet20', { inChannels: 1, inputSize: 8, numClasses: 2 }), zeros([1, 8, 8]), { layers: ['layer1.0.conv'] }), ValueError, /^featureMaps: CifarResNet has no layer 'layer1.0.conv'; layers: layer1, layer1.0, layer1.0.conv1, .* \(and \d+ more\)$/],
  ['featureMaps of a 2-D input', () => viz.featureMaps(vizNet(), zeros([12, 12]), { layers: ['0'] }), ShapeError, /^featureMaps: input must be one image \[C, H, W\] or \[1, C, H, W\], got shape \[12, 12\]/],
  ['featureMapGrid of a vector', () => viz.featureMapGrid(zeros([10])), ShapeError, /^featureMapGrid: map must be a feature map \[C, H, W\] \(the output of a conv-like layer\), got shape \[10\]/],
  ['featureMapGrid maxChannels 0', () => viz.featureMapGrid(zeros([2, 2, 2]), { maxChannels: 0 }), ValueError, /^featureMapGrid: maxChannels must be an integer >= 1, got 0/],
  ['filters of a linear layer', () => viz.filters(new nn.Linear(2, 3) as never), ValueError, /^filters: conv must be a Conv2d layer or its weight tensor \[out, in, kH, kW\], got object/],
  ['filters of a 2-D weight', () => viz.filters(zeros([3, 2])), ShapeError, /^filters: the weight must be 4-D \[out, in, kH, kW\], got shape \[3, 2\]/],
  ['overlay of different sizes', () => viz.overlayHeatmap(zeros([3, 4, 4]), zeros([2, 2])), ShapeError, /^overlayHeatmap: the heat map is 2x2 but the image is 4x4/],
  ['overlay of a 2-channel image', () => viz.overlayHeatmap(zeros([2, 4, 4]), zeros([4, 4])), ShapeError, /^overlayHeatmap: image must be \[C, H, W\] with C = 1 or 3, got shape \[2, 4, 4\]/],
  ['colorize with an unknown colour map', () => viz.colorize(zeros([2, 2]), { colormap: 'viridis' as never }), ValueError, /^colorize: colormap must be one of 'jet', 'hot', 'gray', got "viridis"/],
]);
