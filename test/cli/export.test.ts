/**
 * `shendu export <run> --format onnx` end to end: a char-LM trained by `shendu train` for two tiny epochs and a
 * LeNet-5 checkpoint are written as <run>/model.onnx, which ONNX Runtime runs with the run's outputs (within
 * 1e-4) at two batch sizes; bad input gets one-line errors.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { manualSeed, models, noGrad, rand, randint, train, type Tensor } from '../../src/index.js';
import { NodeFileStore } from '../../src/node/index.js';
import { run, workDir } from './helpers.js';

const work = workDir('shendu-export-');

async function compare(dir: string, inputs: Tensor[]): Promise<number> {
  const { model } = models.loadRun(new NodeFileStore(dir), 'last');
  const session = await ort.InferenceSession.create(readFileSync(join(dir, 'model.onnx')));
  let worst = 0;
  for (const x of inputs) {
    const want = noGrad(() => model.forward(x)).toTypedArray();
    const data = x.dtype === 'int32' ? new ort.Tensor('int32', Int32Array.from(x.toTypedArray() as Int32Array), [...x.shape]) : new ort.Tensor('float32', Float32Array.from(x.toTypedArray() as Float32Array), [...x.shape]);
    const got = (await session.run({ [session.inputNames[0]]: data }))[session.outputNames[0]].data as Float32Array;
    assert.equal(got.length, want.length);
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - Number(want[i])));
  }
  return worst;
}

describe('shendu export', () => {
  test('a char-LM trained by shendu train runs in ONNX Runtime with its outputs', async () => {
    const out = join(work, 'lm');
    const small = ['--limit', '6000', '--hidden-size', '16', '--num-layers', '2', '--embed-dim', '8', '--seq-len', '20', '--batch-size', '8', '--scheduler', 'none'];
    const t = run('train', 'charlm', '--epochs', '1', '--cell', 'lstm', '--out', out, ...small);
    assert.equal(t.code, 0, t.err);
    const r = run('export', out, '--format', 'onnx', '--seq-len', '12');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /model\.onnx: charlm as ONNX \(opset 17, \d+ bytes\), symbols \[N, 12\] -> logits, any batch size N/);
    assert.equal(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).task, 'language-model');
    const d = await compare(out, [randint(0, 10, [1, 12]), randint(0, 10, [4, 12])]);
    assert.ok(d <= 1e-4, `max |shendu - onnxruntime| = ${d}`);
  });

  test('a LeNet-5 run: <run>/model.onnx, no temporary file left, outputs match at batch 1 and 5', async () => {
    const dir = join(work, 'lenet');
    manualSeed(3);
    const info = { model: 'lenet5', modelOptions: { inChannels: 1, inputSize: 28, numClasses: 10 }, dataset: 'mnist', classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], norm: { mean: [0.1307], std: [0.3081] } };
    train.saveCheckpoint(new NodeFileStore(dir), 'last', models.createModel('lenet5', info.modelOptions), { metadata: { shendu: JSON.stringify(info) } });
    const r = run('export', dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /normalized images \[N, 1, 28, 28\] -> class logits/);
    assert.ok(existsSync(join(dir, 'model.onnx')));
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
    const d = await compare(dir, [rand([1, 1, 28, 28]), rand([5, 1, 28, 28])]);
    assert.ok(d <= 1e-4, `max |shendu - onnxruntime| = ${d}`);
  });

  for (const [label, args, code, message] of [
    ['no such run', ['export', join(work, 'nope')], 1, /^shendu export: .*no checkpoint at .*nope/],
    ['unknown format', ['export', join(work, 'lenet'), '--format', 'tflite'], 2, /invalid value 'tflite' for --format; valid choices: onnx/],
    ['bad --seq-len', ['export', join(work, 'lenet'), '--seq-len', '0'], 2, /--seq-len must be at least 1, got 0/],
  ] as const) {
    test(`${label}: exit ${code}, one line`, () => {
      const r = run(...args);
      assert.equal(r.code, code, r.err);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    });
  }
});
