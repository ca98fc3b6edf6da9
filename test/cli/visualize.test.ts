/**
 * `shendu visualize` end to end on a tiny LeNet-5 checkpoint written by the test (no training): the layer list,
 * the pictures it writes, and one-line errors for bad input.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decode, encode } from 'fast-png';
import { manualSeed, models, train } from '../../src/index.js';
import { NodeFileStore } from '../../src/node/index.js';
import { run as runCli, workDir } from './helpers.js';

const work = workDir('shendu-visualize-');

function run(...args: string[]): { code: number; out: string; err: string } {
  return runCli('visualize', ...args);
}

/** A grey PNG of w x h with a bright square in it. */
function png(path: string, w: number, h: number, channels: 1 | 3 = 1): string {
  const data = new Uint8Array(w * h * channels);
  for (let y = Math.floor(h / 4); y < Math.floor((3 * h) / 4); y++) {
    for (let x = Math.floor(w / 3); x < Math.floor((2 * w) / 3); x++) data.fill(230, (y * w + x) * channels, (y * w + x + 1) * channels);
  }
  writeFileSync(path, encode({ width: w, height: h, channels, data }));
  return path;
}

const runDir = join(work, 'run');
manualSeed(1);
const info = { model: 'lenet5', modelOptions: { inChannels: 1, inputSize: 28, numClasses: 10 }, dataset: 'mnist', classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], norm: { mean: [0.1307], std: [0.3081] } };
train.saveCheckpoint(new NodeFileStore(runDir), 'last', models.createModel('lenet5', info.modelOptions), { metadata: { shendu: JSON.stringify(info) } });
const digit = png(join(work, 'digit.png'), 28, 28);

describe('shendu visualize', () => {
  test('without --layer it lists the layers with their output shapes and says how to pick', () => {
    const r = run(runDir, digit);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^layers of lenet5 in the order they run/);
    assert.match(r.out, /^ {2}\* 0 +Conv2d +\[1, 6, 28, 28\]$/m);
    assert.match(r.out, /^ {4}7 +Linear +\[1, 120\]$/m);
    assert.match(r.out, /pick layers with --layer NAME\[,NAME\.\.\.\], e\.g\. --layer 0,1;/);
  });

  test('writes feature maps of each layer, the first filters, saliency and Grad-CAM, and prints the files', () => {
    const out = join(work, 'pictures');
    const r = run(runDir, digit, '--layer', '0,4', '--out', out, '--class', '3');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /digit\.png: predicted \d \(\d+\.\d%\); explaining class 3/);
    const expected = ['features-0.png', 'features-4.png', 'filters-0.png', 'saliency.png', 'gradcam-4.png'];
    const all = expected.flatMap((f) => [f, f.replace(/png$/, 'svg')]);
    assert.deepEqual(r.out.trim().split('\n').slice(1), all.map((f) => join(out, f)));
    assert.deepEqual(readdirSync(out).sort(), [...all].sort());
    const cam = decode(readFileSync(join(out, 'gradcam-4.png')));
    assert.ok(cam.width > 3 * 28 * 4 && cam.height > 28 * 4, `three tiles enlarged: ${cam.width}x${cam.height}`);
    assert.equal(cam.channels === 3 || cam.channels === 4, true, 'colour');
  });

  test('the default folder is <run>/visualize; Grad-CAM falls back to the last spatial layer; other sizes are resized', () => {
    const big = png(join(work, 'big.png'), 56, 40, 3);
    const r = run(runDir, big, '--layer', '1');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /note: .*big\.png is 56x40; resized to the model's 28x28, as predict does/);
    assert.ok(existsSync(join(runDir, 'visualize', 'features-1.png')));
    assert.ok(existsSync(join(runDir, 'visualize', 'gradcam-1.png')));
    const r2 = run(join(runDir, 'last.safetensors'), digit, '--layer', '0', '--out', join(work, 'p2'));
    assert.equal(r2.code, 0, r2.err);
    assert.ok(existsSync(join(work, 'p2', 'gradcam-0.png')));
  });

  const bad: [string, string[], number, RegExp][] = [
    ['no such run', [join(work, 'nothing'), digit, '--layer', '0'], 1, /^shendu visualize: DataError: visualize: no checkpoint at .*nothing\.safetensors \(pass a run directory/],
    ['no such image', [runDir, join(work, 'nope.png'), '--layer', '0'], 1, /^shendu visualize: .*nope\.png/],
    ['not an image', [runDir, join(work, 'run', 'last.safetensors'), '--layer', '0'], 1, /^shendu visualize: DataError: .*last\.safetensors/],
    ['unknown layer', [runDir, digit, '--layer', '0,conv9'], 2, /^shendu visualize: Sequential has no layer 'conv9'; layers: 0, 1, 2, .*, 11 \(run without --layer to list them with their shapes\)\n$/],
    ['a layer without feature maps', [runDir, digit, '--layer', '7'], 2, /^shendu visualize: layer '7' \(Linear\) gives \[1, 120\], not a feature map \[1, C, H, W\]; pick a conv-like layer/],
    ['class out of range', [runDir, digit, '--layer', '0', '--class', '10'], 2, /^shendu visualize: --class must be in 0\.\.9 \(the model has 10 classes\), got 10\n$/],
    ['empty layer list', [runDir, digit, '--layer', ','], 2, /^shendu visualize: --layer needs layer names separated by commas, got ','\n$/],
    ['missing image', [runDir], 2, /^shendu visualize: missing <image>/],
  ];
  for (const [label, args, code, re] of bad) {
    test(`${label}: exit ${code}, one line`, () => {
      const r = run(...args);
      assert.equal(r.code, code, r.err);
      assert.match(r.err, re);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    });
  }
});
