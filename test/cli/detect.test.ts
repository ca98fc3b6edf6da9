/**
 * `shendu detect` end to end: a tiny YOLO fitted in a few seconds (through the detection task) to one picture of two
 * squares, saved as a run the way `shendu train` leaves one; detect lists the objects, writes the picture with
 * labelled boxes, writes it unchanged when nothing clears the threshold, and refuses bad input in one line.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decode } from 'fast-png';
import { manualSeed, models, tensor, train } from '../../src/index.js';
import { YOLOv1 } from '../../src/models/detection/yolo.js';
import { NodeFileStore } from '../../src/node/index.js';
import { Adam } from '../../src/optim/adam.js';
import { DetectionTask, collateDetection } from '../../src/train/tasks/detection.js';
import { imageGridPng } from '../../src/viz/images.js';
import { run, workDir } from './helpers.js';

const work = workDir('shendu-detect-');
const runDir = join(work, 'run');
const picture = join(work, 'squares.png');

// one 32x32 grey picture: a bright 10x12 square (class 'a') and a dimmer 12x14 one (class 'b')
const px = new Float32Array(32 * 32);
for (let y = 4; y < 16; y++) for (let x = 4; x < 14; x++) px[y * 32 + x] = 1;
for (let y = 14; y < 28; y++) for (let x = 18; x < 30; x++) px[y * 32 + x] = 0.6;
const img = tensor(px, { shape: [1, 32, 32] });
writeFileSync(picture, imageGridPng(img.unsqueeze(0), { padding: 0 }));
const modelOptions = { inChannels: 1, inputSize: 32, numClasses: 2, gridSize: 4, channels: [4, 8, 8], hidden: 32 };
manualSeed(0);
const model = models.createModel('yolo', modelOptions) as YOLOv1;
const batch = collateDetection([[img, { boxes: tensor([[4, 4, 14, 16], [18, 14, 30, 28]]), labels: tensor([0, 1], { dtype: 'int32' }) }]]);
const task = new DetectionTask(model, { optimizer: new Adam(model.parameters(), { lr: 0.01 }) });
for (let s = 0; s < 80; s++) task.trainStep(batch, { epoch: 0, batch: s, batchesPerEpoch: 80, step: s });
const info = { model: 'yolo', modelOptions, task: 'detection', dataset: 'squares', classes: ['a', 'b'], norm: { mean: [0], std: [1] }, imageSize: 32, prep: null };
train.saveCheckpoint(new NodeFileStore(runDir), 'last', model, { metadata: { shendu: JSON.stringify(info) } });

describe('shendu detect', () => {
  test('lists the detections and writes the picture with labelled boxes, enlarged to at least 384 pixels', () => {
    const out = join(work, 'found.png');
    const r = run('detect', runDir, picture, '--out', out, '--score-threshold', '0.2');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /squares\.png: 2 detections scoring 0\.2 or more \(yolo, 32x32 pixels\):\n {2}[ab] \d\.\d{3} \[[\d., ]+\]\n {2}[ab] \d\.\d{3} \[[\d., ]+\]\nwrote .*found\.png/);
    const png = decode(readFileSync(out));
    assert.equal(png.width, 384);
    assert.equal(png.channels, 3);
    const d = png.data;
    let coloured = 0;
    for (let i = 0; i < d.length; i += 3) if (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2]) coloured++;
    assert.ok(coloured > 500, `${coloured} coloured pixels`);
  });
  test('nothing above the threshold: the picture is written unchanged and the command says so', () => {
    const out = join(work, 'none.png');
    const r = run('detect', runDir, picture, '--out', out, '--score-threshold', '50', '--scale', '1');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /squares\.png: no detections scoring 50 or more \(best \d\.\d{3}\); wrote the image unchanged to .*none\.png/);
    const png = decode(readFileSync(out));
    assert.equal(png.width, 32);
    const d = png.data;
    for (let p = 0; p < 32 * 32; p++) assert.equal(d[3 * p], Math.round(255 * px[p]));
  });
  test('the default output lies beside the image', () => {
    const r = run('detect', runDir, picture);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /squares-detections\.png/);
    assert.ok(readFileSync(join(work, 'squares-detections.png')).length > 100);
  });
  const lenetDir = join(work, 'lenet');
  const lenetInfo = { model: 'lenet5', modelOptions: { inChannels: 1, inputSize: 28, numClasses: 10 }, task: 'classification', dataset: 'mnist', classes: 'abcdefghij'.split(''), norm: { mean: [0], std: [1] } };
  train.saveCheckpoint(new NodeFileStore(lenetDir), 'last', models.createModel('lenet5', lenetInfo.modelOptions), { metadata: { shendu: JSON.stringify(lenetInfo) } });
  const bad: [string, string[], number, RegExp][] = [
    ['a classifier run', [lenetDir, picture], 1, /^shendu detect: ValueError: detect: .*last\.safetensors holds a classification model \(lenet5\), not a detector; .*shendu predict/],
    ['negative threshold', [runDir, picture, '--score-threshold', '-1'], 2, /^shendu detect: --score-threshold must be a non-negative number, got -1/],
    ['scale 0', [runDir, picture, '--scale', '0'], 2, /^shendu detect: --scale must be at least 1, got 0/],
    ['no run', [join(work, 'nothing'), picture], 1, /^shendu detect: DataError: detect: no checkpoint at .*nothing/],
    ['not an image', [runDir, join(runDir, 'last.safetensors')], 1, /^shendu detect: DataError: .*last\.safetensors/],
    ['missing image', [runDir], 2, /^shendu detect: missing <image>/],
  ];
  for (const [label, args, code, re] of bad) {
    test(`${label}: exit ${code}, one line`, () => {
      const r = run('detect', ...args);
      assert.equal(r.code, code, r.err);
      assert.match(r.err, re);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    });
  }
});
