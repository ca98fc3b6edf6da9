/**
 * ONNX export (src/io/onnx) checked by running the files in ONNX Runtime (onnxruntime-node): LeNet-5, an MLP,
 * resnet20, ResNet-18, the char-LM with LSTM, GRU and RNN cells, two VAE decoders, multi-head attention and
 * Transformer layers (test/io/onnx-zoo-attention.ts) give shendu's outputs (every output) within 1e-4, at the traced
 * batch size and at another one (dynamic batch; fixed-shape cases get other values of the same shape). Each file is byte-identical to the one the
 * ONNX checker passed (test/fixtures/onnx_checker.json, written by tools/check_onnx_exports.py).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { noGrad, type Tensor } from '../../src/index.js';
import { exportModelBytes } from '../../src/io/onnx/index.js';
import { ZOO_NAMES, zooCase } from './onnx-zoo.js';

const checker = JSON.parse(readFileSync(new URL('../../../test/fixtures/onnx_checker.json', import.meta.url), 'utf8')) as {
  files: Record<string, { sha256: string; checker: string }>;
};

function ortTensor(t: Tensor): ort.Tensor {
  const data = t.contiguous().toTypedArray();
  if (t.dtype === 'int32') return new ort.Tensor('int32', Int32Array.from(data as Int32Array), [...t.shape]);
  if (t.dtype === 'bool') return new ort.Tensor('bool', Uint8Array.from(data as ArrayLike<number>, Number), [...t.shape]);
  return new ort.Tensor('float32', Float32Array.from(data as Float32Array), [...t.shape]);
}

/** Max |ours - ort| over every output (in order), checking the shapes agree. */
async function maxDiff(session: ort.InferenceSession, ours: Tensor[], inputs: Tensor[]): Promise<number> {
  const feeds: Record<string, ort.Tensor> = {};
  session.inputNames.forEach((n, i) => (feeds[n] = ortTensor(inputs[i])));
  const res = await session.run(feeds);
  assert.equal(session.outputNames.length, ours.length, 'output count');
  let m = 0;
  session.outputNames.forEach((name, k) => {
    const got = res[name];
    assert.deepEqual([...got.dims], [...ours[k].shape], `output ${k} shape`);
    const want = ours[k].contiguous().toTypedArray();
    const g = got.data as Float32Array;
    for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(Number(want[i]) - g[i]));
  });
  return m;
}

/** The forward pass's tensors, flattened in order (as the trace names them output0, output1, ...). */
function flat(r: unknown): Tensor[] {
  return Array.isArray(r) ? r.flatMap(flat) : [r as Tensor];
}

describe('onnx export runs in ONNX Runtime with shendu outputs', () => {
  for (const name of ZOO_NAMES) {
    test(name, async (t) => {
      const c = zooCase(name);
      const bytes = exportModelBytes(c.model, c.inputs, c.opts);
      const run = (xs: Tensor[]) => flat(noGrad(() => (c.opts.forward ?? ((...a: Tensor[]) => c.model.forward(...a)))(...xs)));
      const session = await ort.InferenceSession.create(bytes);
      const d1 = await maxDiff(session, run(c.inputs), c.inputs);
      assert.ok(d1 <= 1e-4, `${name}: max |shendu - onnxruntime| = ${d1} on the traced inputs`);
      const d2 = await maxDiff(session, run(c.other), c.other);
      assert.ok(d2 <= 1e-4, `${name}: max |shendu - onnxruntime| = ${d2} on the other inputs`);
      t.diagnostic(`max abs diff: traced inputs ${d1.toExponential(2)}, other inputs ${d2.toExponential(2)}`);
      const sha = createHash('sha256').update(bytes).digest('hex');
      const rec = checker.files[name];
      assert.ok(rec !== undefined, `${name}: not in the checker fixture (run tools/export_onnx_zoo.mjs and tools/check_onnx_exports.py)`);
      assert.equal(rec.checker, 'pass', `${name}: onnx.checker verdict`);
      assert.equal(sha, rec.sha256, `${name}: the file differs from the one the ONNX checker passed; re-run the fixture step`);
    });
  }
});
