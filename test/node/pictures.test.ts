import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decode } from 'fast-png';
import { ShapeError, ValueError, tensor, viz } from '../../src/index.js';
import {
  saveConfusionMatrix, saveImageGrid, saveImageGridPng, saveLineChart, savePicture, saveTrainingCurves, svgToPng,
} from '../../src/node/pictures.js';

const dir = mkdtempSync(join(tmpdir(), 'shendu-pictures-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** Pixels of an RGB(A) PNG within `tol` of a colour. */
function countColor(png: ReturnType<typeof decode>, hex: string, tol = 2): number {
  const [r, g, b] = rgb(hex);
  const ch = png.channels;
  let n = 0;
  for (let i = 0; i < png.data.length; i += ch) {
    if (Math.abs(png.data[i] - r) <= tol && Math.abs(png.data[i + 1] - g) <= tol && Math.abs(png.data[i + 2] - b) <= tol) n++;
  }
  return n;
}

function variance(data: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < data.length; i++) {
    s += data[i];
    s2 += data[i] * data[i];
  }
  const m = s / data.length;
  return s2 / data.length - m * m;
}

function svgSize(svg: string): [number, number] {
  const m = /<svg[^>]*width="(\d+)" height="(\d+)"/.exec(svg);
  assert.ok(m, 'svg has width and height');
  return [Number(m[1]), Number(m[2])];
}

const history = [1, 2, 3, 4].map((epoch) => ({ epoch, loss: 1 / epoch, valLoss: 1.2 / epoch, accuracy: 1 - 0.3 / epoch, valAccuracy: 1 - 0.35 / epoch }));

test('svgToPng: PNG of the SVG size times scale, not blank, with the chart colours', async () => {
  const svg = await viz.renderSvg(viz.trainingCurvesSpec(history));
  const [w, h] = svgSize(svg);
  const png = decode(svgToPng(svg, { scale: 1.5 }));
  assert.deepEqual([png.width, png.height], [Math.round(w * 1.5), Math.round(h * 1.5)]);
  assert.ok(variance(png.data) > 100, 'not blank');
  assert.ok(countColor(png, viz.seriesColors[0]) > 50, 'train line colour');
  assert.ok(countColor(png, viz.seriesColors[1]) > 50, 'validation line colour');
  assert.ok(countColor(png, '#000000', 60) > 200, 'dark text (axis titles, labels) is drawn with the bundled font');
  assert.throws(() => svgToPng('hello'), (e: Error) => e instanceof ValueError && /svgToPng: expected an SVG document/.test(e.message));
  assert.throws(() => svgToPng(svg, { scale: 0 }), (e: Error) => e instanceof ValueError && /scale must be in \(0, 16\], got 0/.test(e.message));
});

test('saveTrainingCurves writes .png and .svg (creating the folder), atomically, leaving no temp file', async () => {
  const out = join(dir, 'run1', 'pictures');
  const saved = await saveTrainingCurves(history, join(out, 'curves.png'));
  assert.deepEqual(saved, { png: join(out, 'curves.png'), svg: join(out, 'curves.svg') });
  assert.deepEqual(readdirSync(out).sort(), ['curves.png', 'curves.svg']);
  const svg = readFileSync(saved.svg!, 'utf8');
  for (const t of ['>epoch<', '>loss<', '>accuracy<', '>train<', '>validation<']) assert.ok(svg.includes(t), t);
  const png = decode(readFileSync(saved.png));
  const [w, h] = svgSize(svg);
  assert.deepEqual([png.width, png.height], [w * 2, h * 2]);
  // overwriting keeps one file each, still no temp files
  await saveTrainingCurves(history.slice(0, 2), join(out, 'curves'));
  assert.deepEqual(readdirSync(out).sort(), ['curves.png', 'curves.svg']);
});

test('a failed write leaves the old state and no temp file behind', async () => {
  const out = join(dir, 'blocked');
  mkdirSync(join(out, 'pic.svg'), { recursive: true }); // a folder where the file should go: rename fails
  await assert.rejects(savePicture(viz.lineChartSpec([{ name: 'a', x: [0, 1], y: [0, 1] }]), join(out, 'pic')));
  assert.deepEqual(readdirSync(out), ['pic.svg']);
  assert.deepEqual(readdirSync(join(out, 'pic.svg')), []);
});

test('saveConfusionMatrix: heat-map colours and cell counts', async () => {
  const saved = await saveConfusionMatrix(tensor([[9, 1], [2, 7]], { dtype: 'int32' }), ['cat', 'dog'], join(dir, 'cm'));
  const svg = readFileSync(saved.svg!, 'utf8');
  for (const t of ['>predicted<', '>true<', '>cat<', '>dog<', '>9<', '>7<', '>2<', '>1<']) assert.ok(svg.includes(t), t);
  const png = decode(readFileSync(saved.png));
  assert.ok(countColor(png, viz.heatColors[1]) > 36 * 36 * 4 * 0.5, 'the largest cell in the dark end colour');
  assert.ok(countColor(png, viz.textColors.dark, 10) > 10, 'white text on the dark cell');
  assert.ok(variance(png.data) > 100);
});

test('saveImageGrid: captions under enlarged images; the images keep their colours', async () => {
  const n = 5;
  const data = new Float32Array(n * 3 * 4 * 4);
  const colours = ['#ff0000', '#00ff00', '#0000ff', '#ffff00', '#00ffff'];
  colours.forEach((hex, i) => rgb(hex).forEach((v, c) => data.fill(v / 255, (i * 3 + c) * 16, (i * 3 + c + 1) * 16)));
  const captions = colours.map((_, i) => `pred ${i} / true ${9 - i}`);
  const saved = await saveImageGrid(tensor(data, { shape: [n, 3, 4, 4] }), captions, join(dir, 'grid'), { nrow: 3, scale: 3 });
  const svg = readFileSync(saved.svg!, 'utf8');
  for (const c of captions) assert.ok(svg.includes(`>${c}<`), c);
  const png = decode(readFileSync(saved.png));
  const [w, h] = svgSize(svg);
  assert.deepEqual([png.width, png.height], [w * 2, h * 2]);
  for (const hex of colours) assert.equal(countColor(png, hex, 0), (4 * 3 * 2) ** 2, `image ${hex}: 4 px x 3 (scale) x 2 (png zoom), nearest`);
  await assert.rejects(saveImageGrid(tensor(data, { shape: [n, 3, 4, 4] }), ['one'], join(dir, 'bad')), (e: Error) => e instanceof ValueError && /imageGridSpec: 1 captions for 5 images/.test(e.message));
  await assert.rejects(saveImageGrid(tensor(data, { shape: [n * 3, 4, 4] }), captions, join(dir, 'bad')), ShapeError);
  assert.ok(!readdirSync(dir).some((f) => f.startsWith('bad')), 'nothing written for bad input');
});

test('saveImageGridPng and saveLineChart', async () => {
  const x = tensor(new Float32Array(4 * 1 * 3 * 3).fill(1), { shape: [4, 1, 3, 3] });
  const grid = await saveImageGridPng(x, join(dir, 'maps.png'), { nrow: 2, scale: 2 });
  assert.deepEqual(grid, { png: join(dir, 'maps.png') });
  const png = decode(readFileSync(grid.png));
  assert.deepEqual([png.width, png.height, png.channels], [(2 * 5 + 2) * 2, (2 * 5 + 2) * 2, 1]);
  const line = await saveLineChart([{ name: 'lr', x: [0, 1, 2], y: [0.1, 0.01, 0.001] }], join(dir, 'lr'), { yScale: 'log', xTitle: 'step', yTitle: 'lr' });
  assert.ok(readFileSync(line.svg!, 'utf8').includes('>step<'));
  assert.ok(countColor(decode(readFileSync(line.png)), viz.seriesColors[0]) > 50);
  await assert.rejects(saveLineChart([], ''), (e: Error) => e instanceof ValueError && /saveLineChart: path must be a non-empty string/.test(e.message));
});
